// What the site holds already, from `since`: the blobs of every image of each base archive (read from
// the archive, with the name the site imported it by), and of every image a kbld or imgpkg lock of the
// site names (learned from the source registry, at the repository the lock gives). package leaves those
// blobs out of a delta.
import { type LeftOut, blobsOf } from '../archive/delta.js';
import { writesInto, writesOver } from '../archive/span-names.js';
import type { ArchiveImage } from '../archive/layout-index.js';
import type { ImageSource } from '../copy/endpoint.js';
import { filterManifest } from '../copy/platforms.js';
import { parseLock } from '../lock.js';
import { chartConfigType } from '../manifests/chart-sources.js';
import { inputFiles } from '../manifests/files.js';
import { positionText } from '../manifests/field.js';
import { type Manifest, decodeManifest, platformText } from '../oci/manifest.js';
import { RegistryError } from '../registry/errors.js';
import { InvalidReferenceError, parseReference } from '../reference.js';
import { quoted } from '../untrusted-text.js';
import { BoundaryError } from '../workspace.js';
import { archiveInputs, readArchiveInputs } from './archive-inputs.js';
import type { ModeContext } from './mode.js';

/** A `since` entry that is a lock (kbld's Config, imgpkg's ImagesLock) rather than an archive. */
const isLock = (pattern: string): boolean => /\.ya?ml$/i.test(pattern);

/**
 * The name a base archive's image was imported by: the name ferry's own archive says (as written, so
 * the site's default-repo strategy makes the same repository of it); for another tool's, its ref name
 * when that names an image, else the name its producer gave it.
 */
function importedName(image: ArchiveImage): string | undefined {
  if (image.importedAs !== undefined) return image.importedAs;
  if (image.refName !== undefined && /[:/]/.test(image.refName)) return image.refName;
  return image.sources[0] ?? image.refName;
}

/**
 * The manifests of the image a lock pins, read from the image's source. A run with `platforms` pins a
 * new index it made of the source's (some of its children): the source has no manifest by that digest,
 * so the source's index is filtered again by this run's platforms, and taken only if that makes the very
 * digest the lock pins.
 */
async function lockedImage(
  source: ImageSource,
  resolveDigest: (reference: string) => Promise<string>,
  image: string,
  pinned: string,
  platforms: ModeContext['settings']['platforms'],
  lockName: string,
): Promise<(digest: string, mediaType?: string) => Promise<Manifest>> {
  const read = (digest: string, mediaType?: string): Promise<Manifest> => source.getManifest(digest, mediaType);
  try {
    await read(pinned);
    return read;
  } catch (error) {
    const unknown = error instanceof RegistryError && (error.status === 404 || error.codes.includes('MANIFEST_UNKNOWN'));
    if (!unknown) throw error;
    const pins = `${lockName} (since) pins ${image} to ${pinned}`;
    if (platforms === undefined)
      throw new Error(
        `${pins}, which its source does not hold: deleted there since, or an index made for the platforms the site imported (a lock written with platforms is a base only for a run with the same platforms)`,
        { cause: error },
      );
    const wanted = platforms.map(platformText).join(', ');
    const now = await resolveDigest(image);
    const index = await read(now);
    let made: Manifest;
    try {
      made = (await filterManifest(index, platforms, read)) ?? index;
    } catch (filtering) {
      throw new Error(
        `${pins}, which its source does not hold, and ${image} cannot be filtered for ${wanted}: ${(filtering as Error).message}`,
        {
          cause: filtering,
        },
      );
    }
    if (made.descriptor.digest !== pinned)
      throw new Error(
        `${pins}, which its source neither holds nor makes: ${image} is ${now} now, which makes ${made.descriptor.digest} for ${wanted}. Its tag moved since the site imported it, or the site imported other platforms; package with the platforms the site imported, or leave the lock out of since`,
        { cause: error },
      );
    return (digest, mediaType) => (digest === pinned ? Promise.resolve(made) : read(digest, mediaType));
  }
}

/**
 * Finds every base `since` names, inside the boundary, before any registry is asked: a base that is not
 * there fails the run at once, as a missing archive does. They are read later, once the images resolve.
 */
export async function findSince(settings: ModeContext['settings']): Promise<void> {
  const archives = settings.since.filter((pattern) => !isLock(pattern));
  const locks = settings.since.filter(isLock);
  for (const base of archives.length === 0 ? [] : await archiveInputs(settings, archives, 'since')) {
    // The base this run writes over: its commit would replace what the delta was measured against.
    // A layout folder is written over when the archive goes anywhere in it; a file or parts, when the archive is one of them.
    const over = (base.parts ?? [base.real]).find((file) =>
      base.folder === true ? writesInto(settings.archive, file) : writesOver(settings.archive, file),
    );
    if (over !== undefined)
      throw new BoundaryError(
        'since',
        `${base.name} (${over}) is written over by this run's archive, ${settings.archive}: a delta goes under another name than its base, which must stay as the site imported it`,
      );
  }
  if (locks.length > 0) await inputFiles(settings.files, 'since', locks);
}

/** Every blob the bases hold, by digest, with where the site holds it; the first base to hold a blob names it. */
export async function heldBySince(
  context: ModeContext,
  sourceOf: (reference: string) => ImageSource,
  resolveDigest: (reference: string) => Promise<string>,
): Promise<Map<string, LeftOut>> {
  const { settings } = context;
  const held = new Map<string, LeftOut>();
  const add = (blob: { digest: string; size: number }, where: Omit<LeftOut, 'digest' | 'size'>): void => {
    if (!held.has(blob.digest)) held.set(blob.digest, { digest: blob.digest, size: blob.size, ...where });
  };
  const archives = settings.since.filter((pattern) => !isLock(pattern));
  for (const { name, archive } of archives.length === 0 ? [] : await readArchiveInputs(context, archives, 'since')) {
    for (const image of archive.images) {
      const imported = importedName(image);
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
    const lock = parseLock(file.name, settings.files.read('since', file.real, settings.maxManifestBytes).toString('utf8'));
    // Each pinned image once, by the first of the lock's names for it whose source makes it. A name
    // pinned by the very digest it is locked to (a lock's entry for a pinned reference) comes last: under
    // a platform filter, that digest is an index made at the site, which only the tag's source remakes.
    const names = new Map<string, string[]>();
    const ownRepository: string[] = [];
    for (const [image, newImage] of lock.overrides) {
      const at = lock.at.get(image);
      const where = at === undefined ? file.name : positionText(at);
      let source: string;
      try {
        source = parseReference(image).name;
      } catch (error) {
        if (!(error instanceof InvalidReferenceError)) throw error;
        throw new Error(`${where}: ${quoted(image)} (since) is not an image reference: ${error.reason}`, { cause: error });
      }
      if (parseReference(newImage).name === source) ownRepository.push(`${image} (${where})`);
      names.set(newImage, [...(names.get(newImage) ?? []), image]);
    }
    // The lock of a source (what package writes, or relocate without a default repo) says where the
    // source holds an image, not the site: a delta against it is made, and no site can import it.
    if (ownRepository.length > 0)
      context.notice(
        `${file.name} (since) locks ${ownRepository.length === 1 ? 'an image' : `${ownRepository.length} images`} to its own source repository (${ownRepository[0]}${ownRepository.length > 1 ? ', ...' : ''}): a lock of where the site holds its images is the one its unpackage or relocate wrote, and unpackage refuses a delta whose left-out blobs are anywhere else`,
      );
    for (const [newImage, images] of names) {
      const at = parseReference(newImage);
      const pinned = at.digest;
      if (pinned === undefined) continue;
      const selfPinned = (image: string): number => Number(parseReference(image).digest === pinned);
      let read: ((digest: string, mediaType?: string) => Promise<Manifest>) | undefined;
      const failures: Error[] = [];
      for (const image of images.sort((a, b) => selfPinned(a) - selfPinned(b))) {
        try {
          // The lock says what the site holds; its blobs are learned from the image's source, by that digest.
          read = await lockedImage(sourceOf(image), resolveDigest, image, pinned, settings.platforms, file.name);
          break;
        } catch (error) {
          failures.push(error as Error);
        }
      }
      // Every name failed: the first says most (the tag's), the others why they could not stand in (an index deleted at the source).
      if (read === undefined)
        throw failures.length === 1
          ? failures[0]
          : new Error(failures.map((failure) => failure.message).join('; and '), { cause: failures[0] });
      for (const blob of await blobsOf(read, (await read(pinned)).descriptor)) add(blob, { base: file.name, repository: at.name });
    }
  }
  return held;
}
