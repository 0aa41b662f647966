// A delta carried to a site, through dist/index.js: a base archive packaged and imported, then a release
// packaged with `since: base.tar` holds only what is new (and every manifest), and imports where the base
// was imported, a layer it shares with the base mounted from where the site holds it; imported where
// the base is not, it is refused before anything is pushed, naming the base and `since`.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  type RunningRegistry,
  anonymousRegistries,
  ociLayout,
  scratchDir,
  settledLog,
  sha256,
  skopeo,
  skopeoCopy,
  startRegistry,
} from '../registry/harness.js';
import { keyPair, keySigner, pushCosignSignature } from '../verify/signing.js';
import { runAction } from './action.js';

const layerBytes = 400_000;

/** An OCI layout of one image with exactly these layers. */
function layoutOf(layers: readonly Buffer[]): string {
  const dir = scratchDir('delta-layout');
  mkdirSync(path.join(dir, 'blobs', 'sha256'), { recursive: true });
  const write = (bytes: Buffer): { digest: string; size: number } => {
    writeFileSync(path.join(dir, 'blobs', 'sha256', sha256(bytes).slice(7)), bytes);
    return { digest: sha256(bytes), size: bytes.length };
  };
  const layerDescriptors = layers.map((layer) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...write(layer) }));
  const config = write(
    Buffer.from(
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        rootfs: { type: 'layers', diff_ids: layerDescriptors.map((layer) => layer.digest) },
      }),
    ),
  );
  const manifest = write(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: layerDescriptors,
      }),
    ),
  );
  writeFileSync(path.join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(
    path.join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          ...manifest,
          annotations: { 'org.opencontainers.image.ref.name': 'v1' },
        },
      ],
    }),
  );
  return `oci:${dir}:v1`;
}

describe('dist/index.js: a delta against what the site holds', () => {
  let source: RunningRegistry;
  let destination: RunningRegistry;
  let workspace: string;
  /** The digest of the three-platform index `team/multi:v1` names at first. */
  let multiIndex: string;
  const layers = Array.from({ length: 5 }, () => randomBytes(layerBytes));

  before(async () => {
    [source, destination] = await Promise.all([startRegistry(), startRegistry()]);
    const images: Record<string, Buffer[]> = {
      base1: [layers[0] as Buffer],
      base2: [layers[1] as Buffer],
      base3: [layers[2] as Buffer],
      // New in the release: one shares the base's first layer.
      new1: [layers[0] as Buffer, layers[3] as Buffer],
      new2: [layers[4] as Buffer],
    };
    for (const [name, imageLayers] of Object.entries(images))
      await skopeoCopy(layoutOf(imageLayers), `${source.host}/team/${name}:v1`, {}, ['--preserve-digests']);
    // Three platforms, of which a site imports two: its lock pins the index those two make.
    const multi = ociLayout([100_000, 100_000], ['linux/amd64', 'linux/arm64', 'linux/s390x']);
    multiIndex = (JSON.parse(readFileSync(path.join(multi.dir, 'index.json'), 'utf8')) as { manifests: { digest: string }[] }).manifests[0]
      ?.digest as string;
    await skopeoCopy(multi.reference, `${source.host}/team/multi:v1`, {}, ['--all', '--preserve-digests']);
    workspace = scratchDir('delta-ws');
    mkdirSync(path.join(workspace, 'base'));
    mkdirSync(path.join(workspace, 'release'));
    const list = (names: string[]): string => names.map((name) => `- image: ${source.host}/team/${name}:v1\n`).join('');
    writeFileSync(path.join(workspace, 'base', 'apps.yaml'), list(['base1', 'base2', 'base3']));
    writeFileSync(path.join(workspace, 'release', 'apps.yaml'), list(['base1', 'base2', 'base3', 'new1', 'new2']));
  });
  after(async () => {
    await Promise.all([source.stop(), destination.stop()]);
  });

  const common = (): Record<string, string> => ({ 'insecure-registries': `${source.host}\n${destination.host}` });
  const temp = (): Record<string, string> => ({ RUNNER_TEMP: scratchDir('runner-temp') });
  /** dist/index.js in the workspace with both registries insecure, each run with a RUNNER_TEMP of its own. */
  const run = (inputs: Record<string, string>): ReturnType<typeof runAction> => runAction(workspace, { ...common(), ...inputs }, temp());

  it('packages what is new only, imports it where the base was imported, and refuses a destination without the base', async () => {
    const base = await run({ mode: 'package', manifests: 'base/*.yaml', archive: 'base.tar' });
    assert.equal(base.code, 0, base.stdout);
    const imported = await run({
      mode: 'unpackage',
      manifests: 'base/*.yaml',
      archive: 'base.tar',
      'default-repo': `${destination.host}/site`,
      'output-dir': 'site-base',
      'lock-file': 'site-base.lock.yml',
    });
    assert.equal(imported.code, 0, imported.stdout);

    const full = await run({ mode: 'package', manifests: 'release/*.yaml', archive: 'full.tar' });
    assert.equal(full.code, 0, full.stdout);
    const delta = await run({ mode: 'package', manifests: 'release/*.yaml', archive: 'delta.tar', since: 'base.tar' });
    assert.equal(delta.code, 0, delta.stdout);
    assert.match(delta.stdout, /a delta against base\.tar: 6 blobs \(.*\) left out, which the site holds/);
    assert.match(delta.summary, /A delta against base\.tar: 6 blobs/);
    const deltaSize = statSync(path.join(workspace, 'delta.tar')).size;
    const fullSize = statSync(path.join(workspace, 'full.tar')).size;
    // What is new: two layers, their configs and every manifest, against five layers in full.
    assert.ok(deltaSize < 2 * layerBytes + 64 * 1024, `the delta is ${deltaSize} bytes`);
    assert.ok(fullSize > 5 * layerBytes, `the full archive is ${fullSize} bytes`);

    const logBefore = (await settledLog(destination)).length;
    const site = await run({
      mode: 'unpackage',
      manifests: 'release/*.yaml',
      archive: 'delta.tar',
      'default-repo': `${destination.host}/site`,
      'output-dir': 'site-release',
    });
    assert.equal(site.code, 0, site.stdout);
    assert.match(site.stdout, /delta\.tar: a delta: 6 blobs it left out are at the destination, where base\.tar put them/);
    const log = (await settledLog(destination)).slice(logBefore);
    assert.match(
      log,
      new RegExp(`POST /v2/site/[^ ]*new1/blobs/uploads/\\?mount=${encodeURIComponent(sha256(layers[0] as Buffer)).replace(/%/g, '%')}`),
      'the shared layer was mounted',
    );
    // Every image of the release reads back whole at the site.
    const escaped = (name: string): string => `${source.host}/team/${name}`.replace(/[/._:@]/g, '_');
    for (const name of ['new1', 'new2', 'base1'])
      await skopeo([
        'copy',
        '--quiet',
        '--src-tls-verify=false',
        `docker://${destination.host}/site/${escaped(name)}:v1`,
        `oci:${scratchDir('read-back')}:x`,
      ]);

    const elsewhereBefore = (await settledLog(destination)).length;
    const refused = await run({
      mode: 'unpackage',
      manifests: 'release/*.yaml',
      archive: 'delta.tar',
      'default-repo': `${destination.host}/elsewhere`,
      'output-dir': 'elsewhere',
    });
    assert.notEqual(refused.code, 0);
    assert.match(
      refused.stdout,
      /delta\.tar: a delta against base\.tar \(since\), and 6 blobs it left out are not at the destination: .* is not in .*\/elsewhere\/.*Import base\.tar into this destination first; nothing was pushed/,
    );
    const after = (await settledLog(destination)).slice(elsewhereBefore);
    assert.ok(!/(PUT|POST|PATCH) \/v2\/elsewhere/.test(after), 'nothing was pushed');
  });

  it("takes a lock of what the site holds as a base: blobs learned from the source, mounted from the repositories the lock names, and nowhere outside the run's destination", async () => {
    // A second site: the base imported under lockbase, and the lock that import wrote (kbld's format): each image and where the site holds it.
    const base = await run({
      mode: 'unpackage',
      manifests: 'base/*.yaml',
      archive: 'base.tar',
      'default-repo': `${destination.host}/lockbase`,
      'output-dir': 'lockbase',
      'lock-file': 'site.lock.yml',
    });
    assert.equal(base.code, 0, base.stdout);
    const delta = await run({
      mode: 'package',
      manifests: 'release/*.yaml',
      archive: 'from-lock.tar',
      since: 'site.lock.yml',
      'lock-file': 'package.lock.yml',
    });
    assert.equal(delta.code, 0, delta.stdout);
    assert.match(delta.stdout, /a delta against site\.lock\.yml: 6 blobs \(.*\) left out, which the site holds/);
    assert.ok(statSync(path.join(workspace, 'from-lock.tar')).size < 2 * layerBytes + 64 * 1024);
    assert.doesNotMatch(delta.stdout, /own source repository/);
    // The lock package wrote says where the source holds the images, not the site: said, since no site
    // can import a delta against it. A lock entry whose found string is no image is refused at its line.
    const againstSource = await run({
      mode: 'package',
      manifests: 'release/*.yaml',
      archive: 'against-source.tar',
      since: 'package.lock.yml',
    });
    assert.equal(againstSource.code, 0, againstSource.stdout);
    assert.match(
      againstSource.stdout,
      /::notice::package\.lock\.yml \(since\) locks 5 images to its own source repository \([^ ]*team\/base1:v1 \(package\.lock\.yml:\d+:\d+\), \.\.\.\): a lock of where the site holds its images is the one its unpackage or relocate wrote/,
    );
    writeFileSync(
      path.join(workspace, 'bad.lock.yml'),
      `${readFileSync(path.join(workspace, 'site.lock.yml'), 'utf8')}- image: "Team/Base:V1"\n  newImage: ${destination.host}/lockbase/x:v1\n`,
    );
    const bad = await run({ mode: 'package', manifests: 'release/*.yaml', archive: 'bad.tar', since: 'bad.lock.yml' });
    assert.equal(bad.code, 1, bad.stdout);
    assert.match(
      bad.stdout,
      /::error::bad\.lock\.yml:\d+:\d+: "Team\/Base:V1" \(since\) is not an image reference: repository name must be lowercase/,
    );
    // Imported elsewhere in the same registry, the lock's repositories are outside where the run imports: refused, nothing asked of them.
    const outside = await run({
      mode: 'unpackage',
      manifests: 'release/*.yaml',
      archive: 'from-lock.tar',
      'default-repo': `${destination.host}/second`,
      'output-dir': 'second',
    });
    assert.notEqual(outside.code, 0);
    assert.match(
      outside.stdout,
      /its delta record says .*\/lockbase\/.* holds sha256:[a-f0-9]{64}, which is not where this run imports .*\/second\): .*nothing was pushed/,
    );
    // Into one repository, the repositories below it are no more where the run imports than any other.
    const one = await run({
      mode: 'unpackage',
      manifests: 'release/*.yaml',
      archive: 'from-lock.tar',
      repository: `${destination.host}/lockbase`,
      'output-dir': 'one-repository',
    });
    assert.notEqual(one.code, 0);
    assert.match(
      one.stdout,
      /its delta record says .*\/lockbase\/.* holds sha256:[a-f0-9]{64}, which is not where this run imports \(\S+\/lockbase\): .*nothing was pushed/,
    );
    // Imported where the site holds them, the left-out blobs are mounted from the repositories the lock names.
    const logBefore = (await settledLog(destination)).length;
    const site = await run({
      mode: 'unpackage',
      manifests: 'release/*.yaml',
      archive: 'from-lock.tar',
      'default-repo': `${destination.host}/lockbase`,
      'output-dir': 'lockbase-release',
      'lock-file': 'lockbase-release.lock.yml',
    });
    assert.equal(site.code, 0, site.stdout);
    const log = (await settledLog(destination)).slice(logBefore);
    assert.match(
      log,
      /POST \/v2\/lockbase\/[^ ]*new1\/blobs\/uploads\/\?mount=sha256%3A[a-f0-9]{64}&from=lockbase%2F[^ ]*base1/,
      'mounted from where the lock says',
    );
    const escaped = `${source.host}/team/new1`.replace(/[/._:@]/g, '_');
    await skopeo([
      'copy',
      '--quiet',
      '--src-tls-verify=false',
      `docker://${destination.host}/lockbase/${escaped}:v1`,
      `oci:${scratchDir('read-back')}:x`,
    ]);
  });

  it('takes as a base the lock or the archive of a site that imported some platforms of an index, and refuses the lock to a run with other platforms', async () => {
    mkdirSync(path.join(workspace, 'multi'));
    mkdirSync(path.join(workspace, 'multi-release'));
    writeFileSync(path.join(workspace, 'multi', 'apps.yaml'), `- image: ${source.host}/team/multi:v1\n`);
    writeFileSync(
      path.join(workspace, 'multi-release', 'apps.yaml'),
      `- image: ${source.host}/team/multi:v1\n- image: ${source.host}/team/new2:v1\n`,
    );
    const platforms = 'linux/amd64, linux/arm64';
    const base = await run({ mode: 'package', manifests: 'multi/*.yaml', archive: 'multi.tar', platforms });
    assert.equal(base.code, 0, base.stdout);
    const imported = await run({
      mode: 'unpackage',
      manifests: 'multi/*.yaml',
      archive: 'multi.tar',
      'default-repo': `${destination.host}/platforms`,
      'output-dir': 'platforms-base',
      'lock-file': 'platforms.lock.yml',
      platforms,
    });
    assert.equal(imported.code, 0, imported.stdout);
    // The site's lock and the base archive say the same: the shared layer, each platform's own layer
    // and config (the s390x image's are not the site's).
    for (const [since, name] of [
      ['platforms.lock.yml', 'platforms-delta'],
      ['multi.tar', 'platforms-archive-delta'],
    ] as const) {
      const delta = await run({ mode: 'package', manifests: 'multi-release/*.yaml', archive: `${name}.tar`, since, platforms });
      assert.equal(delta.code, 0, delta.stdout);
      assert.ok(delta.stdout.includes(`a delta against ${since}: 5 blobs (`), delta.stdout);
      const site = await run({
        mode: 'unpackage',
        manifests: 'multi-release/*.yaml',
        archive: `${name}.tar`,
        'default-repo': `${destination.host}/platforms`,
        'output-dir': name,
        platforms,
      });
      assert.equal(site.code, 0, site.stdout);
      assert.ok(
        site.stdout.includes(`${name}.tar: a delta: 5 blobs it left out are at the destination, where ${since} put them`),
        site.stdout,
      );
    }
    // Other platforms make another index: the lock says nothing of what the site holds of it.
    for (const [other, reason] of [
      [
        { platforms: 'linux/amd64' },
        /which its source neither holds nor makes: \S+ is sha256:[a-f0-9]{64} now, which makes sha256:[a-f0-9]{64} for linux\/amd64\. Its tag moved since the site imported it, or the site imported other platforms/,
      ],
      [{}, /which its source does not hold: deleted there since, or an index made for the platforms the site imported/],
      [
        { platforms: 'linux/amd64, linux/ppc64le' },
        /which its source does not hold, and \S+ cannot be filtered for linux\/amd64, linux\/ppc64le: the index/,
      ],
    ] as const) {
      const refused = await run({
        mode: 'package',
        manifests: 'multi-release/*.yaml',
        archive: 'other.tar',
        since: 'platforms.lock.yml',
        ...other,
      });
      assert.notEqual(refused.code, 0);
      assert.match(
        refused.stdout,
        new RegExp(`platforms\\.lock\\.yml \\(since\\) pins ${source.host}/team/multi:v1 to sha256:[a-f0-9]{64}, ${reason.source}`),
      );
    }
    // The site's lock names what it holds of multi three ways: by its tag, by the index made for the
    // site and by the index that was made of (checked against that index's bytes in the archive).
    const lock = readFileSync(path.join(workspace, 'platforms.lock.yml'), 'utf8');
    const entries = [...lock.matchAll(/- image: (\S+)\n {2}newImage: (\S+)\n/g)].map(([, image, newImage]) => ({ image, newImage }));
    const heldAs = entries.find(({ image }) => image === `${source.host}/team/multi:v1`)?.newImage ?? '';
    const names = entries.filter(({ newImage }) => newImage === heldAs).map(({ image }) => image ?? '');
    assert.equal(names.length, 3, lock);
    const madeOf = `${source.host}/team/multi@${multiIndex}`;
    assert.ok(names.includes(madeOf), lock);
    assert.match(lock, new RegExp(`# made for linux/amd64, linux/arm64 of ${multiIndex}\\n- image: ${madeOf.replace(/[.]/g, '\\.')}\\n`));
    const block = `- image: ${madeOf}\n  newImage: ${heldAs}\n  preresolved: true\n`;
    assert.ok(lock.includes(block), lock);
    writeFileSync(path.join(workspace, 'without-origin.lock.yml'), lock.replace(block, ''));
    // Packaged whole and filtered as it is imported, the image is locked under the index it was made of just the same.
    const whole = await run({ mode: 'package', manifests: 'multi/*.yaml', archive: 'multi-whole.tar' });
    assert.equal(whole.code, 0, whole.stdout);
    const filteredHere = await run({
      mode: 'unpackage',
      manifests: 'multi/*.yaml',
      archive: 'multi-whole.tar',
      'default-repo': `${destination.host}/filtered-here`,
      'output-dir': 'filtered-here',
      'lock-file': 'filtered-here.lock.yml',
      platforms,
    });
    assert.equal(filteredHere.code, 0, filteredHere.stdout);
    const hereLock = readFileSync(path.join(workspace, 'filtered-here.lock.yml'), 'utf8');
    const hereAs = /- image: \S+\/team\/multi:v1\n {2}newImage: (\S+)\n/.exec(hereLock)?.[1] ?? '';
    assert.equal(hereAs.slice(hereAs.indexOf('@')), heldAs.slice(heldAs.indexOf('@')), 'the same index made of it');
    assert.ok(hereLock.includes(`- image: ${madeOf}\n  newImage: ${hereAs}\n`), hereLock);
    // The tag moved since the site imported it: the index it was made of still makes what the site holds.
    await skopeoCopy(ociLayout([100_000], ['linux/amd64', 'linux/arm64']).reference, `${source.host}/team/multi:v1`, {}, ['--all']);
    const moved = await run({
      mode: 'package',
      manifests: 'multi-release/*.yaml',
      archive: 'moved.tar',
      since: 'platforms.lock.yml',
      platforms,
    });
    assert.equal(moved.code, 0, moved.stdout);
    assert.match(moved.stdout, /a delta against platforms\.lock\.yml: /);
    // A lock that names it by its tag alone (another tool's, or one written before) says nothing of it any more.
    const tagOnly = await run({
      mode: 'package',
      manifests: 'multi-release/*.yaml',
      archive: 'moved.tar',
      since: 'without-origin.lock.yml',
      platforms,
    });
    assert.notEqual(tagOnly.code, 0);
    assert.match(tagOnly.stdout, /which its source neither holds nor makes: .* Its tag moved since the site imported it/);
  });

  it('names a base image as the site imported it: a Docker Hub name as written, and the name a lock gives in place of the YAML string', async () => {
    await skopeoCopy(layoutOf([layers[3] as Buffer]), `${source.host}/library/nginx:latest`, {}, ['--preserve-digests']);
    mkdirSync(path.join(workspace, 'short'));
    mkdirSync(path.join(workspace, 'override'));
    writeFileSync(path.join(workspace, 'short', 'apps.yaml'), '- image: nginx\n');
    writeFileSync(path.join(workspace, 'override', 'apps.yaml'), `- image: ${source.host}/team/old:v1\n`);
    writeFileSync(
      path.join(workspace, 'override.lock.yml'),
      `apiVersion: kbld.k14s.io/v1alpha1\nkind: Config\noverrides:\n- image: ${source.host}/team/old:v1\n  newImage: ${source.host}/team/base2:v1\n`,
    );
    for (const [folder, extra] of [
      ['short', { 'registry-mirrors': `docker.io=${source.host}` }],
      ['override', { lock: 'override.lock.yml', 'lock-file': 'override-out.lock.yml' }],
    ] as const) {
      const site = { mode: 'unpackage', manifests: `${folder}/*.yaml`, 'default-repo': `${destination.host}/${folder}`, ...extra };
      const base = await run({ mode: 'package', manifests: `${folder}/*.yaml`, archive: `${folder}-base.tar`, ...extra });
      assert.equal(base.code, 0, base.stdout);
      const imported = await run({ ...site, archive: `${folder}-base.tar`, 'output-dir': `${folder}-site-base` });
      assert.equal(imported.code, 0, imported.stdout);
      const delta = await run({
        mode: 'package',
        manifests: `${folder}/*.yaml`,
        archive: `${folder}-delta.tar`,
        since: `${folder}-base.tar`,
        ...extra,
      });
      assert.equal(delta.code, 0, delta.stdout);
      assert.match(delta.stdout, new RegExp(`a delta against ${folder}-base\\.tar: 2 blobs \\(.*\\) left out, which the site holds`));
      // Left out, not cached: the image's line and its row say the blobs were not fetched.
      assert.match(delta.stdout, /: sha256:[a-f0-9]{64}, archived 0 blobs \(0 B\), 2 not fetched/);
      assert.match(delta.summary, /0.blobs,.0.B<br>2.not.fetched/);
      const later = await run({ ...site, archive: `${folder}-delta.tar`, 'output-dir': `${folder}-site-delta` });
      assert.equal(later.code, 0, later.stdout);
      assert.ok(
        later.stdout.includes(
          `${folder}-delta.tar: a delta: 2 blobs it left out are at the destination, where ${folder}-base.tar put them`,
        ),
        later.stdout,
      );
    }
  });

  it('looks at the destination only for the blobs a run imports: one platform of a delta packaged whole, where that platform of its base was imported', async () => {
    await skopeoCopy(ociLayout([100_000], ['linux/amd64', 'linux/arm64']).reference, `${source.host}/team/two:v1`, {}, ['--all']);
    mkdirSync(path.join(workspace, 'one-platform'));
    writeFileSync(path.join(workspace, 'one-platform', 'apps.yaml'), `- image: ${source.host}/team/two:v1\n`);
    const manifests = 'one-platform/*.yaml';
    const site = { mode: 'unpackage', manifests, 'default-repo': `${destination.host}/amd64-only`, platforms: 'linux/amd64' };
    const base = await run({ mode: 'package', manifests, archive: 'whole-base.tar' });
    assert.equal(base.code, 0, base.stdout);
    const imported = await run({ ...site, archive: 'whole-base.tar', 'output-dir': 'amd64-base' });
    assert.equal(imported.code, 0, imported.stdout);
    // Packaged without platforms, as a packager who does not know the site's: every platform left out
    // (two configs and the layer they share).
    const delta = await run({ mode: 'package', manifests, archive: 'whole-delta.tar', since: 'whole-base.tar' });
    assert.equal(delta.code, 0, delta.stdout);
    assert.match(delta.stdout, /a delta against whole-base\.tar: 3 blobs \(.*\) left out, which the site holds/);
    const later = await run({ ...site, archive: 'whole-delta.tar', 'output-dir': 'amd64-delta' });
    assert.equal(later.code, 0, later.stdout);
    assert.match(later.stdout, /whole-delta\.tar: a delta: 2 blobs it left out are at the destination, where whole-base\.tar put them/);
    // The platform the site did not take is still refused (its config is not there), before anything is pushed.
    const other = await run({ ...site, platforms: 'linux/arm64', archive: 'whole-delta.tar', 'output-dir': 'arm64-delta' });
    assert.notEqual(other.code, 0);
    assert.match(
      other.stdout,
      /whole-delta\.tar: a delta against whole-base\.tar \(since\), and 1 blob it left out is not at the destination/,
    );
  });

  it('refuses a base that the archive it writes would replace, before any registry is asked: the archive through a glob, and its parts', async () => {
    mkdirSync(path.join(workspace, 'self'), { recursive: true });
    const first = await run({ mode: 'package', manifests: 'base/*.yaml', archive: 'self/r.tar' });
    assert.equal(first.code, 0, first.stdout);
    const before = readFileSync(path.join(workspace, 'self', 'r.tar'));
    const again = await run({ mode: 'package', manifests: 'release/*.yaml', archive: 'self/r.tar', since: 'self/*.tar' });
    assert.equal(again.code, 1, again.stdout);
    assert.match(
      again.stdout,
      /since: self\/r\.tar \(\S*self\/r\.tar\) is written over by this run's archive, \S*self\/r\.tar: a delta goes under another name/,
    );
    assert.doesNotMatch(again.stdout, /GET|blobs? \(/);
    assert.ok(readFileSync(path.join(workspace, 'self', 'r.tar')).equals(before), 'the base is as it was');

    const parts = await run({ mode: 'package', manifests: 'base/*.yaml', archive: 'self/p.tar', 'archive-part-size': '1MiB' });
    assert.equal(parts.code, 0, parts.stdout);
    assert.ok(statSync(path.join(workspace, 'self', 'p.tar.002')).size > 0);
    const overParts = await run({ mode: 'package', manifests: 'release/*.yaml', archive: 'self/p.tar', since: 'self/p.tar' });
    assert.equal(overParts.code, 1, overParts.stdout);
    assert.match(overParts.stdout, /since: self\/p\.tar \(\S*self\/p\.tar\.001\) is written over by this run's archive, \S*self\/p\.tar:/);
    // A base that is an OCI layout folder: an archive written into it (as its index.json, or among its blobs) would overwrite it.
    mkdirSync(path.join(workspace, 'self', 'layout'));
    execFileSync('tar', ['-xf', path.join(workspace, 'self', 'r.tar'), '-C', path.join(workspace, 'self', 'layout')]);
    const indexBefore = readFileSync(path.join(workspace, 'self', 'layout', 'index.json'));
    for (const archive of ['self/layout/index.json', 'self/layout/blobs/more/delta.tar']) {
      const into = await run({ mode: 'package', manifests: 'release/*.yaml', archive, since: 'self/layout' });
      assert.equal(into.code, 1, into.stdout);
      assert.match(into.stdout, /since: self\/layout \(\S*self\/layout\) is written over by this run's archive/);
    }
    assert.ok(readFileSync(path.join(workspace, 'self', 'layout', 'index.json')).equals(indexBefore), 'the layout folder is as it was');
    // Under another name, the same base makes a delta.
    const other = await run({ mode: 'package', manifests: 'release/*.yaml', archive: 'self/delta.tar', since: 'self/*.tar' });
    assert.equal(other.code, 0, other.stdout);
    assert.match(other.stdout, /a delta against self\/\*\.tar: 6 blobs/);
  });

  it('imports a delta below a default repo that is a registry alone, a shared layer taken from a base image the release no longer names', async () => {
    mkdirSync(path.join(workspace, 'later'), { recursive: true });
    writeFileSync(path.join(workspace, 'later', 'apps.yaml'), `- image: ${source.host}/team/new1:v1\n`);
    const base = await run({
      mode: 'unpackage',
      manifests: 'base/*.yaml',
      archive: 'base.tar',
      'default-repo': destination.host,
      'output-dir': 'bare-base',
    });
    assert.equal(base.code, 0, base.stdout);
    const delta = await run({ mode: 'package', manifests: 'later/*.yaml', archive: 'later.tar', since: 'base.tar' });
    assert.equal(delta.code, 0, delta.stdout);
    assert.match(delta.stdout, /a delta against base\.tar: 1 blob \(.*\) left out, which the site holds/);
    // new1's first layer is held where base1 was imported: below the registry, though not a destination of this run.
    const site = await run({
      mode: 'unpackage',
      manifests: 'later/*.yaml',
      archive: 'later.tar',
      'default-repo': destination.host,
      'output-dir': 'bare-later',
    });
    assert.equal(site.code, 0, site.stdout);
    assert.match(site.stdout, /later\.tar: a delta: 1 blob it left out is at the destination, where base\.tar put them/);
    const escaped = `${source.host}/team/new1`.replace(/[/._:@]/g, '_');
    await skopeo([
      'copy',
      '--quiet',
      '--src-tls-verify=false',
      `docker://${destination.host}/${escaped}:v1`,
      `oci:${scratchDir('read-back')}:x`,
    ]);
  });

  it('verifies a delta at the site: the images it carries and those its base left there, signed with the team key', async () => {
    const team = keyPair('ecdsa-p256');
    const registries = anonymousRegistries([source.host]);
    const client = registries.client(source.host);
    for (const name of ['base1', 'base2', 'base3', 'new1', 'new2']) {
      const { digest } = await client.resolve(`team/${name}`, 'v1');
      await pushCosignSignature(client, `team/${name}`, digest, keySigner(team));
    }
    await registries.close();
    const trust = scratchDir('trust');
    writeFileSync(path.join(trust, 'cosign.pub'), team.publicPem);
    const verify = { verify: 'signature', 'verify-key': path.join(trust, 'cosign.pub') };
    const base = await run({ ...verify, mode: 'package', manifests: 'base/*.yaml', archive: 'signed-base.tar' });
    assert.equal(base.code, 0, base.stdout);
    const siteBase = await run({
      ...verify,
      mode: 'unpackage',
      manifests: 'base/*.yaml',
      archive: 'signed-base.tar',
      'default-repo': `${destination.host}/signed`,
      'output-dir': 'signed-base',
    });
    assert.equal(siteBase.code, 0, siteBase.stdout);
    const delta = await run({
      ...verify,
      mode: 'package',
      manifests: 'release/*.yaml',
      archive: 'signed-delta.tar',
      since: 'signed-base.tar',
    });
    assert.equal(delta.code, 0, delta.stdout);
    const site = await run({
      ...verify,
      mode: 'unpackage',
      manifests: 'release/*.yaml',
      archive: 'signed-delta.tar',
      'default-repo': `${destination.host}/signed`,
      'output-dir': 'signed-release',
    });
    assert.equal(site.code, 0, site.stdout);
    for (const name of ['base1', 'new1', 'new2'])
      assert.match(site.stdout, new RegExp(`team/${name}:v1: sha256:[a-f0-9]{64} verified, signature by`));
    // A key that signed nothing: the delta is refused at the site before anything is pushed.
    writeFileSync(path.join(trust, 'other.pub'), keyPair('ecdsa-p256').publicPem);
    const refused = await run({
      verify: 'signature',
      'verify-key': path.join(trust, 'other.pub'),
      mode: 'unpackage',
      manifests: 'release/*.yaml',
      archive: 'signed-delta.tar',
      'default-repo': `${destination.host}/signed`,
      'output-dir': 'refused',
    });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stdout, /not verified \(signature\)/);
  });
});
