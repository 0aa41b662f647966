// Every mode through src/ (not the bundle): pipeline() with the settings a workflow would give, a
// recording report in place of the runner's, and the harness's real registry on loopback. What each
// mode must leave behind is read back: manifests, lock, archive, plan, tags at the destination.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type PipelineDependencies, pipeline } from '../../src/main.js';
import { openRegistries } from '../../src/open-registries.js';
import type { Report } from '../../src/report.js';
import type { Outputs } from '../../src/outputs.js';
import { loadSettings } from '../../src/settings.js';
import { noFaults, startFaultProxy } from '../registry/fault-proxy.js';
import {
  type RunningRegistry,
  ociLayout,
  scratchDir,
  settledLog,
  sha256,
  skopeoCopy,
  skopeoRaw,
  startRegistry,
} from '../registry/harness.js';
import { readTar, tarOf } from '../tar.js';

/** A report that keeps a run's outputs and lines for the test instead of printing them as commands. */
function recording(): { dependencies: PipelineDependencies; outputs: Outputs[]; lines: string[] } {
  const outputs: Outputs[] = [];
  const lines: string[] = [];
  const say = (message: string): void => void lines.push(message);
  const errors = (failures: readonly { message: string }[]): void =>
    void lines.push(...failures.map((failure) => `error: ${failure.message}`));
  const report: Report = {
    idToken: () => Promise.reject(new Error('no OIDC token in this test')),
    info: say,
    notice: (message) => say(`notice: ${message}`),
    group: (_name, work) => work(),
    secret: () => undefined,
    tokenSecret: () => undefined,
    manifestErrors: errors,
    placeholders: (found) => found.forEach((placeholder) => say(`placeholder: ${placeholder.value}`)),
    skippedFiles: (files) => files.forEach((file) => say(`skipped: ${file.file}`)),
    alwaysPulled: () => undefined,
    imageFailures: errors,
    unverified: (warnings) => warnings.forEach((warning) => say(`unverified: ${warning.message}`)),
    imageLines: (_mode, result) => void lines.push(...result.outcomes.map((outcome) => `done: ${outcome.image}`)),
    shardLines: () => undefined,
    totals: () => undefined,
    completeUntagged: (_settings, result) => say(`untagged: ${result.outcomes.length}`),
    outputs: (values) => void outputs.push(values),
    writeSummary: async () => undefined,
  };
  return { dependencies: { report, openRegistries }, outputs, lines };
}

describe('each mode through src/, against a real registry', () => {
  let registry: RunningRegistry;
  let digest: string;
  let image: string;

  before(async () => {
    registry = await startRegistry();
    const layout = ociLayout([3000, 4000], ['linux/amd64', 'linux/arm64']);
    image = `${registry.host}/team/app:v1`;
    await skopeoCopy(layout.reference, image, {}, ['--all']);
    digest = sha256(await skopeoRaw(image, {}));
  });

  after(async () => {
    await registry.stop();
  });

  /** A checkout with one Deployment naming the image, and the env a workflow step would give. */
  function checkout(inputs: Record<string, string>): { workspace: string; env: Record<string, string> } {
    const workspace = scratchDir('modes');
    mkdirSync(path.join(workspace, 'k8s'));
    writeFileSync(path.join(workspace, 'k8s', 'app.yaml'), `kind: Deployment\nspec:\n  containers:\n    - image: ${image}\n`);
    const env: Record<string, string> = {
      GITHUB_WORKSPACE: workspace,
      HOME: scratchDir('home'),
      RUNNER_TEMP: scratchDir('runner-temp'),
      'INPUT_INSECURE-REGISTRIES': registry.host,
    };
    for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
    return { workspace, env };
  }

  const manifestOf = (workspace: string): string => readFileSync(path.join(workspace, 'k8s', 'app.yaml'), 'utf8');

  it('rewrite: names onto the default repo, no registry asked', async () => {
    const { workspace, env } = checkout({ mode: 'rewrite', 'default-repo': 'registry.example/mirror' });
    const { dependencies, outputs } = recording();
    await pipeline(loadSettings(env), dependencies);
    assert.match(manifestOf(workspace), /image: registry\.example\/mirror\/127_0_0_1_\d+_team_app:v1\n/);
    assert.equal(outputs[0]?.changed, true);
  });

  it('resolve: the tag pinned to the digest the registry holds, the name kept', async () => {
    const { workspace, env } = checkout({ mode: 'resolve' });
    const { dependencies, outputs } = recording();
    await pipeline(loadSettings(env), dependencies);
    assert.equal(manifestOf(workspace).includes(`image: ${registry.host}/team/app@${digest}`), true);
    assert.match(readFileSync(path.join(workspace, 'ferry.lock.yml'), 'utf8'), new RegExp(`newImage: ${registry.host}/team/app@${digest}`));
    assert.equal(outputs[0]?.images[0]?.digest, digest);
  });

  it('relocate: the whole image copied within the registry, tagged, and the manifest pinned there', async () => {
    const { workspace, env } = checkout({ mode: 'relocate', 'default-repo': `${registry.host}/mirror` });
    const { dependencies, outputs } = recording();
    await pipeline(loadSettings(env), dependencies);
    const moved = outputs[0]?.images[0]?.newImage ?? '';
    assert.ok(moved.startsWith(`${registry.host}/mirror/`), moved);
    assert.equal(moved.endsWith(`@${digest}`), true, moved);
    assert.equal(manifestOf(workspace).includes(`image: ${moved}\n`), true);
    assert.equal(sha256(await skopeoRaw(`${moved.split('@')[0] ?? ''}:v1`, {})), digest, 'tagged at the commit point');
  });

  it('package, then unpackage into another repository, offline from the source', async () => {
    const packed = checkout({ mode: 'package' });
    await pipeline(loadSettings(packed.env), recording().dependencies);
    assert.ok(existsSync(path.join(packed.workspace, 'images.tar')));
    const unpacked = checkout({ mode: 'unpackage', 'default-repo': `${registry.host}/imported` });
    copyFileSync(path.join(packed.workspace, 'images.tar'), path.join(unpacked.workspace, 'images.tar'));
    const { dependencies, lines, outputs } = recording();
    await pipeline(loadSettings(unpacked.env), dependencies);
    assert.ok(lines.some((line) => /images\.tar: oci-layout, 1 images/.test(line)));
    const moved = outputs[0]?.images[0]?.newImage ?? '';
    assert.ok(moved.startsWith(`${registry.host}/imported/`) && moved.endsWith(`@${digest}`), moved);
    assert.equal(sha256(await skopeoRaw(`${moved.split('@')[0] ?? ''}:v1`, {})), digest);
    assert.equal(manifestOf(unpacked.workspace).includes(`image: ${moved}\n`), true);
  });

  it('package keeps the tag a name without one means, so the image answers to name:latest at the site however it is spelled', async () => {
    await skopeoCopy(`docker://${image}`, `${registry.host}/team/app:latest`, {}, ['--all', '--src-tls-verify=false']);
    const packed = checkout({ mode: 'package' });
    writeFileSync(path.join(packed.workspace, 'k8s', 'app.yaml'), `image: ${registry.host}/team/app\n`);
    await pipeline(loadSettings(packed.env), recording().dependencies);
    const index = JSON.parse((await readTar(path.join(packed.workspace, 'images.tar'))).get('index.json')?.toString() ?? '{}') as {
      manifests: { annotations: Record<string, string> }[];
    };
    assert.equal(index.manifests[0]?.annotations['io.github.ferry.source'], `${registry.host}/team/app:latest@${digest}`);
    const unpacked = checkout({ mode: 'unpackage', 'default-repo': `${registry.host}/latest` });
    writeFileSync(path.join(unpacked.workspace, 'k8s', 'app.yaml'), `image: ${registry.host}/team/app:latest\n`);
    copyFileSync(path.join(packed.workspace, 'images.tar'), path.join(unpacked.workspace, 'images.tar'));
    const { dependencies, outputs } = recording();
    await pipeline(loadSettings(unpacked.env), dependencies);
    assert.ok(outputs[0]?.images[0]?.newImage.endsWith(`@${digest}`), outputs[0]?.images[0]?.newImage);
  });

  it('unpackage takes a platform filter of a pinned index only while the archive holds the index to check it against', async () => {
    const pinned = `${registry.host}/team/app@${digest}`;
    const packed = checkout({ mode: 'package', platforms: 'linux/arm64' });
    writeFileSync(path.join(packed.workspace, 'k8s', 'app.yaml'), `image: ${pinned}\n`);
    const logged = (await settledLog(registry)).split('\n').length;
    await pipeline(loadSettings(packed.env), recording().dependencies);
    // Nothing is read ahead under a platform filter: the platform left out is never asked for.
    const index = JSON.parse((await skopeoRaw(pinned, {})).toString()) as {
      manifests: { digest: string; platform: { architecture: string } }[];
    };
    const other = index.manifests.find((child) => child.platform.architecture !== 'arm64')?.digest ?? 'none';
    const read = (await settledLog(registry)).split('\n').slice(logged - 1);
    assert.ok(
      read.some((line) => line.includes(`/manifests/${digest}`)),
      read.join('\n'),
    );
    assert.ok(!read.some((line) => line.includes(`/manifests/${other}`)), read.join('\n'));
    const entries = await readTar(path.join(packed.workspace, 'images.tar'));
    assert.ok(entries.has(`blobs/sha256/${digest.slice(7)}`), 'the pinned index travels beside the platform it was cut to');

    const imports = (archive: Buffer, repository: string) => {
      const unpacked = checkout({ mode: 'unpackage', 'default-repo': `${registry.host}/${repository}` });
      writeFileSync(path.join(unpacked.workspace, 'k8s', 'app.yaml'), `image: ${pinned}\n`);
      writeFileSync(path.join(unpacked.workspace, 'images.tar'), archive);
      const { dependencies, lines, outputs } = recording();
      return { run: pipeline(loadSettings(unpacked.env), dependencies), lines, outputs, workspace: unpacked.workspace };
    };
    const whole = imports(readFileSync(path.join(packed.workspace, 'images.tar')), 'checked');
    await whole.run;
    assert.match(whole.outputs[0]?.images[0]?.newImage ?? '', new RegExp(`^${registry.host}/checked/.*@sha256:`));
    assert.ok(
      whole.lines.some(
        (line) =>
          line.includes(`team/app@${digest}: the archive holds sha256:`) &&
          /what a platform filter made of the index it is pinned to/.test(line),
      ),
      whole.lines.join('\n'),
    );

    // The same archive without the index: only its annotation says where the arm64 image came from.
    const stripped = await tarOf(
      [...entries].filter(([name]) => name !== `blobs/sha256/${digest.slice(7)}`).map(([name, body]) => ({ name, body })),
    );
    const refused = imports(stripped, 'unchecked');
    await assert.rejects(refused.run, /1 image failed to unpackage/);
    assert.ok(
      refused.lines.some((line) => /no image there is the pinned digest, nor an index derived from it/.test(line)),
      refused.lines.join('\n'),
    );
    assert.equal(manifestOf(refused.workspace), `image: ${pinned}\n`);
    assert.ok(!(await settledLog(registry)).includes('/unchecked/'), 'nothing was pushed');
  });

  it('relocate reads what travels with an image from a repository that has no tag (the registry answers 404 to its tag list)', async () => {
    // A digest-pinned reference is copied by digest alone: the first repository then holds no tag.
    const first = checkout({ mode: 'relocate', 'default-repo': `${registry.host}/untagged` });
    writeFileSync(path.join(first.workspace, 'k8s', 'app.yaml'), `image: ${registry.host}/team/app@${digest}\n`);
    await pipeline(loadSettings(first.env), recording().dependencies);
    const bare = /image: (\S+)@/.exec(manifestOf(first.workspace))?.[1] ?? '';
    assert.ok(bare.startsWith(`${registry.host}/untagged/`), bare);
    const second = checkout({ mode: 'relocate', 'default-repo': `${registry.host}/onward`, artifacts: 'all' });
    writeFileSync(path.join(second.workspace, 'k8s', 'app.yaml'), `image: ${bare}@${digest}\n`);
    const { dependencies, outputs } = recording();
    await pipeline(loadSettings(second.env), dependencies);
    assert.ok(outputs[0]?.images[0]?.newImage.startsWith(`${registry.host}/onward/`));
  });

  it('relocate gives a name written without a tag the tag latest at its destination, as it has at its source', async () => {
    await skopeoCopy(`docker://${image}`, `${registry.host}/team/app:latest`, {}, ['--all', '--src-tls-verify=false']);
    const { workspace, env } = checkout({ mode: 'relocate', 'default-repo': `${registry.host}/latest` });
    writeFileSync(path.join(workspace, 'k8s', 'app.yaml'), `image: ${registry.host}/team/app\n`);
    const { dependencies, outputs } = recording();
    await pipeline(loadSettings(env), dependencies);
    const moved = outputs[0]?.images[0]?.newImage ?? '';
    assert.ok(moved.endsWith(`@${digest}`), moved);
    assert.equal(sha256(await skopeoRaw(`${moved.split('@')[0] ?? ''}:latest`, {})), digest, 'tagged latest at the commit point');
  });

  it('relocate under a platform filter never asks for the platforms it leaves out', async () => {
    const { workspace, env } = checkout({ mode: 'relocate', 'default-repo': `${registry.host}/arm-only`, platforms: 'linux/arm64' });
    writeFileSync(path.join(workspace, 'k8s', 'app.yaml'), `image: ${image}\n`);
    const index = JSON.parse((await skopeoRaw(image, {})).toString()) as {
      manifests: { digest: string; platform: { architecture: string } }[];
    };
    const other = index.manifests.find((child) => child.platform.architecture !== 'arm64')?.digest ?? 'none';
    const logged = (await settledLog(registry)).split('\n').length;
    await pipeline(loadSettings(env), recording().dependencies);
    const asked = (await settledLog(registry)).split('\n').slice(logged - 1);
    assert.ok(
      asked.some((line) => line.includes('/arm-only/')),
      asked.join('\n'),
    );
    assert.deepEqual(
      asked.filter((line) => line.includes(other)),
      [],
    );
  });

  it('relocate checks every image against the platform filter before the first push', async () => {
    await skopeoCopy(ociLayout([1500]).reference, `${registry.host}/team/amd64-only:v1`, {});
    const { workspace, env } = checkout({ mode: 'relocate', 'default-repo': `${registry.host}/arm`, platforms: 'linux/arm64' });
    // The index has linux/arm64; the single image is linux/amd64 alone.
    const text = `a:\n  image: ${image}\nb:\n  image: ${registry.host}/team/amd64-only:v1\n`;
    writeFileSync(path.join(workspace, 'k8s', 'app.yaml'), text);
    const { dependencies, lines } = recording();
    await assert.rejects(pipeline(loadSettings(env), dependencies), /1 image failed to relocate/);
    assert.ok(
      lines.some((line) => /amd64-only:v1: .* is a single linux\/amd64 image, not linux\/arm64/.test(line)),
      lines.join('\n'),
    );
    assert.doesNotMatch(
      await settledLog(registry),
      /"(PUT|POST|PATCH) \/v2\/arm\//,
      'nothing was pushed, not even the image that has the platform',
    );
    assert.equal(manifestOf(workspace), text);
  });

  it('plan: the plan file and the matrix, no manifest touched', async () => {
    const { workspace, env } = checkout({ mode: 'plan', shards: '1' });
    const before = manifestOf(workspace);
    const { dependencies, outputs } = recording();
    await pipeline(loadSettings(env), dependencies);
    assert.equal(manifestOf(workspace), before);
    const plan = JSON.parse(readFileSync(path.join(workspace, 'ferry.plan.json'), 'utf8')) as { images: { digest: string }[] };
    assert.deepEqual(
      plan.images.map((planned) => planned.digest),
      [digest],
    );
    const matrix = JSON.parse(outputs[0]?.extra?.matrix ?? '{}') as { include: { shard: number; images: number; bytes: number }[] };
    assert.equal(matrix.include.length, 1);
    assert.equal(matrix.include[0]?.images, 1);
    assert.ok((matrix.include[0]?.bytes ?? 0) > 7000, 'both platforms measured');
  });

  it('long work says how far it is, at most once an interval; work done within the first says nothing', async () => {
    const slow = await startFaultProxy(registry.host, noFaults);
    slow.delayMs = 400;
    try {
      const { env } = checkout({ mode: 'relocate', 'default-repo': `${registry.host}/slow` });
      env['INPUT_INSECURE-REGISTRIES'] = `${registry.host},${slow.host}`;
      writeFileSync(path.join(env.GITHUB_WORKSPACE ?? '', 'k8s', 'app.yaml'), `image: ${slow.host}/team/app:v1\n`);
      const { dependencies, lines } = recording();
      await pipeline(loadSettings(env), { ...dependencies, progressIntervalMs: 300 });
      const progress = lines.filter((line) => line.startsWith('progress: '));
      assert.ok(progress.length >= 1, lines.join('\n'));
      assert.match(progress[0] ?? '', /^progress: [01] of 1 images, [\d.]+ (B|KiB|MiB) moved \([\d.]+ (B|KiB|MiB)\/s\)/);
      assert.equal(new Set(progress).size, progress.length, 'no line repeats the one before');
    } finally {
      await slow.stop();
    }
    const { env } = checkout({ mode: 'relocate', 'default-repo': `${registry.host}/quick` });
    const { dependencies, lines } = recording();
    await pipeline(loadSettings(env), dependencies);
    assert.deepEqual(
      lines.filter((line) => line.startsWith('progress: ')),
      [],
    );
  });

  it('through a slow link, bytes count as they flow and each image says it is done when it is', async () => {
    await skopeoCopy(ociLayout([600_000]).reference, `${registry.host}/team/big:v1`, {});
    const slow = await startFaultProxy(registry.host, noFaults);
    slow.blobBytesPerSecond = 256 * 1024;
    try {
      const { env } = checkout({ mode: 'relocate', 'default-repo': `${registry.host}/slow-link` });
      env['INPUT_INSECURE-REGISTRIES'] = `${registry.host},${slow.host}`;
      const small = `${registry.host}/team/app:v1`;
      writeFileSync(
        path.join(env.GITHUB_WORKSPACE ?? '', 'k8s', 'app.yaml'),
        `a:\n  image: ${slow.host}/team/big:v1\nb:\n  image: ${small}\n`,
      );
      const { dependencies, lines } = recording();
      await pipeline(loadSettings(env), { ...dependencies, progressIntervalMs: 250 });
      const progress = lines.filter((line) => line.startsWith('progress: '));
      // While the large layer crosses (one image done, one not), the bytes moved keep growing.
      const during = progress.filter((line) => line.startsWith('progress: 1 of 2 images'));
      const moved = during.map((line) => /images, ([\d.]+ (?:B|KiB|MiB)) moved/.exec(line)?.[1]);
      assert.ok(new Set(moved).size >= 2, progress.join('\n'));
      assert.match(during[0] ?? '', /\(([1-9][\d.]*) KiB\/s\)|\(([\d.]+) MiB\/s\)/, 'the rate is of the last interval, not 0');
      // The small image's line comes while the large one still flows.
      const smallDone = lines.indexOf(`done: ${small}`);
      assert.ok(smallDone >= 0 && smallDone < lines.lastIndexOf(during[during.length - 1] ?? ''), lines.join('\n'));
    } finally {
      await slow.stop();
    }
  });

  it('a failure before the commit point throws, and leaves the manifest as it was', async () => {
    const { workspace, env } = checkout({ mode: 'resolve' });
    writeFileSync(path.join(workspace, 'k8s', 'app.yaml'), `image: ${registry.host}/team/missing:v9\n`);
    await assert.rejects(pipeline(loadSettings(env), recording().dependencies), /1 image failed to resolve, nothing was written/);
    assert.equal(manifestOf(workspace), `image: ${registry.host}/team/missing:v9\n`);
  });
});

describe('refusals instead of silent no-ops', () => {
  it('relocate with no destination and no lock is refused, naming the input, before any work', async () => {
    const workspace = scratchDir('no-destination');
    writeFileSync(path.join(workspace, 'app.yaml'), 'image: registry.invalid/team/app:v1\n');
    const env = { GITHUB_WORKSPACE: workspace, HOME: scratchDir('home'), INPUT_MODE: 'relocate' };
    await assert.rejects(
      pipeline(loadSettings(env), recording().dependencies),
      /^SettingsError: default-repo: relocate needs a destination/,
    );
    assert.equal(readFileSync(path.join(workspace, 'app.yaml'), 'utf8'), 'image: registry.invalid/team/app:v1\n');
    assert.equal(existsSync(path.join(workspace, 'ferry.lock.yml')), false);
  });
});
