import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cacheKey, restoreBlobs, saveBlobs } from '../../src/archive/cache.js';

const a = `sha256:${'a'.repeat(64)}`;
const b = `sha256:${'b'.repeat(64)}`;

describe('blob store cache', () => {
  it('keys by the set of digests, whatever their order or repeats', () => {
    assert.equal(cacheKey([a, b]), cacheKey([b, a, b]));
    assert.notEqual(cacheKey([a]), cacheKey([a, b]));
    assert.match(cacheKey([a]), /^ferry-blobs-[a-f0-9]{64}$/);
  });

  it('says it is unavailable off GitHub, without an error', async () => {
    const saved = { url: process.env.ACTIONS_CACHE_URL, results: process.env.ACTIONS_RESULTS_URL };
    delete process.env.ACTIONS_CACHE_URL;
    delete process.env.ACTIONS_RESULTS_URL;
    try {
      assert.equal(await restoreBlobs('/nonexistent', cacheKey([a])), 'unavailable');
      assert.equal(await saveBlobs('/nonexistent', cacheKey([a])), 'unavailable');
    } finally {
      if (saved.url !== undefined) process.env.ACTIONS_CACHE_URL = saved.url;
      if (saved.results !== undefined) process.env.ACTIONS_RESULTS_URL = saved.results;
    }
  });
});
