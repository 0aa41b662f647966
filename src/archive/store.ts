// A folder of blobs by digest (`blobs/<algorithm>/<hex>`, as an OCI layout keeps them): the blob store
// the Actions cache keeps between packaging runs. Packaging keeps a copy of each blob in it as the blob
// passes into the archive, and fills an archive from what it already holds.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { rename, stat, statfs, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Descriptor } from '../oci/descriptor.js';
import { DigestVerifier, verified } from '../registry/digest.js';
import { digestError } from '../reference.js';

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

  private async size(digest: string): Promise<number | undefined> {
    try {
      return (await stat(this.path(digest))).size;
    } catch {
      return undefined;
    }
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
      stream: createWriteStream(temporary, { flags: 'wx' }),
      done: async () => {
        await rename(temporary, target);
        this.verifiedBlobs.add(blob.digest);
      },
      discard: () => unlink(temporary).catch(() => undefined),
    };
  }

  openBlob(blob: Descriptor): Readable {
    const verifier = new DigestVerifier(blob.digest, blob.size, (reason) => new Error(`${this.describe}: blob ${blob.digest}: ${reason}`));
    return verified(createReadStream(this.path(blob.digest)), verifier);
  }
}
