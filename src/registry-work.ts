// The registry work of resolve and relocate: which digest each image is, and copying it. Takes plain
// values and returns plain values; main.ts turns the results into YAML edits, a lock and a report.
import pLimit from 'p-limit';
import type { Archive, ArchiveImage } from './archive/read.js';
import type { BlobStore } from './archive/store.js';
import type { ArchivedImage } from './archive/write.js';
import type { PlanEntry } from './plan.js';
import { parseReference, parseReferenceParts } from './reference.js';
import { Copier, type CopyResult, type ImageSource, type Location, RegistrySink, RegistrySource } from './relocate.js';
import type { Registries } from './registry/registries.js';

export interface ImageOutcome {
  readonly entry: PlanEntry;
  /** What the YAML will say: a name pinned by digest. */
  readonly newImage: string;
  readonly digest: string;
  readonly copy?: CopyResult & { readonly destination: string };
  /** The tag put on the destination at the commit point, if any. */
  readonly tag?: { readonly sink: RegistrySink; readonly tag: string };
}

export class ImageFailure extends Error {
  constructor(
    readonly entry: PlanEntry,
    readonly reason: string,
  ) {
    super(`${entry.image}: ${reason}`);
    this.name = 'ImageFailure';
  }
}

function location(reference: string): Location {
  const parsed = parseReference(reference);
  return { registry: parsed.registry, repository: parsed.repository };
}

/** `name@digest`, or `name:tag@digest` when tags are kept; the name as the reference writes it. */
export function pinned(reference: string, digest: string, keepTags: boolean): string {
  const parts = parseReferenceParts(reference);
  const name = parts.domain === undefined ? parts.path : `${parts.domain}/${parts.path}`;
  return keepTags && parts.tag !== undefined ? `${name}:${parts.tag}@${digest}` : `${name}@${digest}`;
}

export interface WorkOptions {
  readonly registries: Registries;
  readonly concurrency: number;
  readonly keepTags: boolean;
  readonly dryRun: boolean;
  /** Every image goes into one repository: no tags there, they would collide. */
  readonly singleRepository: boolean;
}

async function settle<T>(
  entries: readonly PlanEntry[],
  work: (entry: PlanEntry) => Promise<T>,
): Promise<{ results: T[]; failures: ImageFailure[] }> {
  const settled = await Promise.allSettled(entries.map(work));
  const results: T[] = [];
  const failures: ImageFailure[] = [];
  settled.forEach((outcome, index) => {
    const entry = entries[index] as PlanEntry;
    if (outcome.status === 'fulfilled') results.push(outcome.value);
    else failures.push(new ImageFailure(entry, outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason)));
  });
  return { results, failures };
}

/** The digest of a reference: its own when pinned (checked to exist), else its tag resolved (HEAD first). */
function digestResolver(options: WorkOptions): (reference: string) => Promise<string> {
  const limit = pLimit(options.concurrency);
  const cache = new Map<string, Promise<string>>();
  return (reference) => {
    const parsed = parseReference(reference);
    const key = parsed.toString();
    let pending = cache.get(key);
    if (pending === undefined) {
      const client = options.registries.client(parsed.registry);
      pending = limit(async () => (await client.resolve(parsed.repository, parsed.digest ?? parsed.tag ?? 'latest')).digest);
      cache.set(key, pending);
    }
    return pending;
  };
}

/** resolve mode: every image pinned to its digest in place, the name kept as written. */
export async function resolveImages(
  entries: readonly PlanEntry[],
  options: WorkOptions,
): Promise<{ results: ImageOutcome[]; failures: ImageFailure[] }> {
  const digestOf = digestResolver(options);
  return settle(entries, async (entry) => {
    const digest = await digestOf(entry.source);
    return { entry, digest, newImage: pinned(entry.source, digest, options.keepTags) };
  });
}

/**
 * relocate mode: every image copied whole to its destination name (entry.newImage), pushed by digest;
 * the tags are returned to be put at the commit point.
 */
/**
 * Copies images into their destination names (entry.newImage), each distinct image and destination
 * once, pushed by digest; the tags are returned to be put at the commit point.
 */
class Importer {
  private readonly copier: Copier;
  private readonly sinks = new Map<string, RegistrySink>();
  private readonly copies = new Map<string, Promise<CopyResult>>();

  constructor(private readonly options: WorkOptions) {
    this.copier = new Copier({ concurrency: options.concurrency, dryRun: options.dryRun });
  }

  private sink(destination: Location): RegistrySink {
    const key = `${destination.registry}/${destination.repository}`;
    let sink = this.sinks.get(key);
    if (sink === undefined) {
      sink = new RegistrySink(this.options.registries, destination);
      this.sinks.set(key, sink);
    }
    return sink;
  }

  async import(entry: PlanEntry, source: ImageSource, digest: string, mediaType?: string): Promise<ImageOutcome> {
    const { options } = this;
    const sink = this.sink(location(entry.newImage));
    const tag = options.singleRepository ? undefined : parseReferenceParts(entry.newImage).tag;
    const key = `${sink.key}@${digest}:${tag ?? ''}`;
    let copy = this.copies.get(key);
    if (copy === undefined) {
      copy = this.copier.copy(source, sink, digest, tag, mediaType);
      this.copies.set(key, copy);
    }
    const result = await copy;
    return {
      entry,
      digest,
      newImage: pinned(entry.newImage, digest, options.keepTags && !options.singleRepository),
      copy: { ...result, destination: sink.key },
      ...(tag === undefined || result.tagged ? {} : { tag: { sink, tag } }),
    };
  }
}

/** relocate mode: every image copied whole from its source registry to its destination name. */
export async function relocateImages(
  entries: readonly PlanEntry[],
  options: WorkOptions,
): Promise<{ results: ImageOutcome[]; failures: ImageFailure[] }> {
  const digestOf = digestResolver(options);
  const importer = new Importer(options);
  return settle(entries, async (entry) => {
    // A pinned source needs no lookup: the copy reads it by digest, or finds it at the destination.
    const digest = parseReference(entry.source).digest ?? (await digestOf(entry.source));
    return importer.import(entry, new RegistrySource(options.registries, location(entry.source)), digest);
  });
}

/** The full pinned form kept in an archive: `registry/repository[:tag]@digest`. */
function pinnedSource(reference: string, digest: string): string {
  const parsed = parseReference(reference);
  return `${parsed.name}${parsed.tag === undefined ? '' : `:${parsed.tag}`}@${digest}`;
}

/** The digests of every entry's source: the lock's or the reference's own, else resolved. */
export async function sourceDigests(
  entries: readonly PlanEntry[],
  options: WorkOptions,
): Promise<{ digests: Map<PlanEntry, string>; failures: ImageFailure[] }> {
  const digestOf = digestResolver(options);
  const { results, failures } = await settle(
    entries,
    async (entry) => [entry, parseReference(entry.source).digest ?? (await digestOf(entry.source))] as const,
  );
  return { digests: new Map(results), failures };
}

/** package mode: every image copied whole into the blob store; what the archive's index will list. */
export async function packageImages(
  entries: readonly PlanEntry[],
  digests: ReadonlyMap<PlanEntry, string>,
  store: BlobStore,
  options: WorkOptions,
): Promise<{ results: (ImageOutcome & { archived: ArchivedImage })[]; failures: ImageFailure[] }> {
  const copier = new Copier({ concurrency: options.concurrency, dryRun: options.dryRun });
  const copies = new Map<string, Promise<CopyResult>>();
  return settle(entries, async (entry) => {
    const digest = digests.get(entry) ?? '';
    let copy = copies.get(digest);
    if (copy === undefined) {
      copy = copier.copy(new RegistrySource(options.registries, location(entry.source)), store, digest);
      copies.set(digest, copy);
    }
    const result = await copy;
    const archived: ArchivedImage = {
      descriptor: { mediaType: result.mediaType, digest, size: result.size },
      refName: entry.image,
      source: pinnedSource(entry.source, digest),
    };
    return {
      entry,
      digest,
      newImage: pinned(entry.source, digest, options.keepTags),
      copy: { ...result, destination: 'archive' },
      archived,
    };
  });
}

/** The archive image a plan entry names: by ref name, by digest, or by the one image of its repository. */
function findInArchive(entry: PlanEntry, archive: Archive): ArchiveImage {
  const byName = archive.images.find((image) => image.refName === entry.image);
  if (byName) return byName;
  const source = parseReference(entry.source);
  if (source.digest !== undefined) {
    const byDigest = archive.images.find((image) => image.descriptor.digest === source.digest);
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
  throw new Error(`not in the archive (${archive.images.length} images there; package it, or pin the reference by digest)`);
}

/** unpackage mode: every image imported from the archive into its destination, with no source registry. */
export async function unpackageImages(
  entries: readonly PlanEntry[],
  archive: Archive,
  options: WorkOptions,
): Promise<{ results: ImageOutcome[]; failures: ImageFailure[] }> {
  const importer = new Importer(options);
  return settle(entries, async (entry) => {
    const image = findInArchive(entry, archive);
    return importer.import(entry, archive.store, image.descriptor.digest, image.descriptor.mediaType);
  });
}
