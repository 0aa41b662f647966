// The air-gapped path: the relocate bench's 20 two-platform images (320 MiB) packaged into one archive
// and imported from it into another registry, by dist/index.js beside skopeo (an oci-archive per image,
// one after another, both ways, each unpackage run with a fresh blob-info cache), three runs each,
// alternating; medians. FERRY_BENCH_BASELINE names
// another build's index.js to measure beside this one (an earlier commit's dist/, say).
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { anonymousRegistries, scratchDir, startRegistry } from '../test/registry/harness.js';
import { type Command, type Measurement, measure } from './measure.js';
import { images, seed, skopeoLoop } from './relocate.js';

export async function benchAirgap(): Promise<void> {
  const [source, destination] = await Promise.all([startRegistry(), startRegistry()]);
  const scratch = scratchDir('bench-airgap');
  try {
    const registries = anonymousRegistries([source.host, destination.host]);
    await seed(registries, source.host);
    await registries.close();
    const workspace = path.join(scratch, 'workspace');
    const runnerTemp = path.join(scratch, 'runner-temp');
    mkdirSync(workspace);
    mkdirSync(runnerTemp);
    const manifest = Array.from({ length: images }, (_, image) => `- image: ${source.host}/bench/app-${image}:v1\n`).join('');
    const builds: [string, string][] = [['ferry', path.join(path.resolve(import.meta.dirname, '..'), 'dist', 'index.js')]];
    if (process.env.FERRY_BENCH_BASELINE) builds.push(['ferry (baseline build)', path.resolve(process.env.FERRY_BENCH_BASELINE)]);
    let run = 0;
    const ferry = (entry: string, mode: 'package' | 'unpackage'): Command => {
      run++;
      return {
        label: `${entry} ${mode}`,
        argv: [process.execPath, entry],
        env: {
          GITHUB_WORKSPACE: workspace,
          GITHUB_OUTPUT: path.join(scratch, 'output'),
          GITHUB_STEP_SUMMARY: path.join(scratch, 'summary'),
          RUNNER_TEMP: runnerTemp,
          INPUT_MODE: mode,
          INPUT_ARCHIVE: 'images.tar',
          'INPUT_INSECURE-REGISTRIES': `${source.host},${destination.host}`,
          ...(mode === 'unpackage' ? { 'INPUT_DEFAULT-REPO': `${destination.host}/run-${run}` } : {}),
          ...(process.env.FERRY_BENCH_CONCURRENCY === undefined ? {} : { INPUT_CONCURRENCY: process.env.FERRY_BENCH_CONCURRENCY }),
        },
        before: () => {
          writeFileSync(path.join(scratch, 'output'), '');
          writeFileSync(path.join(scratch, 'summary'), '');
          writeFileSync(path.join(workspace, 'images.yaml'), manifest);
          // Every package run starts without a blob store (off GitHub there is no cache to restore one).
          rmSync(path.join(runnerTemp, 'ferry-blobs'), { recursive: true, force: true });
        },
      };
    };
    const archives = path.join(scratch, 'skopeo-archives');
    mkdirSync(archives);
    const skopeoPackage = skopeoLoop(
      source.host,
      'skopeo oci-archive loop, package',
      '',
      (image) => `oci-archive:${archives}/app-${image}.tar:app`,
    );
    let skopeoRun = 0;
    const skopeoUnpackage = (): Command => {
      skopeoRun++;
      // A fresh blob-info cache each run (HOME, and root's under /var/lib/containers): skopeo would
      // otherwise mount, from an earlier run's repositories, blobs it pushed before, which is not an import.
      const home = path.join(scratch, `skopeo-home-${skopeoRun}`);
      mkdirSync(home);
      return {
        label: 'skopeo oci-archive loop, unpackage',
        env: { HOME: home },
        before: () => {
          for (const name of ['blob-info-cache-v1.boltdb', 'blob-info-cache-v1.sqlite']) {
            try {
              rmSync(path.join('/var/lib/containers/cache', name), { force: true });
            } catch {
              // not root: skopeo keeps its cache under HOME, fresh already
            }
          }
        },
        argv: [
          'sh',
          '-c',
          Array.from(
            { length: images },
            (_, image) =>
              `skopeo --insecure-policy copy --quiet --preserve-digests --dest-tls-verify=false oci-archive:${archives}/app-${image}.tar:app docker://${destination.host}/skopeo-${skopeoRun}/app-${image}:v1`,
          ).join(' && '),
        ],
      };
    };

    const results = new Map<string, Measurement[]>();
    const add = (label: string, result: Measurement): void => {
      results.set(label, [...(results.get(label) ?? []), result]);
    };
    for (let round = 0; round < 3; round++) {
      for (const [label, entry] of builds) {
        add(`${label} package`, await measure(ferry(entry, 'package')));
        add(`${label} unpackage`, await measure(ferry(entry, 'unpackage')));
      }
      add('skopeo package', await measure(skopeoPackage));
      add('skopeo unpackage', await measure(skopeoUnpackage()));
    }
    const median = (label: string): Measurement => [...(results.get(label) ?? [])].sort((a, b) => a.seconds - b.seconds)[1] as Measurement;
    const archiveMiB = statSync(path.join(workspace, 'images.tar')).size / 1024 / 1024;
    console.log(
      `airgap: ${images} two-platform images into one archive (${archiveMiB.toFixed(0)} MiB) and back into a registry; 3 runs each, alternating; medians`,
    );
    for (const label of results.keys()) {
      const result = median(label);
      const memory = result.peakMiB === undefined ? '' : `, peak ${result.peakMiB.toFixed(0)} MiB`;
      const spread = (results.get(label) ?? []).map((r) => r.seconds.toFixed(2)).join(', ');
      console.log(
        `  ${label.padEnd(42)} ${result.seconds.toFixed(2)} s (${spread}), ${(archiveMiB / result.seconds).toFixed(0)} MiB/s${memory}`,
      );
    }
    for (const mode of ['package', 'unpackage']) {
      const ours = median(`ferry ${mode}`).seconds;
      const line = [`  ${mode}: ferry ${(ours / median(`skopeo ${mode}`).seconds).toFixed(2)}x skopeo's time`];
      if (results.has(`ferry (baseline build) ${mode}`))
        line.push(`${(ours / median(`ferry (baseline build) ${mode}`).seconds).toFixed(2)}x the baseline build's`);
      console.log(line.join(', '));
    }
  } finally {
    await Promise.all([source.stop(), destination.stop()]);
  }
}
