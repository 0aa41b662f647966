// What a pull request can put in the checkout, through dist/index.js: links out of the workspace,
// special files, odd file names, huge files, a skaffold.yaml that lowers transport security. Each case
// asserts that nothing outside the workspace changed (a sentinel folder's checksums), that nothing was
// written where the run was refused, that memory stayed bounded, and that the run ended quickly with a
// message naming the path.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { scratchDir } from '../registry/harness.js';
import { runnerCommand, runnerCommands, runnerLines } from '../runner-commands.js';
import { type ActionRun, runAction, snapshot } from './action.js';

const image = 'image: nginx:1.25\n';

/** A workspace with one ordinary manifest, and a sentinel folder beside it that nothing may touch. */
function hostile(): { workspace: string; outside: string; checksum: () => string } {
  const root = scratchDir('hostile');
  const workspace = path.join(root, 'workspace');
  const outside = path.join(root, 'outside');
  mkdirSync(path.join(workspace, 'k8s'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(path.join(workspace, 'k8s', 'app.yaml'), image);
  writeFileSync(path.join(outside, 'victim.yaml'), image);
  writeFileSync(
    path.join(outside, 'config.json'),
    JSON.stringify({ auths: { 'r.example': { auth: Buffer.from('u:secret-password').toString('base64') } } }),
  );
  const checksum = (): string => {
    const hash = createHash('sha256');
    for (const [name, text] of [...snapshot(outside)].sort()) hash.update(`${name}\0${text}\0`);
    return hash.digest('hex');
  };
  return { workspace, outside, checksum };
}

const rewrite = { mode: 'rewrite', 'default-repo': 'registry.example/team' };

/** A refused run: failed, quickly, within a memory bound, naming what it refused, with nothing written. */
function assertRefused(run: ActionRun, reason: RegExp): void {
  assert.equal(run.code, 1, run.stdout);
  assert.match(run.stdout, reason);
  assert.ok(run.seconds < 20, `ended in ${run.seconds} s`);
  assert.ok(run.peakRssMiB < 300, `peak memory ${run.peakRssMiB} MiB`);
  assert.doesNotMatch(run.stdout, /^wrote /m);
}

describe('a hostile checkout', () => {
  it('a linked folder that leads out is not entered, and files outside stay as they were', async () => {
    const { workspace, outside, checksum } = hostile();
    symlinkSync(outside, path.join(workspace, 'link'));
    const before = checksum();
    const run = await runAction(workspace, rewrite);
    assert.equal(run.code, 0, run.stdout);
    assert.equal(checksum(), before);
    assert.equal(readFileSync(path.join(workspace, 'k8s', 'app.yaml'), 'utf8'), 'image: registry.example/team/nginx:1.25\n');
    assert.deepEqual(JSON.parse(run.outputs.manifests ?? '[]'), [path.join(workspace, 'k8s', 'app.yaml')]);
  });

  it('a linked manifest that leads out is refused before any write', async () => {
    const { workspace, outside, checksum } = hostile();
    symlinkSync(path.join(outside, 'victim.yaml'), path.join(workspace, 'k8s', 'victim.yaml'));
    const before = checksum();
    const inside = snapshot(path.join(workspace, 'k8s'));
    const run = await runAction(workspace, rewrite);
    assertRefused(run, /manifests: k8s\/victim\.yaml leads outside the workspace/);
    assert.equal(checksum(), before);
    assert.deepEqual(snapshot(path.join(workspace, 'k8s')), inside);
  });

  it('a linked manifest inside the workspace is edited where it is, and stays a link', async () => {
    const { workspace } = hostile();
    symlinkSync('app.yaml', path.join(workspace, 'k8s', 'alias.yaml'));
    const run = await runAction(workspace, rewrite);
    assert.equal(run.code, 0, run.stdout);
    assert.ok(lstatSync(path.join(workspace, 'k8s', 'alias.yaml')).isSymbolicLink());
    assert.equal(readlinkSync(path.join(workspace, 'k8s', 'alias.yaml')), 'app.yaml');
    assert.equal(readFileSync(path.join(workspace, 'k8s', 'app.yaml'), 'utf8'), 'image: registry.example/team/nginx:1.25\n');
  });

  it('output-dir through a link that leads out is refused, and so is a credentials file linked in', async () => {
    const { workspace, outside, checksum } = hostile();
    symlinkSync(outside, path.join(workspace, 'rendered'));
    const before = checksum();
    const run = await runAction(workspace, { ...rewrite, 'output-dir': 'rendered', manifests: 'k8s/**/*.yaml' });
    assertRefused(run, /output-dir: rendered leads outside the workspace/);
    assert.equal(checksum(), before);

    const second = hostile();
    mkdirSync(path.join(second.workspace, 'deploy'));
    symlinkSync(path.join(second.outside, 'config.json'), path.join(second.workspace, 'deploy', 'creds.yaml'));
    const leaked = await runAction(second.workspace, { ...rewrite, 'output-dir': 'out' });
    assertRefused(leaked, /manifests: deploy\/creds\.yaml leads outside the workspace/);
    assert.doesNotMatch(leaked.stdout + JSON.stringify(leaked.outputs), /secret-password|dTpzZWNyZXQtcGFzc3dvcmQ/);
  });

  it('a link in the checkout into RUNNER_TEMP is no archive, part or base: refused unread, while a path named there is taken', async () => {
    const { workspace } = hostile();
    const temp = scratchDir('hostile-runner-temp');
    // What an earlier step of the job left in RUNNER_TEMP: a key, and an archive it meant ferry to read.
    writeFileSync(path.join(temp, 'deploy-key'), `-----BEGIN OPENSSH PRIVATE KEY-----\n${'b3BlbnNzaC1rZXktdjE'.repeat(40)}\n`);
    writeFileSync(path.join(temp, 'kept.tar'), Buffer.alloc(1024));
    symlinkSync(path.join(temp, 'deploy-key'), path.join(workspace, 'images.tar'));
    symlinkSync(path.join(temp, 'deploy-key'), path.join(workspace, 'parted.tar.001'));
    // 127.0.0.1:9 answers nothing: a run that got as far as a registry would say so instead.
    const inputs = { mode: 'unpackage', 'default-repo': '127.0.0.1:9/site', 'insecure-registries': '127.0.0.1:9' };
    for (const [archive, shown] of [
      ['images.tar', 'images\\.tar'],
      ['parted.tar', 'parted\\.tar\\.001'],
    ]) {
      const run = await runAction(workspace, { ...inputs, archive: archive as string }, { RUNNER_TEMP: temp });
      assertRefused(run, new RegExp(`${shown} is a link in the checkout that leads into RUNNER_TEMP`));
      assert.doesNotMatch(run.stdout, /b3BlbnNz|BEGIN OPENSSH|header field/);
    }
    // A base for a delta, and one that is not there: each refused before any registry is asked.
    for (const [since, reason] of [
      ['images.tar', /since: images\.tar is a link in the checkout that leads into RUNNER_TEMP/],
      ['gone.tar', /since: gone\.tar does not exist/],
    ] as const) {
      const run = await runAction(workspace, { mode: 'package', since }, { RUNNER_TEMP: temp });
      assertRefused(run, reason);
      assert.doesNotMatch(run.stdout, /docker\.io|connect/);
    }
    // The same file named by its path in RUNNER_TEMP is read (and is no archive, which is said).
    const named = await runAction(workspace, { ...inputs, archive: path.join(temp, 'kept.tar') }, { RUNNER_TEMP: temp });
    assert.equal(named.code, 1);
    assert.doesNotMatch(named.stdout, /leads into RUNNER_TEMP|outside the workspace/);
    assert.match(named.stdout, /kept\.tar/);
  });

  it('output-dir and lock-file outside the workspace are refused', async () => {
    const { workspace, checksum } = hostile();
    const before = checksum();
    assertRefused(
      await runAction(workspace, { ...rewrite, 'output-dir': '../outside/x' }),
      /output-dir: \.\.\/outside\/x is outside the workspace/,
    );
    assertRefused(
      await runAction(workspace, { ...rewrite, 'lock-file': '../../x.lock.yml' }),
      /lock-file: \.\.\/\.\.\/x\.lock\.yml is outside the workspace/,
    );
    assertRefused(
      await runAction(workspace, { mode: 'package', archive: '/tmp/../etc/x.tar' }),
      /archive: \/etc\/x\.tar is outside the workspace or RUNNER_TEMP|archive: \/tmp\/\.\.\/etc\/x\.tar is outside/,
    );
    assert.equal(checksum(), before);
  });

  it('a manifest or skaffold.yaml that is a device or a FIFO is refused at once, memory bounded', async () => {
    const zero = hostile();
    symlinkSync('/dev/zero', path.join(zero.workspace, 'k8s', 'zero.yaml'));
    assertRefused(await runAction(zero.workspace, rewrite), /k8s\/zero\.yaml leads outside the workspace \(to \/dev\/zero\)/);

    const fifo = hostile();
    execFileSync('mkfifo', [path.join(fifo.workspace, 'k8s', 'pipe.yaml')]);
    assertRefused(await runAction(fifo.workspace, rewrite), /k8s\/pipe\.yaml is a FIFO, not a regular file/);

    const skaffold = hostile();
    symlinkSync('/dev/zero', path.join(skaffold.workspace, 'skaffold.yaml'));
    assertRefused(
      await runAction(skaffold.workspace, rewrite),
      /skaffold\.yaml: .*skaffold\.yaml leads outside the workspace \(to \/dev\/zero\)/,
    );

    const archive = hostile();
    execFileSync('mkfifo', [path.join(archive.workspace, 'images.tar')]);
    assertRefused(
      await runAction(archive.workspace, { mode: 'unpackage', 'default-repo': 'registry.example/team' }),
      /archive: .*images\.tar is a FIFO, not a regular file/,
    );
  });

  it('a missing archive is said to be missing, before any registry is asked', async () => {
    const { workspace } = hostile();
    const run = await runAction(workspace, { mode: 'unpackage', 'default-repo': 'registry.example/team' });
    assertRefused(run, /::error::archive: images\.tar does not exist/);
    assert.match(run.summary, /The step failed\.[\s\S]*archive: images\.tar does not exist/);
  });

  it('a manifest larger than max-manifest-bytes is refused, naming it', async () => {
    const { workspace } = hostile();
    writeFileSync(path.join(workspace, 'k8s', 'big.yaml'), `${image}# ${'x'.repeat(64 * 1024)}\n`);
    assertRefused(
      await runAction(workspace, { ...rewrite, 'max-manifest-bytes': '64KiB' }),
      /big\.yaml is \d+ bytes, more than the 65536 ferry reads/,
    );
  });

  it('a file name that would forge a workflow command is refused, and forges nothing', async () => {
    const { workspace } = hostile();
    const name = 'x\n::error title=forged::owned\n::set-output name=changed::true\n.yaml';
    writeFileSync(path.join(workspace, 'k8s', name), image);
    const run = await runAction(workspace, rewrite);
    assertRefused(run, /holds control characters; rename it/);
    assert.doesNotMatch(run.stdout, /^::error title=forged/m);
    assert.doesNotMatch(run.stdout, /^::set-output/m);
    // A line separator or a C1 control, which JSON's quoting leaves as it is, is escaped too.
    const { workspace: other } = hostile();
    writeFileSync(path.join(other, 'k8s', 'x\u2028::warning::approved\u0085.yaml'), image);
    const separated = await runAction(other, rewrite);
    assertRefused(separated, /"k8s\/x\\u2028::warning::approved\\u0085\.yaml" holds control characters; rename it/);
    assert.ok(!/[\u2028\u0085]/.test(separated.stdout), 'no raw separator in the log');
  });

  it('file names that the runner would read as commands are printed as text: no stop-commands, no forged warning', async () => {
    const { workspace } = hostile();
    const lock = 'apiVersion: kbld.k14s.io/v1alpha1\nkind: Config\noverrides: []\n';
    writeFileSync(path.join(workspace, 'k8s', 'x ##[stop-commands]t.yaml'), lock);
    writeFileSync(path.join(workspace, 'k8s', '::warning title=forged::approve.yaml'), image);
    const run = await runAction(workspace, rewrite);
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /stop-commands\]t\.yaml: a kbld or imgpkg lock, never edited/);
    const commands = runnerCommands(run.stdout);
    assert.ok(commands.some((command) => command.name === 'group'));
    for (const command of commands) {
      assert.equal(command.parser, 'v2', JSON.stringify(command));
      assert.notEqual(command.name, 'stop-commands');
      assert.doesNotMatch(command.data, /forged|approve\.yaml$/, JSON.stringify(command));
    }
    // Every command the runner reads is one @actions/core wrote: at the very start of its line.
    for (const line of runnerLines(run.stdout)) if (runnerCommand(line) !== undefined) assert.ok(line.startsWith('::'), line);
  });

  it('a manifest that is a link into .github is not a manifest: the workflow is left as it is', async () => {
    const { workspace } = hostile();
    mkdirSync(path.join(workspace, '.github', 'workflows'), { recursive: true });
    const workflow = 'jobs:\n  build:\n    container:\n      image: node:20\n';
    writeFileSync(path.join(workspace, '.github', 'workflows', 'ci.yml'), workflow);
    mkdirSync(path.join(workspace, 'deploy'));
    symlinkSync('../.github/workflows/ci.yml', path.join(workspace, 'deploy', 'app.yaml'));
    const run = await runAction(workspace, rewrite);
    assert.equal(run.code, 0, run.stdout);
    assert.equal(readFileSync(path.join(workspace, '.github', 'workflows', 'ci.yml'), 'utf8'), workflow);
    assert.deepEqual(JSON.parse(run.outputs.manifests ?? '[]'), [path.join(workspace, 'k8s', 'app.yaml')]);
  });

  it('two images the default repo would give one name fail rewrite and relocate before any registry is asked', async () => {
    const { workspace } = hostile();
    writeFileSync(path.join(workspace, 'k8s', 'app.yaml'), 'a:\n  image: ghcr.io/acme/app:1.0\nb:\n  image: ghcr.io/acme.app:1.0\n');
    const before = snapshot(workspace);
    for (const mode of ['rewrite', 'relocate']) {
      // 127.0.0.1:9 answers nothing: a run that asked a registry would fail with a connection error instead.
      const run = await runAction(workspace, { mode, 'default-repo': '127.0.0.1:9/team', 'insecure-registries': '127.0.0.1:9' });
      assertRefused(
        run,
        /k8s\/app\.yaml:2:10: ghcr\.io\/acme\/app:1\.0 and ghcr\.io\/acme\.app:1\.0 \(k8s\/app\.yaml:4\) would both become 127\.0\.0\.1:9\/team\/ghcr_io_acme_app:1\.0/,
      );
      assert.doesNotMatch(run.stdout, /connect|ECONNREFUSED/);
      assert.deepEqual(snapshot(workspace), before);
    }
  });

  it('a 9 MiB image value is quoted in a few hundred characters, not echoed whole', async () => {
    const { workspace } = hostile();
    const value = 'A'.repeat(9 * 1024 * 1024);
    writeFileSync(path.join(workspace, 'k8s', 'big.yaml'), `image: ${value}\n`);
    const run = await runAction(workspace, rewrite);
    assertRefused(run, /k8s\/big\.yaml:1:8: .*\(9437184 characters\)/);
    assert.ok(run.stdout.length < 16 * 1024, `${run.stdout.length} characters of log`);
  });

  it("the checkout's skaffold.yaml cannot make a registry with credentials insecure", async () => {
    const { workspace } = hostile();
    const dockerConfig = scratchDir('hostile-docker');
    writeFileSync(
      path.join(dockerConfig, 'config.json'),
      JSON.stringify({ auths: { 'creds.example': { auth: Buffer.from('u:p').toString('base64') } } }),
    );
    writeFileSync(
      path.join(workspace, 'skaffold.yaml'),
      'apiVersion: skaffold/v4beta11\nkind: Config\nbuild:\n  insecureRegistries: [creds.example]\n',
    );
    writeFileSync(path.join(workspace, 'k8s', 'app.yaml'), 'image: creds.example/team/app:1\n');
    const run = await runAction(workspace, { mode: 'resolve', 'docker-config': dockerConfig });
    assertRefused(run, /skaffold\.yaml in the checkout lists creds\.example as insecure, and ferry has credentials for it/);
    assert.match(run.stdout, /::notice::skaffold\.yaml in the checkout lists creds\.example as insecure/);
  });
});
