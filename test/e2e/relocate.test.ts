// resolve and relocate through dist/index.js against two real registries: the source on plain HTTP
// (listed as insecure), the destination on TLS with htpasswd through a config.json. skopeo seeds the
// source and reads back every destination manifest.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  type Certificates,
  type RunningRegistry,
  type SkopeoAccess,
  makeCertificates,
  ociLayout,
  scratchDir,
  sha256,
  skopeo,
  skopeoCopy,
  skopeoRaw,
  settledLog,
  startRegistry,
} from '../registry/harness.js';
import { runAction, snapshot } from './action.js';

const users = { mirror: 'mirror-password' };

/** Requests ferry (user agent "ferry") made to a registry, from its access log. */
async function ferryRequests(registry: RunningRegistry): Promise<string[]> {
  return (await settledLog(registry))
    .split('\n')
    .filter((line) => /"(GET|HEAD|PUT|POST|PATCH|DELETE) \/v2\//.test(line) && line.includes('"ferry"'));
}

describe('dist/index.js in resolve and relocate modes', () => {
  let source: RunningRegistry;
  let destination: RunningRegistry;
  let certificates: Certificates;
  let dockerConfig: string;
  const sourceAccess: SkopeoAccess = {};
  let destinationAccess: SkopeoAccess;
  const digests: Record<string, string> = {};
  let template: string;

  before(async () => {
    certificates = makeCertificates();
    [source, destination] = await Promise.all([startRegistry(), startRegistry({ tls: certificates, htpasswd: users })]);
    destinationAccess = { tls: certificates, creds: 'mirror:mirror-password' };
    dockerConfig = scratchDir('docker-config');
    writeFileSync(
      path.join(dockerConfig, 'config.json'),
      JSON.stringify({ auths: { [destination.host]: { auth: Buffer.from('mirror:mirror-password').toString('base64') } } }),
    );

    const single = ociLayout([3000, 5000]);
    const multi = ociLayout([4000, 6000], ['linux/amd64', 'linux/arm64']);
    const dockerImage = ociLayout([2000]);
    await skopeoCopy(single.reference, `${source.host}/team/single:v1`, sourceAccess);
    await skopeoCopy(multi.reference, `${source.host}/team/multi:v1`, sourceAccess, ['--all']);
    await skopeoCopy(multi.reference, `${source.host}/team/multi:also`, sourceAccess, ['--all']);
    await skopeoCopy(dockerImage.reference, `${source.host}/team/docker:v1`, sourceAccess, ['--format', 'v2s2']);
    for (const name of ['single:v1', 'multi:v1', 'docker:v1'])
      digests[name] = sha256(await skopeoRaw(`${source.host}/team/${name}`, sourceAccess));
    assert.equal(sha256(await skopeoRaw(`${source.host}/team/multi:also`, sourceAccess)), digests['multi:v1']);

    template = scratchDir('relocate-template');
    mkdirSync(path.join(template, 'k8s'));
    writeFileSync(
      path.join(template, 'k8s', 'app.yaml'),
      `# mirrored images
apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      initContainers:
        - name: init
          image: ${source.host}/team/docker:v1
      containers:
        - name: app
          image: "${source.host}/team/multi:v1"
        - name: same-image-other-tag
          image: ${source.host}/team/multi:also
        - name: pinned
          image: ${source.host}/team/single@${digests['single:v1']}
        - name: tagged
          image: ${source.host}/team/single:v1 # comment kept
`,
    );
  });
  after(async () => {
    await Promise.all([source.stop(), destination.stop()]);
  });

  function workspace(): string {
    const dir = scratchDir('relocate-ws');
    cpSync(template, dir, { recursive: true });
    return dir;
  }

  const inputs = (extra: Record<string, string>): Record<string, string> => ({
    manifests: 'k8s/**/*.yaml',
    'insecure-registries': source.host,
    'registry-ca-certs': certificates.caCert,
    'docker-config': dockerConfig,
    concurrency: '4',
    ...extra,
  });

  const escaped = (name: string): string => `${source.host}/team/${name}`.replace(/[/._:@]/g, '_');

  it('relocates whole images, digests unchanged, rewrites the YAML and tags at the destination', async () => {
    const dir = workspace();
    const before = readFileSync(path.join(dir, 'k8s/app.yaml'), 'utf8');
    const run = await runAction(dir, inputs({ mode: 'relocate', 'default-repo': `${destination.host}/mirror` }));
    assert.equal(run.code, 0, run.stdout);
    const mirror = `${destination.host}/mirror`;
    const expected = before
      .replace(`${source.host}/team/docker:v1`, `${mirror}/${escaped('docker')}@${digests['docker:v1']}`)
      .replace(`"${source.host}/team/multi:v1"`, `"${mirror}/${escaped('multi')}@${digests['multi:v1']}"`)
      .replace(`${source.host}/team/multi:also`, `${mirror}/${escaped('multi')}@${digests['multi:v1']}`)
      .replace(`${source.host}/team/single@${digests['single:v1']}`, `${mirror}/${escaped('single')}@${digests['single:v1']}`)
      .replace(`${source.host}/team/single:v1 #`, `${mirror}/${escaped('single')}@${digests['single:v1']} #`);
    assert.equal(readFileSync(path.join(dir, 'k8s/app.yaml'), 'utf8'), expected);

    // skopeo, the independent oracle, reads every destination manifest: the same bytes, so the same digests.
    for (const name of ['docker:v1', 'multi:v1', 'single:v1']) {
      const [repository = ''] = name.split(':');
      const copied = await skopeoRaw(`${mirror}/${escaped(repository)}@${digests[name]}`, destinationAccess);
      assert.ok(copied.equals(await skopeoRaw(`${source.host}/team/${name}`, sourceAccess)), name);
      assert.equal(sha256(await skopeoRaw(`${mirror}/${escaped(repository)}:v1`, destinationAccess)), digests[name], `${name} tagged`);
    }
    const index = JSON.parse((await skopeoRaw(`${mirror}/${escaped('multi')}:also`, destinationAccess)).toString()) as {
      manifests: { digest: string }[];
    };
    assert.equal(index.manifests.length, 2);
    for (const child of index.manifests) {
      assert.ok(
        (await skopeoRaw(`${mirror}/${escaped('multi')}@${child.digest}`, destinationAccess)).equals(
          await skopeoRaw(`${source.host}/team/multi@${child.digest}`, sourceAccess),
        ),
      );
    }
    // The copy is complete: skopeo pulls every platform back out of the destination.
    await skopeo([
      'copy',
      '--quiet',
      '--all',
      `--src-cert-dir=${certificates.caDir}`,
      '--src-creds=mirror:mirror-password',
      `docker://${mirror}/${escaped('multi')}:v1`,
      `oci:${scratchDir('pulled')}:x`,
    ]);

    const lock = readFileSync(path.join(dir, 'ferry.lock.yml'), 'utf8');
    assert.match(
      lock,
      new RegExp(
        `- image: ${source.host}/team/docker:v1\\n  newImage: ${mirror}/${escaped('docker')}@${digests['docker:v1']}\\n  preresolved: true\\n`,
      ),
    );
    const images = JSON.parse(run.outputs.images ?? '[]') as { image: string; digest: string }[];
    assert.equal(images.length, 5);
    assert.equal(images.find((image) => image.image.endsWith('multi:also'))?.digest, digests['multi:v1']);
    assert.match(run.summary, /linux\/amd64, linux\/arm64/);

    // Every destination repository was new: one look at its tags told so, and after it no blob and no
    // manifest was asked about (the first lookup of each image is what found the repository missing).
    const firstRun = await ferryRequests(destination);
    assert.equal(firstRun.filter((line) => /"HEAD \/v2\/mirror\/[^ ]*\/blobs\//.test(line)).length, 0, firstRun.join('\n'));
    for (const [at, line] of firstRun.entries()) {
      const repository = /GET \/v2\/(mirror\/[^/]+)\/tags\/list\?n=1/.exec(line)?.[1];
      if (repository === undefined) continue;
      const later = firstRun.slice(at + 1).filter((next) => next.includes(`"HEAD /v2/${repository}/manifests/sha256:`));
      assert.deepEqual(later, [], `${repository} was seen missing, yet its manifests were asked about`);
    }
    assert.ok(firstRun.some((line) => line.includes('/tags/list?n=1')));

    // A re-run over the rewritten manifests has nothing to do: one request per image, plus one per registry.
    const requestsBefore = (await ferryRequests(destination)).length;
    const sourceBefore = (await ferryRequests(source)).length;
    const again = await runAction(dir, inputs({ mode: 'relocate', 'default-repo': `${destination.host}/mirror` }));
    assert.equal(again.code, 0, again.stdout);
    const rerun = (await ferryRequests(destination)).slice(requestsBefore);
    const distinctImages = 3;
    assert.ok(requestsBefore > 20, 'the access log shows the first run');
    // One HEAD per distinct image, and the /v2/ ping (twice when it first answers 401); looking for
    // what travels with the images costs at most 2 more per image (here: one referrers request tells
    // that the registry has no API, then one tag list per repository).
    const supplyChain = rerun.filter((line) => /\/referrers\/|\/tags\/list/.test(line));
    assert.ok(
      rerun.length - supplyChain.length >= distinctImages && rerun.length - supplyChain.length <= distinctImages + 2,
      `re-run made ${rerun.length} requests:\n${rerun.join('\n')}`,
    );
    assert.ok(supplyChain.length <= 2 * distinctImages, `supply chain requests:\n${supplyChain.join('\n')}`);
    assert.equal(supplyChain.filter((line) => line.includes('/referrers/')).length, 1, 'one 404 tells the registry has no referrers API');
    assert.equal(rerun.filter((line) => line.includes('"HEAD /v2/mirror/')).length, distinctImages);
    assert.equal((await ferryRequests(source)).length, sourceBefore, 'the re-run never asks the source');
    assert.equal(again.outputs.changed, 'false');
  });

  it('puts every image into one repository, pinned by digest', async () => {
    const dir = workspace();
    const run = await runAction(dir, inputs({ mode: 'relocate', repository: `${destination.host}/all` }));
    assert.equal(run.code, 0, run.stdout);
    const text = readFileSync(path.join(dir, 'k8s/app.yaml'), 'utf8');
    for (const name of ['docker:v1', 'multi:v1', 'single:v1']) {
      assert.ok(text.includes(`${destination.host}/all@${digests[name]}`), name);
      assert.equal(sha256(await skopeoRaw(`${destination.host}/all@${digests[name]}`, destinationAccess)), digests[name]);
    }
  });

  it('resolves tags to digests in place, keeping names, with keep-tags', async () => {
    const dir = workspace();
    const run = await runAction(dir, inputs({ mode: 'resolve', 'keep-tags': 'true' }));
    assert.equal(run.code, 0, run.stdout);
    const text = readFileSync(path.join(dir, 'k8s/app.yaml'), 'utf8');
    assert.match(text, new RegExp(`image: "${source.host}/team/multi:v1@${digests['multi:v1']}"`));
    assert.match(text, new RegExp(`image: ${source.host}/team/single@${digests['single:v1']}\\n`));
    assert.match(text, new RegExp(`image: ${source.host}/team/single:v1@${digests['single:v1']} # comment kept`));
  });

  it('fails on a missing image naming it and the operation, writes nothing and pushes no tag', async () => {
    const dir = workspace();
    writeFileSync(path.join(dir, 'k8s/missing.yaml'), `image: ${source.host}/team/nothing:v9\n`);
    const before = snapshot(dir);
    const run = await runAction(dir, inputs({ mode: 'relocate', 'default-repo': `${destination.host}/failed` }));
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      new RegExp(
        // The tag is resolved by reading its manifest, which the copy needs next.
        `::error title=ferry,file=k8s/missing\\.yaml,line=1,col=8::${source.host}/team/nothing:v9: get manifest v9 at ${source.host}/team/nothing: 404 MANIFEST_UNKNOWN: manifest unknown`,
      ),
    );
    assert.deepEqual(snapshot(dir), before);
    await assert.rejects(skopeoRaw(`${destination.host}/failed/${escaped('multi')}:v1`, destinationAccess), /manifest unknown|not found/i);
  });

  it('relocates exactly the digests of a lock from an earlier resolve, even after the tag moved', async () => {
    await skopeoCopy(ociLayout([1500]).reference, `${source.host}/team/moving:v1`, sourceAccess);
    const pinnedDigest = sha256(await skopeoRaw(`${source.host}/team/moving:v1`, sourceAccess));
    const dir = scratchDir('lock-flow');
    mkdirSync(path.join(dir, 'k8s'));
    const manifest = `image: ${source.host}/team/moving:v1\n`;
    writeFileSync(path.join(dir, 'k8s', 'app.yaml'), manifest);
    const resolved = await runAction(
      dir,
      inputs({ mode: 'resolve', 'lock-file': 'resolved.lock.yml', 'output-dir': 'resolved', 'keep-tags': 'true' }),
    );
    assert.equal(resolved.code, 0, resolved.stdout);
    assert.equal(readFileSync(path.join(dir, 'k8s', 'app.yaml'), 'utf8'), manifest, 'output-dir leaves the source manifests alone');

    await skopeoCopy(ociLayout([1500]).reference, `${source.host}/team/moving:v1`, sourceAccess);
    assert.notEqual(sha256(await skopeoRaw(`${source.host}/team/moving:v1`, sourceAccess)), pinnedDigest, 'the tag moved');

    const run = await runAction(
      dir,
      inputs({ mode: 'relocate', lock: 'resolved.lock.yml', 'default-repo': `${destination.host}/release` }),
    );
    assert.equal(run.code, 0, run.stdout);
    const newImage = `${destination.host}/release/${escaped('moving')}@${pinnedDigest}`;
    assert.equal(readFileSync(path.join(dir, 'k8s', 'app.yaml'), 'utf8'), `image: ${newImage}\n`);
    assert.equal(sha256(await skopeoRaw(newImage, destinationAccess)), pinnedDigest);
    // keep-tags put the tag into the lock, so the destination carries it too.
    assert.equal(sha256(await skopeoRaw(`${destination.host}/release/${escaped('moving')}:v1`, destinationAccess)), pinnedDigest);
    assert.match(
      readFileSync(path.join(dir, 'ferry.lock.yml'), 'utf8'),
      new RegExp(`- image: ${source.host}/team/moving:v1\\n  newImage: ${newImage}\\n`),
    );
  });

  it('plans on a dry run and pushes nothing', async () => {
    const dir = workspace();
    const before = snapshot(dir);
    const run = await runAction(dir, inputs({ mode: 'relocate', 'default-repo': `${destination.host}/dry`, 'dry-run': 'true' }));
    assert.equal(run.code, 0, run.stdout);
    assert.deepEqual(snapshot(dir), before);
    assert.match(run.summary, /would cross the wire/);
    assert.ok(!(await ferryRequests(destination)).some((line) => /"(PUT|POST|PATCH) /.test(line) && line.includes('/dry/')));
  });
});
