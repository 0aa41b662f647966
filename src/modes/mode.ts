// What every mode has in common: the context it runs in and what it hands back (a result from
// result.ts, which the commit point, the report and the summary read). A mode writes nothing to the
// workspace, puts no tag and writes nothing to the log itself: it says what it has to say through its
// context.
import type { ManifestBudget } from '../copy/budget.js';
import type { ImageEntry } from '../images.js';
import type { Registries } from '../registry/registries.js';
import type { Failure, Outcome, Tagger, WorkResult } from '../result.js';
import type { Progress } from '../progress.js';
import type { Settings } from '../settings.js';
import type { GateResult, VerifyTarget } from '../verify/gate.js';
import { verificationText } from '../verify/verification.js';
import { sharedSources } from './importer.js';

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

/**
 * Images under way at once, per request slot (`concurrency`): enough to keep every slot busy while an
 * image waits on its own chain of round trips, and few enough that what an image's work allocates is
 * still young when the work ends. Starting a catalogue's every image at once kept each one's promises
 * alive across collections, so they aged into the old generation and died there, and the heap grew to
 * several times what the run holds. (What an image starts without awaiting, relocate's look-ahead, is
 * bounded by the registries' limiters alone.)
 */
export const imagesPerRequestSlot = 8;

export interface SettleOptions<T = unknown> {
  /** The run's request slots (`concurrency`): `imagesPerRequestSlot` images per slot are under way at once. */
  readonly concurrency: number;
  /** Told as each image ends, failed or not. */
  readonly progress?: Progress | undefined;
  /** Told of each result as its image ends. */
  readonly onResult?: ((result: T) => void) | undefined;
}

/**
 * Runs `work` for every entry (or item holding one), a bounded number at once and in order, collecting
 * each result or failure in the items' order (one image failing does not stop the others).
 */
export async function settle<I extends ImageEntry | { readonly entry: ImageEntry }, T>(
  items: readonly I[],
  work: (item: I) => Promise<T>,
  options: SettleOptions<T>,
): Promise<{ results: T[]; failures: Failure[] }> {
  const settled: PromiseSettledResult<T>[] = new Array(items.length);
  let next = 0;
  // Each lane takes the next item when its last one ends (a pool: nothing is made for an item before it starts).
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const at = next++;
      try {
        const value = await work(items[at] as I);
        settled[at] = { status: 'fulfilled', value };
        options.onResult?.(value);
      } catch (reason) {
        settled[at] = { status: 'rejected', reason };
      }
      options.progress?.imageDone();
    }
  };
  const lanes = Math.min(items.length, Math.max(1, options.concurrency * imagesPerRequestSlot));
  await Promise.all(Array.from({ length: lanes }, lane));
  const results: T[] = [];
  const failures: Failure[] = [];
  settled.forEach((outcome, index) => {
    const item = items[index] as I;
    const image = 'entry' in item ? item.entry.image : item.image;
    if (outcome.status === 'fulfilled') results.push(outcome.value);
    else
      failures.push({
        image,
        message: `${image}: ${outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason)}`,
      });
  });
  return { results, failures };
}

/**
 * The verify gate, when the run verifies (input verify): every target checked before the mode's first
 * write. The Sigstore libraries load here, only for runs that verify.
 */
export async function verifyGate(context: ModeContext, targets: readonly VerifyTarget[]): Promise<GateResult | undefined> {
  const { settings } = context;
  if (settings.verify === undefined || targets.length === 0) return undefined;
  const { verifyImages } = await import('../verify/gate.js');
  const gate = await verifyImages(settings.verify, targets, {
    concurrency: settings.concurrency,
    // A signature check needs only `.sig` tags and referrers; what the copy lists anyway is listed once.
    signaturesOnly: settings.verify.kind === 'signature' && settings.artifacts !== 'all',
    tufCache: `${settings.tempDir}/ferry-sigstore-tuf`,
    budget: context.budget,
  });
  const logged = new Set<string>();
  for (const target of targets) {
    const verification = gate.verified.get(target.entry.image);
    if (verification === undefined || logged.has(target.entry.image)) continue;
    logged.add(target.entry.image);
    context.log(`${target.entry.image}: ${target.digest} verified, ${verificationText(verification)}`);
  }
  return gate;
}

/** The gate for modes that pin or plan without copying (resolve, plan): each resolved image checked at its registry. */
export function preflight(
  context: ModeContext,
  resolved: readonly { readonly entry: ImageEntry; readonly digest: string }[],
): Promise<GateResult | undefined> {
  if (context.settings.verify === undefined) return Promise.resolve(undefined);
  const sourceOf = sharedSources(context.registries());
  return verifyGate(
    context,
    resolved.map(({ entry, digest }) => ({ entry, digest, source: sourceOf(entry.source) })),
  );
}
