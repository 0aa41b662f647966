// The names of an archive's files, and what is at them: the archive or its parts (`<archive>.001` on),
// the partial files a run writes them in (`.<archive>.partial`, `.<archive>.001.partial`), which files
// a run writes over, and what a stopped run's partial files hold on the disk.
import { existsSync, realpathSync } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { isWithin, nearestExisting } from '../workspace.js';

/** Parts are numbered with three digits, from 001. */
export const maxParts = 999;

/** The name of part `n` (1-based) of `file`: `images.tar.001`. */
export function partName(file: string, n: number): string {
  return `${file}.${String(n).padStart(3, '0')}`;
}

/** Where a file is written before the commit point puts it in place. */
export function partialName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.partial`);
}

/** The files an archive of `size` bytes is kept in: the archive itself, or its parts of `partSize` each. */
export function spanNames(file: string, size: number, partSize: number | undefined): string[] {
  if (partSize === undefined) return [file];
  const count = Math.max(1, Math.ceil(size / partSize));
  if (count > maxParts)
    throw new Error(
      `${file}: ${size} bytes in parts of ${partSize} would be ${count} parts, more than ${maxParts}: set a larger archive-part-size`,
    );
  return Array.from({ length: count }, (_, at) => partName(file, at + 1));
}

/** Whether `name` is a part's name of the archive named `base`: `<base>.001` on. */
function isPartName(base: string, name: string): boolean {
  return name.startsWith(`${base}.`) && /^\d{3}$/.test(name.slice(base.length + 1));
}

/** Whether `name` is a partial file of the archive named `base`, of any layout: `.<base>.partial`, `.<base>.001.partial` on. */
function isPartialName(base: string, name: string): boolean {
  const suffix = '.partial';
  if (!name.startsWith('.') || !name.endsWith(suffix)) return false;
  const inner = name.slice(1, -suffix.length);
  return inner === base || isPartName(base, inner);
}

/** The real folder the archive at `archive` goes in: its nearest existing folder's real path, and the rest as written. */
function realFolderOf(archive: string): string {
  const folder = path.dirname(archive);
  const existing = nearestExisting(folder);
  try {
    return path.join(realpathSync(existing), path.relative(existing, folder));
  } catch {
    return folder;
  }
}

/**
 * Whether writing the archive at `archive` writes over or removes `file` (a real path): the archive
 * itself, one of its parts, or a partial file of either, in the archive's own folder.
 */
export function writesOver(archive: string, file: string): boolean {
  const base = path.basename(archive);
  const name = path.basename(file);
  return path.dirname(file) === realFolderOf(archive) && (name === base || isPartName(base, name) || isPartialName(base, name));
}

/** Whether the archive at `archive` is written inside `folder` (a real path), or over it: in an OCI layout folder, among its files. */
export function writesInto(archive: string, folder: string): boolean {
  return isWithin(folder, path.join(realFolderOf(archive), path.basename(archive)));
}

/** The partial files of the archive at `file`, of any layout: `.<name>.partial`, `.<name>.001.partial` on. */
export async function partialsAt(file: string): Promise<string[]> {
  const base = path.basename(file);
  const names = await readdir(path.dirname(file)).catch(() => []);
  return names.filter((name) => isPartialName(base, name)).map((name) => path.join(path.dirname(file), name));
}

/**
 * The bytes on the disk that the partial files of the archive at `file` hold, of any layout (what
 * their blocks hold, not their length: a partial file is sparse until it is written): what a run
 * that writes the archive frees or keeps.
 */
export async function partialBytes(file: string): Promise<number> {
  let held = 0;
  for (const partial of await partialsAt(file)) {
    const info = await lstat(partial).catch(() => undefined);
    if (info?.isFile() === true) held += info.blocks * 512;
  }
  return held;
}

/** The files an archive at `file` is in now: the file itself and its parts, `<file>.001` on. */
export async function spansAt(file: string): Promise<string[]> {
  const base = path.basename(file);
  return (await readdir(path.dirname(file)))
    .filter((name) => name === base || isPartName(base, name))
    .map((name) => path.join(path.dirname(file), name));
}

/**
 * The parts of `file` there are, in order: `file.001` on, as long as they follow one another; none when
 * there is none. A part missing before or between others is an error naming it.
 */
export function partsOf(file: string): string[] {
  const parts: string[] = [];
  while (parts.length < maxParts && existsSync(partName(file, parts.length + 1))) parts.push(partName(file, parts.length + 1));
  for (let n = parts.length + 2; n <= maxParts; n++)
    if (existsSync(partName(file, n)))
      throw new Error(`${partName(file, parts.length + 1)} is missing: the parts of ${file} go on at ${partName(file, n)}`);
  return parts;
}
