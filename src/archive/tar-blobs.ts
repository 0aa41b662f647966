// An archive's blobs by digest, from one pass of its tar: every entry checked (no path that climbs out or
// is absolute, no device, no name twice; links kept by name for a docker-archive only), every blob
// verified against its name as the pass reads it, the JSON files kept. Nothing is extracted: each blob is
// later read from its byte range in the tar through the same handle, within the run's deadline (a
// manifest checked again; a layer checked by the registry it goes to).
import { type Hash, createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { ByteReader } from './spanned-file.js';
import { Readable } from 'node:stream';
import { DigestVerifier, digestError, digestOf, matchesDigest, verified } from '../oci/digest.js';
import type { Descriptor } from '../oci/descriptor.js';
import { maxManifestBytes } from '../oci/limits.js';
import type { Manifest } from '../oci/manifest.js';
import { isSchema1, schema1Refusal } from '../oci/media-types.js';
import { hasControlCharacters, quoted } from '../untrusted-text.js';
import { ArchiveError } from './archive-error.js';
import { deltaFile } from './delta.js';
import { readExactly } from './tar-pieces.js';
import { readTar } from './tar-reader.js';

const jsonFiles = new Set(['index.json', 'oci-layout', 'manifest.json', deltaFile]);
const ociBlob = /^blobs\/(sha256|sha384|sha512)\/([a-f0-9]+)$/;
const kbldLayer = /^(sha256|sha384|sha512)-([a-f0-9]+)\.tar\.gz$/;

/**
 * An entry's name, normalized (leading `./` and trailing `/` dropped), `''` for the archive's root (the
 * `./` that `tar -C folder .` writes), or the reason it is refused. Any other spelling of a name (a `.`
 * or an empty part inside it) is refused: two spellings of one file are how two tools come to read
 * different files from one archive, and duplicates are refused by name.
 */
function entryName(raw: string): string | { refused: string } {
  // A name is shown in messages, where a control character (an escape, a line separator) would change the log.
  if (hasControlCharacters(raw)) return { refused: `a name with control characters (${quoted(raw)})` };
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) return { refused: `an absolute path (${quoted(raw)})` };
  const name = raw.replace(/^(?:\.\/)+/, '').replace(/\/+$/, '');
  if (name === '' || name === '.') return '';
  const parts = name.split('/');
  if (parts.some((part) => part === '..') || raw.includes('\\')) return { refused: `a path outside the archive (${quoted(raw)})` };
  if (parts.some((part) => part === '.' || part === '')) return { refused: `a name not in its plain form (${quoted(raw)})` };
  return name;
}

/**
 * Where a blob is: its byte range in the tar, its bytes (kbld's inline manifests and configs, a manifest
 * made for a docker-archive's image), or a file of a layout folder (opened without following a link).
 */
type BlobPlace =
  { readonly offset: number; readonly size: number } | { readonly bytes: Buffer } | { readonly path: string; readonly size: number };

/** A regular file of the tar: where its content is, and its sha256 as the pass read it. */
export interface TarFile {
  readonly offset: number;
  readonly size: number;
  readonly digest: string;
}

/** A link entry of the tar: a hard link names its target from the archive's root, a symbolic link from its folder. */
export interface TarLink {
  readonly type: 'link' | 'symlink';
  readonly target: string;
}

/** The archive's blobs by digest: read from their byte ranges, never extracted. */
export class TarBlobs {
  readonly located = new Map<string, BlobPlace>();
  /** Every regular file by its name, and every link: what a docker-archive's manifest.json names. */
  readonly files = new Map<string, TarFile>();
  readonly links = new Map<string, TarLink>();
  /** Each manifest read and parsed once, however many entries and walks name it. */
  private readonly manifests = new Map<string, Promise<Manifest>>();
  /** The media type the first descriptor naming a manifest gave it, for a read by digest alone. */
  private readonly descriptorTypes = new Map<string, string>();
  /** The archive is opened once and read through this handle alone: what the pass checked is what is sent. */
  constructor(
    readonly file: string,
    readonly handle: ByteReader,
    readonly signal: AbortSignal | undefined,
  ) {}

  size(digest: string): number | undefined {
    const found = this.located.get(digest);
    return found === undefined ? undefined : 'bytes' in found ? found.bytes.length : found.size;
  }

  getManifest(digest: string, mediaType?: string): Promise<Manifest> {
    // A manifest without a mediaType field of its own is of the type its descriptor gave when it was
    // first read (the walk reads every one so): a later read by digest alone (a verifier's) gets it too.
    if (mediaType === undefined) mediaType = this.descriptorTypes.get(digest);
    else if (!this.descriptorTypes.has(digest)) this.descriptorTypes.set(digest, mediaType);
    const key = `${digest} ${mediaType ?? ''}`;
    let manifest = this.manifests.get(key);
    if (manifest === undefined) {
      manifest = this.readManifest(digest, mediaType);
      this.manifests.set(key, manifest);
    }
    return manifest;
  }

  private async readManifest(digest: string, mediaType?: string): Promise<Manifest> {
    this.signal?.throwIfAborted();
    const found = this.located.get(digest);
    if (found === undefined) throw new Error(`${this.file} lacks the manifest ${digest}`);
    if (!('bytes' in found) && found.size > maxManifestBytes)
      throw new Error(`${this.file}: manifest ${digest} is ${found.size} bytes, more than the ${maxManifestBytes} ferry reads`);
    const bytes =
      'bytes' in found
        ? found.bytes
        : await collect(this.openBlob({ mediaType: '', digest, size: found.size }), maxManifestBytes, () => new Error('too large'));
    if (!matchesDigest(bytes, digest)) throw new Error(`${this.file}: manifest ${digest}: its bytes are not its digest`);
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    } catch {
      throw new Error(`${this.file}: manifest ${digest} is not JSON`);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json))
      throw new Error(`${this.file}: manifest ${digest} is not a JSON object`);
    const type = typeof json.mediaType === 'string' ? json.mediaType : (mediaType ?? '');
    if (isSchema1(type) || json.schemaVersion === 1) throw new Error(`${this.file}: ${schema1Refusal}`);
    if (type === '') throw new Error(`${this.file}: manifest ${digest} has no media type`);
    return { descriptor: { mediaType: type, digest, size: bytes.length }, bytes, json };
  }

  /** Bytes of the tar as they are, unverified: for reading a file the pass hashed (a config, a layer's first bytes). */
  openRange(offset: number, size: number): Readable {
    return size === 0 ? Readable.from([]) : rangeOf(this.handle, offset, size, this.signal);
  }

  /** Keeps bytes made from the archive (a manifest for a docker-archive's image) as a blob of the store. */
  keep(bytes: Buffer, mediaType: string): Descriptor {
    const digest = digestOf(bytes);
    this.located.set(digest, { bytes });
    return { mediaType, digest, size: bytes.length };
  }

  /**
   * A blob's bytes from the archive. A tar's range was hashed by the pass that read the archive whole,
   * through this same handle, before anything was pushed; it is read again unhashed, for a registry that
   * checks its digest as it arrives (a manifest ferry reads itself is checked again: readManifest). A
   * layout folder's file, or bytes made here, are verified as they pass. A range of another size than
   * the pass found is refused.
   */
  openBlob(blob: Descriptor): Readable {
    const found = this.located.get(blob.digest);
    if (found === undefined) throw new Error(`${this.file} lacks ${blob.digest}`);
    const size = 'bytes' in found ? found.bytes.length : found.size;
    if (size !== blob.size) throw new Error(`${this.file}: blob ${blob.digest} is ${size} bytes, not ${blob.size}`);
    const verifier = new DigestVerifier(blob.digest, blob.size, (reason) => new Error(`${this.file}: blob ${blob.digest}: ${reason}`));
    const content =
      'bytes' in found
        ? Readable.from([found.bytes])
        : found.size === 0
          ? Readable.from([])
          : 'path' in found
            ? fileOf(found.path, found.size, this.signal)
            : rangeOf(this.handle, found.offset, found.size, this.signal);
    return 'offset' in found ? content : verified(content, verifier);
  }
}

/**
 * What one read of a blob's range takes from the file at most. An upload holds a read or two in its
 * pipeline, eight uploads at once; each read is a new buffer, freed only when V8 collects the young
 * objects that held it, and a 64 KiB read keeps that garbage to a few MiB where 256 KiB reads let
 * import of large layers peak 25 MiB above one of small layers (docs/performance.md).
 */
export const readSize = 64 * 1024;

/**
 * `size` bytes of a file from `offset`, read `readSize` at a time as the reader asks, one read ahead.
 * The file is a handle the archive holds, or one opened for this stream alone (a layout folder's blob
 * file, opened without following a link, closed when the stream ends). Not `handle.createReadStream`,
 * which leaves a listener on the handle for every stream it ever made: an archive of many blobs would
 * keep every stream alive until it is closed.
 */
class RangeStream extends Readable {
  private handle: ByteReader | undefined;
  private at: number;
  private readonly end: number;

  constructor(
    private readonly file: ByteReader | (() => Promise<ByteReader>),
    offset: number,
    size: number,
    private readonly signal: AbortSignal | undefined,
  ) {
    super({ highWaterMark: readSize });
    this.at = offset;
    this.end = offset + size;
  }

  override _construct(callback: (error?: Error | null) => void): void {
    if (typeof this.file !== 'function') {
      this.handle = this.file;
      callback();
      return;
    }
    this.file().then(
      (handle) => {
        this.handle = handle;
        callback();
      },
      (error: unknown) => callback(error as Error),
    );
  }

  override _read(): void {
    if (this.at >= this.end) {
      this.push(null);
      return;
    }
    if (this.signal?.aborted) {
      this.destroy(this.signal.reason as Error);
      return;
    }
    const length = Math.min(readSize, this.end - this.at);
    const at = this.at;
    this.at += length;
    readExactly(this.handle as ByteReader, length, at).then(
      (bytes) => this.push(bytes),
      (error: unknown) => this.destroy(error as Error),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const owned = typeof this.file === 'function' ? this.handle : undefined;
    if (owned === undefined) {
      callback(error);
      return;
    }
    owned.close().then(
      () => callback(error),
      () => callback(error),
    );
  }
}

function rangeOf(handle: ByteReader, offset: number, size: number, signal: AbortSignal | undefined): Readable {
  return new RangeStream(handle, offset, size, signal);
}

/** A layout folder's blob file, opened without following a link, read as a range is, closed at its end. */
function fileOf(file: string, size: number, signal: AbortSignal | undefined): Readable {
  return new RangeStream(() => open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK), 0, size, signal);
}

export async function collect(stream: AsyncIterable<unknown>, limit: number, fail: () => Error): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += (chunk as Buffer).length;
    if (total > limit) throw fail();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Reads the archive once, checking every entry and verifying every blob; returns the JSON files read. */
export async function index(file: string, blobs: TarBlobs, maxBlobBytes: number): Promise<Map<string, Buffer>> {
  const json = new Map<string, Buffer>();
  const seen = new Set<string>();
  try {
    await readTar(
      blobs.handle,
      (entry) => {
        const name = entryName(entry.name);
        if (typeof name !== 'string') throw new ArchiveError(file, `the archive holds ${name.refused}`);
        if (name === '' && entry.type !== 'directory') throw new ArchiveError(file, 'the archive holds an entry with no name');
        if (name === '') return undefined;
        if (seen.has(name)) throw new ArchiveError(file, `the archive holds ${name} twice`);
        seen.add(name);
        if (entry.type === 'directory') return undefined;
        // Links are kept by name, never followed here: only a docker-archive may use them, each resolved inside the archive.
        if (entry.type === 'link' || entry.type === 'symlink') {
          blobs.links.set(name, { type: entry.type, target: entry.linkName ?? '' });
          return undefined;
        }
        if (entry.type !== 'file')
          throw new ArchiveError(file, `the archive holds a ${entry.type} (${name}); only files and folders are accepted`);
        if (entry.size > maxBlobBytes)
          throw new ArchiveError(file, `${name} is ${entry.size} bytes, more than the ${maxBlobBytes} ferry accepts (max-blob-bytes)`);
        if (jsonFiles.has(name)) {
          if (entry.size > maxManifestBytes) throw new ArchiveError(file, `${name} is larger than ${maxManifestBytes} bytes`);
          const chunks: Buffer[] = [];
          return { update: (chunk) => chunks.push(Buffer.from(chunk)), end: () => void json.set(name, Buffer.concat(chunks)) };
        }
        const blob = ociBlob.exec(name) ?? kbldLayer.exec(name);
        if (blob === null) {
          // Any other file is kept by name with its sha256: a docker-archive names its configs and layers so.
          const hash = createHash('sha256');
          return {
            update: (chunk) => hash.update(chunk),
            end: () => void blobs.files.set(name, { offset: entry.offset, size: entry.size, digest: `sha256:${hash.digest('hex')}` }),
          };
        }
        const digest = `${blob[1]}:${blob[2]}`;
        if (digestError(digest) !== undefined) throw new ArchiveError(file, `${name} is not named by a digest`);
        const hash: Hash = createHash(blob[1] ?? 'sha256');
        return {
          update: (chunk) => hash.update(chunk),
          end: () => {
            const actual = `${blob[1]}:${hash.digest('hex')}`;
            if (actual !== digest) throw new ArchiveError(file, `${name} holds ${actual}: its content does not match its name`);
            blobs.located.set(digest, { offset: entry.offset, size: entry.size });
            blobs.files.set(name, { offset: entry.offset, size: entry.size, digest });
          },
        };
      },
      blobs.signal,
    );
  } catch (error) {
    if (error instanceof ArchiveError || blobs.signal?.aborted) throw error;
    throw new ArchiveError(file, `not a complete tar archive (${(error as Error).message})`);
  }
  return json;
}
