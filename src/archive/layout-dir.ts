// An OCI image layout as a folder (`skopeo copy ... oci:dir`, buildx's oci exporter unpacked, `ctr
// export` unpacked), read as untrusted as a tar is: oci-layout and index.json bounded, every file under
// blobs/ a regular file (no link, nothing that leads out), hashed once and checked against its name
// before anything is pushed, and read again, verified, as it is sent.
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, lstat, open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { digestError } from '../oci/digest.js';
import { maxManifestBytes } from '../oci/limits.js';
import { ArchiveError } from './archive-error.js';
import { deltaFile } from './delta.js';
import type { TarBlobs } from './tar-blobs.js';
import { TarError, passBuffers, readPieces } from './tar-pieces.js';
import { hasControlCharacters, quoted } from '../untrusted-text.js';

/** Files under blobs/, at most: as many entries as a tar may hold. */
const maxBlobs = 1_000_000;

/** Whether `dir` is an OCI image layout folder: a folder (not a link) holding an oci-layout file. */
export async function isLayoutFolder(dir: string): Promise<boolean> {
  const info = await lstat(dir).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) return false;
  const marker = await lstat(path.join(dir, 'oci-layout')).catch(() => undefined);
  return marker?.isFile() === true;
}

/** A regular file of the folder, opened without following a link; anything else is refused, naming it. */
async function openRegular(dir: string, name: string): Promise<FileHandle> {
  const file = path.join(dir, name);
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new ArchiveError(
      dir,
      code === 'ELOOP' ? `${name} is a link; only files and folders are accepted` : `${name} cannot be read (${code ?? 'error'})`,
    );
  }
  if (!(await handle.stat()).isFile()) {
    await handle.close();
    throw new ArchiveError(dir, `${name} is not a regular file`);
  }
  return handle;
}

/** A small JSON file of the layout (oci-layout, index.json), bounded. */
async function readSmall(dir: string, name: string): Promise<Buffer | undefined> {
  if ((await lstat(path.join(dir, name)).catch(() => undefined)) === undefined) return undefined;
  const handle = await openRegular(dir, name);
  try {
    const { size } = await handle.stat();
    if (size > maxManifestBytes) throw new ArchiveError(dir, `${name} is larger than ${maxManifestBytes} bytes`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/**
 * Reads a layout folder into `store`: every blob hashed and checked against its name (a blob whose content
 * is not its name is refused), and the JSON files returned as a tar's pass returns them.
 */
export async function indexLayoutFolder(
  dir: string,
  store: TarBlobs,
  maxBlobBytes: number,
  signal?: AbortSignal,
): Promise<Map<string, Buffer>> {
  const json = new Map<string, Buffer>();
  for (const name of ['oci-layout', 'index.json', deltaFile]) {
    const bytes = await readSmall(dir, name);
    if (bytes !== undefined) json.set(name, bytes);
  }
  const blobsDir = path.join(dir, 'blobs');
  const blobsInfo = await lstat(blobsDir).catch(() => undefined);
  if (blobsInfo === undefined) return json;
  if (!blobsInfo.isDirectory()) throw new ArchiveError(dir, 'blobs is not a folder');
  let count = 0;
  // Two buffers for every file's content, as a tar's pass reads it.
  const buffers = passBuffers();
  // A name the folder holds is shown in messages only once it is known to hold no control character
  // (an escape, a line separator), as a tar's entry names are.
  const plain = (name: string): string => {
    if (hasControlCharacters(name)) throw new ArchiveError(dir, `the folder holds a name with control characters (${quoted(name)})`);
    return name;
  };
  for (const algorithm of (await readdir(blobsDir)).map(plain)) {
    const algorithmDir = path.join(blobsDir, algorithm);
    const info = await lstat(algorithmDir);
    if (!info.isDirectory()) throw new ArchiveError(dir, `blobs/${algorithm} is not a folder`);
    for (const hex of await readdir(algorithmDir)) {
      signal?.throwIfAborted();
      plain(hex);
      if (++count > maxBlobs) throw new ArchiveError(dir, `more than ${maxBlobs} blobs`);
      const name = `blobs/${algorithm}/${hex}`;
      const digest = `${algorithm}:${hex}`;
      if (digestError(digest) !== undefined) throw new ArchiveError(dir, `${name} is not named by a digest`);
      const handle = await openRegular(dir, name);
      try {
        const { size } = await handle.stat();
        if (size > maxBlobBytes)
          throw new ArchiveError(dir, `${name} is ${size} bytes, more than the ${maxBlobBytes} ferry accepts (max-blob-bytes)`);
        const hash = createHash(algorithm);
        await readPieces(handle, size, 0, buffers, (piece) => hash.update(piece), signal).catch((error: unknown) => {
          throw error instanceof TarError ? new ArchiveError(dir, `${name} ended early`) : error;
        });
        const actual = `${algorithm}:${hash.digest('hex')}`;
        if (actual !== digest) throw new ArchiveError(dir, `${name} holds ${actual}: its content does not match its name`);
        store.located.set(digest, { path: path.join(dir, name), size });
      } finally {
        await handle.close();
      }
    }
  }
  return json;
}
