// GitHub's own local runner for actions, @github/local-action, runs src/main.ts's run() in rewrite mode
// on a copy of the examples, the way `npm run local` does with .env.example; and in package mode
// against a real registry, where its stubs lack the cache: the notice, never a crash.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { ociLayout, scratchDir, skopeoCopy, startRegistry } from './registry/harness.js';

const root = path.resolve(import.meta.dirname, '..');

const localAction = (envFile: string) =>
  promisify(execFile)(
    process.execPath,
    [path.join(root, 'node_modules', '@github', 'local-action', 'bin', 'local-action.js'), 'run', root, 'src/main.ts', envFile],
    { cwd: root, timeout: 120_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } },
  );

/** The .env file local-action reads: its own folders under `scratch`, the workspace, the inputs. */
function envFile(scratch: string, workspace: string, inputs: readonly string[]): string {
  for (const dir of ['cache', 'artifacts', 'temp']) mkdirSync(path.join(scratch, dir), { recursive: true });
  const file = path.join(scratch, '.env');
  writeFileSync(
    file,
    [
      `LOCAL_ACTION_WORKSPACE=${workspace}`,
      `LOCAL_ACTION_CACHE_PATH=${path.join(scratch, 'cache')}`,
      `LOCAL_ACTION_ARTIFACT_PATH=${path.join(scratch, 'artifacts')}`,
      `GITHUB_WORKSPACE=${workspace}`,
      `RUNNER_TEMP=${path.join(scratch, 'temp')}`,
      ...inputs,
      '',
    ].join('\n'),
  );
  return file;
}

describe('@github/local-action', () => {
  it('runs the package mode against a registry, the cache it lacks degrading to a notice', async () => {
    const registry = await startRegistry();
    try {
      await skopeoCopy(ociLayout([1000, 2000], ['linux/amd64', 'linux/arm64']).reference, `${registry.host}/team/app:v1`, {}, ['--all']);
      const scratch = scratchDir('local-action-package');
      const workspace = path.join(scratch, 'workspace');
      mkdirSync(path.join(workspace, 'k8s'), { recursive: true });
      writeFileSync(path.join(workspace, 'k8s', 'app.yaml'), `image: ${registry.host}/team/app:v1\n`);
      const env = envFile(scratch, workspace, [
        'INPUT_MODE=package',
        'INPUT_MANIFESTS=k8s/*.yaml',
        `INPUT_INSECURE-REGISTRIES=${registry.host}`,
        'INPUT_ARCHIVE=out/images.tar',
      ]);
      const { stdout } = await localAction(env);
      assert.match(stdout, /The GitHub Actions cache is not available here/);
      assert.match(stdout, /::set-output name=archive::/);
      assert.ok(readFileSync(path.join(workspace, 'out', 'images.tar')).length > 3000, 'the archive is written');
    } finally {
      await registry.stop();
    }
  });

  it('runs the rewrite mode from src/main.ts and reports its outputs', async () => {
    const scratch = scratchDir('local-action');
    const workspace = path.join(scratch, 'workspace');
    cpSync(path.join(root, 'examples'), workspace, { recursive: true });
    const env = envFile(scratch, workspace, [
      'INPUT_MODE=rewrite',
      'INPUT_DEFAULT-REPO=registry.example/storefront',
      'INPUT_MANIFESTS=app/*.yaml',
    ]);
    const { stdout } = await localAction(env);
    assert.match(stdout, /Action Outputs/);
    assert.match(stdout, /::set-output name=changed::true/);
    assert.match(
      readFileSync(path.join(workspace, 'app', 'deployment.yaml'), 'utf8'),
      /image: registry\.example\/storefront\/busybox:1\.36/,
    );
    assert.match(readFileSync(path.join(workspace, 'ferry.lock.yml'), 'utf8'), /^apiVersion: kbld\.k14s\.io\/v1alpha1\n/);
  });
});
