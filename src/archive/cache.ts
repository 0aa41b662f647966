// The packaging blob store, kept between runs with @actions/cache under a key made from the digests
// it holds, so packaging the same release twice pulls its blobs once. Off GitHub there is no cache
// service: that is a notice, never an error.
import { createHash } from 'node:crypto';

export function cacheKey(digests: Iterable<string>): string {
  const sorted = [...new Set(digests)].sort();
  return `ferry-blobs-${createHash('sha256').update(sorted.join('\n')).digest('hex')}`;
}

export type CacheOutcome = 'restored' | 'missed' | 'saved' | 'unavailable' | 'not saved';

type CacheClient = typeof import('@actions/cache');
let loading: Promise<CacheClient> | undefined;

/**
 * Where the runner names a cache service (either of the variables @actions/cache needs for one), the
 * client starts loading: it is large (the Azure SDK), and loads while the digests resolve. Where none
 * is named, the service is not there, and the client is never loaded.
 */
export function loadCacheClient(): void {
  if (loading !== undefined || !(process.env.ACTIONS_CACHE_URL || process.env.ACTIONS_RESULTS_URL)) return;
  loading = import('@actions/cache');
  // A run that stops before it asks for the client leaves nothing waiting on it: a failed load is
  // reported to whoever asks, never as an unhandled rejection.
  loading.catch(() => undefined);
}

/** The cache client, where the service is there; under @github/local-action's stubs the function itself may be missing. */
async function available(): Promise<CacheClient | undefined> {
  loadCacheClient();
  if (loading === undefined) return undefined;
  const cache = await loading;
  return typeof cache.isFeatureAvailable === 'function' && cache.isFeatureAvailable() ? cache : undefined;
}

export async function restoreBlobs(dir: string, key: string): Promise<CacheOutcome> {
  const cache = await available();
  if (cache === undefined) return 'unavailable';
  return (await cache.restoreCache([dir], key)) === undefined ? 'missed' : 'restored';
}

export async function saveBlobs(dir: string, key: string): Promise<CacheOutcome> {
  const cache = await available();
  if (cache === undefined) return 'unavailable';
  return (await cache.saveCache([dir], key)) === -1 ? 'not saved' : 'saved';
}
