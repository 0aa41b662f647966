// The OCI distribution API (v1.1; Docker Registry HTTP API v2) for one registry, as the copy walk and
// the modes use it: manifests here; blob reads, uploads and listings in their own modules, all over one
// RegistryApi (send with scopes, retry, deadline, errors). Every answer is checked: manifests and blobs
// against their digests, every body read with a bound.
import type { Readable } from 'node:stream';
import type { Descriptor } from '../oci/descriptor.js';
import { maxManifestBytes } from '../oci/limits.js';
import type { Manifest } from '../oci/manifest.js';
import { isSchema1, manifestAccept, schema1Refusal } from '../oci/media-types.js';
import { RegistryApi } from './api.js';
import { Authorizer } from './authorize.js';
import { BlobReader, type ProgressRule } from './blob-read.js';
import { digestError, digestOf, namesDigest } from '../oci/digest.js';
import type { Redactor } from './errors.js';
import { discard, header } from './exchange.js';
import type { RegistryHost } from './host.js';
import { type ListOptions, Listings } from './listing.js';
import { type UploadBody, type UploadResult, Uploader, mountRefusal } from './upload.js';

export type { Manifest };

/** What api.refuses() remembers of a registry that does not answer HEAD on manifests. */
const headRefusal = 'manifest HEAD';

export interface ClientOptions {
  readonly host: RegistryHost;
  readonly authorizer: Authorizer;
  readonly redactor?: Redactor;
  readonly progress?: ProgressRule;
}

export class RegistryClient {
  readonly registry: string;
  private readonly api: RegistryApi;
  private readonly blobs: BlobReader;
  private readonly uploads: Uploader;
  private readonly listings: Listings;

  constructor(options: ClientOptions) {
    this.api = new RegistryApi(options.host, options.authorizer, options.redactor);
    this.registry = this.api.registry;
    this.blobs = new BlobReader(this.api, options.progress);
    this.uploads = new Uploader(this.api, this.blobs);
    this.listings = new Listings(this.api);
  }

  /** Whether the registry refused a cross-repository mount this run (then a blob is asked about before it is sent). */
  get refusesMounts(): boolean {
    return this.api.refuses(mountRefusal);
  }

  /** Tells the run something about this registry. */
  notice(message: string): void {
    this.api.notice(message);
  }

  /** Checks that the registry answers the v2 API (200, or 401 asking for credentials). */
  ping(): Promise<void> {
    return this.api.ping();
  }

  /** The descriptor a tag or digest points at: HEAD first (no pull counted), GET when HEAD gives no digest. */
  async resolve(repository: string, reference: string): Promise<Descriptor> {
    const operation = `resolve ${reference}`;
    this.api.checkPath(operation, repository, reference);
    const found = await this.api.retry(async () => {
      if (this.api.refuses(headRefusal)) return undefined;
      const response = await this.api.send(operation, this.api.pull(repository), {
        method: 'HEAD',
        url: `/v2/${repository}/manifests/${reference}`,
        headers: { accept: manifestAccept },
      });
      await discard(response);
      if (response.status === 404)
        throw this.api.error(operation, repository, 'manifest unknown (404)', { status: 404, codes: ['MANIFEST_UNKNOWN'] });
      // Some registries and front ends do not answer HEAD on manifests: GET answers the same question.
      if (response.status === 405 || response.status === 400 || response.status === 501) {
        this.api.refuse(
          headRefusal,
          `${this.registry} answers ${response.status} to HEAD on a manifest: ferry reads manifests with GET there for the rest of the run`,
        );
        return undefined;
      }
      if (response.status !== 200) throw await this.api.failure(operation, repository, response);
      const mediaType = (header(response, 'content-type') ?? '').split(';')[0]?.trim() ?? '';
      if (isSchema1(mediaType)) throw this.api.error(operation, repository, schema1Refusal);
      const digest = header(response, 'docker-content-digest');
      const size = Number(header(response, 'content-length'));
      if (digest === undefined || digestError(digest) !== undefined || !Number.isSafeInteger(size) || size < 0 || mediaType === '')
        return undefined;
      return { mediaType, digest, size };
    });
    if (found === undefined) return (await this.getManifest(repository, reference)).descriptor;
    if (namesDigest(reference) && found.digest !== reference) {
      throw this.api.error(operation, repository, `the registry answered ${found.digest} for ${reference}`);
    }
    return found;
  }

  /**
   * A tag that names what travels with an image (a digest tag, a referrers schema tag), resolved at the
   * registry that owns it. Here that is this registry; a reader through mirrors asks the registry first.
   */
  resolveAtOwner(repository: string, tag: string): Promise<Descriptor> {
    return this.resolve(repository, tag);
  }

  /** The manifest such a tag names, read at the registry that owns it (see resolveAtOwner). */
  getManifestAtOwner(repository: string, tag: string): Promise<Manifest> {
    return this.getManifest(repository, tag);
  }

  /** A manifest or index, its size bounded and its bytes checked against the digest asked for or announced. */
  async getManifest(repository: string, reference: string): Promise<Manifest> {
    const operation = `get manifest ${reference}`;
    this.api.checkPath(operation, repository, reference);
    return this.api.retry(async () => {
      const response = await this.api.send(operation, this.api.pull(repository), {
        method: 'GET',
        url: `/v2/${repository}/manifests/${reference}`,
        headers: { accept: manifestAccept },
      });
      if (response.status !== 200) throw await this.api.failure(operation, repository, response);
      const read = await this.api.readJson(operation, repository, response, maxManifestBytes, 'the manifest');
      const { bytes } = read;
      const json = read.json as Record<string, unknown>;
      if (typeof json !== 'object' || json === null || Array.isArray(json))
        throw this.api.error(operation, repository, 'the manifest is not a JSON object');
      const headerType = (header(response, 'content-type') ?? '').split(';')[0]?.trim() ?? '';
      const mediaType = typeof json.mediaType === 'string' ? json.mediaType : headerType;
      if (isSchema1(mediaType) || isSchema1(headerType) || json.schemaVersion === 1)
        throw this.api.error(operation, repository, schema1Refusal);
      const announced = namesDigest(reference) ? reference : header(response, 'docker-content-digest');
      const algorithm =
        announced !== undefined && digestError(announced) === undefined ? announced.slice(0, announced.indexOf(':')) : 'sha256';
      const digest = digestOf(bytes, algorithm);
      if (announced !== undefined && digest !== announced) {
        throw this.api.error(operation, repository, `digest mismatch: expected ${announced}, got ${digest}`);
      }
      return { descriptor: { mediaType, digest, size: bytes.length }, bytes, json };
    });
  }

  /** The blob's size when the repository has it, undefined when it does not. */
  headBlob(repository: string, digest: string): Promise<number | undefined> {
    return this.blobs.head(repository, digest);
  }

  /** A blob's bytes as a stream, verified as they pass, resumed where a connection stopped. */
  getBlob(repository: string, digest: string, size?: number): Readable {
    return this.blobs.read(repository, digest, size);
  }

  /** Puts a blob into a repository: mounted from `mountFrom` in the same registry when it can be, else uploaded. */
  uploadBlob(repository: string, digest: string, size: number, body: UploadBody, mountFrom?: string): Promise<UploadResult> {
    return this.uploads.upload(repository, digest, size, body, mountFrom);
  }

  /** Puts a small blob held in memory, in one POST where the registry takes that (see Uploader.uploadSmall). */
  uploadSmallBlob(repository: string, digest: string, bytes: Buffer): Promise<UploadResult> {
    return this.uploads.uploadSmall(repository, digest, bytes);
  }

  /** The manifests whose subject is `digest`; undefined when the registry has no referrers API. */
  referrers(repository: string, digest: string): Promise<Descriptor[] | undefined> {
    return this.listings.referrers(repository, digest);
  }

  /** Puts a manifest under a tag or its digest; returns its digest. */
  async putManifest(repository: string, reference: string, bytes: Buffer, mediaType: string): Promise<string> {
    return (await this.pushManifest(repository, reference, bytes, mediaType)).digest;
  }

  /**
   * Puts a manifest; `subjectAware` is whether the registry answered with `OCI-Subject`, i.e. keeps
   * the referrers of the manifest's subject itself (else the client maintains the tag schema).
   */
  async pushManifest(
    repository: string,
    reference: string,
    bytes: Buffer,
    mediaType: string,
  ): Promise<{ digest: string; subjectAware: boolean }> {
    const operation = `put manifest ${reference}`;
    this.api.checkPath(operation, repository, reference);
    const digest = digestOf(bytes);
    return this.api.retry(async () => {
      const response = await this.api.send(operation, Authorizer.scopes(repository, ['pull', 'push']), {
        method: 'PUT',
        url: `/v2/${repository}/manifests/${reference}`,
        headers: { 'content-type': mediaType },
        body: () => bytes,
      });
      if (response.status !== 201 && response.status !== 200) throw await this.api.failure(operation, repository, response);
      await discard(response);
      const announced = header(response, 'docker-content-digest');
      if (announced !== undefined && announced.startsWith('sha256:') && announced !== digest) {
        throw this.api.error(operation, repository, `the registry stored ${announced}, not ${digest}`);
      }
      return { digest, subjectAware: header(response, 'oci-subject') !== undefined };
    });
  }

  /** Whether the repository exists. */
  hasRepository(repository: string): Promise<boolean> {
    return this.listings.hasRepository(repository);
  }

  /** Every tag of a repository. */
  listTags(repository: string, options?: ListOptions): Promise<string[]> {
    return this.listings.listTags(repository, options);
  }
}
