import assert from 'node:assert/strict';
import { symlinkSync, chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { matchCredentials } from '../../src/lib.js';
import { execHelper } from '../../src/registry/credential-helper.js';
import { CredentialStore } from '../../src/registry/credentials.js';
import { globMatches } from '../../src/registry/glob.js';
import { scratchDir } from './harness.js';

const keys = (...names: string[]): Record<string, object> => Object.fromEntries(names.map((name) => [name, { auth: 'x' }]));

// The kubelet's keyring tests (pkg/credentialprovider/keyring_test.go, TestURLsMatch), as image names.
describe('matchCredentials: glob keys per DNS label, path prefixes, ports', () => {
  const cases: [string, string, boolean][] = [
    ['*.kubernetes.io', 'prefix.kubernetes.io/app', true],
    ['prefix.*.io', 'prefix.kubernetes.io/app', true],
    ['prefix.kubernetes.*', 'prefix.kubernetes.io/app', true],
    ['*-good.kubernetes.io', 'prefix-good.kubernetes.io/app', true],
    ['*.kubernetes.io/blah', 'prefix.kubernetes.io/blah', true],
    ['prefix.*.io/foo', 'prefix.kubernetes.io/foo/bar', true],
    ['*.kubernetes.io:1111/blah', 'prefix.kubernetes.io:1111/blah', true],
    ['prefix.*.io:1111/foo', 'prefix.kubernetes.io:1111/foo/bar', true],
    ['*.kubernetes.io', 'kubernetes.io/app', false],
    ['*.*.kubernetes.io', 'prefix.kubernetes.io/app', false],
    ['prefix.*.kubernetes.io', 'prefix.kubernetes.io/app', false],
    ['*kubernetes.io', 'a.kubernetes.io/app', false],
    ['*.kubernetes.io/blah', 'prefix.kubernetes.io/notblah', false],
    ['prefix.*.io/foo', 'prefix.kubernetes.io/bar', false],
    ['*.kubernetes.io:1111', 'prefix.kubernetes.io:1112/app', false],
    ['*.kubernetes.io', 'prefix.kubernetes.io:1111/app', false],
    ['prefix.kubernetes.io:1111', 'prefix.kubernetes.io/app', false],
    // The seed's pattern: a glob inside the first label, with a path prefix.
    ['*my-registry.io/images', 'my-registry.io/images/my-image', true],
    ['*.my-registry.io/images', 'sub.my-registry.io/images/my-image', true],
    ['*.my-registry.io/images', 'a.sub.my-registry.io/images/my-image', false],
    ['[a-c].example.io', 'b.example.io/app', true],
    ['[^a-c].example.io', 'b.example.io/app', false],
    ['?.example.io', 'ab.example.io/app', false],
  ];
  for (const [key, image, matches] of cases) {
    it(`${key} ${matches ? 'matches' : 'does not match'} ${image}`, () => {
      assert.deepEqual(matchCredentials(keys(key), image), matches ? [key] : []);
    });
  }
});

describe('matchCredentials: order and normalization', () => {
  it('tries the most specific path first, every matching key in turn (kubelet keyring order)', () => {
    const auths = keys('my-registry.io/images', 'my-registry.io/images/subpath', 'my-registry.io', 'other.io');
    assert.deepEqual(matchCredentials(auths, 'my-registry.io/images/subpath/my-image'), [
      'my-registry.io/images/subpath',
      'my-registry.io/images',
      'my-registry.io',
    ]);
  });

  it('matches path prefixes as strings, as the kubelet does', () => {
    assert.deepEqual(matchCredentials(keys('bar.example.com/pong'), 'bar.example.com/ponger'), ['bar.example.com/pong']);
    assert.deepEqual(matchCredentials(keys('bar.example.com/pong'), 'bar.example.com/pang'), []);
  });

  it('drops schemes and treats /v1/ and /v2/ as the host alone', () => {
    const auths = keys('https://registry.example.com/v1/', 'http://registry.example.com/v2/', 'https://registry.example.com/v2/team');
    assert.deepEqual(matchCredentials(auths, 'registry.example.com/team/app'), [
      'https://registry.example.com/v2/team',
      'https://registry.example.com/v1/',
      'http://registry.example.com/v2/',
    ]);
  });

  it("uses Docker Hub's key for Hub images, qualified or not", () => {
    const auths = keys('https://index.docker.io/v1/');
    for (const image of ['jenkins', 'google/docker-registry', 'docker.io/library/nginx:1.25', 'index.docker.io/google/docker-registry']) {
      assert.deepEqual(matchCredentials(auths, image), ['https://index.docker.io/v1/'], image);
    }
    assert.deepEqual(matchCredentials(auths, 'quay.io/org/app'), []);
  });

  it('prefers a key for the Hub path over the Hub fallback', () => {
    const auths = keys('https://index.docker.io/v1/', 'docker.io/myorg');
    assert.deepEqual(matchCredentials(auths, 'myorg/app'), ['docker.io/myorg']);
  });
});

describe('globMatches (Go path.Match for one label)', () => {
  const cases: [string, string, boolean][] = [
    ['*', 'abc', true],
    ['a*c', 'abbc', true],
    ['a?c', 'abc', true],
    ['[a-c]x', 'bx', true],
    ['[^a-c]x', 'bx', false],
    ['\\*x', '*x', true],
    ['[]a]', 'a', false],
    ['[', '[', false],
    ['[a-]', 'a', false],
  ];
  for (const [pattern, text, expected] of cases)
    it(`${pattern} ~ ${text}: ${expected}`, () => assert.equal(globMatches(pattern, text), expected));
});

function dockerConfig(config: object): string {
  const dir = scratchDir('docker-config');
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

describe('CredentialStore', () => {
  it('decodes auth, registers every secret, and names the source without the secret', async () => {
    const secrets: string[] = [];
    const dir = dockerConfig({
      auths: {
        'registry.example': { auth: Buffer.from('alice:s3cret:with:colons').toString('base64') },
        '*.example.io/team': { username: 'bob', password: 'hunter2' },
        'tokens.example': { identitytoken: 'refresh-me' },
      },
    });
    const store = new CredentialStore({
      dockerConfigDir: dir,
      onSecret: (secret) => secrets.push(secret),
      runHelper: async () => undefined,
    });
    const [alice] = await store.lookup('registry.example', 'team/app');
    assert.deepEqual(alice, {
      source: `${path.join(dir, 'config.json')} auths["registry.example"]`,
      username: 'alice',
      password: 's3cret:with:colons',
    });
    assert.deepEqual(
      (await store.lookup('eu.example.io', 'team/app')).map((credential) => credential.username),
      ['bob'],
    );
    assert.deepEqual(await store.lookup('eu.example.io', 'other/app'), []);
    assert.equal((await store.lookup('tokens.example', 'x'))[0]?.identityToken, 'refresh-me');
    for (const secret of ['s3cret:with:colons', 'hunter2', 'refresh-me']) assert.ok(secrets.includes(secret), secret);
  });

  it('asks a credential helper first, and a credsStore for keys without inline credentials', async () => {
    const asked: string[] = [];
    const dir = dockerConfig({
      credHelpers: { 'gcr.example': 'gcr' },
      credsStore: 'desktop',
      auths: { 'stored.example': {}, 'gcr.example': { auth: Buffer.from('u:p').toString('base64') } },
    });
    const store = new CredentialStore({
      dockerConfigDir: dir,
      onSecret: () => undefined,
      runHelper: async (helper, serverUrl) => {
        asked.push(`${helper} ${serverUrl}`);
        return helper === 'gcr' ? { Username: '<token>', Secret: 'oauth-refresh' } : { Username: 'desk', Secret: 'top' };
      },
    });
    assert.deepEqual(
      (await store.lookup('gcr.example', 'p/app')).map((credential) => [
        credential.identityToken ?? credential.username,
        credential.source,
      ]),
      [
        ['oauth-refresh', 'docker-credential-gcr (gcr.example)'],
        ['u', `${path.join(dir, 'config.json')} auths["gcr.example"]`],
      ],
    );
    assert.equal((await store.lookup('stored.example', 'app'))[0]?.password, 'top');
    assert.equal((await store.lookup('docker.io', 'library/nginx'))[0]?.source, 'docker-credential-desktop (https://index.docker.io/v1/)');
    assert.deepEqual(asked, ['gcr gcr.example', 'desktop stored.example', 'desktop https://index.docker.io/v1/']);
  });

  it("reads podman's REGISTRY_AUTH_FILE after config.json", async () => {
    const dir = dockerConfig({ auths: { 'registry.example': { username: 'docker', password: 'a' } } });
    const authFile = path.join(scratchDir('auth-file'), 'auth.json');
    writeFileSync(authFile, JSON.stringify({ auths: { 'registry.example/team': { username: 'podman', password: 'b' } } }));
    const store = new CredentialStore({ dockerConfigDir: dir, authFile, onSecret: () => undefined, runHelper: async () => undefined });
    assert.deepEqual(
      (await store.lookup('registry.example', 'team/app')).map((credential) => credential.username),
      ['docker', 'podman'],
    );
  });

  it('runs a real docker-credential helper with the server URL on stdin', async () => {
    const bin = scratchDir('helper-bin');
    mkdirSync(bin, { recursive: true });
    const helper = path.join(bin, 'docker-credential-ferrytest');
    writeFileSync(
      helper,
      '#!/bin/sh\nread server\nif [ "$server" = "known.example" ]; then echo "{\\"ServerURL\\":\\"$server\\",\\"Username\\":\\"helper-user\\",\\"Secret\\":\\"helper-secret\\"}"; else echo "credentials not found in native keychain"; exit 1; fi\n',
    );
    chmodSync(helper, 0o755);
    const previous = process.env.PATH;
    process.env.PATH = `${bin}${path.delimiter}${previous ?? ''}`;
    try {
      const masked: string[] = [];
      const mask = (secret: string): number => masked.push(secret);
      assert.deepEqual(await execHelper('ferrytest', 'known.example', mask), { Username: 'helper-user', Secret: 'helper-secret' });
      assert.ok(masked.some((secret) => secret.includes('helper-secret')));
      assert.equal(await execHelper('ferrytest', 'unknown.example', mask), undefined);
      await assert.rejects(execHelper('missing-helper-for-ferry', 'x', mask), /docker-credential-missing-helper-for-ferry/);
    } finally {
      process.env.PATH = previous;
    }
  });

  it("a helper's output that is not a credential is masked first and never quoted", async () => {
    const bin = scratchDir('helper-bin');
    mkdirSync(bin, { recursive: true });
    for (const [name, script] of [
      ['plain', 'echo ghp_SUPERSECRETTOKEN1234567890'],
      ['failing', 'echo "token ghp_SUPERSECRETTOKEN1234567890 expired" >&2; echo ghp_SUPERSECRETTOKEN1234567890; exit 3'],
      ['array', 'echo \'["ghp_SUPERSECRETTOKEN1234567890"]\''],
    ]) {
      const helper = path.join(bin, `docker-credential-ferry${name}`);
      writeFileSync(helper, `#!/bin/sh\nread server\n${script}\n`);
      chmodSync(helper, 0o755);
    }
    const previous = process.env.PATH;
    process.env.PATH = `${bin}${path.delimiter}${previous ?? ''}`;
    try {
      for (const name of ['plain', 'failing', 'array']) {
        const masked: string[] = [];
        await assert.rejects(
          execHelper(`ferry${name}`, 'r.example', (secret) => masked.push(secret)),
          (error: Error) => {
            assert.match(error.message, new RegExp(`^docker-credential-ferry${name} get r\\.example`));
            assert.doesNotMatch(error.message, /SUPERSECRET/);
            assert.equal(error.cause, undefined);
            return true;
          },
        );
        assert.ok(masked.includes('ghp_SUPERSECRETTOKEN1234567890') || masked.includes('["ghp_SUPERSECRETTOKEN1234567890"]'), name);
      }
    } finally {
      process.env.PATH = previous;
    }
  });

  it('refuses a config.json that is not JSON, naming the file and the position, never the text around it', () => {
    const dir = scratchDir('bad-config');
    // A stray comma after a password: JSON.parse's own message would quote the password.
    writeFileSync(path.join(dir, 'config.json'), '{"auths": {"r.example": {"password": "hunter2-secret",}}}');
    assert.throws(
      () => new CredentialStore({ dockerConfigDir: dir, onSecret: () => undefined, runHelper: async () => undefined }),
      (error: unknown) =>
        error instanceof Error &&
        /config\.json: not valid JSON at line 1, column \d+$/.test(error.message) &&
        !error.message.includes('hunter2') &&
        error.cause === undefined,
    );
  });

  it('masks the decoded password of every auths entry as soon as the file is read', () => {
    const dir = scratchDir('mask-config');
    const auth = Buffer.from('robot:decoded-secret').toString('base64');
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ auths: { 'never.used.example': { auth } } }));
    const masked: string[] = [];
    new CredentialStore({ dockerConfigDir: dir, onSecret: (secret) => masked.push(secret), runHelper: async () => undefined });
    assert.deepEqual(masked, [auth, 'decoded-secret']);
  });

  it('refuses a config.json that is a link to a device, or too large', () => {
    const dir = scratchDir('device-config');
    symlinkSync('/dev/zero', path.join(dir, 'config.json'));
    assert.throws(
      () => new CredentialStore({ dockerConfigDir: dir, onSecret: () => undefined, runHelper: async () => undefined }),
      /config\.json is a device, not a regular file/,
    );
  });
});
