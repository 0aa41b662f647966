// package: every image copied whole into one deterministic archive, laid out before the first blob
// arrives and each blob written once, in place; renamed into place at the commit point. The YAML is
// left alone; the lock records the digests.
import path from 'node:path';
import { ArchiveFile, ArchivePlanner } from '../archive/archive-file.js';
import { type LeftOut, deltaBytes, deltaFile } from '../archive/delta.js';
import { findSince, heldBySince } from './delta-bases.js';
import { bytes, plural } from '../format.js';
import { BlobStore } from '../archive/store.js';
import { cacheKey, loadCacheClient, restoreBlobs, saveBlobs } from '../archive/cache.js';
import type { ArchivedArtifact, ArchivedImage } from '../archive/layout-index.js';
import type { ImageEntry } from '../images.js';
import { impliedTag, parseReference, pinnedReference, referenceText, tagOf } from '../reference.js';
import type { ImageSink } from '../copy/endpoint.js';
import type { CopyResult } from '../copy/copy-result.js';
import { Copier } from '../copy/walker.js';
import { type Outcome, copySummary } from '../result.js';
import { copierOptions, sharedSources } from './importer.js';
import type { Mode } from './mode.js';
import { emptyResult, stopped, settle, verifyGate } from './steps.js';
import { readingResolver } from './resolver.js';

/**
 * The full pinned form kept in an archive: `registry/repository[:tag]@digest`, the tag the reference
 * means (`latest` for a name without one): what the image answers to at the site besides its ref name.
 */
function pinnedSource(reference: string, digest: string): string {
  return referenceText(parseReference(reference).name, impliedTag(reference), digest);
}

export const packageMode: Mode = {
  async run(context) {
    const { entries, registries, settings, budget, log, notice, progress, onCleanup } = context;
    if (settings.since.length > 0) await findSince(settings);
    if (!settings.dryRun) loadCacheClient();
    const clients = registries();
    const sourceOf = sharedSources(clients);
    const resolveDigest = readingResolver(clients, sourceOf);
    const resolved = await settle(
      entries,
      async (entry) => {
        const source = sourceOf(entry.source);
        const lookup = resolveDigest(entry.source);
        // The archive is laid out from every manifest and every list of what travels with them: while
        // the other images resolve, this one's are read already (nothing awaited, a failure forgotten:
        // the walk asks again and reports it). Not under a platform filter, whose walk reads only the
        // children it keeps: a registry may count each manifest read as a pull.
        if (settings.platforms === undefined) {
          if (settings.artifacts !== 'none') source.prepareLists(settings.artifacts === 'signatures');
          void lookup.then((digest) => source.warm(digest, settings.artifacts)).catch(() => undefined);
        }
        return [entry, await lookup] as const;
      },
      settings,
    );
    const empty = emptyResult();
    if (resolved.failures.length > 0) return stopped(context, resolved.failures);
    const digests = new Map<ImageEntry, string>(resolved.results);
    const gate = await verifyGate(
      context,
      entries.map((entry) => ({ entry, source: sourceOf(entry.source).forGate(), digest: digests.get(entry) ?? '' })),
    );
    if (gate !== undefined && gate.failures.length > 0) return stopped(context, gate.failures, gate.warnings);

    const storeDir = path.join(settings.tempDir, 'ferry-blobs');
    const key = cacheKey(digests.values());
    const restored = settings.dryRun ? 'unavailable' : await restoreBlobs(storeDir, key);
    if (settings.dryRun) log('dry run: the blob store cache is not used');
    else if (restored === 'unavailable') notice('The GitHub Actions cache is not available here: the blob store is not cached.');
    else log(`blob store cache ${key}: ${restored}`);

    // The first walk reads every manifest (no blob) and lays the archive out; the second fills it, each
    // blob written once, in place, as it arrives. A dry run walks once and writes nothing.
    const cache = settings.dryRun || restored === 'unavailable' ? undefined : new BlobStore(storeDir);
    // The archive keeps an index a platform filter cut, and what travels with it: its signatures verify the copy at the site.
    const copier = new Copier({
      ...copierOptions({ ...settings, budget, onMoved: (count) => progress.moved(count) }),
      originTravels: true,
    });
    // A delta: the blobs the site holds (since) are left out, and recorded with where the site holds them.
    const held =
      settings.since.length === 0
        ? new Map<string, LeftOut>()
        : await heldBySince(context, (reference) => sourceOf(reference), resolveDigest);
    const planner = new ArchivePlanner(settings.archive, !settings.dryRun, held);
    const outcomeOf = (entry: ImageEntry, result: CopyResult): Outcome => {
      const verified = gate?.verified.get(entry.image);
      return {
        image: entry.image,
        digest: result.digest,
        tag: tagOf(entry.source),
        newImage: pinnedReference(entry.source, result.digest, settings.keepTags),
        copy: copySummary(result, 'archive'),
        ...(verified === undefined ? {} : { verified }),
      };
    };
    // The walk that is the run's work (filling the archive; planning it, in a dry run) tells of each image as it is done.
    const walk = (sink: ImageSink, tells: boolean) => {
      const copies = new Map<string, Promise<CopyResult>>();
      return async (entry: ImageEntry): Promise<CopyResult> => {
        const digest = digests.get(entry) ?? '';
        let copy = copies.get(digest);
        if (copy === undefined) {
          copy = copier.copy({ source: sourceOf(entry.source), sink, digest });
          copies.set(digest, copy);
        }
        const result = await copy;
        if (tells) context.onImage?.(outcomeOf(entry, result));
        return result;
      };
    };
    const planned = await settle(entries, walk(planner, settings.dryRun), {
      ...settings,
      progress: settings.dryRun ? progress : undefined,
    });
    if (planned.failures.length > 0) return stopped(context, planned.failures, gate?.warnings);
    // An index a platform filter cut goes into the archive beside what was made of it: unpackage checks
    // the derivation against its bytes before that copy may stand for a reference pinned to it.
    for (const [at, result] of planned.results.entries()) {
      if (result.filteredFrom === undefined) continue;
      const original = await sourceOf((entries[at] as ImageEntry).source).getManifest(result.filteredFrom);
      await planner.putManifest(original.descriptor, original.bytes);
    }
    const byEntry = new Map(entries.map((entry, at) => [entry, planned.results[at] as CopyResult]));
    const archived: ArchivedImage[] = entries.map((entry) => {
      const result = byEntry.get(entry) as CopyResult;
      return {
        descriptor: { mediaType: result.mediaType, digest: result.digest, size: result.size },
        refName: entry.image,
        ...(entry.source === entry.image ? {} : { name: entry.source }),
        // What it was packaged from: the source's own digest, before any platform filter.
        source: pinnedSource(entry.source, digests.get(entry) ?? ''),
      };
    });
    const artifacts: ArchivedArtifact[] = planned.results.flatMap((result) =>
      result.artifacts.map((artifact) => ({
        descriptor: {
          mediaType: artifact.mediaType,
          digest: artifact.digest,
          size: artifact.size,
          ...(artifact.artifactType === undefined ? {} : { artifactType: artifact.artifactType }),
        },
        subject: artifact.subject,
        ...(artifact.tag === undefined ? {} : { tag: artifact.tag }),
      })),
    );
    const leftOut = [...planner.leftOut.keys()].map((digest) => held.get(digest) as LeftOut);
    const delta = settings.since.length === 0 ? undefined : { since: [...new Set(leftOut.map((blob) => blob.base))], blobs: leftOut };
    if (delta !== undefined) {
      const bytesLeftOut = leftOut.reduce((sum, blob) => sum + blob.size, 0);
      log(
        `${settings.archive}: a delta against ${settings.since.join(', ')}: ${plural(leftOut.length, 'blob')} (${bytes(bytesLeftOut)}) left out, which the site holds`,
      );
    }
    let filled = planned;
    let archive: ArchiveFile | undefined;
    if (!settings.dryRun) {
      archive = await ArchiveFile.create(
        settings.archive,
        {
          blobs: planner.blobs,
          manifests: planner.manifests,
          images: archived,
          artifacts,
          ...(delta === undefined
            ? {}
            : { leftOut: new Set(planner.leftOut.keys()), extras: [{ name: deltaFile, bytes: deltaBytes(delta) }] }),
        },
        {
          ...(cache === undefined ? {} : { cache }),
          ...(settings.archivePartSize === undefined ? {} : { partSize: settings.archivePartSize }),
        },
      );
      const laidOut = archive;
      // Closed, never removed: what a stopped run wrote is there for the next run of this archive to resume.
      onCleanup(() => laidOut.close());
      if (archive.resumedBlobs > 0)
        log(
          `${settings.archive}: resumed: ${plural(archive.resumedBlobs, 'blob')} (${bytes(archive.resumedBytes)}) an earlier run wrote are in place, each checked against its digest`,
        );
      filled = await settle(entries, walk(archive, true), { ...settings, progress });
      if (archive.storeSkipped > 0)
        log(
          `${settings.archive}: the blob store kept no new copy of ${plural(archive.storeSkipped, 'blob')}: the disk it shares with the archive had room for the archive alone`,
        );
      const missing = archive.missing();
      if (filled.failures.length === 0 && missing.length > 0)
        throw new Error(`${settings.archive}: ${missing.length} blobs laid out were not written (${missing.slice(0, 3).join(', ')})`);
    }
    const outcomes: Outcome[] = filled.results.map((result, at) => outcomeOf(entries[at] as ImageEntry, result));
    return {
      result: {
        ...empty,
        outcomes: filled.failures.length === 0 ? outcomes : [],
        failures: filled.failures,
        warnings: gate?.warnings ?? [],
        ...(archive === undefined
          ? {}
          : {
              archive: {
                file: archive.file,
                files: archive.files,
                ...(archive.resumedBlobs === 0 ? {} : { resumed: { blobs: archive.resumedBlobs, bytes: archive.resumedBytes } }),
                ...(delta === undefined
                  ? {}
                  : { delta: { since: delta.since, blobs: leftOut.length, bytes: leftOut.reduce((sum, blob) => sum + blob.size, 0) } }),
              },
            }),
      },
      finish: async () => {
        if (cache !== undefined && restored !== 'restored') log(`blob store cache ${key}: ${await saveBlobs(storeDir, key)}`);
      },
    };
  },
};
