// Relocation of 20 multi-platform images (2 platforms x 4 layers of 2 MiB; half OCI, half Docker)
// between two loopback registries: dist/index.js beside a sequential `skopeo copy --all` loop over the
// same images, then both again with everything already present. Wall time and requests counted from
// the registries' access logs.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Registries } from '../src/registry/registries.js';
import { type RunningRegistry, anonymousRegistries, scratchDir, settledLog, sha256, startRegistry } from '../test/registry/harness.js';
import { type Command, measure, medianRun, peer, runTimes } from './measure.js';

export const images = 20;
const platforms = ['linux/amd64', 'linux/arm64'];
const layersPerPlatform = 4;
const layerBytes = 2 * 1024 * 1024;

const types = {
  oci: {
    index: 'application/vnd.oci.image.index.v1+json',
    manifest: 'application/vnd.oci.image.manifest.v1+json',
    config: 'application/vnd.oci.image.config.v1+json',
    layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  },
  docker: {
    index: 'application/vnd.docker.distribution.manifest.list.v2+json',
    manifest: 'application/vnd.docker.distribution.manifest.v2+json',
    config: 'application/vnd.docker.container.image.v1+json',
    layer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  },
};

/** Seeds `images` two-platform images of 4 layers each (of `bytesPerLayer`, 2 MiB unless said). */
export async function seed(registries: Registries, host: string, bytesPerLayer = layerBytes): Promise<void> {
  const client = registries.client(host);
  for (let image = 0; image < images; image++) {
    const kind = image % 2 === 0 ? types.oci : types.docker;
    const repository = `bench/app-${image}`;
    const children = [];
    for (const platform of platforms) {
      const layers = Array.from({ length: layersPerPlatform }, () => randomBytes(bytesPerLayer));
      for (const layer of layers) await client.uploadBlob(repository, sha256(layer), layer.length, layer);
      const [os, architecture] = platform.split('/');
      const config = Buffer.from(JSON.stringify({ architecture, os, rootfs: { type: 'layers', diff_ids: layers.map(sha256) } }));
      await client.uploadBlob(repository, sha256(config), config.length, config);
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: kind.manifest,
          config: { mediaType: kind.config, digest: sha256(config), size: config.length },
          layers: layers.map((layer) => ({ mediaType: kind.layer, digest: sha256(layer), size: layer.length })),
        }),
      );
      await client.putManifest(repository, sha256(manifest), manifest, kind.manifest);
      children.push({ mediaType: kind.manifest, digest: sha256(manifest), size: manifest.length, platform: { os, architecture } });
    }
    const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: kind.index, manifests: children }));
    await client.putManifest(repository, 'v1', index, kind.index);
  }
}

/** CPU seconds a process has used so far (user + system), from /proc. */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export const requestLines = async (registry: RunningRegistry): Promise<string[]> =>
  (await settledLog(registry)).split('\n').filter((line) => /"(GET|HEAD|PUT|POST|PATCH|DELETE) \/v2\//.test(line));

/** dist/index.js relocating the workspace's images from `source` to `destination/ferry`, as the runner runs it. */
export function ferryRelocate(options: {
  label: string;
  scratch: string;
  workspace: string;
  source: string;
  destination: string;
  before?: (() => void) | undefined;
  inputs?: Record<string, string>;
}) {
  const { scratch } = options;
  return {
    label: options.label,
    argv: [process.execPath, path.join(path.resolve(import.meta.dirname, '..'), 'dist', 'index.js')],
    env: {
      GITHUB_WORKSPACE: options.workspace,
      GITHUB_OUTPUT: path.join(scratch, 'output'),
      GITHUB_STEP_SUMMARY: path.join(scratch, 'summary'),
      INPUT_MODE: 'relocate',
      'INPUT_DEFAULT-REPO': `${options.destination}/ferry`,
      'INPUT_INSECURE-REGISTRIES': `${options.source},${options.destination}`,
      ...(process.env.FERRY_BENCH_CONCURRENCY === undefined ? {} : { INPUT_CONCURRENCY: process.env.FERRY_BENCH_CONCURRENCY }),
      ...options.inputs,
    },
    before: () => {
      writeFileSync(path.join(scratch, 'output'), '');
      writeFileSync(path.join(scratch, 'summary'), '');
      options.before?.();
    },
  };
}

/** `skopeo copy --all` of every seeded image on `source`, one after another, to the place `target` names. */
export function skopeoLoop(source: string, label: string, flags: string, target: (image: number) => string): Command {
  return {
    label,
    argv: [
      'sh',
      '-c',
      Array.from(
        { length: images },
        (_, image) =>
          `skopeo --insecure-policy copy --quiet --all ${flags} --src-tls-verify=false docker://${source}/bench/app-${image}:v1 ${target(image)}`,
      ).join(' && '),
    ],
  };
}

/**
 * The raw-copy floor (bench/raw-copy.mjs): every blob streamed GET to POST + PUT with ferry's default
 * concurrency and nothing checked, into `<destination>/<prefix>/app-N`.
 */
export function rawCopy(source: string, destination: string, prefix: string): Command {
  return {
    label: 'raw copy (floor)',
    argv: [process.execPath, path.join(import.meta.dirname, 'raw-copy.mjs'), source, destination, prefix, String(images), '8'],
  };
}

export async function benchRelocate(): Promise<void> {
  const [source, destination] = await Promise.all([startRegistry(), startRegistry()]);
  const scratch = scratchDir('bench-relocate');
  try {
    const registries = anonymousRegistries([source.host, destination.host]);
    await seed(registries, source.host);
    await registries.close();

    const workspace = path.join(scratch, 'workspace');
    mkdirSync(workspace);
    const manifest = Array.from({ length: images }, (_, image) => `- image: ${source.host}/bench/app-${image}:v1\n`).join('');
    const reset = (): void => writeFileSync(path.join(workspace, 'images.yaml'), manifest);
    const ferry = (label: string, before?: () => void, inputs: Record<string, string> = {}) =>
      ferryRelocate({ label, scratch, workspace, source: source.host, destination: destination.host, before, inputs });
    const skopeoCopies = skopeoLoop(
      source.host,
      'skopeo copy --all, one image after another',
      '--preserve-digests --dest-tls-verify=false',
      (image) => `docker://${destination.host}/skopeo/app-${image}:v1`,
    );
    const registryCpu = (): number => cpuSeconds(source.pid) + cpuSeconds(destination.pid);
    const counted = async (command: Parameters<typeof measure>[0]) => {
      const before = (await requestLines(source)).length + (await requestLines(destination)).length;
      const cpuBefore = registryCpu();
      const result = await measure(command);
      return {
        ...result,
        requests: (await requestLines(source)).length + (await requestLines(destination)).length - before,
        registryCpu: registryCpu() - cpuBefore,
      };
    };

    // The first copy three times each, alternating, every run into fresh repositories; medians. The
    // last ferry run fills the repositories the re-runs below find.
    const crane = peer('crane');
    const craneLoop = (prefix: string): Command => ({
      label: 'crane copy, one image after another',
      argv: [
        'sh',
        '-c',
        Array.from(
          { length: images },
          (_, image) => `${crane} copy --insecure ${source.host}/bench/app-${image}:v1 ${destination.host}/${prefix}/app-${image}:v1`,
        ).join(' && '),
      ],
    });
    type Counted = Awaited<ReturnType<typeof counted>>;
    const firsts: Record<'floor' | 'ferry' | 'crane', Counted[]> = { floor: [], ferry: [], crane: [] };
    for (let round = 1; round <= 3; round++) {
      firsts.floor.push(await counted(rawCopy(source.host, destination.host, `raw-${round}`)));
      firsts.ferry.push(
        await counted(ferry('ferry', reset, round === 3 ? {} : { 'INPUT_DEFAULT-REPO': `${destination.host}/ferry-${round}` })),
      );
      if (crane !== undefined) firsts.crane.push(await counted(craneLoop(`crane-${round}`)));
    }
    const floor = medianRun(firsts.floor);
    const rows: [string, Counted][] = [];
    rows.push([`raw copy, nothing checked (${runTimes(firsts.floor)})`, floor]);
    rows.push([`ferry relocate, first copy (${runTimes(firsts.ferry)})`, medianRun(firsts.ferry)]);
    rows.push(['skopeo loop, first copy', await counted(skopeoCopies)]);
    rows.push(['ferry re-run on its rewritten manifests', await counted(ferry('ferry re-run'))]);
    rows.push(['ferry re-run from a fresh checkout (tags)', await counted(ferry('ferry fresh', reset))]);
    rows.push([
      'ferry re-run, fresh checkout, artifacts: none',
      await counted(ferry('ferry fresh none', reset, { INPUT_ARTIFACTS: 'none' })),
    ]);
    rows.push(['skopeo loop, everything present', await counted(skopeoCopies)]);

    const mib = (images * platforms.length * layersPerPlatform * layerBytes) / 1024 / 1024;
    console.log(
      `relocate: ${images} images, ${platforms.length} platforms x ${layersPerPlatform} layers of 2 MiB (${mib} MiB), half OCI, half Docker`,
    );
    for (const [label, result] of rows) {
      console.log(
        `  ${label.padEnd(44)} ${result.seconds.toFixed(2)} s, ${String(result.requests).padStart(5)} requests, registries ${result.registryCpu.toFixed(1)} CPU-s${result.peakMiB === undefined ? '' : `, peak ${result.peakMiB.toFixed(0)} MiB`}`,
      );
    }
    const [, first, skopeoFirst, rerun, fresh, freshBare, skopeoAgain] = rows.map(([, result]) => result);
    if (first && skopeoFirst && rerun && fresh && freshBare && skopeoAgain) {
      const craneFirst = firsts.crane.length === 3 ? medianRun(firsts.crane) : undefined;
      if (craneFirst !== undefined)
        console.log(
          `  crane loop, first copy (${runTimes(firsts.crane)}): median ${craneFirst.seconds.toFixed(2)} s, ${craneFirst.requests} requests, ${(craneFirst.seconds / floor.seconds).toFixed(2)}x the floor`,
        );
      console.log(
        `  first copy, medians of 3: ferry ${(first.seconds / floor.seconds).toFixed(2)}x the raw-copy floor (target within 1.05x)${craneFirst === undefined ? '' : `, ${(first.seconds / craneFirst.seconds).toFixed(2)}x the crane loop`}`,
      );
      console.log(
        `  supply chain: ${((fresh.requests - freshBare.requests) / images).toFixed(2)} extra requests per image to look for signatures, attestations and SBOMs when there are none (target: at most 2)`,
      );
      console.log(`  first copy: ferry ${(skopeoFirst.seconds / first.seconds).toFixed(2)}x faster than the skopeo loop`);
      console.log(
        `  everything present: ferry ${(skopeoAgain.seconds / rerun.seconds).toFixed(2)}x faster; ${rerun.requests} requests for ${images} images and 1 registry (fresh checkout: ${fresh.requests})`,
      );
    }

    // package: the same images into one archive, twice (with the Actions cache, the second would be
    // filled from the blob store it restores; off GitHub there is none); beside skopeo writing one
    // oci-archive per image.
    const runnerTemp = path.join(scratch, 'runner-temp');
    mkdirSync(runnerTemp);
    const packageRun = (label: string, archive: string) => {
      const command = ferry(label, reset);
      return { ...command, env: { ...command.env, INPUT_MODE: 'package', INPUT_ARCHIVE: archive, RUNNER_TEMP: runnerTemp } };
    };
    const packaged = await counted(packageRun('ferry package', 'images.tar'));
    const again = await counted(packageRun('ferry package again', 'again.tar'));
    const archivesDir = path.join(scratch, 'skopeo-archives');
    mkdirSync(archivesDir);
    const skopeoArchives = await counted(
      skopeoLoop(source.host, 'skopeo oci-archive loop', '', (image) => `oci-archive:${archivesDir}/app-${image}.tar:app`),
    );
    const archiveMiB = statSync(path.join(workspace, 'images.tar')).size / 1024 / 1024;
    console.log(`package: the same ${images} images into one archive (${archiveMiB.toFixed(0)} MiB)`);
    for (const [label, result] of [
      ['ferry package', packaged],
      ['ferry package, again', again],
      ['skopeo copy to oci-archive, one per image', skopeoArchives],
    ] as const) {
      const memory = result.peakMiB === undefined ? '' : `, peak ${result.peakMiB.toFixed(0)} MiB`;
      console.log(
        `  ${label.padEnd(44)} ${result.seconds.toFixed(2)} s, ${(archiveMiB / result.seconds).toFixed(0)} MiB/s, ${String(result.requests).padStart(5)} requests${memory}`,
      );
    }
    console.log(
      `  ferry/skopeo: ${(skopeoArchives.seconds / packaged.seconds).toFixed(2)}x faster (off GitHub no blob store is kept, so a second packaging pulls again: ${again.seconds.toFixed(2)} s)`,
    );
  } finally {
    await Promise.all([source.stop(), destination.stop()]);
  }
}
