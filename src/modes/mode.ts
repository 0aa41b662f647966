// What every mode has in common: the context it runs in, and the plain, serializable result it hands
// to the commit point (outcomes, tags to put, an archive to write). A mode writes nothing to the
// workspace and puts no tag itself.
import { type ArtifactCopy, artifactCounts } from '../copy/artifacts.js';
import type { ManifestBudget } from '../copy/budget.js';
import type { ImageEntry } from '../images.js';
import type { Descriptor } from '../oci/descriptor.js';
import type { Override } from '../lock.js';
import type { Registries } from '../registry/registries.js';
import type { ArchivedArtifact, ArchivedImage } from '../archive/write.js';
import type { Settings } from '../settings.js';

/** What a copy did, as the summary and the outputs report it. */
export interface CopySummary {
  readonly destination: string;
  readonly mediaType: string;
  readonly size: number;
  /** `os/architecture[/variant]` of each image of an index (nested ones too); empty for a single image. */
  readonly platforms: readonly string[];
  /** buildx attestation manifests in the index. */
  readonly attestationManifests: number;
  /** The source's index digest, when the platform filter made a new index or chose one child. */
  readonly filteredFrom?: string;
  /** What travelled with the image: signatures, attestations, SBOMs. */
  readonly artifacts: readonly ArtifactCopy[];
  /** The destination had the image already: nothing was read from the source. */
  readonly present: boolean;
  readonly blobsCopied: number;
  readonly bytesCopied: number;
  readonly blobsSkipped: number;
  readonly blobsMounted: number;
  readonly foreignLayers: number;
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
}

/** An archive written at the commit point from the blob store the mode filled. */
export interface PendingArchive {
  readonly file: string;
  readonly storeDir: string;
  readonly blobs: readonly (readonly [string, number])[];
  readonly images: readonly ArchivedImage[];
  readonly artifacts: readonly ArchivedArtifact[];
}

export interface WorkResult {
  readonly outcomes: readonly Outcome[];
  readonly failures: readonly Failure[];
  readonly tags: readonly TagPut[];
  /** Whether the YAML is rewritten (package only records digests). */
  readonly edit: boolean;
  /** Lock entries besides one per found string (unpackage maps the digest forms too). */
  readonly extraLock: readonly Override[];
  readonly archive?: PendingArchive;
  /** Files the mode writes at the commit point besides manifests and the lock (the plan). */
  readonly files?: readonly { readonly path: string; readonly text: string }[];
  /** Step outputs of the mode's own (plan, matrix). */
  readonly outputs?: Readonly<Record<string, string>>;
}

export interface ModeContext {
  readonly settings: Settings;
  readonly entries: readonly ImageEntry[];
  /** The registry clients, opened on first use and closed by the caller. */
  readonly registries: () => Registries;
  /** Runs at the end of the run, success or failure. */
  readonly onCleanup: (step: () => Promise<void>) => void;
  /** The manifests the run may read, shared by every walk of it. */
  readonly budget: ManifestBudget;
}

/** Puts a tag on a manifest that is already at its destination. */
export type Tagger = (put: TagPut) => Promise<void>;

export interface Mode {
  /** Names stay as written (resolve, package): no default repo applies. */
  readonly keepsNames: boolean;
  /** Whether new references carry a digest. */
  readonly pins: boolean;
  /** Whether the mode needs images at all: an empty set is an error for those that do. */
  readonly needsImages: boolean;
  /** Whether the commit writes the lock (plan writes its plan file and nothing else). */
  readonly writesLock?: boolean;
  run(context: ModeContext): Promise<{ result: WorkResult; tagger?: Tagger; finish?: () => Promise<void> }>;
}

/** What the lock and the log say besides the digest: what travelled with the image, a platform filter. */
export function copyNote(copy: CopySummary): string {
  const parts: string[] = [];
  if (copy.filteredFrom !== undefined)
    parts.push(
      `${copy.platforms.join(', ') || 'one platform'} of ${copy.filteredFrom} (platforms input), so the digest differs from the source's`,
    );
  const travelled = artifactCounts(copy.artifacts);
  if (travelled !== '') parts.push(`travelled with it: ${travelled}`);
  return parts.join('; ');
}

/** Runs `work` for every entry, collecting each result or failure (one image failing does not stop the others). */
export async function settle<T>(
  entries: readonly ImageEntry[],
  work: (entry: ImageEntry) => Promise<T>,
): Promise<{ results: T[]; failures: Failure[] }> {
  const settled = await Promise.allSettled(entries.map(work));
  const results: T[] = [];
  const failures: Failure[] = [];
  settled.forEach((outcome, index) => {
    const entry = entries[index] as ImageEntry;
    if (outcome.status === 'fulfilled') results.push(outcome.value);
    else
      failures.push({
        image: entry.image,
        message: `${entry.image}: ${outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason)}`,
      });
  });
  return { results, failures };
}
