// An OCI content descriptor as a registry or an archive hands it over: untrusted until checked. A
// digest goes into URLs and file names, a size into disk and memory budgets, so both are checked
// before either is used.
import { digestError } from './digest.js';
import { quoted } from '../untrusted-text.js';

export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  /** Of an index's child. */
  readonly platform?: Platform;
  /** Of a referrer (its manifest's artifactType, or its config's media type). */
  readonly artifactType?: string;
  readonly annotations?: Readonly<Record<string, string>>;
  /** Where a non-distributable layer lives. */
  readonly urls?: readonly string[];
}

/** The largest blob a descriptor may declare unless the max-blob-bytes input says otherwise. */
export const defaultMaxBlobBytes = 50 * 1024 ** 3;

const mediaTypePattern = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;

/**
 * A key as Go's JSON decoding matches it to a field: without case, and with the letters whose lower
 * case's upper case is ASCII folded too (Go compares `ToUpper(ToLower(r))`): the long s (U+017F), the
 * Kelvin sign (U+212A), and the dotted and dotless i (U+0130, U+0131), which JavaScript's own lower
 * case leaves apart.
 */
export const goFold = (key: string): string =>
  key
    .replace(/[\u0130\u0131]/g, 'i')
    .toLowerCase()
    .replace(/\u017f/g, 's')
    .replace(/\u212a/g, 'k');

/** The fields of a descriptor, of its platform, and of a manifest, as the OCI specs spell them. */
export const descriptorFields = ['mediaType', 'digest', 'size', 'urls', 'annotations', 'data', 'artifactType', 'platform'];
export const platformFields = ['architecture', 'os', 'os.version', 'os.features', 'variant', 'features'];
export const manifestFields = [
  'schemaVersion',
  'mediaType',
  'artifactType',
  'config',
  'layers',
  'manifests',
  'blobs',
  'subject',
  'annotations',
];

/**
 * Why an object of `fields` is refused: a key Go's JSON decoding (registries, containerd, skopeo) takes
 * for one of them, spelled otherwise (`Digest`, `OS`). Go reads the last of the spellings, ferry only the
 * spec's: `"os": "unknown", "OS": "linux"` would be another platform to a runtime than to ferry.
 */
export function respelledField(value: object, fields: readonly string[]): string | undefined {
  for (const key of Object.keys(value)) {
    const folded = goFold(key);
    const field = fields.find((name) => name.toLowerCase() === folded);
    if (field !== undefined && field !== key)
      return `it spells the field ${field} as ${quoted(key, 40)}, which Go's JSON decoding reads as ${field}`;
  }
  return undefined;
}

/** Why a descriptor cannot be used, or undefined when it can. */
export function descriptorError(value: unknown, maxBlobBytes = defaultMaxBlobBytes): string | undefined {
  if (typeof value !== 'object' || value === null) return 'a descriptor must be an object';
  const respelled = respelledField(value, descriptorFields);
  if (respelled !== undefined) return respelled;
  const { platform } = value as { platform?: unknown };
  if (typeof platform === 'object' && platform !== null) {
    const platformRespelled = respelledField(platform, platformFields);
    if (platformRespelled !== undefined) return `its platform: ${platformRespelled}`;
  }
  const { mediaType, digest, size } = value as Record<string, unknown>;
  if (typeof digest !== 'string') return 'a descriptor has no digest';
  const reason = digestError(digest);
  if (reason !== undefined) return `${quoted(digest, 100)} is not a digest (${reason})`;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
    return `${digest} declares an invalid size ${quoted(String(JSON.stringify(size)), 100)}`;
  if (size > maxBlobBytes) return `${digest} declares ${size} bytes, more than the ${maxBlobBytes} ferry accepts (max-blob-bytes)`;
  if (mediaType !== undefined && (typeof mediaType !== 'string' || !mediaTypePattern.test(mediaType)))
    return `${digest} has an invalid mediaType ${quoted(String(mediaType), 100)}`;
  return undefined;
}
