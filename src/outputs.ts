// The step's outputs as values: what the run did, in the shape each output takes (JSON where a value
// is a list, so that no file name or reference can forge an entry). report.ts writes them to the runner.
import type { CommitPlan } from './commit.js';
import { kindCounts } from './copy/artifacts.js';
import { parseReferenceParts } from './reference.js';
import type { WorkResult } from './result.js';
import type { Settings } from './settings.js';

export interface Outputs {
  readonly lockFile?: string;
  readonly lock?: string;
  /** A mode's own outputs (plan, matrix). */
  readonly extra?: Readonly<Record<string, string>>;
  readonly images: readonly {
    image: string;
    newImage: string;
    digest: string | null;
    artifacts?: object;
    filteredFrom?: string;
    attestation?: string;
  }[];
  /** Each attested image: its digest and its attestation's. */
  readonly attestations?: readonly { image: string; digest: string | null; attestation: string | undefined }[];
  readonly manifests: readonly string[];
  readonly archive?: string;
  /** The archive's files: the archive, or its parts in order. */
  readonly archiveFiles?: readonly string[];
  readonly changed: boolean;
}

/** The step's outputs from what the run did: the lock (unless the mode writes none), the images, the files, the archive. */
export function outputsOf(
  settings: Pick<Settings, 'dryRun' | 'lockFile'>,
  result: WorkResult,
  plan: Pick<CommitPlan, 'writes' | 'changed'>,
  lock: string | undefined,
): Outputs {
  return {
    // A dry run names no lock file it did not write; the lock's text is what it would hold.
    ...(lock === undefined ? {} : { lock, ...(settings.dryRun ? {} : { lockFile: settings.lockFile }) }),
    ...(result.outputs === undefined ? {} : { extra: result.outputs }),
    ...(result.outcomes.some((outcome) => outcome.attestation !== undefined)
      ? {
          attestations: result.outcomes
            .filter((outcome) => outcome.attestation !== undefined)
            .map(({ image, newImage, attestation }) => ({ image, digest: parseReferenceParts(newImage).digest ?? null, attestation })),
        }
      : {}),
    images: result.outcomes.map(({ image, newImage, copy, verified, attestation }) => ({
      image,
      newImage,
      digest: parseReferenceParts(newImage).digest ?? null,
      ...(copy === undefined ? {} : { artifacts: kindCounts(copy.artifacts) }),
      ...(copy?.filteredFrom === undefined ? {} : { filteredFrom: copy.filteredFrom }),
      ...(attestation === undefined ? {} : { attestation }),
      ...(verified === undefined
        ? {}
        : {
            verified: {
              by: verified.by,
              kind: verified.kind,
              ...(verified.predicateType === undefined ? {} : { predicateType: verified.predicateType }),
            },
          }),
    })),
    manifests: settings.dryRun ? [] : plan.writes.map((write) => write.path),
    ...(result.archive === undefined || settings.dryRun ? {} : { archive: result.archive.file, archiveFiles: result.archive.files }),
    changed: plan.changed,
  };
}
