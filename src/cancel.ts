// A cancelled job, as the runner ends a step: SIGINT, then SIGTERM 7.5 s later, then SIGKILL 2.5 s
// after that. Until the commit point Node's default applies (the process ends at once: nothing is
// tagged or written yet, and what package wrote stays for a re-run to reuse). While the commit is
// under way the signals are held, so that its tags and files, which take milliseconds to seconds, are
// all put or none: a cluster never sees half of a release's tags moved. Once the commit is done the
// held signal is raised again, and the process ends by it.

/** The signals the runner sends to cancel a step, before the last, SIGKILL, which nothing can hold. */
export const cancelSignals = ['SIGINT', 'SIGTERM'] as const;

export type CancelSignal = (typeof cancelSignals)[number];

/** The work under way with the signals held, and the first signal it was sent. */
interface Hold {
  held?: CancelSignal;
  readonly notice: (message: string) => void;
}

let hold: Hold | undefined;
const listeners = new Map<CancelSignal, () => void>();

/** The signal's default: the listeners go, and the signal is sent again, which now ends the process. */
function raise(signal: CancelSignal): void {
  for (const [name, listener] of listeners) process.off(name, listener);
  listeners.clear();
  process.kill(process.pid, signal);
}

/**
 * Listens for the signals once for the process's life. A listener removed as the work ends would lose
 * a signal that arrived while the work's last synchronous steps ran (Node tells it a turn later); left
 * in place, it raises such a signal again. Listeners do not keep the process alive.
 */
function listen(): void {
  for (const signal of cancelSignals) {
    if (listeners.has(signal)) continue;
    const listener = (): void => {
      if (hold === undefined) return raise(signal);
      if (hold.held !== undefined) return;
      hold.held = signal;
      hold.notice(`${signal}: the job is being cancelled; the commit's tags and files are finished first, then the run stops.`);
    };
    listeners.set(signal, listener);
    process.on(signal, listener);
  }
}

/**
 * Runs `work` with the runner's cancel signals held: the first one received is told through `notice`
 * and raised again once `work` has ended well (a `work` that fails throws, and the step fails by it).
 */
export async function holdingCancel<T>(work: () => Promise<T>, notice: (message: string) => void): Promise<T> {
  listen();
  const current: Hold = { notice };
  hold = current;
  try {
    const value = await work();
    if (current.held !== undefined) raise(current.held);
    return value;
  } finally {
    hold = undefined;
  }
}
