// A value registered as a secret is masked in every later log line and drops any job output holding
// it: only values that cannot be the run's own text are registered.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as report from '../src/report.js';
import { addPublicText, maskable } from '../src/secret-text.js';
import { runnerCommands } from './runner-commands.js';
import { printed } from './stdout.js';

const digest = `sha256:${'3f'.repeat(32)}`;

describe('which values are registered as secrets', () => {
  it('a token that is a word, a digest or a piece of the outputs is not registered: it would mask the run itself', () => {
    addPublicText(['registry.example/team/app:1.25', 'k8s/deployment.yaml']);
    const words = [
      'sha256',
      'shard',
      'true',
      digest,
      digest.slice(7),
      digest.slice(7, 19),
      `sha256-${digest.slice(7)}`,
      'kbld.k14s.io/v1alpha1',
      'preresolved',
      'registry.example/team',
      'deployment.yaml',
    ];
    const output = printed(() => {
      for (const word of words) report.secret(word);
    });
    assert.deepEqual(
      runnerCommands(output).filter((command) => command.name === 'add-mask'),
      [],
    );
    for (const word of words) assert.equal(maskable(word), false, word);
  });

  it('a real token or password is registered', () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJhY2Nlc3MiOltdfQ.c2lnbmF0dXJl';
    const output = printed(() => {
      report.secret(token);
      report.secret('correct-horse-battery');
    });
    assert.deepEqual(
      runnerCommands(output)
        .filter((command) => command.name === 'add-mask')
        .map((command) => command.data),
      [token, 'correct-horse-battery'],
    );
  });
});
