// package: every image copied whole into a blob store, then written as one deterministic archive at the
// commit point. The YAML is left alone; the lock records the digests.
import path from 'node:path';
import { BlobStore } from '../archive/store.js';
import type { ArchivedArtifact, ArchivedImage } from '../archive/write.js';
import type { ImageEntry } from '../images.js';
import { parseReference, pinnedReference, referenceText, tagOf } from '../reference.js';
import { Copier, type CopyResult } from '../copy/walker.js';
import { type Outcome, copySummary } from '../result.js';
import { copierOptions, sharedSources } from './importer.js';
import { type Mode, settle, verifyGate } from './mode.js';
import { digestResolver } from './resolver.js';

/** The full pinned form kept in an archive: `registry/repository[:tag]@digest`. */
function pinnedSource(reference: string, digest: string): string {
  const parsed = parseReference(reference);
  return referenceText(parsed.name, parsed.tag, digest);
}

export const packageMode: Mode = {
  keepsNames: true,
  pins: true,
  needsImages: true,
  async run(context) {
    const { entries, registries, settings, budget, log, notice, progress } = context;
    const clients = registries();
    const digestOf = digestResolver(clients, settings.concurrency);
    const resolved = await settle(
      entries,
      async (entry) => [entry, parseReference(entry.source).digest ?? (await digestOf(entry.source))] as const,
    );
    const empty = { outcomes: [], tags: [], edit: false, extraLock: [] };
    if (resolved.failures.length > 0) return { result: { ...empty, failures: resolved.failures } };
    const digests = new Map<ImageEntry, string>(resolved.results);
    const sourceOf = sharedSources(clients);
    const gate = await verifyGate(
      context,
      entries.map((entry) => ({ entry, source: sourceOf(entry.source).forGate(), digest: digests.get(entry) ?? '' })),
    );
    if (gate !== undefined && gate.failures.length > 0) return { result: { ...empty, failures: gate.failures, warnings: gate.warnings } };

    // The cache client is large (the Azure SDK): loaded only when packaging.
    const { cacheKey, restoreBlobs, saveBlobs } = await import('../archive/cache.js');
    const storeDir = path.join(settings.tempDir, 'ferry-blobs');
    const key = cacheKey(digests.values());
    const restored = settings.dryRun ? 'unavailable' : await restoreBlobs(storeDir, key);
    if (settings.dryRun) log('dry run: the blob store cache is not used');
    else if (restored === 'unavailable') notice('The GitHub Actions cache is not available here: the blob store is not cached.');
    else log(`blob store cache ${key}: ${restored}`);

    const store = new BlobStore(storeDir);
    const copier = new Copier(copierOptions({ ...settings, budget, onMoved: (count) => progress.moved(count) }));
    const copies = new Map<string, Promise<CopyResult>>();
    const archived: ArchivedImage[] = [];
    const artifacts: ArchivedArtifact[] = [];
    const { results, failures } = await settle(
      entries,
      async (entry): Promise<Outcome> => {
        const digest = digests.get(entry) ?? '';
        let copy = copies.get(digest);
        if (copy === undefined) {
          copy = copier.copy({ source: sourceOf(entry.source), sink: store, digest });
          copies.set(digest, copy);
        }
        const result = await copy;
        archived.push({
          descriptor: { mediaType: result.mediaType, digest: result.digest, size: result.size },
          refName: entry.image,
          // What it was packaged from: the source's own digest, before any platform filter.
          source: pinnedSource(entry.source, digest),
        });
        for (const artifact of result.artifacts) {
          const { mediaType, size, artifactType } = artifact;
          artifacts.push({
            descriptor: { mediaType, digest: artifact.digest, size, ...(artifactType === undefined ? {} : { artifactType }) },
            subject: artifact.subject,
            ...(artifact.tag === undefined ? {} : { tag: artifact.tag }),
          });
        }
        return {
          image: entry.image,
          digest: result.digest,
          tag: tagOf(entry.source),
          newImage: pinnedReference(entry.source, result.digest, settings.keepTags),
          copy: copySummary(result, 'archive'),
          ...(gate?.verified.has(entry.image) ? { verified: gate.verified.get(entry.image) } : {}),
        };
      },
      progress,
    );
    return {
      result: {
        ...empty,
        outcomes: results,
        failures,
        warnings: gate?.warnings ?? [],
        archive: { file: settings.archive, storeDir, blobs: [...store.touched], images: archived, artifacts },
      },
      finish: async () => {
        if (restored !== 'unavailable' && restored !== 'restored') log(`blob store cache ${key}: ${await saveBlobs(storeDir, key)}`);
      },
    };
  },
};
