// What every mode has in common: the context it runs in and what it hands back (a result from
// result.ts, which the commit point, the report and the summary read). A mode writes nothing to the
// workspace, puts no tag and writes nothing to the log itself: it says what it has to say through its
// context.
import type { ChartRead } from '../charts/read-charts.js';
import type { ManifestBudget } from '../copy/budget.js';
import type { ImageEntry } from '../images.js';
import type { Registries } from '../registry/registries.js';
import type { Outcome, Tagger, WorkResult } from '../result.js';
import type { Progress } from '../progress.js';
import type { Settings } from '../settings.js';

export interface ModeContext {
  readonly settings: Settings;
  readonly entries: readonly ImageEntry[];
  /** The registry clients, opened on first use and closed by the caller. */
  readonly registries: () => Registries;
  /** Runs at the end of the run, success or failure. */
  readonly onCleanup: (step: () => Promise<void>) => void;
  /** The manifests the run may read, shared by every walk of it. */
  readonly budget: ManifestBudget;
  /** A line for the mode's log group. */
  readonly log: (message: string) => void;
  /** A notice (an annotation on the run). */
  readonly notice: (message: string) => void;
  /** Progress of the work, for modes that move images. */
  readonly progress: Progress;
  /** Aborts at the run's deadline (input timeout): work that reads no registry checks it itself. */
  readonly deadline?: AbortSignal;
  /** Told of each image as it is done, so its line is printed then, not at the end of the run. */
  readonly onImage?: (outcome: Outcome) => void;
}

/** A mode's code; what the mode is (keeps names, pins, needs images) is its row in catalog.ts. */
export interface Mode {
  run(context: ModeContext): Promise<ModeRun>;
}

export interface ModeRun {
  readonly result: WorkResult;
  /** Where each image came from, when not a registry (unpackage: the archive's file and the digest it held). */
  readonly origins?: ReadonlyMap<string, { readonly file: string; readonly digest: string }>;
  /** The charts the mode read itself (unpackage reads them from its archives). */
  readonly charts?: readonly ChartRead[];
  readonly tagger?: Tagger;
  readonly finish?: () => Promise<void>;
}
