// `npm start`: the Action on a copy of the examples, rendered for a person; a bad argument is one line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';

const script = path.resolve(import.meta.dirname, '..', '..', 'scripts', 'start.mjs');
const start = (...args: string[]) =>
  spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH ?? '' } });

describe('npm start', () => {
  it('renders groups as headings, one line per image, outputs and the summary, and no raw runner command', () => {
    const run = start();
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /\n== Rewrite\n/);
    assert.match(run.stdout, /\nbusybox:1\.36 -> registry\.example\/storefront\/busybox:1\.36\n/);
    assert.match(run.stdout, /\nrewrite: 11 images, in \d+\.\d s\n/);
    assert.match(run.stdout, /\n=== step outputs\n[\s\S]*\nchanged: true\n/);
    assert.match(run.stdout, /\n=== job summary\n## ferry rewrite\n\nRewrote 13 image fields \(11 images\) in 5 files in \d+\.\d s\.\n/);
    assert.match(
      run.stdout,
      /app\/database\.yaml:27:32: warning: registry\.example\/storefront\/alpine is pulled with imagePullPolicy Always/,
    );
    assert.doesNotMatch(run.stdout, /^::/m);
  });

  it('shows a failure as file:line:column, without the files it did not write', () => {
    const run = start('gcr.io/my-project');
    assert.equal(run.status, 1);
    assert.match(run.stdout, /app\/database\.yaml:11:28: error: registry\.example:5000\/ops\/pgbackrest:2\.51 would become/);
    assert.doesNotMatch(run.stdout, /=== app\//);
  });

  it('answers a bad argument with one line and exit 2', () => {
    const run = start('not a repo');
    assert.equal(run.status, 2);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr.trim().split('\n').length, 1);
    assert.match(run.stderr, /npm start: "not a repo" is not a default repo; write one like registry\.example\/team/);
  });
});
