// What verifying costs: the 20 two-platform images of the relocate bench, each signed with a key
// (cosign's `.sig` tag), relocated by dist/index.js with and without `verify: signature`, alternately,
// three times each, every run into a fresh destination repository. Printed: the requests each run
// made (from the registries' access logs), the extra requests per image, and verification's share of
// the run's time.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { anonymousRegistries, scratchDir, startRegistry } from '../test/registry/harness.js';
import { keyPair, keySigner, pushCosignSignature } from '../test/verify/signing.js';
import { measure, medianRun } from './measure.js';
import { cpuSeconds, ferryRelocate, images, requestLines, seed } from './relocate.js';

export async function benchVerify(): Promise<void> {
  const [source, destination] = await Promise.all([startRegistry(), startRegistry()]);
  const scratch = scratchDir('bench-verify');
  try {
    const registries = anonymousRegistries([source.host, destination.host]);
    await seed(registries, source.host);
    const key = keyPair('ecdsa-p256');
    const client = registries.client(source.host);
    for (let image = 0; image < images; image++) {
      const repository = `bench/app-${image}`;
      const { descriptor } = await client.getManifest(repository, 'v1');
      await pushCosignSignature(client, repository, descriptor.digest, keySigner(key));
    }
    await registries.close();
    const keyFile = path.join(scratch, 'cosign.pub');
    writeFileSync(keyFile, key.publicPem);

    const workspace = path.join(scratch, 'workspace');
    mkdirSync(workspace);
    const manifest = Array.from({ length: images }, (_, image) => `- image: ${source.host}/bench/app-${image}:v1\n`).join('');
    let run = 0;
    const relocation = (verify: boolean) => {
      run++;
      return ferryRelocate({
        label: verify ? 'ferry relocate, verify: signature' : 'ferry relocate',
        scratch,
        workspace,
        source: source.host,
        destination: destination.host,
        before: () => writeFileSync(path.join(workspace, 'images.yaml'), manifest),
        inputs: {
          'INPUT_DEFAULT-REPO': `${destination.host}/run-${run}`,
          ...(verify ? { INPUT_VERIFY: 'signature', 'INPUT_VERIFY-KEY': keyFile } : {}),
        },
      });
    };
    const counted = async (verify: boolean) => {
      const before = (await requestLines(source)).length + (await requestLines(destination)).length;
      const cpu = cpuSeconds(source.pid) + cpuSeconds(destination.pid);
      const result = await measure(relocation(verify));
      return {
        ...result,
        requests: (await requestLines(source)).length + (await requestLines(destination)).length - before,
        registryCpu: cpuSeconds(source.pid) + cpuSeconds(destination.pid) - cpu,
      };
    };
    const plain: Awaited<ReturnType<typeof counted>>[] = [];
    const verified: Awaited<ReturnType<typeof counted>>[] = [];
    for (let round = 0; round < 3; round++) {
      plain.push(await counted(false));
      verified.push(await counted(true));
    }
    const [without, withVerify] = [medianRun(plain), medianRun(verified)];
    console.log(`verify: ${images} two-platform images, each signed with a key (cosign .sig), 3 runs each, alternating; medians`);
    for (const [label, result] of [
      ['ferry relocate', without],
      ['ferry relocate, verify: signature', withVerify],
    ] as const) {
      console.log(
        `  ${label.padEnd(36)} ${result.seconds.toFixed(2)} s, ${String(result.requests).padStart(5)} requests, peak ${result.peakMiB?.toFixed(0)} MiB`,
      );
    }
    console.log(
      `  requests per run: ${plain.map((r) => r.requests).join(', ')} without; ${verified.map((r) => r.requests).join(', ')} with`,
    );
    console.log(
      `  verification: ${((withVerify.requests - without.requests) / images).toFixed(2)} extra requests per image (target: at most 1 beyond artifact discovery), ${(((withVerify.seconds - without.seconds) / withVerify.seconds) * 100).toFixed(1)}% of the run's time (target: under 5%)`,
    );
  } finally {
    await Promise.all([source.stop(), destination.stop()]);
  }
}
