// What a run did, as plain serializable values: each image's outcome and what its copy moved, the
// failures, the tags to put and the archive to write at the commit point. Types and counts only,
// below the modes that produce them and the commit point, the report and the summary that read them.
import type { ArtifactCopy } from './copy/artifacts.js';
import type { CopyResult, CopyStats } from './copy/copy-result.js';
import type { Descriptor } from './oci/descriptor.js';
import type { ShardTotal } from './shards.js';

/** What a copy did, as the summary and the outputs report it: a copy's result without what only the commit point needs. */
export type CopySummary = Pick<CopyResult, 'mediaType' | 'size' | 'platforms' | 'attestationManifests' | 'filteredFrom' | 'present'> &
  Omit<CopyStats, 'manifestsPushed'> & {
    readonly destination: string;
    /** Which copy this is: references that share one copy of an image share it (and count its numbers once). */
    readonly copied?: string;
    /** What travelled with the image: signatures, attestations, SBOMs. */
    readonly artifacts: readonly ArtifactCopy[];
  };

/** A copy's result as the summary and the outputs report it. */
export function copySummary(result: CopyResult, destination: string, copied?: string): CopySummary {
  const { blobsCopied, bytesCopied, blobsSkipped, blobsMounted, foreignLayers } = result.stats;
  return {
    destination,
    ...(copied === undefined ? {} : { copied }),
    mediaType: result.mediaType,
    size: result.size,
    platforms: result.platforms,
    attestationManifests: result.attestationManifests,
    ...(result.filteredFrom === undefined ? {} : { filteredFrom: result.filteredFrom }),
    artifacts: result.artifacts,
    present: result.present,
    blobsCopied,
    bytesCopied,
    blobsSkipped,
    blobsMounted,
    foreignLayers,
  };
}

export interface Outcome {
  /** The string as found in the YAML (or named by the lock). */
  readonly image: string;
  /** What a string field becomes: the new name, pinned when the mode pins. */
  readonly newImage: string;
  /** The tag the image carries where it now is, for fields that keep a tag beside the digest. */
  readonly tag: string | undefined;
  readonly digest?: string;
  readonly copy?: CopySummary;
  /** What vouched for the image, when the run verifies (input verify). */
  readonly verified?: Verification;
  /** plan mode: the shard the image is in. */
  readonly shard?: number;
  /** The digest of the signed provenance that says where the copy came from (input attest). */
  readonly attestation?: string;
}

/** What vouched for an image (input verify): see verify/verification.ts for its words. */
export interface Verification {
  /** `key sha256:…`, or `identity (issuer)`. */
  readonly by: string;
  readonly kind: 'signature' | 'attestation';
  readonly predicateType?: string;
  /** When the index has no signature of its own and each platform's verified instead. */
  readonly perPlatform?: boolean;
  /** When a platform filter made the image of this index, whose evidence verified it. */
  readonly madeOf?: string;
}

/** A lock entry: the string as found and what it becomes, with a note. */
export interface Override {
  /** The string as found in the YAML. */
  readonly image: string;
  readonly newImage: string;
  /** A comment above the entry (what travelled with the image, a platform filter): kbld reads past it. */
  readonly note?: string;
}

export interface Failure {
  readonly image: string;
  readonly message: string;
}

/**
 * A tag put at the commit point, once every image is complete at its destination. With `referrer`,
 * the tag is the referrers tag schema index of `subject`, and the referrer is added to it.
 */
export interface TagPut {
  readonly registry: string;
  readonly repository: string;
  readonly tag: string;
  readonly digest: string;
  readonly referrer?: { readonly subject: string; readonly descriptor: Descriptor };
  /** A digest tag that travels with an image (cosign's `.sig`): put, as a referrers listing is, before any image's own tag. */
  readonly travels?: boolean;
}

/** An archive complete in partial files beside its place, put in place at the commit point. */
export interface PendingArchive {
  readonly file: string;
  /** Its files once in place: the archive itself, or its parts in order. */
  readonly files: readonly string[];
  /** Blobs (and their bytes) an earlier, stopped run had written, found in place and checked by digest. */
  readonly resumed?: { readonly blobs: number; readonly bytes: number };
  /** A delta: the bases that hold what it left out, and how many blobs (and bytes) that is. */
  readonly delta?: { readonly since: readonly string[]; readonly blobs: number; readonly bytes: number };
}

export interface WorkResult {
  readonly outcomes: readonly Outcome[];
  readonly failures: readonly Failure[];
  readonly tags: readonly TagPut[];
  /** Lock entries besides one per found string (unpackage maps the digest forms too). */
  readonly extraLock: readonly Override[];
  readonly archive?: PendingArchive;
  /** Files the mode writes at the commit point besides manifests and the lock (the plan). */
  readonly files?: readonly { readonly path: string; readonly text: string }[];
  /** plan mode: each shard's images and bytes. */
  readonly shards?: readonly ShardTotal[];
  /** Step outputs of the mode's own (plan, matrix). */
  readonly outputs?: Readonly<Record<string, string>>;
  /** verify-mode warn: the images that did not verify, each with its reason; they went on. */
  readonly warnings?: readonly Failure[];
  /** The Helm charts the run moved or pinned, with the images each yielded. */
  readonly charts?: readonly ChartOutcome[];
}

/** What a run did with one Helm chart. */
export interface ChartOutcome {
  readonly chart: string;
  readonly newChart: string;
  readonly digest: string | null;
  /** A range and the version it resolved to. */
  readonly resolved?: { readonly range: string; readonly version: string };
  /** The images the chart's values and annotations name, each as found. */
  readonly images: readonly string[];
  /** The values file's path in the workspace, when the chart's values name an image. */
  readonly values?: string;
}

/** Puts a tag on a manifest that is already at its destination. */
export type Tagger = (put: TagPut) => Promise<void>;

/** What a run moved, counted once: the numbers every report of it (headline, totals line, rows) adds up to. */
export interface Moved {
  readonly blobsCopied: number;
  readonly bytesCopied: number;
  readonly blobsSkipped: number;
  readonly blobsMounted: number;
  readonly foreignLayers: number;
  /** Distinct images (destination and digest) that were at their destination already. */
  readonly imagesPresent: number;
}

/**
 * What a run moved. The walk counts each blob in the one copy that moved it, so the copies' own counts
 * add up to what crossed the wire: summed over every copy (references that share a copy count it once),
 * not over one copy per digest, which lost what a second copy of an image (another tag) moved.
 */
export function moved(outcomes: readonly Outcome[]): Moved {
  const byCopy = new Map<string, CopySummary>();
  for (const { copy, digest } of outcomes) if (copy !== undefined) byCopy.set(copy.copied ?? `${copy.destination}@${digest}`, copy);
  const copies = [...byCopy.values()];
  const sum = (pick: (copy: CopySummary) => number): number => copies.reduce((total, copy) => total + pick(copy), 0);
  return {
    blobsCopied: sum((copy) => copy.blobsCopied),
    bytesCopied: sum((copy) => copy.bytesCopied),
    blobsSkipped: sum((copy) => copy.blobsSkipped),
    blobsMounted: sum((copy) => copy.blobsMounted),
    foreignLayers: sum((copy) => copy.foreignLayers),
    imagesPresent: distinctCopies(outcomes).filter((copy) => copy.present).length,
  };
}

/**
 * The copies of a run, one per destination and digest: what crossed the wire, counted once however
 * many references name the image.
 */
export function distinctCopies(outcomes: readonly Outcome[]): CopySummary[] {
  const copies = new Map<string, CopySummary>();
  for (const outcome of outcomes) if (outcome.copy) copies.set(`${outcome.copy.destination}@${outcome.digest}`, outcome.copy);
  return [...copies.values()];
}

/**
 * After a failed run: the images this run pushed to a registry (complete, by digest) whose tags it did
 * not put. An image that was there before the run is not among them: this run left it as it was.
 */
export function pushedUntagged(outcomes: readonly Outcome[]): Outcome[] {
  return outcomes.filter((outcome) => outcome.copy !== undefined && outcome.copy.destination !== 'archive' && !outcome.copy.present);
}
