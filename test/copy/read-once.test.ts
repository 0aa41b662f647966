// A source read once: what the read-ahead asks of the source it wraps, and what it leaves to the walk.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { ReadOnceSource } from '../../src/copy/read-once.js';
import type { Manifest } from '../../src/oci/manifest.js';
import { sha256 } from '../registry/harness.js';

const indexType = 'application/vnd.oci.image.index.v1+json';
const imageType = 'application/vnd.oci.image.manifest.v1+json';

describe('a source read once', () => {
  it('reads ahead the children of an index the size of a manifest, and leaves a larger one to the walk', async () => {
    const small = { mediaType: imageType, digest: sha256('small'), size: 900 };
    // An index may declare a child of any size; the walk reads it within the run's budget.
    const large = { mediaType: imageType, digest: sha256('large'), size: 4 * 1024 * 1024 };
    const json = { schemaVersion: 2, mediaType: indexType, manifests: [small, large] };
    const bytes = Buffer.from(JSON.stringify(json));
    const index: Manifest = { descriptor: { mediaType: indexType, digest: sha256(bytes), size: bytes.length }, bytes, json };
    const asked: string[] = [];
    const source = new ReadOnceSource({
      key: 'test',
      async getManifest(digest) {
        asked.push(digest);
        if (digest === index.descriptor.digest) return index;
        throw new Error('not here');
      },
      openBlob: () => Readable.from([]),
      referrers: async () => [],
      digestTags: async () => [],
    });
    source.warm(index.descriptor.digest, 'none');
    for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(asked, [index.descriptor.digest, small.digest]);
  });

  it('sends a blob the gate kept only under the size the gate read it with; under another, the source is asked', async () => {
    const bytes = Buffer.from('a signature layer');
    const digest = sha256(bytes);
    const opened: number[] = [];
    const source = new ReadOnceSource({
      key: 'test',
      getManifest: async () => {
        throw new Error('not here');
      },
      openBlob: (blob) => {
        opened.push(blob.size);
        return Readable.from([bytes]);
      },
      referrers: async () => [],
      digestTags: async () => [],
    });
    const read = async (stream: Readable): Promise<Buffer> => {
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    };
    const gate = source.forGate();
    assert.ok((await read(gate.openBlob({ mediaType: 'x/y', digest, size: bytes.length }))).equals(bytes));
    assert.deepEqual(opened, [bytes.length]);
    // The gate again, and the copy, under another size: both go to the source, which would refuse it.
    await read(gate.openBlob({ mediaType: 'x/y', digest, size: bytes.length + 100 }));
    await read(source.openBlob({ mediaType: 'x/y', digest, size: bytes.length + 100 }));
    assert.deepEqual(opened, [bytes.length, bytes.length + 100, bytes.length + 100]);
  });
});
