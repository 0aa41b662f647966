// How large the JavaScript heap may grow for a run. A run holds little (92 MiB at 5,000 images) but
// makes many short-lived objects: the state of each request and image, which lives a few round trips.
// With V8's defaults the young generation grows to 128 MiB, and the old one to three or four times
// what survives, so a catalogue of 5,000 images peaked at 557 MiB. Two of V8's own settings bound
// both: the young generation grows only until its semi-spaces hold `youngSemiSpaceMiB` each, and once
// the old generation is large (a catalogue's, not a copy's of a few images) it may grow by half of
// what survives a collection before the next. V8 reads both settings each time it sizes a space, so
// setting them during the run takes effect (its limit on the young generation's size is fixed when the
// heap is made, hence the growth factor, set by the first collection seen after the space reached that
// size: a long stretch of synchronous work could let it grow one step more first). The old
// generation's bound waits until it matters: on a small heap it would only add collections (twice as
// many in a copy of 20 images, whose old generation stays under 25 MiB, and 8 % more CPU). 5,000
// images then peak at about 240 MiB in less time; measured with `FERRY_BENCH=catalogue`
// (docs/performance.md).
import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';

/** The largest semi-space of the young generation, in MiB (two make up the space). */
export const youngSemiSpaceMiB = 16;
/**
 * The same for the modes that move an archive's bytes (package, unpackage): their objects are few and
 * their garbage is mostly buffers, freed only when the young objects holding them are collected. A
 * young generation of 32 MiB lets a run of large layers hold tens of MiB more of them than one of
 * small layers. Half a MiB is what V8 starts with, so the growth stops at once; V8 still grows the
 * space a step or two before that holds, to 4 MiB, and the peak stays flat in the archive's size
 * (docs/performance.md).
 */
export const archiveSemiSpaceMiB = 0.5;

/** The young generation's bound for a mode, as the mode input names it. */
export function youngSemiSpaceFor(mode: string | undefined): number {
  return mode === 'package' || mode === 'unpackage' ? archiveSemiSpaceMiB : youngSemiSpaceMiB;
}
/** How much a large old generation may grow past what survived its last collection, in per cent. */
export const oldGenerationGrowthPercent = 50;
/** The old generation is large from this size on, in MiB. */
export const largeOldGenerationMiB = 32;

const MiB = 2 ** 20;

/** Bounds the heap's growth for the rest of the process (a second call does nothing more). */
export function boundHeap(semiSpaceMiB = youngSemiSpaceMiB): void {
  if (bounded) return;
  bounded = true;
  let young = false;
  let old = false;
  const bound = (): boolean => {
    const spaces = v8.getHeapSpaceStatistics();
    const size = (name: string): number => spaces.find((space) => space.space_name === name)?.space_size ?? 0;
    if (!young && size('new_space') >= 2 * semiSpaceMiB * MiB) {
      v8.setFlagsFromString('--semi-space-growth-factor=1');
      young = true;
    }
    if (!old && size('old_space') >= largeOldGenerationMiB * MiB) {
      v8.setFlagsFromString(`--heap-growing-percent=${oldGenerationGrowthPercent}`);
      old = true;
    }
    return young && old;
  };
  if (bound()) return;
  // After each collection (a space grows only in one), until both bounds are set.
  const observer = new PerformanceObserver(() => {
    if (bound()) observer.disconnect();
  });
  observer.observe({ entryTypes: ['gc'] });
}
let bounded = false;
