// A registry repository as the sink of a copy: blobs and manifests by digest (a blob mounted from
// another repository of the registry where it can be), lookups started ahead of the walk, a new
// repository known empty after one request, and tags left to the commit point.
import type { Readable } from 'node:stream';
import type { Descriptor } from '../oci/descriptor.js';
import type { Manifest } from '../oci/manifest.js';
import { Repository } from '../oci/repository.js';
import type { ImageSink, PutResult } from '../copy/endpoint.js';
import type { RegistryClient } from '../registry/client.js';
import type { Registries } from '../registry/registries.js';
import { factsOf, notThere } from './facts.js';
import { explainRefusal, hasForeignLayers } from './refusals.js';
import { ReferrersSchema } from './schema-index.js';

export class RegistrySink implements ImageSink {
  readonly key: string;
  readonly location: Repository;
  private readonly client: RegistryClient;
  /** Manifests this run pushed, or read from the repository, so tagging one needs no (further) read. */
  private readonly held = new Map<string, { bytes: Buffer; mediaType: string }>();
  private readonly schema: ReferrersSchema;
  constructor(registries: Registries, where: { readonly registry: string; readonly repository: string }) {
    this.location = Repository.of(where);
    this.client = registries.client(where.registry);
    this.key = this.location.key;
    this.schema = new ReferrersSchema(this.client, where.repository);
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
      const known = this.held.get(reference);
      return known === undefined ? undefined : { mediaType: known.mediaType, digest: reference, size: known.bytes.length };
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
  async hasBlob(blob: Descriptor, mountFrom?: Repository): Promise<boolean> {
    // In one registry the mount answers both questions in one request; a HEAD first would be one more.
    if (mountFrom?.registry === this.location.registry && mountFrom.repository !== this.location.repository && !this.client.refusesMounts)
      return false;
    if (this.fresh !== undefined && (await this.fresh)) return false;
    return (await this.client.headBlob(this.location.repository, blob.digest)) !== undefined;
  }
  putBlob(blob: Descriptor, open: () => Readable, mountFrom?: Repository): Promise<PutResult> {
    const mount = mountFrom?.registry === this.location.registry ? mountFrom.repository : undefined;
    return this.client.uploadBlob(this.location.repository, blob.digest, blob.size, open, mount).catch(this.refusalOf(blob));
  }
  /** Puts a small blob this run made (an attestation's), in one request where the registry takes that. */
  putSmallBlob(blob: Descriptor, bytes: Buffer): Promise<PutResult> {
    return this.client.uploadSmallBlob(this.location.repository, blob.digest, bytes).catch(this.refusalOf(blob));
  }
  /** A failed blob upload, explained where the registry refused what the blob is. */
  private refusalOf(blob: Descriptor): (error: unknown) => never {
    return (error) => {
      throw explainRefusal(error, blob.mediaType, this.location);
    };
  }
  async putManifest(descriptor: Descriptor, bytes: Buffer): Promise<{ listed: boolean }> {
    const pushed = await this.client
      .pushManifest(this.location.repository, descriptor.digest, bytes, descriptor.mediaType)
      .catch((error: unknown) => {
        throw explainRefusal(error, descriptor.mediaType, this.location, hasForeignLayers(bytes));
      });
    this.held.set(descriptor.digest, { bytes, mediaType: descriptor.mediaType });
    if (pushed.subjectAware) factsOf(this.client).referrersApi = Promise.resolve(true);
    return { listed: pushed.subjectAware };
  }
  /**
   * A manifest the repository holds: the bytes this run pushed there, or read from it (checked against
   * its digest) and kept for its tag.
   */
  async heldManifest(digest: string): Promise<Manifest> {
    const known = this.held.get(digest);
    if (known !== undefined)
      return {
        descriptor: { mediaType: known.mediaType, digest, size: known.bytes.length },
        bytes: known.bytes,
        json: JSON.parse(known.bytes.toString('utf8')) as Record<string, unknown>,
      };
    const fetched = await this.client.getManifest(this.location.repository, digest);
    this.held.set(digest, { bytes: fetched.bytes, mediaType: fetched.descriptor.mediaType });
    return fetched;
  }
  /** Puts the tag on a manifest that is already there (the commit point of relocation). */
  async tag(digest: string, tag: string): Promise<void> {
    let manifest = this.held.get(digest);
    if (manifest === undefined) {
      const fetched = await this.client.getManifest(this.location.repository, digest);
      manifest = { bytes: fetched.bytes, mediaType: fetched.descriptor.mediaType };
    }
    await this.client.putManifest(this.location.repository, tag, manifest.bytes, manifest.mediaType);
  }
  /**
   * Lists `referrer` in the referrers tag schema index of `subject`, unless the registry keeps
   * referrers itself (see ReferrersSchema).
   */
  addReferrer(subject: string, referrer: Descriptor): Promise<void> {
    return this.schema.add(subject, referrer);
  }
}
