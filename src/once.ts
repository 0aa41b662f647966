// A piece of work done once per key however many ask for it, and asked again after it fails.

/** A promise per key, forgotten when it fails (a failed step is retried by whoever asks next). */
export function once<T>(memo: Map<string, Promise<T>>, key: string, work: () => Promise<T>): Promise<T> {
  let pending = memo.get(key);
  if (pending === undefined) {
    pending = work();
    memo.set(key, pending);
    pending.catch(() => {
      if (memo.get(key) === pending) memo.delete(key);
    });
  }
  return pending;
}
