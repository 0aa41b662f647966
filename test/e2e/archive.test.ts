// package and unpackage through dist/index.js: package from a loopback registry, skopeo reads the
// tarball as oci-archive (the independent oracle), then the source registry is stopped and the
// archive is imported into a TLS registry with basic auth. A kbld-format tarball imports too.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  type Certificates,
  type RunningRegistry,
  makeCertificates,
  ociLayout,
  scratchDir,
  settledLog,
  sha256,
  sha256Hex,
  skopeo,
  skopeoCopy,
  skopeoRaw,
  startRegistry,
} from '../registry/harness.js';
import { tarOf } from '../tar.js';
import { runAction } from './action.js';

const fileSha = (file: string): string => sha256Hex(readFileSync(file));

describe('dist/index.js in package and unpackage modes', () => {
  let source: RunningRegistry;
  let destination: RunningRegistry;
  let certificates: Certificates;
  let dockerConfig: string;
  const digests: Record<string, string> = {};
  const raws: Record<string, Buffer> = {};
  let workspace: string;
  let runnerTemp: string;
  let manifestText: string;

  before(async () => {
    certificates = makeCertificates();
    [source, destination] = await Promise.all([
      startRegistry(),
      startRegistry({ tls: certificates, htpasswd: { air: 'gapped-password' } }),
    ]);
    dockerConfig = scratchDir('docker-config');
    writeFileSync(
      path.join(dockerConfig, 'config.json'),
      JSON.stringify({ auths: { [destination.host]: { username: 'air', password: 'gapped-password' } } }),
    );
    await skopeoCopy(ociLayout([4000, 6000], ['linux/amd64', 'linux/arm64']).reference, `${source.host}/team/multi:v1`, {}, [
      '--all',
      '--preserve-digests',
    ]);
    await skopeoCopy(ociLayout([2500]).reference, `${source.host}/team/single:v1`, {}, ['--preserve-digests']);
    for (const name of ['multi:v1', 'single:v1']) {
      raws[name] = await skopeoRaw(`${source.host}/team/${name}`, {});
      digests[name] = sha256(raws[name] as Buffer);
    }
    workspace = scratchDir('archive-ws');
    runnerTemp = scratchDir('runner-temp');
    mkdirSync(path.join(workspace, 'k8s'));
    manifestText = `containers:
  - image: ${source.host}/team/multi:v1
  - image: "${source.host}/team/single@${digests['single:v1']}"
`;
    writeFileSync(path.join(workspace, 'k8s', 'app.yaml'), manifestText);
  });
  after(async () => {
    await Promise.all([source.stop(), destination.stop()]);
  });

  const common = (): Record<string, string> => ({
    manifests: 'k8s/**/*.yaml',
    'insecure-registries': source.host,
    'docker-config': dockerConfig,
    'registry-ca-certs': certificates.caCert,
  });

  it('writes no archive and pulls no blob on a dry run', async () => {
    const temp = scratchDir('runner-temp');
    const run = await runAction(workspace, { ...common(), mode: 'package', archive: 'dry.tar', 'dry-run': 'true' }, { RUNNER_TEMP: temp });
    assert.equal(run.code, 0, run.stdout);
    assert.ok(!existsSync(path.join(workspace, 'dry.tar')));
    assert.ok(!existsSync(path.join(temp, 'ferry-blobs', 'blobs')));
    assert.equal(run.outputs.archive, undefined);
    assert.match(run.summary, /would cross the wire/);
  });

  it('fails before its commit when a folder is where a part of the archive goes, the earlier archive left whole', async () => {
    const dir = scratchDir('folder-part-ws');
    mkdirSync(path.join(dir, 'k8s'));
    writeFileSync(path.join(dir, 'k8s', 'app.yaml'), manifestText);
    // An earlier archive at the path, and what a pull request can commit: a folder under a part's name.
    writeFileSync(path.join(dir, 'images.tar'), 'an earlier archive');
    mkdirSync(path.join(dir, 'images.tar.002'));
    const packaged = await runAction(
      dir,
      { ...common(), mode: 'package', 'archive-part-size': '1MiB' },
      { RUNNER_TEMP: scratchDir('runner-temp') },
    );
    assert.equal(packaged.code, 1, packaged.stdout);
    assert.match(packaged.stdout, /::error::.*images\.tar\.002: a folder is where the archive goes; nothing was tagged or written/);
    assert.equal(readFileSync(path.join(dir, 'images.tar'), 'utf8'), 'an earlier archive');
    assert.ok(!existsSync(path.join(dir, 'ferry.lock.yml')));
  });

  it("binds each tag to the digest package pinned when unpackage is given package's lock: an index.json that answers the tag with another image is refused", async () => {
    const dir = scratchDir('bound-ws');
    mkdirSync(path.join(dir, 'k8s'));
    const text = `containers:\n  - image: ${source.host}/team/multi:v1\n  - image: ${source.host}/team/single:v1\n`;
    writeFileSync(path.join(dir, 'k8s', 'app.yaml'), text);
    const temp = { RUNNER_TEMP: scratchDir('runner-temp') };
    const packaged = await runAction(dir, { ...common(), mode: 'package', 'lock-file': 'packaged.lock.yml' }, temp);
    assert.equal(packaged.code, 0, packaged.stdout);
    const imported = await runAction(
      dir,
      { ...common(), mode: 'unpackage', lock: 'packaged.lock.yml', 'default-repo': `${destination.host}/bound`, 'output-dir': 'site' },
      temp,
    );
    assert.equal(imported.code, 0, imported.stdout);
    assert.match(readFileSync(path.join(dir, 'site', 'k8s', 'app.yaml'), 'utf8'), new RegExp(`_team_multi@${digests['multi:v1']}`));

    // Two locks concatenated into one file, the second locking multi:v1 to single's image: kbld takes the
    // first, so the lock is refused at both entries rather than the run deploying the other. An image
    // only the lock names, which cannot be imported, is refused at its entry.
    const packagedLock = readFileSync(path.join(dir, 'packaged.lock.yml'), 'utf8');
    writeFileSync(
      path.join(dir, 'twice.lock.yml'),
      `${packagedLock}---\n${packagedLock.replaceAll(digests['multi:v1'] as string, digests['single:v1'] as string)}`,
    );
    writeFileSync(
      path.join(dir, 'extra.lock.yml'),
      `${packagedLock}- image: Team/Other:V1\n  newImage: ${source.host}/team/single@${digests['single:v1']}\n  preresolved: true\n`,
    );
    for (const [lock, refusal] of [
      [
        'twice.lock.yml',
        /::error::twice\.lock\.yml:\d+:\d+: [^ ]*team\/multi:v1" is locked to [^ ]* here and to [^ ]* at twice\.lock\.yml:\d+:\d+: one image/,
      ],
      ['extra.lock.yml', /::error title=ferry,file=extra\.lock\.yml,line=\d+,col=\d+::"Team\/Other:V1" is not an image reference/],
    ] as const) {
      const refused = await runAction(
        dir,
        { ...common(), mode: 'unpackage', lock, 'default-repo': `${destination.host}/twice`, 'output-dir': 'twice' },
        temp,
      );
      assert.equal(refused.code, 1, refused.stdout);
      assert.match(refused.stdout, refusal);
      assert.ok(!existsSync(path.join(dir, 'twice')), 'no manifest was written');
    }
    assert.ok(!(await settledLog(destination)).includes('/twice/'), 'nothing was pushed');

    // The archive, forged on its way to the site: team/multi:v1 answered by team/single's image, which
    // the same hands could have signed; multi's own entry gone. The lock still pins multi's digest.
    const layout = scratchDir('forged-layout');
    execFileSync('tar', ['-xf', path.join(dir, 'images.tar'), '-C', layout]);
    const index = JSON.parse(readFileSync(path.join(layout, 'index.json'), 'utf8')) as {
      manifests: { digest: string; annotations: object }[];
    };
    const single = index.manifests.find((entry) => entry.digest === digests['single:v1']) as { digest: string; annotations: object };
    const forgedEntry = {
      ...single,
      annotations: {
        ...single.annotations,
        'org.opencontainers.image.ref.name': `${source.host}/team/multi:v1`,
        'io.github.ferry.source': `${source.host}/team/multi:v1@${digests['single:v1']}`,
      },
    };
    writeFileSync(path.join(layout, 'index.json'), JSON.stringify({ ...index, manifests: [forgedEntry, single] }));
    execFileSync('tar', ['-cf', path.join(dir, 'images.tar'), '-C', layout, 'oci-layout', 'index.json', 'blobs']);
    const forged = await runAction(
      dir,
      { ...common(), mode: 'unpackage', lock: 'packaged.lock.yml', 'default-repo': `${destination.host}/forged`, 'output-dir': 'forged' },
      temp,
    );
    assert.equal(forged.code, 1, forged.stdout);
    assert.match(
      forged.stdout,
      /file=k8s\/app\.yaml,line=2,.*team\/multi:v1: not in the archive \(2 images there\): no image there is the pinned digest/,
    );
    assert.ok(!existsSync(path.join(dir, 'forged')), 'no manifest was written');
    assert.ok(!(await settledLog(destination)).includes('/forged/'), 'nothing was pushed');
  });

  it('packages, skopeo reads the archive, a second package is byte-identical, and unpackage imports it offline', async () => {
    const logged = (await settledLog(source)).split('\n').length;
    const packaged = await runAction(workspace, { ...common(), mode: 'package', archive: 'images.tar' }, { RUNNER_TEMP: runnerTemp });
    assert.equal(packaged.code, 0, packaged.stdout);
    // A tag is resolved by reading its manifest, which the archive needs anyway: no HEAD first, and no
    // manifest read twice.
    const reads = (await settledLog(source))
      .split('\n')
      .slice(logged - 1)
      .flatMap((line) => /"(GET|HEAD) (\/v2\/[^ ]*\/manifests\/[^ ]*)/.exec(line)?.slice(1, 3).join(' ') ?? []);
    assert.deepEqual(
      reads.filter((read) => read.startsWith('HEAD')),
      [],
    );
    assert.ok(reads.includes('GET /v2/team/multi/manifests/v1'), reads.join('\n'));
    assert.equal(new Set(reads).size, reads.length, reads.join('\n'));
    const archive = path.join(workspace, 'images.tar');
    assert.equal(packaged.outputs.archive, archive);
    assert.equal(readFileSync(path.join(workspace, 'k8s', 'app.yaml'), 'utf8'), manifestText, 'package leaves the YAML alone');
    assert.match(packaged.stdout, /::notice::The GitHub Actions cache is not available here/);
    assert.match(
      readFileSync(path.join(workspace, 'ferry.lock.yml'), 'utf8'),
      new RegExp(`newImage: ${source.host}/team/multi@${digests['multi:v1']}`),
    );

    // skopeo reads the tarball by the names ferry gave, and copies every platform out of it.
    const inspected = JSON.parse(
      (await skopeo(['inspect', '--raw', `oci-archive:${archive}:${source.host}/team/multi:v1`])).toString(),
    ) as { manifests: unknown[] };
    assert.equal(inspected.manifests.length, 2);
    assert.ok(
      (await skopeo(['inspect', '--raw', `oci-archive:${archive}:${source.host}/team/multi:v1`])).equals(raws['multi:v1'] as Buffer),
    );
    await skopeo(['copy', '--quiet', '--all', `oci-archive:${archive}:${source.host}/team/multi:v1`, `oci:${scratchDir('out')}:x`]);

    // The same images give the same bytes, with the blob store reused and with a fresh one.
    const again = await runAction(workspace, { ...common(), mode: 'package', archive: 'again.tar' }, { RUNNER_TEMP: runnerTemp });
    assert.equal(again.code, 0, again.stdout);
    const fresh = await runAction(
      workspace,
      { ...common(), mode: 'package', archive: 'fresh.tar' },
      { RUNNER_TEMP: scratchDir('runner-temp') },
    );
    assert.equal(fresh.code, 0, fresh.stdout);
    assert.equal(fileSha(path.join(workspace, 'again.tar')), fileSha(archive));
    assert.equal(fileSha(path.join(workspace, 'fresh.tar')), fileSha(archive));

    // Air gap: the source registry is gone.
    await source.stop();
    const imported = await runAction(
      workspace,
      { ...common(), mode: 'unpackage', archive: 'images.tar', 'default-repo': `${destination.host}/air` },
      { RUNNER_TEMP: runnerTemp },
    );
    assert.equal(imported.code, 0, imported.stdout);
    const escaped = (name: string): string => `${source.host}/team/${name}`.replace(/[/._:@]/g, '_');
    const text = readFileSync(path.join(workspace, 'k8s', 'app.yaml'), 'utf8');
    assert.equal(
      text,
      manifestText
        .replace(`${source.host}/team/multi:v1`, `${destination.host}/air/${escaped('multi')}@${digests['multi:v1']}`)
        .replace(
          `"${source.host}/team/single@${digests['single:v1']}"`,
          `"${destination.host}/air/${escaped('single')}@${digests['single:v1']}"`,
        ),
    );
    const access = { tls: certificates, creds: 'air:gapped-password' };
    assert.ok((await skopeoRaw(`${destination.host}/air/${escaped('multi')}:v1`, access)).equals(raws['multi:v1'] as Buffer));
    assert.ok(
      (await skopeoRaw(`${destination.host}/air/${escaped('single')}@${digests['single:v1']}`, access)).equals(raws['single:v1'] as Buffer),
    );
    const lock = readFileSync(path.join(workspace, 'ferry.lock.yml'), 'utf8');
    // Both the tagged form found in the YAML and the digest form map to the new place.
    assert.match(
      lock,
      new RegExp(`- image: ${source.host}/team/multi:v1\\n  newImage: ${destination.host}/air/${escaped('multi')}@${digests['multi:v1']}`),
    );
    assert.match(
      lock,
      new RegExp(
        `- image: ${source.host}/team/multi@${digests['multi:v1']}\\n  newImage: ${destination.host}/air/${escaped('multi')}@${digests['multi:v1']}`,
      ),
    );
  });

  it('imports a tarball in the kbld pkg / imgpkg format', async () => {
    const layer = Buffer.from('a layer, gzip by name only');
    const config = '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}';
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', digest: sha256(Buffer.from(config)), size: config.length },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', digest: sha256(layer), size: layer.length }],
    });
    const digest = sha256(Buffer.from(manifest));
    const descriptors = [
      {
        Image: {
          Refs: [`index.docker.io/library/legacy@${digest}`],
          Layers: [
            {
              MediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
              Digest: sha256(layer),
              DiffID: sha256(layer),
              Size: layer.length,
            },
          ],
          Config: { Digest: sha256(Buffer.from(config)), Raw: config },
          Manifest: { MediaType: 'application/vnd.docker.distribution.manifest.v2+json', Digest: digest, Raw: manifest },
        },
        ImageIndex: null,
      },
    ];
    const dir = scratchDir('kbld-ws');
    mkdirSync(path.join(dir, 'k8s'));
    writeFileSync(path.join(dir, 'k8s', 'app.yaml'), `image: legacy@${digest}\n`);
    writeFileSync(
      path.join(dir, 'kbld.tar'),
      await tarOf([
        { name: 'manifest.json', body: Buffer.from(JSON.stringify(descriptors)) },
        { name: `sha256-${sha256(layer).slice(7)}.tar.gz`, body: layer },
      ]),
    );
    const run = await runAction(
      dir,
      { ...common(), mode: 'unpackage', archive: 'kbld.tar', repository: `${destination.host}/imported` },
      { RUNNER_TEMP: scratchDir('runner-temp') },
    );
    assert.equal(run.code, 0, run.stdout);
    assert.equal(readFileSync(path.join(dir, 'k8s', 'app.yaml'), 'utf8'), `image: ${destination.host}/imported@${digest}\n`);
    assert.equal(
      (await skopeoRaw(`${destination.host}/imported@${digest}`, { tls: certificates, creds: 'air:gapped-password' })).toString(),
      manifest,
    );
  });

  it('refuses a tampered archive before pushing anything', async () => {
    const dir = scratchDir('tampered-ws');
    mkdirSync(path.join(dir, 'k8s'));
    writeFileSync(path.join(dir, 'k8s', 'app.yaml'), 'image: app:v1\n');
    writeFileSync(path.join(dir, 'bad.tar'), await tarOf([{ name: '../../etc/ferry-escape', body: Buffer.from('x') }]));
    const run = await runAction(
      dir,
      { ...common(), mode: 'unpackage', archive: 'bad.tar', 'default-repo': `${destination.host}/never` },
      { RUNNER_TEMP: scratchDir('runner-temp') },
    );
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      /::error::.*bad\.tar: the archive holds a path outside the archive \("\.\.\/\.\.\/etc\/ferry-escape"\); nothing was pushed/,
    );
    assert.equal(readFileSync(path.join(dir, 'k8s', 'app.yaml'), 'utf8'), 'image: app:v1\n');
    assert.ok(!(await settledLog(destination)).includes('/never/'));
  });

  it('finds every image in the archive before the first push: one missing, none pushed', async () => {
    // Offline, from the archive the first test packaged (the source registry is gone by now).
    const dir = scratchDir('partial-ws');
    mkdirSync(path.join(dir, 'k8s'));
    cpSync(path.join(workspace, 'images.tar'), path.join(dir, 'images.tar'));
    const text = `containers:\n  - image: ${source.host}/team/multi:v1\n  - image: ${source.host}/team/absent:v1\n`;
    writeFileSync(path.join(dir, 'k8s', 'app.yaml'), text);
    const run = await runAction(
      dir,
      { ...common(), mode: 'unpackage', 'default-repo': `${destination.host}/partial` },
      { RUNNER_TEMP: scratchDir('runner-temp') },
    );
    assert.equal(run.code, 1);
    assert.match(run.stdout, /team\/absent:v1: not in the archive \(2 images there/);
    assert.equal(readFileSync(path.join(dir, 'k8s', 'app.yaml'), 'utf8'), text);
    assert.ok(!(await settledLog(destination)).includes('/partial/'), 'nothing was pushed');
  });

  it('fails before the first tag when a folder is where the lock goes, with nothing left staged', async () => {
    const dir = scratchDir('folder-ws');
    mkdirSync(path.join(dir, 'k8s'));
    cpSync(path.join(workspace, 'images.tar'), path.join(dir, 'images.tar'));
    writeFileSync(path.join(dir, 'k8s', 'app.yaml'), manifestText);
    // What a pull request can commit: a folder under the lock's name.
    mkdirSync(path.join(dir, 'ferry.lock.yml'));
    writeFileSync(path.join(dir, 'ferry.lock.yml', '.keep'), '');
    const imported = await runAction(
      dir,
      { ...common(), mode: 'unpackage', 'default-repo': `${destination.host}/folder-lock` },
      { RUNNER_TEMP: scratchDir('runner-temp') },
    );
    assert.equal(imported.code, 1, imported.stdout);
    assert.match(imported.stdout, /::error::.*ferry\.lock\.yml: a folder is where ferry writes this file; nothing was tagged or written/);
    assert.equal(readFileSync(path.join(dir, 'k8s', 'app.yaml'), 'utf8'), manifestText);
    assert.deepEqual(readdirSync(path.join(dir, 'k8s')), ['app.yaml'], 'no staged file is left');
    assert.deepEqual(readdirSync(dir).sort(), ['ferry.lock.yml', 'images.tar', 'k8s']);
    const log = await settledLog(destination);
    assert.ok(log.includes('/folder-lock/'), 'the images were sent');
    assert.doesNotMatch(log, /PUT \/v2\/folder-lock\/\S*\/manifests\/v1 /, 'no tag was put');
  });

  it('lets no image stand for a tag it was not packaged with: one pinned by digest alone, or a name without a tag (latest)', async () => {
    // The archive holds team/single as packaged from its digest alone and team/multi as v1: neither
    // says what team/single:v1 or team/multi (latest) is, and tagging either at the destination would
    // put a version there that the YAML does not name.
    const dir = scratchDir('tagless-ws');
    mkdirSync(path.join(dir, 'k8s'));
    cpSync(path.join(workspace, 'images.tar'), path.join(dir, 'images.tar'));
    const text = `containers:\n  - image: ${source.host}/team/single:v1\n  - image: ${source.host}/team/multi\n`;
    writeFileSync(path.join(dir, 'k8s', 'app.yaml'), text);
    const run = await runAction(
      dir,
      { ...common(), mode: 'unpackage', 'default-repo': `${destination.host}/tagless` },
      { RUNNER_TEMP: scratchDir('runner-temp') },
    );
    assert.equal(run.code, 1);
    assert.match(run.stdout, /team\/single:v1: not in the archive \(2 images there/);
    assert.match(run.stdout, /team\/multi: not in the archive \(2 images there/);
    assert.equal(readFileSync(path.join(dir, 'k8s', 'app.yaml'), 'utf8'), text);
    assert.ok(!(await settledLog(destination)).includes('/tagless/'), 'nothing was pushed');
  });
});
