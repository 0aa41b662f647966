// A value registered as a secret is masked in every later log line and drops any job output holding
// it: a token a registry hands out is registered only when it cannot be the run's own text; the
// credentials the workflow gives are always registered.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as report from '../src/report.js';
import { addPublicText, maskableToken } from '../src/secret-text.js';
import { runnerCommands } from './runner-commands.js';
import { printed } from './stdout.js';

const digest = `sha256:${'3f'.repeat(32)}`;
const masks = (work: () => void): string[] =>
  runnerCommands(printed(work))
    .filter((command) => command.name === 'add-mask')
    .map((command) => command.data);

describe('which values are registered as secrets', () => {
  it('a token that is a word, a digest or a piece of the outputs is not registered: it would mask the run itself', () => {
    addPublicText(['registry.example/team/storefront-web:1.25', 'k8s/overlays/production/deployment.yaml']);
    const words = [
      'sha256',
      'shard',
      'true',
      digest,
      digest.slice(7),
      digest.slice(7, 19),
      `sha256-${digest.slice(7)}`,
      '"digest":"sha256:',
      '"newImage":"',
      '@sha256:',
      'kbld.k14s.io/v1alpha1',
      'minimumRequiredVersion',
      'registry.example/team/storefront',
      'overlays/production/deployment',
    ];
    assert.deepEqual(
      masks(() => {
        for (const word of words) report.tokenSecret(word);
      }),
      [],
    );
    for (const word of words) assert.equal(maskableToken(word), false, word);
  });

  it('a real token is registered, and so is every credential the workflow gives, however short or hex', () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJhY2Nlc3MiOltdfQ.c2lnbmF0dXJl';
    const hexPassword = 'ab'.repeat(20);
    assert.deepEqual(
      masks(() => {
        report.tokenSecret(token);
        report.secret(hexPassword);
        report.secret('hunter2');
      }),
      [token, hexPassword, 'hunter2'],
    );
  });
});
