// What dist/index.js loads of undici: the agent and `request` ferry sends with, never undici's index,
// whose fetch, WebSocket, caches and mocks cost every start-up 50 ms (src/registry/undici.ts). The
// index, once it runs, installs a global dispatcher under a symbol of its own: the run is watched for it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { scratchDir } from '../registry/harness.js';
import { distEntry } from './action.js';

describe('the bundle', () => {
  it("sends through undici's agent without loading undici's index, in its own code or its libraries'", () => {
    const runner = scratchDir('bundle');
    const workspace = path.join(runner, 'workspace');
    writeFileSync(path.join(runner, 'output'), '');
    writeFileSync(path.join(runner, 'summary'), '');
    mkdirSync(workspace);
    // An image at a port where nothing listens: the run connects through undici, and fails.
    writeFileSync(path.join(workspace, 'app.yaml'), 'image: 127.0.0.1:1/app:v1\n');
    const probe = `process.on('exit', () => process.stderr.write('global dispatcher: ' + (globalThis[Symbol.for('undici.globalDispatcher.2')] !== undefined) + '\\n'));`;
    const run = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(probe)}`, distEntry], {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: runner,
        GITHUB_WORKSPACE: workspace,
        GITHUB_OUTPUT: path.join(runner, 'output'),
        GITHUB_STEP_SUMMARY: path.join(runner, 'summary'),
        INPUT_MODE: 'resolve',
        'INPUT_INSECURE-REGISTRIES': '127.0.0.1:1',
      },
    });
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /connect at 127\.0\.0\.1:1: connect ECONNREFUSED/);
    assert.match(run.stderr, /global dispatcher: false/);
  });
});
