// The air-gapped path: the relocate bench's 20 two-platform images (320 MiB) packaged into one archive
// and imported from it into another registry, by dist/index.js beside imgpkg, kbld and crane (when
// FERRY_BENCH_PEERS names a folder holding their binaries, built from their sources; crane's archive is
// an OCI layout folder, pushed back as one index) and a skopeo oci-archive loop, with the floor of this
// machine beside them (every blob read from the registry into one file, and back, nothing checked:
// airgap-floor.mjs; to package, also over plain sockets with no HTTP library). Three runs each,
// alternating; medians. Then the peak memory of three packages and three unpackages at 2 GiB beside
// those at 320 MiB, which should not grow with the archive.
// FERRY_BENCH_BASELINE names another build's index.js to measure beside this one.
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { anonymousRegistries, scratchDir, startRegistry } from '../test/registry/harness.js';
import { type Command, type Measurement, measure, medianRun, peer, runTimes } from './measure.js';
import { images, seed, skopeoLoop } from './relocate.js';

export async function benchAirgap(): Promise<void> {
  const [source, destination] = await Promise.all([startRegistry(), startRegistry()]);
  const scratch = scratchDir('bench-airgap');
  try {
    const registries = anonymousRegistries([source.host, destination.host]);
    await seed(registries, source.host);
    const digests = await Promise.all(
      Array.from({ length: images }, async (_, image) => (await registries.client(source.host).resolve(`bench/app-${image}`, 'v1')).digest),
    );
    await registries.close();
    const workspace = path.join(scratch, 'workspace');
    const runnerTemp = path.join(scratch, 'runner-temp');
    mkdirSync(workspace);
    mkdirSync(runnerTemp);
    const names = Array.from({ length: images }, (_, image) => `${source.host}/bench/app-${image}`);
    const manifest = names.map((name) => `- image: ${name}:v1\n`).join('');
    // The peers' inputs: imgpkg's ImagesLock and kbld's Config, of the same pinned images.
    const imagesLock = path.join(scratch, 'images.lock.yml');
    writeFileSync(
      imagesLock,
      `apiVersion: imgpkg.carvel.dev/v1alpha1\nkind: ImagesLock\nimages:\n${names.map((name, at) => `- image: ${name}@${digests[at]}\n`).join('')}`,
    );
    const kbldLock = path.join(scratch, 'kbld.lock.yml');
    writeFileSync(
      kbldLock,
      `apiVersion: kbld.k14s.io/v1alpha1\nkind: Config\noverrides:\n${names.map((name, at) => `- image: ${name}:v1\n  newImage: ${name}@${digests[at]}\n  preresolved: true\n`).join('')}`,
    );
    const builds: [string, string][] = [['ferry', path.join(path.resolve(import.meta.dirname, '..'), 'dist', 'index.js')]];
    if (process.env.FERRY_BENCH_BASELINE) builds.push(['ferry (baseline build)', path.resolve(process.env.FERRY_BENCH_BASELINE)]);
    let run = 0;
    const ferry = (entry: string, mode: 'package' | 'unpackage', archive = 'images.tar'): Command => {
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
          INPUT_ARCHIVE: archive,
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
          if (mode === 'package') rmSync(path.join(workspace, archive), { force: true });
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
    let peerRun = 0;
    const skopeoUnpackage = (): Command => {
      peerRun++;
      // A fresh blob-info cache each run (HOME, and root's under /var/lib/containers): skopeo would
      // otherwise mount, from an earlier run's repositories, blobs it pushed before, which is not an import.
      const home = path.join(scratch, `skopeo-home-${peerRun}`);
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
              `skopeo --insecure-policy copy --quiet --preserve-digests --dest-tls-verify=false oci-archive:${archives}/app-${image}.tar:app docker://${destination.host}/skopeo-${peerRun}/app-${image}:v1`,
          ).join(' && '),
        ],
      };
    };
    const imgpkg = peer('imgpkg');
    const kbld = peer('kbld');
    const crane = peer('crane');
    // crane keeps its images as an OCI layout folder, and pushes them back as one index of them all.
    const craneLayout = path.join(scratch, 'crane-layout');
    const peerTar = (name: string): string => path.join(scratch, `${name}.tar`);
    const peerCommands = (mode: 'package' | 'unpackage'): Command[] => {
      peerRun++;
      const home = path.join(scratch, `peer-home-${peerRun}`);
      mkdirSync(home, { recursive: true });
      const commands: Command[] = [];
      if (imgpkg !== undefined)
        commands.push({
          label: `imgpkg ${mode}`,
          env: { HOME: home },
          before: () => (mode === 'package' ? rmSync(peerTar('imgpkg'), { force: true }) : undefined),
          argv:
            mode === 'package'
              ? [imgpkg, 'copy', '--lock', imagesLock, '--to-tar', peerTar('imgpkg'), '--registry-insecure']
              : [
                  imgpkg,
                  'copy',
                  '--tar',
                  peerTar('imgpkg'),
                  '--to-repo',
                  `${destination.host}/imgpkg-${peerRun}/bundle`,
                  '--registry-insecure',
                ],
        });
      if (kbld !== undefined)
        commands.push({
          label: `kbld ${mode}`,
          env: { HOME: home },
          before: () => (mode === 'package' ? rmSync(peerTar('kbld'), { force: true }) : undefined),
          argv:
            mode === 'package'
              ? [kbld, 'pkg', '-f', kbldLock, '--output', peerTar('kbld'), '--registry-insecure']
              : [
                  kbld,
                  'unpkg',
                  '-f',
                  kbldLock,
                  '--input',
                  peerTar('kbld'),
                  '--repository',
                  `${destination.host}/kbld-${peerRun}/app`,
                  '--registry-insecure',
                ],
        });
      if (crane !== undefined)
        commands.push({
          label: `crane ${mode}`,
          env: { HOME: home },
          before: () => (mode === 'package' ? rmSync(craneLayout, { recursive: true, force: true }) : undefined),
          argv:
            mode === 'package'
              ? [crane, 'pull', '--insecure', '--format', 'oci', ...names.map((name, at) => `${name}@${digests[at]}`), craneLayout]
              : [crane, 'push', '--insecure', '--index', craneLayout, `${destination.host}/crane-${peerRun}/all:v1`],
        });
      return commands;
    };
    const floorFile = path.join(scratch, 'floor.bin');
    const floor = (mode: 'package' | 'package-socket' | 'unpackage'): Command => {
      peerRun++;
      return {
        label: mode === 'package-socket' ? 'floor package, plain sockets' : `floor ${mode}`,
        argv: [
          process.execPath,
          path.join(import.meta.dirname, 'airgap-floor.mjs'),
          mode,
          mode === 'unpackage' ? destination.host : source.host,
          `floor-${peerRun}`,
          String(images),
          process.env.FERRY_BENCH_CONCURRENCY ?? '8',
          floorFile,
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
      for (const command of peerCommands('package')) add(command.label, await measure(command));
      for (const command of peerCommands('unpackage')) add(command.label, await measure(command));
      add('floor package', await measure(floor('package')));
      add('floor package, plain sockets', await measure(floor('package-socket')));
      add('floor unpackage', await measure(floor('unpackage')));
      add('skopeo package', await measure(skopeoPackage));
      add('skopeo unpackage', await measure(skopeoUnpackage()));
    }
    const median = (label: string): Measurement => medianRun(results.get(label) ?? []);
    const archiveMiB = statSync(path.join(workspace, 'images.tar')).size / 1024 / 1024;
    console.log(
      `airgap: ${images} two-platform images into one archive (${archiveMiB.toFixed(0)} MiB) and back into a registry; 3 runs each, alternating; medians`,
    );
    for (const label of results.keys()) {
      const result = median(label);
      const memory = result.peakMiB === undefined ? '' : `, peak ${result.peakMiB.toFixed(0)} MiB`;
      const spread = runTimes(results.get(label) ?? []);
      console.log(
        `  ${label.padEnd(42)} ${result.seconds.toFixed(2)} s (${spread}), ${(archiveMiB / result.seconds).toFixed(0)} MiB/s${memory}`,
      );
    }
    for (const mode of ['package', 'unpackage']) {
      const ours = median(`ferry ${mode}`).seconds;
      const line = [`  ${mode}: ferry ${(ours / median(`floor ${mode}`).seconds).toFixed(2)}x the floor`];
      if (results.has(`floor ${mode}, plain sockets`))
        line.push(`${(ours / median(`floor ${mode}, plain sockets`).seconds).toFixed(2)}x the floor over plain sockets`);
      const peerTimes = ['imgpkg', 'kbld']
        .filter((name) => results.has(`${name} ${mode}`))
        .map((name) => [name, median(`${name} ${mode}`).seconds] as const);
      for (const [name, seconds] of peerTimes) line.push(`${(ours / seconds).toFixed(2)}x ${name}'s`);
      if (peerTimes.length > 0)
        line.push(`${(ours / Math.min(...peerTimes.map(([, seconds]) => seconds))).toFixed(2)}x the faster of imgpkg and kbld`);
      if (results.has(`crane ${mode}`)) line.push(`${(ours / median(`crane ${mode}`).seconds).toFixed(2)}x crane's`);
      line.push(`${(ours / median(`skopeo ${mode}`).seconds).toFixed(2)}x skopeo's`);
      if (results.has(`ferry (baseline build) ${mode}`))
        line.push(`${(ours / median(`ferry (baseline build) ${mode}`).seconds).toFixed(2)}x the baseline build's`);
      console.log(line.join(', '));
    }
    if (process.env.FERRY_BENCH_AIRGAP_LARGE !== '0')
      await memoryAtSize(source.host, destination.host, scratch, ferry, archiveMiB, results);
  } finally {
    await Promise.all([source.stop(), destination.stop()]);
  }
}

/**
 * The peak memory of packaging and importing 2 GiB beside the 320 MiB above, three runs each (a run's
 * peak moves by 10 MiB or more on this machine): flat, or it says how much the medians grew.
 */
async function memoryAtSize(
  sourceHost: string,
  destinationHost: string,
  scratch: string,
  ferry: (entry: string, mode: 'package' | 'unpackage', archive?: string) => Command,
  smallMiB: number,
  small: Map<string, Measurement[]>,
): Promise<void> {
  const registries = anonymousRegistries([sourceHost, destinationHost]);
  // 20 images x 2 platforms x 4 layers of 13 MiB: about 2 GiB.
  await seed(registries, sourceHost, 13 * 1024 * 1024);
  await registries.close();
  const entry = path.join(path.resolve(import.meta.dirname, '..'), 'dist', 'index.js');
  const large = new Map<string, Measurement[]>();
  for (let round = 0; round < 3; round++)
    for (const mode of ['package', 'unpackage'] as const)
      large.set(mode, [...(large.get(mode) ?? []), await measure(ferry(entry, mode, 'large.tar'))]);
  const largeMiB = statSync(path.join(scratch, 'workspace', 'large.tar')).size / 1024 / 1024;
  const peaks = (runs: readonly Measurement[]): number[] => runs.map((run) => run.peakMiB ?? 0).sort((a, b) => a - b);
  const medianPeak = (runs: readonly Measurement[]): number => peaks(runs)[Math.floor(runs.length / 2)] ?? 0;
  console.log(
    `  memory: ${smallMiB.toFixed(0)} MiB archive -> ${largeMiB.toFixed(0)} MiB archive, peak of three runs each, median (range)`,
  );
  for (const mode of ['package', 'unpackage']) {
    const [before, after] = [small.get(`ferry ${mode}`) ?? [], large.get(mode) ?? []];
    const range = (runs: readonly Measurement[]): string => `${peaks(runs)[0]?.toFixed(0)}-${peaks(runs).at(-1)?.toFixed(0)}`;
    console.log(
      `    ${mode} ${medianPeak(before).toFixed(0)} (${range(before)}) -> ${medianPeak(after).toFixed(0)} (${range(after)}) MiB, ${(medianPeak(after) - medianPeak(before)).toFixed(0)} MiB more; ${runTimes(after)} s at the larger size`,
    );
  }
}
