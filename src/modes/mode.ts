// What every mode has in common: the context it runs in and what it hands back (a result from
// result.ts, which the commit point, the report and the summary read). A mode writes nothing to the
// workspace, puts no tag and writes nothing to the log itself: it says what it has to say through its
// context.
import type { ManifestBudget } from '../copy/budget.js';
import type { ImageEntry } from '../images.js';
import type { Registries } from '../registry/registries.js';
import type { Failure, Tagger, WorkResult } from '../result.js';
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
}

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

/** Runs `work` for every entry, collecting each result or failure (one image failing does not stop the others). */
export async function settle<T>(
  entries: readonly ImageEntry[],
  work: (entry: ImageEntry) => Promise<T>,
  progress?: Progress,
): Promise<{ results: T[]; failures: Failure[] }> {
  const settled = await Promise.allSettled(entries.map((entry) => work(entry).finally(() => progress?.imageDone())));
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
