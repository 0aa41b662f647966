// A folder of blobs by digest (`blobs/<algorithm>/<hex>`, as an OCI layout keeps them): the blob store
// the Actions cache keeps between packaging runs. Packaging keeps a copy of each blob in it as the blob
// passes into the archive, and fills an archive from what it already holds.
import { randomBytes } from 'node:crypto';
import { constants, createWriteStream, lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { type FileHandle, open, rename, rm, stat, statfs, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Descriptor } from '../oci/descriptor.js';
import { DigestVerifier, digestError, verified } from '../oci/digest.js';

/** What `read` says of the nearest existing folder on the way up from `dir`. */
async function ofNearestFolder<T>(dir: string, read: (folder: string) => Promise<T>): Promise<T> {
  for (let current = dir; ; current = path.dirname(current)) {
    try {
      return await read(current);
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT' || path.dirname(current) === current) throw error;
    }
  }
}

/** Free bytes on the file system holding `dir` (the nearest existing folder on the way). */
export async function freeBytes(dir: string): Promise<number> {
  return ofNearestFolder(dir, async (folder) => {
    const info = await statfs(folder);
    return info.bavail * info.bsize;
  });
}

/** The device of the file system holding `dir` (the nearest existing folder on the way). */
async function deviceOf(dir: string): Promise<number> {
  return ofNearestFolder(dir, async (folder) => (await stat(folder)).dev);
}

/** Whether two folders are on one file system, whose free bytes they share. */
export async function sameDisk(first: string, second: string): Promise<boolean> {
  return (await deviceOf(first)) === (await deviceOf(second));
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

export class BlobStore {
  /** Blobs found in the store whose content this run has hashed: a planted file is not trusted by its name. */
  private readonly verifiedBlobs = new Set<string>();

  constructor(
    readonly dir: string,
    private readonly describe: string = dir,
  ) {
    replaceLinkedFolders(dir);
  }

  path(digest: string): string {
    const reason = digestError(digest);
    if (reason !== undefined) throw new Error(`${this.describe}: ${digest} is not a digest: ${reason}`);
    const [algorithm = '', hex = ''] = digest.split(':');
    return path.join(this.dir, 'blobs', algorithm, hex);
  }

  /**
   * The blob's file, opened for reading when it is a regular file of the blob's size: a restored cache
   * can hold a link, a FIFO (whose read would wait for ever) or a device under a blob's name. It is
   * opened without following a link and without waiting for a writer, and checked on the open handle.
   */
  private async openRegular(blob: Descriptor): Promise<FileHandle | undefined> {
    let handle: FileHandle;
    try {
      handle = await open(this.path(blob.digest), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch {
      return undefined;
    }
    const info = await handle.stat().catch(() => undefined);
    if (info?.isFile() === true && info.size === blob.size) return handle;
    await handle.close();
    return undefined;
  }

  /** Whether the store holds the blob: a regular file of the right size, and (once per run) the right content. */
  async hasBlob(blob: Descriptor): Promise<boolean> {
    const handle = await this.openRegular(blob);
    if (handle === undefined) {
      // Not a regular file of that size: whatever is there (a folder too) is not ours, and is replaced by the real blob.
      await rm(this.path(blob.digest), { recursive: true, force: true }).catch(() => undefined);
      return false;
    }
    if (this.verifiedBlobs.has(blob.digest)) {
      await handle.close();
      return true;
    }
    const verifier = new DigestVerifier(blob.digest, blob.size, (reason) => new Error(reason));
    try {
      // The stream closes the handle when it ends or fails.
      await pipeline(handle.createReadStream(), verifier, async (chunks: AsyncIterable<unknown>) => {
        for await (const chunk of chunks) void chunk;
      });
    } catch {
      // Planted or corrupt: not ours. It is replaced by the real blob.
      await unlink(this.path(blob.digest)).catch(() => undefined);
      return false;
    }
    this.verifiedBlobs.add(blob.digest);
    return true;
  }

  /**
   * A fresh name beside a blob's path, for a write that is renamed into place once complete. The store
   * may be a restored cache, which is input too: a write opens a new file (`wx`), never a file or a
   * link planted under the blob's own name.
   */
  private temporaryPath(digest: string): string {
    return `${this.path(digest)}.${randomBytes(6).toString('hex')}.partial`;
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
      // As much held as a write to the archive gathers: the source waits for this copy as for the archive.
      stream: createWriteStream(temporary, { flags: 'wx', highWaterMark: 256 * 1024 }),
      done: async () => {
        await rename(temporary, target);
        this.verifiedBlobs.add(blob.digest);
      },
      discard: () => unlink(temporary).catch(() => undefined),
    };
  }

  /** A blob `hasBlob` found: read again through a handle checked to be a regular file, verified as it passes. */
  openBlob(blob: Descriptor): Readable {
    const verifier = new DigestVerifier(blob.digest, blob.size, (reason) => new Error(`${this.describe}: blob ${blob.digest}: ${reason}`));
    const openRegular = (): Promise<FileHandle | undefined> => this.openRegular(blob);
    const content = Readable.from(
      (async function* () {
        // Opened when the first byte is asked for, and closed however the read ends.
        const handle = await openRegular();
        if (handle === undefined) throw new Error(`${blob.digest} is no longer a regular file of ${blob.size} bytes in the blob store`);
        try {
          yield* handle.createReadStream({ autoClose: false });
        } finally {
          await handle.close();
        }
      })(),
      { objectMode: false },
    );
    return verified(content, verifier);
  }
}
