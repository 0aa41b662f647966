// How counts and sizes are written for a person: in the log, the summary and messages alike.

/** A size in the largest unit that keeps it above one: `3.0 MiB`, `1.15 GiB`, `512 B`. */
export function bytes(count: number): string {
  return count >= 1024 * 1024 * 1024
    ? `${(count / 1024 ** 3).toFixed(2)} GiB`
    : count >= 1024 * 1024
      ? `${(count / 1024 / 1024).toFixed(1)} MiB`
      : count >= 1024
        ? `${(count / 1024).toFixed(1)} KiB`
        : `${count} B`;
}

/** A count with its noun, plural unless the count is one: `1 image`, `2 images`, `3 SBOMs`. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}
