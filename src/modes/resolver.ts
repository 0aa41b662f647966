// Which digest a reference names: its own when pinned (checked to exist), else its tag resolved, each
// distinct reference once per run. Lookups are not limited here: the images under way (settle) and
// each registry's limiter bound them, and lookups are light requests, so a far registry answers 20
// images' tags in a round trip or two rather than one per `concurrency` of them.
import { parseReference } from '../reference.js';
import type { Registries } from '../registry/registries.js';

export function digestResolver(registries: Registries): (reference: string) => Promise<string> {
  const cache = new Map<string, Promise<string>>();
  return (reference) => {
    const parsed = parseReference(reference);
    const key = parsed.toString();
    let pending = cache.get(key);
    if (pending === undefined) {
      const client = registries.reader(parsed.registry);
      pending = client.resolve(parsed.repository, parsed.digest ?? parsed.tag ?? 'latest').then((found) => found.digest);
      cache.set(key, pending);
    }
    return pending;
  };
}
