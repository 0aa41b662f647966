// The upload state machine (upload.ts) against scripted registries: a mount in one request, a refused
// mount remembered for the run, the PATCH path for a registry that refuses a streaming PUT, a unit
// retried whole that does not send a blob the registry already took, and a small blob in one POST
// where the registry takes that.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sha256 } from './harness.js';
import { requestLines, scriptedSuite } from './scripted.js';

const blob = Buffer.from('the bytes of one layer, uploaded');
const digest = sha256(blob);

describe('uploading a blob', () => {
  const suite = scriptedSuite();

  it('mounts a blob from another repository of the registry in one request', async () => {
    const registry = await suite.serve((request, response) => {
      if (request.method === 'POST' && request.url.startsWith('/v2/copy/app/blobs/uploads/?')) {
        response.writeHead(201, { location: `/v2/copy/app/blobs/${digest}` }).end();
        return true;
      }
    });
    const { registries } = suite.registries([registry.host], {});
    const result = await registries.client(registry.host).uploadBlob('copy/app', digest, blob.length, blob, 'team/app');
    assert.equal(result, 'mounted');
    assert.deepEqual(requestLines(registry), [`POST /v2/copy/app/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=team%2Fapp`]);
  });

  it('uploads a blob whose mount is refused, and offers the registry no mount again this run', async () => {
    const registry = await suite.serve((request, response) => {
      if (request.method === 'POST' && request.url.includes('mount=')) {
        response.writeHead(404).end();
        return true;
      }
      if (request.method === 'POST' && request.url === '/v2/copy/app/blobs/uploads/') {
        response.writeHead(202, { location: '/v2/copy/app/blobs/uploads/session-1' }).end();
        return true;
      }
      if (request.method === 'PUT' && request.url.startsWith('/v2/copy/app/blobs/uploads/session-1?')) {
        // The blob's bytes under its digest, or the registry refuses it as a registry would.
        response.writeHead(sha256(request.body) === new URL(request.url, 'http://x').searchParams.get('digest') ? 201 : 400).end();
        return true;
      }
    });
    const { registries, notices } = suite.registries([registry.host], {});
    const client = registries.client(registry.host);
    assert.equal(await client.uploadBlob('copy/app', digest, blob.length, blob, 'team/app'), 'uploaded');
    const other = Buffer.from('another layer');
    assert.equal(await client.uploadBlob('copy/app', sha256(other), other.length, other, 'team/app'), 'uploaded');
    const lines = requestLines(registry);
    assert.equal(lines.filter((line) => line.includes('mount=')).length, 1, lines.join('\n'));
    assert.equal(lines.filter((line) => line.startsWith('PUT ')).length, 2);
    assert.equal(notices.filter((notice) => /refused a cross-repository mount \(404, from team\/app\)/.test(notice)).length, 1);
  });

  it('sends the blob in one PATCH and closes with an empty PUT when the registry refuses a streaming PUT', async () => {
    let sessions = 0;
    const registry = await suite.serve((request, response) => {
      if (request.method === 'POST' && request.url === '/v2/copy/app/blobs/uploads/') {
        response.writeHead(202, { location: `/v2/copy/app/blobs/uploads/s${++sessions}` }).end();
        return true;
      }
      if (request.method === 'PUT' && request.body.length > 0) {
        response.writeHead(405).end();
        return true;
      }
      if (request.method === 'PATCH') {
        // The whole blob in one PATCH with its range, or the upload fails.
        if (request.headers['content-range'] !== `0-${blob.length - 1}` || !request.body.equals(blob)) {
          response.writeHead(416).end();
          return true;
        }
        response.writeHead(202, { location: '/v2/copy/app/blobs/uploads/after-patch' }).end();
        return true;
      }
      if (request.method === 'PUT' && request.url.startsWith('/v2/copy/app/blobs/uploads/after-patch?')) {
        response.writeHead(201).end();
        return true;
      }
    });
    const { registries } = suite.registries([registry.host], {});
    assert.equal(await registries.client(registry.host).uploadBlob('copy/app', digest, blob.length, blob), 'uploaded');
    assert.deepEqual(
      requestLines(registry).map((line) => line.replace(/\?.*/, '')),
      [
        'POST /v2/copy/app/blobs/uploads/',
        'PUT /v2/copy/app/blobs/uploads/s1',
        'POST /v2/copy/app/blobs/uploads/',
        'PATCH /v2/copy/app/blobs/uploads/s2',
        'PUT /v2/copy/app/blobs/uploads/after-patch',
      ],
    );
  });

  it('retries a failed PUT as a unit: asks first whether the blob arrived, and sends it no second time when it did', async () => {
    let arrived = false;
    const registry = await suite.serve((request, response) => {
      if (request.method === 'POST') {
        response.writeHead(202, { location: '/v2/copy/app/blobs/uploads/s' }).end();
        return true;
      }
      if (request.method === 'PUT') {
        // The registry took the blob but the answer was lost.
        arrived = true;
        response.writeHead(500).end();
        return true;
      }
      if (request.method === 'HEAD' && request.url === `/v2/copy/app/blobs/${digest}` && arrived) {
        response.writeHead(200, { 'content-length': String(blob.length), 'docker-content-digest': digest }).end();
        return true;
      }
    });
    const { registries } = suite.registries([registry.host], {});
    assert.equal(await registries.client(registry.host).uploadBlob('copy/app', digest, blob.length, blob), 'uploaded');
    const lines = requestLines(registry);
    assert.equal(lines.filter((line) => line.startsWith('PUT ')).length, 1, lines.join('\n'));
    assert.equal(lines.at(-1), `HEAD /v2/copy/app/blobs/${digest}`);
  });

  it('uses the session a mount answered with 202 instead of opening another', async () => {
    const registry = await suite.serve((request, response) => {
      if (request.method === 'POST' && request.url.includes('mount=')) {
        response.writeHead(202, { location: '/v2/copy/app/blobs/uploads/from-mount' }).end();
        return true;
      }
      if (request.method === 'PUT' && request.url.startsWith('/v2/copy/app/blobs/uploads/from-mount?')) {
        response.writeHead(201).end();
        return true;
      }
    });
    const { registries } = suite.registries([registry.host], {});
    assert.equal(await registries.client(registry.host).uploadBlob('copy/app', digest, blob.length, blob, 'team/app'), 'uploaded');
    assert.deepEqual(
      requestLines(registry).map((line) => line.replace(/\?.*/, '')),
      ['POST /v2/copy/app/blobs/uploads/', 'PUT /v2/copy/app/blobs/uploads/from-mount'],
    );
  });

  it('puts a small blob in one POST where the registry takes it whole', async () => {
    const registry = await suite.serve((request, response) => {
      if (request.method === 'POST' && request.url === `/v2/copy/app/blobs/uploads/?digest=${encodeURIComponent(digest)}`) {
        response.writeHead(sha256(request.body) === digest ? 201 : 400, { location: `/v2/copy/app/blobs/${digest}` }).end();
        return true;
      }
    });
    const { registries } = suite.registries([registry.host], {});
    const client = registries.client(registry.host);
    assert.equal(await client.uploadSmallBlob('copy/app', digest, blob), 'uploaded');
    assert.equal(await client.uploadSmallBlob('copy/app', digest, blob), 'uploaded');
    assert.deepEqual(requestLines(registry), Array(2).fill(`POST /v2/copy/app/blobs/uploads/?digest=${encodeURIComponent(digest)}`));
  });

  it('puts a small blob into the session a registry opens instead, and offers no single POST again this run', async () => {
    let sessions = 0;
    const registry = await suite.serve((request, response) => {
      if (request.method === 'POST' && request.url.startsWith('/v2/copy/app/blobs/uploads/')) {
        // docker-registry's answer to a single POST: a session, the body dropped.
        response.writeHead(202, { location: `/v2/copy/app/blobs/uploads/session-${++sessions}` }).end();
        return true;
      }
      if (request.method === 'PUT' && request.url.startsWith('/v2/copy/app/blobs/uploads/session-')) {
        response.writeHead(sha256(request.body) === new URL(request.url, 'http://x').searchParams.get('digest') ? 201 : 400).end();
        return true;
      }
    });
    const { registries } = suite.registries([registry.host], {});
    const client = registries.client(registry.host);
    assert.equal(await client.uploadSmallBlob('copy/app', digest, blob), 'uploaded');
    assert.equal(await client.uploadSmallBlob('copy/app', digest, blob), 'uploaded');
    assert.deepEqual(requestLines(registry), [
      `POST /v2/copy/app/blobs/uploads/?digest=${encodeURIComponent(digest)}`,
      `PUT /v2/copy/app/blobs/uploads/session-1?digest=${encodeURIComponent(digest)}`,
      'POST /v2/copy/app/blobs/uploads/',
      `PUT /v2/copy/app/blobs/uploads/session-2?digest=${encodeURIComponent(digest)}`,
    ]);
  });

  it('falls back to the usual upload when a single POST fails, and a session that kept the bytes is not reused', async () => {
    let sessions = 0;
    const registry = await suite.serve((request, response) => {
      if (request.method === 'POST' && request.url.startsWith('/v2/broken/app/blobs/uploads/?digest=')) {
        response.writeHead(500).end();
        return true;
      }
      if (request.method === 'POST' && request.url.startsWith('/v2/kept/app/blobs/uploads/?digest=')) {
        // A session that took the POST's bytes as its first chunk.
        response.writeHead(202, { location: '/v2/kept/app/blobs/uploads/kept', range: `0-${blob.length - 1}` }).end();
        return true;
      }
      if (request.method === 'POST' && /^\/v2\/(broken|kept)\/app\/blobs\/uploads\/$/.test(request.url)) {
        response.writeHead(202, { location: `${request.url}fresh-${++sessions}` }).end();
        return true;
      }
      if (request.method === 'PUT' && request.url.includes('/blobs/uploads/fresh-')) {
        response.writeHead(sha256(request.body) === new URL(request.url, 'http://x').searchParams.get('digest') ? 201 : 400).end();
        return true;
      }
    });
    for (const repository of ['broken/app', 'kept/app']) {
      const { registries } = suite.registries([registry.host], {});
      assert.equal(await registries.client(registry.host).uploadSmallBlob(repository, digest, blob), 'uploaded');
    }
    const lines = requestLines(registry);
    assert.ok(!lines.some((line) => line.includes('/uploads/kept')), lines.join('\n'));
    assert.equal(lines.filter((line) => line.startsWith('PUT ') && line.includes('/uploads/fresh-')).length, 2, lines.join('\n'));
  });
});
