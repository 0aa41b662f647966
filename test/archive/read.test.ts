// Hostile and malformed archives are refused before anything is pushed, and nothing is written
// outside the temporary folder.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { existsSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { type Archive, ArchiveError, readArchive } from '../../src/archive/read.js';
import type { ArchiveImage } from '../../src/archive/layout-index.js';
import { hasControlCharacters } from '../../src/untrusted-text.js';
import { scratchDir, sha256Hex } from '../registry/harness.js';
import { type TarEntry as Entry, tarOf } from '../tar.js';

/** A valid one-image layout's entries: a config, a layer, a manifest and the index. */
function layout(): { entries: Entry[]; layer: Buffer } {
  const layer = randomBytes(3000);
  const config = Buffer.from('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}');
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${sha256Hex(config)}`, size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: `sha256:${sha256Hex(layer)}`, size: layer.length }],
    }),
  );
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: `sha256:${sha256Hex(manifest)}`,
          size: manifest.length,
          annotations: { 'org.opencontainers.image.ref.name': 'app:v1' },
        },
      ],
    }),
  );
  return {
    layer,
    entries: [
      { name: `blobs/sha256/${sha256Hex(config)}`, body: config },
      { name: `blobs/sha256/${sha256Hex(layer)}`, body: layer },
      { name: `blobs/sha256/${sha256Hex(manifest)}`, body: manifest },
      { name: 'index.json', body: index },
      { name: 'oci-layout', body: Buffer.from('{"imageLayoutVersion":"1.0.0"}') },
    ],
  };
}

/** The archive's entries with each of index.json's entries made over by `change`. */
function indexEntries(change: (manifest: Record<string, unknown>) => Record<string, unknown>): (entries: Entry[]) => Entry[] {
  return (entries) =>
    entries.map((entry) => {
      if (entry.name !== 'index.json') return entry;
      const index = JSON.parse((entry.body as Buffer).toString()) as { manifests: Record<string, unknown>[] };
      return { ...entry, body: Buffer.from(JSON.stringify({ ...index, manifests: index.manifests.map(change) })) };
    });
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
      const descriptor = { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: `sha256:${sha256Hex(layer)}`, size: layer.length };
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

  it('reads the tar that `tar -C layout .` writes: a root folder ./ and every name under ./', async () => {
    const { entries } = layout();
    const { result } = await read(
      await tarOf([{ name: './', type: 'directory' }, ...entries.map((entry) => ({ ...entry, name: `./${entry.name}` }))]),
    );
    assert.equal(((await result) as Awaited<ReturnType<typeof readArchive>>).images.length, 1);
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
      /a path outside the archive \("\.\.\/escaped\.txt"\)/,
    ],
    ['a nested .. path', (entries) => [{ name: 'blobs/../../escaped', body: Buffer.from('x') }, ...entries], /a path outside the archive/],
    [
      'an absolute path',
      (entries) => [{ name: '/tmp/ferry-absolute-escape', body: Buffer.from('x') }, ...entries],
      /an absolute path \("\/tmp\/ferry-absolute-escape"\)/,
    ],
    [
      'a symbolic link',
      (entries) => [{ name: 'link', type: 'symlink', linkname: '/etc/passwd' }, ...entries],
      /holds a symlink \(link\); only files and folders/,
    ],
    ['a hard link', (entries) => [{ name: 'hard', type: 'link', linkname: 'index.json' }, ...entries], /holds a link \(hard\)/],
    ['a device', (entries) => [{ name: 'dev', type: 'character-device' }, ...entries], /holds a character-device \(dev\)/],
    ['a duplicate name', (entries) => [...entries, { name: 'index.json', body: Buffer.from('{}') }], /holds index\.json twice/],
    // GNU tar extracts the last of these, a reader that drops one ./ the first: each would see another index.
    [
      'a duplicate name spelled ././',
      (entries) => [...entries, { name: '././index.json', body: Buffer.from('{}') }],
      /holds index\.json twice/,
    ],
    [
      'a name with a . inside',
      (entries) => [...entries, { name: 'blobs/./notes', body: Buffer.from('x') }],
      /a name not in its plain form \("blobs\/\.\/notes"\)/,
    ],
    [
      'a file named as the root',
      (entries) => [{ name: './', body: Buffer.from('x') }, ...entries],
      /named as a folder, with a trailing slash/,
    ],
    [
      'a blob whose content is not its name',
      (entries, layer) =>
        entries.map((entry) => (entry.name === `blobs/sha256/${sha256Hex(layer)}` ? { ...entry, body: Buffer.from('tampered') } : entry)),
      /holds sha256:[a-f0-9]{64}: its content does not match its name/,
    ],
    [
      'an index pointing at a missing blob',
      (entries, layer) => entries.filter((entry) => entry.name !== `blobs/sha256/${sha256Hex(layer)}`),
      /lacks sha256:[a-f0-9]{64} \(3000 bytes\), which an image needs/,
    ],
    [
      'an oversized index.json',
      (entries) => entries.map((entry) => (entry.name === 'index.json' ? { ...entry, body: Buffer.alloc(5 * 1024 * 1024, 32) } : entry)),
      /index\.json is larger than 4194304 bytes/,
    ],
    ['no oci-layout', (entries) => entries.filter((entry) => entry.name !== 'oci-layout'), /the archive has no oci-layout/],
    [
      'an oci-layout that is null',
      (entries) => entries.map((entry) => (entry.name === 'oci-layout' ? { ...entry, body: Buffer.from('null') } : entry)),
      /oci-layout names no imageLayoutVersion/,
    ],
    [
      'a manifest that is JSON null',
      (entries) => {
        const nothing = Buffer.from('null');
        const index = {
          schemaVersion: 2,
          manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${sha256Hex(nothing)}`, size: 4 }],
        };
        return [
          ...entries.filter((entry) => entry.name !== 'index.json'),
          { name: `blobs/sha256/${sha256Hex(nothing)}`, body: nothing },
          { name: 'index.json', body: Buffer.from(JSON.stringify(index)) },
        ];
      },
      /manifest sha256:[a-f0-9]{64} is not a JSON object/,
    ],
    [
      "an index.json entry that spells a field as Go reads it (skopeo would read another image's digest)",
      indexEntries((manifest) => ({ ...manifest, platform: { os: 'linux', architecture: 'amd64' }, Digest: `sha256:${'0'.repeat(64)}` })),
      /index\.json has an entry ferry refuses: it spells the field digest as "Digest"/,
    ],
    [
      'an index.json entry whose platform spells a field as Go reads it',
      indexEntries((manifest) => ({ ...manifest, platform: { os: 'linux', architecture: 'amd64', OS: 'windows' } })),
      /index\.json has an entry ferry refuses: its platform: it spells the field os as "OS"/,
    ],
    [
      'an index.json that is null',
      (entries) => entries.map((entry) => (entry.name === 'index.json' ? { ...entry, body: Buffer.from('null') } : entry)),
      /index\.json lists no manifests/,
    ],
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

  it('says a part may be missing when parts end between two entries, without the closing blocks; and only then', async () => {
    const { entries } = layout();
    const whole = await tarOf(entries);
    // Where the last entry (oci-layout) begins: the parts before it are a tar that ends between entries.
    const boundary = (await tarOf(entries.slice(0, -1))).length - 1024;
    const dir = scratchDir('parts-read');
    const file = path.join(dir, 'early-access.tar');
    writeFileSync(`${file}.001`, whole.subarray(0, boundary));
    await assert.rejects(readArchive(file, { parts: [`${file}.001`] }), (error: Error) =>
      /the tar ends without its closing blocks\); read from 1 parts, early-access\.tar\.001 to early-access\.tar\.001: a part after the last may be missing/.test(
        error.message,
      ),
    );
    // The same archive whole, as one file, is read: some writers leave the closing blocks out.
    writeFileSync(file, whole.subarray(0, boundary));
    await assert.rejects(readArchive(file), /the archive has no oci-layout/);
    // A complete tar in parts that lacks a file: the hint is not given, whatever the archive is called.
    writeFileSync(`${file}.001`, await tarOf(entries.slice(0, -1)));
    await assert.rejects(readArchive(file, { parts: [`${file}.001`] }), (error: Error) => {
      assert.match(error.message, /early-access\.tar: the archive has no oci-layout; nothing was pushed$/);
      return true;
    });
  });

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

/** A blob entry for `bytes`, and its descriptor. */
function blob(bytes: Buffer, mediaType: string): { entry: Entry; descriptor: { mediaType: string; digest: string; size: number } } {
  return {
    entry: { name: `blobs/sha256/${sha256Hex(bytes)}`, body: bytes },
    descriptor: { mediaType, digest: `sha256:${sha256Hex(bytes)}`, size: bytes.length },
  };
}

const imageManifestType = 'application/vnd.oci.image.manifest.v1+json';
const indexType = 'application/vnd.oci.image.index.v1+json';

/** A runnable single-layer image, its manifest named `name` in the config for a distinct digest. */
function image(
  name: string,
  layerType = 'application/vnd.oci.image.layer.v1.tar',
): { entries: Entry[]; manifest: ReturnType<typeof blob> } {
  const config = blob(
    Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Labels: { name } } })),
    'application/vnd.oci.image.config.v1+json',
  );
  const layer = blob(randomBytes(500), layerType);
  const manifest = blob(
    Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: imageManifestType, config: config.descriptor, layers: [layer.descriptor] })),
    imageManifestType,
  );
  return { entries: [config.entry, layer.entry, manifest.entry], manifest };
}

function layoutOf(blobs: Entry[], manifests: object[]): Entry[] {
  return [
    ...blobs,
    { name: 'index.json', body: Buffer.from(JSON.stringify({ schemaVersion: 2, manifests })) },
    { name: 'oci-layout', body: Buffer.from('{"imageLayoutVersion":"1.0.0"}') },
  ];
}

/** app:1.0, and an unrelated image listed beside it in index.json as an artifact of app, with `fields`. */
function withIntruder(fields: { artifactType?: string; annotations: Record<string, string> }) {
  const app = image('app');
  const intruder = image('intruder');
  const annotations = { ...fields.annotations, 'io.github.ferry.subject': app.manifest.descriptor.digest };
  const entries = layoutOf(
    [...app.entries, ...intruder.entries],
    [
      { ...app.manifest.descriptor, annotations: { 'org.opencontainers.image.ref.name': 'app:1.0' } },
      { ...intruder.manifest.descriptor, ...fields, annotations },
    ],
  );
  return { app, intruder, entries };
}

/** The archive of `entries` is refused as an archive, with `message`. */
async function refused(entries: Entry[], message: RegExp): Promise<void> {
  await assert.rejects((await read(await tarOf(entries))).result, (error: Error) => {
    assert.ok(error instanceof ArchiveError);
    assert.match(error.message, message);
    return true;
  });
}

describe('an archive is untrusted', () => {
  it("keeps of a delta's record only the left-out blobs its images need: a long record costs no request", async () => {
    const app = image('app');
    const [config, layer, manifest] = app.entries as [Entry, Entry, Entry];
    const layerDigest = `sha256:${layer.name.slice('blobs/sha256/'.length)}`;
    const unneeded = Array.from({ length: 50 }, (_, n) => ({
      digest: `sha256:${sha256Hex(Buffer.from(`unneeded ${n}`))}`,
      size: 10,
      base: 'base.tar',
      image: 'registry.example/other:v1',
    }));
    const record = {
      since: ['base.tar'],
      blobs: [
        { digest: layerDigest, size: (layer.body as Buffer).length, base: 'base.tar', image: 'registry.example/app:1.0' },
        ...unneeded,
      ],
    };
    const entries = [
      ...layoutOf([config, manifest], [{ ...app.manifest.descriptor, annotations: { 'org.opencontainers.image.ref.name': 'app:1.0' } }]),
      { name: 'ferry-delta.json', body: Buffer.from(JSON.stringify(record)) },
    ];
    const archive = (await (await read(await tarOf(entries))).result) as Archive;
    assert.deepEqual(
      archive.delta?.blobs.map((blob) => blob.digest),
      [layerDigest],
    );
    assert.deepEqual(archive.delta?.since, ['base.tar']);
  });

  it('refuses a name with control characters, quoting it as one line', async () => {
    for (const name of ['x\u001b[8m ::warning title=approved::ok', 'blobs/sha256/a\u2028b', 'dev\u0085x']) {
      await assert.rejects((await read(await tarOf([{ name, body: Buffer.from('x') }]))).result, (error: Error) => {
        assert.ok(error instanceof ArchiveError);
        assert.match(error.message, /the archive holds a name with control characters \("/);
        assert.equal(hasControlCharacters(error.message), false, error.message);
        return true;
      });
    }
  });

  it('takes no image as a referrer of another unless its manifest names that subject', async () => {
    const { app, intruder, entries } = withIntruder({
      artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      annotations: {},
    });
    await refused(
      entries,
      new RegExp(
        `${intruder.manifest.descriptor.digest} is listed as a referrer of ${app.manifest.descriptor.digest}, but its manifest names no subject: refused`,
      ),
    );
  });

  it('gives an artifact no tag but a digest tag of its subject, and takes there no image a runtime could run: an archive cannot tag an unrelated image 1.0', async () => {
    const { app, intruder, entries } = withIntruder({ annotations: { 'org.opencontainers.image.ref.name': '1.0' } });
    await refused(entries, /gives the artifact sha256:[a-f0-9]{64} the tag "1\.0", which is not a digest tag of its subject/);
    const signatureTag = `sha256-${app.manifest.descriptor.digest.slice(7)}.sig`;
    const underDigestTag = (artifact: ReturnType<typeof image>): Entry[] =>
      layoutOf(
        [...app.entries, ...artifact.entries],
        [
          { ...app.manifest.descriptor, annotations: { 'org.opencontainers.image.ref.name': 'app:1.0' } },
          {
            ...artifact.manifest.descriptor,
            annotations: { 'org.opencontainers.image.ref.name': signatureTag, 'io.github.ferry.subject': app.manifest.descriptor.digest },
          },
        ],
      );
    // The intruder, an image with a file system layer, under the subject's digest tag: refused, it would travel unverified.
    await refused(underDigestTag(intruder), /under sha256:[a-f0-9]{64}'s digest tag sha256-[a-f0-9]{64}\.sig, holds a file system layer/);
    // A signature there is read, and listed as that tag only.
    const fair = underDigestTag(image('signature', 'application/vnd.dev.cosign.simplesigning.v1+json'));
    const archive = (await (await read(await tarOf(fair))).result) as Archive;
    assert.deepEqual(
      (await archive.source.digestTags(app.manifest.descriptor.digest, false)).map((tagged) => tagged.tag),
      [signatureTag],
    );
    await archive.close();
  });

  it('reads a manifest without a mediaType of its own by digest alone, as the type its descriptor gave (a verifier reads so)', async () => {
    const config = blob(Buffer.from('{"architecture":"amd64","os":"linux"}'), 'application/vnd.oci.image.config.v1+json');
    const layer = blob(randomBytes(300), 'application/vnd.oci.image.layer.v1.tar');
    // OCI lets a manifest leave mediaType out: its descriptor says what it is.
    const manifest = blob(
      Buffer.from(JSON.stringify({ schemaVersion: 2, config: config.descriptor, layers: [layer.descriptor] })),
      imageManifestType,
    );
    const entries = layoutOf(
      [config.entry, layer.entry, manifest.entry],
      [{ ...manifest.descriptor, annotations: { 'org.opencontainers.image.ref.name': 'app:1.0' } }],
    );
    const archive = (await (await read(await tarOf(entries))).result) as Archive;
    const byDigest = await archive.source.getManifest(manifest.descriptor.digest);
    assert.equal(byDigest.descriptor.mediaType, imageManifestType);
    assert.ok(byDigest.bytes.equals(manifest.entry.body as Buffer));
    await archive.close();
  });

  it('lets a pinned digest be satisfied by that manifest, or by a platform filter of it checked against its bytes, never by an annotation', async () => {
    const amd = image('amd64');
    const arm = image('arm64');
    const riscv = image('riscv64');
    // buildx's attestation manifest of the amd64 image, as an index holds it.
    const attestation = image('attestation');
    const children = [
      { ...amd.manifest.descriptor, platform: { os: 'linux', architecture: 'amd64' } },
      { ...arm.manifest.descriptor, platform: { os: 'linux', architecture: 'arm64' } },
      { ...riscv.manifest.descriptor, platform: { os: 'linux', architecture: 'riscv64' } },
      {
        ...attestation.manifest.descriptor,
        platform: { os: 'unknown', architecture: 'unknown' },
        annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': amd.manifest.descriptor.digest },
      },
    ];
    const indexJson = { schemaVersion: 2, mediaType: indexType, manifests: children };
    const whole = blob(Buffer.from(JSON.stringify(indexJson)), indexType);
    // What ferry's filter makes of it for linux/amd64 and linux/arm64: the same JSON, fewer children
    // (the amd64 image's attestation manifest with it).
    const filtered = blob(Buffer.from(JSON.stringify({ ...indexJson, manifests: [children[0], children[1], children[3]] })), indexType);
    // A subset no filter makes: the amd64 image without its attestation manifest.
    const subset = blob(Buffer.from(JSON.stringify({ ...indexJson, manifests: [children[0], children[1]] })), indexType);
    const forged = blob(
      Buffer.from(JSON.stringify({ ...indexJson, manifests: [children[0], children[2]], annotations: { x: 'y' } })),
      indexType,
    );
    const pinned = whole.descriptor.digest;
    const claims = { 'io.github.ferry.source': `registry.example/app@${pinned}` };
    const blobs = [...amd.entries, ...arm.entries, ...riscv.entries, ...attestation.entries, filtered.entry, forged.entry, subset.entry];
    const manifests = [
      { ...filtered.descriptor, annotations: { 'org.opencontainers.image.ref.name': 'app-filtered', ...claims } },
      { ...subset.descriptor, annotations: { 'org.opencontainers.image.ref.name': 'app-subset', ...claims } },
      { ...attestation.manifest.descriptor, annotations: { 'org.opencontainers.image.ref.name': 'app-attestation', ...claims } },
      { ...forged.descriptor, annotations: { 'org.opencontainers.image.ref.name': 'app-forged', ...claims } },
      { ...amd.manifest.descriptor, annotations: { 'org.opencontainers.image.ref.name': 'app-amd64', ...claims } },
      { ...riscv.manifest.descriptor, annotations: { 'org.opencontainers.image.ref.name': 'unrelated', ...claims } },
    ];
    const named = (archive: Archive, name: string): ArchiveImage => archive.images.find((image) => image.refName === name) as ArchiveImage;
    // Without the pinned index's bytes nothing can be checked: only an annotation says so, and that is refused.
    const without = (await (await read(await tarOf(layoutOf(blobs, manifests)))).result) as Archive;
    for (const name of ['app-filtered', 'app-subset', 'app-forged', 'app-amd64', 'unrelated'])
      assert.equal(await without.satisfies(named(without, name), pinned), false, name);
    // With them: the filter's result and a child satisfy it; a forged index and an image from elsewhere do not.
    const withBytes = (await (await read(await tarOf(layoutOf([...blobs, whole.entry], manifests)))).result) as Archive;
    assert.equal(await withBytes.satisfies(named(withBytes, 'app-filtered'), pinned), true);
    assert.equal(await withBytes.satisfies(named(withBytes, 'app-amd64'), pinned), true);
    assert.equal(await withBytes.satisfies(named(withBytes, 'app-forged'), pinned), false);
    assert.equal(await withBytes.satisfies(named(withBytes, 'app-subset'), pinned), false);
    assert.equal(await withBytes.satisfies(named(withBytes, 'app-attestation'), pinned), false, 'an attestation manifest is no image');
    // With the platforms the import asks for, only the filter of exactly those.
    const amd64 = { os: 'linux', architecture: 'amd64' };
    const arm64 = { os: 'linux', architecture: 'arm64' };
    assert.equal(await withBytes.satisfies(named(withBytes, 'app-filtered'), pinned, [amd64, arm64]), true);
    assert.equal(await withBytes.satisfies(named(withBytes, 'app-filtered'), pinned, [arm64]), false);
    assert.equal(await withBytes.satisfies(named(withBytes, 'app-amd64'), pinned, [amd64]), true);
    assert.equal(await withBytes.satisfies(named(withBytes, 'app-amd64'), pinned, [arm64]), false);
    const unrelated = image('elsewhere');
    const other = (await (
      await read(
        await tarOf(
          layoutOf(
            [...blobs, whole.entry, ...unrelated.entries],
            [
              ...manifests,
              { ...unrelated.manifest.descriptor, annotations: { 'org.opencontainers.image.ref.name': 'elsewhere', ...claims } },
            ],
          ),
        ),
      )
    ).result) as Archive;
    assert.equal(await other.satisfies(named(other, 'elsewhere'), pinned), false);
    await Promise.all([without.close(), withBytes.close(), other.close()]);
  });

  it('reads a manifest that index.json names thousands of times once, and refuses one with thousands of annotations', async () => {
    const app = image('app');
    const manyEntries = Array.from({ length: 5000 }, (_, at) => ({
      ...app.manifest.descriptor,
      annotations: { 'org.opencontainers.image.ref.name': `app:${at % 2}` },
    }));
    const archive = (await (await read(await tarOf(layoutOf(app.entries, manyEntries)))).result) as Archive;
    // Repeated entries are one image each.
    assert.equal(archive.images.length, 2);
    await archive.close();
    const annotations = Object.fromEntries(Array.from({ length: 5000 }, (_, at) => [`k${at}`, 'v']));
    const heavy = blob(
      Buffer.from(JSON.stringify({ ...JSON.parse((app.entries[2]?.body as Buffer).toString()), annotations })),
      imageManifestType,
    );
    await assert.rejects(
      (
        await read(
          await tarOf(
            layoutOf(
              [...app.entries, heavy.entry],
              [{ ...heavy.descriptor, annotations: { 'org.opencontainers.image.ref.name': 'app:1' } }],
            ),
          ),
        )
      ).result,
      /has more annotations than ferry reads \(4096/,
    );
  });

  it('stops at the deadline while it reads, even in gigabytes of trailing zeros', async () => {
    const root = scratchDir('archive-deadline');
    const file = path.join(root, 'images.tar');
    writeFileSync(file, await tarOf(layout().entries));
    // Two GiB of zeros after the end, as a sparse file: each is read and checked.
    truncateSync(file, 2 * 1024 ** 3);
    const signal = AbortSignal.timeout(100);
    await assert.rejects(readArchive(file, { signal }), (error: Error) => error.name === 'TimeoutError');
    // Without a deadline the zeros are read natively, and the archive is whole.
    const small = path.join(root, 'small.tar');
    writeFileSync(small, await tarOf(layout().entries));
    truncateSync(small, 64 * 1024 ** 2);
    const whole = await readArchive(small);
    assert.equal(whole.images.length, 1);
    await whole.close();
  });
});
