// The archive laid out in place is the tar a streaming tar writer makes of the same entries, byte for
// byte: the headers are tar-stream's (sizes past 8 GiB included), and a whole archive written blob by
// blob, in any order, equals tar-stream's pack of it.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import tar from 'tar-stream';
import { ArchiveFile, ArchivePlanner, commitArchive } from '../../src/archive/archive-file.js';
import { partialName } from '../../src/archive/span-names.js';
import { layoutIndex } from '../../src/archive/layout-index.js';
import { BlobStore } from '../../src/archive/store.js';
import { ustarHeader } from '../../src/archive/tar-layout.js';
import { scratchDir, sha256 } from '../registry/harness.js';

// tar-stream's own header encoder, by its file (its package exports only the stream API).
const headers = createRequire(import.meta.url)(
  path.join(path.dirname(createRequire(import.meta.url).resolve('tar-stream')), 'headers.js'),
) as { encode: (header: object) => Buffer };

const epoch = new Date(0);

async function packed(entries: { name: string; type: 'file' | 'directory'; body?: Buffer }[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
  const ended = new Promise<void>((resolve) => pack.on('end', () => resolve()));
  for (const { name, type, body } of entries) {
    await new Promise<void>((resolve, reject) =>
      pack.entry(
        {
          name,
          type,
          size: body?.length ?? 0,
          mode: type === 'directory' ? 0o755 : 0o644,
          mtime: epoch,
          uid: 0,
          gid: 0,
          uname: '',
          gname: '',
        },
        body ?? Buffer.alloc(0),
        (error) => (error ? reject(error) : resolve()),
      ),
    );
  }
  pack.finalize();
  await ended;
  return Buffer.concat(chunks);
}

describe('the archive laid out in place', () => {
  it("writes tar-stream's ustar headers, base-256 sizes past 8 GiB included", () => {
    for (const [name, size, type] of [
      ['blobs/', 0, 'directory'],
      ['blobs/sha256/', 0, 'directory'],
      [`blobs/sha256/${'a'.repeat(64)}`, 0, 'file'],
      [`blobs/sha256/${'b'.repeat(64)}`, 511, 'file'],
      ['index.json', 8 * 1024 ** 3 - 1, 'file'],
      [`blobs/sha256/${'c'.repeat(64)}`, 8 * 1024 ** 3, 'file'],
      [`blobs/sha512/${'d'.repeat(64)}`, 50 * 1024 ** 3 + 7, 'file'],
      // sha384's 96 hex digits put the folders into ustar's prefix field.
      [`blobs/sha384/${'e'.repeat(96)}`, 12, 'file'],
    ] as const) {
      const theirs = headers.encode({
        name,
        size,
        type,
        mode: type === 'directory' ? 0o755 : 0o644,
        mtime: epoch,
        uid: 0,
        gid: 0,
        uname: '',
        gname: '',
      });
      assert.deepEqual(ustarHeader(name, size, type), theirs, `${name} ${size}`);
    }
  });

  it('equals the streamed tar of the same blobs, whatever order the blobs arrive in, a sha512 blob named in a PAX header', async () => {
    const blobs = [randomBytes(1), randomBytes(512), randomBytes(4000), randomBytes(70_000)];
    const long = randomBytes(3000);
    const longDigest = `sha512:${createHash('sha512').update(long).digest('hex')}`;
    const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, layers: blobs.map((blob) => ({ digest: sha256(blob) })) }));
    const images = [
      {
        descriptor: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha256(manifest), size: manifest.length },
        refName: 'app:v1',
        source: `r.example/app:v1@${sha256(manifest)}`,
      },
    ];
    const sizes = new Map([...blobs, manifest].map((blob) => [sha256(blob), blob.length]));
    sizes.set(longDigest, long.length);
    const file = path.join(scratchDir('tar-layout'), 'images.tar');
    const archive = await ArchiveFile.create(file, {
      blobs: sizes,
      manifests: new Map([[sha256(manifest), manifest]]),
      images,
      artifacts: [],
    });
    await archive.putBlob({ mediaType: 'application/octet-stream', digest: longDigest, size: long.length }, () => Readable.from([long]));
    for (const blob of [...blobs].reverse())
      await archive.putBlob({ mediaType: 'application/octet-stream', digest: sha256(blob), size: blob.length }, () =>
        Readable.from([blob]),
      );
    assert.deepEqual(archive.missing(), []);
    await archive.close();
    await commitArchive(file, archive.files);

    const index = layoutIndex(images);
    const sorted = [...blobs, manifest].sort((a, b) => (sha256(a) < sha256(b) ? -1 : 1));
    const expected = await packed([
      { name: 'blobs/', type: 'directory' },
      { name: 'blobs/sha256/', type: 'directory' },
      { name: 'blobs/sha512/', type: 'directory' },
      ...sorted.map((blob) => ({ name: `blobs/sha256/${sha256(blob).slice(7)}`, type: 'file' as const, body: blob })),
      { name: `blobs/sha512/${longDigest.slice(7)}`, type: 'file', body: long },
      { name: 'index.json', type: 'file', body: index },
      { name: 'oci-layout', type: 'file', body: Buffer.from('{"imageLayoutVersion":"1.0.0"}') },
    ]);
    assert.ok(readFileSync(file).equals(expected), 'byte for byte');
  });

  it('keeps each blob in the cache store as it passes, and a second archive is filled from the store alone', async () => {
    const blobs = [randomBytes(3000), randomBytes(9000)];
    const sizes = new Map(blobs.map((blob) => [sha256(blob), blob.length]));
    const dir = scratchDir('tar-layout');
    const store = new BlobStore(path.join(dir, 'store'));
    const first = await ArchiveFile.create(
      path.join(dir, 'one.tar'),
      { blobs: sizes, manifests: new Map(), images: [], artifacts: [] },
      { cache: store },
    );
    for (const blob of blobs) {
      const descriptor = { mediaType: 'x/y', digest: sha256(blob), size: blob.length };
      assert.equal(await first.hasBlob(descriptor), false);
      await first.putBlob(descriptor, () => Readable.from([blob]));
      assert.ok(readFileSync(store.path(sha256(blob))).equals(blob), 'kept in the store');
    }
    await first.close();
    await commitArchive(first.file, first.files);
    const second = await ArchiveFile.create(
      path.join(dir, 'two.tar'),
      { blobs: sizes, manifests: new Map(), images: [], artifacts: [] },
      { cache: store },
    );
    for (const blob of blobs) assert.equal(await second.hasBlob({ mediaType: 'x/y', digest: sha256(blob), size: blob.length }), true);
    assert.deepEqual(second.missing(), []);
    await second.close();
    await commitArchive(second.file, second.files);
    assert.ok(readFileSync(second.file).equals(readFileSync(first.file)));
  });

  it("replaces a folder a restored store holds under a blob's name, and a copy it cannot put in place costs the archive nothing", async () => {
    const blob = randomBytes(5000);
    const descriptor = { mediaType: 'x/y', digest: sha256(blob), size: blob.length };
    const dir = scratchDir('store-folder');
    const store = new BlobStore(path.join(dir, 'store'));
    mkdirSync(path.join(store.path(descriptor.digest), 'inside'), { recursive: true });
    const archive = await ArchiveFile.create(
      path.join(dir, 'one.tar'),
      { blobs: new Map([[descriptor.digest, blob.length]]), manifests: new Map(), images: [], artifacts: [] },
      { cache: store },
    );
    assert.equal(await archive.hasBlob(descriptor), false);
    assert.ok(!existsSync(store.path(descriptor.digest)), 'the folder is gone');
    // A folder planted again before the copy is put in place: the rename fails, the blob is still written.
    mkdirSync(path.join(store.path(descriptor.digest), 'again'), { recursive: true });
    assert.equal(await archive.putBlob(descriptor, () => Readable.from([blob])), 'uploaded');
    assert.deepEqual(archive.missing(), []);
    await archive.close();
    assert.deepEqual(
      readdirSync(path.dirname(store.path(descriptor.digest))).filter((name) => name.endsWith('.partial')),
      [],
      'no temporary copy left',
    );
  });

  it('refuses a blob named with two sizes, and a blob of another size than it was laid out with', async () => {
    const planner = new ArchivePlanner('x.tar');
    await planner.hasBlob({ mediaType: 'x/y', digest: `sha256:${'a'.repeat(64)}`, size: 10 });
    await assert.rejects(
      planner.hasBlob({ mediaType: 'x/y', digest: `sha256:${'a'.repeat(64)}`, size: 5000 }),
      /is named with two sizes, 10 and 5000 bytes/,
    );
    const blob = randomBytes(5000);
    const file = path.join(scratchDir('tar-layout'), 'images.tar');
    const archive = await ArchiveFile.create(file, {
      blobs: new Map([[sha256(blob), 10]]),
      manifests: new Map(),
      images: [],
      artifacts: [],
    });
    await assert.rejects(
      archive.putBlob({ mediaType: 'x/y', digest: sha256(blob), size: 5000 }, () => Readable.from([blob])),
      /was laid out with 10 bytes, not 5000/,
    );
    await archive.close();
  });

  it("refuses a blob it was not laid out for, and writes no byte past a blob's place", async () => {
    const blob = randomBytes(100);
    const next = randomBytes(100);
    const file = path.join(scratchDir('tar-layout'), 'images.tar');
    const archive = await ArchiveFile.create(file, {
      blobs: new Map([
        [sha256(blob), 100],
        [sha256(next), 100],
      ]),
      manifests: new Map(),
      images: [],
      artifacts: [],
    });
    const other = randomBytes(100);
    await assert.rejects(
      archive.putBlob({ mediaType: 'x/y', digest: sha256(other), size: 100 }, () => Readable.from([other])),
      /was not among the blobs the archive was laid out for/,
    );
    await archive.putBlob({ mediaType: 'x/y', digest: sha256(next), size: 100 }, () => Readable.from([next]));
    // A source that sends more than the blob's size: refused before the excess reaches the next place.
    await assert.rejects(
      archive.putBlob({ mediaType: 'x/y', digest: sha256(blob), size: 100 }, () => Readable.from([blob, randomBytes(50)])),
      /more than the 100 bytes laid out/,
    );
    await archive.close();
    assert.ok(readFileSync(partialName(file)).includes(next), 'the next blob is untouched');
    assert.deepEqual(archive.missing(), [sha256(blob)]);
  });
});
