// A folder of blobs by digest (`blobs/<algorithm>/<hex>`, as an OCI layout keeps them): the sink that
// packaging fills from registries, and the source that unpackaging reads an extracted archive from.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { mkdir, readFile, rename, stat, statfs, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Descriptor } from '../oci/descriptor.js';
import type { Manifest } from '../oci/manifest.js';
import { maxManifestBytes } from '../oci/limits.js';
import type { UploadResult } from '../registry/upload.js';
import { DigestVerifier, digestOf, verified } from '../registry/digest.js';
import { isSchema1, schema1Refusal } from '../oci/media-types.js';
import { digestError } from '../reference.js';
import type { ImageSink, ImageSource, TaggedArtifact } from '../copy/endpoint.js';

/** Free bytes on the file system holding `dir` (the nearest existing folder on the way). */
export async function freeBytes(dir: string): Promise<number> {
  for (let current = dir; ; current = path.dirname(current)) {
    try {
      const info = await statfs(current);
      return info.bavail * info.bsize;
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT' || path.dirname(current) === current) throw error;
    }
  }
}

/**
 * A restored cache can hold links where the store's folders should be (`blobs/sha256 -> /elsewhere`):
 * every write and removal would go through them. Such a link (or file) is removed, so the folders are
 * created anew, real, on the first write.
 */
function replaceLinkedFolders(dir: string): void {
  for (const folder of [
    dir,
    path.join(dir, 'blobs'),
    ...['sha256', 'sha384', 'sha512'].map((algorithm) => path.join(dir, 'blobs', algorithm)),
  ]) {
    let found;
    try {
      found = lstatSync(folder);
    } catch {
      continue; // not there
    }
    if (!found.isDirectory()) unlinkSync(folder);
  }
}

export class BlobStore implements ImageSink, ImageSource {
  readonly key: string;
  /** Every blob the walk touched, manifests included, with its size: what an archive must hold. */
  readonly touched = new Map<string, number>();
  /** Blobs found in the store whose content this run has hashed: a planted file is not trusted by its name. */
  private readonly verifiedBlobs = new Set<string>();

  constructor(
    readonly dir: string,
    private readonly describe: string = dir,
  ) {
    this.key = `store:${dir}`;
    replaceLinkedFolders(dir);
  }

  path(digest: string): string {
    const reason = digestError(digest);
    if (reason !== undefined) throw new Error(`${this.describe}: ${digest} is not a digest: ${reason}`);
    const [algorithm = '', hex = ''] = digest.split(':');
    return path.join(this.dir, 'blobs', algorithm, hex);
  }

  private async size(digest: string): Promise<number | undefined> {
    try {
      return (await stat(this.path(digest))).size;
    } catch {
      return undefined;
    }
  }

  /** The walk always descends, so every blob of every image is touched: nothing here is "present". */
  async resolve(): Promise<Descriptor | undefined> {
    return undefined;
  }

  /** Whether the store holds the blob: the right size, and (once per run) the right content. */
  async hasBlob(blob: Descriptor): Promise<boolean> {
    if ((await this.size(blob.digest)) !== blob.size) return false;
    if (!this.verifiedBlobs.has(blob.digest)) {
      const verifier = new DigestVerifier(blob.digest, blob.size, (reason) => new Error(reason));
      try {
        await pipeline(createReadStream(this.path(blob.digest)), verifier, async (chunks: AsyncIterable<unknown>) => {
          for await (const chunk of chunks) void chunk;
        });
      } catch {
        // Planted or corrupt: not ours. It is replaced by the real blob.
        await unlink(this.path(blob.digest)).catch(() => undefined);
        return false;
      }
      this.verifiedBlobs.add(blob.digest);
    }
    this.touched.set(blob.digest, blob.size);
    return true;
  }

  /**
   * A fresh name beside a blob's path, for a write that is renamed into place once complete. The store
   * may be a restored cache, which is input too: a write opens a new file (`wx`), never a file or a
   * link planted under the blob's own name.
   */
  temporaryPath(digest: string): string {
    return `${this.path(digest)}.${randomBytes(6).toString('hex')}.partial`;
  }

  /** Bytes already verified, written under their digest: into a fresh temporary file, then renamed into place. */
  async writeBytes(digest: string, bytes: Buffer): Promise<void> {
    const target = this.path(digest);
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = this.temporaryPath(digest);
    try {
      await writeFile(temporary, bytes, { flag: 'wx' });
      await rename(temporary, target);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
  }

  /**
   * A copy of a blob kept as it passes on its way elsewhere (already verified there): written to a
   * fresh temporary file, renamed into place by `done`, removed by `discard`.
   */
  keeper(blob: Descriptor): { stream: Writable; done: () => Promise<void>; discard: () => Promise<void> } {
    const target = this.path(blob.digest);
    mkdirSync(path.dirname(target), { recursive: true });
    const temporary = this.temporaryPath(blob.digest);
    return {
      stream: createWriteStream(temporary, { flags: 'wx' }),
      done: async () => {
        await rename(temporary, target);
        this.verifiedBlobs.add(blob.digest);
        this.touched.set(blob.digest, blob.size);
      },
      discard: () => unlink(temporary).catch(() => undefined),
    };
  }

  async putBlob(blob: Descriptor, open: () => Readable): Promise<UploadResult> {
    const target = this.path(blob.digest);
    await mkdir(path.dirname(target), { recursive: true });
    const free = await freeBytes(this.dir);
    if (blob.size > free) {
      throw new Error(`${this.describe}: blob ${blob.digest} declares ${blob.size} bytes and only ${free} are free on the disk`);
    }
    const temporary = this.temporaryPath(blob.digest);
    try {
      await pipeline(
        open(),
        new DigestVerifier(blob.digest, blob.size, (reason) => new Error(`blob ${blob.digest}: ${reason}`)),
        createWriteStream(temporary, { flags: 'wx' }),
      );
      await rename(temporary, target);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
    this.verifiedBlobs.add(blob.digest);
    this.touched.set(blob.digest, blob.size);
    return 'uploaded';
  }

  /** An archive lists referrers in its index.json, with their subject: nothing to add at the commit point. */
  async putManifest(descriptor: Descriptor, bytes: Buffer): Promise<{ listed: boolean }> {
    await this.writeBytes(descriptor.digest, bytes);
    this.touched.set(descriptor.digest, bytes.length);
    return { listed: true };
  }

  /** A bare store knows of no referrers; an archive's index does (`ArchiveSource`). */
  async referrers(): Promise<Descriptor[]> {
    return [];
  }

  async digestTags(): Promise<TaggedArtifact[]> {
    return [];
  }

  async getManifest(digest: string, mediaType?: string): Promise<Manifest> {
    const size = await this.size(digest);
    if (size === undefined) throw new Error(`${this.describe} lacks the manifest ${digest}`);
    if (size > maxManifestBytes)
      throw new Error(`${this.describe}: manifest ${digest} is ${size} bytes, more than the ${maxManifestBytes} ferry reads`);
    const bytes = await readFile(this.path(digest));
    const actual = digestOf(bytes, digest.slice(0, digest.indexOf(':')));
    if (actual !== digest) throw new Error(`${this.describe}: manifest ${digest} holds ${actual}`);
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    } catch {
      throw new Error(`${this.describe}: manifest ${digest} is not JSON`);
    }
    const type = typeof json.mediaType === 'string' ? json.mediaType : (mediaType ?? '');
    if (isSchema1(type) || json.schemaVersion === 1) throw new Error(`${this.describe}: ${schema1Refusal}`);
    if (type === '') throw new Error(`${this.describe}: manifest ${digest} has no media type`);
    return { descriptor: { mediaType: type, digest, size: bytes.length }, bytes, json };
  }

  openBlob(blob: Descriptor): Readable {
    const verifier = new DigestVerifier(blob.digest, blob.size, (reason) => new Error(`${this.describe}: blob ${blob.digest}: ${reason}`));
    return verified(createReadStream(this.path(blob.digest)), verifier);
  }
}
