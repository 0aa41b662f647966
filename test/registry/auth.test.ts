// The registry's authentication layers (auth.ts: challenges and tokens; authorize.ts: which credential,
// when, and where it may go) against scripted registries and token servers on loopback: the exact
// requests each answer leads to.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sha256 } from './harness.js';
import { basicOf, manifestAnswer, scriptedSuite } from './scripted.js';

const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json' }));
const digest = sha256(manifest);

describe('authentication against a registry', () => {
  const suite = scriptedSuite();

  it('answers a Basic challenge with the credential config.json holds for the registry, only once challenged', async () => {
    const registry = await suite.serve((request, response) => {
      if (request.authorization !== basicOf('alice', 'wonderland')) {
        response.writeHead(401, { 'www-authenticate': 'Basic realm="registry"' }).end();
        return true;
      }
      if (request.url === `/v2/team/app/manifests/v1`) return manifestAnswer(response, manifest, digest, request.method);
    });
    const { registries } = suite.registries([registry.host], { [registry.host]: { username: 'alice', password: 'wonderland' } });
    const found = await registries.client(registry.host).resolve('team/app', 'v1');
    assert.equal(found.digest, digest);
    // The ping goes without credentials; the challenge it gets decides the scheme.
    assert.equal(registry.seen[0]?.url, '/v2/');
    assert.equal(registry.seen[0]?.authorization, undefined);
    const lookups = registry.seen.filter((request) => request.url.includes('/manifests/'));
    assert.ok(lookups.length >= 1);
    assert.ok(lookups.every((request) => request.authorization === basicOf('alice', 'wonderland')));
  });

  it('fetches a Bearer token for the scope, uses it until the registry refuses it, then refreshes it once', async () => {
    let issued = 0;
    const valid = new Set<string>();
    const tokens = await suite.serve((request, response) => {
      if (!request.url.startsWith('/token')) return;
      const token = `token-${++issued}`;
      valid.add(token);
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token, expires_in: 300 }));
      return true;
    });
    const registry = await suite.serve((request, response) => {
      const token = request.authorization?.replace(/^Bearer /, '');
      if (token === undefined || !valid.has(token)) {
        response.writeHead(401, { 'www-authenticate': `Bearer realm="http://${tokens.host}/token",service="scripted"` }).end();
        return true;
      }
      if (request.url.endsWith('/manifests/v1')) return manifestAnswer(response, manifest, digest, request.method);
    });
    const { registries, secrets } = suite.registries([registry.host, tokens.host], {});
    const client = registries.client(registry.host);
    await client.resolve('team/app', 'v1');
    await client.resolve('team/app', 'v1');
    const tokenRequests = (): string[] =>
      tokens.seen.map((request) => new URL(request.url, 'http://x').searchParams.getAll('scope').join(' '));
    assert.deepEqual(tokenRequests(), ['repository:team/app:pull'], 'one token for one scope, however many requests');
    await client.resolve('team/other', 'v1');
    assert.deepEqual(tokenRequests(), ['repository:team/app:pull', 'repository:team/other:pull'], 'a token per scope');
    assert.equal(new URL(tokens.seen[0]?.url ?? '', 'http://x').searchParams.get('service'), 'scripted');
    // The registry revokes the token: one refresh, and the request goes through.
    valid.delete('token-1');
    await client.resolve('team/app', 'v1');
    assert.equal(tokens.seen.length, 3);
    assert.deepEqual(secrets.filter((secret) => secret.startsWith('token-')).sort(), ['token-1', 'token-2', 'token-3']);
  });

  it('sends no credential to a token realm over plain HTTP that is not listed insecure', async () => {
    const tokens = await suite.serve(() => undefined);
    const registry = await suite.serve((_request, response) => {
      response.writeHead(401, { 'www-authenticate': `Bearer realm="http://${tokens.host}/token"` }).end();
      return true;
    });
    const { registries } = suite.registries([registry.host], { [registry.host]: { username: 'alice', password: 'secret-password' } });
    await assert.rejects(registries.client(registry.host).resolve('team/app', 'v1'), (error: Error) => {
      assert.match(error.message, /token realm http:\/\/127\.0\.0\.1:\d+ is not HTTPS: list 127\.0\.0\.1:\d+ in insecure-registries/);
      assert.doesNotMatch(error.message, /secret-password/);
      return true;
    });
    assert.equal(tokens.seen.length, 0);
  });

  it('tries the next credential that applies when the token server refuses the first, most specific key first', async () => {
    const tokens = await suite.serve((request, response) => {
      if (request.authorization === basicOf('team-bot', 'right')) {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'granted' }));
      } else response.writeHead(401).end('{"errors":[{"code":"UNAUTHORIZED","message":"no"}]}');
      return true;
    });
    const registry = await suite.serve((request, response) => {
      if (request.authorization !== 'Bearer granted') {
        response.writeHead(401, { 'www-authenticate': `Bearer realm="http://${tokens.host}/token"` }).end();
        return true;
      }
      if (request.url.endsWith('/manifests/v1')) return manifestAnswer(response, manifest, digest, request.method);
    });
    const { registries } = suite.registries([registry.host, tokens.host], {
      [registry.host]: { username: 'anyone', password: 'wrong' },
      [`${registry.host}/team`]: { username: 'team-bot', password: 'right' },
      [`${registry.host}/elsewhere`]: { username: 'other', password: 'unused' },
    });
    await registries.client(registry.host).resolve('team/app', 'v1');
    // The key with the repository's path prefix is the most specific, so it is tried first and works.
    assert.deepEqual(
      tokens.seen.map((request) => request.authorization),
      [basicOf('team-bot', 'right')],
    );
  });

  it('names the credential the registry refused, never its secret', async () => {
    const registry = await suite.serve((_request, response) => {
      response.writeHead(401, { 'www-authenticate': 'Basic realm="registry"' }).end();
      return true;
    });
    const { registries } = suite.registries([registry.host], { [registry.host]: { username: 'alice', password: 'hunter2-secret' } });
    await assert.rejects(registries.client(registry.host).resolve('team/app', 'v1'), (error: Error) => {
      assert.match(error.message, /authentication failed: the registry refused .*config\.json auths\["127\.0\.0\.1:\d+"\]/);
      assert.doesNotMatch(error.message, /hunter2|alice:/);
      return true;
    });
  });

  it('refuses a token answer that is not JSON or holds no token, naming the registry', async () => {
    for (const [answer, reason] of [
      ['<html>sign in</html>', /not JSON/],
      ['{"expires_in":300}', /without a token/],
    ] as const) {
      const tokens = await suite.serve((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' }).end(answer);
        return true;
      });
      const registry = await suite.serve((_request, response) => {
        response.writeHead(401, { 'www-authenticate': `Bearer realm="http://${tokens.host}/token"` }).end();
        return true;
      });
      const { registries } = suite.registries([registry.host, tokens.host], {});
      await assert.rejects(registries.client(registry.host).resolve('team/app', 'v1'), (error: Error) => {
        assert.match(error.message, reason);
        assert.ok(error.message.includes(registry.host), error.message);
        return true;
      });
    }
  });

  it('takes a challenge only from the registry itself: a 401 where a redirect led gets no credential', async () => {
    const cdn = await suite.serve((_request, response) => {
      response.writeHead(401, { 'www-authenticate': 'Basic realm="cdn"' }).end();
      return true;
    });
    const blob = Buffer.from('layer bytes');
    const registry = await suite.serve((request, response) => {
      if (request.authorization !== basicOf('alice', 'wonderland')) {
        response.writeHead(401, { 'www-authenticate': 'Basic realm="registry"' }).end();
        return true;
      }
      if (request.url.includes('/blobs/')) {
        response.writeHead(307, { location: `http://${cdn.host}/storage/blob` }).end();
        return true;
      }
    });
    const { registries } = suite.registries([registry.host, cdn.host], { [registry.host]: { username: 'alice', password: 'wonderland' } });
    const read = async (): Promise<void> => {
      for await (const chunk of registries.client(registry.host).getBlob('team/app', sha256(blob), blob.length)) void chunk;
    };
    await assert.rejects(read(), /a challenge counts only from the registry itself, so no credential was sent there/);
    assert.ok(cdn.seen.length > 0, 'the redirect was followed');
    assert.ok(
      cdn.seen.every((request) => request.authorization === undefined),
      'no Authorization went to the redirect target',
    );
  });
});
