// The client's referrers request against answers the spec allows and answers a hostile registry
// gives: no API (404 without an index), a 404 carrying an index (older registries), pages joined by
// Link, and a descriptor that is not one.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Copier } from '../../src/copy/walker.js';
import { RegistrySink } from '../../src/remote/sink.js';
import { RegistrySource } from '../../src/remote/source.js';
import { anonymousRegistries, listenLocal } from './harness.js';
import { startReferrersRegistry } from './referrers-registry.js';
import { pushSupplyChain } from './supply-chain.js';

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

describe('RegistrySink and what travels under digest tags', () => {
  it('reads no manifest it pushed itself: a second copy of one image into one repository (two tags of one digest) checks what the first pushed from memory', async () => {
    const [source, destination] = await Promise.all([startReferrersRegistry(), startReferrersRegistry()]);
    const registries = anonymousRegistries([source.host, destination.host]);
    try {
      const chain = await pushSupplyChain(registries.client(source.host), 'team/app', 'v1', false);
      const from = new RegistrySource(registries, { registry: source.host, repository: 'team/app' });
      const sink = new RegistrySink(registries, { registry: destination.host, repository: 'one/team/app' });
      const copier = new Copier({ concurrency: 4, artifacts: 'all' });
      const before = destination.requests.length;
      // As the importer copies `app:v1` and `app:latest` of one digest, then puts every tag at the commit point.
      const first = await copier.copy({ source: from, sink, digest: chain.index.digest, tag: 'v1' });
      const second = await copier.copy({ source: from, sink, digest: chain.index.digest, tag: 'latest' });
      assert.equal(second.tags.length, 3);
      for (const put of [...first.tags, ...second.tags]) await sink.tag(put.digest, put.tag);
      const asked = destination.requests.slice(before);
      assert.deepEqual(
        [chain.sig, chain.att, chain.sbomTag].map(
          (pushed) => asked.filter((request) => request === `GET /v2/one/team/app/manifests/${pushed.digest}`).length,
        ),
        [0, 0, 0],
      );
    } finally {
      await registries.close();
      await Promise.all([source.stop(), destination.stop()]);
    }
  });
});
