// An OCI content descriptor as a registry or an archive hands it over: untrusted until checked. A
// digest goes into URLs and file names, a size into disk and memory budgets, so both are checked
// before either is used.
import { digestError } from './digest.js';

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

/** Why a descriptor cannot be used, or undefined when it can. */
export function descriptorError(value: unknown, maxBlobBytes = defaultMaxBlobBytes): string | undefined {
  if (typeof value !== 'object' || value === null) return 'a descriptor must be an object';
  const { mediaType, digest, size } = value as Record<string, unknown>;
  if (typeof digest !== 'string') return 'a descriptor has no digest';
  const reason = digestError(digest);
  if (reason !== undefined) return `${JSON.stringify(digest.slice(0, 100))} is not a digest (${reason})`;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
    return `${digest} declares an invalid size ${JSON.stringify(size)}`;
  if (size > maxBlobBytes) return `${digest} declares ${size} bytes, more than the ${maxBlobBytes} ferry accepts (max-blob-bytes)`;
  if (mediaType !== undefined && (typeof mediaType !== 'string' || !mediaTypePattern.test(mediaType)))
    return `${digest} has an invalid mediaType ${JSON.stringify(String(mediaType).slice(0, 100))}`;
  return undefined;
}
