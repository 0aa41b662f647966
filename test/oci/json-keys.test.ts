// Keys a JSON document repeats: read one way by JSON.parse (the last alone) and another by Go (merged).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { repeatedKey } from '../../src/oci/json-keys.js';

describe('repeatedKey', () => {
  it('finds a key an object repeats, at any depth, however it is escaped, and nothing else', () => {
    assert.equal(repeatedKey('{"rootfs":{"diff_ids":["a"]},"rootfs":{"type":"layers"}}'), 'rootfs');
    assert.equal(repeatedKey('{"a":[{"b":1},{"c":{"d":2,"d":3}}]}'), 'd');
    assert.equal(repeatedKey('{"rootfs":1,"\\u0072ootfs":2}'), 'rootfs');
    // The same key in sibling objects, a value equal to a key, strings holding quotes, braces and commas: no repeat.
    assert.equal(repeatedKey('[{"a":1},{"a":2}]'), undefined);
    assert.equal(repeatedKey('{"a":"a","b":{"a":"b"},"c":["a","a"]}'), undefined);
    assert.equal(repeatedKey('{"a":"x\\"}{,\\"a\\":","b":"\\\\","c":1}'), undefined);
    // Keys Go would fold together are not repeats here (a map's keys are compared exactly): respelledField's.
    assert.equal(repeatedKey('{"annotations":{"a":"1","A":"2"}}'), undefined);
    assert.equal(repeatedKey(' { } '), undefined);
  });
});
