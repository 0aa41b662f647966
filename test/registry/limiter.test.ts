// The per-registry limiter's two lanes: uploads whose body streams while they hold a slot are limited
// to `concurrency`, the round trips beside them (HEADs, manifests, starting an upload) to several
// times that; a registry pushing back cuts both.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HostLimiter, lightPerBodySlot } from '../../src/registry/limiter.js';

/** Starts `count` requests in `lane` that wait until released; returns how many got a slot. */
async function occupy(limiter: HostLimiter, lane: 'body' | 'light', count: number) {
  let started = 0;
  const gates: (() => void)[] = [];
  const done = Array.from({ length: count }, () =>
    limiter.run(
      () =>
        new Promise<number>((resolve) => {
          started++;
          gates.push(() => resolve(200));
        }),
      (status) => ({ status, retryAfter: false }),
      lane,
    ),
  );
  await new Promise((resolve) => setTimeout(resolve, 10));
  return {
    started: () => started,
    release: async () => {
      while (gates.length > 0 || started < count) {
        gates.splice(0).forEach((open) => open());
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      await Promise.all(done);
    },
  };
}

describe('HostLimiter lanes', () => {
  it('lets light requests past a full body lane, each lane to its own limit', async () => {
    const limiter = new HostLimiter(2);
    const bodies = await occupy(limiter, 'body', 5);
    const light = await occupy(limiter, 'light', 20);
    assert.equal(bodies.started(), 2);
    assert.equal(light.started(), 2 * lightPerBodySlot);
    await Promise.all([bodies.release(), light.release()]);
    assert.equal(bodies.started(), 5);
    assert.equal(light.started(), 20);
  });

  it('cuts both lanes when the registry pushes back', async () => {
    const limiter = new HostLimiter(8);
    limiter.throttled('429');
    assert.equal(limiter.current, 4);
    const light = await occupy(limiter, 'light', 40);
    assert.equal(light.started(), 4 * lightPerBodySlot);
    await light.release();
  });
});

describe('HostLimiter and Retry-After', () => {
  const answer = (limiter: HostLimiter, status: number, retryAfter: boolean) =>
    limiter.run(
      async () => status,
      (code) => ({ status: code, retryAfter }),
    );

  it('does not halve for an isolated Retry-After among successes: the wait paces that request', async () => {
    const limiter = new HostLimiter(8);
    for (let n = 1; n <= 22; n++) await answer(limiter, n % 11 === 0 ? 429 : 200, n % 11 === 0);
    assert.equal(limiter.lowest, 8);
  });

  it('halves for a 429 without Retry-After, and for a storm of them with it', async () => {
    const bare = new HostLimiter(8);
    await answer(bare, 429, false);
    assert.equal(bare.current, 4);
    const storm = new HostLimiter(8);
    for (let n = 0; n < 6; n++) await answer(storm, 429, true);
    assert.equal(storm.current, 4);
  });
});
