// The air-gapped path at scale, through dist/index.js: an archive in parts (the parts joined with cat
// are the archive written whole; unpackage reads them; a missing or short part is named before any
// push), and a package run killed with SIGKILL part way, resumed by the next run, which fetches only
// what the first had not written and ends with the archive an uninterrupted run writes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type FaultProxy, noFaults, startFaultProxy } from '../registry/fault-proxy.js';
import {
  type RunningRegistry,
  ociLayout,
  scratchDir,
  settledLog,
  sha256,
  skopeo,
  skopeoCopy,
  skopeoRaw,
  startRegistry,
} from '../registry/harness.js';
import { runAction } from './action.js';

const images = 10;
const layerBytes = 300_000;

describe('dist/index.js: archives in parts, and packaging resumed', () => {
  let source: RunningRegistry;
  let destination: RunningRegistry;
  let proxy: FaultProxy;
  let workspace: string;
  const digests: string[] = [];

  before(async () => {
    [source, destination] = await Promise.all([startRegistry(), startRegistry()]);
    for (let n = 0; n < images; n++) {
      await skopeoCopy(ociLayout([layerBytes]).reference, `${source.host}/team/app${n}:v1`, {}, ['--preserve-digests']);
      digests.push(sha256(await skopeoRaw(`${source.host}/team/app${n}:v1`, {})));
    }
    proxy = await startFaultProxy(source.host, noFaults);
    workspace = scratchDir('airgap-scale');
    mkdirSync(path.join(workspace, 'k8s'));
    writeFileSync(
      path.join(workspace, 'k8s', 'apps.yaml'),
      Array.from({ length: images }, (_, n) => `- image: ${proxy.host}/team/app${n}:v1\n`).join(''),
    );
  });
  after(async () => {
    await proxy.stop();
    await Promise.all([source.stop(), destination.stop()]);
  });

  const inputs = (extra: Record<string, string>): Record<string, string> => ({
    manifests: 'k8s/*.yaml',
    'insecure-registries': `${proxy.host},${destination.host}`,
    mode: 'package',
    ...extra,
  });
  const temp = (): Record<string, string> => ({ RUNNER_TEMP: scratchDir('runner-temp') });

  it('writes parts whose concatenation is the archive written whole, and unpackage reads them as one archive', async () => {
    const whole = await runAction(workspace, inputs({ archive: 'whole/images.tar' }), temp());
    assert.equal(whole.code, 0, whole.stdout);
    const parted = await runAction(workspace, inputs({ archive: 'parted/images.tar', 'archive-part-size': '1MiB' }), temp());
    assert.equal(parted.code, 0, parted.stdout);
    const parts = JSON.parse(parted.outputs['archive-files'] ?? '[]') as string[];
    const wholeSize = statSync(path.join(workspace, 'whole', 'images.tar')).size;
    assert.equal(parts.length, Math.ceil(wholeSize / (1024 * 1024)));
    assert.deepEqual(
      parts.map((part) => path.basename(part)),
      parts.map((_, at) => `images.tar.${String(at + 1).padStart(3, '0')}`),
    );
    assert.ok(!existsSync(path.join(workspace, 'parted', 'images.tar')), 'no single file');
    const joined = execFileSync('sh', ['-c', 'cat images.tar.*'], { cwd: path.join(workspace, 'parted'), maxBuffer: 64 * 1024 * 1024 });
    assert.ok(joined.equals(readFileSync(path.join(workspace, 'whole', 'images.tar'))), 'cat of the parts is the archive written whole');
    for (const part of parts) assert.match(parted.stdout, new RegExp(`wrote ${part.replace(/[.]/g, '\\.')}`));
    assert.match(parted.summary, new RegExp(`Written in ${parts.length} parts, images\\.tar\\.001 to images\\.tar\\.00${parts.length}`));

    const imported = await runAction(
      workspace,
      { ...inputs({ archive: 'parted/images.tar' }), mode: 'unpackage', 'default-repo': `${destination.host}/site`, 'output-dir': 'out' },
      temp(),
    );
    assert.equal(imported.code, 0, imported.stdout);
    assert.match(imported.stdout, new RegExp(`parted/images\\.tar in ${parts.length} parts: oci-layout, ${images} images`));
    const rewritten = readFileSync(path.join(workspace, 'out', 'k8s', 'apps.yaml'), 'utf8');
    for (const digest of digests) assert.ok(rewritten.includes(`@${digest}`), rewritten);
  });

  it('names a part that is missing or cut short, before pushing anything', async () => {
    const dir = path.join(workspace, 'parted');
    const parts = readdirSync(dir).sort();
    assert.ok(parts.length >= 3, parts.join(' '));
    const before = (await settledLog(destination)).length;
    const unpack = (): Promise<Awaited<ReturnType<typeof runAction>>> =>
      runAction(
        workspace,
        { ...inputs({ archive: 'parted/images.tar' }), mode: 'unpackage', 'default-repo': `${destination.host}/broken` },
        temp(),
      );

    const second = path.join(dir, parts[1] as string);
    renameSync(second, `${second}.aside`);
    const missing = await unpack();
    renameSync(`${second}.aside`, second);
    assert.notEqual(missing.code, 0);
    assert.match(
      missing.stdout,
      new RegExp(`${parts[1]?.replace('.', '\\.')} is missing: the parts of .*images\\.tar go on at .*${parts[2]?.replace('.', '\\.')}`),
    );

    const original = readFileSync(second);
    truncateSync(second, original.length - 4096);
    const short = await unpack();
    writeFileSync(second, original);
    assert.notEqual(short.code, 0);
    assert.match(
      short.stdout,
      new RegExp(`${parts[1]?.replace('.', '\\.')}: ${original.length - 4096} bytes, where every part but the last`),
    );

    const last = path.join(dir, parts.at(-1) as string);
    const lastBytes = readFileSync(last);
    renameSync(last, `${last}.aside`);
    const noLast = await unpack();
    renameSync(`${last}.aside`, last);
    assert.notEqual(noLast.code, 0);
    assert.match(noLast.stdout, /a part after the last may be missing, or the last cut short/);
    assert.ok(lastBytes.length > 0);

    const log = (await settledLog(destination)).slice(before);
    assert.ok(!/(PUT|POST|PATCH) \/v2\/broken/.test(log), 'nothing was pushed');
  });

  it('resumes a package run killed with SIGKILL: the next run fetches only what was not written, and the archive is the same', async () => {
    const blobs = images * 2; // a layer and a config each
    const journal = path.join(workspace, '.resumed.tar.partial-blobs');
    const written = (): number =>
      existsSync(journal)
        ? readFileSync(journal, 'utf8')
            .split('\n')
            .filter((line) => /^sha256:[a-f0-9]{64}$/.test(line)).length
        : 0;
    // A slow link, one blob at a time: the run is killed once 60 % of its blobs are in place.
    proxy.blobBytesPerSecond = 2_000_000;
    const killed = await runAction(workspace, inputs({ archive: 'resumed.tar', concurrency: '1' }), temp(), {
      killWhen: () => written() >= Math.ceil(blobs * 0.6),
    });
    proxy.blobBytesPerSecond = 0;
    assert.equal(killed.code, null, `the run was killed: ${killed.stdout}`);
    assert.ok(!existsSync(path.join(workspace, 'resumed.tar')), 'no archive in place after a kill');
    const kept = written();
    assert.ok(kept >= Math.ceil(blobs * 0.6) && kept < blobs, `${kept} of ${blobs} blobs were written before the kill`);

    const logBefore = (await settledLog(source)).length;
    const resumed = await runAction(workspace, inputs({ archive: 'resumed.tar' }), temp());
    assert.equal(resumed.code, 0, resumed.stdout);
    const fetched = ((await settledLog(source)).slice(logBefore).match(/"GET \/v2\/team\/app\d+\/blobs\/sha256:/g) ?? []).length;
    assert.ok(fetched <= blobs / 2, `the re-run fetched ${fetched} of ${blobs} blobs`);
    assert.equal(fetched, blobs - kept, 'exactly the blobs the killed run had not written');
    assert.match(
      resumed.stdout,
      new RegExp(`resumed: ${kept} blobs \\(.*\\) an earlier run wrote are in place, each checked against its digest`),
    );
    const whole = readFileSync(path.join(workspace, 'whole', 'images.tar'));
    assert.ok(readFileSync(path.join(workspace, 'resumed.tar')).equals(whole), 'byte for byte the archive of an uninterrupted run');
    assert.ok(!existsSync(journal), 'no journal left once the archive is in place');
    assert.match(resumed.summary, new RegExp(`Resumed: ${kept} blobs &#40;`));
  });

  it('imports a docker-archive skopeo wrote, pinned to the manifest made for it, and an OCI layout folder by its full ref name', async () => {
    const dir = scratchDir('other-tools');
    mkdirSync(path.join(dir, 'k8s'));
    const name = `${proxy.host}/team/app0:v1`;
    writeFileSync(path.join(dir, 'k8s', 'app.yaml'), `image: ${name}\n`);
    await skopeo([
      'copy',
      '--quiet',
      '--src-tls-verify=false',
      `docker://${source.host}/team/app0:v1`,
      `docker-archive:${path.join(dir, 'saved.tar')}:${name}`,
    ]);
    const run = await runAction(
      dir,
      {
        manifests: 'k8s/*.yaml',
        mode: 'unpackage',
        archive: 'saved.tar',
        'default-repo': `${destination.host}/docker`,
        'insecure-registries': destination.host,
      },
      temp(),
    );
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /saved\.tar: docker-archive, 1 images/);
    assert.match(
      run.stdout,
      /a docker-archive holds its config and layers but no registry manifest: ferry made one, so it is pinned to sha256:[a-f0-9]{64}, which can differ from the digest its registry gave it/,
    );
    const pinned = /@(sha256:[a-f0-9]{64})/.exec(readFileSync(path.join(dir, 'k8s', 'app.yaml'), 'utf8'))?.[1] ?? '';
    const raw = await skopeoRaw(`${destination.host}/docker/${name.replace(/[/._:@]/g, '_').replace(/_v1$/, '')}@${pinned}`, {});
    assert.equal(sha256(raw), pinned, 'pinned to the manifest pushed');
    const pushed = JSON.parse(raw.toString()) as {
      layers: unknown[];
    };
    assert.equal(pushed.layers.length, 1);

    // An OCI layout folder, named as skopeo names it with a full reference.
    writeFileSync(path.join(dir, 'k8s', 'app.yaml'), `image: ${name}\n`);
    await skopeo([
      'copy',
      '--quiet',
      '--src-tls-verify=false',
      '--preserve-digests',
      `docker://${source.host}/team/app0:v1`,
      `oci:${path.join(dir, 'layout')}:${name}`,
    ]);
    const folder = await runAction(
      dir,
      {
        manifests: 'k8s/*.yaml',
        mode: 'unpackage',
        archive: 'layout',
        'default-repo': `${destination.host}/oci`,
        'insecure-registries': destination.host,
      },
      temp(),
    );
    assert.equal(folder.code, 0, folder.stdout);
    assert.ok(readFileSync(path.join(dir, 'k8s', 'app.yaml'), 'utf8').includes(`@${digests[0]}`), 'the digest is kept');
  });
});
