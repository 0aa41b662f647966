// Copies images into their destination names, each distinct image and destination once, every manifest
// pushed by digest; the tags to put are returned as plain data for the commit point. Shared by relocate
// (from registries) and unpackage (from an archive).
import type { ImageEntry } from '../images.js';
import { impliedTag, pinnedReference, repositoryOf, tagOf } from '../reference.js';
import type { ImageSource } from '../copy/endpoint.js';
import { Repository } from '../oci/repository.js';
import { ReadOnceSource } from '../copy/read-once.js';
import { RegistrySink } from '../remote/sink.js';
import { RegistrySource } from '../remote/source.js';
import type { ArtifactPolicy } from '../copy/artifacts.js';
import { digestTag, isDigestTagOf } from '../copy/endpoint.js';
import type { ManifestBudget } from '../copy/budget.js';
import type { CopyResult } from '../copy/copy-result.js';
import { Copier, type CopierOptions } from '../copy/walker.js';
import type { Platform } from '../oci/descriptor.js';
import type { Registries } from '../registry/registries.js';
import type { Settings } from '../settings.js';
import { type Outcome, type TagPut, type Tagger, copySummary } from '../result.js';
import type { GateResult } from '../verify/gate.js';
import type { ModeContext } from './mode.js';
import { verifyGate } from './steps.js';

/**
 * The source of each reference's repository, one per repository and shared by the verify gate and the
 * copy, so the copy reuses what the gate read.
 */
export function sharedSources(registries: Registries): (reference: string) => ReadOnceSource {
  const sources = new Map<string, ReadOnceSource>();
  return (reference) => {
    const where = repositoryOf(reference);
    const key = where.key;
    let source = sources.get(key);
    if (source === undefined) {
      source = new ReadOnceSource(new RegistrySource(registries, where));
      sources.set(key, source);
    }
    return source;
  };
}

export interface ImporterOptions {
  readonly registries: Registries;
  readonly concurrency: number;
  readonly keepTags: boolean;
  readonly dryRun: boolean;
  /** Every image goes into one repository: no tags there, they would collide. */
  readonly singleRepository: boolean;
  readonly maxBlobBytes: number;
  readonly artifacts: ArtifactPolicy;
  readonly platforms?: readonly Platform[];
  readonly budget: ManifestBudget;
  readonly onMoved?: (bytes: number) => void;
}

/** The walk a run's settings ask for. */
export function copierOptions(options: {
  concurrency: number;
  dryRun: boolean;
  maxBlobBytes: number;
  artifacts: ArtifactPolicy;
  platforms?: readonly Platform[] | undefined;
  budget: ManifestBudget;
  onMoved?: (bytes: number) => void;
}): CopierOptions {
  return {
    budget: options.budget,
    ...(options.onMoved === undefined ? {} : { onMoved: options.onMoved }),
    concurrency: options.concurrency,
    dryRun: options.dryRun,
    maxBlobBytes: options.maxBlobBytes,
    artifacts: options.artifacts,
    ...(options.platforms === undefined ? {} : { platforms: options.platforms }),
  };
}

/** The importer a run's settings ask for. */
export function importerFor(
  registries: Registries,
  settings: Settings,
  budget: ManifestBudget,
  onMoved?: (bytes: number) => void,
): Importer {
  return new Importer({
    budget,
    ...(onMoved === undefined ? {} : { onMoved }),
    registries,
    concurrency: settings.concurrency,
    keepTags: settings.keepTags,
    dryRun: settings.dryRun,
    singleRepository: settings.repository !== '',
    maxBlobBytes: settings.maxBlobBytes,
    artifacts: settings.artifacts,
    ...(settings.platforms === undefined ? {} : { platforms: settings.platforms }),
  });
}

export class Importer {
  private readonly copier: Copier;
  private readonly sinks = new Map<string, RegistrySink>();
  private readonly copies = new Map<string, Promise<CopyResult>>();
  readonly tags = new Map<string, TagPut>();

  constructor(private readonly options: ImporterOptions) {
    this.copier = new Copier(copierOptions(options));
  }

  private sink(destination: Repository): RegistrySink {
    const { key } = destination;
    let sink = this.sinks.get(key);
    if (sink === undefined) {
      sink = new RegistrySink(this.options.registries, destination);
      this.sinks.set(key, sink);
    }
    return sink;
  }

  /**
   * While the run waits for its other images to resolve: asks the destination whether this image is
   * there already (the walk's first question, answered once), and reads the source's lists of what
   * travels with it (which the walk asks either way); when the image is not there, starts reading
   * what its copy asks the source first. A re-run, whose images are all there, reads no manifest.
   */
  lookAhead(entry: ImageEntry, source: ReadOnceSource, digest: Promise<string>): void {
    const { artifacts } = this.options;
    const sink = this.sink(repositoryOf(entry.newImage));
    const tag = this.options.singleRepository ? undefined : impliedTag(entry.newImage);
    // A tag is asked about at once, beside the source's own lookup, as is the source repository's
    // list of tags; a digest once it is known, and the lists that name it.
    const found = tag === undefined ? digest.then((known) => sink.lookAhead(known)) : sink.lookAhead(tag);
    if (artifacts !== 'none') source.prepareLists(artifacts === 'signatures');
    // The walk under a platform filter reads only the children it keeps (and the index, read already
    // to resolve the tag) and asks about the index it makes: nothing is read ahead, since a registry
    // may count each manifest read as a pull.
    const filtered = this.options.platforms !== undefined;
    if (!filtered) void digest.then((known) => source.warmLists(known, artifacts)).catch(() => undefined);
    void Promise.all([found, digest])
      .then(([there, known]) => {
        if (there?.digest !== known && !filtered) source.warm(known, artifacts);
      })
      .catch(() => undefined);
  }

  /** Whether the image has every platform the run asks for: read, nothing written (see Copier.filtered). */
  async checkPlatforms(source: ImageSource, digest: string, mediaType?: string): Promise<void> {
    await this.copier.filtered(source, digest, mediaType);
  }

  async import(entry: ImageEntry, source: ImageSource, digest: string, mediaType?: string): Promise<Outcome> {
    const { options } = this;
    const destination = repositoryOf(entry.newImage);
    const sink = this.sink(destination);
    const tag = options.singleRepository ? undefined : impliedTag(entry.newImage);
    const key = `${sink.key}@${digest}:${tag ?? ''}`;
    let copy = this.copies.get(key);
    if (copy === undefined) {
      copy = this.copier.copy({ source, sink, digest, ...(tag === undefined ? {} : { tag }), ...(mediaType ? { mediaType } : {}) });
      this.copies.set(key, copy);
    }
    const result = await copy;
    const { registry, repository } = destination;
    if (tag !== undefined) this.claim(destination.withTag(tag), 'image', entry.image);
    if (tag !== undefined && !result.tagged) this.tags.set(destination.withTag(tag), { registry, repository, tag, digest: result.digest });
    for (const put of result.tags) {
      if (!isDigestTagOf(put.tag, result.digest) && !result.artifacts.some((artifact) => isDigestTagOf(put.tag, artifact.subject)))
        throw new Error(`${sink.key}: ${put.tag} travels with ${result.digest} but is not a digest tag of anything in it: refused`);
      this.claim(destination.withTag(put.tag), 'artifact', entry.image);
      this.tags.set(destination.withTag(put.tag), { registry, repository, ...put, travels: true });
    }
    for (const { subject, referrer } of result.referrerListings) {
      const tag = digestTag(subject);
      this.tags.set(`${destination.withTag(tag)}@${referrer.digest}`, {
        registry,
        repository,
        tag,
        digest: referrer.digest,
        referrer: { subject, descriptor: referrer },
      });
    }
    return {
      image: entry.image,
      digest: result.digest,
      tag: tag ?? tagOf(entry.newImage),
      newImage: pinnedReference(entry.newImage, result.digest, options.keepTags && !options.singleRepository),
      copy: copySummary(result, sink.key, key),
    };
  }

  /** Who puts each tag: an image's own tag is never put by something that travels with another. */
  private readonly claims = new Map<string, { kind: 'image' | 'artifact'; image: string }>();

  private claim(key: string, kind: 'image' | 'artifact', image: string): void {
    const held = this.claims.get(key);
    if (held !== undefined && held.kind !== kind)
      throw new Error(
        `${key} is the tag of ${held.kind === 'image' ? held.image : image} itself, and an artifact would put it too: refused`,
      );
    if (held === undefined) this.claims.set(key, { kind, image });
  }

  /** Puts a tag through the sink that pushed the manifest, so a manifest this run pushed is not read back. */
  readonly tagger: Tagger = (put) =>
    put.referrer === undefined
      ? this.sink(Repository.of(put)).tag(put.digest, put.tag)
      : this.sink(Repository.of(put)).addReferrer(put.referrer.subject, put.referrer.descriptor);
}

/** The gate for modes that pin or plan without copying (resolve, plan): each resolved image checked at its registry. */
export function preflight(
  context: ModeContext,
  resolved: readonly { readonly entry: ImageEntry; readonly digest: string }[],
): Promise<GateResult | undefined> {
  if (context.settings.verify === undefined) return Promise.resolve(undefined);
  const sourceOf = sharedSources(context.registries());
  return verifyGate(
    context,
    resolved.map(({ entry, digest }) => ({ entry, digest, source: sourceOf(entry.source) })),
  );
}
