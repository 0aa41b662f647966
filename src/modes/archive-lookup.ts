// Which image of the archives an image in the YAML names: by the name it was packaged under, by the
// digest it is pinned to, or as the image of its repository and tag. Nothing is pushed before every
// image is found, so a failure here names the reference and leaves the destination alone.
import type { Archive } from '../archive/read.js';
import type { ArchiveImage } from '../archive/layout-index.js';
import { namesImage } from '../archive/layout-read.js';
import type { Platform } from '../oci/descriptor.js';
import type { ImageEntry } from '../images.js';
import { impliedTag, parseReference } from '../reference.js';

/** Finds the image an entry names in the archives (or throws why it is not found, or not one). */
export type FindImage = (entry: ImageEntry, platforms?: readonly Platform[]) => Promise<Found>;

/** An image of one of the archives. */
export interface Found {
  readonly archive: Archive;
  readonly image: ArchiveImage;
}

/**
 * The archive image an entry names, from the images of `archives`, indexed once for every entry a run
 * looks up (a catalogue's thousands would otherwise each parse every image's names again).
 * - Pinned by digest: the manifests' own word, so only that manifest satisfies it, in whichever archive
 *   it is; failing that, what a platform filter made of it, checked against the pinned index's bytes.
 * - Otherwise by the archive's word: the image whose ref name is the entry's image string, and every
 *   image packaged from (or named) the same repository and tag. A reference without a tag means
 *   `latest`, as a runtime pulls it, and an image packaged from a digest alone has no tag: neither
 *   stands for any tag.
 * Two different images that answer (two spellings of one name, two filtered copies of one index) are
 * ambiguous, and refused: which version a cluster runs is not left to the order of an index or a glob.
 */
export function archiveLookup(archives: readonly Archive[]): FindImage {
  const all = archives.flatMap((archive) => archive.images.map((image) => ({ archive, image })));
  const position = new Map(all.map((found, at) => [found, at]));
  const byDigest = new Map<string, Found>();
  const byRefName = new Map<string, Found[]>();
  const byNameAndTag = new Map<string, Found[]>();
  const add = (map: Map<string, Found[]>, key: string, found: Found): void => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [found]);
    else if (!list.includes(found)) list.push(found);
  };
  for (const found of all) {
    const { image } = found;
    if (!byDigest.has(image.descriptor.digest)) byDigest.set(image.descriptor.digest, found);
    // The string the YAML gave, as ferry's own archives keep it. Another tool's ref name is taken as a
    // name only when it names an image (then among the sources too): containerd, nerdctl, buildx and
    // Docker write the tag alone there (`redis` for `registry.example/tools:redis`), which would answer
    // a YAML's `redis`.
    if (image.refName !== undefined && (image.importedAs !== undefined || namesImage(image.refName))) add(byRefName, image.refName, found);
    for (const reference of image.sources) {
      const tag = impliedTag(reference);
      if (tag !== undefined) add(byNameAndTag, `${parseReference(reference).name}:${tag}`, found);
    }
  }
  return async (entry, platforms) => {
    const source = parseReference(entry.source);
    if (source.digest !== undefined) {
      const pinned = source.digest;
      const exact = byDigest.get(pinned);
      if (exact !== undefined) return exact;
      // Copies a platform filter made of it: two different ones (one archive per architecture, say) are
      // ambiguous, or the platforms a cluster gets would follow the order of a glob.
      const derived: Found[] = [];
      for (const found of all) if (await found.archive.satisfies(found.image, pinned, platforms)) derived.push(found);
      if (derived.length > 0) return onlyOne(derived);
      throw notFound(entry, archives);
    }
    // The image packaged under this very string, and every image packaged from (or named) the same
    // repository and tag however it is spelled, in the archives' order: one image, or refused. Where
    // the lock overrides the string (app:v1 to app:v2), the string names what the YAML said, not what
    // the run imports: only the override's repository and tag answer.
    const byString = entry.source === entry.image ? (byRefName.get(entry.image) ?? []) : [];
    const answering = [...new Set([...byString, ...(byNameAndTag.get(`${source.name}:${impliedTag(entry.source)}`) ?? [])])].sort(
      (a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0),
    );
    if (answering.length > 0) return onlyOne(answering);
    throw notFound(entry, archives);
  };
}

/** The one image that answers to a name; several with different digests are refused, naming each and where it is. */
function onlyOne(found: readonly Found[]): Found {
  const digests = new Map<string, Found[]>();
  for (const one of found) digests.set(one.image.descriptor.digest, [...(digests.get(one.image.descriptor.digest) ?? []), one]);
  if (digests.size === 1) return found[0] as Found;
  const each = [...digests].map(
    ([digest, holders]) => `${digest} in ${[...new Set(holders.map(({ archive }) => archive.file))].join(', ')}`,
  );
  throw new Error(
    `ambiguous: ${digests.size} different images answer to it (${each.join('; ')}); pin the reference by digest, or import one archive`,
  );
}

function notFound(entry: ImageEntry, archives: readonly Archive[]): Error {
  const count = archives.reduce((sum, archive) => sum + archive.images.length, 0);
  const where = `the archive${archives.length === 1 ? '' : 's'} (${count} images there`;
  const pinned = parseReference(entry.source).digest !== undefined;
  if (pinned && archives.some((archive) => archive.format === 'docker-archive'))
    return new Error(
      `not in ${where}): no image there is the pinned digest; a docker-archive (docker save) holds no registry manifest, so its images get new digests on import: pin by tag, or package with ferry`,
    );
  if (pinned)
    return new Error(
      `not in ${where}): no image there is the pinned digest, nor an index derived from it that the archive lets ferry check; an annotation saying where an image came from is not enough`,
    );
  return new Error(`not in ${where}; package it, or pin the reference by digest)`);
}
