// Which digest a reference names: its own when pinned (checked to exist), else its tag resolved, each
// distinct reference once per run.
import pLimit from 'p-limit';
import { parseReference } from '../reference.js';
import type { Registries } from '../registry/registries.js';

export function digestResolver(registries: Registries, concurrency: number): (reference: string) => Promise<string> {
  const limit = pLimit(concurrency);
  const cache = new Map<string, Promise<string>>();
  return (reference) => {
    const parsed = parseReference(reference);
    const key = parsed.toString();
    let pending = cache.get(key);
    if (pending === undefined) {
      const client = registries.reader(parsed.registry);
      pending = limit(async () => (await client.resolve(parsed.repository, parsed.digest ?? parsed.tag ?? 'latest')).digest);
      cache.set(key, pending);
    }
    return pending;
  };
}
