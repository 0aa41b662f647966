// The manifests one run will read, at most (the `max-manifests` input). Every walk is bounded by depth
// and by what one manifest may carry, but a source can still make a graph that multiplies (artifacts
// each under every other, indexes sharing children): the budget bounds the run's whole reading, and
// its error names the input to raise for a catalogue that really is that large.

export const defaultMaxManifests = 100_000;

export class ManifestBudget {
  private readonly taken = new Set<string>();

  constructor(readonly max: number = defaultMaxManifests) {}

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
