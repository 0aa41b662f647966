// The walk that copies whole images from a source to a sink: every manifest of an index (nested ones
// too), each manifest's blobs, digests unchanged; then what travels with each manifest (its referrers
// and cosign digest tags), recursively. An image's manifests are all read and checked before anything
// of it is written, so a manifest ferry cannot copy whole stops the image with nothing pushed. It does
// as little as it can: a blob the sink has is not sent, a blob in the same registry is mounted, a blob
// shared by several images is sent once per sink, and an image already there costs one request.
import { type Readable, Transform, pipeline } from 'node:stream';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Descriptor, Platform } from '../oci/descriptor.js';
import { type DecodedManifest, type Manifest, decodeManifest, platformOf, platformText } from '../oci/manifest.js';
import { foreignLayerTypes } from '../oci/media-types.js';
import type { ArtifactPolicy } from './artifacts.js';
import { type CopyResult, type CopyStats, emptyStats } from './copy-result.js';
import { type Discovery, type WalkSteps, carry } from './travel.js';
import { maxDepth, maxManifestsPerImage } from '../oci/limits.js';
import { platformFields, respelledField } from '../oci/descriptor.js';
import { repeatedKey, repeatedKeyReason } from '../oci/json-keys.js';
import type { ImageSink, ImageSource } from './endpoint.js';
import { type Node, countAttestations, manifestsOf, platformsOf } from './graph.js';
import { filterManifest, matches } from './platforms.js';
import { ManifestBudget } from './budget.js';
import { DryRunSink } from './dry-run.js';
import { once } from '../once.js';

export interface CopierOptions {
  /** Blob transfers and checks in flight at once. */
  readonly concurrency: number;
  /** The largest size a descriptor may declare. */
  readonly maxBlobBytes?: number;
  /** Walk and check only: count what would move, write nothing. */
  readonly dryRun?: boolean;
  /** What travels with each image; `none` when unset. */
  readonly artifacts?: ArtifactPolicy;
  /** The platforms of an index to copy; every one when unset. */
  readonly platforms?: readonly Platform[];
  /** The run's budget of manifests, shared by its walks; a budget of its own (the default size) when unset. */
  readonly budget?: ManifestBudget;
  /** Told of a blob's bytes as they cross (for progress lines). */
  readonly onMoved?: (bytes: number) => void;
  /**
   * What travels with an index a platform filter cut travels too (an archive keeps the index beside
   * what was made of it, so its signatures verify the copy at the site once the filter is checked).
   */
  readonly originTravels?: boolean;
}

export interface CopyRequest {
  readonly source: ImageSource;
  readonly sink: ImageSink;
  readonly digest: string;
  /** The tag the image gets at the sink (put later, at the commit point). */
  readonly tag?: string;
  readonly mediaType?: string;
}

/** How many copy steps may be under way per request slot of a registry. */
const stepsPerRequestSlot = 4;
/** An image config larger than this is not read to check its platform: the image is refused under a platform filter. */
const maxImageConfigBytes = 4 * 1024 * 1024;

export class Copier {
  private readonly limit: LimitFunction;
  /** Reads per source, and writes per sink, each done once (failures forgotten, so a retry can succeed). */
  private readonly reads = new Map<string, Promise<Manifest>>();
  private readonly blobs = new Map<string, Promise<void>>();
  private readonly manifests = new Map<string, Promise<void>>();
  private readonly sinks = new WeakMap<ImageSink, ImageSink>();
  /** Manifests a sink said it lists among their subject's referrers by itself. */
  private readonly listed = new Set<string>();
  private readonly budget: ManifestBudget;

  constructor(private readonly options: CopierOptions) {
    this.budget = options.budget ?? new ManifestBudget();
    // Steps, not requests: a step waiting out a retry holds no request. Each registry's own limiter
    // keeps the requests in flight to `concurrency`, so more steps may be under way than that.
    this.limit = pLimit(options.concurrency * stepsPerRequestSlot);
  }

  private target(sink: ImageSink): ImageSink {
    if (!this.options.dryRun) return sink;
    let wrapped = this.sinks.get(sink);
    if (wrapped === undefined) {
      wrapped = new DryRunSink(sink);
      this.sinks.set(sink, wrapped);
    }
    return wrapped;
  }

  private read(source: ImageSource, digest: string, mediaType?: string): Promise<Manifest> {
    const key = `${source.key}@${digest}`;
    return once(this.reads, key, async () => {
      this.budget.take(key);
      const manifest = await this.limit(() => source.getManifest(digest, mediaType));
      this.budget.takeBytes(key, manifest.bytes.length);
      return manifest;
    });
  }

  /**
   * Copies the image `digest` from `source` to `sink`, every manifest by digest (tags are put later,
   * at the commit point). When the sink has the image already (under `tag`, when given, else by
   * digest), that one request is all the image costs; what travels with it is still looked for.
   */
  async copy(request: CopyRequest): Promise<CopyResult> {
    const { source, tag } = request;
    const sink = this.target(request.sink);
    const stats = emptyStats();
    let digest = request.digest;
    let top: Manifest | undefined;
    let filteredFrom: string | undefined;
    const filtered = await this.filtered(source, digest, request.mediaType);
    if (filtered !== undefined) {
      top = filtered;
      if (top.descriptor.digest !== digest) filteredFrom = digest;
      digest = top.descriptor.digest;
    }
    // With a tag, one HEAD answers both questions: is the image there, and is the tag on it already.
    const tagged = tag === undefined ? undefined : await this.limit(() => sink.resolve(tag));
    const existing = tagged?.digest === digest ? tagged : await this.limit(() => sink.resolve(digest));
    let node: Node | undefined;
    if (existing === undefined) {
      top ??= await this.read(source, digest, request.mediaType);
      node = await this.discover(source, top, 0, { nodes: new Map() });
      await this.put(node, source, sink, stats, false);
    }
    const descriptor = node?.manifest.descriptor ?? (existing as Descriptor);
    const travelled = await carry(
      this.steps,
      this.options.artifacts ?? 'none',
      source,
      sink,
      [
        ...(node === undefined ? [digest] : manifestsOf(node)),
        ...(this.options.originTravels && filteredFrom !== undefined ? [filteredFrom] : []),
      ],
      stats,
    );
    const platforms = node === undefined ? [] : platformsOf(node);
    // One platform chosen out of an index: the image is that child, and says which it is.
    if (filteredFrom !== undefined && platforms.length === 0) platforms.push(...(this.options.platforms ?? []).map(platformText));
    return {
      digest,
      mediaType: descriptor.mediaType,
      size: descriptor.size,
      ...(filteredFrom === undefined ? {} : { filteredFrom }),
      platforms,
      attestationManifests: node === undefined ? 0 : countAttestations(node),
      present: existing !== undefined,
      tagged: existing !== undefined && tagged?.digest === digest,
      ...travelled,
      stats,
    };
  }

  /**
   * Under a platform filter, the part of the image `digest` the platforms ask for: an index's filter,
   * undefined for a single image (whose config must be one of them). Throws when a platform is missing;
   * reads, and writes nothing, so a set can be checked whole before its first push.
   */
  async filtered(source: ImageSource, digest: string, mediaType?: string): Promise<Manifest | undefined> {
    const { platforms } = this.options;
    if (platforms === undefined) return undefined;
    const original = await this.read(source, digest, mediaType);
    const decoded = decodeManifest(original, this.options.maxBlobBytes);
    if (decoded.kind === 'image') await this.checkPlatform(source, original, decoded);
    return filterManifest(original, platforms, (digest, mediaType) => this.read(source, digest, mediaType), this.options.maxBlobBytes);
  }

  /** A single image asked for by platform: its config must say it is one of them. */
  private async checkPlatform(source: ImageSource, manifest: Manifest, decoded: DecodedManifest): Promise<void> {
    const [config] = decoded.blobs;
    if (config === undefined) return;
    // Unread, it could be any platform (a config's history is free text, as long as anyone likes).
    if (config.size > maxImageConfigBytes)
      throw new Error(
        `${manifest.descriptor.digest} is a single image whose config (${config.size} bytes) is larger than the ${maxImageConfigBytes} ferry reads to check its platform: refused under the platforms input`,
      );
    const chunks: Buffer[] = [];
    for await (const chunk of source.openBlob(config)) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return; // not an image config (an artifact): nothing to check
    }
    const repeated = repeatedKey(text);
    if (repeated !== undefined) throw new Error(`${manifest.descriptor.digest}'s config ${repeatedKeyReason(repeated, 'runtimes')}`);
    // Its platform as a runtime reads it (Go, which takes `OS` for `os`, the last spelling winning).
    const respelled = typeof parsed === 'object' && parsed !== null ? respelledField(parsed, platformFields) : undefined;
    if (respelled !== undefined) throw new Error(`${manifest.descriptor.digest}'s config: ${respelled}`);
    const platform = platformOf(parsed);
    if (platform === undefined) return;
    if (!(this.options.platforms ?? []).some((wanted) => matches(wanted, platform)))
      throw new Error(
        `${manifest.descriptor.digest} is a single ${platformText(platform)} image, not ${(this.options.platforms ?? []).map(platformText).join(' or ')}`,
      );
  }

  /** Reads every manifest an image holds and checks every descriptor, before anything is written. */
  private discover(source: ImageSource, manifest: Manifest, depth: number, walk: Discovery): Promise<Node> {
    const { digest } = manifest.descriptor;
    let node = walk.nodes.get(digest);
    if (node === undefined) {
      if (walk.nodes.size >= maxManifestsPerImage) throw new Error(`the image holds more than ${maxManifestsPerImage} manifests`);
      node = this.discoverOnce(source, manifest, depth, walk);
      walk.nodes.set(digest, node);
    }
    return node;
  }

  private async discoverOnce(source: ImageSource, manifest: Manifest, depth: number, walk: Discovery): Promise<Node> {
    if (depth > maxDepth) throw new Error(`manifest ${manifest.descriptor.digest}: indexes nested more than ${maxDepth} deep`);
    const decoded = decodeManifest(manifest, this.options.maxBlobBytes);
    const children = await Promise.all(
      decoded.children.map(async (child) => this.discover(source, await this.read(source, child.digest, child.mediaType), depth + 1, walk)),
    );
    return { manifest, decoded, children };
  }

  /** Writes a manifest's blobs and children, then the manifest: once per sink however many images share it. */
  private put(node: Node, source: ImageSource, sink: ImageSink, stats: CopyStats, check: boolean): Promise<void> {
    const { descriptor } = node.manifest;
    return once(this.manifests, `${sink.key}@${descriptor.digest}`, async () => {
      if (check && (await this.limit(() => sink.resolve(descriptor.digest))) !== undefined) return;
      await Promise.all([
        ...node.decoded.blobs.map((blob) => this.copyBlob(source, sink, blob, stats)),
        ...node.children.map((child) => this.put(child, source, sink, stats, true)),
      ]);
      const { listed } = await sink.putManifest(descriptor, node.manifest.bytes);
      if (listed) this.listed.add(`${sink.key}@${descriptor.digest}`);
      stats.manifestsPushed++;
    });
  }

  /**
   * A blob's stream, its bytes told to `onMoved` as they pass (a slow layer shows as it flows, not when
   * it ends). The stream may be opened before its reader comes (an upload opens it while its session
   * opens): nothing flows until then. A failed read fails the count; a reader that stops stops the read.
   */
  private counted(stream: Readable): Readable {
    const { onMoved } = this.options;
    if (onMoved === undefined) return stream;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        onMoved(chunk.length);
        done(null, chunk);
      },
    });
    // pipeline keeps an error listener on both ends until they close: a read that fails before its reader
    // comes fails the counter quietly, for the reader to find, instead of throwing with no one listening.
    return pipeline(stream, counter, () => undefined);
  }

  private copyBlob(source: ImageSource, sink: ImageSink, blob: Descriptor, stats: CopyStats): Promise<void> {
    if (foreignLayerTypes.test(blob.mediaType)) {
      stats.foreignLayers++;
      return Promise.resolve();
    }
    return once(this.blobs, `${sink.key}@${blob.digest}`, () =>
      this.limit(async () => {
        const from = source.mountFrom?.(blob) ?? source.location;
        if (await sink.hasBlob(blob, from)) {
          stats.blobsSkipped++;
          return;
        }
        if ((await sink.putBlob(blob, () => this.counted(source.openBlob(blob)), from)) === 'mounted') {
          stats.blobsMounted++;
        } else {
          stats.blobsCopied++;
          stats.bytesCopied += blob.size;
        }
      }),
    );
  }

  /** The walk's steps, for what travels with an image (travel.ts). */
  private readonly steps: WalkSteps = {
    limit: (work) => this.limit(work),
    read: (source, digest, mediaType) => this.read(source, digest, mediaType),
    discover: (source, manifest, depth, walk) => this.discover(source, manifest, depth, walk),
    put: (node, source, sink, stats) => this.put(node, source, sink, stats, false),
    isListed: (sink, digest) => this.listed.has(`${sink.key}@${digest}`),
  };
}
