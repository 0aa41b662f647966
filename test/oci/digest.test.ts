// Digests in every algorithm ferry accepts: computed, matched against content, told from tags.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { digestOf, isDigest, matchesDigest } from '../../src/oci/digest.js';

const bytes = Buffer.from('{"schemaVersion":2}');

describe('digests', () => {
  it('matches content in sha256, sha384 and sha512 alike, and nothing in an algorithm it does not know', () => {
    for (const algorithm of ['sha256', 'sha384', 'sha512']) {
      const digest = `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
      assert.equal(digestOf(bytes, algorithm), digest);
      assert.equal(matchesDigest(bytes, digest), true, algorithm);
      assert.equal(matchesDigest(Buffer.from('other'), digest), false, algorithm);
    }
    assert.equal(matchesDigest(bytes, `md5:${createHash('md5').update(bytes).digest('hex')}`), false);
  });

  it('tells a digest from a tag by its colon, which no tag has', () => {
    assert.equal(isDigest(digestOf(bytes)), true);
    assert.equal(isDigest('v1.2.3'), false);
  });
});
