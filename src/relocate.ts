// Copies whole images between repositories: an index with every child (nested indexes too), each
// manifest's config and layers, digests unchanged. Does as little as it can: a blob already there is
// not sent, a blob in the same registry is mounted, a blob shared by several images is sent once per
// destination repository, and an image already at the destination costs one request.
import pLimit, { type LimitFunction } from 'p-limit';
import type { Descriptor, RegistryClient } from './registry/client.js';
import { RegistryError } from './registry/errors.js';
import { indexMediaTypes } from './registry/media-types.js';
import type { Registries } from './registry/registries.js';

export interface Location {
  readonly registry: string;
  readonly repository: string;
}

export interface CopyStats {
  blobsCopied: number;
  bytesCopied: number;
  blobsSkipped: number;
  blobsMounted: number;
  /** Non-distributable (foreign) layers, left where they are, as Docker and the reference tools do. */
  foreignLayers: number;
  manifestsPushed: number;
}

export interface CopyResult {
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
  /** `os/architecture[/variant]` of each image of an index; empty for a single image. */
  readonly platforms: readonly string[];
  /** True when the destination already had the image: nothing was read from the source. */
  readonly present: boolean;
  /** True when the destination tag already names this digest, so tagging has nothing to do. */
  readonly tagged: boolean;
  readonly stats: CopyStats;
}

const foreignLayerTypes = /nondistributable|foreign/;

interface ManifestJson {
  mediaType?: string;
  manifests?: (Descriptor & { platform?: { os?: string; architecture?: string; variant?: string } })[];
  config?: Descriptor;
  layers?: (Descriptor & { urls?: string[] })[];
}

function emptyStats(): CopyStats {
  return { blobsCopied: 0, bytesCopied: 0, blobsSkipped: 0, blobsMounted: 0, foreignLayers: 0, manifestsPushed: 0 };
}

export interface CopierOptions {
  readonly registries: Registries;
  /** Blob transfers and checks in flight at once. */
  readonly concurrency: number;
  /** Walk and check only: count what would move, push nothing. */
  readonly dryRun?: boolean;
}

export class Copier {
  private readonly limit: LimitFunction;
  /** In-flight and finished blob copies per destination repository, so each blob moves once. */
  private readonly blobs = new Map<string, Promise<void>>();
  private readonly manifests = new Map<string, Promise<void>>();

  constructor(private readonly options: CopierOptions) {
    this.limit = pLimit(options.concurrency);
  }

  private client(registry: string): RegistryClient {
    return this.options.registries.client(registry);
  }

  /**
   * Copies the image `digest` from `source` to `destination`, pushing every manifest by digest (the
   * tag is put later, at the commit point, by `tag`). When the destination has the image already
   * (under `tag`, when given, else by digest), that one request is all it costs.
   */
  async copy(source: Location, destination: Location, digest: string, tag?: string): Promise<CopyResult> {
    const stats = emptyStats();
    // With a tag, one HEAD answers both questions: is the image there, and is the tag on it already.
    const target = this.client(destination.registry);
    const tagged = tag === undefined ? undefined : await this.limit(() => target.resolve(destination.repository, tag).catch(notFound));
    if (tagged?.digest === digest) return { ...tagged, platforms: [], present: true, tagged: true, stats };
    const existing = await this.limit(() => target.resolve(destination.repository, digest).catch(notFound));
    if (existing !== undefined) return { ...existing, platforms: [], present: true, tagged: false, stats };
    const manifest = await this.client(source.registry).getManifest(source.repository, digest);
    const json = manifest.json as ManifestJson;
    await this.copyManifest(source, destination, manifest.descriptor, manifest.bytes, json, stats);
    const platforms = (json.manifests ?? []).map(platformText).filter((platform) => platform !== '');
    return { ...manifest.descriptor, platforms, present: false, tagged: false, stats };
  }

  private async copyManifest(
    source: Location,
    destination: Location,
    descriptor: Descriptor,
    bytes: Buffer,
    json: ManifestJson,
    stats: CopyStats,
  ): Promise<void> {
    if (indexMediaTypes.has(descriptor.mediaType) || Array.isArray(json.manifests)) {
      await Promise.all((json.manifests ?? []).map((child) => this.copyChild(source, destination, child, stats)));
    } else {
      const blobs = [...(json.config ? [json.config] : []), ...(json.layers ?? [])];
      await Promise.all(blobs.map((blob) => this.copyBlob(source, destination, blob, stats)));
    }
    if (this.options.dryRun) return;
    await this.client(destination.registry)
      .putManifest(destination.repository, descriptor.digest, bytes, descriptor.mediaType)
      .catch((error: unknown) => {
        throw explainRefusal(error, descriptor.mediaType, destination);
      });
    stats.manifestsPushed++;
  }

  /** A child manifest of an index, once per destination repository however many indexes share it. */
  private copyChild(source: Location, destination: Location, child: Descriptor, stats: CopyStats): Promise<void> {
    const key = `${destination.registry}/${destination.repository}@${child.digest}`;
    let pending = this.manifests.get(key);
    if (pending === undefined) {
      pending = (async () => {
        const present = await this.limit(() =>
          this.client(destination.registry).resolve(destination.repository, child.digest).catch(notFound),
        );
        if (present !== undefined) return;
        const manifest = await this.client(source.registry).getManifest(source.repository, child.digest);
        await this.copyManifest(source, destination, manifest.descriptor, manifest.bytes, manifest.json as ManifestJson, stats);
      })();
      this.manifests.set(key, pending);
    }
    return pending;
  }

  private copyBlob(source: Location, destination: Location, blob: Descriptor & { urls?: string[] }, stats: CopyStats): Promise<void> {
    if (foreignLayerTypes.test(blob.mediaType)) {
      stats.foreignLayers++;
      return Promise.resolve();
    }
    const key = `${destination.registry}/${destination.repository}@${blob.digest}`;
    let pending = this.blobs.get(key);
    if (pending === undefined) {
      pending = this.limit(async () => {
        const target = this.client(destination.registry);
        if ((await target.headBlob(destination.repository, blob.digest)) !== undefined) {
          stats.blobsSkipped++;
          return;
        }
        if (this.options.dryRun) {
          stats.blobsCopied++;
          stats.bytesCopied += blob.size;
          return;
        }
        const from = this.client(source.registry);
        const sameRegistry = source.registry === destination.registry;
        const result = await target
          .uploadBlob(
            destination.repository,
            blob.digest,
            blob.size,
            () => from.getBlob(source.repository, blob.digest, blob.size),
            sameRegistry ? source.repository : undefined,
          )
          .catch((error: unknown) => {
            throw explainRefusal(error, blob.mediaType, destination);
          });
        if (result === 'mounted') {
          stats.blobsMounted++;
        } else {
          stats.blobsCopied++;
          stats.bytesCopied += blob.size;
        }
      });
      this.blobs.set(key, pending);
    }
    return pending;
  }

  /** Puts the tag on a manifest that is already at the destination (the commit point of relocation). */
  async tag(destination: Location, digest: string, tag: string): Promise<void> {
    const client = this.client(destination.registry);
    const manifest = await client.getManifest(destination.repository, digest);
    await client.putManifest(destination.repository, tag, manifest.bytes, manifest.descriptor.mediaType);
  }
}

function notFound(error: unknown): undefined {
  if (error instanceof RegistryError && error.status === 404) return undefined;
  throw error;
}

function platformText(descriptor: { platform?: { os?: string; architecture?: string; variant?: string } }): string {
  const platform = descriptor.platform;
  if (!platform?.os || !platform.architecture) return '';
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

/** What a registry's refusal of a push means, for the two refusals users meet most (ECR's). */
function explainRefusal(error: unknown, mediaType: string, destination: Location): unknown {
  if (!(error instanceof RegistryError)) return error;
  const where = `${destination.registry}/${destination.repository}`;
  if (error.codes.includes('NAME_UNKNOWN')) {
    return new RegistryError(
      {
        registry: destination.registry,
        repository: destination.repository,
        operation: error.operation,
        status: error.status,
        codes: [...error.codes],
      },
      `${error.reason}: the repository ${where} does not exist and the registry does not create repositories on push (ECR does not): create it first`,
      { cause: error },
    );
  }
  if (indexMediaTypes.has(mediaType) && (error.status === 400 || error.status === 415) && !error.codes.includes('DIGEST_INVALID')) {
    return new RegistryError(
      {
        registry: destination.registry,
        repository: destination.repository,
        operation: error.operation,
        status: error.status,
        codes: [...error.codes],
      },
      `${error.reason}: the registry refused a multi-platform image index (manifest list); registries that do not take indexes need a single-platform image instead`,
      { cause: error },
    );
  }
  return error;
}
