// Mirrors against real registries, and MirroredReader against scripted clients: a mirror serves content by digest, never chooses what travels with
// an image while the registry answers; when the registry cannot be reached, the lists come through the
// mirror and the run is told once.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { RegistrySink } from '../../src/remote/sink.js';
import { RegistrySource } from '../../src/remote/source.js';
import { Copier } from '../../src/copy/walker.js';
import type { RegistryClient } from '../../src/registry/client.js';
import { RegistryError } from '../../src/registry/errors.js';
import { MirroredReader } from '../../src/registry/mirrors.js';
import type { Registries } from '../../src/registry/registries.js';
import { type RunningRegistry, anonymousRegistries, freePort, startRegistry } from './harness.js';
import { type SeededImage, pushCosign, pushIndex } from './supply-chain.js';

function mirrored(upstream: string, mirror: string, destination: string, notices: string[]): Registries {
  return anonymousRegistries([upstream, mirror, destination], undefined, {
    mirrors: new Map([[upstream, [mirror]]]),
    onNotice: (message) => void notices.push(message),
  });
}

describe('what travels with an image, through a mirror', () => {
  let upstream: RunningRegistry;
  let mirror: RunningRegistry;
  let destination: RunningRegistry;
  let image: SeededImage;
  let sbom: string;
  let swapped: string;

  before(async () => {
    [upstream, mirror, destination] = await Promise.all([startRegistry(), startRegistry(), startRegistry()]);
    const seeding = anonymousRegistries([upstream.host, mirror.host]);
    // The same image in both; under the image's .sbom tag the mirror holds another SBOM than the registry.
    image = await pushIndex(seeding.client(upstream.host), 'team/app', 'v1');
    const copy = new Copier({ concurrency: 4 });
    await copy.copy({
      source: new RegistrySource(seeding, { registry: upstream.host, repository: 'team/app' }),
      sink: new RegistrySink(seeding, { registry: mirror.host, repository: 'team/app' }),
      digest: image.index.digest,
    });
    sbom = (await pushCosign(seeding.client(upstream.host), 'team/app', image.index.digest, 'sbom')).digest;
    swapped = (await pushCosign(seeding.client(mirror.host), 'team/app', image.index.digest, 'sbom')).digest;
    await seeding.close();
  });
  after(async () => {
    await Promise.all([upstream.stop(), mirror.stop(), destination.stop()]);
  });

  async function relocate(registry: string): Promise<{ sbomDigest: string | undefined; notices: string[] }> {
    const notices: string[] = [];
    const registries = mirrored(registry, mirror.host, destination.host, notices);
    try {
      const result = await new Copier({ concurrency: 4, artifacts: 'all' }).copy({
        source: new RegistrySource(registries, { registry, repository: 'team/app' }),
        sink: new RegistrySink(registries, { registry: destination.host, repository: `moved/${registry.replace(/[.:]/g, '-')}` }),
        digest: image.index.digest,
      });
      return { sbomDigest: result.tags.find((put) => put.tag.endsWith('.sbom'))?.digest, notices };
    } finally {
      await registries.close();
    }
  }

  it('a digest tag is resolved at the registry: the mirror cannot swap the SBOM that travels', async () => {
    const { sbomDigest, notices } = await relocate(upstream.host);
    assert.equal(sbomDigest, sbom);
    assert.notEqual(sbomDigest, swapped);
    assert.deepEqual(
      notices.filter((notice) => /could not be reached/.test(notice)),
      [],
    );
  });

  it('with the registry down, the lists come through the mirror, and the run is told once', async () => {
    // A registry name nothing listens at: the mirror holds its images.
    const down = `127.0.0.1:${await freePort()}`;
    const { sbomDigest, notices } = await relocate(down);
    assert.equal(sbomDigest, swapped, "the mirror's own answer, the only one there is");
    const told = notices.filter((notice) => /could not be reached/.test(notice));
    assert.equal(told.length, 1, notices.join('\n'));
    assert.match(told[0] ?? '', new RegExp(`read through the mirror ${mirror.host.replace(/\./g, '\\.')} instead`));
  });
});

/** A client that answers from a script: each operation's answer, or the error it fails with; every call recorded. */
function fakeClient(registry: string, script: Partial<Record<string, (...args: unknown[]) => unknown>>, calls: string[]): RegistryClient {
  const answer =
    (operation: string) =>
    (...args: unknown[]): unknown => {
      calls.push(`${registry} ${operation}`);
      const scripted = script[operation];
      if (scripted === undefined) return Promise.reject(missing(registry, operation));
      return scripted(...args);
    };
  return {
    registry,
    notice: (message: string) => void calls.push(`notice: ${message}`),
    resolve: answer('resolve'),
    getManifest: answer('getManifest'),
    headBlob: answer('headBlob'),
    referrers: answer('referrers'),
    listTags: answer('listTags'),
    hasRepository: answer('hasRepository'),
    getBlob: answer('getBlob'),
  } as unknown as RegistryClient;
}

const missing = (registry: string, operation: string): RegistryError =>
  new RegistryError({ registry, operation, status: 404 }, 'not there');
/** A registry that cannot be reached, as the client reports it: no status, the socket's code as the cause. */
const down = (registry: string): RegistryError =>
  new RegistryError({ registry, operation: 'connect', retriable: true }, 'connection refused', {
    cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
  });
const descriptor = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'a'.repeat(64)}`, size: 10 };

describe('MirroredReader, against scripted clients', () => {
  it('reads by digest from the first mirror that has it, moving on past a 404, and records what each served', async () => {
    const calls: string[] = [];
    const reader = new MirroredReader(fakeClient('registry', {}, calls), [
      fakeClient('mirror-1', {}, calls),
      fakeClient('mirror-2', { resolve: async () => descriptor }, calls),
    ]);
    assert.deepEqual(await reader.resolve('team/app', descriptor.digest), descriptor);
    assert.deepEqual(calls, ['mirror-1 resolve', 'mirror-2 resolve']);
    assert.deepEqual(reader.uses, [{ registry: 'registry', mirror: 'mirror-2', repositories: ['team/app'] }]);
  });

  it('does not move on past a mirror that refuses (403): that answer is the read', async () => {
    const calls: string[] = [];
    const refusing = {
      resolve: () => Promise.reject(new RegistryError({ registry: 'mirror', operation: 'resolve', status: 403 }, 'denied')),
    };
    const reader = new MirroredReader(fakeClient('registry', { resolve: async () => descriptor }, calls), [
      fakeClient('mirror', refusing, calls),
    ]);
    await assert.rejects(reader.resolve('team/app', 'v1'), /denied/);
    assert.deepEqual(calls, ['mirror resolve']);
  });

  it('asks the registry for what only it can say, and a mirror only when the registry cannot be reached, telling the run once', async () => {
    const calls: string[] = [];
    const lists = { listTags: async () => ['mirror-tag'], referrers: async () => [] };
    const answering = new MirroredReader(fakeClient('registry', { listTags: async () => ['own-tag'] }, calls), [
      fakeClient('mirror', lists, calls),
    ]);
    assert.deepEqual(await answering.listTags('team/app'), ['own-tag']);
    assert.deepEqual(calls, ['registry listTags'], 'the mirror is not asked while the registry answers');

    calls.length = 0;
    const notThere = new MirroredReader(fakeClient('registry', {}, calls), [fakeClient('mirror', lists, calls)]);
    await assert.rejects(notThere.listTags('team/app'), /not there/);
    assert.deepEqual(calls, ['registry listTags'], "the registry's 404 is its answer: no mirror stands in");

    calls.length = 0;
    const unreachable = new MirroredReader(
      fakeClient(
        'registry',
        { listTags: () => Promise.reject(down('registry')), referrers: () => Promise.reject(down('registry')) },
        calls,
      ),
      [fakeClient('mirror', lists, calls)],
    );
    assert.deepEqual(await unreachable.listTags('team/app'), ['mirror-tag']);
    assert.deepEqual(await unreachable.referrers('team/app', descriptor.digest), []);
    assert.equal(calls.filter((call) => call.startsWith('notice: registry could not be reached')).length, 1, calls.join('\n'));
  });

  it('takes a blob from the registry when a mirror fails before sending a byte, and fails a read a mirror broke midway', async () => {
    const calls: string[] = [];
    const failing = {
      getBlob: () =>
        new Readable({
          read() {
            this.destroy(down('mirror'));
          },
        }),
    };
    const halfway = {
      getBlob: () =>
        Readable.from(
          (async function* () {
            yield Buffer.from('first half');
            throw down('mirror');
          })(),
        ),
    };
    const upstream = { getBlob: () => Readable.from([Buffer.from('whole blob')]) };
    const read = async (reader: MirroredReader): Promise<string> => {
      const chunks: Buffer[] = [];
      for await (const chunk of reader.getBlob('team/app', descriptor.digest)) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString();
    };
    assert.equal(
      await read(new MirroredReader(fakeClient('registry', upstream, calls), [fakeClient('mirror', failing, calls)])),
      'whole blob',
    );
    await assert.rejects(
      read(new MirroredReader(fakeClient('registry', upstream, calls), [fakeClient('mirror', halfway, calls)])),
      /connection refused/,
    );
  });

  it('moves on from a mirror that lacks a blob (HEAD answers nothing) to the registry', async () => {
    const calls: string[] = [];
    const reader = new MirroredReader(fakeClient('registry', { headBlob: async () => 42 }, calls), [
      fakeClient('mirror', { headBlob: async () => undefined }, calls),
    ]);
    assert.equal(await reader.headBlob('team/app', descriptor.digest), 42);
    assert.deepEqual(calls, ['mirror headBlob', 'registry headBlob']);
  });
});
