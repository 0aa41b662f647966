// Hostile and malformed archives are refused before anything is pushed, and nothing is written
// outside the temporary folder.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ArchiveError, readArchive } from '../src/archive/read.js';
import { scratchDir } from './registry/harness.js';
import { type TarEntry as Entry, tarOf } from './tar.js';

const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** A valid one-image layout's entries: a config, a layer, a manifest and the index. */
function layout(): { entries: Entry[]; layer: Buffer } {
  const layer = randomBytes(3000);
  const config = Buffer.from('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}');
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${sha(config)}`, size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: `sha256:${sha(layer)}`, size: layer.length }],
    }),
  );
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: `sha256:${sha(manifest)}`,
          size: manifest.length,
          annotations: { 'org.opencontainers.image.ref.name': 'app:v1' },
        },
      ],
    }),
  );
  return {
    layer,
    entries: [
      { name: `blobs/sha256/${sha(config)}`, body: config },
      { name: `blobs/sha256/${sha(layer)}`, body: layer },
      { name: `blobs/sha256/${sha(manifest)}`, body: manifest },
      { name: 'index.json', body: index },
      { name: 'oci-layout', body: Buffer.from('{"imageLayoutVersion":"1.0.0"}') },
    ],
  };
}

async function read(bytes: Buffer): Promise<{ dir: string; result: Promise<unknown> }> {
  const root = scratchDir('archive');
  const file = path.join(root, 'images.tar');
  writeFileSync(file, bytes);
  // Nothing is extracted: the folder the archive is in is where anything escaping would land.
  const dir = path.join(root, 'unpacked');
  return { dir, result: readArchive(file) };
}

describe('readArchive', () => {
  it('reads a valid layout, every blob verified', async () => {
    const { result } = await read(await tarOf(layout().entries));
    const archive = (await result) as Awaited<ReturnType<typeof readArchive>>;
    assert.equal(archive.format, 'oci-layout');
    assert.equal(archive.images.length, 1);
    assert.equal(archive.images[0]?.refName, 'app:v1');
    // Read from its byte range in the tar, verified again.
    const layer = await archive.source.getManifest(archive.images[0]?.descriptor.digest ?? '');
    assert.equal(layer.descriptor.digest, archive.images[0]?.descriptor.digest);
  });

  it('sends blobs from their byte ranges, many at once and many one after another, leaving nothing on the file', async () => {
    const { entries, layer } = layout();
    const archive = (await (await read(await tarOf(entries))).result) as Awaited<ReturnType<typeof readArchive>>;
    const warnings: string[] = [];
    const warned = (warning: Error): void => void warnings.push(warning.name);
    process.on('warning', warned);
    try {
      const descriptor = { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: `sha256:${sha(layer)}`, size: layer.length };
      const reads = Array.from({ length: 24 }, async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of archive.source.openBlob(descriptor)) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks);
      });
      for (const bytes of await Promise.all(reads)) assert.deepEqual(bytes, layer);
      for (let read = 0; read < 24; read++) {
        const chunks: Buffer[] = [];
        for await (const chunk of archive.source.openBlob(descriptor)) chunks.push(chunk as Buffer);
        assert.deepEqual(Buffer.concat(chunks), layer);
      }
      await new Promise((resolve) => setImmediate(resolve));
      // What a stream leaves listening on the archive's file handle would keep it alive (a FileHandle is an emitter).
      const { handle } = (archive.source as unknown as { store: { handle: EventEmitter } }).store;
      assert.equal(handle.listenerCount('close'), 0);
    } finally {
      process.off('warning', warned);
    }
    assert.deepEqual(warnings, []);
  });

  it('reads names too long for a ustar header (PAX), and a tar without its closing blocks', async () => {
    const { entries } = layout();
    const long = { name: `notes/${'n'.repeat(150)}/readme.txt`, body: Buffer.from('not an image') };
    const whole = await tarOf([long, ...entries]);
    const { result } = await read(whole);
    assert.equal(((await result) as Awaited<ReturnType<typeof readArchive>>).images.length, 1);
    const unclosed = await read(whole.subarray(0, whole.length - 1024));
    assert.equal(((await unclosed.result) as Awaited<ReturnType<typeof readArchive>>).images.length, 1);
  });

  const hostile: [string, (entries: Entry[], layer: Buffer) => Entry[], RegExp][] = [
    [
      'a path with ..',
      (entries) => [{ name: '../escaped.txt', body: Buffer.from('x') }, ...entries],
      /a path outside the archive \(\.\.\/escaped\.txt\)/,
    ],
    ['a nested .. path', (entries) => [{ name: 'blobs/../../escaped', body: Buffer.from('x') }, ...entries], /a path outside the archive/],
    [
      'an absolute path',
      (entries) => [{ name: '/tmp/ferry-absolute-escape', body: Buffer.from('x') }, ...entries],
      /an absolute path \(\/tmp\/ferry-absolute-escape\)/,
    ],
    [
      'a symbolic link',
      (entries) => [{ name: 'link', type: 'symlink', linkname: '/etc/passwd' }, ...entries],
      /holds a symlink \(link\); only files and folders/,
    ],
    ['a hard link', (entries) => [{ name: 'hard', type: 'link', linkname: 'index.json' }, ...entries], /holds a link \(hard\)/],
    ['a device', (entries) => [{ name: 'dev', type: 'character-device' }, ...entries], /holds a character-device \(dev\)/],
    ['a duplicate name', (entries) => [...entries, { name: 'index.json', body: Buffer.from('{}') }], /holds index\.json twice/],
    [
      'a blob whose content is not its name',
      (entries, layer) =>
        entries.map((entry) => (entry.name === `blobs/sha256/${sha(layer)}` ? { ...entry, body: Buffer.from('tampered') } : entry)),
      /holds sha256:[a-f0-9]{64}: its content does not match its name/,
    ],
    [
      'an index pointing at a missing blob',
      (entries, layer) => entries.filter((entry) => entry.name !== `blobs/sha256/${sha(layer)}`),
      /lacks sha256:[a-f0-9]{64} \(3000 bytes\), which an image needs/,
    ],
    [
      'an oversized index.json',
      (entries) => entries.map((entry) => (entry.name === 'index.json' ? { ...entry, body: Buffer.alloc(5 * 1024 * 1024, 32) } : entry)),
      /index\.json is larger than 4194304 bytes/,
    ],
    ['no oci-layout', (entries) => entries.filter((entry) => entry.name !== 'oci-layout'), /the archive has no oci-layout/],
  ];
  for (const [description, mutate, message] of hostile) {
    it(`refuses ${description}`, async () => {
      const { entries, layer } = layout();
      const { dir, result } = await read(await tarOf(mutate(entries, layer)));
      await assert.rejects(
        result,
        (error: unknown) => error instanceof ArchiveError && message.test(error.message) && /nothing was pushed$/.test(error.message),
      );
      assert.ok(!existsSync(path.join(dir, '..', '..', 'escaped.txt')));
      assert.ok(!existsSync(path.join(path.dirname(dir), 'escaped')));
      assert.ok(!existsSync('/tmp/ferry-absolute-escape'));
    });
  }

  it('refuses a truncated tar', async () => {
    const whole = await tarOf(layout().entries);
    const { result } = await read(whole.subarray(0, 2500));
    await assert.rejects(result, /not a complete tar archive/);
  });

  it('refuses a file that is not a tar', async () => {
    const { result } = await read(Buffer.from('this is not a tar archive at all, just text'.repeat(20)));
    await assert.rejects(result, ArchiveError);
  });
});
