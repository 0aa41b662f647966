// A tar read once, front to back, each entry handed over with where its content sits in the file, so
// that an importer can verify every blob in one pass and later read each from its byte range, with
// no extraction. It reads what tar writers make of regular files and folders (ustar, with PAX
// extended headers and GNU long names for what does not fit a ustar header) and names every other
// kind of entry, for the caller to refuse. Written here because tar-stream, which ferry writes tars
// with, does not say where an entry's content is.
import type { ByteReader } from './spanned-file.js';
import { AheadReader, TarError, passReadSize } from './tar-pieces.js';

export { TarError };
import { quoted } from '../untrusted-text.js';

export type TarEntryType = 'file' | 'directory' | 'link' | 'symlink' | 'character-device' | 'block-device' | 'fifo' | 'unknown';

export interface TarEntry {
  readonly name: string;
  readonly type: TarEntryType;
  readonly size: number;
  /** Where the entry's content starts in the file. */
  readonly offset: number;
  /** A link's target, as the archive names it (a hard link's from the archive's root, a symbolic link's from its folder). */
  readonly linkName?: string;
}

/** Reads an entry's content as it passes: chunks in order, then the end. */
export interface ContentReader {
  /** A chunk, valid only during the call (its memory is reused): a reader that keeps it copies it. */
  update(chunk: Buffer): void;
  end(): Promise<void> | void;
}

const block = 512;
/** PAX records and GNU long names are a few hundred bytes; past this they are refused. */
const maxExtensionBytes = 64 * 1024;
/** How much of an archive's headers is read, at most: every name read is kept (to find duplicates, to resolve links). */
export interface TarLimits {
  /** Entries in one archive. */
  readonly entries: number;
  /** The bytes of every entry's name and link name together: 128 bytes an entry on average (an OCI layout's blob names are 78). */
  readonly nameBytes: number;
}

export const tarLimits: TarLimits = { entries: 1_000_000, nameBytes: 128 * 1024 * 1024 };

const types: Record<string, TarEntryType> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '5': 'directory',
  '1': 'link',
  '2': 'symlink',
  '3': 'character-device',
  '4': 'block-device',
  '6': 'fifo',
};

/** Zeros to compare a block or a chunk with: one native comparison, not a JavaScript call per byte. */
const zeros = Buffer.alloc(passReadSize);
const allZero = (bytes: Buffer): boolean => bytes.equals(zeros.subarray(0, bytes.length));

function text(header: Buffer, start: number, length: number): string {
  const field = header.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? length : end).toString('utf8');
}

/** A name as tar-stream reads it: up to the first NUL. */
const cut = (name: string): string => {
  const end = name.indexOf('\0');
  return end < 0 ? name : name.slice(0, end);
};

/** Names longer than this are refused: no real archive needs them, and every name read is kept. */
const maxNameBytes = 4096;

function octal(header: Buffer, start: number, length: number): number {
  const field = header.subarray(start, start + length);
  // Base-256, for sizes past 8 GiB.
  if (((field[0] as number) & 0x80) !== 0) {
    let value = (field[0] as number) & 0x7f;
    for (let at = 1; at < length; at++) value = value * 256 + (field[at] as number);
    return value;
  }
  const digits = octalDigits(field);
  if (digits === undefined) throw new TarError(`a header field is not a number (${quoted(text(header, start, length), 20)})`);
  return digits === '' ? 0 : parseInt(digits, 8);
}

/**
 * An octal field's digits as Go's archive/tar reads them (the reader of skopeo, docker and podman):
 * spaces and NULs trimmed from both ends, then cut at a NUL; undefined when that is no octal number.
 * A reader that cut at the first NUL would read `\0` `2000` as 0, and the entry's content as entries.
 */
function octalDigits(field: Buffer): string | undefined {
  const trimmed = field.toString('latin1').replace(/^[ \0]+|[ \0]+$/g, '');
  const end = trimmed.indexOf('\0');
  const digits = end < 0 ? trimmed : trimmed.slice(0, end);
  return /^[0-7]*$/.test(digits) ? digits : undefined;
}

/** Whether a numeric field is one as Go reads it: base-256, or octal digits. */
const isNumeric = (field: Buffer): boolean => ((field[0] as number) & 0x80) !== 0 || octalDigits(field) !== undefined;

function checksumOk(header: Buffer): boolean {
  let sum = 8 * 32;
  for (let at = 0; at < block; at++) if (at < 148 || at >= 156) sum += header[at] as number;
  return octal(header, 148, 8) === sum;
}

/**
 * PAX records: `<length> <key>=<value>\n`, each, the length in decimal digits and the record ending in
 * its newline. A length in any other form (`0x1e`, `1e1`, `+12`) is refused, not read as some readers
 * would and others not: two tools must not see two names in one archive.
 */
function paxRecords(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    const digits = space < 0 ? '' : data.subarray(at, space).toString('latin1');
    const length = Number(digits);
    if (!/^[0-9]{1,8}$/.test(digits) || length <= space + 1 - at || at + length > data.length || data[at + length - 1] !== 0x0a)
      throw new TarError('a PAX header is malformed');
    const record = data.subarray(space + 1, at + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    // Go's archive/tar refuses a record without a key; ferry reads no archive it cannot.
    if (equals <= 0) throw new TarError('a PAX header is malformed');
    const key = record.slice(0, equals);
    // GNU's sparse files name and size their entry in these records, which Go's reader applies.
    if (key.startsWith('GNU.sparse.')) throw new TarError('a GNU sparse file (its PAX records rename and resize the entry)');
    records.set(key, record.slice(equals + 1));
    at += length;
  }
  return records;
}

/**
 * Reads the tar open as `handle` once, front to back: each entry goes to `visit`, which returns a reader for
 * its content, or nothing to skip it. Throws TarError for what is not a complete tar, and the signal's
 * reason once it aborts (checked before every read, so a deadline holds however large the file).
 */
export async function readTar(
  handle: ByteReader,
  visit: (entry: TarEntry) => ContentReader | undefined | Promise<ContentReader | undefined>,
  signal?: AbortSignal,
  limits: TarLimits = tarLimits,
): Promise<void> {
  const { size: fileSize } = await handle.stat();
  const file = new AheadReader(handle, fileSize, signal);
  try {
    await readEntries(file, fileSize, handle.parts !== undefined, visit, signal, limits);
  } finally {
    await file.settle();
  }
}

async function readEntries(
  file: AheadReader,
  fileSize: number,
  inParts: boolean,
  visit: (entry: TarEntry) => ContentReader | undefined | Promise<ContentReader | undefined>,
  signal: AbortSignal | undefined,
  limits: TarLimits,
): Promise<void> {
  let pax = new Map<string, string>();
  let longName: string | undefined;
  let longLink: string | undefined;
  let entries = 0;
  let nameBytes = 0;
  for (;;) {
    signal?.throwIfAborted();
    const position = file.position;
    // The closing zero blocks may be missing, as some writers leave them out: the end of the file then
    // ends the tar. Not in an archive's parts, which ferry writes with them: a part is missing there.
    if (position === fileSize) {
      if (inParts) throw new TarError('the tar ends without its closing blocks');
      return;
    }
    if (position + block > fileSize) throw new TarError('the tar ends in the middle of a header');
    const header = await file.bytes(block);
    if (allZero(header)) {
      // The end: what follows must be zeros too (a reader that skips zero blocks would find entries there).
      let at = position + block;
      await file.take(fileSize - at, (rest) => {
        if (!allZero(rest)) throw new TarError(`data after the end of the archive (byte ${at + rest.findIndex((byte) => byte !== 0)})`);
        at += rest.length;
      });
      return;
    }
    if (!checksumOk(header)) throw new TarError(`the header at byte ${position} is not a tar header`);
    if (++entries > limits.entries) throw new TarError(`more than ${limits.entries} entries`);
    const flag = String.fromCharCode(header[156] as number);
    // The prefix field is ustar's alone (in the old GNU format those bytes are times), whatever its
    // version field says, as Go's archive/tar and GNU tar read it. star's ustar keeps times in the
    // prefix's last bytes and marks it at the block's end: a name read there would be another tool's.
    const ustar = header.subarray(257, 263).toString('latin1') === 'ustar\0';
    if (ustar && header.subarray(508, 512).toString('latin1') === 'tar\0') throw new TarError(`the header at byte ${position} is star's`);
    // Go reads an old GNU header whose times are no numbers as an old Go writer's, with a ustar prefix
    // there; GNU tar reads no prefix: such a header is refused.
    const gnu = header.subarray(257, 265).toString('latin1') === 'ustar  \0';
    if (gnu && !(isNumeric(header.subarray(345, 357)) && isNumeric(header.subarray(357, 369))))
      throw new TarError(`the header at byte ${position} is GNU's, with times that are no numbers`);
    const prefix = ustar ? text(header, 345, 155) : '';
    const headerName = prefix === '' ? text(header, 0, 100) : `${prefix}/${text(header, 0, 100)}`;
    const extension = flag === 'x' || flag === 'L' || flag === 'K';
    if (flag === 'g') throw new TarError('a global extended header (ferry reads each entry by its own headers only)');
    // One of each kind before an entry (GNU writes a long link name and then a long name); the same kind twice is refused.
    if ((flag === 'x' && pax.size > 0) || (flag === 'L' && longName !== undefined) || (flag === 'K' && longLink !== undefined))
      throw new TarError('an extended header follows another of its kind');
    const declared = octal(header, 124, 12);
    const paxSize = pax.get('size');
    if (paxSize !== undefined && !/^[0-9]{1,16}$/.test(paxSize)) throw new TarError('a PAX size is not a number');
    // A PAX size is the next entry's; an extended header of its own kind is always its declared size.
    const size = paxSize === undefined || extension ? declared : Number(paxSize);
    if (!Number.isSafeInteger(size) || size < 0) throw new TarError(`an entry declares an invalid size`);
    const offset = position + block;
    const next = offset + Math.ceil(size / block) * block;
    if (next > fileSize) throw new TarError('the tar ends in the middle of an entry');
    if (extension) {
      if (size > maxExtensionBytes) throw new TarError(`an extended header of ${size} bytes`);
      const data = await file.bytes(size);
      await file.skip(next - offset - size);
      if (flag === 'x') pax = paxRecords(data);
      if (flag === 'L') longName = cut(data.toString('utf8'));
      if (flag === 'K') longLink = cut(data.toString('utf8'));
      continue;
    }
    const path = pax.get('path');
    const linkPath = pax.get('linkpath');
    // Readers differ on which wins (Go's archive/tar takes the GNU name, tar-stream the PAX one), and
    // on a NUL in a PAX name (Go refuses it): both are refused, so every reader sees one name or none.
    if ((path !== undefined && longName !== undefined) || (linkPath !== undefined && longLink !== undefined))
      throw new TarError(`the entry at byte ${position} is named by a PAX record and by a GNU long name`);
    if (path?.includes('\0') || linkPath?.includes('\0'))
      throw new TarError(`the entry at byte ${position} has a PAX name with a NUL in it`);
    const name = path ?? longName ?? headerName;
    const linkName = linkPath ?? longLink ?? text(header, 157, 100);
    // An old tar's regular file ('\0') named with a trailing slash is a folder, as Go and GNU tar read
    // it; any other file so named would be one name to ferry (which drops the slash) and another to Go.
    const type = flag === '\0' && name.endsWith('/') ? 'directory' : (types[flag] ?? 'unknown');
    if (type === 'file' && name.endsWith('/'))
      throw new TarError(`the file at byte ${position} is named as a folder, with a trailing slash`);
    if (type !== 'file' && size !== 0) throw new TarError(`a ${type} entry with ${size} bytes of content`);
    pax = new Map();
    longName = undefined;
    longLink = undefined;
    if (Buffer.byteLength(name) > maxNameBytes) throw new TarError(`a name of ${Buffer.byteLength(name)} bytes`);
    const linked = type === 'link' || type === 'symlink';
    if (linked && Buffer.byteLength(linkName) > maxNameBytes) throw new TarError(`a link name of ${Buffer.byteLength(linkName)} bytes`);
    nameBytes += Buffer.byteLength(name) + (linked ? Buffer.byteLength(linkName) : 0);
    if (nameBytes > limits.nameBytes) throw new TarError(`names of more than ${limits.nameBytes} bytes in all`);
    const reader = await visit({ name, type: type as TarEntryType, size, offset, ...(linked ? { linkName } : {}) });
    if (reader === undefined) await file.skip(next - offset);
    else {
      await file.take(size, (piece) => reader.update(piece));
      await reader.end();
      await file.skip(next - offset - size);
    }
  }
}
