// Archives other tools write, read through src/: a docker-archive as skopeo writes it (manifest.json,
// configs and layers by path, an OCI manifest made for each image), the links older `docker save`
// writes between duplicate layers (followed inside the archive only), OCI layouts whose entries name
// their image as containerd does, and OCI layout folders, each read as untrusted input.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { readArchive } from '../../src/archive/read.js';
import { TarBlobs } from '../../src/archive/tar-blobs.js';
import { archiveLookup } from '../../src/modes/archive-lookup.js';
import { ociLayout, scratchDir, sha256, skopeo } from '../registry/harness.js';
import { tarOf } from '../tar.js';

/** A docker-archive by hand: the layout older `docker save` writes, duplicate layers linked. */
async function dockerSave(options: { link?: string; tags?: string[] } = {}): Promise<{ file: string; layer: Buffer }> {
  const layer = await tarOf([{ name: 'etc/hello', body: Buffer.from('hello from a layer') }]);
  const config = Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256(layer), sha256(layer)] } }),
  );
  const file = path.join(scratchDir('docker-save'), 'saved.tar');
  writeFileSync(
    file,
    await tarOf([
      { name: `${sha256(config).slice(7)}.json`, body: config },
      { name: 'aaaa/layer.tar', body: layer },
      { name: 'bbbb/layer.tar', type: 'symlink', linkname: options.link ?? '../aaaa/layer.tar' },
      {
        name: 'manifest.json',
        body: Buffer.from(
          JSON.stringify([
            {
              Config: `${sha256(config).slice(7)}.json`,
              RepoTags: options.tags ?? ['registry.example/team/app:v1'],
              Layers: ['aaaa/layer.tar', 'bbbb/layer.tar'],
            },
          ]),
        ),
      },
    ]),
  );
  return { file, layer };
}

describe('archives other tools write', () => {
  it('reads a docker-archive skopeo writes: an OCI manifest made from its config and layers, named by its RepoTags', async () => {
    const layout = ociLayout([3000, 5000]);
    const file = path.join(scratchDir('docker-archive'), 'app.tar');
    await skopeo(['copy', '--quiet', layout.reference, `docker-archive:${file}:registry.example/team/app:v2`]);
    const archive = await readArchive(file);
    try {
      assert.equal(archive.format, 'docker-archive');
      const [image] = archive.images;
      assert.equal(image?.refName, 'registry.example/team/app:v2');
      assert.deepEqual(image?.sources, ['registry.example/team/app:v2']);
      assert.equal(image?.rebuilt, true);
      const manifest = await archive.source.getManifest(image?.descriptor.digest ?? '');
      const json = manifest.json as { config: { digest: string }; layers: { mediaType: string; digest: string }[] };
      assert.equal(json.layers.length, 2);
      // skopeo writes the layers as plain tars: their digests are the diff IDs of the config.
      const configBlob = manifest.json as { config: { digest: string; size: number } };
      const config = JSON.parse(
        (
          await bytesOf(archive.source.openBlob({ mediaType: '', digest: configBlob.config.digest, size: configBlob.config.size }))
        ).toString(),
      ) as { rootfs: { diff_ids: string[] } };
      assert.deepEqual(
        json.layers.map((layer) => layer.digest),
        config.rootfs.diff_ids,
      );
      assert.ok(json.layers.every((layer) => layer.mediaType === 'application/vnd.oci.image.layer.v1.tar'));
    } finally {
      await archive.close();
    }
  });

  it('follows a link between duplicate layers inside the archive, and refuses one that leads out or loops', async () => {
    const { file, layer } = await dockerSave();
    const archive = await readArchive(file);
    const manifest = await archive.source.getManifest(archive.images[0]?.descriptor.digest ?? '');
    assert.deepEqual(
      (manifest.json as { layers: { digest: string }[] }).layers.map((entry) => entry.digest),
      [sha256(layer), sha256(layer)],
    );
    await archive.close();
    const out = await dockerSave({ link: '../../../etc/passwd' });
    await assert.rejects(
      readArchive(out.file),
      /"bbbb\/layer\.tar" is a symlink to "\.\.\/\.\.\/\.\.\/etc\/passwd", outside the archive; nothing was pushed/,
    );
    const absolute = await dockerSave({ link: '/etc/passwd' });
    await assert.rejects(readArchive(absolute.file), /outside the archive/);
    const loop = await dockerSave({ link: 'layer.tar' });
    await assert.rejects(readArchive(loop.file), /chain of more than 8 links/);
  });

  it('refuses links in an OCI layout, and a docker-archive whose layer is not the one its config describes', async () => {
    const file = path.join(scratchDir('oci-link'), 'linked.tar');
    writeFileSync(
      file,
      await tarOf([
        { name: 'oci-layout', body: Buffer.from('{"imageLayoutVersion":"1.0.0"}') },
        { name: 'index.json', body: Buffer.from('{"schemaVersion":2,"manifests":[]}') },
        { name: 'blobs/sha256/x', type: 'symlink', linkname: '../../index.json' },
      ]),
    );
    await assert.rejects(readArchive(file), /holds a symlink \(blobs\/sha256\/x\); only files and folders are accepted/);
    // index.json's own list spelled twice: skopeo and containerd (Go) take the last spelling, `Manifests`.
    const twoLists = path.join(scratchDir('oci-link'), 'two-lists.tar');
    const entry = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha256(Buffer.from('x')), size: 1 };
    writeFileSync(
      twoLists,
      await tarOf([
        { name: 'oci-layout', body: Buffer.from('{"imageLayoutVersion":"1.0.0"}') },
        { name: 'index.json', body: Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [entry], Manifests: [entry] })) },
      ]),
    );
    await assert.rejects(
      readArchive(twoLists),
      /index\.json: it spells the field manifests as "Manifests", which Go's JSON decoding reads as manifests/,
    );
    const wrong = await tarOf([{ name: 'other', body: randomBytes(100) }]);
    const config = Buffer.from(
      JSON.stringify({ os: 'linux', architecture: 'amd64', rootfs: { type: 'layers', diff_ids: [sha256(Buffer.from('x'))] } }),
    );
    const mismatched = path.join(scratchDir('mismatch'), 'saved.tar');
    writeFileSync(
      mismatched,
      await tarOf([
        { name: 'config.json', body: config },
        { name: 'layer.tar', body: wrong },
        {
          name: 'manifest.json',
          body: Buffer.from(JSON.stringify([{ Config: 'config.json', RepoTags: ['app:v1'], Layers: ['layer.tar'] }])),
        },
      ]),
    );
    await assert.rejects(readArchive(mismatched), /layer "layer\.tar" is sha256:[a-f0-9]{64}, but its config gives that layer sha256:/);
    // A second spelling of Config, which docker and skopeo (Go) read, last spelling winning.
    const respelled = path.join(scratchDir('mismatch'), 'respelled.tar');
    const entries = `[{"Config":"config.json","RepoTags":["app:v1"],"Layers":["layer.tar"],"config":"other.json"}]`;
    writeFileSync(
      respelled,
      await tarOf([
        { name: 'config.json', body: config },
        { name: 'manifest.json', body: Buffer.from(entries) },
      ]),
    );
    await assert.rejects(readArchive(respelled), /manifest\.json entry 1: it spells the field Config as "config"/);
    // The same layer named through a megabyte of ./: the message quotes the name cut short, not the megabyte.
    const long = `${'./'.repeat(500_000)}layer.tar`;
    const padded = path.join(scratchDir('mismatch'), 'saved.tar');
    writeFileSync(
      padded,
      await tarOf([
        { name: 'config.json', body: config },
        { name: 'layer.tar', body: wrong },
        { name: 'manifest.json', body: Buffer.from(JSON.stringify([{ Config: 'config.json', RepoTags: ['app:v1'], Layers: [long] }])) },
      ]),
    );
    await assert.rejects(
      readArchive(padded),
      (error: unknown) =>
        error instanceof Error && /layer "\.\/\.\/.*" \(1000009 characters\) is sha256:/.test(error.message) && error.message.length < 2000,
    );
  });

  it("refuses an OCI layout whose manifest.json (Docker 25's docker save writes both) names another image than index.json", async () => {
    /** The tar of layout `a` named registry.example/app:v1 in index.json, with a manifest.json naming `named`'s image so. */
    const dual = async (
      named: ReturnType<typeof ociLayout>,
      tags: string[],
      options: { indexName?: string; shape?: (entries: Record<string, unknown>[]) => unknown[] } = {},
    ): Promise<string> => {
      const blobsOf = (layout: ReturnType<typeof ociLayout>) =>
        readdirSync(path.join(layout.dir, 'blobs', 'sha256')).map((hex) => ({
          name: `blobs/sha256/${hex}`,
          body: readFileSync(path.join(layout.dir, 'blobs', 'sha256', hex)),
        }));
      const index = JSON.parse(readFileSync(path.join(a.dir, 'index.json'), 'utf8')) as {
        manifests: { digest: string; annotations: object }[];
      };
      (index.manifests[0] as { annotations: object }).annotations = {
        'io.containerd.image.name': options.indexName ?? 'registry.example/app:v1',
        'org.opencontainers.image.ref.name': 'v1',
      };
      const top = JSON.parse(
        readFileSync(
          path.join(
            named.dir,
            'blobs',
            'sha256',
            (
              JSON.parse(readFileSync(path.join(named.dir, 'index.json'), 'utf8')) as { manifests: { digest: string }[] }
            ).manifests[0]?.digest.slice(7) ?? '',
          ),
          'utf8',
        ),
      ) as {
        config: { digest: string };
        layers: { digest: string }[];
      };
      const given: Record<string, unknown>[] = [
        {
          Config: `blobs/sha256/${top.config.digest.slice(7)}`,
          RepoTags: tags,
          Layers: top.layers.map((layer) => `blobs/sha256/${layer.digest.slice(7)}`),
        },
      ];
      const entries = options.shape?.(given) ?? given;
      const seen = new Set<string>();
      const blobs = [a, named].flatMap(blobsOf).filter((entry) => !seen.has(entry.name) && seen.add(entry.name));
      const file = path.join(scratchDir('dual'), 'saved.tar');
      writeFileSync(
        file,
        await tarOf([
          ...blobs,
          { name: 'index.json', body: Buffer.from(JSON.stringify(index)) },
          { name: 'manifest.json', body: Buffer.from(JSON.stringify(entries)) },
          { name: 'oci-layout', body: Buffer.from('{"imageLayoutVersion":"1.0.0"}') },
        ]),
      );
      return file;
    };
    const a = ociLayout([2000]);
    const b = ociLayout([3000]);
    // As Docker writes it: both name the same image, which is read.
    const agreeing = await readArchive(await dual(a, ['registry.example/app:v1']));
    assert.equal(agreeing.format, 'oci-layout');
    await agreeing.close();
    // Short names are the same names: app:v1 is docker.io/library/app:v1, which index.json does not name.
    await assert.rejects(readArchive(await dual(a, ['app:v1'])), /names "docker\.io\/library\/app:v1" and index\.json does not/);
    await assert.rejects(
      readArchive(await dual(b, ['registry.example/app:v1'])),
      /manifest\.json and index\.json name different images "registry\.example\/app:v1": docker load and containerd would load different images/,
    );
    // Shapes that are Docker's to Go though not spelled as Docker spells them, or with an entry Docker cannot read: checked, and refused.
    const lowercase = (entries: Record<string, unknown>[]) => entries.map(({ Layers, ...rest }) => ({ ...rest, layers: Layers }));
    await assert.rejects(
      readArchive(await dual(b, ['registry.example/app:v1'], { shape: lowercase })),
      /spells the field Layers as "layers"/,
    );
    await assert.rejects(
      readArchive(await dual(b, ['registry.example/app:v1'], { shape: (entries) => [...entries, {}] })),
      /manifest\.json entry 2 has no Config path/,
    );
    // A name without a tag is latest to the lookup, and so to the check.
    await assert.rejects(
      readArchive(await dual(b, [], { indexName: 'registry.example/app' })),
      /index\.json names "registry\.example\/app:latest" and manifest\.json does not/,
    );
  });

  it("finds skopeo's oci-archive:file:app:v1 image by app:v1 however it is spelled: a ref name with a colon names an image, never a tag alone", async () => {
    const layout = ociLayout([1000]);
    const file = path.join(scratchDir('oci-archive'), 'app.tar');
    await skopeo(['copy', '--quiet', layout.reference, `oci-archive:${file}:app:v1`]);
    const archive = await readArchive(file);
    try {
      assert.deepEqual(archive.images[0]?.sources, ['app:v1']);
      const find = archiveLookup([archive]);
      for (const spelled of ['app:v1', 'docker.io/library/app:v1'])
        assert.equal((await find({ image: spelled, source: spelled, newImage: spelled, fields: [] })).image, archive.images[0], spelled);
    } finally {
      await archive.close();
    }
  });

  it("checks a compressed docker-archive layer against its config's diff ID, decompressed, as docker load and skopeo do", async () => {
    const tar = await tarOf([{ name: 'etc/hostname', body: Buffer.from('app\n') }]);
    const other = await tarOf([{ name: 'etc/hostname', body: Buffer.from('something else\n') }]);
    const config = Buffer.from(JSON.stringify({ os: 'linux', architecture: 'amd64', rootfs: { type: 'layers', diff_ids: [sha256(tar)] } }));
    const saved = async (layer: Buffer): Promise<string> => {
      const file = path.join(scratchDir('compressed'), 'saved.tar');
      const manifest = JSON.stringify([{ Config: 'config.json', RepoTags: ['app:v1'], Layers: ['layer.tar'] }]);
      writeFileSync(
        file,
        await tarOf([
          { name: 'config.json', body: config },
          { name: 'layer.tar', body: layer },
          { name: 'manifest.json', body: Buffer.from(manifest) },
        ]),
      );
      return file;
    };
    for (const [compress, type] of [
      [gzipSync, 'gzip'],
      [zstdCompressSync, 'zstd'],
    ] as const) {
      const archive = await readArchive(await saved(compress(tar)));
      assert.equal(archive.images.length, 1, type);
      await archive.close();
      await assert.rejects(
        readArchive(await saved(compress(other))),
        /layer "layer\.tar" is sha256:[a-f0-9]{64} decompressed, but its config gives that layer sha256:/,
        type,
      );
    }
    await assert.rejects(readArchive(await saved(Buffer.concat([gzipSync(tar).subarray(0, 20)]))), /cannot be decompressed/);
  });

  it("refuses a manifest.json that docker load and imgpkg would read as different images: Go reads `layers` as Layers, beside kbld's Image", async () => {
    const layer = await tarOf([{ name: 'etc/hello', body: Buffer.from('x') }]);
    const config = Buffer.from(
      JSON.stringify({ os: 'linux', architecture: 'amd64', rootfs: { type: 'layers', diff_ids: [sha256(layer)] } }),
    );
    const saved = async (entries: unknown[]): Promise<string> => {
      const file = path.join(scratchDir('polyglot'), 'saved.tar');
      writeFileSync(
        file,
        await tarOf([
          { name: 'x.json', body: config },
          { name: 'x/layer.tar', body: layer },
          { name: 'manifest.json', body: Buffer.from(JSON.stringify(entries)) },
        ]),
      );
      return file;
    };
    const kbldImage = { Refs: ['registry.example/team/app:v1'], Manifest: { MediaType: 'x', Digest: 'y', Raw: 'z' } };
    await assert.rejects(
      readArchive(
        await saved([{ Image: kbldImage, Config: 'x.json', RepoTags: ['registry.example/team/app:v1'], layers: ['x/layer.tar'] }]),
      ),
      /manifest\.json entry 1 has a docker-archive's fields and kbld's: docker load and imgpkg would read different images from it; nothing was pushed/,
    );
    await assert.rejects(
      readArchive(await saved([{ Config: 'x.json', RepoTags: ['app:v1'], Layers: ['x/layer.tar'] }, { Image: kbldImage }])),
      /manifest\.json mixes a docker-archive's entries with kbld's/,
    );
    // Read as Go reads it, a lone lower-case spelling is a docker-archive's field, refused as such by name.
    await assert.rejects(
      readArchive(await saved([{ Config: 'x.json', RepoTags: ['app:v1'], layers: ['x/layer.tar'] }])),
      /manifest\.json entry 1: it spells the field Layers as "layers"/,
    );
  });

  it('decompresses a layer once however many images list it, bounds the layers listed in all, and wants a diff ID for each layer', async () => {
    const tar = await tarOf([{ name: 'etc/zeros', body: Buffer.alloc(4 * 1024 * 1024) }]);
    const saved = async (diffIds: unknown, mentions: number, config?: unknown): Promise<string> => {
      const file = path.join(scratchDir('mentions'), 'saved.tar');
      const body = Buffer.isBuffer(config)
        ? config
        : Buffer.from(JSON.stringify(config ?? { os: 'linux', architecture: 'amd64', rootfs: { type: 'layers', diff_ids: diffIds } }));
      const images = Array.from({ length: Math.ceil(mentions / 1000) }, (_, n) => ({
        Config: 'config.json',
        RepoTags: [`app:v${n}`],
        Layers: Array.from({ length: Math.min(1000, mentions - n * 1000) }, () => 'layer.tar'),
      }));
      writeFileSync(
        file,
        await tarOf([
          { name: 'config.json', body },
          { name: 'layer.tar', body: gzipSync(tar) },
          { name: 'manifest.json', body: Buffer.from(JSON.stringify(images)) },
        ]),
      );
      return file;
    };
    // 1,000 mentions of one layer: its bytes read once to learn its type and once to decompress it (each
    // mention read and decompressed it again before).
    const openRange = TarBlobs.prototype.openRange;
    const ranges: number[] = [];
    TarBlobs.prototype.openRange = function (this: TarBlobs, offset: number, length: number) {
      ranges.push(length);
      return openRange.call(this, offset, length);
    };
    try {
      const archive = await readArchive(
        await saved(
          Array.from({ length: 1000 }, () => sha256(tar)),
          1000,
        ),
      );
      assert.equal(archive.images.length, 1);
      await archive.close();
    } finally {
      TarBlobs.prototype.openRange = openRange;
    }
    assert.equal(ranges.filter((length) => length === gzipSync(tar).length).length, 1, 'decompressed once');
    assert.equal(ranges.filter((length) => length === 4).length, 1, 'its type read once');
    await assert.rejects(
      readArchive(await saved([], 200_001)),
      /manifest\.json lists 200001 layers in all, more than the 200000 ferry reads/,
    );
    for (const [config, message] of [
      [{ rootfs: { type: 'layers' } }, /its config lists 0 layers and manifest\.json 1/],
      [{ rootfs: { type: 'layers', diff_ids: 'x' } }, /its config "config\.json" has no list of diff IDs \(rootfs\.diff_ids\)/],
      // What Go reads otherwise than ferry would: refused, as skopeo refuses each or reads another layer.
      [{ os: 'linux', architecture: 'amd64' }, /its config "config\.json" has no rootfs, which skopeo refuses/],
      [{ RootFS: { diff_ids: [sha256(tar)] } }, /its config "config\.json": it spells the field rootfs as "RootFS"/],
      [
        { rootfs: { diff_ids: [sha256(tar)] }, ROOTFS: { diff_ids: [sha256(Buffer.from('other'))] } },
        /its config "config\.json": it spells the field rootfs as "ROOTFS"/,
      ],
      [{ rootfs: { Diff_IDs: [sha256(tar)] } }, /it spells the field diff_ids as "Diff_IDs"/],
      [[], /its config "config\.json" is not a JSON object/],
      ['a string', /its config "config\.json" is not a JSON object/],
      [{ rootfs: 'layers' }, /its config "config\.json" has no rootfs/],
      // rootfs twice: JSON.parse keeps the last (no diff IDs), Go merges both (one): skopeo counts one.
      [
        Buffer.from(`{"os":"linux","rootfs":{"type":"layers","diff_ids":["${sha256(tar)}"]},"rootfs":{"type":"layers"}}`),
        /its config "config\.json" repeats the key "rootfs", which Go's JSON decoding \(docker, skopeo, containerd\) reads otherwise than JSON\.parse/,
      ],
      [{ rootfs: { type: 'layers', diff_ids: [sha256(tar), sha256(tar)] } }, /its config lists 2 layers and manifest\.json 1/],
      [{ rootfs: { type: 'layers', diff_ids: ['sha256:NOTHEX'] } }, /its config's diff ID for layer 1 is not a digest/],
      [{ rootfs: { type: 'layers', diff_ids: [7] } }, /its config's diff ID for layer 1 is not a digest \(not a string\)/],
    ] as const)
      await assert.rejects(readArchive(await saved(undefined, 1, config)), message);
    // An image without layers (FROM scratch, a label and a command): Docker leaves diff_ids out (Go's
    // omitempty) or writes null, and docker load and skopeo read it as they count no layers either.
    for (const rootfs of [{ type: 'layers' }, { type: 'layers', diff_ids: null }]) {
      const file = path.join(scratchDir('no-layers'), 'saved.tar');
      const config = Buffer.from(JSON.stringify({ os: 'linux', architecture: 'amd64', config: { Cmd: ['/app'] }, rootfs }));
      const entries = [{ Config: 'config.json', RepoTags: ['registry.example/team/meta:v1'], Layers: [] }];
      writeFileSync(
        file,
        await tarOf([
          { name: 'config.json', body: config },
          { name: 'manifest.json', body: Buffer.from(JSON.stringify(entries)) },
        ]),
      );
      assert.deepEqual(
        (JSON.parse((await skopeo(['inspect', '--raw', `docker-archive:${file}`])).toString()) as { layers: [] }).layers,
        [],
      );
      const archive = await readArchive(file);
      assert.deepEqual((await archive.source.getManifest(archive.images[0]?.descriptor.digest ?? '')).json.layers, []);
      await archive.close();
    }
  });

  it('follows no hard link to a link, and one symlink at most to a config (as skopeo does): what docker load reads once extracted', async () => {
    const layer = await tarOf([{ name: 'etc/hello', body: Buffer.from('x') }]);
    const config = (entrypoint: string): Buffer =>
      Buffer.from(
        JSON.stringify({
          os: 'linux',
          architecture: 'amd64',
          config: { Entrypoint: [entrypoint] },
          rootfs: { type: 'layers', diff_ids: [sha256(layer)] },
        }),
      );
    const saved = async (links: { name: string; type: 'symlink' | 'link'; linkname: string }[], configPath: string): Promise<string> => {
      const file = path.join(scratchDir('linked-config'), 'saved.tar');
      writeFileSync(
        file,
        await tarOf([
          { name: 'x.json', body: config('--safe') },
          { name: 'd1/x.json', body: config('--evil') },
          { name: 'layer.tar', body: layer },
          ...links,
          {
            name: 'manifest.json',
            body: Buffer.from(JSON.stringify([{ Config: configPath, RepoTags: ['app:v1'], Layers: ['layer.tar'] }])),
          },
        ]),
      );
      return file;
    };
    // Extracted, c/cfg.json is the symlink ../x.json seen from c/: --safe. Followed from d1/d2/, it was d1/x.json.
    await assert.rejects(
      readArchive(
        await saved(
          [
            { name: 'd1/d2/s', type: 'symlink', linkname: '../x.json' },
            { name: 'c/cfg.json', type: 'link', linkname: 'd1/d2/s' },
          ],
          'c/cfg.json',
        ),
      ),
      /"c\/cfg\.json" is a link to "d1\/d2\/s", which is not a regular file of the archive/,
    );
    await assert.rejects(
      readArchive(
        await saved(
          [
            { name: 'a.json', type: 'symlink', linkname: 'b.json' },
            { name: 'b.json', type: 'symlink', linkname: 'x.json' },
          ],
          'a.json',
        ),
      ),
      /"a\.json" is a chain of more than 1 link/,
    );
    const one = await readArchive(await saved([{ name: 'c/cfg.json', type: 'symlink', linkname: '../x.json' }], 'c/cfg.json'));
    const manifest = await one.source.getManifest(one.images[0]?.descriptor.digest ?? '');
    assert.equal((manifest.json as { config: { digest: string } }).config.digest, sha256(config('--safe')));
    await one.close();
  });

  it('takes the names containerd gives an image in an OCI layout (io.containerd.image.name)', async () => {
    const layout = ociLayout([2000]);
    const index = JSON.parse((await import('node:fs')).readFileSync(path.join(layout.dir, 'index.json'), 'utf8')) as {
      manifests: { annotations: Record<string, string> }[];
    };
    (index.manifests[0] as { annotations: Record<string, string> }).annotations = {
      'io.containerd.image.name': 'docker.io/library/nginx:1.25',
      'org.opencontainers.image.ref.name': '1.25',
    };
    writeFileSync(path.join(layout.dir, 'index.json'), JSON.stringify(index));
    const archive = await readArchive(layout.dir, { folder: true });
    try {
      assert.equal(archive.format, 'oci-layout');
      assert.equal(archive.images[0]?.refName, '1.25');
      assert.deepEqual(archive.images[0]?.sources, ['docker.io/library/nginx:1.25']);
    } finally {
      await archive.close();
    }
  });

  it('reads an OCI layout folder as untrusted: a blob that is a link, or not its digest, is refused', async () => {
    const layout = ociLayout([1500]);
    const archive = await readArchive(layout.dir, { folder: true });
    assert.equal(archive.images.length, 1);
    await archive.close();
    const [layer] = layout.layers;
    const blob = path.join(layout.dir, 'blobs', 'sha256', sha256(layer as Buffer).slice(7));
    rmSync(blob);
    symlinkSync('/etc/hostname', blob);
    await assert.rejects(
      readArchive(layout.dir, { folder: true }),
      /blobs\/sha256\/[a-f0-9]{64} is a link; only files and folders are accepted/,
    );
    rmSync(blob);
    writeFileSync(blob, randomBytes(1500));
    await assert.rejects(readArchive(layout.dir, { folder: true }), /its content does not match its name/);
    writeFileSync(blob, layer as Buffer);
    mkdirSync(path.join(layout.dir, 'blobs', 'sha256', 'nested'));
    await assert.rejects(readArchive(layout.dir, { folder: true }), /is not named by a digest|not a regular file/);
    rmSync(path.join(layout.dir, 'blobs', 'sha256', 'nested'), { recursive: true });
    // A name a checkout can hold, which would end the log's line and write a workflow command: quoted, as one line.
    for (const [folder, name] of [
      ['sha256', 'x\u001b[8m\u2028::warning::approved'],
      ['', 'sha\u0085256'],
    ] as const) {
      const planted = path.join(layout.dir, 'blobs', folder, name);
      if (folder === '') mkdirSync(planted);
      else writeFileSync(planted, 'x');
      await assert.rejects(readArchive(layout.dir, { folder: true }), (error: Error) => {
        assert.match(
          error.message,
          /the folder holds a name with control characters \("[^"\n]*\\u2028::warning::approved"\)|\("sha\\u0085256"\)/,
        );
        assert.ok(!['\u001b', '\u0085', '\u2028'].some((control) => error.message.includes(control)), error.message);
        return true;
      });
      rmSync(planted, { recursive: true });
    }
  });
});

describe("an archive's blobs as they are sent", () => {
  /** How many of this process's open files are `file`. */
  const openOn = (file: string): number =>
    readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === file;
      } catch {
        return false; // closed while listed (the listing's own)
      }
    }).length;

  it('reads a layout folder file in 64 KiB pieces, and closes it when the reader is done or stops early', async () => {
    const layout = ociLayout([300_000]);
    const archive = await readArchive(layout.dir, { folder: true });
    try {
      const layer = layout.layers[0] as Buffer;
      const descriptor = { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha256(layer), size: layer.length };
      // Read whole, then stopped after its first piece: the file is open while it is read, and closed after.
      const file = path.join(layout.dir, 'blobs', 'sha256', descriptor.digest.slice('sha256:'.length));
      for (const whole of [true, false]) {
        const pieces: Buffer[] = [];
        for await (const piece of archive.source.openBlob(descriptor)) {
          if (pieces.length === 0) assert.equal(openOn(file), 1);
          pieces.push(piece as Buffer);
          if (!whole) break;
        }
        // The stream handed out is the digest check's: the file's own stream closes it just after.
        for (let waited = 0; openOn(file) > 0 && waited < 2000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
        assert.equal(openOn(file), 0);
        assert.equal(pieces[0]?.length, 64 * 1024);
        if (whole) {
          assert.ok(Buffer.concat(pieces).equals(layer));
          assert.equal(pieces.length, Math.ceil(layer.length / (64 * 1024)));
        }
      }
    } finally {
      await archive.close();
    }
  });

  it("reads a tar's blob from its range in 64 KiB pieces, through the archive's own handle", async () => {
    const layout = ociLayout([200_000]);
    const file = path.join(scratchDir('range'), 'app.tar');
    const names = [
      'oci-layout',
      'index.json',
      ...readdirSync(path.join(layout.dir, 'blobs', 'sha256')).map((hex) => `blobs/sha256/${hex}`),
    ];
    writeFileSync(file, await tarOf(names.map((name) => ({ name, body: readFileSync(path.join(layout.dir, name)) }))));
    const archive = await readArchive(file);
    try {
      const layer = layout.layers[0] as Buffer;
      const pieces: Buffer[] = [];
      const descriptor = { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha256(layer), size: layer.length };
      for await (const piece of archive.source.openBlob(descriptor)) pieces.push(piece as Buffer);
      assert.ok(Buffer.concat(pieces).equals(layer));
      assert.deepEqual(
        pieces.map((piece) => piece.length),
        [65536, 65536, 65536, layer.length - 3 * 65536],
      );
    } finally {
      await archive.close();
    }
  });
});

async function bytesOf(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
