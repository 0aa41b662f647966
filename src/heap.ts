// How large the JavaScript heap may grow for a run. A run holds little (92 MiB at 5,000 images) but
// makes many short-lived objects: the state of each request and image, which lives a few round trips.
// With V8's defaults the young generation grows to 128 MiB, and the old one to three or four times
// what survives, so a catalogue of 5,000 images peaked at 557 MiB. Two of V8's own settings bound
// both: the old generation may grow by half of what survives its collections before the next, and
// the young generation grows only until its semi-spaces hold `youngSemiSpaceMiB` each (the default
// of V8 until 2023). Both are read by V8 each time it sizes a space, so setting them while the run
// starts takes effect: the young generation's limit is set once a collection finds it that large.
// Measured with `FERRY_BENCH=catalogue` (docs/performance.md).
import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';

/** How much the old generation may grow past what survived its last collection, in per cent. */
export const oldGenerationGrowthPercent = 50;
/** The largest semi-space of the young generation, in MiB (two make up the space). */
export const youngSemiSpaceMiB = 16;

function youngGenerationBytes(): number {
  return v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
}

/** Bounds the heap's growth for the rest of the process (a second call does nothing more). */
export function boundHeap(): void {
  if (bounded) return;
  bounded = true;
  v8.setFlagsFromString(`--heap-growing-percent=${oldGenerationGrowthPercent}`);
  const stopGrowing = (): boolean => {
    if (youngGenerationBytes() < 2 * youngSemiSpaceMiB * 2 ** 20) return false;
    v8.setFlagsFromString('--semi-space-growth-factor=1');
    return true;
  };
  if (stopGrowing()) return;
  // After each collection (the young generation grows only in one), until it has reached the bound.
  const observer = new PerformanceObserver(() => {
    if (stopGrowing()) observer.disconnect();
  });
  observer.observe({ entryTypes: ['gc'] });
}
let bounded = false;
