// What the site holds already, from `since`: the blobs of every image of each base archive (read from
// the archive, with the name the site imported it by), and of every image a kbld or imgpkg lock of the
// site names (learned from the source registry, at the repository the lock gives). package leaves those
// blobs out of a delta.
import { type LeftOut, blobsOf } from '../archive/delta.js';
import type { ImageSource } from '../copy/endpoint.js';
import { parseLock } from '../lock.js';
import { chartConfigType } from '../manifests/chart-sources.js';
import { inputFiles } from '../manifests/files.js';
import { decodeManifest } from '../oci/manifest.js';
import { parseReference } from '../reference.js';
import { readArchiveInputs } from './archive-inputs.js';
import type { ModeContext } from './mode.js';

/** A `since` entry that is a lock (kbld's Config, imgpkg's ImagesLock) rather than an archive. */
const isLock = (pattern: string): boolean => /\.ya?ml$/i.test(pattern);

/** The name a base archive's image was imported by: its ref name when that names an image, else the name its producer gave it. */
function importedName(refName: string | undefined, sources: readonly string[]): string | undefined {
  if (refName !== undefined && /[:/]/.test(refName)) return refName;
  return sources[0] ?? refName;
}

/** Every blob the bases hold, by digest, with where the site holds it; the first base to hold a blob names it. */
export async function heldBySince(context: ModeContext, sourceOf: (reference: string) => ImageSource): Promise<Map<string, LeftOut>> {
  const { settings } = context;
  const held = new Map<string, LeftOut>();
  const add = (blob: { digest: string; size: number }, where: Omit<LeftOut, 'digest' | 'size'>): void => {
    if (!held.has(blob.digest)) held.set(blob.digest, { digest: blob.digest, size: blob.size, ...where });
  };
  const archives = settings.since.filter((pattern) => !isLock(pattern));
  for (const { name, archive } of archives.length === 0 ? [] : await readArchiveInputs(context, archives, 'since')) {
    for (const image of archive.images) {
      const imported = importedName(image.refName, image.sources);
      if (imported === undefined) continue;
      // A chart is named at the site as charts are: the record says which it is.
      const top = decodeManifest(await archive.source.getManifest(image.descriptor.digest, image.descriptor.mediaType));
      const chart = top.kind === 'image' && top.blobs[0]?.mediaType === chartConfigType;
      for (const blob of await blobsOf((digest, mediaType) => archive.source.getManifest(digest, mediaType), image.descriptor))
        add(blob, { base: name, image: imported, ...(chart ? { chart } : {}) });
    }
  }
  const locks = settings.since.filter(isLock);
  for (const file of locks.length === 0 ? [] : await inputFiles(settings.files, 'since', locks)) {
    const overrides = parseLock(file.name, settings.files.read('since', file.real, settings.maxManifestBytes).toString('utf8'));
    for (const [image, newImage] of overrides) {
      const at = parseReference(newImage);
      if (at.digest === undefined) continue;
      // The lock says what the site holds; its blobs are learned from the image's source, by that digest.
      const source = sourceOf(image);
      const top = await source.getManifest(at.digest);
      for (const blob of await blobsOf((digest, mediaType) => source.getManifest(digest, mediaType), top.descriptor))
        add(blob, { base: file.name, repository: at.name });
    }
  }
  return held;
}
