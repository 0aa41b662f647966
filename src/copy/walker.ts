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
import { maxReferrers } from '../oci/limits.js';
import { type ArtifactCopy, type ArtifactKind, type ArtifactPolicy, kindOfTag, kindOfType } from './artifacts.js';
import type { ImageSink, ImageSource } from './endpoint.js';
import { type Node, countAttestations, manifestsOf, platformsOf } from './graph.js';
import { filterIndex, matches } from './platforms.js';
import { ManifestBudget } from './budget.js';
import { DryRunSink } from './dry-run.js';
import { once } from '../once.js';

export interface CopyStats {
  blobsCopied: number;
  bytesCopied: number;
  blobsSkipped: number;
  blobsMounted: number;
  /** Non-distributable (foreign) layers, left where they are, as Docker and the reference tools do. */
  foreignLayers: number;
  manifestsPushed: number;
}

/** A referrer the sink does not list by itself: the commit point adds it to the subject's tag schema index. */
export interface ReferrerListing {
  readonly subject: string;
  readonly referrer: Descriptor;
}

export interface CopyResult {
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
  /** The digest of the source's index when a platform filter made a new manifest. */
  readonly filteredFrom?: string;
  /** `os/architecture[/variant]` of each image of an index (nested ones too); empty for a single image. */
  readonly platforms: readonly string[];
  /** How many buildx attestation manifests the index holds. */
  readonly attestationManifests: number;
  /** True when the sink already had the image: nothing of it was read from the source. */
  readonly present: boolean;
  /** True when the sink's tag already names this digest, so tagging has nothing to do. */
  readonly tagged: boolean;
  /** What travelled with the image (or was there already). */
  readonly artifacts: readonly ArtifactCopy[];
  /** Digest tags to put at the commit point (cosign's scheme), and referrers to list there. */
  readonly tags: readonly { readonly tag: string; readonly digest: string }[];
  readonly referrerListings: readonly ReferrerListing[];
  readonly stats: CopyStats;
}

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
/** Bounds on what one image may hold, against a source that never ends. */
const maxDepth = 8;
const maxManifestsPerImage = 10_000;
/** What travels with one manifest, at most: a source answering more is refused, not followed. */
const maxArtifactsPerManifest = maxReferrers;
/** An image config larger than this is not read to check its platform. */
const maxConfigBytes = 4 * 1024 * 1024;

/** One image's walk: each manifest it holds is read and decoded once, however many paths lead to it. */
interface Discovery {
  readonly nodes: Map<string, Promise<Node>>;
}

function emptyStats(): CopyStats {
  return { blobsCopied: 0, bytesCopied: 0, blobsSkipped: 0, blobsMounted: 0, foreignLayers: 0, manifestsPushed: 0 };
}

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
    const travelled = await this.carry(source, sink, node === undefined ? [digest] : manifestsOf(node), stats);
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
    if (decoded.kind !== 'index') return undefined;
    return (await filterIndex(original, decoded.children, platforms, (child) => this.read(source, child.digest, child.mediaType))).manifest;
  }

  /** A single image asked for by platform: its config must say it is one of them. */
  private async checkPlatform(source: ImageSource, manifest: Manifest, decoded: DecodedManifest): Promise<void> {
    const [config] = decoded.blobs;
    if (config === undefined || config.size > maxConfigBytes) return;
    const chunks: Buffer[] = [];
    for await (const chunk of source.openBlob(config)) chunks.push(chunk as Buffer);
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return; // not an image config (an artifact): nothing to check
    }
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
        if (await sink.hasBlob(blob, source.location)) {
          stats.blobsSkipped++;
          return;
        }
        if ((await sink.putBlob(blob, () => this.counted(source.openBlob(blob)), source.location)) === 'mounted') {
          stats.blobsMounted++;
        } else {
          stats.blobsCopied++;
          stats.bytesCopied += blob.size;
        }
      }),
    );
  }

  /**
   * What travels with the manifests `subjects`: their referrers and digest tags, each copied whole
   * after its subject, then what travels with those in turn (each subject once, which stops any loop).
   */
  private async carry(
    source: ImageSource,
    sink: ImageSink,
    subjects: readonly string[],
    stats: CopyStats,
  ): Promise<Pick<CopyResult, 'artifacts' | 'tags' | 'referrerListings'>> {
    const artifacts: ArtifactCopy[] = [];
    const tags: { tag: string; digest: string }[] = [];
    const referrerListings: ReferrerListing[] = [];
    const policy = this.options.artifacts ?? 'none';
    if (policy === 'none') return { artifacts, tags, referrerListings };
    const signaturesOnly = policy === 'signatures';
    // Each subject is visited once and each artifact carried once, however many paths lead to it:
    // artifacts that name each other as subjects cost one visit each, not one per path. An OCI manifest
    // has one subject, so an artifact found under a second one (a loop, or a hostile index) is not
    // carried again.
    const own = new Set(subjects);
    const visited = new Set<string>(subjects);
    const carried = new Set<string>();
    const walk: Discovery = { nodes: new Map() };
    const visit = async (subject: string, depth: number): Promise<void> => {
      if (depth > maxDepth) return;
      const [referrers, tagged] = await Promise.all([
        this.limit(() => source.referrers(subject, signaturesOnly)),
        this.limit(() => source.digestTags(subject, signaturesOnly)),
      ]);
      const found = [
        ...referrers.map((descriptor) => ({ descriptor, tag: undefined as string | undefined })),
        ...tagged.map(({ tag, descriptor }) => ({ descriptor, tag: tag as string | undefined })),
      ];
      if (found.length > maxArtifactsPerManifest) {
        throw new Error(
          `${subject} has ${found.length} referrers and digest tags, more than the ${maxArtifactsPerManifest} ferry carries with one manifest: set artifacts to signatures or none`,
        );
      }
      await Promise.all(
        found.map(async ({ descriptor, tag }) => {
          // The image's own manifests are not artifacts of anything.
          if (descriptor.digest === subject || own.has(descriptor.digest)) return;
          if (carried.has(descriptor.digest)) return;
          carried.add(descriptor.digest);
          if (artifacts.length >= maxManifestsPerImage) {
            throw new Error(
              `more than ${maxManifestsPerImage} artifacts travel with the image (${subject} adds more): set artifacts to signatures or none`,
            );
          }
          const { listed, copy } = await this.carryOne(source, sink, descriptor, subject, tag, signaturesOnly, stats, walk);
          if (copy === undefined) return;
          artifacts.push(copy);
          if (tag !== undefined) tags.push({ tag, digest: copy.digest });
          else if (!listed) referrerListings.push({ subject, referrer: referrerDescriptor(copy) });
          if (visited.has(copy.digest)) return;
          visited.add(copy.digest);
          await visit(copy.digest, depth + 1);
        }),
      );
    };
    await Promise.all(subjects.map((subject) => visit(subject, 0)));
    const order = (a: ArtifactCopy, b: ArtifactCopy): number =>
      a.subject.localeCompare(b.subject) || (a.tag ?? '').localeCompare(b.tag ?? '') || a.digest.localeCompare(b.digest);
    return { artifacts: artifacts.sort(order), tags, referrerListings };
  }

  /** One artifact copied whole (or found at the sink); undefined when the policy leaves it behind. */
  private async carryOne(
    source: ImageSource,
    sink: ImageSink,
    descriptor: Descriptor,
    subject: string,
    tag: string | undefined,
    signaturesOnly: boolean,
    stats: CopyStats,
    walk: Discovery,
  ): Promise<{ listed: boolean; copy?: ArtifactCopy }> {
    const existing = await this.limit(() => sink.resolve(descriptor.digest));
    let artifactType = descriptor.artifactType;
    let annotations = descriptor.annotations;
    let listed = false;
    if (existing === undefined || (tag === undefined && artifactType === undefined)) {
      const node = await this.discover(source, await this.read(source, descriptor.digest, descriptor.mediaType), 0, walk);
      artifactType ??= node.decoded.artifactType;
      annotations ??= node.decoded.annotations;
      if (signaturesOnly && kindOf(tag, artifactType) !== 'signature') return { listed };
      if (existing === undefined) {
        await this.put(node, source, sink, stats, false);
        listed = this.listed.has(`${sink.key}@${descriptor.digest}`);
      }
    } else if (signaturesOnly && kindOf(tag, artifactType) !== 'signature') return { listed };
    const found = existing ?? descriptor;
    return {
      listed,
      copy: {
        kind: kindOf(tag, artifactType),
        digest: descriptor.digest,
        mediaType: found.mediaType || descriptor.mediaType,
        size: found.size,
        subject,
        ...(tag === undefined ? {} : { tag }),
        ...(artifactType === undefined ? {} : { artifactType }),
        ...(annotations === undefined ? {} : { annotations }),
      },
    };
  }
}

function kindOf(tag: string | undefined, artifactType: string | undefined): ArtifactKind {
  return tag === undefined ? kindOfType(artifactType) : kindOfTag(tag);
}

function referrerDescriptor(copy: ArtifactCopy): Descriptor {
  return {
    mediaType: copy.mediaType,
    digest: copy.digest,
    size: copy.size,
    ...(copy.artifactType === undefined ? {} : { artifactType: copy.artifactType }),
    ...(copy.annotations === undefined ? {} : { annotations: copy.annotations }),
  };
}
