// What the fault schedule costs: the relocation bench's images between two loopback registries, each
// behind the test suite's fault proxy, three times with no faults and three with the reliability tests' schedule (every
// 7th request 503, every 11th 429 with Retry-After: 1, every 5th blob GET cut mid-body), beside a
// skopeo copy --all loop under the same schedule.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { faultSchedule, noFaults, startFaultProxy } from '../test/registry/fault-proxy.js';
import { anonymousRegistries, scratchDir, startRegistry } from '../test/registry/harness.js';
import { type Measurement, measure, medianRun, runTimes } from './measure.js';
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
    const ferry = (label: string, repository: string, entry = path.join(root, 'dist', 'index.js')) => {
      const workspace = path.join(scratch, repository);
      mkdirSync(workspace);
      writeFileSync(
        path.join(workspace, 'images.yaml'),
        Array.from({ length: images }, (_, image) => `- image: ${sourceProxy.host}/bench/app-${image}:v1\n`).join(''),
      );
      writeFileSync(path.join(scratch, 'output'), '');
      return {
        label,
        argv: [process.execPath, entry],
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
    // FERRY_BENCH_SCHEDULE=503,429,cut overrides the schedule (0 leaves a fault out), to see what each costs.
    const [every503, every429, cutBlobEvery] = (process.env.FERRY_BENCH_SCHEDULE ?? '').split(',').map(Number);
    const schedule = process.env.FERRY_BENCH_SCHEDULE
      ? { every503: every503 ?? 0, every429: every429 ?? 0, cutBlobEvery: cutBlobEvery ?? 0 }
      : faultSchedule;
    /** The digests a run's `images` output pins, by source image. */
    const pinned = (): Map<string, string> => {
      const text = readFileSync(path.join(scratch, 'output'), 'utf8');
      const value = /^images<<(\S+)\n([\s\S]*?)\n\1$/m.exec(text)?.[2] ?? '[]';
      return new Map((JSON.parse(value) as { image: string; digest: string }[]).map((image) => [image.image, image.digest]));
    };
    // Three rounds, alternating, each run into fresh repositories; medians.
    const clean: Measurement[] = [];
    const faulty: Measurement[] = [];
    let injected = 0;
    let digests: Map<string, string> | undefined;
    let mismatched = 0;
    // FERRY_BENCH_BASELINE: another build's index.js, run under the same schedule beside this one.
    const baseline = process.env.FERRY_BENCH_BASELINE === undefined ? undefined : path.resolve(process.env.FERRY_BENCH_BASELINE);
    const baselineRuns: Measurement[] = [];
    for (let round = 1; round <= 3; round++) {
      sourceProxy.schedule = noFaults;
      destinationProxy.schedule = noFaults;
      clean.push(await measure(ferry('ferry relocate, no faults', `clean-${round}`)));
      digests ??= pinned();
      sourceProxy.schedule = schedule;
      destinationProxy.schedule = schedule;
      const before = faults();
      faulty.push(await measure(ferry('ferry relocate, fault schedule', `faulty-${round}`)));
      injected += faults() - before;
      for (const [image, digest] of pinned()) if (digests.get(image) !== digest) mismatched++;
      if (baseline !== undefined) baselineRuns.push(await measure(ferry('baseline build, fault schedule', `baseline-${round}`, baseline)));
    }
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
    const median = (runs: Measurement[]): number => medianRun(runs).seconds;
    console.log(`faults: ${images} images (the relocate bench's), both registries behind a fault proxy; 3 runs each, alternating; medians`);
    console.log(`  ferry, no faults                             ${median(clean).toFixed(2)} s (${runTimes(clean)})`);
    console.log(
      `  ferry, fault schedule (${Math.round(injected / 3)} faults a run)        ${median(faulty).toFixed(2)} s (${runTimes(faulty)}): ${(median(faulty) / median(clean)).toFixed(2)}x the clean run (target at most 1.5x)`,
    );
    console.log(`  every digest the same as the clean run's: ${mismatched === 0 ? 'yes' : `no, ${mismatched} differ`}`);
    if (baselineRuns.length > 0)
      console.log(`  baseline build, fault schedule               ${median(baselineRuns).toFixed(2)} s (${runTimes(baselineRuns)})`);
    console.log(`  skopeo copy --all loop, fault schedule        ${skopeo}`);
  } finally {
    await Promise.all([sourceProxy.stop(), destinationProxy.stop()]);
    await Promise.all([source.stop(), destination.stop()]);
  }
}
