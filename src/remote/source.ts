// A registry repository as the source of a copy: manifests and blobs by digest, and what travels with
// a manifest, found as referrers (the API, else the tag schema) and as cosign's digest tags.
import type { Readable } from 'node:stream';
import type { Descriptor } from '../oci/descriptor.js';
import { maxReferrers } from '../oci/limits.js';
import type { Manifest } from '../oci/manifest.js';
import { Repository } from '../oci/repository.js';
import { type ImageSource, type TaggedArtifact, digestTag, isDigestTagOf } from '../copy/endpoint.js';
import type { RegistryReader } from '../registry/mirrors.js';
import type { Registries } from '../registry/registries.js';
import { once } from '../once.js';
import { factsOf, listReferrers, notThere } from './facts.js';

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
  readonly location: Repository;
  private readonly client: RegistryReader;
  private readonly kept: { count: number };
  constructor(
    registries: Registries,
    where: { readonly registry: string; readonly repository: string },
    private readonly maxDigestTags = maxDigestTagsPerRun,
  ) {
    this.location = Repository.of(where);
    this.client = registries.reader(where.registry);
    this.key = this.location.key;
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
  /** The manifest a tag names, read (and checked against the digest the registry gives) in one request. */
  getTagged(tag: string): Promise<Manifest> {
    return this.client.getManifest(this.location.repository, tag);
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
