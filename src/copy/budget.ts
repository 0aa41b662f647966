// The manifests one run will read, at most (the `max-manifests` input). Every walk is bounded by depth
// and by what one manifest may carry, but a source can still make a graph that multiplies (artifacts
// each under every other, indexes sharing children): the budget bounds the run's whole reading, and
// its error names the input to raise for a catalogue that really is that large.

export const defaultMaxManifests = 100_000;

/** What the manifests a run keeps may hold on average: a budget of counts alone would let 4 MiB manifests fill memory. */
const averageManifestBytes = 10 * 1024;

export class ManifestBudget {
  private readonly taken = new Set<string>();
  private bytes = 0;

  constructor(readonly max: number = defaultMaxManifests) {}

  /** Counts the bytes of a manifest read; the run keeps at most `max` x 10 KiB of them. */
  takeBytes(key: string, size: number): void {
    this.bytes += size;
    const limit = this.max * averageManifestBytes;
    if (this.bytes > limit) {
      throw new Error(
        `${key.slice(key.lastIndexOf('@') + 1)} takes the manifests this run has read past ${limit >= 1024 * 1024 ? `${Math.round(limit / 1024 / 1024)} MiB` : `${limit / 1024} KiB`} (10 KiB for each of max-manifests): raise max-manifests for a catalogue this large`,
      );
    }
  }

  /** Counts a manifest read (once per source and digest, however many walks read it). */
  take(key: string): void {
    if (this.taken.has(key)) return;
    if (this.taken.size >= this.max) {
      throw new Error(
        `reading ${key.slice(key.lastIndexOf('@') + 1)} would take this run past ${this.max} manifests, the most max-manifests allows: raise max-manifests for a catalogue this large`,
      );
    }
    this.taken.add(key);
  }
}
