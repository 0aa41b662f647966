// The copy engine against real registries: mounts within a registry, each shared blob sent once,
// nested indexes, foreign layers left alone, an image already there costing one request, and the
// referrers tag schema index read once a run, keeping what others listed.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Registries } from '../../src/registry/registries.js';
import { RegistrySink } from '../../src/remote/sink.js';
import { RegistrySource } from '../../src/remote/source.js';
import { Copier } from '../../src/copy/walker.js';
import {
  type RunningRegistry,
  anonymousRegistries,
  ociLayout,
  settledLog,
  sha256,
  skopeoCopy,
  skopeoRaw,
  startRegistry,
} from './harness.js';

const ociManifest = 'application/vnd.oci.image.manifest.v1+json';
const ociIndex = 'application/vnd.oci.image.index.v1+json';

describe('Copier', () => {
  let first: RunningRegistry;
  let second: RunningRegistry;
  let registries: Registries;
  let indexDigest: string;

  before(async () => {
    [first, second] = await Promise.all([startRegistry({ foreignLayers: true }), startRegistry({ foreignLayers: true })]);
    registries = anonymousRegistries([first.host, second.host]);
    const image = ociLayout([5000, 7000], ['linux/amd64', 'linux/arm64']);
    await skopeoCopy(image.reference, `${first.host}/team/a:v1`, {}, ['--all', '--preserve-digests']);
    indexDigest = sha256(await skopeoRaw(`${first.host}/team/a:v1`, {}));
  });
  after(async () => {
    await registries.close();
    await Promise.all([first.stop(), second.stop()]);
  });

  it('sends each blob once even when platforms share it, and reports platforms', async () => {
    const copier = new Copier({ concurrency: 4 });
    const result = await copier.copy({
      source: new RegistrySource(registries, { registry: first.host, repository: 'team/a' }),
      sink: new RegistrySink(registries, { registry: second.host, repository: 'mirror/a' }),
      digest: indexDigest,
    });
    // Two configs, the shared layer once, and one own layer per platform.
    assert.equal(result.stats.blobsCopied, 5);
    assert.equal(result.stats.blobsMounted, 0);
    assert.equal(result.stats.manifestsPushed, 3);
    assert.deepEqual(result.platforms, ['linux/amd64', 'linux/arm64']);
    assert.equal(result.present, false);
    assert.ok(
      (await skopeoRaw(`${second.host}/mirror/a@${indexDigest}`, {})).equals(await skopeoRaw(`${first.host}/team/a@${indexDigest}`, {})),
    );
    const puts = (await settledLog(second)).split('\n').filter((line) => /"PUT \/v2\/mirror\/a\/blobs\/uploads\//.test(line));
    assert.equal(puts.length, 5);
  });

  it('costs one request when the image is already there', async () => {
    const copier = new Copier({ concurrency: 4 });
    const before = (await settledLog(second)).split('\n').length;
    const result = await copier.copy({
      source: new RegistrySource(registries, { registry: first.host, repository: 'team/a' }),
      sink: new RegistrySink(registries, { registry: second.host, repository: 'mirror/a' }),
      digest: indexDigest,
    });
    assert.equal(result.present, true);
    const requests = (await settledLog(second))
      .split('\n')
      .slice(before - 1)
      .filter((line) => line.includes('"ferry"'));
    assert.equal(requests.length, 1, requests.join('\n'));
    assert.equal(
      (await settledLog(first)).split('\n').filter((line) => line.includes('"ferry"') && line.includes('/manifests/')).length,
      3,
      'no new source reads',
    );
  });

  it('mounts blobs within one registry instead of copying them', async () => {
    const copier = new Copier({ concurrency: 4 });
    const result = await copier.copy({
      source: new RegistrySource(registries, { registry: first.host, repository: 'team/a' }),
      sink: new RegistrySink(registries, { registry: first.host, repository: 'other/a' }),
      digest: indexDigest,
    });
    assert.equal(result.stats.blobsMounted, 5);
    assert.equal(result.stats.bytesCopied, 0);
    // The mount answers whether the blob is there: no HEAD before it.
    const log = await settledLog(first);
    assert.equal(log.split('\n').filter((line) => line.includes('"HEAD /v2/other/a/blobs/')).length, 0);
    assert.equal(
      log
        .split('\n')
        .filter(
          (line) =>
            /"POST \/v2\/other\/a\/blobs\/uploads\/\?from=team/.test(line) || /"POST \/v2\/other\/a\/blobs\/uploads\/\?mount=/.test(line),
        ).length,
      5,
    );
    assert.ok(
      (await skopeoRaw(`${first.host}/other/a@${indexDigest}`, {})).equals(await skopeoRaw(`${first.host}/team/a@${indexDigest}`, {})),
    );
  });

  it('copies nested indexes whole', async () => {
    const client = registries.client(first.host);
    const inner = JSON.parse((await client.getManifest('team/a', indexDigest)).bytes.toString()) as { manifests: unknown[] };
    const outer = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: ociIndex,
        manifests: [{ mediaType: ociIndex, digest: indexDigest, size: (await client.getManifest('team/a', indexDigest)).bytes.length }],
      }),
    );
    assert.equal(inner.manifests.length, 2);
    const outerDigest = await client.putManifest('team/a', 'nested', outer, ociIndex);
    const copier = new Copier({ concurrency: 2 });
    const result = await copier.copy({
      source: new RegistrySource(registries, { registry: first.host, repository: 'team/a' }),
      sink: new RegistrySink(registries, { registry: second.host, repository: 'nested/a' }),
      digest: outerDigest,
    });
    assert.equal(result.stats.manifestsPushed, 4);
    assert.ok((await skopeoRaw(`${second.host}/nested/a@${outerDigest}`, {})).equals(outer));
    assert.ok(
      (await skopeoRaw(`${second.host}/nested/a@${indexDigest}`, {})).equals(await skopeoRaw(`${first.host}/team/a@${indexDigest}`, {})),
    );
  });

  it('leaves non-distributable layers where they are and counts them', async () => {
    const client = registries.client(first.host);
    const config = Buffer.from('{"architecture":"amd64","os":"windows","rootfs":{"type":"layers","diff_ids":[]}}');
    await client.uploadBlob('team/win', sha256(config), config.length, config);
    const own = randomBytes(2000);
    await client.uploadBlob('team/win', sha256(own), own.length, own);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: ociManifest,
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
        layers: [
          {
            mediaType: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
            digest: sha256(randomBytes(8)),
            size: 123,
            urls: ['https://example.invalid/base.tar.gz'],
          },
          { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha256(own), size: own.length },
        ],
      }),
    );
    const digest = await client.putManifest('team/win', 'v1', manifest, ociManifest);
    const copier = new Copier({ concurrency: 2 });
    const result = await copier.copy({
      source: new RegistrySource(registries, { registry: first.host, repository: 'team/win' }),
      sink: new RegistrySink(registries, { registry: second.host, repository: 'win' }),
      digest: digest,
    });
    assert.equal(result.stats.foreignLayers, 1);
    assert.equal(result.stats.blobsCopied, 2);
    assert.equal(result.stats.bytesCopied, config.length + own.length);
    assert.ok((await skopeoRaw(`${second.host}/win@${digest}`, {})).equals(manifest));
  });

  it('reads a referrers tag schema index once a run, and keeps what others listed, in a repository new when the run began too', async () => {
    const client = registries.client(second.host);
    const config = Buffer.from('{}');
    const subjectSize = (await skopeoRaw(`${first.host}/team/a@${indexDigest}`, {})).length;
    const referrer = async (repository: string, n: number) => {
      await client.uploadBlob(repository, sha256(config), config.length, config);
      const bytes = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: ociManifest,
          artifactType: 'application/example',
          config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha256(config), size: 2 },
          layers: [{ mediaType: 'application/vnd.oci.empty.v1+json', digest: sha256(config), size: 2 }],
          subject: { mediaType: ociIndex, digest: indexDigest, size: subjectSize },
          annotations: { n: String(n) },
        }),
      );
      const digest = await client.putManifest(repository, sha256(bytes), bytes, ociManifest);
      return { mediaType: ociManifest, digest, size: bytes.length, artifactType: 'application/example' };
    };
    const listed = async (repository: string) =>
      (
        JSON.parse((await client.getManifest(repository, `sha256-${indexDigest.slice(7)}`)).bytes.toString()) as {
          manifests: { digest: string }[];
        }
      ).manifests.map((entry) => entry.digest);
    const schemaReads = async (repository: string) =>
      (await settledLog(second)).split('\n').filter((line) => line.includes(`"GET /v2/${repository}/manifests/sha256-`)).length;
    const copyInto = async (repository: string) => {
      const sink = new RegistrySink(registries, { registry: second.host, repository });
      await new Copier({ concurrency: 2 }).copy({
        source: new RegistrySource(registries, { registry: first.host, repository: 'team/a' }),
        sink,
        digest: indexDigest,
      });
      return sink;
    };

    const listIn = (repository: string, entries: object[]) =>
      client.putManifest(
        repository,
        `sha256-${indexDigest.slice(7)}`,
        Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: ociIndex, manifests: entries })),
        ociIndex,
      );

    // Someone else's referrer is listed already; the run's two add to it, reading the index once.
    await copyInto('schema/old');
    const theirs = await referrer('schema/old', 0);
    await listIn('schema/old', [theirs]);
    const old = await copyInto('schema/old');
    const [a, b] = [await referrer('schema/old', 1), await referrer('schema/old', 2)];
    await Promise.all([old.addReferrer(indexDigest, a), old.addReferrer(indexDigest, b)]);
    assert.equal(await schemaReads('schema/old'), 1);
    assert.deepEqual(await listed('schema/old'), [theirs.digest, a.digest, b.digest]);

    // A repository new when the run began, where another job listed a referrer before this run's
    // commit point: what it listed stays.
    const fresh = await copyInto('schema/new');
    const other = await referrer('schema/new', 3);
    await listIn('schema/new', [other]);
    const mine = await referrer('schema/new', 4);
    await fresh.addReferrer(indexDigest, mine);
    assert.deepEqual(await listed('schema/new'), [other.digest, mine.digest]);
  });
});
