// A registry repository as either end of a copy: read by digest, written by digest, tags left to the
// commit point. The source finds what refers to a manifest the two ways the distribution spec allows
// (the referrers API, else the referrers tag schema) and cosign's digest tags; the sink keeps the
// referrers tag schema for registries without the API, as the spec tells a client to.
import type { Readable } from 'node:stream';
import type { Descriptor } from '../oci/descriptor.js';
import { type Manifest, toDescriptor } from '../oci/manifest.js';
import { foreignLayerTypes, indexMediaTypes, ociIndex } from '../oci/media-types.js';
import type { RegistryClient } from '../registry/client.js';
import type { RegistryReader } from '../registry/mirrors.js';
import { RegistryError } from '../registry/errors.js';
import { maxReferrers } from '../oci/limits.js';
import type { Registries } from '../registry/registries.js';
import { once } from '../once.js';
import {
  type ImageSink,
  type ImageSource,
  type Location,
  type PutResult,
  type TaggedArtifact,
  digestTag,
  isDigestTagOf,
} from './endpoint.js';

function notFound(error: unknown): undefined {
  if (error instanceof RegistryError && error.status === 404) return undefined;
  throw error;
}

/**
 * For a manifest ferry asks about without knowing it exists (a digest tag, a referrers schema tag, an
 * image at its destination), a 403 is "not there": registries that hide what does not exist
 * (Artifactory, some Harbor and Nexus set-ups) answer 403 where others answer 404. Said once per
 * registry. A 403 for a source image stays an error: that one must exist.
 */
function notThere(client: RegistryReader, reference: string): (error: unknown) => undefined {
  return (error) => {
    if (error instanceof RegistryError && error.status === 403) {
      const known = factsOf(client);
      if (!known.hidesMissing) {
        known.hidesMissing = true;
        client.notice(
          `${client.registry} answered 403 for ${reference}, which ferry asks about without knowing it exists: read as "not there" (registries that hide what does not exist answer 403), here and for the rest of the run`,
        );
      }
      return undefined;
    }
    return notFound(error);
  };
}

/** What a run learned about each registry: whether it has the referrers API, each repository's tags. */
interface RegistryFacts {
  /** Settled by the first referrers request, which the others wait for: one 404 tells for the registry. */
  referrersApi?: Promise<boolean | undefined>;
  readonly tags: Map<string, Promise<ReadonlySet<string>>>;
  /** Whether the registry answered 403 for an artifact that is not there (said once). */
  hidesMissing?: boolean;
}
const facts = new WeakMap<RegistryReader, RegistryFacts>();
function factsOf(client: RegistryReader): RegistryFacts {
  let known = facts.get(client);
  if (known === undefined) {
    known = { tags: new Map() };
    facts.set(client, known);
  }
  return known;
}

/**
 * The referrers API's answer for `digest`, undefined when the registry has no API. The first request
 * to a registry decides for it, and the others wait for that answer; a failed first request decides
 * nothing (its caller sees the error, the next request decides).
 */
async function referrersApi(client: RegistryReader, repository: string, digest: string): Promise<Descriptor[] | undefined> {
  const known = factsOf(client);
  const settled = known.referrersApi === undefined ? undefined : await known.referrersApi;
  if (settled === false) return undefined;
  if (settled === true) return client.referrers(repository, digest);
  const first = client.referrers(repository, digest);
  known.referrersApi = first.then(
    (listed) => listed !== undefined,
    () => {
      known.referrersApi = undefined;
      return undefined;
    },
  );
  return first;
}

/** The referrers a registry lists for `digest`: the API first, then (no API) the tag schema. */
async function listReferrers(
  client: RegistryReader,
  repository: string,
  digest: string,
  tags: (() => Promise<ReadonlySet<string>>) | undefined,
): Promise<Descriptor[]> {
  const listed = await referrersApi(client, repository, digest);
  if (listed !== undefined) return listed;
  const tag = digestTag(digest);
  // With the repository's tags at hand, a missing schema tag costs no request.
  if (tags !== undefined && !(await tags()).has(tag)) return [];
  const index = await client.getManifestAtOwner(repository, tag).catch(notThere(client, `${repository}:${tag}`));
  if (index === undefined) return [];
  const list = index.json.manifests;
  if (!Array.isArray(list)) throw new Error(`${client.registry}/${repository}:${tag} is not an index of referrers`);
  return list.map((item) => toDescriptor(item, `${client.registry}/${repository}:${tag}`));
}

/**
 * Digest tags kept from tag lists in one run, at most: only they matter (cosign's tags and the
 * referrers tag schema), and a hostile registry's lists of a million long tags per repository are
 * otherwise kept whole, repository after repository.
 */
export const maxDigestTagsPerRun = 500_000;
/** A tag of the digest scheme: `<algorithm>-<hex>`, with a suffix or not (what `digestTag` makes). */
const digestShaped = /^[a-z0-9]{1,32}-[a-f0-9]{64}(?:\..+)?$/;
const keptPerRun = new WeakMap<Registries, { count: number }>();

export class RegistrySource implements ImageSource {
  readonly key: string;
  private readonly client: RegistryReader;
  private readonly kept: { count: number };
  constructor(
    registries: Registries,
    readonly location: Location,
    private readonly maxDigestTags = maxDigestTagsPerRun,
  ) {
    this.client = registries.reader(location.registry);
    this.key = `${location.registry}/${location.repository}`;
    let kept = keptPerRun.get(registries);
    if (kept === undefined) {
      kept = { count: 0 };
      keptPerRun.set(registries, kept);
    }
    this.kept = kept;
  }
  getManifest(digest: string): Promise<Manifest> {
    return this.client.getManifest(this.location.repository, digest);
  }
  openBlob(blob: Descriptor): Readable {
    return this.client.getBlob(this.location.repository, blob.digest, blob.size);
  }
  /** The repository's tags, listed once per run. */
  private tags(): Promise<ReadonlySet<string>> {
    const { repository } = this.location;
    const kept = this.kept;
    const onKept = (count: number): void => {
      kept.count += count;
      if (kept.count > this.maxDigestTags)
        throw new Error(
          `${this.key}: the run has read more than ${this.maxDigestTags} digest tags from tag lists, the most it keeps: set artifacts to signatures or none`,
        );
    };
    return once(
      factsOf(this.client).tags,
      repository,
      async () => new Set(await this.client.listTags(repository, { keep: (tag) => digestShaped.test(tag), onKept })),
    );
  }
  /** Every suffix is found in the repository's tags: their list is started now. Signatures only are asked by name. */
  prepareLists(signaturesOnly: boolean): void {
    if (!signaturesOnly) this.tags().catch(() => undefined);
  }
  referrers(digest: string, signaturesOnly: boolean): Promise<Descriptor[]> {
    return listReferrers(this.client, this.location.repository, digest, signaturesOnly ? undefined : () => this.tags());
  }
  async digestTags(digest: string, signaturesOnly: boolean): Promise<TaggedArtifact[]> {
    const names = signaturesOnly
      ? [`${digestTag(digest)}.sig`]
      : [...(await this.tags())].filter((tag) => isDigestTagOf(tag, digest)).sort();
    // Each is asked about: a repository with more than one manifest may carry is refused before a request.
    if (names.length > maxReferrers)
      throw new Error(
        `${this.key} has ${names.length} tags next to ${digest}, more than the ${maxReferrers} ferry carries with one manifest: set artifacts to signatures or none`,
      );
    const found = await Promise.all(
      names.map(async (tag) => {
        const descriptor = await this.client
          .resolveAtOwner(this.location.repository, tag)
          .catch(notThere(this.client, `${this.location.repository}:${tag}`));
        return descriptor === undefined ? undefined : { tag, descriptor };
      }),
    );
    return found.filter((artifact) => artifact !== undefined);
  }
}

export class RegistrySink implements ImageSink {
  readonly key: string;
  private readonly client: RegistryClient;
  /** Manifests this run pushed, so tagging one needs no read. */
  private readonly pushed = new Map<string, { bytes: Buffer; mediaType: string }>();
  /** Updates of one referrers schema tag, one after another. */
  private readonly schemaUpdates = new Map<string, Promise<void>>();
  constructor(
    registries: Registries,
    readonly location: Location,
  ) {
    this.client = registries.client(location.registry);
    this.key = `${location.registry}/${location.repository}`;
  }
  /**
   * Whether the repository did not exist when this run first missed a manifest in it: then it holds no
   * blob and no manifest to ask about, but what this run put there.
   */
  private fresh: Promise<boolean> | undefined;
  /** Lookups started ahead of the walk (`lookAhead`), each answered once to the walk's first asking. */
  private readonly ahead = new Map<string, Promise<Descriptor | undefined>>();

  /** Starts the lookup of `reference` now; the walk's first `resolve` of it takes the answer. */
  lookAhead(reference: string): Promise<Descriptor | undefined> {
    let pending = this.ahead.get(reference);
    if (pending === undefined) {
      pending = this.lookUp(reference);
      this.ahead.set(reference, pending);
      pending.catch(() => this.ahead.delete(reference));
    }
    return pending;
  }

  async resolve(reference: string): Promise<Descriptor | undefined> {
    const ahead = this.ahead.get(reference);
    if (ahead !== undefined) {
      this.ahead.delete(reference);
      return ahead;
    }
    return this.lookUp(reference);
  }

  /** The repository's first lookup: the others wait for it, since a miss tells them all whether to ask. */
  private first: Promise<unknown> | undefined;
  private async lookUp(reference: string): Promise<Descriptor | undefined> {
    if (this.fresh === undefined && this.first !== undefined) await this.first.catch(() => undefined);
    if (this.fresh !== undefined && (await this.fresh)) {
      const pushed = this.pushed.get(reference);
      return pushed === undefined ? undefined : { mediaType: pushed.mediaType, digest: reference, size: pushed.bytes.length };
    }
    const lookup = this.client
      .resolve(this.location.repository, reference)
      .catch(notThere(this.client, `${this.location.repository}@${reference}`));
    this.first ??= lookup;
    const found = await lookup;
    // A miss: learn, beside the rest of the walk, whether the repository exists at all.
    if (found === undefined) this.fresh ??= this.repositoryMissing();
    return found;
  }
  private async repositoryMissing(): Promise<boolean> {
    // Not known (an error): every blob is asked about, as before.
    return !(await this.client.hasRepository(this.location.repository).catch(() => true));
  }
  async hasBlob(blob: Descriptor, mountFrom?: Location): Promise<boolean> {
    // In one registry the mount answers both questions in one request; a HEAD first would be one more.
    if (mountFrom?.registry === this.location.registry && mountFrom.repository !== this.location.repository && !this.client.refusesMounts)
      return false;
    if (this.fresh !== undefined && (await this.fresh)) return false;
    return (await this.client.headBlob(this.location.repository, blob.digest)) !== undefined;
  }
  putBlob(blob: Descriptor, open: () => Readable, mountFrom?: Location): Promise<PutResult> {
    const mount = mountFrom?.registry === this.location.registry ? mountFrom.repository : undefined;
    return this.client.uploadBlob(this.location.repository, blob.digest, blob.size, open, mount).catch((error: unknown) => {
      throw explainRefusal(error, blob.mediaType, this.location);
    });
  }
  async putManifest(descriptor: Descriptor, bytes: Buffer): Promise<{ listed: boolean }> {
    const pushed = await this.client
      .pushManifest(this.location.repository, descriptor.digest, bytes, descriptor.mediaType)
      .catch((error: unknown) => {
        throw explainRefusal(error, descriptor.mediaType, this.location, hasForeignLayers(bytes));
      });
    this.pushed.set(descriptor.digest, { bytes, mediaType: descriptor.mediaType });
    if (pushed.subjectAware) factsOf(this.client).referrersApi = Promise.resolve(true);
    return { listed: pushed.subjectAware };
  }
  /** Puts the tag on a manifest that is already there (the commit point of relocation). */
  async tag(digest: string, tag: string): Promise<void> {
    let manifest = this.pushed.get(digest);
    if (manifest === undefined) {
      const fetched = await this.client.getManifest(this.location.repository, digest);
      manifest = { bytes: fetched.bytes, mediaType: fetched.descriptor.mediaType };
    }
    await this.client.putManifest(this.location.repository, tag, manifest.bytes, manifest.mediaType);
  }
  /**
   * Lists `referrer` in the referrers tag schema index of `subject` (read, add, push, keeping what is
   * there), unless the registry keeps referrers itself. Updates of one index run one after another.
   */
  addReferrer(subject: string, referrer: Descriptor): Promise<void> {
    const tag = digestTag(subject);
    const previous = this.schemaUpdates.get(tag) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.updateSchemaIndex(subject, tag, referrer));
    this.schemaUpdates.set(tag, next);
    return next;
  }
  private async updateSchemaIndex(subject: string, tag: string, referrer: Descriptor): Promise<void> {
    const { repository } = this.location;
    const known = factsOf(this.client);
    const api = known.referrersApi === undefined ? undefined : await known.referrersApi;
    if (api === true) return;
    if (api === undefined && (await referrersApi(this.client, repository, subject)) !== undefined) return;
    const existing = await this.client.getManifest(repository, tag).catch(notThere(this.client, `${repository}:${tag}`));
    const list = existing !== undefined && Array.isArray(existing.json.manifests) ? (existing.json.manifests as unknown[]) : [];
    if (list.some((item) => (item as { digest?: unknown }).digest === referrer.digest)) return;
    const entry = {
      mediaType: referrer.mediaType,
      digest: referrer.digest,
      size: referrer.size,
      ...(referrer.artifactType === undefined ? {} : { artifactType: referrer.artifactType }),
      ...(referrer.annotations === undefined ? {} : { annotations: referrer.annotations }),
    };
    const index = { schemaVersion: 2, mediaType: ociIndex, manifests: [...list, entry] };
    await this.client.putManifest(repository, tag, Buffer.from(JSON.stringify(index)), ociIndex);
  }
}

/** Whether a manifest has layers that live at URLs of their own (non-distributable, Windows base layers). */
function hasForeignLayers(bytes: Buffer): boolean {
  try {
    const json = JSON.parse(bytes.toString('utf8')) as { layers?: { mediaType?: string; urls?: unknown }[] };
    return (json.layers ?? []).some(
      (layer) => foreignLayerTypes.test(layer.mediaType ?? '') || (Array.isArray(layer.urls) && layer.urls.length > 0),
    );
  } catch {
    return false;
  }
}
/** What a registry's refusal of a push means, for the refusals users meet most (ECR's, and foreign layers). */
function explainRefusal(error: unknown, mediaType: string, destination: Location, foreignLayers = false): unknown {
  if (!(error instanceof RegistryError)) return error;
  const where = `${destination.registry}/${destination.repository}`;
  const details = {
    registry: destination.registry,
    repository: destination.repository,
    operation: error.operation,
    status: error.status,
    codes: [...error.codes],
  };
  if (error.codes.includes('NAME_UNKNOWN')) {
    return new RegistryError(
      details,
      `${error.reason}: the repository ${where} does not exist and the registry does not create repositories on push (ECR does not): create it first`,
      { cause: error },
    );
  }
  if (foreignLayers && (error.codes.includes('MANIFEST_INVALID') || error.codes.includes('MANIFEST_BLOB_UNKNOWN'))) {
    return new RegistryError(
      { ...details, retriable: false },
      `${error.reason}: the image has non-distributable layers that point at external URLs (Windows base layers), and ${destination.registry} does not accept such URLs: allow them in the registry's configuration (the distribution registry: validation.manifests.urls.allow), or copy those layers with a tool that makes them distributable`,
      { cause: error },
    );
  }
  if (indexMediaTypes.has(mediaType) && (error.status === 400 || error.status === 415) && !error.codes.includes('DIGEST_INVALID')) {
    return new RegistryError(
      details,
      `${error.reason}: the registry refused a multi-platform image index (manifest list); registries that do not take indexes need a single-platform image instead`,
      { cause: error },
    );
  }
  return error;
}
