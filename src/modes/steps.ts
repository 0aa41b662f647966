// The steps every mode takes the same way: its images run a bounded number at once (settle), the
// verify gate before its first write, and the result of a mode that stops before it writes anything.
import type { ImageEntry } from '../images.js';
import type { Failure, WorkResult } from '../result.js';
import type { Progress } from '../progress.js';
import type { GateResult, VerifyTarget } from '../verify/gate.js';
import { verificationText } from '../verify/verification.js';
import type { ModeContext, ModeRun } from './mode.js';

/** A result with nothing in it yet. */
export function emptyResult(): WorkResult {
  return { outcomes: [], failures: [], tags: [], extraLock: [] };
}

/** A mode stopped before its first write: the failures (and what the gate warned of), nothing to commit. */
export function stopped(context: ModeContext, failures: readonly Failure[], warnings: readonly Failure[] = []): ModeRun {
  return { result: { ...emptyResult(), failures, ...(warnings.length === 0 ? {} : { warnings }) } };
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
    ...(settings.platforms === undefined ? {} : { platforms: settings.platforms }),
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
