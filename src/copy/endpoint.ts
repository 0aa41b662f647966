// The two ends of a copy. A source hands out manifests, blobs and what refers to a manifest (OCI
// referrers, and the digest tags of cosign's scheme); a sink takes blobs and manifests by digest and
// answers what it holds. Registries, the blob store of an archive and a dry run are all one of these.
import type { Readable } from 'node:stream';
import type { Descriptor } from '../oci/descriptor.js';
import type { Manifest } from '../oci/manifest.js';
import type { Repository } from '../oci/repository.js';

/** How a blob got to a sink: sent, or mounted from another repository of its registry. */
export type PutResult = 'mounted' | 'uploaded';

/** A manifest a tag of the digest tag scheme names (`sha256-<hex>.sig`). */
export interface TaggedArtifact {
  readonly tag: string;
  readonly descriptor: Descriptor;
}

export interface ImageSource {
  /** Identifies the source in the de-duplication of reads. */
  readonly key: string;
  /** The registry location, when the source is one (so a sink in the same registry can mount). */
  readonly location?: Repository;
  /** Where one blob can be mounted from, when that is not `location` (a delta's blob, held at the destination). */
  mountFrom?(blob: Descriptor): Repository | undefined;
  /** The manifest with that digest; `mediaType` is the one its parent descriptor gives, if any. */
  getManifest(digest: string, mediaType?: string): Promise<Manifest>;
  /**
   * The blob's bytes, checked against its digest: as they pass (a registry's reads, the blob store's
   * files, a layout folder's), a wrong or extra byte failing the stream before it ends; or, a tar
   * archive's range, by the pass that read the archive whole before any push, for a registry sink that
   * checks digests as blobs arrive. A sink writes what it is given.
   */
  openBlob(blob: Descriptor): Readable;
  /** The manifests whose subject is `digest` (the referrers API, else the referrers tag schema). */
  referrers(digest: string, signaturesOnly: boolean): Promise<Descriptor[]>;
  /** The digest-scheme tags next to `digest`: every suffix, or only `.sig` when signatures only. */
  digestTags(digest: string, signaturesOnly: boolean): Promise<TaggedArtifact[]>;
  /**
   * Starts reading what `referrers` and `digestTags` will need for any digest (a registry's list of
   * the repository's tags), before a digest is known; nothing is awaited and a failure is forgotten.
   */
  prepareLists?(signaturesOnly: boolean): void;
}

export interface ImageSink {
  /** Identifies the sink in the de-duplication of blobs and manifests. */
  readonly key: string;
  readonly location?: Repository;
  /** The manifest a tag or digest names there, or undefined. */
  resolve(reference: string): Promise<Descriptor | undefined>;
  /**
   * A manifest the sink holds already (`resolve` found it), read from the sink: what a digest tag is
   * put on there at the commit point. Only a sink that can hold a manifest before the run has it.
   */
  heldManifest?(digest: string): Promise<Manifest>;
  /**
   * Whether the sink holds the blob. A sink that can mount it from `mountFrom` may answer false
   * without asking: the mount itself tells (a blob already there is "mounted" at no cost).
   */
  hasBlob(blob: Descriptor, mountFrom?: Repository): Promise<boolean>;
  putBlob(blob: Descriptor, open: () => Readable, mountFrom?: Repository): Promise<PutResult>;
  /**
   * Puts a manifest by digest. Returns whether the sink lists it among its subject's referrers by
   * itself (a registry with the referrers API, an archive); when not, the referrers tag schema is
   * updated at the commit point.
   */
  putManifest(descriptor: Descriptor, bytes: Buffer): Promise<{ listed: boolean }>;
}

/** The tag the referrers tag schema and cosign name after a digest: `<alg>-<hex>`, truncated as the spec says. */
export function digestTag(digest: string): string {
  const [algorithm = '', hex = ''] = digest.split(':');
  return `${algorithm.slice(0, 32)}-${hex.slice(0, 64)}`;
}

/**
 * Whether `tag` is one of cosign's digest tags of `subject` (`<alg>-<hex>.<suffix>`): the only tag an
 * artifact gets, from a registry or from an archive, so nothing that travels with an image can put
 * one of the images' own tags.
 */
export function isDigestTagOf(tag: string, subject: string): boolean {
  const prefix = `${digestTag(subject)}.`;
  return tag.length > prefix.length && tag.startsWith(prefix);
}
