// What the fault schedule costs: the relocation bench's images between two loopback registries, each
// behind the test suite's fault proxy, once with no faults and once with the reliability tests' schedule (every
// 7th request 503, every 11th 429 with Retry-After: 1, every 5th blob GET cut mid-body), beside a
// skopeo copy --all loop under the same schedule.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { faultSchedule, noFaults, startFaultProxy } from '../test/registry/fault-proxy.js';
import { anonymousRegistries, scratchDir, startRegistry } from '../test/registry/harness.js';
import { measure } from './measure.js';
import { images, seed, skopeoLoop } from './relocate.js';

export async function benchFaults(): Promise<void> {
  const [source, destination] = await Promise.all([startRegistry(), startRegistry()]);
  const [sourceProxy, destinationProxy] = await Promise.all([
    startFaultProxy(source.host, noFaults),
    startFaultProxy(destination.host, noFaults),
  ]);
  const scratch = scratchDir('bench-faults');
  try {
    const registries = anonymousRegistries([source.host]);
    await seed(registries, source.host);
    await registries.close();
    const root = path.resolve(import.meta.dirname, '..');
    const ferry = (label: string, repository: string) => {
      const workspace = path.join(scratch, repository);
      mkdirSync(workspace);
      writeFileSync(
        path.join(workspace, 'images.yaml'),
        Array.from({ length: images }, (_, image) => `- image: ${sourceProxy.host}/bench/app-${image}:v1\n`).join(''),
      );
      writeFileSync(path.join(scratch, 'output'), '');
      return {
        label,
        argv: [process.execPath, path.join(root, 'dist', 'index.js')],
        env: {
          GITHUB_WORKSPACE: workspace,
          GITHUB_OUTPUT: path.join(scratch, 'output'),
          INPUT_MODE: 'relocate',
          'INPUT_DEFAULT-REPO': `${destinationProxy.host}/${repository}`,
          'INPUT_INSECURE-REGISTRIES': `${sourceProxy.host},${destinationProxy.host}`,
        },
      };
    };
    const faults = () => sourceProxy.counts.injected + destinationProxy.counts.injected + sourceProxy.counts.cut;
    const clean = await measure(ferry('ferry relocate, no faults', 'clean'));
    // FERRY_BENCH_SCHEDULE=503,429,cut overrides the schedule (0 leaves a fault out), to see what each costs.
    const [every503, every429, cutBlobEvery] = (process.env.FERRY_BENCH_SCHEDULE ?? '').split(',').map(Number);
    const schedule = process.env.FERRY_BENCH_SCHEDULE
      ? { every503: every503 ?? 0, every429: every429 ?? 0, cutBlobEvery: cutBlobEvery ?? 0 }
      : faultSchedule;
    sourceProxy.schedule = schedule;
    destinationProxy.schedule = schedule;
    const injectedBefore = faults();
    const faulty = await measure(ferry('ferry relocate, fault schedule', 'faulty'));
    const injected = faults() - injectedBefore;
    const skopeoCopies = skopeoLoop(
      sourceProxy.host,
      'skopeo loop under faults',
      '--preserve-digests --dest-tls-verify=false',
      (image) => `docker://${destinationProxy.host}/skopeo/app-${image}:v1`,
    );
    let skopeo: string;
    try {
      skopeo = `${(await measure(skopeoCopies)).seconds.toFixed(2)} s, succeeded`;
    } catch (error) {
      skopeo = `failed (${
        String((error as Error).message)
          .split('\n')
          .find((line) => /error|fail/i.test(line))
          ?.trim()
          .slice(0, 160) ?? 'see its output'
      })`;
    }
    console.log(`faults: ${images} images (the relocate bench's), both registries behind a fault proxy`);
    console.log(`  ferry, no faults                             ${clean.seconds.toFixed(2)} s`);
    console.log(
      `  ferry, fault schedule (${injected} faults injected)      ${faulty.seconds.toFixed(2)} s: ${(faulty.seconds / clean.seconds).toFixed(2)}x the clean run (target under 2x)`,
    );
    console.log(`  skopeo copy --all loop, fault schedule        ${skopeo}`);
  } finally {
    await Promise.all([sourceProxy.stop(), destinationProxy.stop()]);
    await Promise.all([source.stop(), destination.stop()]);
  }
}
