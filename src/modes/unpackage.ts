// unpackage: every image imported from an archive into its destination, with no source registry; the
// archive is read and checked whole, in one pass, before any registry is contacted, and each blob is
// pushed from its byte range in the archive.
import { type Archive, readArchive } from '../archive/read.js';
import type { ArchiveImage } from '../archive/layout-index.js';
import type { ImageEntry } from '../images.js';
import type { Platform } from '../oci/descriptor.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { isLayoutFolder } from '../archive/layout-dir.js';
import { partsOf } from '../archive/spanned-file.js';
import { inputFiles } from '../manifests/files.js';
import type { Settings } from '../settings.js';
import { parseReference, pinnedReference } from '../reference.js';
import { importerFor } from './importer.js';
import type { Failure } from '../result.js';
import type { Mode } from './mode.js';
import { emptyResult, stopped, settle, verifyGate } from './steps.js';

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
async function findInArchives(
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

interface ArchiveFile {
  readonly name: string;
  readonly real: string;
  readonly parts?: string[];
  readonly folder?: boolean;
}

/**
 * The archives the archive input names, each a file, or (a path that is not there) the parts it was
 * written in, `<archive>.001` on, each checked to be a regular file inside the boundary.
 */
async function archiveFiles(settings: Settings): Promise<ArchiveFile[]> {
  const found: ArchiveFile[] = [];
  for (const pattern of settings.archives) {
    const literal = !/[*?[]/.test(pattern);
    const file = literal ? path.resolve(settings.files.root, pattern) : undefined;
    if (file !== undefined && (await isLayoutFolder(file))) {
      // An OCI layout folder: its own folder inside the boundary; its files are each checked as they are read.
      found.push({ name: pattern, real: settings.files.realFile('archive', file, true), folder: true });
      continue;
    }
    if (file !== undefined && !existsSync(file)) {
      const parts = partsOf(file);
      if (parts.length > 0) {
        const real = parts.map((part) => settings.files.realFile('archive', part, true));
        for (const part of real) settings.files.regularFileSize('archive', part, true);
        found.push({ name: pattern, real: file, parts: real });
        continue;
      }
      // A path that is not there, nor its parts: say so plainly (a glob that matches nothing says it itself).
      settings.files.regularFileSize('archive', file, true);
    }
    for (const matched of await inputFiles(settings.files, 'archive', [pattern], true))
      if (!found.some((other) => other.real === matched.real)) found.push(matched);
  }
  return found;
}

export const unpackage: Mode = {
  async run(context) {
    const { entries, registries, settings, budget, log, progress, onCleanup, deadline } = context;
    const archives = await (async () => {
      const files = await archiveFiles(settings);
      const read: Archive[] = [];
      for (const file of files) {
        if (file.parts === undefined && file.folder !== true) settings.files.regularFileSize('archive', file.real, true);
        const archive = await readArchive(file.real, {
          maxBlobBytes: settings.maxBlobBytes,
          budget,
          ...(deadline === undefined ? {} : { signal: deadline }),
          ...(file.parts === undefined ? {} : { parts: file.parts }),
          ...(file.folder === true ? { folder: true } : {}),
        }).catch((error: unknown) => {
          if (deadline?.aborted)
            throw new Error(
              `${file.name}: the run's deadline (timeout ${settings.timeoutText}) passed while the archive was read; nothing was pushed`,
            );
          throw error;
        });
        onCleanup(archive.close);
        const inParts = file.parts === undefined ? '' : ` in ${file.parts.length} parts`;
        log(`${file.name}${inParts}: ${archive.format}, ${archive.images.length} images`);
        read.push(archive);
      }
      return read;
    })();
    // Every image is found in the archives before the first push: a set that cannot be imported whole
    // is not imported in part.
    const missing: Failure[] = [];
    const found = new Map<ImageEntry, { archive: Archive; image: ArchiveImage }>();
    for (const entry of entries) {
      try {
        found.set(entry, await findInArchives(entry, archives, settings.platforms));
      } catch (error) {
        missing.push({ image: entry.image, message: `${entry.image}: ${(error as Error).message}` });
      }
    }
    const inArchive = (entry: ImageEntry): { archive: Archive; image: ArchiveImage } =>
      found.get(entry) as { archive: Archive; image: ArchiveImage };
    const empty = emptyResult(context);
    if (missing.length > 0) return stopped(context, missing);
    // An image a docker-archive held has a manifest made on import: the digest it is pinned to is new.
    const rebuilt = new Set<string>();
    for (const entry of entries) {
      const { image } = inArchive(entry);
      if (image.rebuilt !== true || rebuilt.has(image.descriptor.digest)) continue;
      rebuilt.add(image.descriptor.digest);
      log(
        `${entry.image}: a docker-archive holds its config and layers but no registry manifest: ferry made one, so it is pinned to ${image.descriptor.digest}, which can differ from the digest its registry gave it`,
      );
    }
    // Verified from what the archive holds, offline, before the first push; trust comes only from the inputs.
    const gate = await verifyGate(
      context,
      entries.map((entry) => {
        const { archive, image } = inArchive(entry);
        return { entry, source: archive.source, digest: image.descriptor.digest };
      }),
    );
    if (gate !== undefined && gate.failures.length > 0) return stopped(context, gate.failures, gate.warnings);
    const importer = importerFor(registries(), settings, budget, (count) => progress.moved(count));
    const lacking = await settle(
      entries,
      async (entry) => {
        const { archive, image } = inArchive(entry);
        await importer.checkPlatforms(archive.source, image.descriptor.digest, image.descriptor.mediaType);
      },
      settings,
    );
    if (lacking.failures.length > 0) return stopped(context, lacking.failures, gate?.warnings);
    const { results, failures } = await settle(
      entries,
      async (entry) => {
        const { archive, image } = inArchive(entry);
        const outcome = await importer.import(entry, archive.source, image.descriptor.digest, image.descriptor.mediaType);
        const verified = gate?.verified.get(entry.image);
        return verified === undefined ? outcome : { ...outcome, verified };
      },
      { ...settings, progress, onResult: context.onImage },
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
