// What travels with an image, through dist/index.js: cosign digest tags, OCI referrers (through the
// referrers API and through the referrers tag schema) and referrers of referrers, between docker-registry
// 2.8 (no referrers API: the tag schema on both sides) and the harness's OCI 1.1 registry (the API,
// OCI-Subject); package then unpackage into each; the artifacts input; a manifest type ferry does not
// know, refused with nothing pushed; the OCI 1.1-rc artifact manifest; the platforms input. skopeo
// reads back every destination manifest.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RegistryClient } from '../../src/registry/client.js';
import {
  type RunningRegistry,
  anonymousRegistries,
  scratchDir,
  settledLog,
  sha256,
  skopeoRaw,
  startRegistry,
} from '../registry/harness.js';
import { type ReferrersRegistry, startReferrersRegistry } from '../registry/referrers-registry.js';
import {
  type Pushed,
  type SupplyChain,
  emptyConfig,
  listInTagSchema,
  notary,
  ociIndex,
  ociManifest,
  pushBlob,
  pushIndex,
  pushManifest,
  pushReferrer,
  pushSupplyChain,
  spdx,
} from '../registry/supply-chain.js';
import { readTar } from '../tar.js';
import { runAction } from './action.js';

const schemaTag = (digest: string): string => digest.replace(':', '-');

describe('signatures, attestations and SBOMs travel with their images', () => {
  let plainSource: RunningRegistry;
  let plainDestination: RunningRegistry;
  let apiSource: ReferrersRegistry;
  let apiDestination: ReferrersRegistry;
  let clients: ReturnType<typeof anonymousRegistries>;
  const client = (host: string): RegistryClient => clients.client(host);
  let fromPlain: SupplyChain;
  let fromApi: SupplyChain;

  before(async () => {
    [plainSource, plainDestination, apiSource, apiDestination] = await Promise.all([
      startRegistry(),
      startRegistry(),
      startReferrersRegistry(),
      startReferrersRegistry(),
    ]);
    clients = anonymousRegistries([plainSource.host, plainDestination.host, apiSource.host, apiDestination.host]);
    fromPlain = await pushSupplyChain(client(plainSource.host), 'team/app', 'v1', true);
    fromApi = await pushSupplyChain(client(apiSource.host), 'team/app', 'v1', false);
  });
  after(async () => {
    await clients.close();
    await Promise.all([plainSource.stop(), plainDestination.stop(), apiSource.stop(), apiDestination.stop()]);
  });

  const allHosts = (): string => [plainSource.host, plainDestination.host, apiSource.host, apiDestination.host].join(',');

  function workspace(image: string): string {
    const dir = scratchDir('supply-chain-ws');
    mkdirSync(path.join(dir, 'k8s'));
    writeFileSync(path.join(dir, 'k8s', 'app.yaml'), `kind: Pod\nspec:\n  containers:\n    - name: app\n      image: ${image}\n`);
    return dir;
  }

  async function run(image: string, inputs: Record<string, string>) {
    const dir = workspace(image);
    const result = await runAction(dir, { manifests: 'k8s/*.yaml', 'insecure-registries': allHosts(), concurrency: '4', ...inputs });
    const images = JSON.parse(result.outputs.images ?? '[]') as {
      newImage: string;
      digest: string;
      artifacts?: Record<string, number>;
      filteredFrom?: string;
    }[];
    return { ...result, dir, images, yaml: readFileSync(path.join(dir, 'k8s', 'app.yaml'), 'utf8') };
  }

  /** The destination repository of the one image of a run. */
  const repositoryOf = (newImage: string, host: string): string => (newImage.split('@')[0] ?? '').slice(host.length + 1);

  async function resolves(host: string, repository: string, reference: string): Promise<string | undefined> {
    return (
      await client(host)
        .resolve(repository, reference)
        .catch(() => undefined)
    )?.digest;
  }

  async function schemaIndex(
    host: string,
    repository: string,
    subject: string,
  ): Promise<{ digest: string; artifactType?: string; annotations?: Record<string, string> }[]> {
    const manifest = await client(host).getManifest(repository, schemaTag(subject));
    return manifest.json.manifests as { digest: string; artifactType?: string; annotations?: Record<string, string> }[];
  }

  async function apiReferrers(host: string, repository: string, subject: string): Promise<string[]> {
    return ((await client(host).referrers(repository, subject)) ?? []).map((descriptor) => descriptor.digest).sort();
  }

  /** skopeo reads the manifest at the destination: the source's bytes. */
  async function sameBytes(host: string, repository: string, pushed: Pushed): Promise<void> {
    const copied = await skopeoRaw(`${host}/${repository}@${pushed.digest}`, {});
    assert.equal(sha256(copied), pushed.digest);
  }

  const cosignTags = (chain: SupplyChain) =>
    [
      [`${schemaTag(chain.index.digest)}.sig`, chain.sig],
      [`${schemaTag(chain.index.digest)}.att`, chain.att],
      [`${schemaTag(chain.index.digest)}.sbom`, chain.sbomTag],
    ] as const;

  it('carries everything from a registry without the referrers API into one with it', async () => {
    const result = await run(`${plainSource.host}/team/app:v1`, { mode: 'relocate', 'default-repo': `${apiDestination.host}/one` });
    assert.equal(result.code, 0, result.stdout);
    const [image] = result.images;
    assert.ok(image);
    assert.equal(image.digest, fromPlain.index.digest);
    assert.deepEqual(image.artifacts, { signature: 3, attestation: 1, sbom: 2, other: 0 });
    const repository = repositoryOf(image.newImage, apiDestination.host);
    for (const [tag, pushed] of cosignTags(fromPlain)) {
      assert.equal(await resolves(apiDestination.host, repository, tag), pushed.digest, tag);
      await sameBytes(apiDestination.host, repository, pushed);
    }
    assert.deepEqual(
      await apiReferrers(apiDestination.host, repository, fromPlain.index.digest),
      [fromPlain.sbom.digest, fromPlain.notarySignature.digest].sort(),
    );
    assert.deepEqual(await apiReferrers(apiDestination.host, repository, fromPlain.sbom.digest), [fromPlain.sbomSignature.digest]);
    for (const pushed of [fromPlain.sbom, fromPlain.notarySignature, fromPlain.sbomSignature, fromPlain.index, fromPlain.attestation])
      await sameBytes(apiDestination.host, repository, pushed);
    // A registry with the API keeps the list itself: no schema tag is made there.
    assert.ok(!apiDestination.tags(repository).includes(schemaTag(fromPlain.index.digest)));
    assert.match(result.stdout, /with it 3 signatures, 1 attestation, 2 SBOMs/);
    assert.match(
      readFileSync(path.join(result.dir, 'ferry.lock.yml'), 'utf8'),
      /# travelled with it: 3 signatures, 1 attestation, 2 SBOMs\n- image:/,
    );

    // A re-run reads each digest tag's manifest from the destination once, checked as one copied would
    // be before the commit point puts the tag on it, and reads it no more for the tag itself.
    const before = apiDestination.requests.length;
    const again = await run(`${plainSource.host}/team/app:v1`, { mode: 'relocate', 'default-repo': `${apiDestination.host}/one` });
    assert.equal(again.code, 0, again.stdout);
    const asked = apiDestination.requests.slice(before);
    for (const [tag, pushed] of cosignTags(fromPlain)) {
      assert.equal(asked.filter((request) => request === `GET /v2/${repository}/manifests/${pushed.digest}`).length, 1, tag);
      assert.equal(asked.filter((request) => request === `PUT /v2/${repository}/manifests/${tag}`).length, 1, tag);
    }
  });

  it('carries everything from the referrers API into the referrers tag schema, artifactType and annotations kept', async () => {
    const result = await run(`${apiSource.host}/team/app:v1`, { mode: 'relocate', 'default-repo': `${plainDestination.host}/two` });
    assert.equal(result.code, 0, result.stdout);
    const [image] = result.images;
    assert.ok(image);
    assert.deepEqual(image.artifacts, { signature: 3, attestation: 1, sbom: 2, other: 0 });
    const repository = repositoryOf(image.newImage, plainDestination.host);
    for (const [tag, pushed] of cosignTags(fromApi))
      assert.equal(await resolves(plainDestination.host, repository, tag), pushed.digest, tag);
    const listed = await schemaIndex(plainDestination.host, repository, fromApi.index.digest);
    assert.deepEqual(listed.map((entry) => entry.digest).sort(), [fromApi.sbom.digest, fromApi.notarySignature.digest].sort());
    assert.deepEqual(listed.find((entry) => entry.digest === fromApi.sbom.digest)?.artifactType, spdx);
    assert.equal(
      listed.find((entry) => entry.digest === fromApi.sbom.digest)?.annotations?.['org.opencontainers.image.created'],
      '2026-12-01T00:00:00Z',
    );
    assert.deepEqual(
      (await schemaIndex(plainDestination.host, repository, fromApi.sbom.digest)).map((entry) => entry.digest),
      [fromApi.sbomSignature.digest],
    );
    for (const pushed of [fromApi.sbom, fromApi.notarySignature, fromApi.sbomSignature])
      await sameBytes(plainDestination.host, repository, pushed);

    // A re-run adds nothing: the schema indexes keep one entry per referrer.
    const again = await run(`${apiSource.host}/team/app:v1`, { mode: 'relocate', 'default-repo': `${plainDestination.host}/two` });
    assert.equal(again.code, 0, again.stdout);
    assert.equal((await schemaIndex(plainDestination.host, repository, fromApi.index.digest)).length, 2);
  });

  it('artifacts: signatures carries only signatures; artifacts: none carries nothing', async () => {
    const signatures = await run(`${plainSource.host}/team/app:v1`, {
      mode: 'relocate',
      'default-repo': `${plainDestination.host}/sigs`,
      artifacts: 'signatures',
    });
    assert.equal(signatures.code, 0, signatures.stdout);
    const [image] = signatures.images;
    assert.ok(image);
    assert.deepEqual(image.artifacts, { signature: 2, attestation: 0, sbom: 0, other: 0 });
    const repository = repositoryOf(image.newImage, plainDestination.host);
    const prefix = schemaTag(fromPlain.index.digest);
    assert.equal(await resolves(plainDestination.host, repository, `${prefix}.sig`), fromPlain.sig.digest);
    assert.equal(await resolves(plainDestination.host, repository, `${prefix}.att`), undefined);
    assert.equal(await resolves(plainDestination.host, repository, fromPlain.sbom.digest), undefined);
    assert.deepEqual(
      (await schemaIndex(plainDestination.host, repository, fromPlain.index.digest)).map((entry) => entry.digest),
      [fromPlain.notarySignature.digest],
    );

    const none = await run(`${plainSource.host}/team/app:v1`, {
      mode: 'relocate',
      'default-repo': `${plainDestination.host}/none`,
      artifacts: 'none',
    });
    assert.equal(none.code, 0, none.stdout);
    const bare = repositoryOf(none.images[0]?.newImage ?? '', plainDestination.host);
    assert.deepEqual(await client(plainDestination.host).listTags(bare), ['v1']);
    assert.deepEqual(none.images[0]?.artifacts, { signature: 0, attestation: 0, sbom: 0, other: 0 });
  });

  it('package then unpackage restores the same set into a registry with and without the referrers API', async () => {
    const packed = await run(`${plainSource.host}/team/app:v1`, { mode: 'package', archive: 'images.tar' });
    assert.equal(packed.code, 0, packed.stdout);
    const entries = await readTar(path.join(packed.dir, 'images.tar'));
    const index = JSON.parse(entries.get('index.json')?.toString('utf8') ?? '{}') as {
      manifests: { digest: string; annotations: Record<string, string> }[];
    };
    const artifactEntries = index.manifests.filter((entry) => entry.annotations['io.github.ferry.subject'] !== undefined);
    assert.equal(artifactEntries.length, 6);
    assert.deepEqual(
      artifactEntries
        .map((entry) => entry.annotations['org.opencontainers.image.ref.name'])
        .filter(Boolean)
        .sort(),
      cosignTags(fromPlain)
        .map(([tag]) => tag)
        .sort(),
    );
    assert.equal(
      artifactEntries.find((entry) => entry.digest === fromPlain.sbomSignature.digest)?.annotations['io.github.ferry.subject'],
      fromPlain.sbom.digest,
    );

    for (const [host, kind] of [
      [apiDestination.host, 'api'],
      [plainDestination.host, 'schema'],
    ] as const) {
      // The YAML as package left it (tags resolved in the lock), unpackaged with no source registry running in the inputs.
      const dir = packed.dir;
      const result = await runAction(dir, {
        mode: 'unpackage',
        archive: 'images.tar',
        manifests: 'k8s/*.yaml',
        'default-repo': `${host}/restored`,
        'insecure-registries': host,
        lock: 'ferry.lock.yml',
        'output-dir': `out-${kind}`,
      });
      assert.equal(result.code, 0, result.stdout);
      const images = JSON.parse(result.outputs.images ?? '[]') as { newImage: string; artifacts: Record<string, number> }[];
      assert.deepEqual(images[0]?.artifacts, { signature: 3, attestation: 1, sbom: 2, other: 0 }, kind);
      const repository = repositoryOf(images[0]?.newImage ?? '', host);
      for (const [tag, pushed] of cosignTags(fromPlain))
        assert.equal(await resolves(host, repository, tag), pushed.digest, `${kind} ${tag}`);
      const referrers =
        kind === 'api'
          ? await apiReferrers(host, repository, fromPlain.index.digest)
          : (await schemaIndex(host, repository, fromPlain.index.digest)).map((entry) => entry.digest).sort();
      assert.deepEqual(referrers, [fromPlain.sbom.digest, fromPlain.notarySignature.digest].sort(), kind);
      await sameBytes(host, repository, fromPlain.sbomSignature);
    }
  });

  it('refuses a manifest type it does not know, with nothing pushed', async () => {
    const source = client(apiSource.host);
    const layer = await pushBlob(source, 'team/odd', Buffer.from('odd'), 'application/octet-stream');
    const config = await pushBlob(source, 'team/odd', Buffer.from('{}'), 'application/vnd.oci.image.config.v1+json');
    const odd = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.example.thing.v1+json', config, layers: [layer] }),
    );
    await source.putManifest('team/odd', sha256(odd), odd, ociManifest);
    const good = await pushManifest(source, 'team/odd', { schemaVersion: 2, mediaType: ociManifest, config, layers: [layer] });
    await pushManifest(
      source,
      'team/odd',
      {
        schemaVersion: 2,
        mediaType: ociIndex,
        manifests: [
          { ...good, platform: { os: 'linux', architecture: 'amd64' } },
          { mediaType: ociManifest, digest: sha256(odd), size: odd.length, platform: { os: 'linux', architecture: 'arm64' } },
        ],
      },
      'v1',
    );
    const before = apiDestination.requests.length;
    const result = await run(`${apiSource.host}/team/odd:v1`, { mode: 'relocate', 'default-repo': `${apiDestination.host}/odd` });
    assert.notEqual(result.code, 0);
    assert.match(result.stdout, /application\/vnd\.example\.thing\.v1\+json.*does not know how to copy whole/);
    const writes = apiDestination.requests.slice(before).filter((request) => /^(PUT|POST|PATCH) /.test(request));
    assert.deepEqual(writes, []);
    assert.equal(result.yaml.includes(`${apiSource.host}/team/odd:v1`), true, 'the YAML is left as it was');
  });

  it('puts no image tag when a referrers listing cannot be made: an index past 4 MiB is refused by name', async () => {
    // Five referrers, each with 900 KiB of annotations in its manifest (ferry reads up to 1 MiB) and none
    // in the source's listing: listed with them at a destination without the API, they make a 4.4 MiB index.
    const source = client(plainSource.host);
    const heavy = await pushIndex(source, 'team/heavy', 'v1');
    const config = await pushBlob(source, 'team/heavy', Buffer.from('{}'), emptyConfig);
    for (let n = 0; n < 5; n++) {
      const referrer = await pushManifest(source, 'team/heavy', {
        schemaVersion: 2,
        mediaType: ociManifest,
        artifactType: spdx,
        config,
        layers: [config],
        subject: heavy.index,
        annotations: { note: `${n}${'x'.repeat(900 * 1024)}` },
      });
      await listInTagSchema(source, 'team/heavy', heavy.index.digest, { ...referrer, artifactType: spdx });
    }
    const result = await run(`${plainSource.host}/team/heavy:v1`, { mode: 'relocate', 'default-repo': `${plainDestination.host}/heavy` });
    assert.equal(result.code, 1, result.stdout);
    assert.match(
      result.stdout,
      /would make the referrers index of sha256:[0-9a-f]{64} [0-9]+ bytes, more than the 4194304 a manifest may be/,
    );
    const log = await settledLog(plainDestination);
    assert.ok(log.includes('"PUT /v2/heavy/'), 'the image and its referrers were sent');
    assert.doesNotMatch(log, /"PUT \/v2\/heavy\/\S*\/manifests\/v1 /, "the image's own tag was not put");
    assert.equal(result.yaml.includes(`${plainSource.host}/team/heavy:v1`), true, 'the YAML is left as it was');
    assert.deepEqual(readdirSync(result.dir).sort(), ['k8s'], 'no lock, nothing staged');
    assert.deepEqual(readdirSync(path.join(result.dir, 'k8s')), ['app.yaml']);
  });

  it('copies an OCI 1.1-rc artifact manifest with its blobs', async () => {
    const source = client(apiSource.host);
    const artifact = await pushReferrer(source, 'team/app', fromApi.index, 'application/vnd.example.report+json', {
      tagSchema: false,
      artifactManifest: true,
    });
    const result = await run(`${apiSource.host}/team/app:v1`, { mode: 'relocate', 'default-repo': `${apiDestination.host}/rc` });
    assert.equal(result.code, 0, result.stdout);
    const repository = repositoryOf(result.images[0]?.newImage ?? '', apiDestination.host);
    const copied = apiDestination.manifest(repository, artifact.digest);
    assert.ok(copied, 'the artifact manifest is at the destination');
    const blobs = (JSON.parse(copied.bytes.toString('utf8')) as { blobs: { digest: string }[] }).blobs;
    for (const blob of blobs)
      assert.notEqual(await client(apiDestination.host).headBlob(repository, blob.digest), undefined, 'its blob too');
    assert.deepEqual(result.images[0]?.artifacts, { signature: 3, attestation: 1, sbom: 2, other: 1 });
  });

  it('platforms: one platform copies that image itself; two make a new index with their attestation manifests', async () => {
    const one = await run(`${plainSource.host}/team/app:v1`, {
      mode: 'relocate',
      'default-repo': `${plainDestination.host}/arm`,
      platforms: 'linux/arm64',
      artifacts: 'none',
    });
    assert.equal(one.code, 0, one.stdout);
    const arm64 = fromPlain.children['linux/arm64'] as Pushed;
    assert.equal(one.images[0]?.digest, arm64.digest);
    assert.equal(one.images[0]?.filteredFrom, fromPlain.index.digest);
    assert.ok(one.yaml.includes(`@${arm64.digest}`));
    await sameBytes(plainDestination.host, repositoryOf(one.images[0]?.newImage ?? '', plainDestination.host), arm64);
    assert.match(one.stdout, /do not cover it/);
    assert.match(readFileSync(path.join(one.dir, 'ferry.lock.yml'), 'utf8'), new RegExp(`# linux/arm64 of ${fromPlain.index.digest}`));

    const two = await run(`${plainSource.host}/team/app:v1`, {
      mode: 'relocate',
      'default-repo': `${plainDestination.host}/two-platforms`,
      platforms: 'linux/amd64, linux/arm/v7',
      artifacts: 'none',
    });
    assert.equal(two.code, 0, two.stdout);
    const digest = two.images[0]?.digest ?? '';
    assert.notEqual(digest, fromPlain.index.digest);
    const repository = repositoryOf(two.images[0]?.newImage ?? '', plainDestination.host);
    const index = JSON.parse((await skopeoRaw(`${plainDestination.host}/${repository}@${digest}`, {})).toString('utf8')) as {
      manifests: { digest: string }[];
    };
    assert.deepEqual(
      index.manifests.map((entry) => entry.digest),
      [fromPlain.children['linux/amd64']?.digest, fromPlain.children['linux/arm/v7']?.digest, fromPlain.attestation.digest],
    );
    assert.equal(await resolves(plainDestination.host, repository, 'v1'), digest);

    const missing = await run(`${plainSource.host}/team/app:v1`, {
      mode: 'relocate',
      'default-repo': `${plainDestination.host}/s390x`,
      platforms: 'linux/s390x',
    });
    assert.notEqual(missing.code, 0);
    assert.match(missing.stdout, /has no linux\/s390x image \(it has linux\/amd64, linux\/arm64, linux\/arm\/v7\)/);

    // A single image is what its config says it is.
    const arm64Only = `${plainSource.host}/team/app@${arm64.digest}`;
    const single = await run(arm64Only, { mode: 'relocate', 'default-repo': `${plainDestination.host}/single`, platforms: 'linux/amd64' });
    assert.notEqual(single.code, 0);
    assert.match(single.stdout, /is a single linux\/arm64 image, not linux\/amd64/);
    const right = await run(arm64Only, {
      mode: 'relocate',
      'default-repo': `${plainDestination.host}/single`,
      platforms: 'linux/arm64',
      artifacts: 'none',
    });
    assert.equal(right.code, 0, right.stdout);
    assert.equal(right.images[0]?.digest, arm64.digest);
  });

  it('finds referrers through the API and tag-scheme artifacts for every child manifest too', async () => {
    const source = client(apiSource.host);
    const amd64 = fromApi.children['linux/amd64'] as Pushed;
    const childSbom = await pushReferrer(source, 'team/app', amd64, spdx, { tagSchema: false });
    const childSignature = await pushReferrer(source, 'team/app', amd64, notary, { tagSchema: false });
    const result = await run(`${apiSource.host}/team/app:v1`, { mode: 'relocate', 'default-repo': `${apiDestination.host}/children` });
    assert.equal(result.code, 0, result.stdout);
    const repository = repositoryOf(result.images[0]?.newImage ?? '', apiDestination.host);
    assert.deepEqual(await apiReferrers(apiDestination.host, repository, amd64.digest), [childSbom.digest, childSignature.digest].sort());
  });
});
