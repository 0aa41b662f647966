// A delta archive: package given `since` (archives the site has imported, or locks of images it holds)
// leaves out every blob those hold, and records in the archive (`ferry-delta.json`) each blob it left
// out and where the site holds it: which image of which base archive (named at the site as unpackage
// names it), or which repository a lock says. unpackage checks each is at the destination before its
// first push, and the copy mounts or reads it from there. The record is the archive's word, read as
// untrusted: bounded, every digest and name checked, and worth nothing until the destination agrees.
import { digestError } from '../oci/digest.js';
import type { Descriptor } from '../oci/descriptor.js';
import { maxDepth } from '../oci/limits.js';
import { type Manifest, decodeManifest } from '../oci/manifest.js';
import { InvalidReferenceError, parseReference } from '../reference.js';
import { hasControlCharacters } from '../untrusted-text.js';
import { ArchiveError, parseJson } from './archive-error.js';

/** The file a delta archive records what it left out in, beside index.json. */
export const deltaFile = 'ferry-delta.json';
/** Blobs one delta leaves out, at most. */
const maxLeftOut = 1_000_000;
/** Bases one record may name: a delta is against a few archives or locks, and each entry is checked against them. */
const maxBases = 10_000;
const maxNameLength = 1024;

/** A blob a delta left out, and where the site holds it. */
export interface LeftOut {
  readonly digest: string;
  readonly size: number;
  /** The base it was in: an archive's or a lock's file name, as `since` named it. */
  readonly base: string;
  /** The base archive's image that holds it (its ref name): where it is at the site is where unpackage puts that image. */
  readonly image?: string;
  /** From a lock: the repository at the site that holds it (`registry/repository`). */
  readonly repository?: string;
  /** The base's image is a Helm chart, named at the site as charts are (its repository moved, its chart name kept last). */
  readonly chart?: true;
}

export interface DeltaRecord {
  /** The bases, by the names `since` gave them. */
  readonly since: readonly string[];
  readonly blobs: readonly LeftOut[];
}

/** The record as the archive keeps it: sorted, so the same delta is the same bytes. */
export function deltaBytes(record: DeltaRecord): Buffer {
  const blobs = [...record.blobs].sort((a, b) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));
  return Buffer.from(`${JSON.stringify({ since: [...record.since].sort(), blobs }, null, 1)}\n`);
}

/** A name of the record: shown in messages, so no control character (an escape, a line separator) either. */
const text = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= maxNameLength && !hasControlCharacters(value);

/** A delta record read from an archive, every field checked. */
export function readDelta(file: string, bytes: Buffer | undefined): DeltaRecord {
  const parsed = parseJson<{ since?: unknown; blobs?: unknown }>(file, deltaFile, bytes);
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray(parsed.since) || !parsed.since.every(text))
    throw new ArchiveError(file, `${deltaFile} names no bases (since)`);
  if (parsed.since.length > maxBases) throw new ArchiveError(file, `${deltaFile} names more than ${maxBases} bases`);
  if (!Array.isArray(parsed.blobs) || parsed.blobs.length > maxLeftOut)
    throw new ArchiveError(file, `${deltaFile} lists no blobs, or more than ${maxLeftOut}`);
  const since = parsed.since as string[];
  const bases = new Set(since);
  const blobs = parsed.blobs.map((entry: unknown, at): LeftOut => {
    const { digest, size, base, image, repository, chart } = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<
      string,
      unknown
    >;
    const where = `${deltaFile} entry ${at + 1}`;
    if (typeof digest !== 'string' || digestError(digest) !== undefined) throw new ArchiveError(file, `${where} names no digest`);
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw new ArchiveError(file, `${where} gives no size`);
    if (!text(base) || !bases.has(base)) throw new ArchiveError(file, `${where} names a base that is not among its bases`);
    if (
      (image === undefined) === (repository === undefined) ||
      (image !== undefined && !text(image)) ||
      (repository !== undefined && !text(repository))
    )
      throw new ArchiveError(file, `${where} names neither one image nor one repository where the site holds it`);
    if (chart !== undefined && (chart !== true || image === undefined))
      throw new ArchiveError(file, `${where} says a chart in a way that is not \`"chart": true\` beside an image`);
    try {
      if (typeof image === 'string') parseReference(image);
      if (typeof repository === 'string') parseReference(repository);
    } catch (error) {
      if (error instanceof InvalidReferenceError) throw new ArchiveError(file, `${where}: ${error.message}`);
      throw error;
    }
    return {
      digest,
      size,
      base,
      ...(typeof image === 'string' ? { image } : {}),
      ...(typeof repository === 'string' ? { repository } : {}),
      ...(chart === true ? { chart } : {}),
    };
  });
  return { since, blobs };
}

/**
 * The blobs (configs and layers, not manifests) an image holds, its index's children and nested indexes
 * included, each read through `read`: what a base holds of it. With `artifactsOf`, the blobs of what
 * travels with each manifest too (and with what travels).
 */
export async function blobsOf(
  read: (digest: string, mediaType?: string) => Promise<Manifest>,
  top: Descriptor,
  artifactsOf: (digest: string) => Promise<readonly Descriptor[]> = async () => [],
): Promise<Descriptor[]> {
  const found = new Map<string, Descriptor>();
  const seen = new Set<string>();
  const visit = async (descriptor: Descriptor, depth: number): Promise<void> => {
    if (seen.has(descriptor.digest)) return;
    seen.add(descriptor.digest);
    if (depth > maxDepth) throw new Error(`manifest ${descriptor.digest}: indexes nested more than ${maxDepth} deep`);
    const decoded = decodeManifest(await read(descriptor.digest, descriptor.mediaType));
    for (const blob of decoded.blobs) found.set(blob.digest, blob);
    for (const child of decoded.children) await visit(child, depth + 1);
    for (const artifact of await artifactsOf(descriptor.digest)) await visit(artifact, depth + 1);
  };
  await visit(top, 0);
  return [...found.values()];
}
