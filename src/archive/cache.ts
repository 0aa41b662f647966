// The packaging blob store, kept between runs with @actions/cache under a key made from the digests
// it holds, so packaging the same release twice pulls its blobs once. Off GitHub there is no cache
// service: that is a notice, never an error.
import * as cache from '@actions/cache';
import { createHash } from 'node:crypto';

export function cacheKey(digests: Iterable<string>): string {
  const sorted = [...new Set(digests)].sort();
  return `ferry-blobs-${createHash('sha256').update(sorted.join('\n')).digest('hex')}`;
}

export type CacheOutcome = 'restored' | 'missed' | 'saved' | 'unavailable' | 'not saved';

/** Off GitHub there is no cache service; under @github/local-action's stubs the function itself may be missing. */
function available(): boolean {
  return typeof cache.isFeatureAvailable === 'function' && cache.isFeatureAvailable();
}

export async function restoreBlobs(dir: string, key: string): Promise<CacheOutcome> {
  if (!available()) return 'unavailable';
  return (await cache.restoreCache([dir], key)) === undefined ? 'missed' : 'restored';
}

export async function saveBlobs(dir: string, key: string): Promise<CacheOutcome> {
  if (!available()) return 'unavailable';
  return (await cache.saveCache([dir], key)) === -1 ? 'not saved' : 'saved';
}
