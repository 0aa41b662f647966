// Content digests: validated (the algorithms ferry accepts, their lengths), computed, and checked
// against a stream as it passes.
import { type Hash, createHash } from 'node:crypto';
import { type Readable, Transform, type TransformCallback, pipeline } from 'node:stream';

const algorithms: Record<string, string> = { sha256: 'sha256', sha384: 'sha384', sha512: 'sha512' };

/** What `hash` (made by hashFor(digest)) has read, as a digest in `digest`'s algorithm: equal to `digest` when the bytes were its. */
export function digestFromHash(digest: string, hash: Hash): string {
  return `${digest.slice(0, digest.indexOf(':'))}:${hash.digest('hex')}`;
}

export function hashFor(digest: string): Hash {
  const algorithm = algorithms[digest.slice(0, digest.indexOf(':'))];
  if (algorithm === undefined) throw new Error(`unsupported digest algorithm in ${digest}`);
  return createHash(algorithm);
}

/** The grammar of a digest in a reference, any algorithm (the distribution project's). */
export const digestPattern = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';

const digestHexLength: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

/** Checks a digest the way go-digest does: a known algorithm and lower-case hex of its exact length. */
export function digestError(digest: string): string | undefined {
  const colon = digest.indexOf(':');
  if (colon <= 0 || colon + 1 === digest.length) return 'invalid checksum digest format';
  const algorithm = digest.slice(0, colon);
  const encoded = digest.slice(colon + 1);
  const length = digestHexLength[algorithm];
  if (length === undefined) {
    return new RegExp(`^${digestPattern}$`).test(digest) ? 'unsupported digest algorithm' : 'invalid checksum digest format';
  }
  if (encoded.length !== length) return 'invalid checksum digest length';
  return /^[a-f0-9]+$/.test(encoded) ? undefined : 'invalid checksum digest format';
}

/** Whether `text` is a digest ferry accepts: sha256, sha384 or sha512, its hex of the right length. */
export const isDigest = (text: string): boolean => digestError(text) === undefined;

/** Whether a manifest reference (what follows a repository) names a digest rather than a tag: a tag has no colon. */
export const namesDigest = (reference: string): boolean => reference.includes(':');

/** Whether `bytes` are the content `digest` names, in its own algorithm (sha256, sha384 or sha512). */
export function matchesDigest(bytes: Buffer, digest: string): boolean {
  const algorithm = digest.slice(0, digest.indexOf(':'));
  return algorithm in algorithms && digestOf(bytes, algorithm) === digest;
}

export function digestOf(bytes: Buffer, algorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/**
 * A small blob read whole from its stream: no longer than its descriptor says, and its bytes checked
 * against its digest, whatever the stream did or did not check itself.
 */
export async function readWhole(stream: AsyncIterable<unknown>, blob: { readonly digest: string; readonly size: number }): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += (chunk as Buffer).length;
    if (total > blob.size) throw new Error(`${blob.digest} is longer than its declared ${blob.size} bytes`);
    chunks.push(chunk as Buffer);
  }
  const bytes = Buffer.concat(chunks);
  if (!matchesDigest(bytes, blob.digest)) throw new Error(`${blob.digest} does not match its content`);
  return bytes;
}

/** Bytes checked against a digest (and size) as they come: what a verifying stream keeps. */
export class DigestCheck {
  private readonly hash: Hash;
  private length = 0;

  constructor(
    readonly digest: string,
    private readonly size: number | undefined,
  ) {
    this.hash = hashFor(digest);
  }

  /** Takes the next bytes: why they fail, when they run past the size. */
  update(chunk: Buffer): string | undefined {
    this.hash.update(chunk);
    this.length += chunk.length;
    return this.size !== undefined && this.length > this.size ? `more than the expected ${this.size} bytes` : undefined;
  }

  /** At the end: why the bytes are not the digest's (or not its size), undefined when they are. */
  end(): string | undefined {
    const actual = digestFromHash(this.digest, this.hash);
    if (actual === this.digest && (this.size === undefined || this.length === this.size)) return undefined;
    const sizes = this.size === undefined ? `${this.length} bytes` : `${this.length} of ${this.size} bytes`;
    return `digest mismatch: expected ${this.digest}, got ${actual} (${sizes})`;
  }
}

/** Passes bytes through unchanged and fails the stream at its end if they are not `digest` (and `size`). */
export class DigestVerifier extends Transform {
  private readonly check: DigestCheck;

  constructor(
    readonly digest: string,
    size: number | undefined,
    private readonly mismatch: (reason: string) => Error,
  ) {
    super();
    this.check = new DigestCheck(digest, size);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const reason = this.check.update(chunk);
    if (reason === undefined) callback(null, chunk);
    else callback(this.mismatch(reason));
  }

  override _flush(callback: TransformCallback): void {
    const reason = this.check.end();
    callback(reason === undefined ? undefined : this.mismatch(reason));
  }
}

/**
 * `source` passed through `verifier`, as one stream: an error on either side ends both, and a
 * consumer that stops early releases the source (its connection or file) too.
 */
export function verified(source: Readable, verifier: DigestVerifier): Readable {
  // Errors reach the consumer through the verifier, which pipeline destroys with them.
  return pipeline(source, verifier, () => undefined);
}
