// What travels with an image: its referrers and cosign's digest tags, each copied whole after its
// subject, then what travels with those in turn (each subject visited once, which stops any loop),
// under the artifacts input and the bounds on what one manifest may carry.
import type { Descriptor } from '../oci/descriptor.js';
import { type Manifest, decodeManifest } from '../oci/manifest.js';
import { maxDepth, maxManifestsPerImage, maxReferrers } from '../oci/limits.js';
import { type ArtifactCopy, type ArtifactKind, type ArtifactPolicy, kindOfTag, kindOfType } from './artifacts.js';
import type { ImageSink, ImageSource } from './endpoint.js';
import type { Node } from './graph.js';
import { quoted } from '../untrusted-text.js';
import type { CopyResult, CopyStats, ReferrerListing } from './copy-result.js';

/** What travels with one manifest, at most: a source answering more is refused, not followed. */
const maxArtifactsPerManifest = maxReferrers;

/** One image's walk: each manifest it holds is read and decoded once, however many paths lead to it. */
export interface Discovery {
  readonly nodes: Map<string, Promise<Node>>;
}

/** The steps of the walk (walker.ts) that carrying an artifact takes. */
export interface WalkSteps {
  limit<T>(work: () => Promise<T>): Promise<T>;
  read(source: ImageSource, digest: string, mediaType?: string): Promise<Manifest>;
  discover(source: ImageSource, manifest: Manifest, depth: number, walk: Discovery): Promise<Node>;
  /** Writes a manifest and all it holds, once per sink. */
  put(node: Node, source: ImageSource, sink: ImageSink, stats: CopyStats): Promise<void>;
  /** Whether the sink said it lists the manifest among its subject's referrers by itself. */
  isListed(sink: ImageSink, digest: string): boolean;
}

/**
 * What travels with the manifests `subjects`: their referrers and digest tags, each copied whole
 * after its subject, then what travels with those in turn (each subject once, which stops any loop).
 */
export async function carry(
  steps: WalkSteps,
  policy: ArtifactPolicy,
  source: ImageSource,
  sink: ImageSink,
  subjects: readonly string[],
  stats: CopyStats,
): Promise<Pick<CopyResult, 'artifacts' | 'tags' | 'referrerListings'>> {
  const artifacts: ArtifactCopy[] = [];
  const tags: { tag: string; digest: string }[] = [];
  const referrerListings: ReferrerListing[] = [];
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
      steps.limit(() => source.referrers(subject, signaturesOnly)),
      steps.limit(() => source.digestTags(subject, signaturesOnly)),
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
        const { listed, copy } = await carryOne(steps, source, sink, descriptor, subject, tag, signaturesOnly, stats, walk);
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
async function carryOne(
  steps: WalkSteps,
  source: ImageSource,
  sink: ImageSink,
  descriptor: Descriptor,
  subject: string,
  tag: string | undefined,
  signaturesOnly: boolean,
  stats: CopyStats,
  walk: Discovery,
): Promise<{ listed: boolean; copy?: ArtifactCopy }> {
  const existing = await steps.limit(() => sink.resolve(descriptor.digest));
  let artifactType = descriptor.artifactType;
  let annotations = descriptor.annotations;
  let listed = false;
  // The size of what was read, once it is: a listing's or a HEAD's is the registry's word.
  let readSize: number | undefined;
  // A referrer is read even when the destination has it, since it will be listed there: a listing (a
  // tag schema index anyone can write, an archive's index.json) that names it under a subject its
  // manifest does not is refused, and its type and annotations are the manifest's.
  if (existing === undefined || tag === undefined) {
    const manifest = await steps.read(source, descriptor.digest, descriptor.mediaType);
    const node = existing === undefined ? await steps.discover(source, manifest, 0, walk) : undefined;
    const decoded = node?.decoded ?? decodeManifest(manifest);
    readSize = manifest.bytes.length;
    if (tag === undefined && decoded.subject?.digest !== subject)
      throw new Error(
        `${descriptor.digest} is listed as a referrer of ${subject}, but its manifest ${decoded.subject === undefined ? 'names no subject' : `names ${decoded.subject.digest}`}: refused`,
      );
    const notAnArtifact = tag === undefined ? undefined : imageUnderDigestTag(decoded);
    if (notAnArtifact !== undefined)
      throw new Error(
        `${descriptor.digest}, under ${subject}'s digest tag ${tag}, ${notAnArtifact}: a signature, attestation or SBOM holds no image, refused`,
      );
    artifactType = decoded.artifactType;
    annotations = decoded.annotations;
    if (signaturesOnly && artifactKindOf(tag, artifactType) !== 'signature') return { listed };
    if (node !== undefined) {
      await steps.put(node, source, sink, stats);
      listed = steps.isListed(sink, descriptor.digest);
    }
  } else {
    if (signaturesOnly && artifactKindOf(tag, artifactType) !== 'signature') return { listed };
    // Held at the sink already: the commit point puts the tag on the sink's manifest, which must be
    // what the tag says as much as one copied would be (it reads it for the tag either way).
    const readHeld = sink.heldManifest?.bind(sink);
    const held = readHeld === undefined ? undefined : await steps.limit(() => readHeld(descriptor.digest));
    const notAnArtifact = held === undefined ? undefined : imageUnderDigestTag(decodeManifest(held));
    if (notAnArtifact !== undefined)
      throw new Error(
        `${descriptor.digest}, under ${subject}'s digest tag ${tag}, ${notAnArtifact} (at the destination already): a signature, attestation or SBOM holds no image, refused`,
      );
  }
  const found = existing ?? descriptor;
  return {
    listed,
    copy: {
      kind: artifactKindOf(tag, artifactType),
      digest: descriptor.digest,
      mediaType: found.mediaType || descriptor.mediaType,
      size: existing?.size ?? readSize ?? found.size,
      subject,
      ...(tag === undefined ? {} : { tag }),
      ...(artifactType === undefined ? {} : { artifactType }),
      ...(annotations === undefined ? {} : { annotations }),
    },
  };
}

/** A container image's layers: what a runtime unpacks into a file system. */
const filesystemLayer = /^application\/vnd\.(oci\.image\.layer|docker\.image\.rootfs)\./;

/**
 * Why a manifest under a digest tag (cosign's `sha256-<hex>.sig`, `.att`, `.sbom`) is an image a
 * runtime could run rather than what the tag says: an index, or a layer of a file system. Such a tag
 * is anyone's to push, and an archive's index.json anyone's to write, and what is under it travels
 * with a verified image unverified.
 */
function imageUnderDigestTag(decoded: ReturnType<typeof decodeManifest>): string | undefined {
  if (decoded.kind === 'index') return 'is an index';
  const layer = decoded.blobs.find((blob) => filesystemLayer.test(blob.mediaType));
  return layer === undefined ? undefined : `holds a file system layer (${quoted(layer.mediaType)})`;
}

function artifactKindOf(tag: string | undefined, artifactType: string | undefined): ArtifactKind {
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
