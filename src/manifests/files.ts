// Which files are manifests, and how their text is read and committed.
import * as glob from '@actions/glob';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { excludedDirectories } from '../settings.js';

export interface ManifestFile {
  /** Absolute path. */
  readonly path: string;
  /** Workspace-relative path with forward slashes, as messages and outputs show it. */
  readonly name: string;
}

export function workspaceName(workspace: string, file: string): string {
  return path.relative(workspace, file).split(path.sep).join('/');
}

function anchored(workspace: string, pattern: string): string {
  const negated = pattern.startsWith('!');
  const body = pattern.replace(/^!+/, '');
  return `${negated ? '!' : ''}${path.join(workspace, body)}`;
}

/**
 * The files the patterns match under the workspace, sorted, less VCS, workflow and dependency folders
 * and the files named in `exclude` (ferry's own lock and the lock it reads are never manifests).
 */
export async function findManifests(
  workspace: string,
  patterns: readonly string[],
  exclude: readonly string[] = [],
): Promise<ManifestFile[]> {
  const lines = patterns.map((pattern) => anchored(workspace, pattern));
  for (const directory of excludedDirectories) lines.push(`!${path.join(workspace, '**', directory, '**')}`);
  const globber = await glob.create(lines.join('\n'), { matchDirectories: false, implicitDescendants: false });
  const excluded = new Set(exclude.map((file) => path.resolve(file)));
  const files = (await globber.glob()).filter((file) => !excluded.has(path.resolve(file)));
  return [...new Set(files)].sort().map((file) => ({ path: file, name: workspaceName(workspace, file) }));
}

/** Reads a manifest as UTF-8, refusing bytes that are not, since an edit would otherwise corrupt them. */
export async function readManifest(file: ManifestFile): Promise<string> {
  const bytes = await readFile(file.path);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new Error(`${file.name}: not UTF-8 text; YAML manifests must be UTF-8`);
  }
}

export interface PendingWrite {
  readonly path: string;
  readonly text: string;
  /** The file whose permissions the new file takes, if any. */
  readonly modeFrom?: string;
}

/**
 * Writes every file to a temporary sibling first and renames them all only when every write has
 * succeeded, so a failure leaves the targets as they were.
 */
export async function commitFiles(writes: readonly PendingWrite[]): Promise<void> {
  const staged: [string, string][] = [];
  try {
    for (const write of writes) {
      await mkdir(path.dirname(write.path), { recursive: true });
      const temporary = path.join(path.dirname(write.path), `.${path.basename(write.path)}.ferry-${randomBytes(6).toString('hex')}`);
      staged.push([temporary, write.path]);
      await writeFile(temporary, write.text, { flag: 'wx' });
      if (write.modeFrom !== undefined) await chmod(temporary, (await stat(write.modeFrom)).mode & 0o7777);
    }
  } catch (error) {
    await Promise.all(staged.map(([temporary]) => unlink(temporary).catch(() => undefined)));
    throw error;
  }
  for (const [temporary, target] of staged) await rename(temporary, target);
}
