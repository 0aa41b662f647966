// unpackage: every image imported from an archive into its destination, with no source registry; the
// archive is read and checked whole, in one pass, before any registry is contacted, and each blob is
// pushed from its byte range in the archive.
import path from 'node:path';
import type { Archive } from '../archive/read.js';
import { blobsOf } from '../archive/delta.js';
import type { ArchiveImage } from '../archive/layout-index.js';
import { filterManifest, filteredOrigin } from '../copy/platforms.js';
import { type Manifest, platformText } from '../oci/manifest.js';
import type { Descriptor, Platform } from '../oci/descriptor.js';
import type { Repository } from '../oci/repository.js';
import { isReference, parseReference, pinnedReference, repositoryOf } from '../reference.js';
import { type FindImage, type Found, archiveLookup } from './archive-lookup.js';
import { readArchiveInputs } from './archive-inputs.js';
import type { ImageSource } from '../copy/endpoint.js';
import { plural } from '../format.js';
import { type ImageEntry, destinationName } from '../images.js';
import { DeltaSource, type HeldBlob, missingHeld } from '../remote/delta-source.js';
import type { ModeContext } from './mode.js';
import { importerFor } from './importer.js';
import type { Failure, Override } from '../result.js';
import type { Mode } from './mode.js';
import { emptyResult, stopped, settle, verifyGate } from './steps.js';
import { type ChartSource, type ChartsFound, chartFieldsOf, chartLine, readCharts } from '../charts/read-charts.js';

/**
 * Where the site holds each blob a delta left out: the destination of its base's image (named as this
 * run names images) or the repository a lock gave, which must be where this run imports (one of its
 * destinations, or below its default repo or its one repository). The record is the archive's word: it
 * names no other place. While the charts are read, before their images are among the destinations, a
 * blob recorded elsewhere is `left` out of the map (a chart that needs it then lacks it) rather than
 * refused: the check of every blob once the destinations are known refuses it, naming it.
 */
function heldBlobs(
  context: ModeContext,
  entries: readonly ImageEntry[],
  archive: Archive,
  outside: 'refuse' | 'left' = 'refuse',
): Map<string, HeldBlob> {
  const { settings } = context;
  const destinations = new Set(entries.map((entry) => repositoryOf(entry.newImage).key));
  // Its one repository, or anywhere below its default repo.
  const one = settings.repository !== '' ? repositoryOf(settings.repository).key : undefined;
  const scope = one ?? (settings.defaultRepo !== '' ? below(settings.defaultRepo) : undefined);
  const allowed = (at: Repository): boolean =>
    destinations.has(at.key) || (scope !== undefined && (at.key === scope || (one === undefined && at.key.startsWith(`${scope}/`))));
  const held = new Map<string, HeldBlob>();
  for (const blob of archive.delta?.blobs ?? []) {
    const name = blob.image === undefined ? (blob.repository as string) : destinationName(blob.image, settings, blob.chart === true);
    const at = repositoryOf(name);
    if (!allowed(at) && outside === 'left') continue;
    if (!allowed(at))
      throw new Error(
        `${archive.file}: its delta record says ${at.key} holds ${blob.digest}, which is not where this run imports (${scope ?? [...destinations].join(', ')}): a delta is taken only from where its base was imported here; nothing was pushed`,
      );
    held.set(blob.digest, { size: blob.size, at, base: blob.base, ...(blob.image === undefined ? {} : { image: blob.image }) });
  }
  return held;
}

/**
 * What every name under a default repo starts with, as a repository key: `registry/path`, or the
 * registry alone for a default repo that is one (`localhost:5000`, which is no repository of its own).
 */
function below(defaultRepo: string): string {
  return repositoryOf(`${defaultRepo}/x`).key.slice(0, -'/x'.length);
}

/**
 * Of the blobs a delta left out, those this run imports: the blobs of the images it takes from the
 * archive, under its platforms (a site that imported some platforms of a base holds only theirs), and
 * of what travels with them. Only these are looked for at the destination.
 */
async function leftOutImported(
  archive: Archive,
  images: readonly ArchiveImage[],
  platforms: readonly Platform[] | undefined,
  held: ReadonlyMap<string, HeldBlob>,
): Promise<Map<string, HeldBlob>> {
  const { source } = archive;
  const read = (digest: string, mediaType?: string): Promise<Manifest> => source.getManifest(digest, mediaType);
  // Everything the archive holds that travels with a manifest: its referrers and its digest tags.
  const travelling = async (digest: string): Promise<Descriptor[]> => [
    ...(await source.referrers(digest, false)),
    ...(await source.digestTags(digest, false)).map((tagged) => tagged.descriptor),
  ];
  const imported = new Map<string, HeldBlob>();
  for (const image of images) {
    const top = await read(image.descriptor.digest, image.descriptor.mediaType);
    const made = platforms === undefined ? undefined : await filterManifest(top, platforms, read);
    const reading = (digest: string, mediaType?: string): Promise<Manifest> =>
      made !== undefined && digest === made.descriptor.digest ? Promise.resolve(made) : read(digest, mediaType);
    // What travels with the index as packaged travels with what the filter made of it.
    const artifactsOf = async (digest: string): Promise<Descriptor[]> => [
      ...(await travelling(digest)),
      ...(made !== undefined && digest === made.descriptor.digest ? await travelling(top.descriptor.digest) : []),
    ];
    for (const blob of await blobsOf(reading, (made ?? top).descriptor, artifactsOf)) {
      const at = held.get(blob.digest);
      if (at !== undefined) imported.set(blob.digest, at);
    }
  }
  return imported;
}

/**
 * For each delta among the archives, a source that reads its left-out blobs where the site holds them.
 * Every one this run imports is looked for there first; any that is missing stops the run before its
 * first push.
 */
async function deltaSources(
  context: ModeContext,
  entries: readonly ImageEntry[],
  archives: readonly Archive[],
  inArchive: (entry: ImageEntry) => Found,
): Promise<Map<Archive, ImageSource>> {
  const { settings } = context;
  const sources = new Map<Archive, ImageSource>();
  for (const archive of archives) {
    if (archive.delta === undefined) continue;
    const taken = new Set(entries.map(inArchive).flatMap((found) => (found.archive === archive ? [found.image] : [])));
    const held = await leftOutImported(archive, [...taken], settings.platforms, heldBlobs(context, entries, archive));
    // The record's word, bounded: a record may name any number of bases.
    const since =
      archive.delta.since.length <= 3
        ? archive.delta.since.join(', ')
        : `${archive.delta.since.slice(0, 3).join(', ')} and ${archive.delta.since.length - 3} more`;
    const registries = context.registries();
    const missing = await missingHeld(registries, held, settings.concurrency);
    if (missing.length > 0)
      throw new Error(
        `${archive.file}: a delta against ${since} (since), and ${plural(missing.length, 'blob')} it left out ${missing.length === 1 ? 'is' : 'are'} not at the destination: ${missing.slice(0, 3).join('; ')}${missing.length > 3 ? '; ...' : ''}. Import ${since} into this destination first; nothing was pushed`,
      );
    context.log(
      `${archive.file}: a delta: ${plural(held.size, 'blob')} it left out ${held.size === 1 ? 'is' : 'are'} at the destination, where ${since} put them`,
    );
    sources.set(archive, new DeltaSource(archive.source, held, registries));
  }
  return sources;
}

/**
 * Charts read from the archives, where the package run put them: a range resolved against the versions
 * there; a chart a delta left out read from where the site holds it (`blobsOf`).
 */
function archiveChartSource(
  archives: readonly Archive[],
  find: FindImage,
  blobsOf: (archive: Archive) => ImageSource,
  platforms?: readonly Platform[],
): ChartSource {
  const locate = (reference: string) => find({ image: reference, source: reference, newImage: reference, fields: [] }, platforms);
  return {
    async tags(reference) {
      const name = parseReference(reference).name;
      return archives.flatMap((archive) =>
        archive.images.flatMap((image) =>
          image.sources.flatMap((source) => {
            const parsed = parseReference(source);
            return parsed.name === name && parsed.tag !== undefined ? [parsed.tag] : [];
          }),
        ),
      );
    },
    async manifest(reference) {
      const { archive, image } = await locate(reference);
      const manifest = await archive.source.getManifest(image.descriptor.digest, image.descriptor.mediaType);
      return { json: manifest.json, bytes: manifest.bytes, digest: manifest.descriptor.digest, mediaType: manifest.descriptor.mediaType };
    },
    async *openBlob(reference, blob) {
      const { archive } = await locate(reference);
      yield* blobsOf(archive).openBlob(blob);
    },
  };
}

export const unpackage: Mode = {
  async run(context) {
    const { registries, settings, budget, log, progress } = context;
    const archives = (await readArchiveInputs(context, settings.archives, 'archive')).map(({ archive }) => archive);
    const find = archiveLookup(archives);
    // The images inside the charts are read from the charts the archives hold: one more entry each.
    let entries = context.entries;
    let charts: ChartsFound | undefined;
    if (settings.charts && entries.some((entry) => chartFieldsOf(entry).length > 0)) {
      // A delta's chart is checked to be at the destination with the images, below, before the first push.
      const chartSources = new Map<Archive, ImageSource>();
      const blobsOf = (archive: Archive): ImageSource => {
        if (archive.delta === undefined) return archive.source;
        let source = chartSources.get(archive);
        if (source === undefined) {
          source = new DeltaSource(archive.source, heldBlobs(context, entries, archive, 'left'), registries());
          chartSources.set(archive, source);
        }
        return source;
      };
      charts = await readCharts(entries, archiveChartSource(archives, find, blobsOf, settings.platforms), {
        imageKeys: settings.imageKeys,
        naming: settings,
        limit: (work) => work(),
      });
      if (charts.errors.length > 0)
        return stopped(
          context,
          charts.errors.map((error) => ({ image: error.file, message: error.message })),
        );
      for (const chart of charts.charts) log(chartLine(chart));
      entries = charts.entries;
    }
    // Every image is found in the archives before the first push: a set that cannot be imported whole
    // is not imported in part.
    const missing: Failure[] = [];
    const found = new Map<ImageEntry, Found>();
    for (const entry of entries) {
      try {
        found.set(entry, await find(entry, settings.platforms));
      } catch (error) {
        missing.push({ image: entry.image, message: `${entry.image}: ${(error as Error).message}` });
      }
    }
    const inArchive = (entry: ImageEntry): Found => found.get(entry) as Found;
    const empty = emptyResult();
    if (missing.length > 0) return stopped(context, missing);
    // An image a docker-archive held has a manifest made on import: the digest it is pinned to is new.
    // So is one that a platform filter made of the index the YAML pins: the log says which it is.
    const rebuilt = new Set<string>();
    for (const entry of entries) {
      const { image } = inArchive(entry);
      const pinned = parseReference(entry.source).digest;
      if (pinned !== undefined && pinned !== image.descriptor.digest)
        log(
          `${entry.image}: the archive holds ${image.descriptor.digest}, what a platform filter made of the index it is pinned to (checked against that index's bytes): that is imported, and the manifests are pinned to it`,
        );
      if (image.rebuilt !== true || rebuilt.has(image.descriptor.digest)) continue;
      rebuilt.add(image.descriptor.digest);
      log(
        `${entry.image}: a docker-archive holds its config and layers but no registry manifest: ferry made one, so it is pinned to ${image.descriptor.digest}, which can differ from the digest its registry gave it`,
      );
    }
    // A delta's left-out blobs must be at the destination, where its bases were imported, before the first push.
    const sources = await deltaSources(context, entries, archives, inArchive);
    const sourceOf = (archive: Archive): ImageSource => sources.get(archive) ?? archive.source;
    // Verified from what the archive holds, offline, before the first push; trust comes only from the inputs.
    // A copy a platform filter made (when it was packaged) verifies by the index it was cut from, once
    // the filter is checked against that index's bytes in the archive.
    const madeOf = async ({ archive, image }: Found): Promise<string | undefined> => {
      for (const reference of image.sources) {
        const origin = isReference(reference) ? parseReference(reference).digest : undefined;
        if (origin !== undefined && origin !== image.descriptor.digest && (await archive.satisfies(image, origin))) return origin;
      }
      return undefined;
    };
    const gate = await verifyGate(
      context,
      await Promise.all(
        entries.map(async (entry) => {
          const found = inArchive(entry);
          const origin = settings.verify === undefined ? undefined : await madeOf(found);
          return {
            entry,
            source: sourceOf(found.archive),
            digest: found.image.descriptor.digest,
            ...(origin === undefined ? {} : { madeOf: origin }),
          };
        }),
      ),
    );
    if (gate !== undefined && gate.failures.length > 0) return stopped(context, gate.failures, gate.warnings);
    const importer = importerFor(registries(), settings, budget, (count) => progress.moved(count));
    const lacking = await settle(
      entries,
      async (entry) => {
        const { archive, image } = inArchive(entry);
        await importer.checkPlatforms(sourceOf(archive), image.descriptor.digest, image.descriptor.mediaType);
      },
      settings,
    );
    if (lacking.failures.length > 0) return stopped(context, lacking.failures, gate?.warnings);
    const { results, failures } = await settle(
      entries,
      async (entry) => {
        const { archive, image } = inArchive(entry);
        const outcome = await importer.import(entry, sourceOf(archive), image.descriptor.digest, image.descriptor.mediaType);
        const verified = gate?.verified.get(entry.image);
        return verified === undefined ? outcome : { ...outcome, verified };
      },
      { ...settings, progress, onResult: context.onImage },
    );
    const byImage = new Map(entries.map((entry) => [entry.image, entry]));
    const { platforms } = settings;
    const extraLock: Override[] = [];
    for (const { image, digest, newImage } of results) {
      const entry = byImage.get(image);
      const source = entry?.source ?? image;
      extraLock.push({ image: pinnedReference(source, digest ?? '', false), newImage });
      if (entry === undefined || digest === undefined || platforms === undefined) continue;
      // What a platform filter made (as it was packaged, or here) is locked under the index it was made
      // of too, once that index's bytes in the archive make it: a delta against this lock remakes it
      // from that index at the source, whatever the tag names by then.
      const { archive, image: archived } = inArchive(entry);
      const read = sourceOf(archive);
      const origins = archived.sources.filter(isReference).flatMap((reference) => parseReference(reference).digest ?? []);
      const madeOf = await filteredOrigin((at, mediaType) => read.getManifest(at, mediaType), origins, digest, platforms);
      if (madeOf !== undefined)
        extraLock.push({
          image: pinnedReference(source, madeOf, false),
          newImage,
          note: `made for ${platforms.map(platformText).join(', ')} of ${madeOf}`,
        });
    }
    return {
      result: { ...empty, outcomes: results, failures, tags: [...importer.tags.values()], extraLock, warnings: gate?.warnings ?? [] },
      tagger: importer.tagger,
      ...(charts === undefined ? {} : { charts: charts.charts }),
      origins: new Map(
        entries.map((entry) => {
          const { archive, image } = inArchive(entry);
          return [entry.image, { file: path.basename(archive.file), digest: image.descriptor.digest }];
        }),
      ),
    };
  },
};
