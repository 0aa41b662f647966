// unpackage: every image imported from an archive into its destination, with no source registry; the
// archive is read and checked whole, in one pass, before any registry is contacted, and each blob is
// pushed from its byte range in the archive.
import { type Archive, type ArchiveImage, readArchive } from '../archive/read.js';
import type { ImageEntry } from '../images.js';
import { inputFiles } from '../manifests/files.js';
import { parseReference, pinnedReference } from '../reference.js';
import { importerFor } from './importer.js';
import type { Failure } from '../result.js';
import { type Mode, settle, verifyGate } from './mode.js';

/** The archive image an entry names: by ref name, by digest, or by the one image of its repository. */
function findInArchive(entry: ImageEntry, archive: Archive): ArchiveImage | undefined {
  const source = parseReference(entry.source);
  // A name is the archive's word; a digest the manifests pin is the workflow's, and the name must agree with it.
  const holds = (image: ArchiveImage, digest: string): boolean =>
    image.descriptor.digest === digest || image.sources.some((reference) => parseReference(reference).digest === digest);
  const byName = archive.images.find(
    (image) => image.refName === entry.image && (source.digest === undefined || holds(image, source.digest)),
  );
  if (byName) return byName;
  if (source.digest !== undefined) {
    // By its own digest, or by the digest it was packaged from (before a platform filter).
    const pinned = source.digest;
    const byDigest = archive.images.find((image) => holds(image, pinned));
    if (byDigest) return byDigest;
  } else {
    const sameRepository = archive.images.filter((image) =>
      image.sources.some((reference) => {
        const parsed = parseReference(reference);
        return parsed.name === source.name && (parsed.tag === undefined || source.tag === undefined || parsed.tag === source.tag);
      }),
    );
    if (sameRepository.length === 1 && sameRepository[0]) return sameRepository[0];
  }
  return undefined;
}

/** The first archive of the set that holds the entry's image. */
function findInArchives(entry: ImageEntry, archives: readonly Archive[]): { archive: Archive; image: ArchiveImage } {
  for (const archive of archives) {
    const image = findInArchive(entry, archive);
    if (image !== undefined) return { archive, image };
  }
  const count = archives.reduce((sum, archive) => sum + archive.images.length, 0);
  throw new Error(
    `not in the archive${archives.length === 1 ? '' : 's'} (${count} images there; package it, or pin the reference by digest)`,
  );
}

export const unpackage: Mode = {
  keepsNames: false,
  pins: true,
  needsImages: true,
  async run(context) {
    const { entries, registries, settings, budget, log, progress, onCleanup } = context;
    const archives = await (async () => {
      const files = await inputFiles(settings.files, 'archive', settings.archives, true).catch((error: unknown) => {
        // A path that is not there: say so plainly (a glob that matches nothing says it itself).
        if (settings.archives.length === 1 && !/[*?[]/.test(settings.archives[0] ?? '')) {
          settings.files.regularFileSize('archive', settings.archive, true);
        }
        throw error;
      });
      const read: Archive[] = [];
      for (const file of files) {
        settings.files.regularFileSize('archive', file.real, true);
        const archive = await readArchive(file.real, settings.maxBlobBytes, budget);
        onCleanup(archive.close);
        log(`${file.name}: ${archive.format}, ${archive.images.length} images`);
        read.push(archive);
      }
      return read;
    })();
    // Every image is found in the archives before the first push: a set that cannot be imported whole
    // is not imported in part.
    const missing: Failure[] = [];
    for (const entry of entries) {
      try {
        findInArchives(entry, archives);
      } catch (error) {
        missing.push({ image: entry.image, message: `${entry.image}: ${(error as Error).message}` });
      }
    }
    const empty = { outcomes: [], tags: [], edit: true, extraLock: [] };
    if (missing.length > 0) return { result: { ...empty, failures: missing } };
    // Verified from what the archive holds, offline, before the first push; trust comes only from the inputs.
    const gate = await verifyGate(
      context,
      entries.map((entry) => {
        const { archive, image } = findInArchives(entry, archives);
        return { entry, source: archive.source, digest: image.descriptor.digest };
      }),
    );
    if (gate !== undefined && gate.failures.length > 0) return { result: { ...empty, failures: gate.failures, warnings: gate.warnings } };
    const importer = importerFor(registries(), settings, budget, (count) => progress.moved(count));
    const { results, failures } = await settle(
      entries,
      async (entry) => {
        const { archive, image } = findInArchives(entry, archives);
        const outcome = await importer.import(entry, archive.source, image.descriptor.digest, image.descriptor.mediaType);
        const verified = gate?.verified.get(entry.image);
        return verified === undefined ? outcome : { ...outcome, verified };
      },
      { ...settings, progress },
    );
    const bySource = new Map(entries.map((entry) => [entry.image, entry.source]));
    const extraLock = results.map(({ image, digest, newImage }) => ({
      image: pinnedReference(bySource.get(image) ?? image, digest ?? '', false),
      newImage,
    }));
    return {
      result: { ...empty, outcomes: results, failures, tags: [...importer.tags.values()], extraLock, warnings: gate?.warnings ?? [] },
      tagger: importer.tagger,
    };
  },
};
