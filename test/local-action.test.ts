// GitHub's own local runner for actions, @github/local-action, runs src/main.ts's run() in rewrite mode
// on a copy of the examples, the way `npm run local` does with .env.example.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { scratchDir } from './registry/harness.js';

const root = path.resolve(import.meta.dirname, '..');

describe('@github/local-action', () => {
  it('runs the rewrite mode from src/main.ts and reports its outputs', async () => {
    const scratch = scratchDir('local-action');
    const workspace = path.join(scratch, 'workspace');
    cpSync(path.join(root, 'examples'), workspace, { recursive: true });
    for (const dir of ['cache', 'artifacts']) mkdirSync(path.join(scratch, dir));
    const env = path.join(scratch, '.env');
    writeFileSync(
      env,
      [
        `LOCAL_ACTION_WORKSPACE=${workspace}`,
        `LOCAL_ACTION_CACHE_PATH=${path.join(scratch, 'cache')}`,
        `LOCAL_ACTION_ARTIFACT_PATH=${path.join(scratch, 'artifacts')}`,
        `GITHUB_WORKSPACE=${workspace}`,
        'INPUT_MODE=rewrite',
        'INPUT_DEFAULT-REPO=registry.example/storefront',
        'INPUT_MANIFESTS=app/*.yaml',
        '',
      ].join('\n'),
    );
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(root, 'node_modules', '@github', 'local-action', 'bin', 'local-action.js'), 'run', root, 'src/main.ts', env],
      { cwd: root, timeout: 120_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } },
    );
    assert.match(stdout, /Action Outputs/);
    assert.match(stdout, /::set-output name=changed::true/);
    assert.match(
      readFileSync(path.join(workspace, 'app', 'deployment.yaml'), 'utf8'),
      /image: registry\.example\/storefront\/busybox:1\.36/,
    );
    assert.match(readFileSync(path.join(workspace, 'ferry.lock.yml'), 'utf8'), /^apiVersion: kbld\.k14s\.io\/v1alpha1\n/);
  });
});
