// The archive: an OCI image layout in a tar, deterministic (sorted entries, zero times, uid/gid 0),
// written as a stream from the blob store, so the same images give a byte-identical file.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';

type EntryHeader = Parameters<ReturnType<typeof tar.pack>['entry']>[0];
import type { Descriptor } from '../oci/descriptor.js';
import { ociIndex } from '../oci/media-types.js';
import { type BlobStore, freeBytes } from './store.js';

export const refNameAnnotation = 'org.opencontainers.image.ref.name';
/** The reference an image was packaged from, pinned: `registry/repository[:tag]@digest`. */
export const sourceAnnotation = 'io.github.ferry.source';

/** The manifest an artifact in the archive belongs to (a referrer's subject, a digest tag's digest). */
export const subjectAnnotation = 'io.github.ferry.subject';

export interface ArchivedImage {
  readonly descriptor: Descriptor;
  /** The image string as found in the YAML. */
  readonly refName: string;
  readonly source: string;
}

/** A signature, attestation or SBOM that travels with an image: a referrer, or a digest tag (`tag`). */
export interface ArchivedArtifact {
  readonly descriptor: Descriptor;
  readonly subject: string;
  readonly tag?: string;
}

const epoch = new Date(0);

function header(name: string, size: number): EntryHeader {
  return { name, size, mode: 0o644, mtime: epoch, uid: 0, gid: 0, uname: '', gname: '', type: 'file' };
}

function directory(name: string): EntryHeader {
  return { name, mode: 0o755, mtime: epoch, uid: 0, gid: 0, uname: '', gname: '', type: 'directory' };
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function layoutIndex(images: readonly ArchivedImage[], artifacts: readonly ArchivedArtifact[] = []): Buffer {
  const byName = new Map(images.map((image) => [image.refName, image]));
  const manifests: object[] = [...byName.values()]
    .sort((a, b) => byText(a.refName, b.refName))
    .map(({ descriptor, refName, source }) => ({
      mediaType: descriptor.mediaType,
      digest: descriptor.digest,
      size: descriptor.size,
      annotations: { [refNameAnnotation]: refName, [sourceAnnotation]: source },
    }));
  const byKey = new Map(artifacts.map((artifact) => [`${artifact.subject} ${artifact.tag ?? ''} ${artifact.descriptor.digest}`, artifact]));
  for (const key of [...byKey.keys()].sort(byText)) {
    const { descriptor, subject, tag } = byKey.get(key) as ArchivedArtifact;
    manifests.push({
      mediaType: descriptor.mediaType,
      digest: descriptor.digest,
      size: descriptor.size,
      ...(descriptor.artifactType === undefined ? {} : { artifactType: descriptor.artifactType }),
      annotations: { ...(tag === undefined ? {} : { [refNameAnnotation]: tag }), [subjectAnnotation]: subject },
    });
  }
  return Buffer.from(`${JSON.stringify({ schemaVersion: 2, mediaType: ociIndex, manifests }, null, 2)}\n`);
}

/** Writes the tar next to `file` and renames it into place when complete. */
export async function writeArchive(
  file: string,
  store: BlobStore,
  blobs: ReadonlyMap<string, number>,
  images: readonly ArchivedImage[],
  artifacts: readonly ArchivedArtifact[] = [],
): Promise<void> {
  // The archive's folder may not exist yet (`archive: out/release.tar`): it is made, inside the boundary settings checked.
  await mkdir(path.dirname(file), { recursive: true });
  const needed = [...blobs.values()].reduce((sum, size) => sum + size + 1024, 0);
  const free = await freeBytes(path.dirname(file));
  if (needed > free) throw new Error(`${file}: the archive needs about ${needed} bytes and only ${free} are free on the disk`);
  const pack = tar.pack();
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}`);
  const written = pipeline(pack, createWriteStream(temporary));
  try {
    const entry = (headers: EntryHeader, body: Buffer = Buffer.alloc(0)): Promise<void> =>
      new Promise((resolve, reject) => pack.entry(headers, body, (error) => (error ? reject(error) : resolve())));
    const algorithms = [...new Set([...blobs.keys()].map((digest) => digest.slice(0, digest.indexOf(':'))))].sort();
    await entry(directory('blobs/'));
    for (const algorithm of algorithms) await entry(directory(`blobs/${algorithm}/`));
    for (const digest of [...blobs.keys()].sort()) {
      const size = blobs.get(digest) ?? 0;
      const [algorithm, hex] = digest.split(':');
      await new Promise<void>((resolve, reject) => {
        const sink = pack.entry(header(`blobs/${algorithm}/${hex}`, size), (error) => (error ? reject(error) : resolve()));
        pipeline(createReadStream(store.path(digest)), sink).catch(reject);
      });
    }
    const index = layoutIndex(images, artifacts);
    await entry(header('index.json', index.length), index);
    const layout = Buffer.from('{"imageLayoutVersion":"1.0.0"}');
    await entry(header('oci-layout', layout.length), layout);
    pack.finalize();
    await written;
    await rename(temporary, file);
  } catch (error) {
    pack.destroy();
    await written.catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}
