// A catalogue in one job: 1,000 and then 5,000 single-layer images relocated by dist/index.js between
// two loopback registries, then again with everything there (the re-run), beside a crane loop (crane
// from the folder FERRY_BENCH_PEERS names) and a skopeo loop over the first 200, and the floor of this
// machine (bench/catalogue-floor.mjs: the fewest requests a copy of each image needs, at ferry's
// concurrency, nothing else). Printed: time per image, requests per image (from the registries' access
// logs), peak memory, and each figure as a ratio to the crane loop's and to the floor's.
// FERRY_BENCH_CATALOGUE=1000,5000 changes the sizes.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import pLimit from 'p-limit';
import { type RunningRegistry, anonymousRegistries, scratchDir, sha256, startRegistry } from '../test/registry/harness.js';
import { type Command, type Measurement, measure, peer as peerBinary } from './measure.js';
import { cpuSeconds, requestLines } from './relocate.js';

const peerImages = 200;

async function seedCatalogue(host: string, count: number): Promise<void> {
  const registries = anonymousRegistries([host]);
  const client = registries.client(host);
  const limit = pLimit(16);
  await Promise.all(
    Array.from({ length: count }, (_, n) =>
      limit(async () => {
        const repository = `catalogue/app-${n}`;
        const layer = randomBytes(2000 + ((n * 7919) % 30_000));
        const config = Buffer.from(
          JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256(layer)] } }),
        );
        for (const blob of [layer, config]) await client.uploadBlob(repository, sha256(blob), blob.length, blob);
        const manifest = Buffer.from(
          JSON.stringify({
            schemaVersion: 2,
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
            layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha256(layer), size: layer.length }],
          }),
        );
        await client.putManifest(repository, 'v1', manifest, 'application/vnd.oci.image.manifest.v1+json');
      }),
    ),
  );
  await registries.close();
}

export async function benchCatalogue(): Promise<void> {
  const sizes = (process.env.FERRY_BENCH_CATALOGUE ?? '1000,5000').split(',').map(Number);
  const largest = Math.max(...sizes);
  const [source, destination] = await Promise.all([startRegistry(), startRegistry()]);
  const scratch = scratchDir('bench-catalogue');
  try {
    const seeded = performance.now();
    await seedCatalogue(source.host, largest);
    console.log(`catalogue: ${largest} single-layer images seeded in ${((performance.now() - seeded) / 1000).toFixed(0)} s`);
    const requests = async (registry: RunningRegistry): Promise<number> => (await requestLines(registry)).length;
    const registryCpu = (): number => cpuSeconds(source.pid) + cpuSeconds(destination.pid);
    const counted = async (command: Command): Promise<Measurement & { requests: number; registryCpu: number }> => {
      const before = (await requests(source)) + (await requests(destination));
      const cpuBefore = registryCpu();
      const result = await measure(command);
      return {
        ...result,
        requests: (await requests(source)) + (await requests(destination)) - before,
        registryCpu: registryCpu() - cpuBefore,
      };
    };
    // The CPU ferry and the registries used, over this machine's cores: no run on it can be faster.
    const cores = availableParallelism();
    const floor = (result: { cpuSeconds: number | undefined; registryCpu: number }): number =>
      ((result.cpuSeconds ?? 0) + result.registryCpu) / cores;
    const ferry = (count: number, repository: string): Command => {
      const workspace = path.join(scratch, `workspace-${count}`);
      mkdirSync(workspace, { recursive: true });
      return {
        label: `ferry ${count}`,
        argv: [process.execPath, path.join(path.resolve(import.meta.dirname, '..'), 'dist', 'index.js')],
        env: {
          GITHUB_WORKSPACE: workspace,
          GITHUB_OUTPUT: path.join(scratch, 'output'),
          GITHUB_STEP_SUMMARY: path.join(scratch, 'summary'),
          INPUT_MODE: 'relocate',
          INPUT_MANIFESTS: 'images.yaml',
          'INPUT_DEFAULT-REPO': `${destination.host}/${repository}`,
          'INPUT_INSECURE-REGISTRIES': `${source.host},${destination.host}`,
          'INPUT_MAX-MANIFESTS': String(10 * count + 1000),
        },
        before: () => {
          writeFileSync(path.join(scratch, 'output'), '');
          writeFileSync(path.join(scratch, 'summary'), '');
          writeFileSync(
            path.join(workspace, 'images.yaml'),
            Array.from({ length: count }, (_, n) => `- image: ${source.host}/catalogue/app-${n}:v1\n`).join(''),
          );
        },
      };
    };
    const skopeo: Command = {
      label: `skopeo loop, ${peerImages} images`,
      argv: [
        'sh',
        '-c',
        Array.from(
          { length: peerImages },
          (_, n) =>
            `skopeo --insecure-policy copy --quiet --preserve-digests --src-tls-verify=false --dest-tls-verify=false docker://${source.host}/catalogue/app-${n}:v1 docker://${destination.host}/skopeo/app-${n}:v1`,
        ).join(' && '),
      ],
    };
    const peer = await counted(skopeo);
    const perImage = (result: { seconds: number }, count: number): string => `${((result.seconds / count) * 1000).toFixed(1)} ms/image`;
    console.log(
      `  skopeo loop, first ${peerImages}: ${peer.seconds.toFixed(2)} s, ${perImage(peer, peerImages)}, ${(peer.requests / peerImages).toFixed(1)} requests/image`,
    );
    const craneBinary = peerBinary('crane');
    const crane =
      craneBinary === undefined
        ? undefined
        : await counted({
            label: `crane loop, ${peerImages} images`,
            argv: [
              'sh',
              '-c',
              Array.from(
                { length: peerImages },
                (_, n) => `${craneBinary} copy --insecure ${source.host}/catalogue/app-${n}:v1 ${destination.host}/crane/app-${n}:v1`,
              ).join(' && '),
            ],
          });
    if (crane !== undefined)
      console.log(
        `  crane loop, first ${peerImages}: ${crane.seconds.toFixed(2)} s, ${perImage(crane, peerImages)}, ${(crane.requests / peerImages).toFixed(1)} requests/image`,
      );
    else console.log('  crane loop: left out (FERRY_BENCH_PEERS names no folder with crane)');
    const perSecond = (result: { seconds: number }, count: number): number => result.seconds / count;
    const floorOf = async (count: number): Promise<Measurement & { requests: number; registryCpu: number }> => {
      const result = await counted({
        label: `floor ${count}`,
        argv: [
          process.execPath,
          path.join(import.meta.dirname, 'catalogue-floor.mjs'),
          source.host,
          destination.host,
          `floor-${count}`,
          String(count),
          '8',
        ],
      });
      console.log(
        `  floor ${String(count).padStart(5)} images: ${result.seconds.toFixed(2)} s, ${perImage(result, count)}, ${(result.requests / count).toFixed(1)} requests/image, registries' CPU ${result.registryCpu.toFixed(1)} s`,
      );
      return result;
    };
    for (const count of sizes) {
      const floored = await floorOf(count);
      const first = await counted(ferry(count, `ferry-${count}`));
      const again = await counted(ferry(count, `ferry-${count}`));
      const versus = [
        `${(perSecond(first, count) / perSecond(peer, peerImages)).toFixed(2)}x the skopeo loop's`,
        ...(crane === undefined ? [] : [`${(perSecond(first, count) / perSecond(crane, peerImages)).toFixed(2)}x the crane loop's`]),
        `${(first.seconds / floored.seconds).toFixed(2)}x the floor's`,
      ].join(', ');
      console.log(
        `  ferry ${String(count).padStart(5)} images: ${first.seconds.toFixed(2)} s, ${perImage(first, count)} (${versus}), ${(first.requests / count).toFixed(1)} requests/image (the floor's ${(floored.requests / count).toFixed(1)}), registries' CPU ${first.registryCpu.toFixed(1)} s, peak ${first.peakMiB?.toFixed(0)} MiB`,
      );
      console.log(
        `        re-run:  ${again.seconds.toFixed(2)} s, ${perImage(again, count)}, ${(again.requests / count).toFixed(1)} requests/image, peak ${again.peakMiB?.toFixed(0)} MiB; CPU: ferry ${again.cpuSeconds?.toFixed(1)} s, registries ${again.registryCpu.toFixed(1)} s, so at least ${perImage({ seconds: floor(again) }, count)} on ${cores} cores (${(again.seconds / floor(again)).toFixed(2)}x that)`,
      );
    }
  } finally {
    await Promise.all([source.stop(), destination.stop()]);
  }
}
