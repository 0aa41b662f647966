// What attesting costs: the 20 two-platform images of the relocate bench, relocated by dist/index.js
// with and without `attest: provenance` (a key from Node's crypto), alternately, three times each,
// every run into a fresh destination repository of docker-registry (no referrers API: the tag schema is
// written too). Printed: the requests each run made (from the registries' access logs), the extra
// requests per image, and attesting's share of the run's time; then a re-run, which adds none. Then the
// same into the test harness's registry that follows the distribution spec v1.1 (the referrers API,
// single-POST uploads; in this process, in memory), twice each: what attesting costs where a registry
// has both.
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { anonymousRegistries, scratchDir, startRegistry } from '../test/registry/harness.js';
import { startReferrersRegistry } from '../test/registry/referrers-registry.js';
import { measure, medianRun } from './measure.js';
import { ferryRelocate, images, requestLines, seed } from './relocate.js';

export async function benchAttest(): Promise<void> {
  const [source, destination] = await Promise.all([startRegistry(), startRegistry()]);
  const scratch = scratchDir('bench-attest');
  try {
    const registries = anonymousRegistries([source.host, destination.host]);
    await seed(registries, source.host);
    await registries.close();
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const workspace = path.join(scratch, 'workspace');
    mkdirSync(workspace);
    const manifest = Array.from({ length: images }, (_, image) => `- image: ${source.host}/bench/app-${image}:v1\n`).join('');
    let run = 0;
    /** A destination: its host, and how many requests it has answered so far. */
    type Destination = { readonly host: string; readonly answered: () => Promise<number> };
    const onDistribution: Destination = { host: destination.host, answered: async () => (await requestLines(destination)).length };
    const relocation = (attest: boolean, into: string, to: Destination) =>
      ferryRelocate({
        label: attest ? 'ferry relocate, attest: provenance' : 'ferry relocate',
        scratch,
        workspace,
        source: source.host,
        destination: to.host,
        before: () => writeFileSync(path.join(workspace, 'images.yaml'), manifest),
        inputs: {
          'INPUT_DEFAULT-REPO': `${to.host}/${into}`,
          ...(attest ? { INPUT_ATTEST: 'provenance', 'INPUT_ATTEST-KEY': key } : {}),
        },
      });
    const counted = async (attest: boolean, into = `run-${++run}`, to = onDistribution) => {
      const before = (await requestLines(source)).length + (await to.answered());
      const result = await measure(relocation(attest, into, to));
      return { ...result, requests: (await requestLines(source)).length + (await to.answered()) - before };
    };
    const plain: Awaited<ReturnType<typeof counted>>[] = [];
    const attested: Awaited<ReturnType<typeof counted>>[] = [];
    for (let round = 0; round < 3; round++) {
      plain.push(await counted(false));
      attested.push(await counted(true));
    }
    const again = await counted(true, `run-${run}`);
    const [without, withAttest] = [medianRun(plain), medianRun(attested)];
    console.log(`attest: ${images} two-platform images, relocated with a key's provenance, 3 runs each, alternating; medians`);
    for (const [label, result] of [
      ['ferry relocate', without],
      ['ferry relocate, attest: provenance', withAttest],
      ['the same again (all attested)', again],
    ] as const) {
      console.log(
        `  ${label.padEnd(36)} ${result.seconds.toFixed(2)} s, ${String(result.requests).padStart(5)} requests, peak ${result.peakMiB?.toFixed(0)} MiB`,
      );
    }
    console.log(
      `  requests per run: ${plain.map((r) => r.requests).join(', ')} without; ${attested.map((r) => r.requests).join(', ')} with`,
    );
    console.log(
      `  attesting: ${((withAttest.requests - without.requests) / images).toFixed(2)} extra requests per image (target: at most 2), ${(((withAttest.seconds - without.seconds) / without.seconds) * 100).toFixed(1)}% added to the run's time (target: under 10%)`,
    );

    // A registry with the referrers API and single-POST uploads, every run into a fresh repository.
    const spec = await startReferrersRegistry();
    try {
      const onSpec = (attest: boolean) => counted(attest, undefined, { host: spec.host, answered: async () => spec.requests.length });
      const specRuns = { plain: [await onSpec(false)], attested: [await onSpec(true)] };
      specRuns.plain.push(await onSpec(false));
      specRuns.attested.push(await onSpec(true));
      const requestsOf = (runs: { requests: number }[]) => runs.map((r) => r.requests).join(', ');
      const extra = Math.min(...specRuns.attested.map((r) => r.requests)) - Math.min(...specRuns.plain.map((r) => r.requests));
      console.log(
        `  on a registry with the referrers API and single-POST uploads: requests ${requestsOf(specRuns.plain)} without, ${requestsOf(specRuns.attested)} with: ${(extra / images).toFixed(2)} extra per image (the empty config's POST in each new repository among them)`,
      );
    } finally {
      await spec.stop();
    }
  } finally {
    await Promise.all([source.stop(), destination.stop()]);
  }
}
