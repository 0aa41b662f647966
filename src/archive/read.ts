// Reads an archive in one pass, front to back, refusing anything hostile before a single push: paths
// that climb out or are absolute, links, devices, duplicate names, blobs whose content is not their
// name, oversized JSON, truncated tars, and indexes that point at blobs the archive lacks. Nothing is
// extracted: each blob is verified as the pass reads it, and later read from its byte range in the tar
// (verified again as it is sent). Reads ferry's OCI layout tars and the tars of `kbld pkg` /
// `imgpkg copy --to-tar`.
import { type Hash, createHash } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { readExactly, readTar } from './tar-reader.js';
import { type Descriptor, type Platform, defaultMaxBlobBytes } from '../oci/descriptor.js';
import { maxManifestBytes } from '../oci/limits.js';
import { DigestVerifier, digestOf, verified } from '../oci/digest.js';
import { isSchema1, ociIndex, schema1Refusal } from '../oci/media-types.js';
import { type ImageSink, type ImageSource, type PutResult, type TaggedArtifact, digestTag, isDigestTagOf } from '../copy/endpoint.js';
import type { Manifest } from '../oci/manifest.js';
import { ManifestBudget } from '../copy/budget.js';
import { Copier } from '../copy/walker.js';
import { isFilterOf } from '../copy/platforms.js';
import { anchoredTag, digestError, parseReference } from '../reference.js';
import { quoted } from '../untrusted-text.js';
import { type ArchivedArtifact, refNameAnnotation, sourceAnnotation, subjectAnnotation } from './layout-index.js';

export interface ArchiveImage {
  readonly descriptor: Descriptor;
  /** The image string the archive names it by (ferry: as found in the YAML). */
  readonly refName?: string;
  /** Pinned references the image was packaged from. */
  readonly sources: readonly string[];
}

export interface Archive {
  /** The archive's blobs, with the referrers and digest tags its index lists. */
  readonly source: ImageSource;
  readonly images: readonly ArchiveImage[];
  readonly artifacts: readonly ArchivedArtifact[];
  readonly format: 'oci-layout' | 'kbld';
  /**
   * Whether the archive's `image` is the manifest `digest` pins: that manifest itself, or what a platform
   * filter made of it, checked against the pinned manifest's own bytes in the archive (with `platforms`,
   * the filter of exactly those). An annotation saying where an image came from is the archive's word,
   * never enough by itself.
   */
  readonly satisfies: (image: ArchiveImage, digest: string, platforms?: readonly Platform[]) => Promise<boolean>;
  /** Closes the archive's file, once the run is done with it. */
  readonly close: () => Promise<void>;
}

export class ArchiveError extends Error {
  constructor(file: string, reason: string) {
    super(`${file}: ${reason}; nothing was pushed`);
    this.name = 'ArchiveError';
  }
}

const jsonFiles = new Set(['index.json', 'oci-layout', 'manifest.json']);
const ociBlob = /^blobs\/(sha256|sha384|sha512)\/([a-f0-9]+)$/;
const kbldLayer = /^(sha256|sha384|sha512)-([a-f0-9]+)\.tar\.gz$/;

/** An entry's name, normalized, or the reason it is refused. */
function entryName(raw: string): string | { refused: string } {
  const name = raw.replace(/^\.\//, '').replace(/\/+$/, '');
  if (name === '' || name === '.') return { refused: 'an entry with no name' };
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) return { refused: `an absolute path (${raw})` };
  if (name.split('/').some((part) => part === '..' || part === '') || raw.includes('\\'))
    return { refused: `a path outside the archive (${raw})` };
  return name;
}

/** Where a blob is: its byte range in the tar, or (kbld's inline manifests and configs) its bytes. */
type Located = { readonly offset: number; readonly size: number } | { readonly bytes: Buffer };

/** The archive's blobs by digest: read from their byte ranges, never extracted. */
class TarBlobs {
  readonly located = new Map<string, Located>();
  /** Each manifest read and parsed once, however many entries and walks name it. */
  private readonly manifests = new Map<string, Promise<Manifest>>();
  /** The archive is opened once and read through this handle alone: what the pass checked is what is sent. */
  constructor(
    readonly file: string,
    readonly handle: FileHandle,
    readonly signal: AbortSignal | undefined,
  ) {}

  size(digest: string): number | undefined {
    const found = this.located.get(digest);
    return found === undefined ? undefined : 'bytes' in found ? found.bytes.length : found.size;
  }

  getManifest(digest: string, mediaType?: string): Promise<Manifest> {
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
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    } catch {
      throw new Error(`${this.file}: manifest ${digest} is not JSON`);
    }
    const type = typeof json.mediaType === 'string' ? json.mediaType : (mediaType ?? '');
    if (isSchema1(type) || json.schemaVersion === 1) throw new Error(`${this.file}: ${schema1Refusal}`);
    if (type === '') throw new Error(`${this.file}: manifest ${digest} has no media type`);
    return { descriptor: { mediaType: type, digest, size: bytes.length }, bytes, json };
  }

  /** A blob's bytes from the tar, verified again as they are read (the file could have changed since the pass). */
  openBlob(blob: Descriptor): Readable {
    const found = this.located.get(blob.digest);
    if (found === undefined) throw new Error(`${this.file} lacks ${blob.digest}`);
    const verifier = new DigestVerifier(blob.digest, blob.size, (reason) => new Error(`${this.file}: blob ${blob.digest}: ${reason}`));
    const content =
      'bytes' in found
        ? Readable.from([found.bytes])
        : found.size === 0
          ? Readable.from([])
          : rangeOf(this.handle, found.offset, found.size, this.signal);
    return verified(content, verifier);
  }
}

/** What one read of a blob's range takes from the file at most. */
const readSize = 1024 * 1024;

/**
 * `size` bytes of the file from `offset`, read a MiB at a time as the reader asks. Not
 * `handle.createReadStream`, which leaves a listener on the handle for every stream it ever made: an
 * archive of many blobs would keep every stream alive until it is closed.
 */
function rangeOf(handle: FileHandle, offset: number, size: number, signal: AbortSignal | undefined): Readable {
  return Readable.from(
    (async function* () {
      for (let at = offset, end = offset + size; at < end; at += readSize) {
        signal?.throwIfAborted();
        yield await readExactly(handle, Math.min(readSize, end - at), at);
      }
    })(),
    { objectMode: false },
  );
}

async function collect(stream: AsyncIterable<unknown>, limit: number, fail: () => Error): Promise<Buffer> {
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
async function index(file: string, blobs: TarBlobs, maxBlobBytes: number): Promise<Map<string, Buffer>> {
  const json = new Map<string, Buffer>();
  const seen = new Set<string>();
  try {
    await readTar(
      blobs.handle,
      (entry) => {
        const name = entryName(entry.name);
        if (typeof name !== 'string') throw new ArchiveError(file, `the archive holds ${name.refused}`);
        if (seen.has(name)) throw new ArchiveError(file, `the archive holds ${name} twice`);
        seen.add(name);
        if (entry.type === 'directory') return undefined;
        if (entry.type !== 'file')
          throw new ArchiveError(file, `the archive holds a ${entry.type} (${entry.name}); only files and folders are accepted`);
        if (entry.size > maxBlobBytes)
          throw new ArchiveError(file, `${name} is ${entry.size} bytes, more than the ${maxBlobBytes} ferry accepts (max-blob-bytes)`);
        if (jsonFiles.has(name)) {
          if (entry.size > maxManifestBytes) throw new ArchiveError(file, `${name} is larger than ${maxManifestBytes} bytes`);
          const chunks: Buffer[] = [];
          return { update: (chunk) => chunks.push(Buffer.from(chunk)), end: () => void json.set(name, Buffer.concat(chunks)) };
        }
        const blob = ociBlob.exec(name) ?? kbldLayer.exec(name);
        if (blob === null) return undefined;
        const digest = `${blob[1]}:${blob[2]}`;
        if (digestError(digest) !== undefined) throw new ArchiveError(file, `${name} is not named by a digest`);
        const hash: Hash = createHash(blob[1] ?? 'sha256');
        return {
          update: (chunk) => hash.update(chunk),
          end: () => {
            const actual = `${blob[1]}:${hash.digest('hex')}`;
            if (actual !== digest) throw new ArchiveError(file, `${name} holds ${actual}: its content does not match its name`);
            blobs.located.set(digest, { offset: entry.offset, size: entry.size });
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

function parseJson<T>(file: string, name: string, bytes: Buffer | undefined): T {
  if (bytes === undefined) throw new ArchiveError(file, `the archive has no ${name}`);
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch {
    throw new ArchiveError(file, `${name} is not JSON`);
  }
}

interface KbldImage {
  Refs?: string[];
  Layers?: { MediaType: string; Digest: string; Size: number }[];
  Config?: { Digest: string; Raw: string };
  Manifest?: { MediaType: string; Digest: string; Raw: string };
}
interface KbldIndex {
  Refs?: string[];
  Images?: KbldImage[];
  Indexes?: KbldIndex[];
  MediaType: string;
  Digest: string;
  Raw: string;
}

/** kbld/imgpkg keep manifests and configs inline in manifest.json: kept as blobs, verified. */
async function storeKbldRaw(file: string, store: TarBlobs, digest: unknown, raw: unknown): Promise<Descriptor> {
  if (typeof digest !== 'string' || digestError(digest) !== undefined || typeof raw !== 'string')
    throw new ArchiveError(file, 'manifest.json names a manifest or config without a valid Digest and Raw');
  const bytes = Buffer.from(raw, 'utf8');
  const actual = digestOf(bytes, digest.slice(0, digest.indexOf(':')));
  if (actual !== digest) throw new ArchiveError(file, `manifest.json holds ${actual} where it names ${digest}`);
  store.located.set(digest, { bytes });
  return { mediaType: '', digest, size: bytes.length };
}

async function readKbld(file: string, store: TarBlobs, manifest: Buffer | undefined): Promise<ArchiveImage[]> {
  const entries = parseJson<{ Image?: KbldImage | null; ImageIndex?: KbldIndex | null }[]>(file, 'manifest.json', manifest);
  if (!Array.isArray(entries)) throw new ArchiveError(file, 'manifest.json is not a list of images');
  const storeImage = async (image: KbldImage): Promise<Descriptor> => {
    if (!image.Manifest || !image.Config) throw new ArchiveError(file, 'manifest.json has an image without Manifest or Config');
    await storeKbldRaw(file, store, image.Config.Digest, image.Config.Raw);
    const stored = await storeKbldRaw(file, store, image.Manifest.Digest, image.Manifest.Raw);
    return { mediaType: image.Manifest.MediaType, digest: stored.digest, size: stored.size };
  };
  const storeIndex = async (index: KbldIndex): Promise<Descriptor> => {
    for (const child of index.Indexes ?? []) await storeIndex(child);
    for (const child of index.Images ?? []) await storeImage(child);
    const stored = await storeKbldRaw(file, store, index.Digest, index.Raw);
    return { mediaType: index.MediaType, digest: stored.digest, size: stored.size };
  };
  const images: ArchiveImage[] = [];
  for (const entry of entries) {
    if (entry.ImageIndex) images.push({ descriptor: await storeIndex(entry.ImageIndex), sources: entry.ImageIndex.Refs ?? [] });
    else if (entry.Image) images.push({ descriptor: await storeImage(entry.Image), sources: entry.Image.Refs ?? [] });
    else throw new ArchiveError(file, 'manifest.json has an entry that is neither Image nor ImageIndex');
  }
  return images;
}

/** An annotation of an index.json entry: a string, or absent; anything else is refused. */
function annotation(file: string, entry: { annotations?: unknown }, key: string): string | undefined {
  const annotations = entry.annotations;
  if (annotations === undefined) return undefined;
  if (typeof annotations !== 'object' || annotations === null)
    throw new ArchiveError(file, 'index.json has an entry whose annotations are not a map');
  const value = (annotations as Record<string, unknown>)[key];
  if (value !== undefined && typeof value !== 'string')
    throw new ArchiveError(file, `index.json has an entry whose ${key} is not a string`);
  return value;
}

function readLayout(file: string, json: Map<string, Buffer>): { images: ArchiveImage[]; artifacts: ArchivedArtifact[] } {
  const layout = parseJson<{ imageLayoutVersion?: string }>(file, 'oci-layout', json.get('oci-layout'));
  if (typeof layout.imageLayoutVersion !== 'string') throw new ArchiveError(file, 'oci-layout names no imageLayoutVersion');
  const index = parseJson<{ manifests?: (Descriptor & { annotations?: unknown })[] }>(file, 'index.json', json.get('index.json'));
  if (!Array.isArray(index.manifests)) throw new ArchiveError(file, 'index.json lists no manifests');
  // Each image and artifact once, however many times index.json repeats it.
  const images = new Map<string, ArchiveImage>();
  const artifacts = new Map<string, ArchivedArtifact>();
  for (const entry of index.manifests) {
    if (
      typeof entry !== 'object' ||
      entry === null ||
      typeof entry.digest !== 'string' ||
      digestError(entry.digest) !== undefined ||
      typeof entry.mediaType !== 'string' ||
      typeof entry.size !== 'number'
    ) {
      throw new ArchiveError(file, 'index.json has an entry without a valid mediaType, digest and size');
    }
    const refName = annotation(file, entry, refNameAnnotation);
    const source = annotation(file, entry, sourceAnnotation);
    const subject = annotation(file, entry, subjectAnnotation);
    const descriptor = {
      mediaType: entry.mediaType,
      digest: entry.digest,
      size: entry.size,
      ...(typeof entry.artifactType === 'string' ? { artifactType: entry.artifactType } : {}),
    };
    if (subject !== undefined) {
      if (digestError(subject) !== undefined) throw new ArchiveError(file, `index.json names a subject that is not a digest`);
      // An artifact is tagged as from a registry, by a digest tag of its subject: never one of the images' own tags.
      if (refName !== undefined && !(anchoredTag.test(refName) && isDigestTagOf(refName, subject)))
        throw new ArchiveError(
          file,
          `index.json gives the artifact ${entry.digest} the tag ${quoted(refName)}, which is not a digest tag of its subject ${subject} (${digestTag(subject)}.<suffix>)`,
        );
      artifacts.set(`${subject} ${refName ?? ''} ${entry.digest}`, {
        descriptor,
        subject,
        ...(refName === undefined ? {} : { tag: refName }),
      });
    } else {
      const key = `${entry.digest} ${refName ?? ''} ${source ?? ''}`;
      if (!images.has(key))
        images.set(key, { descriptor, ...(refName === undefined ? {} : { refName }), sources: source === undefined ? [] : [source] });
    }
  }
  return { images: [...images.values()], artifacts: [...artifacts.values()] };
}

/** An archive as a source: its blobs, and what its index says travels with each manifest. */
class ArchiveSource implements ImageSource {
  readonly key: string;
  private readonly bySubject = new Map<string, ArchivedArtifact[]>();
  constructor(
    private readonly store: TarBlobs,
    artifacts: readonly ArchivedArtifact[],
  ) {
    this.key = `archive:${store.file}`;
    for (const artifact of artifacts) {
      const list = this.bySubject.get(artifact.subject) ?? [];
      list.push(artifact);
      this.bySubject.set(artifact.subject, list);
    }
  }
  getManifest(digest: string, mediaType?: string): Promise<Manifest> {
    return this.store.getManifest(digest, mediaType);
  }
  openBlob(blob: Descriptor): Readable {
    return this.store.openBlob(blob);
  }
  async referrers(digest: string): Promise<Descriptor[]> {
    return (this.bySubject.get(digest) ?? []).filter((artifact) => artifact.tag === undefined).map((artifact) => artifact.descriptor);
  }
  async digestTags(digest: string, signaturesOnly: boolean): Promise<TaggedArtifact[]> {
    return (this.bySubject.get(digest) ?? [])
      .filter(
        (artifact): artifact is ArchivedArtifact & { tag: string } =>
          artifact.tag !== undefined && isDigestTagOf(artifact.tag, digest) && (!signaturesOnly || artifact.tag.endsWith('.sig')),
      )
      .map((artifact) => ({ tag: artifact.tag, descriptor: artifact.descriptor }));
  }
}

/** Fails on the first blob an image needs that the archive lacks (or holds at another size). */
class CompletenessCheck implements ImageSink {
  readonly key = 'completeness-check';
  constructor(
    private readonly file: string,
    private readonly store: TarBlobs,
  ) {}
  async resolve(): Promise<Descriptor | undefined> {
    return undefined;
  }
  async hasBlob(blob: Descriptor): Promise<boolean> {
    if (this.store.size(blob.digest) !== blob.size)
      throw new ArchiveError(this.file, `the archive lacks ${blob.digest} (${blob.size} bytes), which an image needs`);
    return true;
  }
  async putBlob(): Promise<PutResult> {
    throw new Error('a completeness check writes nothing');
  }
  async putManifest(): Promise<{ listed: boolean }> {
    return { listed: true };
  }
}

export interface ReadOptions {
  readonly maxBlobBytes?: number;
  /** The run's budget of manifests, shared with its other walks. */
  readonly budget?: ManifestBudget;
  /** The run's deadline: every read of the archive stops once it aborts. */
  readonly signal?: AbortSignal;
}

export async function readArchive(file: string, options: ReadOptions = {}): Promise<Archive> {
  const handle = await open(file, 'r');
  try {
    return await readOpen(file, handle, options);
  } catch (error) {
    await handle.close();
    throw error;
  }
}

async function readOpen(file: string, handle: FileHandle, options: ReadOptions): Promise<Archive> {
  const { maxBlobBytes = defaultMaxBlobBytes, budget = new ManifestBudget(), signal } = options;
  const store = new TarBlobs(file, handle, signal);
  const json = await index(file, store, maxBlobBytes);
  const format = json.has('manifest.json') && !json.has('index.json') ? 'kbld' : 'oci-layout';
  const { images, artifacts } =
    format === 'kbld' ? { images: await readKbld(file, store, json.get('manifest.json')), artifacts: [] } : readLayout(file, json);
  const source = new ArchiveSource(store, artifacts);
  // Walk every image, and all that travels with it, as unpackaging will, before anything is pushed:
  // each manifest once, however many entries name it.
  const check = new CompletenessCheck(file, store);
  const walker = new Copier({ concurrency: 4, maxBlobBytes, artifacts: 'all', budget });
  const walked = new Map<string, Descriptor>();
  for (const image of images) {
    signal?.throwIfAborted();
    const { digest, mediaType, size } = image.descriptor;
    const seen = walked.get(digest);
    // One digest, one manifest: entries that name it with another type or size are refused, not walked.
    if (seen !== undefined && (seen.mediaType !== mediaType || seen.size !== size))
      throw new ArchiveError(file, `index.json names ${digest} as ${seen.mediaType} of ${seen.size} bytes and as ${mediaType} of ${size}`);
    if (seen !== undefined) continue;
    walked.set(digest, image.descriptor);
    try {
      await walker.copy({ source, sink: check, digest, mediaType });
    } catch (error) {
      throw error instanceof ArchiveError || signal?.aborted ? error : new ArchiveError(file, (error as Error).message);
    }
    const top = await store.getManifest(digest, mediaType);
    if (top.bytes.length !== size) throw new ArchiveError(file, `the index gives ${digest} ${size} bytes; it has ${top.bytes.length}`);
  }
  const satisfies = async (image: ArchiveImage, digest: string, platforms?: readonly Platform[]): Promise<boolean> => {
    if (image.descriptor.digest === digest) return true;
    if (!image.sources.some((reference) => parseReference(reference).digest === digest) || store.size(digest) === undefined) return false;
    try {
      const [pinned, held] = await Promise.all([
        store.getManifest(digest, ociIndex),
        store.getManifest(image.descriptor.digest, image.descriptor.mediaType),
      ]);
      return await isFilterOf(pinned, held, platforms);
    } catch {
      return false; // the pinned manifest is not an index whose filter this could be
    }
  };
  return { source, images, artifacts, format, satisfies, close: () => handle.close() };
}
