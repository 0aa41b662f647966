// settle(): every image's work run, a bounded number at once, results and failures in the images' order.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imagesPerRequestSlot, settle } from '../../src/modes/steps.js';
import type { ImageEntry } from '../../src/images.js';

const entries = Array.from({ length: 100 }, (_, n) => ({ image: `registry.example/app-${n}:v1` }) as ImageEntry);

describe('settle', () => {
  it('runs imagesPerRequestSlot images per request slot at once, no more, and keeps the order', async () => {
    let running = 0;
    let most = 0;
    let done = 0;
    const { results, failures } = await settle(
      entries,
      async (entry) => {
        running++;
        most = Math.max(most, running);
        // Later images end first: the order of results is the images', not the order they end in.
        await new Promise((resolve) => setTimeout(resolve, 100 - entries.indexOf(entry)));
        running--;
        if (entry.image.endsWith('-7:v1')) throw new Error('not found');
        return entry.image;
      },
      { concurrency: 2, progress: { imageDone: () => done++ } as never },
    );
    assert.equal(most, 2 * imagesPerRequestSlot);
    assert.equal(done, entries.length);
    assert.deepEqual(
      results,
      entries.filter((_, n) => n !== 7).map((entry) => entry.image),
    );
    assert.deepEqual(failures, [{ image: 'registry.example/app-7:v1', message: 'registry.example/app-7:v1: not found' }]);
  });

  it('starts nothing for an empty list', async () => {
    assert.deepEqual(await settle([], () => Promise.reject(new Error('never')), { concurrency: 8 }), { results: [], failures: [] });
  });
});
