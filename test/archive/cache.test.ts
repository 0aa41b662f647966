import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, it } from 'node:test';
import { cacheKey, restoreBlobs, saveBlobs } from '../../src/archive/cache.js';
import { listenLocal } from '../registry/harness.js';

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

describe('blob store cache, where the runner names a service', () => {
  it('loads the client and asks the service named', async () => {
    const asked: string[] = [];
    // The v1 cache service: a lookup that finds no entry answers 204.
    const server = createServer((request, response) => {
      asked.push(`${request.method} ${request.url}`);
      response.writeHead(204).end();
    });
    const { host, stop } = await listenLocal(server);
    // The v1 service, whatever the environment the suite runs in names.
    const names = ['ACTIONS_CACHE_URL', 'ACTIONS_RUNTIME_TOKEN', 'ACTIONS_CACHE_SERVICE_V2', 'ACTIONS_RESULTS_URL'] as const;
    const saved = new Map(names.map((name) => [name, process.env[name]]));
    for (const name of names) delete process.env[name];
    process.env.ACTIONS_CACHE_URL = `http://${host}/`;
    process.env.ACTIONS_RUNTIME_TOKEN = 'token';
    try {
      assert.equal(await restoreBlobs('/nonexistent', cacheKey([a])), 'missed');
      assert.equal(asked.length, 1);
      assert.match(asked[0] ?? '', /^GET \/_apis\/artifactcache\/cache\?keys=ferry-blobs-/);
    } finally {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await stop();
    }
  });
});
