// The fault schedule (every 7th request 503, every 11th 429 with Retry-After: 1, every 5th blob
// GET cut mid-body) in front of both registries, through dist/index.js: relocate, package (source side)
// and unpackage (destination side) succeed every time, and skopeo, talking to the registries directly,
// reads back every destination digest. A run that fails after pushing says what is complete there.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type FaultProxy, faultSchedule, noFaults, startFaultProxy } from '../registry/fault-proxy.js';
import { type RunningRegistry, ociLayout, scratchDir, sha256, skopeoCopy, skopeoRaw, startRegistry } from '../registry/harness.js';
import { runAction } from './action.js';

describe('relocation under the fault schedule', () => {
  let source: RunningRegistry;
  let destination: RunningRegistry;
  let sourceProxy: FaultProxy;
  let destinationProxy: FaultProxy;
  const digests = new Map<string, string>();
  const names = ['web:v1', 'worker:v1', 'tools:v2'];

  before(async () => {
    [source, destination] = await Promise.all([startRegistry(), startRegistry()]);
    [sourceProxy, destinationProxy] = await Promise.all([
      startFaultProxy(source.host, noFaults),
      startFaultProxy(destination.host, noFaults),
    ]);
    for (const name of names) {
      const image = ociLayout([200_000, 150_000, 90_000], ['linux/amd64', 'linux/arm64']);
      await skopeoCopy(image.reference, `${source.host}/team/${name}`, {}, ['--all', '--preserve-digests']);
      digests.set(name, sha256(await skopeoRaw(`${source.host}/team/${name}`, {})));
    }
  });
  after(async () => {
    await Promise.all([sourceProxy.stop(), destinationProxy.stop()]);
    await Promise.all([source.stop(), destination.stop()]);
  });

  function workspace(extra: string[] = []): string {
    const dir = scratchDir('faults-ws');
    mkdirSync(path.join(dir, 'k8s'));
    const images = [...names.map((name) => `${sourceProxy.host}/team/${name}`), ...extra];
    writeFileSync(path.join(dir, 'k8s', 'app.yaml'), `spec:\n  containers:\n${images.map((image) => `  - image: ${image}\n`).join('')}`);
    return dir;
  }

  const inputs = (extra: Record<string, string>): Record<string, string> => ({
    'insecure-registries': `${sourceProxy.host},${destinationProxy.host}`,
    concurrency: '4',
    ...extra,
  });

  /** Every image at the destination, read by skopeo from the registry itself, past the proxy. */
  async function assertAtDestination(outputs: Record<string, string>, repository: string): Promise<void> {
    const images = JSON.parse(outputs.images ?? '[]') as { image: string; newImage: string; digest: string }[];
    assert.equal(images.length, names.length);
    for (const image of images) {
      assert.ok(image.newImage.startsWith(`${destinationProxy.host}/${repository}`), image.newImage);
      const direct = image.newImage.replace(destinationProxy.host, destination.host);
      const name = image.image.split('/team/')[1] ?? '';
      assert.equal(sha256(await skopeoRaw(direct, {})), digests.get(name), direct);
    }
  }

  it('relocate succeeds with faults on both sides', async () => {
    sourceProxy.schedule = faultSchedule;
    destinationProxy.schedule = faultSchedule;
    const before = { source: { ...sourceProxy.counts }, destination: { ...destinationProxy.counts } };
    const run = await runAction(workspace(), inputs({ mode: 'relocate', 'default-repo': `${destinationProxy.host}/mirror` }));
    assert.equal(run.code, 0, run.stdout);
    const injected = sourceProxy.counts.injected - before.source.injected + destinationProxy.counts.injected - before.destination.injected;
    assert.ok(injected >= 5, `faults injected: ${injected}`);
    assert.ok(sourceProxy.counts.cut > before.source.cut, 'some blob reads were cut');
    await assertAtDestination(run.outputs, 'mirror');
  });

  it('package succeeds with faults at the source, and unpackage with faults at the destination', async () => {
    sourceProxy.schedule = faultSchedule;
    destinationProxy.schedule = noFaults;
    const dir = workspace();
    const packaged = await runAction(dir, inputs({ mode: 'package', archive: 'release.tar' }), { RUNNER_TEMP: scratchDir('runner-temp') });
    assert.equal(packaged.code, 0, packaged.stdout);

    sourceProxy.schedule = noFaults;
    destinationProxy.schedule = faultSchedule;
    const before = destinationProxy.counts.injected;
    const imported = await runAction(
      dir,
      inputs({ mode: 'unpackage', archive: 'release.tar', 'default-repo': `${destinationProxy.host}/site` }),
    );
    assert.equal(imported.code, 0, imported.stdout);
    assert.ok(destinationProxy.counts.injected > before, 'faults were injected at the destination');
    await assertAtDestination(imported.outputs, 'site');
  });

  it('a cancel (SIGINT) while the tags are put waits for the commit: every tag and file, then the run ends by the signal', async () => {
    sourceProxy.schedule = noFaults;
    destinationProxy.schedule = noFaults;
    const dir = workspace();
    const seen = destinationProxy.counts.tagPuts;
    // The runner's first signal, sent as soon as the first tag is asked for, while that tag is held.
    destinationProxy.tagPutDelayMs = 300;
    const run = await runAction(
      dir,
      inputs({ mode: 'relocate', 'default-repo': `${destinationProxy.host}/held` }),
      {},
      {
        killWhen: () => destinationProxy.counts.tagPuts > seen,
        killSignal: 'SIGINT',
      },
    ).finally(() => (destinationProxy.tagPutDelayMs = 0));
    assert.equal(run.signal, 'SIGINT', run.stdout);
    assert.match(run.stdout, /::notice::SIGINT: the job is being cancelled; the commit's tags and files are finished first/);
    const written = [...readFileSync(path.join(dir, 'k8s', 'app.yaml'), 'utf8').matchAll(/image: (\S+)/g)].map((match) => match[1] ?? '');
    assert.equal(written.length, names.length);
    for (const [index, name] of names.entries()) {
      const pinned = written[index] ?? '';
      assert.ok(pinned.startsWith(`${destinationProxy.host}/held/`) && pinned.endsWith(`@${digests.get(name)}`), pinned);
      // The tag is there too, read from the registry itself.
      const repository = pinned.slice(destinationProxy.host.length, pinned.search(/[:@][^/]*$/));
      const tag = name.split(':')[1] ?? '';
      assert.equal(sha256(await skopeoRaw(`${destination.host}${repository}:${tag}`, {})), digests.get(name), `${repository}:${tag}`);
    }
  });

  it('a run that fails after pushing lists what is complete at the destination, untagged, and a re-run finishes', async () => {
    sourceProxy.schedule = noFaults;
    destinationProxy.schedule = noFaults;
    // An image whose manifest is there and one of whose layers is not: it fails in the middle of its
    // copy, after the others are pushed (a tag that does not resolve fails before anything is).
    await skopeoCopy(ociLayout([70_001]).reference, `${source.host}/team/broken:v1`, {}, ['--preserve-digests']);
    const broken = JSON.parse((await skopeoRaw(`${source.host}/team/broken:v1`, {})).toString()) as { layers: { digest: string }[] };
    const hex = (broken.layers[0]?.digest ?? '').replace('sha256:', '');
    rmSync(path.join(source.dataDir, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex), { recursive: true });
    const dir = workspace([`${sourceProxy.host}/team/broken:v1`]);
    const failed = await runAction(dir, inputs({ mode: 'relocate', 'default-repo': `${destinationProxy.host}/partial` }));
    assert.equal(failed.code, 1);
    assert.match(failed.stdout, new RegExp(`::error[^\\n]*team/broken:v1: [^\\n]*${hex.slice(0, 12)}`));
    assert.match(
      failed.stdout,
      /::notice title=ferry%3A complete%2C untagged::3 images are complete at the destination, pushed by digest and untagged/,
    );
    for (const name of names)
      assert.match(failed.stdout, new RegExp(`team/${name.replace('.', '\\.')} -> [^,]*partial/[^,@]*@${digests.get(name)}`));

    // Fixed, the re-run skips what is there and finishes the set.
    const fixed = workspace();
    const again = await runAction(fixed, inputs({ mode: 'relocate', 'default-repo': `${destinationProxy.host}/partial` }));
    assert.equal(again.code, 0, again.stdout);
    await assertAtDestination(again.outputs, 'partial');
  });
});
