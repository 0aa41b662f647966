// Where every entry of an archive sits before a byte of it is written. The archive is an OCI image
// layout in a deterministic tar (sorted entries, zero times, uid/gid 0, no user names): every digest
// and size is known once the images' manifests are read, so each entry's offset is too, and each blob
// can be written once, in place, as it arrives. Headers are ustar, with a PAX header before a name ustar
// cannot hold, as tar-stream writes them (a test compares the two byte for byte).
const block = 512;

/** A name split into ustar's prefix and name fields as tar-stream splits it, or undefined when ustar cannot hold it. */
function ustarName(full: string): { prefix: string; name: string } | undefined {
  let name = full;
  let prefix = '';
  // Past 100 characters, the folders go into ustar's prefix field.
  while (name.length > 100) {
    const slash = name.indexOf('/');
    if (slash < 0) break;
    prefix += prefix === '' ? name.slice(0, slash) : `/${name.slice(0, slash)}`;
    name = name.slice(slash + 1);
  }
  return name.length > 100 || prefix.length > 155 ? undefined : { prefix, name };
}

/** A ustar header for a regular file, a folder or a PAX header: the fields tar-stream's encoder writes, nothing else. */
export function ustarHeader(name: string, size: number, type: 'file' | 'directory' | 'pax-header'): Buffer {
  const header = Buffer.alloc(block);
  const full = type === 'directory' && !name.endsWith('/') ? `${name}/` : name;
  if (Buffer.byteLength(full) !== full.length) throw new Error(`${name}: not an ASCII tar name`);
  const split = ustarName(full);
  if (split === undefined) throw new Error(`${name}: too long for a ustar header`);
  const { prefix } = split;
  const octal = (value: number, digits: number): string => `${value.toString(8).padStart(digits, '0')} `;
  header.write(split.name, 0, 'ascii');
  if (prefix !== '') header.write(prefix, 345, 'ascii');
  header.write(octal(type === 'directory' ? 0o755 : 0o644, 6), 100, 'ascii');
  header.write(octal(0, 6), 108, 'ascii');
  header.write(octal(0, 6), 116, 'ascii');
  if (size.toString(8).length > 11) {
    // Past 8 GiB: base-256, as tar-stream and GNU tar write it.
    header[124] = 0x80;
    let rest = size;
    for (let at = 11; at > 0; at--) {
      header[124 + at] = rest & 0xff;
      rest = Math.floor(rest / 0x100);
    }
  } else header.write(octal(size, 11), 124, 'ascii');
  header.write(octal(0, 11), 136, 'ascii');
  header[156] = type === 'directory' ? 0x35 : type === 'pax-header' ? 0x78 : 0x30;
  header.write('ustar\0', 257, 'ascii');
  header.write('00', 263, 'ascii');
  header.write(octal(0, 6), 329, 'ascii');
  header.write(octal(0, 6), 337, 'ascii');
  let sum = 8 * 32;
  for (let at = 0; at < 148; at++) sum += header[at] as number;
  for (let at = 156; at < block; at++) sum += header[at] as number;
  header.write(octal(sum, 6), 148, 'ascii');
  return header;
}

/** A PAX record as tar-stream writes one: `<length> <text>\n`, the length counting its own digits. */
function paxRecord(text: string): Buffer {
  const line = ` ${text}\n`;
  const length = Buffer.byteLength(line);
  let digits = String(length).length;
  if (length + digits >= 10 ** digits) digits++;
  return Buffer.from(`${length + digits}${line}`);
}

/**
 * An entry's header: ustar's, or, for a file whose name ustar cannot hold (a sha512 blob's, 141
 * characters), a PAX header giving its path, its records padded to a block, then the entry's own ustar
 * header, both named `PaxHeader`, as tar-stream writes them.
 */
export function entryHeader(name: string, size: number, type: 'file' | 'directory'): Buffer {
  if (type === 'directory' || ustarName(name) !== undefined || Buffer.byteLength(name) !== name.length)
    return ustarHeader(name, size, type);
  const records = paxRecord(`path=${name}`);
  return Buffer.concat([
    ustarHeader('PaxHeader', records.length, 'pax-header'),
    records,
    Buffer.alloc(padded(records.length) - records.length),
    ustarHeader('PaxHeader', size, type),
  ]);
}

export interface PlannedEntry {
  readonly name: string;
  readonly type: 'file' | 'directory';
  readonly size: number;
  /** Where its header starts. */
  readonly offset: number;
  /** Where its content starts: after its header (three parts of one for a name ustar cannot hold). */
  readonly content: number;
}

export interface TarLayout {
  readonly entries: readonly PlannedEntry[];
  /** Where each blob's content starts, by digest. */
  readonly contentAt: ReadonlyMap<string, number>;
  /** The archive's whole size, the closing zero blocks included. */
  readonly size: number;
}

const padded = (size: number): number => Math.ceil(size / block) * block;
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The layout of an archive holding `blobs` (by digest, with sizes), then `index.json`, `oci-layout`, and
 * any further files (a delta's record) in name order.
 */
export function planLayout(
  blobs: ReadonlyMap<string, number>,
  indexSize: number,
  layoutSize: number,
  extras: readonly { readonly name: string; readonly size: number }[] = [],
): TarLayout {
  const entries: PlannedEntry[] = [];
  const contentAt = new Map<string, number>();
  let offset = 0;
  const add = (name: string, type: 'file' | 'directory', size: number): number => {
    const content = offset + entryHeader(name, 0, type).length;
    entries.push({ name, type, size, offset, content });
    offset = content + padded(size);
    return content;
  };
  add('blobs/', 'directory', 0);
  const digests = [...blobs.keys()].sort(byText);
  for (const algorithm of [...new Set(digests.map((digest) => digest.slice(0, digest.indexOf(':'))))].sort(byText))
    add(`blobs/${algorithm}/`, 'directory', 0);
  for (const digest of digests) {
    const [algorithm, hex] = digest.split(':');
    contentAt.set(digest, add(`blobs/${algorithm}/${hex}`, 'file', blobs.get(digest) ?? 0));
  }
  add('index.json', 'file', indexSize);
  add('oci-layout', 'file', layoutSize);
  for (const extra of [...extras].sort((a, b) => byText(a.name, b.name))) add(extra.name, 'file', extra.size);
  return { entries, contentAt, size: offset + 2 * block };
}
