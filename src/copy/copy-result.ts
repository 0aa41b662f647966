// What one copy of an image did, as plain data: its numbers, its platforms, what travelled with it, and
// the digest tags and referrer listings left for the commit point.
import type { Descriptor } from '../oci/descriptor.js';
import type { ArtifactCopy } from './artifacts.js';

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

export function emptyStats(): CopyStats {
  return { blobsCopied: 0, bytesCopied: 0, blobsSkipped: 0, blobsMounted: 0, foreignLayers: 0, manifestsPushed: 0 };
}
