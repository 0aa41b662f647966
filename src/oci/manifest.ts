// A manifest as the walk sees it: its bytes (what is pushed, never re-serialized), and what it points
// at, decoded by kind. Image manifests point at a config and layers, OCI 1.1-rc artifact manifests at
// blobs, indexes at child manifests; any of them may name a subject. A media type ferry does not know
// is refused here, so no manifest is ever copied in part.
import { type Descriptor, type Platform, descriptorError, goFold, manifestFields, respelledField } from './descriptor.js';
import { quoted } from '../untrusted-text.js';
import { repeatedKey, repeatedKeyReason } from './json-keys.js';
import { imageMediaTypes, indexMediaTypes, ociArtifactManifest } from './media-types.js';

export interface Manifest {
  readonly descriptor: Descriptor;
  readonly bytes: Buffer;
  readonly json: Record<string, unknown>;
}

export type ManifestKind = 'index' | 'image' | 'artifact';

export interface DecodedManifest {
  readonly kind: ManifestKind;
  /** An index's child manifests. */
  readonly children: readonly Descriptor[];
  /** An image's config and layers, an artifact's blobs. */
  readonly blobs: readonly Descriptor[];
  /** The manifest this one refers to (a signature's image). */
  readonly subject?: Descriptor;
  /** What a referrer is: `artifactType`, else the config's media type (the distribution spec's rule). */
  readonly artifactType?: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

function manifestKindOf(mediaType: string, json: Record<string, unknown>): ManifestKind | undefined {
  if (indexMediaTypes.has(mediaType)) return 'index';
  if (imageMediaTypes.has(mediaType)) return 'image';
  if (mediaType === ociArtifactManifest) return 'artifact';
  if (mediaType !== '') return undefined;
  // OCI lets mediaType be left out: what the manifest holds decides.
  if (Array.isArray(json.manifests)) return 'index';
  if (typeof json.config === 'object' && json.config !== null) return 'image';
  return undefined;
}

/** Annotations of one manifest or descriptor, at most: real ones hold a few dozen, a hostile one hundreds of thousands. */
export const maxAnnotations = 4096;
/** Their keys and values together, at most (a cosign signature's bundle and certificate are a few KiB). */
export const maxAnnotationBytes = 1024 * 1024;

/** The string annotations of `value`, bounded in count and bytes; undefined when it has none. */
function annotationsOf(value: unknown, where: string): Record<string, string> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const entries: [string, string][] = [];
  let bytes = 0;
  for (const key in value) {
    const text = (value as Record<string, unknown>)[key];
    if (typeof text !== 'string') continue;
    bytes += key.length + text.length;
    if (entries.length >= maxAnnotations || bytes > maxAnnotationBytes)
      throw new Error(`${where} has more annotations than ferry reads (${maxAnnotations} of ${maxAnnotationBytes} bytes at most)`);
    entries.push([key, text]);
  }
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

/** The platform an index child's `platform`, or an image config, names; undefined when it names none. */
export function platformOf(value: unknown): Platform | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { os, architecture, variant } = value as Record<string, unknown>;
  if (typeof os !== 'string' || typeof architecture !== 'string') return undefined;
  return { os, architecture, ...(typeof variant === 'string' && variant !== '' ? { variant } : {}) };
}

/** A descriptor taken from untrusted JSON: checked, and only the fields ferry uses kept. */
export function toDescriptor(value: unknown, where: string, maxBlobBytes?: number): Descriptor {
  const reason = descriptorError(value, maxBlobBytes);
  if (reason !== undefined) throw new Error(`${where} holds a descriptor ferry refuses: ${reason}`);
  const raw = value as Record<string, unknown>;
  const platform = platformOf(raw.platform);
  const annotations = annotationsOf(raw.annotations, where);
  const urls = Array.isArray(raw.urls) ? raw.urls.filter((url): url is string => typeof url === 'string') : undefined;
  return {
    mediaType: typeof raw.mediaType === 'string' ? raw.mediaType : '',
    digest: raw.digest as string,
    size: raw.size as number,
    ...(platform ? { platform } : {}),
    ...(typeof raw.artifactType === 'string' ? { artifactType: raw.artifactType } : {}),
    ...(annotations ? { annotations } : {}),
    ...(urls && urls.length > 0 ? { urls } : {}),
  };
}

function descriptorList(value: unknown, field: string, where: string, maxBlobBytes?: number): Descriptor[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`${where}: its ${field} are not a list`);
  return value.map((item) => toDescriptor(item, where, maxBlobBytes));
}

/** Each manifest decoded once per run, however many walks reach it (a hostile archive names one thousands of times). */
const decodedOnce = new WeakMap<Manifest, { readonly maxBlobBytes: number | undefined; readonly decoded: DecodedManifest }>();

/** What a manifest points at; throws for a media type ferry does not know or a malformed descriptor. */
export function decodeManifest(manifest: Manifest, maxBlobBytes?: number): DecodedManifest {
  const known = decodedOnce.get(manifest);
  if (known !== undefined && known.maxBlobBytes === maxBlobBytes) return known.decoded;
  const decoded = decode(manifest, maxBlobBytes);
  decodedOnce.set(manifest, { maxBlobBytes, decoded });
  return decoded;
}

function decode(manifest: Manifest, maxBlobBytes: number | undefined): DecodedManifest {
  const { json, descriptor } = manifest;
  const where = `manifest ${descriptor.digest}`;
  const mediaType = typeof json.mediaType === 'string' ? json.mediaType : descriptor.mediaType;
  const kind = manifestKindOf(mediaType, json);
  if (kind === undefined) {
    throw new Error(
      `${where} has the media type ${quoted(mediaType, 100)}, which ferry does not know how to copy whole: refused, nothing of it is copied`,
    );
  }
  // A document that is an index and an image at once is read as one by some and as the other by others
  // (the ambiguity registries and runtimes refuse since CVE-2021-41190): what ferry copies would not be
  // what a runtime pulls.
  // Go's JSON decoding, which registries and runtimes use, takes `Layers` for `layers`, and folds the
  // long s (U+017F) and the Kelvin sign (U+212A) into s and k: so does this check.
  const fields = new Set(Object.keys(json).map(goFold));
  const holds = (field: string): boolean => fields.has(field);
  if ((kind === 'index' && (holds('config') || holds('layers') || holds('blobs'))) || (kind !== 'index' && holds('manifests')))
    throw new Error(`${where} is ambiguous: it holds the fields of an index and of a manifest at once; refused, nothing of it is copied`);
  // The same between an image and an artifact manifest: a manifest with no mediaType of its own, said to
  // be an artifact by whoever lists it (an archive's index.json, a registry's Content-Type), would
  // otherwise be copied without its config and layers.
  if ((kind === 'artifact' && (holds('config') || holds('layers'))) || (kind === 'image' && holds('blobs')))
    throw new Error(
      `${where} is ambiguous: it holds the fields of an image manifest and of an artifact manifest at once; refused, nothing of it is copied`,
    );
  const respelled = respelledField(json, manifestFields);
  if (respelled !== undefined) throw new Error(`${where} is refused: ${respelled}; nothing of it is copied`);
  const repeated = repeatedKey(manifest.bytes.toString('utf8'));
  if (repeated !== undefined)
    throw new Error(`${where} is refused: it ${repeatedKeyReason(repeated, 'registries, runtimes')}; nothing of it is copied`);
  const subject = json.subject === undefined ? undefined : toDescriptor(json.subject, `${where} (subject)`);
  const annotations = annotationsOf(json.annotations, where);
  const config = json.config === undefined ? undefined : toDescriptor(json.config, where, maxBlobBytes);
  if (kind === 'image' && config === undefined) throw new Error(`${where} is an image manifest without a config`);
  const artifactType = typeof json.artifactType === 'string' ? json.artifactType : kind === 'image' ? config?.mediaType : undefined;
  return {
    kind,
    children: kind === 'index' ? descriptorList(json.manifests, 'manifests', where, maxBlobBytes) : [],
    blobs:
      kind === 'image'
        ? [config as Descriptor, ...descriptorList(json.layers, 'layers', where, maxBlobBytes)]
        : kind === 'artifact'
          ? descriptorList(json.blobs, 'blobs', where, maxBlobBytes)
          : [],
    ...(subject ? { subject } : {}),
    ...(artifactType ? { artifactType } : {}),
    ...(annotations ? { annotations } : {}),
  };
}

/** Whether a child of an index is a buildx attestation manifest (platform unknown/unknown), not an image. */
export function isAttestationManifest(child: Descriptor): boolean {
  return child.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest';
}

/** `os/architecture[/variant]`. */
export function platformText(platform: Platform | undefined): string {
  if (platform === undefined) return '';
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}
