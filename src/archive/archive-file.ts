// The archive written in place: its layout is fixed before the first blob arrives (every digest and
// size is in the manifests a first walk read), so the headers, the manifests, index.json and oci-layout
// are written at once, and each blob is written once, at its offset, as it streams in from the
// registry, its digest verified on the way. The file is a temporary one beside the archive, renamed
// into place at the commit point. With the Actions cache, the blob store keeps a copy of each blob
// as it passes (and serves the blobs it already has), so a second packaging pulls nothing.
import { constants } from 'node:fs';
import { type FileHandle, lstat, mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { ImageSink, PutResult } from '../copy/endpoint.js';
import type { Descriptor } from '../oci/descriptor.js';
import { digestFromHash, hashFor, isDigest } from '../oci/digest.js';
import { SpannedWriter, checkSpanPlaces, commitSpans } from './spanned-file.js';
import { partialBytes, partialName, spanNames } from './span-names.js';
import { type BlobStore, freeBytes, sameDisk } from './store.js';
import { type TarLayout, entryHeader, planLayout } from './tar-layout.js';
import { type ArchivedArtifact, type ArchivedImage, layoutIndex } from './layout-index.js';

/** What a first walk of the images found: every blob with its size, and the manifests' bytes. */
export interface ArchiveContents {
  readonly blobs: ReadonlyMap<string, number>;
  readonly manifests: ReadonlyMap<string, Buffer>;
  readonly images: readonly ArchivedImage[];
  readonly artifacts: readonly ArchivedArtifact[];
  /** Files beside index.json (a delta's record). */
  readonly extras?: readonly { readonly name: string; readonly bytes: Buffer }[];
  /** Blobs left out (a delta's base holds them): the walk finds them "there", and nothing is laid out for them. */
  readonly leftOut?: ReadonlySet<string>;
}

const ociLayout = Buffer.from('{"imageLayoutVersion":"1.0.0"}');

/** How an archive is written: in parts of at most `partSize` bytes, or one file. */
export interface ArchiveFileOptions {
  readonly partSize?: number;
  readonly cache?: BlobStore;
}

export class ArchiveFile implements ImageSink {
  readonly key: string;
  /** Blobs whose content is in place. */
  private readonly written = new Set<string>();
  /** Blobs an earlier run of this archive wrote, found in place and checked by digest. */
  resumedBlobs = 0;
  resumedBytes = 0;
  /** Blobs the blob store kept no new copy of: on the archive's disk, it had room for the archive's bytes alone. */
  private readonly skippedCopies = new Set<string>();
  /** The bytes of the copies under way on the archive's disk, which its free bytes do not show yet. */
  private copying = 0;
  /** Whether the blob store is on the archive's disk, whose free bytes the archive needs first. */
  private storeSharesDisk = false;
  /** The bytes of blobs laid out and not yet in place: what the archive still needs of its disk. */
  private unwritten = 0;

  private constructor(
    readonly file: string,
    private readonly writer: SpannedWriter,
    private readonly layout: TarLayout,
    private readonly sizes: ReadonlyMap<string, number>,
    private readonly journal: FileHandle,
    private readonly cache: BlobStore | undefined,
    private readonly leftOut: ReadonlySet<string>,
  ) {
    this.key = `archive:${file}`;
  }

  /** The archive's files once in place: the archive, or its parts. */
  get files(): readonly string[] {
    return this.writer.files;
  }

  /**
   * Lays out the archive in partial files beside `file`: everything but the blobs' content. Partial
   * files an earlier run of the same archive left are kept, and each blob its journal says it wrote is
   * read back and checked against its digest: those that match are not fetched again.
   */
  static async create(file: string, contents: ArchiveContents, options: ArchiveFileOptions = {}): Promise<ArchiveFile> {
    await mkdir(path.dirname(file), { recursive: true });
    const index = layoutIndex(contents.images, contents.artifacts);
    const extras = contents.extras ?? [];
    const layout = planLayout(
      contents.blobs,
      index.length,
      ociLayout.length,
      extras.map((extra) => ({ name: extra.name, size: extra.bytes.length })),
    );
    const files = spanNames(file, layout.size, options.partSize);
    // Nothing where the archive goes that the commit could not replace: found now, not after every blob is fetched.
    await checkSpanPlaces(file, files);
    const free = await freeBytes(path.dirname(file));
    // What a stopped run's partial files hold on the disk, which this run reuses or frees.
    const kept = await partialBytes(file);
    if (layout.size > free + kept) throw new Error(`${file}: the archive needs ${layout.size} bytes and only ${free} are free on the disk`);
    const writer = await SpannedWriter.open(files, layout.size, options.partSize);
    const journalFile = journalName(file);
    let journal: FileHandle | undefined;
    try {
      // Anything but a regular file of ours where the journal goes (a link, a folder, a FIFO, a file with
      // another name elsewhere) is no journal: it is removed, never read, followed or appended to.
      const found = await lstat(journalFile).catch(() => undefined);
      const ours = found !== undefined && found.isFile() && found.nlink === 1;
      const { digests: journaled, torn } =
        writer.resumed && ours ? await readJournal(journalFile) : { digests: new Set<string>(), torn: false };
      if (!writer.resumed || (found !== undefined && !ours)) await rm(journalFile, { force: true, recursive: true });
      journal = await open(
        journalFile,
        constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK,
        0o644,
      );
      // What was opened, not what was looked at: a link made there in between is not written through.
      const opened = await journal.stat();
      if (!opened.isFile() || opened.nlink !== 1) throw new Error(`${journalFile}: not a file of this run's own; nothing was written`);
      // A line the stopped run tore is ended, so the next digest is a line of its own.
      if (torn) await appendAll(journal, '\n');
      const { cache } = options;
      const archive = new ArchiveFile(file, writer, layout, contents.blobs, journal, cache, contents.leftOut ?? new Set());
      archive.storeSharesDisk = cache !== undefined && (await sameDisk(path.dirname(file), cache.dir));
      const writes: { bytes: Buffer; position: number }[] = [];
      for (const entry of layout.entries) {
        writes.push({ bytes: entryHeader(entry.name, entry.size, entry.type), position: entry.offset });
        // Resumed, the padding after each entry is written too: what an earlier file held there is not carried into this archive.
        const padding = (512 - (entry.size % 512)) % 512;
        if (writer.resumed && padding > 0) writes.push({ bytes: Buffer.alloc(padding), position: entry.content + entry.size });
      }
      const content = (name: string): number => layout.entries.find((entry) => entry.name === name)?.content ?? 0;
      writes.push({ bytes: index, position: content('index.json') }, { bytes: ociLayout, position: content('oci-layout') });
      for (const extra of extras) writes.push({ bytes: extra.bytes, position: content(extra.name) });
      // The closing blocks: zeros the earlier run may not have left.
      writes.push({ bytes: Buffer.alloc(1024), position: layout.size - 1024 });
      for (const [digest, bytes] of contents.manifests)
        writes.push({ bytes, position: archive.contentAt({ mediaType: '', digest, size: bytes.length }) });
      writer.layOut(writes);
      for (const digest of contents.manifests.keys()) archive.written.add(digest);
      for (const digest of journaled) await archive.takeResumed(digest);
      for (const [digest, size] of contents.blobs)
        if (!archive.written.has(digest) && !archive.leftOut.has(digest)) archive.unwritten += size;
      return archive;
    } catch (error) {
      await journal?.close().catch(() => undefined);
      await writer.close();
      throw error;
    }
  }

  /** A blob an earlier run wrote, taken when its region holds exactly its bytes. */
  private async takeResumed(digest: string): Promise<void> {
    const size = this.sizes.get(digest);
    const at = this.layout.contentAt.get(digest);
    if (size === undefined || at === undefined || this.written.has(digest) || !isDigest(digest)) return;
    // Hashed a MiB at a time into one hash: a blob of gigabytes costs a MiB of memory.
    const hash = hashFor(digest);
    const chunk = Buffer.allocUnsafe(Math.min(size, 1024 * 1024));
    try {
      for (let done = 0; done < size;) {
        const length = Math.min(chunk.length, size - done);
        hash.update(await this.writer.readAt(length, at + done, chunk));
        done += length;
      }
    } catch {
      return; // the file ends early: fetched again
    }
    if (digestFromHash(digest, hash) !== digest) return; // not its bytes: fetched again
    this.written.add(digest);
    this.resumedBlobs++;
    this.resumedBytes += size;
  }

  /** Where a blob's content goes; its size must be the one it was laid out with, so it cannot run past its region. */
  private contentAt(blob: Descriptor): number {
    const at = this.layout.contentAt.get(blob.digest);
    if (at === undefined) throw new Error(`${this.file}: ${blob.digest} was not among the blobs the archive was laid out for`);
    const planned = this.sizes.get(blob.digest);
    if (planned !== blob.size) throw new Error(`${this.file}: ${blob.digest} was laid out with ${planned} bytes, not ${blob.size}`);
    return at;
  }

  /** A blob in place: noted in the journal, for a run that has to resume this archive. */
  private async done(blob: Descriptor): Promise<void> {
    if (!this.written.has(blob.digest)) this.unwritten -= blob.size;
    this.written.add(blob.digest);
    await appendAll(this.journal, `${blob.digest}\n`);
  }

  /** Nothing is at the destination before the run: the walk always descends. */
  async resolve(): Promise<Descriptor | undefined> {
    return undefined;
  }

  /** In place already (a manifest, a blob an earlier run wrote), or in the cache's blob store, from which it is copied into place. */
  async hasBlob(blob: Descriptor): Promise<boolean> {
    if (this.leftOut.has(blob.digest)) return true;
    const start = this.contentAt(blob);
    if (this.written.has(blob.digest)) return true;
    if (this.cache === undefined || !(await this.cache.hasBlob(blob))) return false;
    await this.writer.drain(this.cache.openBlob(blob), start, blob.size);
    await this.done(blob);
    return true;
  }

  /**
   * Writes a blob into its place as it streams in. Every source verifies what it hands out against its
   * digest (a registry's reads, an archive's, the blob store's), failing the stream before a wrong
   * byte ends it; the archive's part is to write no byte past the blob's place, and nothing else.
   */
  async putBlob(blob: Descriptor, openBlob: () => Readable): Promise<PutResult> {
    const start = this.contentAt(blob);
    // The cache's copy is best effort: a store it cannot write in (a file where its folder goes) loses the copy, never the archive.
    let kept: ReturnType<BlobStore['keeper']> | undefined;
    let reserved = 0;
    try {
      // On the archive's disk, a copy is kept only while the disk has room for it besides what the archive
      // still needs and the copies under way will take; its size is reserved at once, with no wait between.
      const free = this.cache !== undefined && this.storeSharesDisk ? await freeBytes(this.cache.dir) : Infinity;
      if (this.cache !== undefined && free < this.unwritten + this.copying + blob.size) this.skippedCopies.add(blob.digest);
      else {
        kept = this.cache?.keeper(blob);
        if (kept !== undefined && this.storeSharesDisk) this.copying += reserved = blob.size;
      }
    } catch {
      kept = undefined;
    }
    if (kept === undefined) {
      await this.writer.drain(openBlob(), start, blob.size);
      await this.done(blob);
      return 'uploaded';
    }
    // A failure of the copy (a full disk) loses it too.
    let keeping = true;
    kept.stream.on('error', () => (keeping = false));
    try {
      await this.writer.drain(openBlob(), start, blob.size, kept.stream);
      if (keeping) await finished(kept.stream.end()).catch(() => (keeping = false));
      // Putting the copy in its place can fail too (something the store's restore left there).
      await (keeping ? kept.done().catch(() => kept.discard()) : kept.discard());
    } catch (error) {
      kept.stream.destroy();
      await kept.discard();
      throw error;
    } finally {
      this.copying -= reserved;
    }
    await this.done(blob);
    return 'uploaded';
  }

  /** How many blobs the blob store kept no new copy of, for want of room beside the archive. */
  get storeSkipped(): number {
    return this.skippedCopies.size;
  }

  /** Manifests were written when the archive was laid out; the index lists referrers with their subjects. */
  async putManifest(descriptor: Descriptor): Promise<{ listed: boolean }> {
    if (!this.written.has(descriptor.digest)) throw new Error(`${this.file}: manifest ${descriptor.digest} was not laid out`);
    return { listed: true };
  }

  /** Every blob in place: the archive is complete (it is put in place at the commit point). */
  missing(): string[] {
    return [...this.layout.contentAt.keys()].filter((digest) => !this.written.has(digest));
  }

  /** Closes the partial files, leaving what is in them for a run that resumes this archive. */
  async close(): Promise<void> {
    await this.journal.close().catch(() => undefined);
    await this.writer.close();
  }
}

/** The journal of the blobs an archive's partial files hold, one digest a line: `.images.tar.partial-blobs`. */
export function journalName(file: string): string {
  return `${partialName(file)}-blobs`;
}

/**
 * A journal's digests; a torn last line (the run was killed while writing it) is no digest and is left
 * out, and said to be there (`torn`), so that it is ended before the next line is appended.
 */
async function readJournal(file: string): Promise<{ digests: Set<string>; torn: boolean }> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => undefined);
  if (handle === undefined) return { digests: new Set(), torn: false };
  try {
    const info = await handle.stat();
    // A digest a line, one a blob: past 64 MiB it is no journal of ours.
    if (!info.isFile() || info.size > 64 * 1024 * 1024) return { digests: new Set(), torn: false };
    const text = (await handle.readFile()).toString('utf8');
    return { digests: new Set(text.split('\n').filter((line) => isDigest(line))), torn: text.length > 0 && !text.endsWith('\n') };
  } finally {
    await handle.close();
  }
}

/** Text appended whole: a short write (a nearly full disk) goes on from where it stopped. */
async function appendAll(handle: FileHandle, text: string): Promise<void> {
  const bytes = Buffer.from(text);
  for (let done = 0; done < bytes.length;) done += (await handle.write(bytes, done, bytes.length - done)).bytesWritten;
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
  /** Blobs a delta leaves out, because the site holds them (`held`, by digest with their sizes). */
  readonly leftOut = new Map<string, number>();

  constructor(
    file: string,
    private readonly holds = true,
    private readonly held: ReadonlyMap<string, { readonly size: number }> = new Map(),
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
    if (this.held.get(blob.digest)?.size === blob.size) {
      this.leftOut.set(blob.digest, blob.size);
      return true;
    }
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

// Before the commit point: nothing where the archive's files go that its commit could not replace.
export { checkSpanPlaces } from './spanned-file.js';

/**
 * The commit point's part: the complete archive's files renamed into their places, its journal gone. Not
 * synced to disk: a killed run loses nothing the kernel holds, and a machine that fails takes the job with it.
 */
export async function commitArchive(file: string, files: readonly string[]): Promise<void> {
  await commitSpans(file, files);
  await rm(journalName(file), { force: true });
}
