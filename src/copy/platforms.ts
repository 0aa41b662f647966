// The platform filter: which children of an index are copied. One platform copies that child
// manifest itself (its digest is what the YAML and the lock then record, as crane and skopeo do);
// several make a new index of exactly those children, with the buildx attestation manifests that
// describe them.
import type { Descriptor, Platform } from '../oci/descriptor.js';
import { type Manifest, decodeManifest, isAttestationManifest, platformText } from '../oci/manifest.js';
import { digestOf } from '../oci/digest.js';

const platformPattern = /^[a-z0-9_.-]+\/[a-z0-9_.-]+(?:\/[a-z0-9_.-]+)?$/i;

/** `os/architecture[/variant]` values, comma or newline separated; undefined for every platform. */
export function parsePlatforms(text: string): Platform[] | undefined {
  const values = text
    .split(/[,\n]/)
    .map((value) => value.trim())
    .filter((value) => value !== '');
  if (values.length === 0) return undefined;
  return values.map((value) => {
    if (!platformPattern.test(value)) throw new Error(`${JSON.stringify(value)} is not os/architecture[/variant] (e.g. linux/arm64)`);
    const [os = '', architecture = '', variant] = value.split('/');
    return { os, architecture, ...(variant ? { variant } : {}) };
  });
}

/** arm64's variant is v8 when none is given (containerd's normalization). */
function variantOf(platform: Platform): string {
  return platform.variant ?? (platform.architecture === 'arm64' ? 'v8' : '');
}

export function matches(wanted: Platform, platform: Platform | undefined): boolean {
  if (platform === undefined) return false;
  if (wanted.os !== platform.os || wanted.architecture !== platform.architecture) return false;
  return wanted.variant === undefined || variantOf(wanted) === variantOf(platform);
}

const referenceDigest = 'vnd.docker.reference.digest';

export interface Filtered {
  /** The manifest to copy: a child of the index, or a new index of the kept children. */
  readonly manifest: Manifest;
  /** True when `manifest` is a new index, made here; false when the source has it. */
  readonly derived: boolean;
}

/**
 * The part of an index the platforms ask for. Every wanted platform must be in the index; `children`
 * are the index's decoded descriptors, in the order of its JSON list.
 */
export function filterIndex(
  index: Manifest,
  children: readonly Descriptor[],
  wanted: readonly Platform[],
  fetchChild: (child: Descriptor) => Promise<Manifest>,
): Promise<Filtered> | Filtered {
  const kept = new Set<number>();
  for (const platform of wanted) {
    const found = children.map((child, at) => (matches(platform, child.platform) ? at : -1)).filter((at) => at >= 0);
    if (found.length === 0) {
      const offered = children.filter((child) => !isAttestationManifest(child)).map((child) => platformText(child.platform) || 'unknown');
      throw new Error(
        `the index ${index.descriptor.digest} has no ${platformText(platform)} image (it has ${offered.join(', ') || 'none'})`,
      );
    }
    for (const at of found) kept.add(at);
  }
  const only = kept.size === 1 ? children[[...kept][0] as number] : undefined;
  if (only !== undefined && wanted.length === 1) return fetchChild(only).then((manifest) => ({ manifest, derived: false }));
  const keptDigests = new Set([...kept].map((at) => children[at]?.digest));
  children.forEach((child, at) => {
    if (isAttestationManifest(child) && keptDigests.has(child.annotations?.[referenceDigest])) kept.add(at);
  });
  if (kept.size === children.length) return { manifest: index, derived: false };
  const list = index.json.manifests as unknown[];
  const json = { ...index.json, manifests: list.filter((_, at) => kept.has(at)) };
  const bytes = Buffer.from(JSON.stringify(json));
  return {
    manifest: { descriptor: { mediaType: index.descriptor.mediaType, digest: digestOf(bytes), size: bytes.length }, bytes, json },
    derived: true,
  };
}

/**
 * What the filter for `platforms` makes of `manifest`, its children read through `read`; undefined when
 * `manifest` is no index (a single image is kept or refused whole, by its config).
 */
export async function filterManifest(
  manifest: Manifest,
  platforms: readonly Platform[],
  read: (digest: string, mediaType?: string) => Promise<Manifest>,
  maxBlobBytes?: number,
): Promise<Manifest | undefined> {
  const decoded = decodeManifest(manifest, maxBlobBytes);
  if (decoded.kind !== 'index') return undefined;
  return (await filterIndex(manifest, decoded.children, platforms, (child) => read(child.digest, child.mediaType))).manifest;
}

/**
 * Whether `result` is what `filterIndex` makes of `index` for some platforms (for `platforms`, when
 * given): one of its platform images, or a new index of some of its children, every other byte as the
 * index has it. The filter is run again on the index's own bytes, for the platforms the result holds,
 * and compared by digest, so nothing but the index itself can vouch for a manifest said to come from
 * it, and an attestation manifest alone is no image of it.
 */
export async function isFilterOf(index: Manifest, result: Manifest, platforms?: readonly Platform[]): Promise<boolean> {
  const decoded = decodeManifest(index);
  if (decoded.kind !== 'index') return false;
  const { children } = decoded;
  const listed = Array.isArray(result.json.manifests) ? (result.json.manifests as unknown[]) : [];
  const kept = new Set(
    listed.map((child) => (typeof child === 'object' && child !== null ? (child as { digest?: unknown }).digest : undefined)),
  );
  const direct = children.find((child) => child.digest === result.descriptor.digest);
  const held = direct === undefined ? children.filter((child) => kept.has(child.digest)) : [direct];
  const own = held.filter((child) => !isAttestationManifest(child) && child.platform !== undefined);
  const wanted = platforms ?? [...new Map(own.map((child) => [platformText(child.platform), child.platform as Platform])).values()];
  if (wanted.length === 0) return false;
  // A single platform's image is the child itself: it is `result` only if it is that child.
  const child = async (descriptor: Descriptor): Promise<Manifest> => {
    if (descriptor.digest !== result.descriptor.digest) throw new Error(`${descriptor.digest} is not ${result.descriptor.digest}`);
    return result;
  };
  try {
    return (await filterIndex(index, children, wanted, child)).manifest.descriptor.digest === result.descriptor.digest;
  } catch {
    return false;
  }
}

/**
 * Which of `origins` (digests an image claims to have been made of) is an index that the filter for
 * `platforms` makes `made` of, reading each through `read`: the index's own bytes, filtered again and
 * compared by digest; undefined when none is, or none can be read.
 */
export async function filteredOrigin(
  read: (digest: string, mediaType?: string) => Promise<Manifest>,
  origins: readonly string[],
  made: string,
  platforms: readonly Platform[],
): Promise<string | undefined> {
  for (const origin of origins) {
    if (origin === made) continue;
    try {
      if ((await filterManifest(await read(origin), platforms, read))?.descriptor.digest === made) return origin;
    } catch {
      // an origin the source cannot give, or whose bytes do not decode, makes nothing
    }
  }
  return undefined;
}
