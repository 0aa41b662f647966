// A catalogue of 200 images in matrix shards: one job relocating all of them, against the plan and its
// 4 shards run one after another, each timed (the slowest is the wall time a parallel matrix would
// see), with the bytes each shard moved and the balance (largest shard over the mean).
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PlanFile } from '../src/shards.js';
import { anonymousRegistries, scratchDir, sha256, startRegistry } from '../test/registry/harness.js';
import { measure } from './measure.js';

const count = 200;
const ociManifest = 'application/vnd.oci.image.manifest.v1+json';

export async function benchShards(): Promise<void> {
  const [source, destination] = await Promise.all([startRegistry(), startRegistry()]);
  const scratch = scratchDir('bench-shards');
  try {
    const registries = anonymousRegistries([source.host]);
    const client = registries.client(source.host);
    const base = randomBytes(512 * 1024);
    const seedOne = async (n: number): Promise<void> => {
      const repository = `catalogue/app-${n}`;
      // Sizes from 64 KiB to about 4 MiB, so that shards have something to balance.
      const own = randomBytes(64 * 1024 + ((n * 7919) % 61) * 64 * 1024);
      const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', n }));
      for (const blob of [base, own, config]) await client.uploadBlob(repository, sha256(blob), blob.length, blob);
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: ociManifest,
          config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
          layers: [base, own].map((layer) => ({
            mediaType: 'application/vnd.oci.image.layer.v1.tar',
            digest: sha256(layer),
            size: layer.length,
          })),
        }),
      );
      await client.putManifest(repository, 'v1', manifest, ociManifest);
    };
    for (let start = 0; start < count; start += 20) await Promise.all(Array.from({ length: 20 }, (_, i) => seedOne(start + i)));
    await registries.close();

    const root = path.resolve(import.meta.dirname, '..');
    const workspace = path.join(scratch, 'workspace');
    mkdirSync(workspace);
    writeFileSync(
      path.join(workspace, 'catalogue.yaml'),
      `images:\n${Array.from({ length: count }, (_, n) => `- ${source.host}/catalogue/app-${n}:v1\n`).join('')}`,
    );
    const run = (label: string, inputs: Record<string, string>) => ({
      label,
      argv: [process.execPath, path.join(root, 'dist', 'index.js')],
      env: {
        GITHUB_WORKSPACE: workspace,
        GITHUB_OUTPUT: path.join(scratch, 'output'),
        'INPUT_INSECURE-REGISTRIES': `${source.host},${destination.host}`,
        ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])),
      },
      before: () => writeFileSync(path.join(scratch, 'output'), ''),
    });
    // A warm-up into a repository of its own, so that neither the single job nor the shards pay for a cold registry.
    if (process.env.FERRY_BENCH_WARM !== '0')
      await measure(run('warm-up', { mode: 'relocate', 'default-repo': `${destination.host}/warm`, 'lock-file': 'warm.lock.yml' }));
    const single = await measure(
      run('one job', { mode: 'relocate', 'default-repo': `${destination.host}/single`, 'lock-file': 'single.lock.yml' }),
    );
    const planned = await measure(run('plan', { mode: 'plan', shards: '4' }));
    const plan = JSON.parse(readFileSync(path.join(workspace, 'ferry.plan.json'), 'utf8')) as PlanFile;
    const shardTimes: number[] = [];
    for (const { shard } of plan.shards) {
      const result = await measure(
        run(`shard ${shard}`, {
          mode: 'relocate',
          plan: 'ferry.plan.json',
          shard: String(shard),
          'default-repo': `${destination.host}/sharded`,
          'lock-file': `shard-${shard}.lock.yml`,
        }),
      );
      shardTimes.push(result.seconds);
    }
    const mean = plan.shards.reduce((sum, shard) => sum + shard.bytes, 0) / plan.shards.length;
    const largest = Math.max(...plan.shards.map((shard) => shard.bytes));
    const slowest = Math.max(...shardTimes);
    console.log(`shards: ${count} images (a shared 512 KiB base layer, own layers of 64 KiB to 4 MiB), 4 shards`);
    console.log(`  one job                                      ${single.seconds.toFixed(2)} s`);
    console.log(`  plan                                         ${planned.seconds.toFixed(2)} s`);
    plan.shards.forEach((shard, index) =>
      console.log(
        `  shard ${shard.shard}: ${String(shard.images).padStart(3)} images, ${(shard.bytes / 1024 / 1024).toFixed(1).padStart(6)} MiB   ${shardTimes[index]?.toFixed(2)} s`,
      ),
    );
    console.log(`  balance: largest shard ${(largest / mean).toFixed(2)}x the mean (target at most 1.3x)`);
    console.log(
      `  a matrix's wall time: plan + slowest shard = ${(planned.seconds + slowest).toFixed(2)} s, ${(single.seconds / (planned.seconds + slowest)).toFixed(2)}x faster than one job`,
    );
  } finally {
    await Promise.all([source.stop(), destination.stop()]);
  }
}
