// Which files are manifests, and how their text is read and committed, all through the file boundary:
// links are not followed out of the workspace, only regular files of bounded size are read, and a
// write never goes through a link that leads out.
import * as glob from '@actions/glob';
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BoundaryError, type Workspace, fileKindOf } from '../workspace.js';
import { hasControlCharacters, quoted } from '../untrusted-text.js';

/** Never manifests, whatever the globs say: VCS data, workflow files, dependencies. */
export const excludedDirectories = ['.git', '.github', 'node_modules'];

/** Whether a workspace-relative path lies in an excluded folder, at any depth. */
function inExcludedDirectory(relative: string): boolean {
  // Case folded: on a case-insensitive file system `.GitHub` is `.github`, and realpath keeps the spelling given.
  return relative
    .split(path.sep)
    .slice(0, -1)
    .some((part) => excludedDirectories.includes(part.toLowerCase()));
}

export interface ManifestFile {
  /** Absolute path, as the glob found it. */
  readonly path: string;
  /** Workspace-relative path with forward slashes, as messages and outputs show it. */
  readonly name: string;
  /** The file behind it: itself, or the file inside the workspace that a link names. */
  readonly real: string;
}

export function workspaceName(workspace: string, file: string): string {
  return path.relative(workspace, file).split(path.sep).join('/');
}

function anchored(workspace: string, pattern: string): string {
  const negated = pattern.startsWith('!');
  const body = pattern.replace(/^!+/, '');
  return `${negated ? '!' : ''}${path.isAbsolute(body) ? body : path.join(workspace, body)}`;
}

/**
 * The files the patterns match under the workspace, sorted, less VCS, workflow and dependency folders
 * and the files named in `exclude` (ferry's own lock and the lock it reads are never manifests).
 * Linked folders are not entered; a linked file counts only when the file it names is inside the
 * workspace, and once, however many names lead to it.
 */
export async function findFiles(
  files: Workspace,
  patterns: readonly string[],
  exclude: readonly string[] = [],
  what = 'manifests',
  allowTemp = false,
): Promise<ManifestFile[]> {
  const workspace = files.root;
  const lines = patterns.map((pattern) => anchored(workspace, pattern));
  for (const directory of excludedDirectories) lines.push(`!${path.join(workspace, '**', directory, '**')}`);
  const globber = await glob.create(lines.join('\n'), { matchDirectories: false, implicitDescendants: false, followSymbolicLinks: false });
  const excluded = new Set(exclude.map((file) => path.resolve(file)));
  const found = [...new Set(await globber.glob())].filter((file) => !excluded.has(path.resolve(file))).sort();
  const byReal = new Map<string, ManifestFile>();
  for (const file of found) {
    const name = workspaceName(workspace, file);
    if (hasControlCharacters(name))
      throw new BoundaryError('manifests', `the file name ${quoted(name)} holds control characters; rename it`);
    const real = files.realFile(what, file, allowTemp);
    if (excluded.has(real)) continue;
    // A link that leads into .git, .github or node_modules is excluded as the folder itself is.
    if (inExcludedDirectory(path.relative(files.realRoot, real))) continue;
    const other = byReal.get(real);
    // The file itself wins over a link to it; of two links, the first name.
    if (other === undefined || (file === real && other.path !== real)) byReal.set(real, { path: file, name, real });
  }
  return [...byReal.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export const findManifests = (files: Workspace, patterns: readonly string[], exclude: readonly string[] = []): Promise<ManifestFile[]> =>
  findFiles(files, patterns, exclude, 'manifests');

/**
 * The files that input paths or globs name (in the workspace, or RUNNER_TEMP with `allowTemp`); a
 * pattern that matches nothing is an error naming the input.
 */
export async function inputFiles(files: Workspace, what: string, patterns: readonly string[], allowTemp = false): Promise<ManifestFile[]> {
  const found: ManifestFile[] = [];
  for (const pattern of patterns) {
    const matched = await findFiles(files, [pattern], [], what, allowTemp);
    if (matched.length === 0) throw new BoundaryError(what, `${pattern} matches no file in the workspace`);
    for (const file of matched) if (!found.some((other) => other.real === file.real)) found.push(file);
  }
  return found;
}

/** Reads a manifest as UTF-8, refusing bytes that are not, since an edit would otherwise corrupt them. */
export function readManifest(files: Workspace, file: ManifestFile, maxBytes: number): string {
  const bytes = files.read(file.name, file.real, maxBytes);
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
 * Checks, before anything is tagged or written, that every file can be put in its place: no folder on
 * the way leads out of the boundary or is a file, and what is at the target (nothing, a file, or a link,
 * which the rename replaces) is no folder, whose rename would fail after the tags are put.
 */
export async function checkTargets(writes: readonly PendingWrite[], files?: Workspace): Promise<void> {
  for (const write of writes) {
    const dir = path.dirname(write.path);
    files?.checkFolder(write.path, dir);
    let folder = dir;
    let found = await lstat(folder).catch(() => undefined);
    while (found === undefined && path.dirname(folder) !== folder) {
      folder = path.dirname(folder);
      found = await lstat(folder).catch(() => undefined);
    }
    if (found !== undefined && !(await stat(folder).catch(() => undefined))?.isDirectory())
      throw new Error(
        `${write.path}: ${folder} is a ${found.isFile() ? 'file' : fileKindOf(found)}, not a folder; nothing was tagged or written`,
      );
    const target = await lstat(write.path).catch(() => undefined);
    if (target !== undefined && !target.isFile() && !target.isSymbolicLink())
      throw new Error(`${write.path}: a ${fileKindOf(target)} is where ferry writes this file; nothing was tagged or written`);
  }
}

/**
 * Writes every file to a temporary sibling first and renames them all only when every write has
 * succeeded, so a failure leaves the targets as they were. With a boundary, no folder on the way may
 * lead out of it.
 */
export async function commitFiles(writes: readonly PendingWrite[], files?: Workspace): Promise<void> {
  // Again, though the commit point checked before its tags: what is there may have changed since.
  await checkTargets(writes, files);
  const staged: [string, string][] = [];
  try {
    for (const write of writes) {
      const dir = path.dirname(write.path);
      files?.checkFolder(write.path, dir);
      await mkdir(dir, { recursive: true });
      files?.checkFolder(write.path, dir);
      const temporary = path.join(dir, `.${path.basename(write.path)}.ferry-${randomBytes(6).toString('hex')}`);
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
