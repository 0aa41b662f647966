// The referrers tag schema kept on a registry without the referrers API, as the distribution spec tells
// a client to: an index tagged after the subject's digest, read, added to (keeping what is there) and
// pushed again, one update of a tag after another. Each index is read once a run, at its first update:
// the later updates, moments later at the same commit point, add to what the run last wrote. (Not
// reading at all where the repository was new when the run began would save that read, but another
// job writing the same new repository in the meantime, a shard of the same plan, would lose its
// entries to the blind write.)
import type { Descriptor } from '../oci/descriptor.js';
import { maxManifestBytes } from '../oci/limits.js';
import { ociIndex } from '../oci/media-types.js';
import { digestTag } from '../copy/endpoint.js';
import type { RegistryClient } from '../registry/client.js';
import { factsOf, notThere, referrersApi } from './facts.js';

export class ReferrersSchema {
  /** Updates of one referrers schema tag, one after another. */
  private readonly updates = new Map<string, Promise<void>>();
  /** The entries of each index this run pushed, by tag. */
  private readonly written = new Map<string, unknown[]>();
  constructor(
    private readonly client: RegistryClient,
    private readonly repository: string,
  ) {}

  /**
   * Lists `referrer` in the referrers tag schema index of `subject` (read, add, push, keeping what is
   * there), unless the registry keeps referrers itself. Updates of one index run one after another.
   */
  add(subject: string, referrer: Descriptor): Promise<void> {
    const tag = digestTag(subject);
    const previous = this.updates.get(tag) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.update(subject, tag, referrer));
    this.updates.set(tag, next);
    return next;
  }
  private async update(subject: string, tag: string, referrer: Descriptor): Promise<void> {
    const { client, repository } = this;
    const known = factsOf(client);
    const api = known.referrersApi === undefined ? undefined : await known.referrersApi;
    if (api === true) return;
    if (api === undefined && (await referrersApi(client, repository, subject)) !== undefined) return;
    const list = this.written.get(tag) ?? (await this.read(tag));
    if (list.some((item) => (item as { digest?: unknown }).digest === referrer.digest)) return;
    const entry = {
      mediaType: referrer.mediaType,
      digest: referrer.digest,
      size: referrer.size,
      ...(referrer.artifactType === undefined ? {} : { artifactType: referrer.artifactType }),
      ...(referrer.annotations === undefined ? {} : { annotations: referrer.annotations }),
    };
    const index = { schemaVersion: 2, mediaType: ociIndex, manifests: [...list, entry] };
    const bytes = Buffer.from(JSON.stringify(index));
    // Each entry carries its referrer's annotations: a few large ones would make an index no registry
    // takes, refused here by name rather than by the registry as it is put.
    if (bytes.length > maxManifestBytes)
      throw new Error(
        `${repository}:${tag}: listing ${referrer.digest} would make the referrers index of ${subject} ${bytes.length} bytes, more than the ${maxManifestBytes} a manifest may be`,
      );
    await client.putManifest(repository, tag, bytes, ociIndex);
    this.written.set(tag, index.manifests);
  }
  private async read(tag: string): Promise<unknown[]> {
    const existing = await this.client.getManifest(this.repository, tag).catch(notThere(this.client, `${this.repository}:${tag}`));
    return existing !== undefined && Array.isArray(existing.json.manifests) ? (existing.json.manifests as unknown[]) : [];
  }
}
