// A delta's record read as untrusted: every field checked, the bases it names its own, and the same
// record always the same bytes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deltaBytes, readDelta } from '../../src/archive/delta.js';
import { sha256 } from '../registry/harness.js';

const digest = sha256(Buffer.from('a layer'));
const record = (blobs: unknown[], since: unknown = ['base.tar']): Buffer => Buffer.from(JSON.stringify({ since, blobs }));

describe('a delta record', () => {
  it('reads back what it wrote, sorted, with where the site holds each blob', () => {
    const other = sha256(Buffer.from('another'));
    const written = deltaBytes({
      since: ['base.tar', 'site.lock.yml'],
      blobs: [
        { digest: other, size: 7, base: 'site.lock.yml', repository: 'registry.example/site/app' },
        { digest, size: 7, base: 'base.tar', image: 'registry.example/team/app:v1' },
        { digest: sha256(Buffer.from('a chart')), size: 7, base: 'base.tar', image: 'registry.example/charts/web:1.0.0', chart: true },
      ],
    });
    const read = readDelta('delta.tar', written);
    assert.deepEqual(
      read.blobs.map((blob) => blob.digest),
      [digest, other, sha256(Buffer.from('a chart'))].sort(),
    );
    assert.deepEqual(
      read.blobs.map((blob) => blob.chart),
      read.blobs.map((blob) => (blob.image === 'registry.example/charts/web:1.0.0' ? true : undefined)),
    );
    assert.equal(read.blobs.find((blob) => blob.digest === other)?.repository, 'registry.example/site/app');
    assert.ok(deltaBytes(read).equals(written), 'the same record is the same bytes');
  });

  it('reads a record of as many bases as it allows, each entry checked against them by name', () => {
    const since = Array.from({ length: 10_000 }, (_, n) => `base-${n}.tar`);
    const blobs = Array.from({ length: 20_000 }, (_, n) => ({ digest, size: n, base: since[since.length - 1 - (n % 3)], image: 'app:v1' }));
    const read = readDelta('delta.tar', record(blobs, since));
    assert.equal(read.since.length, 10_000);
    assert.deepEqual(new Set(read.blobs.map((blob) => blob.base)), new Set(since.slice(-3)));
  });

  it('refuses a record whose entries are not what it says', () => {
    const cases: [Buffer, RegExp][] = [
      [Buffer.from('not json'), /ferry-delta\.json is not JSON/],
      [record([], 'base.tar'), /names no bases/],
      [
        record(
          [],
          Array.from({ length: 10_001 }, (_, n) => `base-${n}.tar`),
        ),
        /names more than 10000 bases/,
      ],
      [record([{ digest: 'sha256:abc', size: 1, base: 'base.tar', image: 'app:v1' }]), /entry 1 names no digest/],
      [record([{ digest, size: -1, base: 'base.tar', image: 'app:v1' }]), /entry 1 gives no size/],
      [record([{ digest, size: 1, base: 'other.tar', image: 'app:v1' }]), /entry 1 names a base that is not among its bases/],
      [record([{ digest, size: 1, base: 'base.tar' }]), /neither one image nor one repository/],
      [record([{ digest, size: 1, base: 'base.tar', image: 'app:v1', repository: 'r.example/x' }]), /neither one image nor one repository/],
      [record([{ digest, size: 1, base: 'base.tar', image: 'Not A Reference' }]), /entry 1: invalid image reference/],
      [record([{ digest, size: 1, base: 'base.tar', image: 'app:v1', chart: 'yes' }]), /entry 1 says a chart in a way that is not/],
      [
        record([{ digest, size: 1, base: 'base.tar', repository: 'r.example/x', chart: true }]),
        /entry 1 says a chart in a way that is not/,
      ],
      // Names are shown in messages: an escape or a line separator in one would change the log.
      [record([], ['base\u001b[8m ::warning::ok.tar']), /names no bases/],
      [record([{ digest, size: 1, base: 'base.tar', image: 'app\u2028:v1' }]), /entry 1 names neither one image nor one repository/],
      [record([{ digest, size: 1, base: 'base.tar', repository: 'r.example/x\u001b[8m' }]), /entry 1 names neither one image/],
    ];
    for (const [bytes, message] of cases) assert.throws(() => readDelta('delta.tar', bytes), message, bytes.toString());
  });
});
