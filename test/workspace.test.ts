// The file boundary: what a path in the workspace, or in RUNNER_TEMP, may lead to.
import assert from 'node:assert/strict';
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Workspace } from '../src/workspace.js';
import { scratchDir } from './registry/harness.js';

describe('the boundary and RUNNER_TEMP', () => {
  it('takes a file in RUNNER_TEMP by its own path, however spelled, and never through a link in the checkout', () => {
    const base = realpathSync(scratchDir('boundary'));
    const real = path.join(base, 'workspace-real');
    const temp = path.join(base, 'temp-real');
    mkdirSync(real);
    mkdirSync(temp);
    writeFileSync(path.join(temp, 'key'), 'secret');
    symlinkSync(real, path.join(base, 'workspace'));
    symlinkSync(temp, path.join(base, 'temp'));
    symlinkSync(temp, path.join(real, 'out'));
    // GITHUB_WORKSPACE and RUNNER_TEMP each given through a link, as a self-hosted runner may.
    const files = new Workspace(path.join(base, 'workspace'), path.join(base, 'temp'));
    for (const named of [path.join(base, 'workspace', 'out', 'key'), path.join(real, 'out', 'key')])
      assert.throws(() => files.realFile('archive', named, true), /is a link in the checkout that leads into RUNNER_TEMP/, named);
    for (const named of [path.join(base, 'temp', 'key'), path.join(temp, 'key')])
      assert.equal(files.realFile('archive', named, true), path.join(temp, 'key'), named);
    // RUNNER_TEMP inside the workspace, itself a link elsewhere: named there, it is taken.
    symlinkSync(temp, path.join(real, '_temp'));
    const inside = new Workspace(real, path.join(real, '_temp'));
    assert.equal(inside.realFile('archive', path.join(real, '_temp', 'key'), true), path.join(temp, 'key'));
    assert.throws(() => inside.realFile('archive', path.join(real, 'out', 'key'), true), /leads into RUNNER_TEMP/);
  });
});
