// Copies whole images from a source to a sink: an index with every child (nested indexes too), each
// manifest's config and layers, digests unchanged. Sources and sinks are registries (relocate), a
// blob store (package) or an unpacked archive (unpackage); the walk is this one. It does as little
// as it can: a blob the sink has is not sent, a blob in the same registry is mounted, a blob shared
// by several images is sent once per sink, and an image already there costs one request.
import pLimit, { type LimitFunction } from 'p-limit';
import type { Readable } from 'node:stream';
import { type Descriptor, descriptorError } from './oci/descriptor.js';
import type { Manifest, RegistryClient, UploadResult } from './registry/client.js';
import { RegistryError } from './registry/errors.js';
import { indexMediaTypes } from './registry/media-types.js';
import type { Registries } from './registry/registries.js';

export interface Location {
  readonly registry: string;
  readonly repository: string;
}

/** Where images are read from. */
export interface ImageSource {
  /** The registry location, when the source is one (so a sink in the same registry can mount). */
  readonly location?: Location;
  /** The manifest with that digest; `mediaType` is the one its parent descriptor gives, if any. */
  getManifest(digest: string, mediaType?: string): Promise<Manifest>;
  openBlob(blob: Descriptor): Readable;
}

/** Where images are written to. */
export interface ImageSink {
  /** Identifies the sink in the de-duplication of blobs and manifests. */
  readonly key: string;
  readonly location?: Location;
  /** The manifest a tag or digest names there, or undefined. */
  resolve(reference: string): Promise<Descriptor | undefined>;
  hasBlob(blob: Descriptor): Promise<boolean>;
  putBlob(blob: Descriptor, open: () => Readable, mountFrom?: Location): Promise<UploadResult>;
  putManifest(descriptor: Descriptor, bytes: Buffer): Promise<void>;
}

function notFound(error: unknown): undefined {
  if (error instanceof RegistryError && error.status === 404) return undefined;
  throw error;
}

export class RegistrySource implements ImageSource {
  private readonly client: RegistryClient;
  constructor(
    registries: Registries,
    readonly location: Location,
  ) {
    this.client = registries.client(location.registry);
  }
  getManifest(digest: string): Promise<Manifest> {
    return this.client.getManifest(this.location.repository, digest);
  }
  openBlob(blob: Descriptor): Readable {
    return this.client.getBlob(this.location.repository, blob.digest, blob.size);
  }
}

export class RegistrySink implements ImageSink {
  readonly key: string;
  private readonly client: RegistryClient;
  /** Manifests this run pushed, so tagging one needs no read. */
  private readonly pushed = new Map<string, { bytes: Buffer; mediaType: string }>();
  constructor(
    registries: Registries,
    readonly location: Location,
  ) {
    this.client = registries.client(location.registry);
    this.key = `${location.registry}/${location.repository}`;
  }
  resolve(reference: string): Promise<Descriptor | undefined> {
    return this.client.resolve(this.location.repository, reference).catch(notFound);
  }
  async hasBlob(blob: Descriptor): Promise<boolean> {
    return (await this.client.headBlob(this.location.repository, blob.digest)) !== undefined;
  }
  putBlob(blob: Descriptor, open: () => Readable, mountFrom?: Location): Promise<UploadResult> {
    const mount = mountFrom?.registry === this.location.registry ? mountFrom.repository : undefined;
    return this.client.uploadBlob(this.location.repository, blob.digest, blob.size, open, mount).catch((error: unknown) => {
      throw explainRefusal(error, blob.mediaType, this.location);
    });
  }
  async putManifest(descriptor: Descriptor, bytes: Buffer): Promise<void> {
    await this.client.putManifest(this.location.repository, descriptor.digest, bytes, descriptor.mediaType).catch((error: unknown) => {
      throw explainRefusal(error, descriptor.mediaType, this.location, hasForeignLayers(bytes));
    });
    this.pushed.set(descriptor.digest, { bytes, mediaType: descriptor.mediaType });
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
  /** True when the sink already had the image: nothing was read from the source. */
  readonly present: boolean;
  /** True when the sink's tag already names this digest, so tagging has nothing to do. */
  readonly tagged: boolean;
  readonly stats: CopyStats;
}

export const foreignLayerTypes = /nondistributable|foreign/;

export interface ManifestJson {
  mediaType?: string;
  manifests?: (Descriptor & { platform?: { os?: string; architecture?: string; variant?: string } })[];
  config?: Descriptor;
  layers?: (Descriptor & { urls?: string[] })[];
}

function emptyStats(): CopyStats {
  return { blobsCopied: 0, bytesCopied: 0, blobsSkipped: 0, blobsMounted: 0, foreignLayers: 0, manifestsPushed: 0 };
}

export interface CopierOptions {
  /** Blob transfers and checks in flight at once. */
  readonly concurrency: number;
  /** The largest size a descriptor may declare. */
  readonly maxBlobBytes?: number;
  /** Walk and check only: count what would move, write nothing. */
  readonly dryRun?: boolean;
}

/** How many copy steps may be under way per request slot of a registry. */
const stepsPerRequestSlot = 4;

export class Copier {
  private readonly limit: LimitFunction;
  /** In-flight and finished blob copies per sink, so each blob moves once. */
  private readonly blobs = new Map<string, Promise<void>>();
  private readonly manifests = new Map<string, Promise<void>>();

  constructor(private readonly options: CopierOptions) {
    // Steps, not requests: a step waiting out a retry holds no request. Each registry's own limiter
    // keeps the requests in flight to `concurrency`, so more steps may be under way than that.
    this.limit = pLimit(options.concurrency * stepsPerRequestSlot);
  }

  /**
   * Copies the image `digest` from `source` to `sink`, every manifest by digest (the tag is put
   * later, at the commit point). When the sink has the image already (under `tag`, when given, else by
   * digest), that one request is all it costs.
   */
  async copy(source: ImageSource, sink: ImageSink, digest: string, tag?: string, mediaType?: string): Promise<CopyResult> {
    const stats = emptyStats();
    // With a tag, one HEAD answers both questions: is the image there, and is the tag on it already.
    const tagged = tag === undefined ? undefined : await this.limit(() => sink.resolve(tag));
    if (tagged?.digest === digest) return { ...tagged, platforms: [], present: true, tagged: true, stats };
    const existing = await this.limit(() => sink.resolve(digest));
    if (existing !== undefined) return { ...existing, platforms: [], present: true, tagged: false, stats };
    const manifest = await source.getManifest(digest, mediaType);
    const json = manifest.json as ManifestJson;
    await this.copyManifest(source, sink, manifest.descriptor, manifest.bytes, json, stats);
    const platforms = (json.manifests ?? []).map(platformText).filter((platform) => platform !== '');
    return { ...manifest.descriptor, platforms, present: false, tagged: false, stats };
  }

  private async copyManifest(
    source: ImageSource,
    sink: ImageSink,
    descriptor: Descriptor,
    bytes: Buffer,
    json: ManifestJson,
    stats: CopyStats,
  ): Promise<void> {
    if (indexMediaTypes.has(descriptor.mediaType) || Array.isArray(json.manifests)) {
      const children = this.checked(descriptor, json.manifests ?? []);
      await Promise.all(children.map((child) => this.copyChild(source, sink, child, stats)));
    } else {
      const blobs = this.checked(descriptor, [...(json.config ? [json.config] : []), ...(json.layers ?? [])]);
      await Promise.all(blobs.map((blob) => this.copyBlob(source, sink, blob, stats)));
    }
    if (this.options.dryRun) return;
    await sink.putManifest(descriptor, bytes);
    stats.manifestsPushed++;
  }

  /** Every descriptor a manifest holds, checked before its digest reaches a URL or a path. */
  private checked<T extends Descriptor>(parent: Descriptor, descriptors: readonly T[]): T[] {
    if (!Array.isArray(descriptors)) throw new Error(`manifest ${parent.digest}: its descriptors are not a list`);
    for (const descriptor of descriptors) {
      const reason = descriptorError(descriptor, this.options.maxBlobBytes);
      if (reason !== undefined) throw new Error(`manifest ${parent.digest} holds a descriptor ferry refuses: ${reason}`);
    }
    return [...descriptors];
  }

  /** A child manifest of an index, once per sink however many indexes share it. */
  private copyChild(source: ImageSource, sink: ImageSink, child: Descriptor, stats: CopyStats): Promise<void> {
    const key = `${sink.key}@${child.digest}`;
    let pending = this.manifests.get(key);
    if (pending === undefined) {
      pending = (async () => {
        if ((await this.limit(() => sink.resolve(child.digest))) !== undefined) return;
        const manifest = await source.getManifest(child.digest, child.mediaType);
        await this.copyManifest(source, sink, manifest.descriptor, manifest.bytes, manifest.json as ManifestJson, stats);
      })();
      this.manifests.set(key, pending);
    }
    return pending;
  }

  private copyBlob(source: ImageSource, sink: ImageSink, blob: Descriptor, stats: CopyStats): Promise<void> {
    if (foreignLayerTypes.test(blob.mediaType)) {
      stats.foreignLayers++;
      return Promise.resolve();
    }
    const key = `${sink.key}@${blob.digest}`;
    let pending = this.blobs.get(key);
    if (pending === undefined) {
      pending = this.limit(async () => {
        if (await sink.hasBlob(blob)) {
          stats.blobsSkipped++;
          return;
        }
        if (this.options.dryRun) {
          stats.blobsCopied++;
          stats.bytesCopied += blob.size;
          return;
        }
        if ((await sink.putBlob(blob, () => source.openBlob(blob), source.location)) === 'mounted') {
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
}

function platformText(descriptor: { platform?: { os?: string; architecture?: string; variant?: string } }): string {
  const platform = descriptor.platform;
  if (!platform?.os || !platform.architecture) return '';
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

/** Whether a manifest has layers that live at URLs of their own (non-distributable, Windows base layers). */
function hasForeignLayers(bytes: Buffer): boolean {
  try {
    const json = JSON.parse(bytes.toString('utf8')) as ManifestJson;
    return (json.layers ?? []).some(
      (layer) => foreignLayerTypes.test(layer.mediaType) || (Array.isArray(layer.urls) && layer.urls.length > 0),
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
