// Which archive image an entry of the YAML names: the rules that decide which version a cluster runs
// after unpackage. The archives are the reader's own shape (images with their names and sources, and
// the check of a pinned digest); the reading of real archives is tested in test/archive and test/e2e.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Archive } from '../../src/archive/read.js';
import type { ArchiveImage } from '../../src/archive/layout-index.js';
import type { ImageEntry } from '../../src/images.js';
import { archiveLookup } from '../../src/modes/archive-lookup.js';

const digest = (n: number): string => `sha256:${n.toString(16).padStart(64, '0')}`;

/** An image of ferry's own archive (its ref name the YAML's string), or with `by` another tool's. */
function image(n: number, sources: string[], refName?: string, by: 'ferry' | 'other' = 'ferry'): ArchiveImage {
  return {
    descriptor: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: digest(n), size: 100 + n },
    sources,
    ...(refName === undefined ? {} : { refName }),
    ...(refName !== undefined && by === 'ferry' ? { importedAs: refName } : {}),
  };
}

/** An archive of `images`; `derived` maps an image's digest to the pinned index it was filtered from. */
function archive(file: string, images: ArchiveImage[], derived = new Map<string, string>()): Archive {
  return {
    file,
    images,
    format: 'oci-layout',
    artifacts: [],
    source: undefined as never,
    satisfies: async (held, pinned) => held.descriptor.digest === pinned || derived.get(held.descriptor.digest) === pinned,
    close: async () => undefined,
  };
}

const entry = (text: string): ImageEntry => ({ image: text, source: text, newImage: text, fields: [] });
const findInArchives = (found: ImageEntry, archives: Archive[]) => archiveLookup(archives)(found);

describe('finding an entry in the archives', () => {
  it('takes no image by the string the YAML gives when the lock overrides it: app:v1 locked to app:v2 is not v1', async () => {
    // v1 packaged under the string app:v1; the site's lock says app:v1 means app:v2.
    const archives = [archive('a.tar', [image(1, ['registry.example/app:v1@' + digest(1)], 'registry.example/app:v1')])];
    const locked: ImageEntry = {
      image: 'registry.example/app:v1',
      source: 'registry.example/app:v2',
      newImage: 'registry.example/app:v1',
      fields: [],
    };
    await assert.rejects(findInArchives(locked, archives), /not in the archive/);
    // Packaged with the same lock, v2 answers by its source, whatever the string it was packaged under.
    const withV2 = [archive('b.tar', [image(2, ['registry.example/app:v2@' + digest(2)], 'registry.example/app:v1')])];
    assert.equal((await findInArchives(locked, withV2)).image.descriptor.digest, digest(2));
  });

  it('finds an image by the string it was packaged under, and by its repository and tag spelled otherwise', async () => {
    const archives = [archive('a.tar', [image(1, ['docker.io/library/nginx:1.25@' + digest(1)], 'nginx:1.25')])];
    assert.equal((await findInArchives(entry('nginx:1.25'), archives)).image.descriptor.digest, digest(1));
    assert.equal((await findInArchives(entry('docker.io/library/nginx:1.25'), archives)).image.descriptor.digest, digest(1));
    assert.equal((await findInArchives(entry('index.docker.io/library/nginx:1.25'), archives)).image.descriptor.digest, digest(1));
  });

  it("takes another tool's bare-tag ref name for no name: containerd's `redis` tag of registry.example/tools is not the YAML's redis", async () => {
    const saved = [archive('saved.tar', [image(1, ['registry.example/tools:redis'], 'redis', 'other')])];
    await assert.rejects(findInArchives(entry('redis'), saved), /not in/);
    assert.equal((await findInArchives(entry('registry.example/tools:redis'), saved)).image.descriptor.digest, digest(1));
    // A full reference there names the image, as the sources do.
    const named = [archive('named.tar', [image(2, ['registry.example/tools:redis'], 'registry.example/tools:redis', 'other')])];
    assert.equal((await findInArchives(entry('registry.example/tools:redis'), named)).image.descriptor.digest, digest(2));
  });

  it('does not let an image packaged from a digest alone stand for a tag', async () => {
    const archives = [archive('a.tar', [image(1, [`registry.example/team/app@${digest(1)}`], `registry.example/team/app@${digest(1)}`)])];
    for (const text of ['registry.example/team/app:1.25', 'registry.example/team/app'])
      await assert.rejects(findInArchives(entry(text), archives), /^Error: not in the archive \(1 images there; package it/, text);
  });

  it('reads a reference without a tag as latest, never as any tag', async () => {
    const tagged = [archive('saved.tar', [image(1, ['registry.example/app:1.24'], 'registry.example/app:1.24')])];
    await assert.rejects(findInArchives(entry('registry.example/app'), tagged), /not in the archive/);
    const latest = [
      archive('saved.tar', [image(1, ['registry.example/app:1.24', 'registry.example/app:latest'], 'registry.example/app:1.24')]),
    ];
    assert.equal((await findInArchives(entry('registry.example/app'), latest)).image.descriptor.digest, digest(1));
  });

  it('refuses a name two images answer to, in one archive or across a glob of them, naming each', async () => {
    const twoArchives = [archive('release-1.tar', [image(1, [], 'app:v1')]), archive('release-2.tar', [image(2, [], 'app:v1')])];
    await assert.rejects(
      findInArchives(entry('app:v1'), twoArchives),
      new RegExp(
        `^Error: ambiguous: 2 different images answer to it \\(${digest(1)} in release-1\\.tar; ${digest(2)} in release-2\\.tar\\); pin`,
      ),
    );
    const oneArchive = [archive('layout.tar', [image(1, ['registry.example/app:v1']), image(2, ['registry.example/app:v1'])])];
    await assert.rejects(findInArchives(entry('registry.example/app:v1'), oneArchive), /ambiguous: 2 different images answer to it/);
    // Spelled otherwise in the second archive, the same repository and tag is still the same name.
    const spelled = [
      archive('r1.tar', [image(1, [`docker.io/library/nginx:1.25@${digest(1)}`], 'nginx:1.25')]),
      archive('r2.tar', [image(2, [`docker.io/library/nginx:1.25@${digest(2)}`], 'docker.io/library/nginx:1.25')]),
    ];
    for (const text of ['nginx:1.25', 'docker.io/library/nginx:1.25'])
      await assert.rejects(findInArchives(entry(text), spelled), /ambiguous: 2 different images answer to it/, text);
    // The same image in two archives (a base and a delta, say) is one image.
    const same = [archive('base.tar', [image(1, [], 'app:v1')]), archive('delta.tar', [image(1, [], 'app:v1')])];
    assert.equal((await findInArchives(entry('app:v1'), same)).archive.file, 'base.tar');
  });

  it('meets a pinned digest with that manifest wherever it is before any copy a platform filter made of it', async () => {
    const pinned = `registry.example/app@${digest(9)}`;
    const filtered = archive('arm64.tar', [image(1, [pinned], pinned)], new Map([[digest(1), digest(9)]]));
    const whole = archive('whole.tar', [image(9, [pinned], 'another string')]);
    const found = await findInArchives(entry(pinned), [filtered, whole]);
    assert.equal(found.archive.file, 'whole.tar');
    assert.equal(found.image.descriptor.digest, digest(9));
    // With the manifest itself absent, the checked filter of it stands for it.
    assert.equal((await findInArchives(entry(pinned), [filtered])).image.descriptor.digest, digest(1));
    await assert.rejects(
      findInArchives(entry(`registry.example/app@${digest(8)}`), [filtered, whole]),
      /no image there is the pinned digest/,
    );
    // Two different copies of it, one archive per architecture: which the cluster gets is not left to the glob's order.
    const other = archive('amd64.tar', [image(2, [pinned], pinned)], new Map([[digest(2), digest(9)]]));
    await assert.rejects(findInArchives(entry(pinned), [filtered, other]), /ambiguous: 2 different images answer to it/);
  });
});
