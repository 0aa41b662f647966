// Which digest a reference names, each distinct reference once per run: its tag resolved, or a pinned
// reference's own digest. A mode that reads the image next (a copy, a measure) reads it by that digest,
// which checks it; a mode that only pins (resolve) asks the registry to check it first (`checkPinned`).
// Lookups are not limited here: the images under way (settle) and each registry's limiter bound them,
// and lookups are light requests, so a far registry answers 20 images' tags in a round trip or two
// rather than one per `concurrency` of them.
import { dockerHub } from '../oci/repository.js';
import { parseReference } from '../reference.js';
import type { Registries } from '../registry/registries.js';

export interface ResolverOptions {
  readonly checkPinned: boolean;
  /**
   * Resolves a tag by reading its manifest, for a mode whose copy reads it next (one request where a
   * lookup and the read would be two); undefined when that source cannot.
   */
  readonly readTag?: (reference: string) => Promise<string | undefined>;
}

export function digestResolver(registries: Registries, options: ResolverOptions): (reference: string) => Promise<string> {
  const cache = new Map<string, Promise<string>>();
  return (reference) => {
    const parsed = parseReference(reference);
    if (parsed.digest !== undefined && !options.checkPinned) return Promise.resolve(parsed.digest);
    const key = parsed.toString();
    let pending = cache.get(key);
    if (pending === undefined) {
      const client = registries.reader(parsed.registry);
      const lookUp = (): Promise<string> =>
        client.resolve(parsed.repository, parsed.digest ?? parsed.tag ?? 'latest').then((found) => found.digest);
      // Docker Hub counts a manifest GET against its pull limit and a HEAD not: a re-run, whose
      // images are all at the destination, must not spend the limit, so there a tag is HEADed.
      pending =
        options.readTag === undefined || parsed.digest !== undefined || parsed.registry === dockerHub
          ? lookUp()
          : options.readTag(reference).then((digest) => digest ?? lookUp());
      cache.set(key, pending);
    }
    return pending;
  };
}

/**
 * For a mode whose copy reads each image next from `sourceOf` (relocate, package): a tag resolved by
 * reading its manifest there, which the copy then takes as its read of that digest.
 */
export function readingResolver(
  registries: Registries,
  sourceOf: (reference: string) => { resolveTag(tag: string): Promise<string | undefined> },
): (reference: string) => Promise<string> {
  return digestResolver(registries, {
    checkPinned: false,
    readTag: (reference) => sourceOf(reference).resolveTag(parseReference(reference).tag ?? 'latest'),
  });
}
