// Which digest a reference names, each distinct reference once per run: its tag resolved, or a pinned
// reference's own digest. A mode that reads the image next (a copy, a measure) reads it by that digest,
// which checks it; a mode that only pins (resolve) asks the registry to check it first (`checkPinned`).
// Lookups are not limited here: the images under way (settle) and each registry's limiter bound them,
// and lookups are light requests, so a far registry answers 20 images' tags in a round trip or two
// rather than one per `concurrency` of them.
import { parseReference } from '../reference.js';
import type { Registries } from '../registry/registries.js';

export function digestResolver(registries: Registries, options: { checkPinned: boolean }): (reference: string) => Promise<string> {
  const cache = new Map<string, Promise<string>>();
  return (reference) => {
    const parsed = parseReference(reference);
    if (parsed.digest !== undefined && !options.checkPinned) return Promise.resolve(parsed.digest);
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
