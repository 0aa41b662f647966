// The file boundary. The checkout is untrusted input (a pull request can commit symbolic links, FIFOs,
// device links, huge files and odd names), so every path ferry reads or writes goes through here:
// resolved with realpath, kept inside the workspace (or RUNNER_TEMP), read only as a regular file of
// bounded size, and refused with a message naming it.
import { closeSync, constants, existsSync, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { hasControlCharacters, quoted } from './untrusted-text.js';

/** A path or file ferry refuses; `what` names the input or kind of file. */
export class BoundaryError extends Error {
  constructor(
    readonly what: string,
    message: string,
  ) {
    super(`${what}: ${message}`);
    this.name = 'BoundaryError';
  }
}

export function fileKindOf(mode: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
}): string {
  if (mode.isDirectory()) return 'folder';
  if (mode.isFIFO()) return 'FIFO';
  if (mode.isCharacterDevice() || mode.isBlockDevice()) return 'device';
  if (mode.isSocket()) return 'socket';
  return 'special file';
}

/**
 * Reads a regular file of at most `maxBytes`: the file a link names, opened without blocking (a FIFO
 * would block forever), checked to be a regular file, read in a bounded loop.
 */
export function readRegularFile(file: string, maxBytes: number, what: string): Buffer {
  let fd: number;
  try {
    // A link of the user's own (a dotfile manager's config.json) is followed; what it names must be a regular file.
    fd = openSync(realpathSync(file), constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ELOOP') throw new BoundaryError(what, `${file} is a symbolic link; ferry reads it only through the file it names`);
    if (code === 'ENOENT') throw new BoundaryError(what, `${file} does not exist`);
    throw new BoundaryError(what, `cannot read ${file} (${code ?? (error as Error).message})`);
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw new BoundaryError(what, `${file} is a ${fileKindOf(info)}, not a regular file`);
    if (info.size > maxBytes) throw new BoundaryError(what, `${file} is ${info.size} bytes, more than the ${maxBytes} ferry reads`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1024 * 1024, maxBytes + 1 - total));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      total += read;
      if (total > maxBytes) throw new BoundaryError(what, `${file} grew past the ${maxBytes} bytes ferry reads`);
      chunks.push(chunk.subarray(0, read));
    }
    return Buffer.concat(chunks);
  } finally {
    closeSync(fd);
  }
}

/** Whether `candidate` is `root` or below it (both resolved paths). */
export function isWithin(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

/** The nearest ancestor of `file` (itself included) that exists. */
export function nearestExisting(file: string): string {
  let current = file;
  while (!existsSync(current)) {
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return current;
}

export class Workspace {
  /** The workspace and the temporary folder as realpath gives them. */
  readonly realRoot: string;
  private readonly realTemp: string;
  /** The temporary folder as RUNNER_TEMP spells it. */
  private readonly temp: string;

  constructor(
    readonly root: string,
    tempDir: string,
  ) {
    this.realRoot = realpathSync(root);
    this.temp = path.resolve(tempDir);
    this.realTemp = existsSync(tempDir) ? realpathSync(tempDir) : this.temp;
  }

  /** Whether a real path lies inside the workspace. */
  contains(real: string): boolean {
    return isWithin(this.realRoot, real);
  }

  /**
   * Whether the real path of `named` lies inside the boundary: the workspace, or RUNNER_TEMP when that is
   * where `named` itself is, never through a link in the checkout that leads there (a pull request's
   * link to a key an earlier step wrote).
   */
  private inside(real: string, allowTemp: boolean, named: string): boolean {
    if (isWithin(this.realRoot, real)) return true;
    if (!allowTemp || !isWithin(this.realTemp, real)) return false;
    // Named there: spelled under RUNNER_TEMP (as it is given, or its real path), or anywhere but the
    // checkout (however the workspace is spelled).
    const spelled = path.resolve(this.root, named);
    if (isWithin(this.temp, spelled) || isWithin(this.realTemp, spelled)) return true;
    return !isWithin(path.resolve(this.root), spelled) && !isWithin(this.realRoot, spelled);
  }

  private where(allowTemp: boolean): string {
    return allowTemp ? 'the workspace or RUNNER_TEMP' : 'the workspace';
  }

  /** Why `named`, whose real path is `real`, is refused. */
  private refusal(named: string, real: string, allowTemp: boolean): string {
    const shown = path.relative(this.root, named) || named;
    if (allowTemp && isWithin(this.realTemp, real))
      return `${shown} is a link in the checkout that leads into RUNNER_TEMP (to ${real}): a file there is taken only by its own path`;
    return `${shown} leads outside ${this.where(allowTemp)} (to ${real})`;
  }

  /**
   * A path ferry will write, resolved against the workspace: it must stay inside (lexically, and through
   * every symbolic link of the folders that exist on the way), or the write is refused before any.
   */
  outputPath(what: string, value: string, allowTemp = false): string {
    const resolved = path.resolve(this.root, value);
    if (hasControlCharacters(resolved)) throw new BoundaryError(what, `${quoted(value)} holds control characters`);
    const inside = isWithin(path.resolve(this.root), resolved) || (allowTemp && isWithin(this.realTemp, resolved));
    if (!inside) throw new BoundaryError(what, `${value} is outside ${this.where(allowTemp)}`);
    this.checkFolder(what, path.dirname(resolved), allowTemp);
    return resolved;
  }

  /** Refuses a folder that is, or would be created under, a link leading out. */
  checkFolder(what: string, dir: string, allowTemp = false): void {
    const existing = nearestExisting(dir);
    const real = realpathSync(existing);
    if (!this.inside(real, allowTemp, existing)) throw new BoundaryError(what, this.refusal(existing, real, allowTemp));
  }

  /**
   * The real file behind a path in the workspace (or RUNNER_TEMP): a symbolic link is followed only
   * when the file it names stays inside.
   */
  realFile(what: string, file: string, allowTemp = false): string {
    if (hasControlCharacters(file)) throw new BoundaryError(what, `${quoted(file)} holds control characters`);
    let real: string;
    try {
      real = realpathSync(file);
    } catch {
      throw new BoundaryError(what, `${path.relative(this.root, file) || file} does not exist (or is a broken link)`);
    }
    if (!this.inside(real, allowTemp, file)) throw new BoundaryError(what, this.refusal(file, real, allowTemp));
    return real;
  }

  /** The size of a regular file inside the boundary, checked without reading it (an archive). */
  regularFileSize(what: string, file: string, allowTemp = false): number {
    const real = this.realFile(what, file, allowTemp);
    const fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    try {
      const info = fstatSync(fd);
      if (!info.isFile()) throw new BoundaryError(what, `${file} is a ${fileKindOf(info)}, not a regular file`);
      return info.size;
    } finally {
      closeSync(fd);
    }
  }

  /** Reads a regular file inside the boundary, of at most `maxBytes`. */
  read(what: string, file: string, maxBytes: number, allowTemp = false): Buffer {
    return readRegularFile(this.realFile(what, file, allowTemp), maxBytes, what);
  }
}
