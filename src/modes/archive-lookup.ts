// Which image of the archives an image in the YAML names: by the name it was packaged under, by the
// digest it is pinned to, or as the one image of its repository. Nothing is pushed before every
// image is found, so a failure here names the reference and leaves the destination alone.
import type { Archive } from '../archive/read.js';
import type { ArchiveImage } from '../archive/layout-index.js';
import type { Platform } from '../oci/descriptor.js';
import type { ImageEntry } from '../images.js';
import { parseReference } from '../reference.js';

/**
 * The archive image an entry names: by ref name, by digest, or by the one image of its repository. A
 * name is the archive's word; a digest the manifests pin is the workflow's, and only that manifest (or
 * what a platform filter made of it, checked against its bytes) satisfies it.
 */
async function findInArchive(entry: ImageEntry, archive: Archive, platforms?: readonly Platform[]): Promise<ArchiveImage | undefined> {
  const source = parseReference(entry.source);
  const pinned = source.digest;
  if (pinned !== undefined) {
    const named = archive.images.filter((image) => image.refName === entry.image);
    const others = archive.images.filter((image) => image.refName !== entry.image);
    for (const image of [...named, ...others]) if (await archive.satisfies(image, pinned, platforms)) return image;
    return undefined;
  }
  const byName = archive.images.find((image) => image.refName === entry.image);
  if (byName) return byName;
  const sameRepository = archive.images.filter((image) =>
    image.sources.some((reference) => {
      const parsed = parseReference(reference);
      return parsed.name === source.name && (parsed.tag === undefined || source.tag === undefined || parsed.tag === source.tag);
    }),
  );
  return sameRepository.length === 1 ? sameRepository[0] : undefined;
}

/** The first archive of the set that holds the entry's image. */
export async function findInArchives(
  entry: ImageEntry,
  archives: readonly Archive[],
  platforms?: readonly Platform[],
): Promise<{ archive: Archive; image: ArchiveImage }> {
  for (const archive of archives) {
    const image = await findInArchive(entry, archive, platforms);
    if (image !== undefined) return { archive, image };
  }
  const count = archives.reduce((sum, archive) => sum + archive.images.length, 0);
  const where = `the archive${archives.length === 1 ? '' : 's'} (${count} images there`;
  if (parseReference(entry.source).digest !== undefined && archives.some((archive) => archive.format === 'docker-archive'))
    throw new Error(
      `not in ${where}): no image there is the pinned digest; a docker-archive (docker save) holds no registry manifest, so its images get new digests on import: pin by tag, or package with ferry`,
    );
  if (parseReference(entry.source).digest !== undefined)
    throw new Error(
      `not in ${where}): no image there is the pinned digest, nor an index derived from it that the archive lets ferry check; an annotation saying where an image came from is not enough`,
    );
  throw new Error(`not in ${where}; package it, or pin the reference by digest)`);
}
