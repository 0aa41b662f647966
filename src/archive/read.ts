// Reads an archive in one pass, front to back, refusing anything hostile before a single push (the tar
// pass: tar-blobs.ts; ferry's OCI layout: layout-read.ts; kbld's and imgpkg's tarballs: kbld-format.ts),
// then walks every image as unpackaging will, so that an archive that lacks a blob an image needs is
// refused before anything is pushed. An archive is untrusted: a pinned digest is satisfied only by that
// manifest or a platform filter of it checked against its bytes.
import { open } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { type ImageSink, type ImageSource, type PutResult, type TaggedArtifact, isDigestTagOf } from '../copy/endpoint.js';
import { ManifestBudget } from '../copy/budget.js';
import { isFilterOf } from '../copy/platforms.js';
import { Copier } from '../copy/walker.js';
import { type Descriptor, type Platform, defaultMaxBlobBytes } from '../oci/descriptor.js';
import type { Manifest } from '../oci/manifest.js';
import { ociIndex } from '../oci/media-types.js';
import { parseReference } from '../reference.js';
import { ArchiveError } from './archive-error.js';
import { type DeltaRecord, deltaFile, readDelta } from './delta.js';
import { checkDockerAgrees, isDockerManifest, readDockerArchive } from './docker-archive.js';
import { readKbld } from './kbld-format.js';
import type { ArchiveImage, ArchivedArtifact } from './layout-index.js';
import { indexLayoutFolder } from './layout-dir.js';
import { readLayout } from './layout-read.js';
import { TarBlobs, index } from './tar-blobs.js';
import { type ByteReader, openParts } from './spanned-file.js';

export { ArchiveError };

export interface Archive {
  /** The file (or folder, or first part's name without its number) the archive was read from. */
  readonly file: string;
  /** The archive's blobs, with the referrers and digest tags its index lists. */
  readonly source: ImageSource;
  readonly images: readonly ArchiveImage[];
  readonly artifacts: readonly ArchivedArtifact[];
  /** ferry's and other tools' OCI layouts, kbld's and imgpkg's tarballs, `docker save` and its kin. */
  readonly format: 'oci-layout' | 'kbld' | 'docker-archive';
  /**
   * Whether the archive's `image` is the manifest `digest` pins: that manifest itself, or what a platform
   * filter made of it, checked against the pinned manifest's own bytes in the archive (with `platforms`,
   * the filter of exactly those). An annotation saying where an image came from is the archive's word,
   * never enough by itself.
   */
  readonly satisfies: (image: ArchiveImage, digest: string, platforms?: readonly Platform[]) => Promise<boolean>;
  /** A delta's record: the blobs it left out that its images need, which the site holds (package with since). */
  readonly delta?: DeltaRecord;
  /** Closes the archive's file, once the run is done with it. */
  readonly close: () => Promise<void>;
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
    /** A delta's blobs left out, by digest with their sizes: the site holds them, which unpackage checks. */
    private readonly leftOut: ReadonlyMap<string, number>,
  ) {}
  /** The left-out blobs some image needs: the only ones of the record worth looking for at the destination. */
  readonly leftOutNeeded = new Set<string>();
  async resolve(): Promise<Descriptor | undefined> {
    return undefined;
  }
  async hasBlob(blob: Descriptor): Promise<boolean> {
    if (this.store.size(blob.digest) === undefined && this.leftOut.get(blob.digest) === blob.size) {
      this.leftOutNeeded.add(blob.digest);
      return true;
    }
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

/**
 * Reads the archive `file`, or, given `parts`, the parts it was written in as one archive (an archive
 * that ends early then says a part after the last may be missing).
 */
export async function readArchive(
  file: string,
  options: ReadOptions & { readonly parts?: readonly string[]; readonly folder?: boolean } = {},
): Promise<Archive> {
  const { parts } = options;
  const handle: ByteReader = options.folder
    ? noFile
    : parts === undefined || parts.length === 0
      ? await open(file, 'r')
      : await openParts(parts);
  try {
    return await readOpen(file, handle, options);
  } catch (error) {
    await handle.close();
    // The reason alone is read: the message names the archive, whose name may say anything.
    if (parts !== undefined && parts.length > 0 && error instanceof ArchiveError && /\bends\b|early|in the middle/.test(error.reason))
      throw new ArchiveError(
        file,
        `${error.reason}; read from ${parts.length} parts, ${path.basename(parts[0] ?? '')} to ${path.basename(parts.at(-1) ?? '')}: a part after the last may be missing, or the last cut short`,
        { cause: error },
      );
    throw error;
  }
}

/** A layout folder has no one file: its blobs are files of their own. */
const noFile: ByteReader = {
  read: () => Promise.reject(new Error('a layout folder is read file by file')),
  stat: async () => ({ size: 0 }),
  close: async () => undefined,
};

async function readOpen(file: string, handle: ByteReader, options: ReadOptions & { readonly folder?: boolean }): Promise<Archive> {
  const { maxBlobBytes = defaultMaxBlobBytes, budget = new ManifestBudget(), signal } = options;
  const store = new TarBlobs(file, handle, signal);
  const json = options.folder ? await indexLayoutFolder(file, store, maxBlobBytes, signal) : await index(file, store, maxBlobBytes);
  const manifestJson = json.get('manifest.json');
  const format: Archive['format'] = json.has('index.json')
    ? 'oci-layout'
    : isDockerManifest(file, manifestJson)
      ? 'docker-archive'
      : manifestJson !== undefined
        ? 'kbld'
        : 'oci-layout';
  // Only a docker-archive may link one entry to another (older `docker save` links duplicate layers).
  const [linked] = store.links;
  if (format !== 'docker-archive' && linked !== undefined)
    throw new ArchiveError(file, `the archive holds a ${linked[1].type} (${linked[0]}); only files and folders are accepted`);
  const { images, artifacts } =
    format === 'kbld'
      ? { images: await readKbld(file, store, manifestJson), artifacts: [] }
      : format === 'docker-archive'
        ? { images: await readDockerArchive(file, store, manifestJson, maxBlobBytes), artifacts: [] }
        : readLayout(file, json);
  // Docker 25 on writes manifest.json beside index.json: the two must say the same of every name.
  // Whatever shape it has: an entry spelled otherwise than Docker spells it is still Docker's to Go.
  if (format === 'oci-layout' && manifestJson !== undefined)
    await checkDockerAgrees(file, store, manifestJson, images).catch((error: unknown) => {
      throw error instanceof ArchiveError || signal?.aborted ? error : new ArchiveError(file, (error as Error).message);
    });
  const source = new ArchiveSource(store, artifacts);
  const delta = json.has(deltaFile) ? readDelta(file, json.get(deltaFile)) : undefined;
  // Walk every image, and all that travels with it, as unpackaging will, before anything is pushed:
  // each manifest once, however many entries name it.
  const check = new CompletenessCheck(file, store, new Map((delta?.blobs ?? []).map((blob) => [blob.digest, blob.size])));
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
  // Of the record, only what the images need: a record may list any number of blobs, each of which
  // would cost a request at the destination.
  const needed = delta === undefined ? undefined : { ...delta, blobs: delta.blobs.filter((blob) => check.leftOutNeeded.has(blob.digest)) };
  return {
    file,
    source,
    images,
    artifacts,
    format,
    satisfies,
    ...(needed === undefined ? {} : { delta: needed }),
    close: () => handle.close(),
  };
}
