// Relocation across a wide-area link: the relocate benchmark's 20 images between two loopback
// registries, each behind the project's delaying proxy (bench/link.ts: half a round trip each way,
// a rate cap per connection). ferry with its default inputs against a sequential `skopeo copy --all`
// loop and `imgpkg copy --lock` (when FERRY_BENCH_PEERS names it), both first copy and with everything
// present. Printed beside the link's limit for the run:
// the bytes each link carried over (its most connections in use x the rate), plus the shortest chain
// of round trips one image needs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { anonymousRegistries, scratchDir, startRegistry } from '../test/registry/harness.js';
import { type Link, startLink } from './link.js';
import { measure, peer } from './measure.js';
import { cpuSeconds, ferryRelocate, images, rawCopy, requestLines, seed, skopeoLoop } from './relocate.js';

const roundTripMs = Number(process.env.FERRY_BENCH_RTT_MS ?? '40');
const rateMbit = Number(process.env.FERRY_BENCH_RATE_MBIT ?? '200');
/** Round trips one image needs at the least: HEAD the tag, GET the index, GET a child, HEAD a blob, POST, PUT it, PUT the child, PUT the index. */
const shortestChain = 8;

export async function benchWan(): Promise<void> {
  const [source, destination] = await Promise.all([startRegistry(), startRegistry()]);
  const links: Link[] = [];
  const scratch = scratchDir('bench-wan');
  try {
    const registries = anonymousRegistries([source.host, destination.host]);
    await seed(registries, source.host);
    const digests = await Promise.all(
      Array.from({ length: images }, async (_, image) => (await registries.client(source.host).resolve(`bench/app-${image}`, 'v1')).digest),
    );
    await registries.close();
    const linkTo = (host: string) =>
      startLink({
        target: { host: '127.0.0.1', port: Number(host.split(':')[1]) },
        roundTripMs,
        rateBitsPerSecond: rateMbit * 1e6,
      });
    const [far, farDestination] = await Promise.all([linkTo(source.host), linkTo(destination.host)]);
    links.push(far, farDestination);

    const workspace = path.join(scratch, 'workspace');
    mkdirSync(workspace);
    const manifest = Array.from({ length: images }, (_, image) => `- image: ${far.host}/bench/app-${image}:v1\n`).join('');
    const reset = (): void => writeFileSync(path.join(workspace, 'images.yaml'), manifest);
    const ferry = (label: string) =>
      ferryRelocate({ label, scratch, workspace, source: far.host, destination: farDestination.host, before: reset });
    const skopeoCopies = skopeoLoop(
      far.host,
      'skopeo loop',
      '--preserve-digests --dest-tls-verify=false',
      (image) => `docker://${farDestination.host}/skopeo/app-${image}:v1`,
    );
    // imgpkg relocates what an ImagesLock pins, every image into one repository.
    const imgpkg = peer('imgpkg');
    const imagesLock = path.join(scratch, 'images.lock.yml');
    writeFileSync(
      imagesLock,
      `apiVersion: imgpkg.carvel.dev/v1alpha1\nkind: ImagesLock\nimages:\n${digests.map((digest, image) => `- image: ${far.host}/bench/app-${image}@${digest}\n`).join('')}`,
    );
    const imgpkgCopies =
      imgpkg === undefined
        ? undefined
        : {
            label: 'imgpkg copy',
            argv: [imgpkg, 'copy', '--lock', imagesLock, '--to-repo', `${farDestination.host}/imgpkg/all`, '--registry-insecure'],
          };
    const counted = async (command: Parameters<typeof measure>[0]) => {
      const before = (await requestLines(source)).length + (await requestLines(destination)).length;
      const sourceBefore = (await requestLines(source)).length;
      for (const link of links) link.reset();
      const cpuBefore = cpuSeconds(source.pid) + cpuSeconds(destination.pid);
      const proxyBefore = process.cpuUsage();
      const result = await measure(command);
      const registryCpu = cpuSeconds(source.pid) + cpuSeconds(destination.pid) - cpuBefore;
      const proxyUsage = process.cpuUsage(proxyBefore);
      const proxyCpu = (proxyUsage.user + proxyUsage.system) / 1e6;
      const requests = (await requestLines(source)).length + (await requestLines(destination)).length - before;
      const sourceRequests = (await requestLines(source)).length - sourceBefore;
      // Each link carries its share at most (connections in use x rate); the slower link bounds the run.
      const linkSeconds = Math.max(
        ...links.map((link) => {
          const { bytes, maxConnections } = link.stats();
          return bytes / Math.max(1, maxConnections) / ((rateMbit * 1e6) / 8);
        }),
      );
      const limit = linkSeconds + (shortestChain * roundTripMs) / 1000;
      return {
        ...result,
        requests,
        sourceRequests,
        limit,
        registryCpu,
        proxyCpu,
        connections: links.map((link) => link.stats().maxConnections),
      };
    };

    const rows = [
      ['raw copy: GET to POST + PUT, nothing checked', await counted(rawCopy(far.host, farDestination.host, 'raw'))],
      ['ferry relocate, first copy', await counted(ferry('ferry'))],
      ['skopeo loop, first copy', await counted(skopeoCopies)],
      ['ferry, everything present (fresh checkout)', await counted(ferry('ferry again'))],
      ['skopeo loop, everything present', await counted(skopeoCopies)],
    ] as const;
    const imgpkgRows =
      imgpkgCopies === undefined
        ? []
        : ([
            ['imgpkg copy --lock, first copy', await counted(imgpkgCopies)],
            ['imgpkg copy --lock, everything present', await counted(imgpkgCopies)],
          ] as const);
    console.log(`wan: ${images} two-platform images (320 MiB), ${roundTripMs} ms round trip, ${rateMbit} Mbit/s per connection`);
    for (const [label, result] of [...rows, ...imgpkgRows]) {
      console.log(
        `  ${label.padEnd(44)} ${result.seconds.toFixed(2)} s, ${String(result.requests).padStart(5)} requests (${result.sourceRequests} to the source), link limit ${result.limit.toFixed(2)} s (${(result.seconds / result.limit).toFixed(2)}x it; connections ${result.connections.join(' + ')}); CPU: registries ${result.registryCpu.toFixed(1)} s, proxies ${result.proxyCpu.toFixed(1)} s${result.cpuSeconds === undefined ? '' : `, itself ${result.cpuSeconds.toFixed(1)} s`}`,
      );
    }
    const [[, floor], [, first], [, skopeoFirst], [, again], [, skopeoAgain]] = rows;
    const [imgpkgFirst, imgpkgAgain] = imgpkgRows.map(([, result]) => result);
    console.log(
      `  first copy: ferry ${(first.seconds / skopeoFirst.seconds).toFixed(2)}x the skopeo loop's time${imgpkgFirst === undefined ? '' : `, ${(first.seconds / imgpkgFirst.seconds).toFixed(2)}x imgpkg's`}, ${(first.seconds / first.limit).toFixed(2)}x the link's limit (target within 2x), ${(first.seconds / floor.seconds).toFixed(2)}x the raw copy through the same links`,
    );
    const cores = availableParallelism();
    const busy = (result: typeof first): number => result.registryCpu + result.proxyCpu + (result.cpuSeconds ?? 0);
    console.log(
      `  this machine has ${cores} cores: registries, proxies and ferry used ${busy(first).toFixed(1)} CPU-s during ferry's first copy, at least ${(busy(first) / cores).toFixed(2)} s of wall time (ferry ${(first.seconds / (busy(first) / cores)).toFixed(2)}x that); the raw copy ${busy(floor).toFixed(1)} CPU-s`,
    );
    console.log(
      `  everything present: ferry ${(again.seconds / skopeoAgain.seconds).toFixed(2)}x the skopeo loop's time${imgpkgAgain === undefined ? '' : `, ${(again.seconds / imgpkgAgain.seconds).toFixed(2)}x imgpkg's (target at most 0.10x)`}; ${again.requests} requests in ${again.seconds.toFixed(2)} s, the longest chain of dependent round trips at most ${Math.floor((again.seconds * 1000) / roundTripMs)} (the run's time over the round trip, start-up included)`,
    );
  } finally {
    await Promise.all(links.map((link) => link.stop()));
    await Promise.all([source.stop(), destination.stop()]);
  }
}
