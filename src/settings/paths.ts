// The paths slice: which files are manifests, which locks are read, and where ferry writes (the lock,
// rewritten manifests, the archive, the plan), each checked against the file boundary before any work.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Workspace } from '../workspace.js';
import { type Env, SettingsError, input, listInput, parseSize, patternsInput, within } from './inputs.js';

export const defaultManifestPatterns = ['**/*.yaml', '**/*.yml', '**/Kustomization'];

export interface PathSettings {
  /** Glob patterns relative to the workspace; `!` patterns exclude. */
  readonly manifestPatterns: readonly string[];
  /** Existing kbld locks (or ImagesLocks) whose overrides pin references: paths or globs, merged. */
  readonly lock: readonly string[];
  readonly lockFile: string;
  readonly outputDir: string | undefined;
  /** The archive package writes. */
  readonly archive: string;
  /** package: the largest part of the archive (input archive-part-size); one file when unset. */
  readonly archivePartSize: number | undefined;
  /** package: archives (paths or globs, parts and layout folders too) and locks the site holds; a delta leaves their blobs out. */
  readonly since: readonly string[];
  /** The archives unpackage imports as one set: paths or globs. */
  readonly archives: readonly string[];
  /** plan mode: where the plan is written. */
  readonly planFile: string;
}

function manifestPatterns(env: Env, workspace: string): string[] {
  const patterns = patternsInput(env, 'manifests', defaultManifestPatterns);
  for (const pattern of patterns) {
    // A folder matches no file (the globs match files): say what to write instead.
    const folder = path.join(workspace, pattern.replace(/\/+$/, ''));
    if (!/[*?[!]/.test(pattern) && existsSync(folder) && statSync(folder).isDirectory()) {
      const base = pattern.replace(/\/+$/, '');
      throw new SettingsError(
        'manifests',
        `${JSON.stringify(pattern)} is a folder, and the globs match files: write ${base}/**/*.yaml (and ${base}/**/*.yml)`,
      );
    }
  }
  return patterns;
}

export function pathSettings(env: Env, files: Workspace, writesOneArchive: boolean): PathSettings {
  const workspace = files.root;
  const manifests = manifestPatterns(env, workspace);
  const lockFile = within('lock-file', () => files.outputPath('lock-file', input(env, 'lock-file') || 'ferry.lock.yml'));
  const outputDirText = input(env, 'output-dir');
  if (outputDirText !== '' && path.resolve(workspace, outputDirText) === workspace) {
    throw new SettingsError('output-dir', 'must not be the workspace itself: leave it empty to edit manifests in place');
  }
  const outputDir =
    outputDirText === ''
      ? undefined
      : within('output-dir', () => {
          const dir = files.outputPath('output-dir', outputDirText);
          files.checkFolder('output-dir', dir);
          return dir;
        });
  const lock = patternsInput(env, 'lock', [], true);
  for (const pattern of lock) {
    if (/[*?[]/.test(pattern)) continue;
    const file = path.resolve(workspace, pattern);
    if (!existsSync(file)) throw new SettingsError('lock', `${file} does not exist`);
    within('lock', () => files.realFile('lock', file));
  }
  // Archives may live in RUNNER_TEMP as well as the workspace: absolute paths are taken, and the boundary checks them.
  const archives = listInput(env, 'archive');
  if (archives.length === 0) archives.push('images.tar');
  const archive = within('archive', () => files.outputPath('archive', archives[0] ?? 'images.tar', true));
  if (writesOneArchive && archives.length > 1) throw new SettingsError('archive', 'package writes one archive: name one file');
  const planFile = within('plan-file', () => files.outputPath('plan-file', input(env, 'plan-file') || 'ferry.plan.json'));
  const partText = input(env, 'archive-part-size');
  // A ustar header and a little content at the least: parts smaller than a block would be thousands for nothing.
  const archivePartSize = partText === '' ? undefined : parseSize('archive-part-size', partText);
  if (archivePartSize !== undefined && archivePartSize < 1024 * 1024)
    throw new SettingsError(
      'archive-part-size',
      `${partText} is less than 1MiB: parts that small would be more than a medium holds in files`,
    );
  const since = listInput(env, 'since');
  return { manifestPatterns: manifests, lock, lockFile, outputDir, archive, archivePartSize, since, archives, planFile };
}
