// The archive written in place: its layout is fixed before the first blob arrives (every digest and
// size is in the manifests a first walk read), so the headers, the manifests, index.json and oci-layout
// are written at once, and each blob is written once, at its offset, as it streams in from the
// registry, its digest verified on the way. The file is a temporary one beside the archive, renamed
// into place at the commit point. With the Actions cache, the blob store keeps a copy of each blob
// as it passes (and serves the blobs it already has), so a second packaging pulls nothing.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { type FileHandle, mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import type { ImageSink, PutResult } from '../copy/endpoint.js';
import type { Descriptor } from '../oci/descriptor.js';
import { DigestVerifier } from '../oci/digest.js';
import { type BlobStore, freeBytes } from './store.js';
import { type TarLayout, planLayout, ustarHeader } from './tar-layout.js';
import { type ArchivedArtifact, type ArchivedImage, layoutIndex } from './layout-index.js';

/** What a first walk of the images found: every blob with its size, and the manifests' bytes. */
export interface ArchiveContents {
  readonly blobs: ReadonlyMap<string, number>;
  readonly manifests: ReadonlyMap<string, Buffer>;
  readonly images: readonly ArchivedImage[];
  readonly artifacts: readonly ArchivedArtifact[];
}

const ociLayout = Buffer.from('{"imageLayoutVersion":"1.0.0"}');

export class ArchiveFile implements ImageSink {
  readonly key: string;
  /** Blobs whose content is in place. */
  private readonly written = new Set<string>();

  private constructor(
    readonly file: string,
    readonly temporary: string,
    private readonly layout: TarLayout,
    private readonly sizes: ReadonlyMap<string, number>,
    private readonly cache: BlobStore | undefined,
  ) {
    this.key = `archive:${file}`;
  }

  /** Lays out the archive in a temporary file beside `file`: everything but the blobs' content. */
  static async create(file: string, contents: ArchiveContents, cache?: BlobStore): Promise<ArchiveFile> {
    await mkdir(path.dirname(file), { recursive: true });
    const index = layoutIndex(contents.images, contents.artifacts);
    const layout = planLayout(contents.blobs, index.length, ociLayout.length);
    const free = await freeBytes(path.dirname(file));
    if (layout.size > free) throw new Error(`${file}: the archive needs ${layout.size} bytes and only ${free} are free on the disk`);
    const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}`);
    const archive = new ArchiveFile(file, temporary, layout, contents.blobs, cache);
    let handle: FileHandle | undefined;
    try {
      handle = await open(temporary, 'wx');
      // The whole size at once: the blobs' regions are holes until their content arrives.
      await handle.truncate(layout.size);
      for (const entry of layout.entries) await handle.write(ustarHeader(entry.name, entry.size, entry.type), 0, 512, entry.offset);
      const content = (name: string): number => (layout.entries.find((entry) => entry.name === name)?.offset ?? 0) + 512;
      await handle.write(index, 0, index.length, content('index.json'));
      await handle.write(ociLayout, 0, ociLayout.length, content('oci-layout'));
      for (const [digest, bytes] of contents.manifests) {
        await handle.write(bytes, 0, bytes.length, archive.contentAt({ mediaType: '', digest, size: bytes.length }));
        archive.written.add(digest);
      }
    } catch (error) {
      await handle?.close().catch(() => undefined);
      await rm(temporary, { force: true });
      throw error;
    }
    await handle.close();
    return archive;
  }

  /** Where a blob's content goes; its size must be the one it was laid out with, so it cannot run past its region. */
  private contentAt(blob: Descriptor): number {
    const at = this.layout.contentAt.get(blob.digest);
    if (at === undefined) throw new Error(`${this.file}: ${blob.digest} was not among the blobs the archive was laid out for`);
    const planned = this.sizes.get(blob.digest);
    if (planned !== blob.size) throw new Error(`${this.file}: ${blob.digest} was laid out with ${planned} bytes, not ${blob.size}`);
    return at;
  }

  /** Nothing is at the destination before the run: the walk always descends. */
  async resolve(): Promise<Descriptor | undefined> {
    return undefined;
  }

  /** In place already (a manifest), or in the cache's blob store, from which it is copied into place. */
  async hasBlob(blob: Descriptor): Promise<boolean> {
    const start = this.contentAt(blob);
    if (this.written.has(blob.digest)) return true;
    if (this.cache === undefined || !(await this.cache.hasBlob(blob))) return false;
    await pipeline(this.cache.openBlob(blob), createWriteStream(this.temporary, { flags: 'r+', start }));
    this.written.add(blob.digest);
    return true;
  }

  async putBlob(blob: Descriptor, openBlob: () => Readable): Promise<PutResult> {
    const start = this.contentAt(blob);
    const verifier = new DigestVerifier(blob.digest, blob.size, (reason) => new Error(`blob ${blob.digest}: ${reason}`));
    const kept = this.cache?.keeper(blob);
    // The cache's copy is best effort: a failure there (a full disk) loses the copy, never the archive.
    let keeping = kept !== undefined;
    kept?.stream.on('error', () => {
      keeping = false;
      verifier.unpipe(kept.stream);
    });
    if (kept !== undefined) verifier.pipe(kept.stream);
    try {
      await pipeline(openBlob(), verifier, createWriteStream(this.temporary, { flags: 'r+', start }));
      if (kept !== undefined && keeping) await finished(kept.stream).catch(() => (keeping = false));
      if (kept !== undefined) await (keeping ? kept.done() : kept.discard());
    } catch (error) {
      kept?.stream.destroy();
      await kept?.discard();
      throw error;
    }
    this.written.add(blob.digest);
    return 'uploaded';
  }

  /** Manifests were written when the archive was laid out; the index lists referrers with their subjects. */
  async putManifest(descriptor: Descriptor): Promise<{ listed: boolean }> {
    if (!this.written.has(descriptor.digest)) throw new Error(`${this.file}: manifest ${descriptor.digest} was not laid out`);
    return { listed: true };
  }

  /** Every blob in place: the archive is complete (it is renamed into place at the commit point). */
  missing(): string[] {
    return [...this.layout.contentAt.keys()].filter((digest) => !this.written.has(digest));
  }

  async discard(): Promise<void> {
    await rm(this.temporary, { force: true });
  }
}

/**
 * The first walk's sink: it takes nothing and keeps what the archive will hold, every blob with its
 * size and every manifest's bytes. It says it has every blob, so the walk reads no blob; in a dry
 * run (`holds: false`) it says it has none, so the walk counts what packaging would move.
 */
export class ArchivePlanner implements ImageSink {
  readonly key: string;
  readonly blobs = new Map<string, number>();
  readonly manifests = new Map<string, Buffer>();

  constructor(
    file: string,
    private readonly holds = true,
  ) {
    this.key = `plan:${file}`;
  }

  async resolve(): Promise<Descriptor | undefined> {
    return undefined;
  }

  /** One size per digest: a source naming a blob with two sizes could otherwise write past its region. */
  private record(digest: string, size: number): void {
    const known = this.blobs.get(digest);
    if (known !== undefined && known !== size) throw new Error(`${digest} is named with two sizes, ${known} and ${size} bytes`);
    this.blobs.set(digest, size);
  }

  async hasBlob(blob: Descriptor): Promise<boolean> {
    this.record(blob.digest, blob.size);
    return this.holds;
  }

  async putBlob(blob: Descriptor): Promise<PutResult> {
    this.record(blob.digest, blob.size);
    return 'uploaded';
  }

  async putManifest(descriptor: Descriptor, bytes: Buffer): Promise<{ listed: boolean }> {
    this.record(descriptor.digest, bytes.length);
    this.manifests.set(descriptor.digest, bytes);
    return { listed: true };
  }
}

/** The commit point's part: the complete archive, synced to disk, renamed into its place. */
export async function commitArchive(temporary: string, file: string): Promise<void> {
  const handle = await open(temporary, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
}
