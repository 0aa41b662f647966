// A catalogue relocated the way a GitHub Actions matrix would: a plan job, four shard jobs as separate
// processes of dist/index.js against real registries, and a merge job that pins the manifests from
// the partial locks offline. The merged result equals a single-job relocation, digest for digest.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PlanFile } from '../../src/shards.js';
import { type RunningRegistry, anonymousRegistries, scratchDir, sha256, skopeoRaw, startRegistry } from '../registry/harness.js';
import { runAction } from './action.js';

const count = 100;
const ociManifest = 'application/vnd.oci.image.manifest.v1+json';
const ociIndex = 'application/vnd.oci.image.index.v1+json';

describe('a catalogue in matrix shards', () => {
  let source: RunningRegistry;
  let destination: RunningRegistry;
  let template: string;
  const digests = new Map<string, string>();

  before(async () => {
    [source, destination] = await Promise.all([startRegistry(), startRegistry()]);
    const registries = anonymousRegistries([source.host]);
    const client = registries.client(source.host);
    // Every image shares one base layer; sizes vary so that balancing has something to do; every
    // fifth image is a two-platform index, whose platforms must stay in one shard.
    const base = randomBytes(20_000);
    const push = async (repository: string, layers: Buffer[]): Promise<{ mediaType: string; digest: string; size: number }> => {
      const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', n: randomBytes(4).toString('hex') }));
      for (const blob of [config, ...layers]) await client.uploadBlob(repository, sha256(blob), blob.length, blob);
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: ociManifest,
          config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
          layers: layers.map((layer) => ({
            mediaType: 'application/vnd.oci.image.layer.v1.tar',
            digest: sha256(layer),
            size: layer.length,
          })),
        }),
      );
      await client.putManifest(repository, sha256(manifest), manifest, ociManifest);
      return { mediaType: ociManifest, digest: sha256(manifest), size: manifest.length };
    };
    const seedOne = async (n: number): Promise<void> => {
      const repository = `catalogue/app-${n}`;
      const own = randomBytes(1000 + ((n * 7919) % 60_000));
      let top: Buffer;
      let mediaType: string;
      if (n % 5 === 0) {
        const children = [await push(repository, [base, own]), await push(repository, [base, randomBytes(5000)])];
        top = Buffer.from(
          JSON.stringify({
            schemaVersion: 2,
            mediaType: ociIndex,
            manifests: children.map((child, i) => ({ ...child, platform: { os: 'linux', architecture: i === 0 ? 'amd64' : 'arm64' } })),
          }),
        );
        mediaType = ociIndex;
      } else {
        const pushed = await push(repository, [base, own]);
        top = Buffer.from(
          await (
            await fetch(`http://${source.host}/v2/${repository}/manifests/${pushed.digest}`, { headers: { accept: ociManifest } })
          ).arrayBuffer(),
        );
        mediaType = ociManifest;
      }
      await client.putManifest(repository, 'v1', top, mediaType);
      digests.set(`${source.host}/${repository}:v1`, sha256(top));
    };
    for (let start = 0; start < count; start += 10) await Promise.all(Array.from({ length: 10 }, (_, i) => seedOne(start + i)));
    await registries.close();

    template = scratchDir('catalogue');
    mkdirSync(path.join(template, 'k8s'));
    writeFileSync(path.join(template, 'k8s', 'catalogue.yaml'), `images:\n${[...digests.keys()].map((image) => `- ${image}\n`).join('')}`);
  });
  after(async () => {
    await Promise.all([source.stop(), destination.stop()]);
  });

  const workspace = (): string => {
    const dir = scratchDir('catalogue-ws');
    cpSync(template, dir, { recursive: true });
    return dir;
  };
  const common = (): Record<string, string> => ({ 'insecure-registries': `${source.host},${destination.host}`, concurrency: '4' });

  it('plan, four shard jobs, merge: the same manifests as one job, digest for digest', async () => {
    const planning = workspace();
    const planned = await runAction(planning, { ...common(), mode: 'plan', shards: '4' });
    assert.equal(planned.code, 0, planned.stdout);
    const plan = JSON.parse(readFileSync(path.join(planning, 'ferry.plan.json'), 'utf8')) as PlanFile;
    assert.equal(planned.outputs.plan, path.join(planning, 'ferry.plan.json'));
    assert.deepEqual(
      (JSON.parse(planned.outputs.matrix ?? '{}') as { include: { shard: number }[] }).include.map((entry) => entry.shard),
      [1, 2, 3, 4],
    );
    assert.equal(plan.images.length, count);
    for (const image of plan.images) assert.equal(image.digest, digests.get(image.image), image.image);
    const mean = plan.shards.reduce((sum, shard) => sum + shard.bytes, 0) / plan.shards.length;
    const largest = Math.max(...plan.shards.map((shard) => shard.bytes));
    assert.ok(largest <= 1.3 * mean, `largest shard ${largest} bytes, mean ${mean}`);
    // The plan job writes its plan and nothing else: no lock, no manifest.
    assert.equal(
      readFileSync(path.join(planning, 'k8s', 'catalogue.yaml'), 'utf8'),
      readFileSync(path.join(template, 'k8s', 'catalogue.yaml'), 'utf8'),
    );

    // The shard jobs: separate processes, each with only the plan (as a downloaded artifact would be).
    const shardJobs = await Promise.all(
      [1, 2, 3, 4].map(async (shard) => {
        const dir = scratchDir(`shard-${shard}`);
        cpSync(path.join(planning, 'ferry.plan.json'), path.join(dir, 'ferry.plan.json'));
        const run = await runAction(dir, {
          ...common(),
          mode: 'relocate',
          plan: 'ferry.plan.json',
          shard: String(shard),
          'default-repo': `${destination.host}/mirror`,
          'lock-file': `shard-${shard}.lock.yml`,
        });
        assert.equal(run.code, 0, run.stdout);
        assert.equal(run.outputs.manifests, '[]');
        return { shard, lock: readFileSync(path.join(dir, `shard-${shard}.lock.yml`), 'utf8') };
      }),
    );

    // The merge job: the partial locks, downloaded, pin the manifests offline.
    const merging = workspace();
    mkdirSync(path.join(merging, 'locks'));
    for (const { shard, lock } of shardJobs) writeFileSync(path.join(merging, 'locks', `shard-${shard}.lock.yml`), lock);
    const merged = await runAction(merging, { mode: 'rewrite', lock: 'locks/*.lock.yml' });
    assert.equal(merged.code, 0, merged.stdout);

    // One job doing it all, for comparison.
    const single = workspace();
    const alone = await runAction(single, { ...common(), mode: 'relocate', 'default-repo': `${destination.host}/mirror` });
    assert.equal(alone.code, 0, alone.stdout);
    const mergedText = readFileSync(path.join(merging, 'k8s', 'catalogue.yaml'), 'utf8');
    assert.equal(mergedText, readFileSync(path.join(single, 'k8s', 'catalogue.yaml'), 'utf8'));
    assert.equal((mergedText.match(/@sha256:[a-f0-9]{64}/g) ?? []).length, count);
    // skopeo reads back a sample at the destination.
    for (const line of mergedText
      .split('\n')
      .filter((text) => text.startsWith('- '))
      .slice(0, 5)) {
      const reference = line.slice(2);
      assert.equal(sha256(await skopeoRaw(reference, {})), reference.slice(reference.indexOf('@') + 1));
    }
  });

  it('a tag moved after planning changes nothing: the shard copies the digest the plan pinned', async () => {
    const planning = workspace();
    assert.equal((await runAction(planning, { ...common(), mode: 'plan', shards: '1' })).code, 0);
    const [image = ''] = [...digests.keys()];
    const repository = image.slice(source.host.length + 1, image.lastIndexOf(':'));
    const registries = anonymousRegistries([source.host]);
    const other = await registries.client(source.host).getManifest(`catalogue/app-3`, 'v1');
    // The other image's layers are not in this repository; mounting is not needed to move a tag in a
    // test, so the tag is moved to a manifest pushed here with its blobs.
    for (const layer of (other.json as { layers: { digest: string; size: number }[] }).layers) {
      const bytes = Buffer.from(await (await fetch(`http://${source.host}/v2/catalogue/app-3/blobs/${layer.digest}`)).arrayBuffer());
      await registries.client(source.host).uploadBlob(repository, layer.digest, layer.size, bytes);
    }
    const config = (other.json as { config: { digest: string; size: number } }).config;
    const configBytes = Buffer.from(await (await fetch(`http://${source.host}/v2/catalogue/app-3/blobs/${config.digest}`)).arrayBuffer());
    await registries.client(source.host).uploadBlob(repository, config.digest, config.size, configBytes);
    await registries.client(source.host).putManifest(repository, 'v1', other.bytes, other.descriptor.mediaType);
    await registries.close();
    try {
      const run = await runAction(planning, {
        ...common(),
        mode: 'relocate',
        plan: 'ferry.plan.json',
        shard: '1',
        'default-repo': `${destination.host}/pinned`,
      });
      assert.equal(run.code, 0, run.stdout);
      const copied = (JSON.parse(run.outputs.images ?? '[]') as { image: string; digest: string }[]).find((entry) => entry.image === image);
      assert.equal(copied?.digest, digests.get(image), 'the planned digest, not the moved tag');
    } finally {
      // Put the tag back for the other tests.
      const restore = anonymousRegistries([source.host]);
      const planned = await restore.client(source.host).getManifest(repository, digests.get(image) ?? '');
      await restore.client(source.host).putManifest(repository, 'v1', planned.bytes, planned.descriptor.mediaType);
      await restore.close();
    }
  });

  it('resolve works on one shard too: a partial lock of pinned sources, no manifest written', async () => {
    const planning = workspace();
    assert.equal((await runAction(planning, { ...common(), mode: 'plan', shards: '3' })).code, 0);
    const plan = JSON.parse(readFileSync(path.join(planning, 'ferry.plan.json'), 'utf8')) as PlanFile;
    const run = await runAction(planning, {
      ...common(),
      mode: 'resolve',
      plan: 'ferry.plan.json',
      shard: '2',
      'lock-file': 'resolved-2.lock.yml',
    });
    assert.equal(run.code, 0, run.stdout);
    assert.equal(run.outputs.manifests, '[]');
    const lock = readFileSync(path.join(planning, 'resolved-2.lock.yml'), 'utf8');
    const mine = plan.images.filter((image) => image.shard === 2);
    assert.ok(mine.length > 0);
    for (const image of mine)
      assert.match(
        lock,
        new RegExp(`- image: ${image.image.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\n  newImage: [^\n]*@${image.digest}\n`),
      );
    assert.equal(
      readFileSync(path.join(planning, 'k8s', 'catalogue.yaml'), 'utf8'),
      readFileSync(path.join(template, 'k8s', 'catalogue.yaml'), 'utf8'),
    );
  });

  it('two locks that disagree about an image are an error naming both entries', async () => {
    const dir = workspace();
    mkdirSync(path.join(dir, 'locks'));
    const image = [...digests.keys()][0] ?? '';
    const lock = (newImage: string): string =>
      `apiVersion: kbld.k14s.io/v1alpha1\nkind: Config\noverrides:\n- image: ${image}\n  newImage: ${newImage}\n  preresolved: true\n`;
    writeFileSync(path.join(dir, 'locks', 'a.lock.yml'), lock(`r.example/a@sha256:${'a'.repeat(64)}`));
    writeFileSync(path.join(dir, 'locks', 'b.lock.yml'), lock(`r.example/b@sha256:${'b'.repeat(64)}`));
    const run = await runAction(dir, { mode: 'rewrite', lock: 'locks/*.lock.yml' });
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      /is locked to "r\.example\/a@sha256:a+" in locks\/a\.lock\.yml:5:13 and to "r\.example\/b@sha256:b+" in locks\/b\.lock\.yml:5:13: merge locks of one release only/,
    );
  });

  it('package shards into two archives, and unpackage imports them as one set', async () => {
    const planning = workspace();
    assert.equal((await runAction(planning, { ...common(), mode: 'plan', shards: '2' })).code, 0);
    mkdirSync(path.join(planning, 'archives'));
    for (const shard of [1, 2]) {
      const run = await runAction(planning, {
        ...common(),
        mode: 'package',
        plan: 'ferry.plan.json',
        shard: String(shard),
        archive: `archives/shard-${shard}.tar`,
        'lock-file': `package-${shard}.lock.yml`,
      });
      assert.equal(run.code, 0, run.stdout);
    }
    const site = workspace();
    cpSync(path.join(planning, 'archives'), path.join(site, 'archives'), { recursive: true });
    const run = await runAction(site, {
      ...common(),
      mode: 'unpackage',
      archive: 'archives/*.tar',
      'default-repo': `${destination.host}/site`,
    });
    assert.equal(run.code, 0, run.stdout);
    const images = JSON.parse(run.outputs.images ?? '[]') as { image: string; newImage: string; digest: string }[];
    assert.equal(images.length, count);
    for (const image of images) assert.equal(image.digest, digests.get(image.image), image.image);
  });
});
