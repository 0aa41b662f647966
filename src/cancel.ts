// A cancelled job, as the runner ends a step: SIGINT, then SIGTERM 7.5 s later, then SIGKILL 2.5 s
// after that. Until the commit point Node's default applies (the process ends at once: nothing is
// tagged or written yet, and what package wrote stays for a re-run to reuse). While the commit is
// under way the signals are held, so that its tags and files, which take milliseconds to seconds, are
// all put or none: a cluster never sees half of a release's tags moved. Once the commit is done the
// held signal is raised again, and the process ends by it.

/** The signals the runner sends to cancel a step, before the last, SIGKILL, which nothing can hold. */
export const cancelSignals = ['SIGINT', 'SIGTERM'] as const;

export type CancelSignal = (typeof cancelSignals)[number];

/**
 * Runs `work` with the runner's cancel signals held: the first one received is told through `notice`
 * and raised again once `work` has ended well (a `work` that fails throws, and the step fails by it).
 */
export async function holdingCancel<T>(work: () => Promise<T>, notice: (message: string) => void): Promise<T> {
  let held: CancelSignal | undefined;
  const listeners = cancelSignals.map((signal) => {
    const listener = (): void => {
      if (held !== undefined) return;
      held = signal;
      notice(`${signal}: the job is being cancelled; the commit's tags and files are finished first, then the run stops.`);
    };
    process.on(signal, listener);
    return { signal, listener };
  });
  const release = (): void => {
    for (const { signal, listener } of listeners) process.off(signal, listener);
  };
  let value: T;
  try {
    value = await work();
  } finally {
    release();
  }
  // With its listeners gone the signal's default ends the process, as it would have at once.
  if (held !== undefined) process.kill(process.pid, held);
  return value;
}
