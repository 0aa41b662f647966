import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseChallenges } from '../../src/registry/challenge.js';
import { describeErrorBody } from '../../src/registry/errors.js';
import { defaultRetryPolicy, isRetriableStatus, isTransientError, parseRetryAfter, retryDelay } from '../../src/registry/retry.js';

describe('parseChallenges', () => {
  it('reads a Bearer challenge with quoted realm, service and scope', () => {
    assert.deepEqual(
      parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"'),
      [
        {
          scheme: 'bearer',
          params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' },
        },
      ],
    );
  });
  it('reads Basic with a realm', () => {
    assert.deepEqual(parseChallenges('Basic realm="Registry Realm"'), [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]);
  });
  it('reads several challenges in one header and across headers, commas inside quotes kept', () => {
    assert.deepEqual(parseChallenges(['Basic realm="a, b", Bearer realm="https://t/x",scope="repository:a:pull,push"', 'Negotiate']), [
      { scheme: 'basic', params: { realm: 'a, b' } },
      { scheme: 'bearer', params: { realm: 'https://t/x', scope: 'repository:a:pull,push' } },
      { scheme: 'negotiate', params: {} },
    ]);
  });
  it('unescapes quoted-pairs, accepts token values and spaces around =, and lower-cases names', () => {
    assert.deepEqual(parseChallenges('BEARER Realm = "say \\"hi\\"" , Service=plain'), [
      { scheme: 'bearer', params: { realm: 'say "hi"', service: 'plain' } },
    ]);
  });
  it('gives nothing for no header', () => {
    assert.deepEqual(parseChallenges(undefined), []);
  });
});

describe('retry policy', () => {
  it('retries 408, 429 and the transient 5xx only', () => {
    assert.deepEqual(
      [400, 401, 403, 404, 408, 409, 429, 500, 501, 502, 503, 504, 505].filter(isRetriableStatus),
      [408, 429, 500, 502, 503, 504],
    );
  });
  it('treats resets, time-outs and unparsable answers as transient, TLS refusals not', () => {
    const unparsable = Object.assign(new Error('Response does not match the HTTP/1.1 protocol (Expected HTTP/)'), {
      name: 'HTTPParserError',
    });
    assert.equal(isTransientError(new Error('fetch failed', { cause: unparsable })), true);
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    assert.equal(isTransientError(new Error('fetch failed', { cause: reset })), true);
    assert.equal(isTransientError(Object.assign(new Error('x'), { code: 'UND_ERR_SOCKET' })), true);
    assert.equal(isTransientError(Object.assign(new Error('x'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' })), false);
  });
  it('reads Retry-After as seconds or an HTTP date', () => {
    assert.equal(parseRetryAfter('7'), 7000);
    assert.equal(parseRetryAfter(new Date(Date.UTC(2030, 0, 1, 0, 0, 30)).toUTCString(), Date.UTC(2030, 0, 1)), 30_000);
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter(undefined), undefined);
  });
  it('backs off exponentially with jitter, its own back-off to 20 s, and every wait to 300 s, Retry-After included', () => {
    const policy = { ...defaultRetryPolicy, initialDelayMs: 500 };
    assert.equal(
      retryDelay(policy, 1, undefined, () => 0),
      250,
    );
    assert.equal(
      retryDelay(policy, 1, undefined, () => 1),
      500,
    );
    assert.equal(
      retryDelay(policy, 4, undefined, () => 1),
      4000,
    );
    assert.equal(
      retryDelay(policy, 30, undefined, () => 1),
      20_000,
    );
    assert.equal(
      retryDelay({ ...policy, maxBackoffMs: undefined }, 30, undefined, () => 1),
      300_000,
    );
    // A server's Retry-After may ask for more than ferry's own back-off, up to the cap.
    assert.equal(retryDelay(policy, 1, 120_000), 120_000);
    assert.equal(retryDelay(policy, 1, 3_600_000), 300_000);
    assert.equal(retryDelay(policy, 1, 2000), 2000);
    assert.equal(defaultRetryPolicy.attempts, 10);
  });
});

describe('describeErrorBody', () => {
  it('reads the OCI error codes', () => {
    assert.deepEqual(describeErrorBody('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{}}]}'), {
      codes: ['MANIFEST_UNKNOWN'],
      message: 'MANIFEST_UNKNOWN: manifest unknown',
    });
  });
  it('keeps a short raw text otherwise', () => {
    assert.deepEqual(describeErrorBody('<html>bad gateway</html>\n'), { codes: [], message: '<html>bad gateway</html>' });
  });
});
