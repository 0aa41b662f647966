// The verify inputs read into a policy: each refusal names the input and why, trust material in the
// checkout draws a notice, and keys are checked to be keys cosign signs with.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadSettings } from '../../src/settings.js';
import { scratchDir } from '../registry/harness.js';

function sandbox(inputs: Record<string, string>): { env: Record<string, string>; workspace: string; outside: string } {
  const root = scratchDir('verify-settings');
  const workspace = path.join(root, 'workspace');
  const outside = path.join(root, 'trust');
  mkdirSync(workspace);
  mkdirSync(outside);
  const env: Record<string, string> = { HOME: root, GITHUB_WORKSPACE: workspace, 'INPUT_DEFAULT-REPO': 'registry.example/team' };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return { env, workspace, outside };
}

const pem = (type: 'ec' | 'ed25519' | 'rsa' | 'dsa', curve?: string): string =>
  (type === 'ec'
    ? generateKeyPairSync('ec', { namedCurve: curve ?? 'P-256' })
    : type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : type === 'dsa'
        ? generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 })
        : generateKeyPairSync('ed25519')
  ).publicKey
    .export({ type: 'spki', format: 'pem' })
    .toString();

const refused = (inputs: Record<string, string>, pattern: RegExp): void => {
  assert.throws(() => loadSettings(sandbox(inputs).env), pattern);
};

describe('verify settings', () => {
  it('is off by default, and its other inputs then say they do nothing', () => {
    const settings = loadSettings(sandbox({ 'verify-key': pem('ec') }).env);
    assert.equal(settings.verify, undefined);
    assert.ok(settings.notices.some((notice) => /^verify-key: does nothing without verify/.test(notice)));
  });

  it('reads keys of every kind cosign signs with, inline or from files, and labels each by its fingerprint', () => {
    const { env, outside } = sandbox({ verify: 'signature' });
    const files = ['p256.pub', 'p384.pub', 'rsa.pub', 'ed.pub'];
    writeFileSync(path.join(outside, files[0] ?? ''), pem('ec'));
    writeFileSync(path.join(outside, files[1] ?? ''), pem('ec', 'P-384'));
    writeFileSync(path.join(outside, files[2] ?? ''), pem('rsa'));
    writeFileSync(path.join(outside, files[3] ?? ''), pem('ed25519'));
    env['INPUT_VERIFY-KEY'] = files.map((file) => path.join(outside, file)).join('\n');
    const settings = loadSettings(env);
    assert.equal(settings.verify?.keys.length, 4);
    for (const key of settings.verify?.keys ?? []) assert.match(key.label, /^key sha256:[0-9a-f]{12}$/);
    assert.equal(settings.verify?.mode, 'enforce');
    const inline = loadSettings(sandbox({ verify: 'signature', 'verify-key': `${pem('ec')}${pem('ed25519')}` }).env);
    assert.equal(inline.verify?.keys.length, 2);
  });

  it('refuses what cannot be a policy, naming the input', () => {
    refused({ verify: 'yes' }, /^SettingsError: verify: "yes" is not one of none, signature, attestation/);
    refused({ verify: 'signature' }, /verify: say whom to trust/);
    refused({ verify: 'signature', 'verify-key': 'not a key' }, /verify-key: .*does not exist/);
    refused({ verify: 'signature', 'verify-key': pem('dsa') }, /verify-key: the value: key 1 is dsa/);
    refused({ verify: 'signature', 'verify-mode': 'audit', 'verify-key': pem('ec') }, /verify-mode: "audit" is not one of enforce, warn/);
    refused({ verify: 'attestation', 'verify-key': pem('ec') }, /verify-predicate-type: verify: attestation needs the predicate type/);
    refused({ verify: 'signature', 'verify-identity': 'x' }, /verify-issuer: keyless verification needs both/);
    refused({ verify: 'signature', 'verify-issuer': 'https://issuer' }, /verify-identity: keyless verification needs both/);
    refused(
      { verify: 'signature', 'verify-issuer': 'https://i', 'verify-identity': 'a', 'verify-identity-regexp': 'b' },
      /verify-identity: set verify-identity or verify-identity-regexp, not both/,
    );
    refused(
      { verify: 'signature', 'verify-issuer': 'https://i', 'verify-identity-regexp': '(' },
      /verify-identity-regexp: "\(" is not a regular expression/,
    );
    refused({ verify: 'signature', mode: 'rewrite', 'verify-key': pem('ec') }, /verify: rewrite mode reads no registry/);
    refused(
      { verify: 'signature', mode: 'unpackage', 'verify-issuer': 'https://i', 'verify-identity': 'a' },
      /trusted-root: unpackage verifies offline/,
    );
  });

  it('anchors the identity pattern to the whole identity', () => {
    const settings = loadSettings(sandbox({ verify: 'signature', 'verify-issuer': 'https://i', 'verify-identity-regexp': 'acme/.+' }).env);
    const pattern = settings.verify?.identityPattern;
    assert.ok(pattern?.test('acme/app'));
    assert.ok(!pattern?.test('https://evil.example/?acme/app'));
  });

  it('says when a key or trusted root is in the checkout, where a pull request can change it', () => {
    const { env, workspace } = sandbox({ verify: 'signature', 'verify-issuer': 'https://i', 'verify-identity': 'a' });
    writeFileSync(path.join(workspace, 'cosign.pub'), pem('ec'));
    writeFileSync(path.join(workspace, 'root.json'), '{}');
    env['INPUT_VERIFY-KEY'] = 'cosign.pub';
    env['INPUT_TRUSTED-ROOT'] = 'root.json';
    const settings = loadSettings(env);
    assert.ok(settings.notices.some((notice) => /^verify-key: cosign\.pub is in the checkout/.test(notice)));
    assert.ok(settings.notices.some((notice) => /^trusted-root: root\.json is in the checkout/.test(notice)));
    env['INPUT_TRUSTED-ROOT'] = 'cosign.pub';
    assert.throws(() => loadSettings(env), /trusted-root: cosign\.pub is not JSON/);
  });
});
