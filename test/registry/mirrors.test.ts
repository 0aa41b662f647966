// Mirrors against real registries: a mirror serves content by digest, never chooses what travels with
// an image while the registry answers; when the registry cannot be reached, the lists come through the
// mirror and the run is told once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RegistrySink } from '../../src/remote/sink.js';
import { RegistrySource } from '../../src/remote/source.js';
import { Copier } from '../../src/copy/walker.js';
import type { Registries } from '../../src/registry/registries.js';
import { type RunningRegistry, anonymousRegistries, freePort, startRegistry } from './harness.js';
import { type SeededImage, pushCosign, pushIndex } from './supply-chain.js';

function mirrored(upstream: string, mirror: string, destination: string, notices: string[]): Registries {
  return anonymousRegistries([upstream, mirror, destination], undefined, {
    mirrors: new Map([[upstream, [mirror]]]),
    onNotice: (message) => void notices.push(message),
  });
}

describe('what travels with an image, through a mirror', () => {
  let upstream: RunningRegistry;
  let mirror: RunningRegistry;
  let destination: RunningRegistry;
  let image: SeededImage;
  let sbom: string;
  let swapped: string;

  before(async () => {
    [upstream, mirror, destination] = await Promise.all([startRegistry(), startRegistry(), startRegistry()]);
    const seeding = anonymousRegistries([upstream.host, mirror.host]);
    // The same image in both; under the image's .sbom tag the mirror holds another SBOM than the registry.
    image = await pushIndex(seeding.client(upstream.host), 'team/app', 'v1');
    const copy = new Copier({ concurrency: 4 });
    await copy.copy({
      source: new RegistrySource(seeding, { registry: upstream.host, repository: 'team/app' }),
      sink: new RegistrySink(seeding, { registry: mirror.host, repository: 'team/app' }),
      digest: image.index.digest,
    });
    sbom = (await pushCosign(seeding.client(upstream.host), 'team/app', image.index.digest, 'sbom')).digest;
    swapped = (await pushCosign(seeding.client(mirror.host), 'team/app', image.index.digest, 'sbom')).digest;
    await seeding.close();
  });
  after(async () => {
    await Promise.all([upstream.stop(), mirror.stop(), destination.stop()]);
  });

  async function relocate(registry: string): Promise<{ sbomDigest: string | undefined; notices: string[] }> {
    const notices: string[] = [];
    const registries = mirrored(registry, mirror.host, destination.host, notices);
    try {
      const result = await new Copier({ concurrency: 4, artifacts: 'all' }).copy({
        source: new RegistrySource(registries, { registry, repository: 'team/app' }),
        sink: new RegistrySink(registries, { registry: destination.host, repository: `moved/${registry.replace(/[.:]/g, '-')}` }),
        digest: image.index.digest,
      });
      return { sbomDigest: result.tags.find((put) => put.tag.endsWith('.sbom'))?.digest, notices };
    } finally {
      await registries.close();
    }
  }

  it('a digest tag is resolved at the registry: the mirror cannot swap the SBOM that travels', async () => {
    const { sbomDigest, notices } = await relocate(upstream.host);
    assert.equal(sbomDigest, sbom);
    assert.notEqual(sbomDigest, swapped);
    assert.deepEqual(
      notices.filter((notice) => /could not be reached/.test(notice)),
      [],
    );
  });

  it('with the registry down, the lists come through the mirror, and the run is told once', async () => {
    // A registry name nothing listens at: the mirror holds its images.
    const down = `127.0.0.1:${await freePort()}`;
    const { sbomDigest, notices } = await relocate(down);
    assert.equal(sbomDigest, swapped, "the mirror's own answer, the only one there is");
    const told = notices.filter((notice) => /could not be reached/.test(notice));
    assert.equal(told.length, 1, notices.join('\n'));
    assert.match(told[0] ?? '', new RegExp(`read through the mirror ${mirror.host.replace(/\./g, '\\.')} instead`));
  });
});
