// The tarballs kbld and imgpkg write, read as untrusted: manifest.json's lists, names and nesting are
// checked before anything in them is trusted, and a hostile one is refused as the archive's fault.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ArchiveError, readArchive } from '../../src/archive/read.js';
import { scratchDir, sha256 } from '../registry/harness.js';
import { tarOf } from '../tar.js';

const config = JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } });
const manifest = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(Buffer.from(config)), size: config.length },
  layers: [],
});
/** One image as kbld keeps it: manifest and config inline, no layers. */
const image = (refs: unknown): object => ({
  Refs: refs,
  Config: { Digest: sha256(Buffer.from(config)), Raw: config },
  Manifest: { MediaType: 'application/vnd.oci.image.manifest.v1+json', Digest: sha256(Buffer.from(manifest)), Raw: manifest },
});

async function read(manifestJson: string): Promise<unknown> {
  const file = path.join(scratchDir('kbld-format'), 'kbld.tar');
  writeFileSync(file, await tarOf([{ name: 'manifest.json', body: Buffer.from(manifestJson) }]));
  const archive = await readArchive(file);
  await archive.close();
  return archive;
}

const refused = (message: RegExp) => (error: unknown) => error instanceof ArchiveError && message.test(error.message);

describe("kbld's and imgpkg's tarballs", () => {
  it('reads an image by the references manifest.json gives it', async () => {
    const archive = (await read(JSON.stringify([{ Image: image(['registry.example/team/app:v1']) }]))) as Awaited<
      ReturnType<typeof readArchive>
    >;
    assert.equal(archive.format, 'kbld');
    assert.deepEqual(
      archive.images.map((found) => found.sources),
      [['registry.example/team/app:v1']],
    );
  });

  it('refuses names that are not image references, and lists that are not lists', async () => {
    await assert.rejects(
      read(JSON.stringify([{ Image: image(['Not A Reference']) }])),
      refused(/manifest\.json entry 1 names the image "Not A Reference", which is not an image reference/),
    );
    await assert.rejects(read(JSON.stringify([{ Image: image([42]) }])), refused(/entry 1 names the image with no text/));
    await assert.rejects(read(JSON.stringify([{ Image: image('registry.example/app:v1') }])), refused(/gives Refs that are not a list/));
    await assert.rejects(read(JSON.stringify([null])), refused(/manifest\.json entry 1 is neither Image nor ImageIndex/));
    await assert.rejects(
      read(JSON.stringify([{ ImageIndex: { MediaType: 'application/vnd.oci.image.index.v1+json', Indexes: 5 } }])),
      refused(/gives Indexes that are not a list/),
    );
  });

  it('refuses a field spelled two ways, which kbld and imgpkg (Go) read last-wins, and ferry would read the other way', async () => {
    const other = ['registry.example/team/other:v1'];
    for (const [json, message] of [
      [
        [{ Image: { ...image(['registry.example/team/app:v1']), refs: other } }],
        /an image whose fields ferry refuses: it spells the field Refs as "refs"/,
      ],
      [[{ Image: image(['registry.example/team/app:v1']), image: image(other) }], /entry 1: it spells the field Image as "image"/],
      [
        [
          {
            Image: {
              ...image(['registry.example/team/app:v1']),
              Manifest: { ...(image([]) as { Manifest: object }).Manifest, digest: 'x' },
            },
          },
        ],
        /a Manifest whose fields ferry refuses: it spells the field Digest as "digest"/,
      ],
    ] as const)
      await assert.rejects(read(JSON.stringify(json)), refused(message));
  });

  it('refuses indexes nested deeper than an index may be, however deep, as the archive fault it is', async () => {
    const nested = (depth: number): string =>
      `[{"ImageIndex":${'{"MediaType":"application/vnd.oci.image.index.v1+json","Indexes":['.repeat(depth)}{}${']}'.repeat(depth)}}]`;
    await assert.rejects(read(nested(9)), refused(/manifest\.json nests indexes more than 8 deep/));
    // 3 MiB of brackets: the reader stops at the ninth level, never near the end of its stack.
    await assert.rejects(read(nested(60_000)), refused(/nests indexes more than 8 deep/));
  });
});
