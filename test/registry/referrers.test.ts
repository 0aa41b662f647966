// The client's referrers request against answers the spec allows and answers a hostile registry
// gives: no API (404 without an index), a 404 carrying an index (older registries), pages joined by
// Link, and a descriptor that is not one.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { RegistrySource } from '../../src/remote/source.js';
import { anonymousRegistries, listenLocal } from './harness.js';

const subject = `sha256:${'1'.repeat(64)}`;
const descriptor = (n: number) => ({
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: `sha256:${String(n).repeat(64).slice(0, 64)}`,
  size: 100 + n,
  artifactType: 'application/spdx+json',
});
const index = (manifests: object[]) =>
  JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests });

describe('RegistryClient.referrers and the source that asks it', () => {
  let host = '';
  let stop: () => Promise<void> = async () => undefined;
  let flaky = 0;
  before(async () => {
    const server = createServer((request, response) => {
      const url = request.url ?? '';
      const json = { 'content-type': 'application/vnd.oci.image.index.v1+json' };
      if (url === '/v2/') return void response.writeHead(200).end('{}');
      if (url.startsWith('/v2/none/')) return void response.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
      if (url.startsWith('/v2/old/')) return void response.writeHead(404, json).end(index([descriptor(2)]));
      if (url === `/v2/paged/referrers/${subject}`)
        return void response
          .writeHead(200, { ...json, link: `</v2/paged/referrers/${subject}?last=2>; rel="next"` })
          .end(index([descriptor(2)]));
      if (url === `/v2/paged/referrers/${subject}?last=2`) return void response.writeHead(200, json).end(index([descriptor(3)]));
      if (url.startsWith('/v2/flaky/')) {
        flaky++;
        if (flaky === 1) return void response.writeHead(403, { 'content-type': 'application/json' }).end('{"errors":[{"code":"DENIED"}]}');
        return void response.writeHead(200, json).end(index([descriptor(5)]));
      }
      if (url.startsWith('/v2/hostile/'))
        return void response.writeHead(200, json).end(index([{ ...descriptor(4), digest: 'sha256:../../v2/other/manifests/latest' }]));
      response.writeHead(500).end();
    });
    ({ host, stop } = await listenLocal(server));
  });
  after(() => stop());

  it('tells a registry without the API, reads an index from an older 404, joins pages, refuses a false descriptor', async () => {
    const registries = anonymousRegistries([host]);
    try {
      const client = registries.client(host);
      assert.equal(await client.referrers('none', subject), undefined);
      assert.deepEqual(
        (await client.referrers('old', subject))?.map((found) => found.digest),
        [descriptor(2).digest],
      );
      const paged = await client.referrers('paged', subject);
      assert.deepEqual(
        paged?.map((found) => [found.digest, found.artifactType]),
        [
          [descriptor(2).digest, 'application/spdx+json'],
          [descriptor(3).digest, 'application/spdx+json'],
        ],
      );
      await assert.rejects(client.referrers('hostile', subject), /is not a digest/);
    } finally {
      await registries.close();
    }
  });

  it('a failed first request decides nothing: the next one asks again and decides', async () => {
    const registries = anonymousRegistries([host]);
    try {
      const source = new RegistrySource(registries, { registry: host, repository: 'flaky' });
      await assert.rejects(source.referrers(subject, true), /403/);
      assert.deepEqual(
        (await source.referrers(subject, true)).map((found) => found.digest),
        [descriptor(5).digest],
      );
    } finally {
      await registries.close();
    }
  });
});
