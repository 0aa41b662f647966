// The OCI model and the copy walk's rules that need no registry: decoding manifests of every kind,
// the platform filter, the kinds of what travels with an image, the digest tag, the inputs.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { artifactCounts, kindCounts, kindOfTag, kindOfType } from '../../src/copy/artifacts.js';
import { digestTag } from '../../src/copy/endpoint.js';
import { ManifestBudget } from '../../src/copy/budget.js';
import { Copier } from '../../src/copy/walker.js';
import { filterIndex, filteredOrigin, parsePlatforms } from '../../src/copy/platforms.js';
import { formatLock } from '../../src/lock.js';
import { type Manifest, decodeManifest } from '../../src/oci/manifest.js';
import type { Descriptor } from '../../src/oci/descriptor.js';
import { digestOf } from '../../src/oci/digest.js';
import { SettingsError, loadSettings } from '../../src/settings.js';
import { scratchDir } from '../registry/harness.js';

const digest = (seed: string): string => digestOf(Buffer.from(seed));
const manifestOf = (json: Record<string, unknown>, mediaType = ''): Manifest => {
  const bytes = Buffer.from(JSON.stringify(json));
  return { descriptor: { mediaType, digest: digestOf(bytes), size: bytes.length }, bytes, json };
};
const blob = (seed: string, mediaType = 'application/vnd.oci.image.layer.v1.tar') => ({
  mediaType,
  digest: digest(seed),
  size: seed.length,
});

describe('decodeManifest', () => {
  it('reads an image, an index, an OCI 1.1-rc artifact manifest and a subject', () => {
    const config = blob('config', 'application/vnd.oci.empty.v1+json');
    const image = decodeManifest(
      manifestOf({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config,
        layers: [blob('a')],
        subject: blob('s'),
      }),
    );
    assert.equal(image.kind, 'image');
    assert.deepEqual(
      image.blobs.map((descriptor) => descriptor.digest),
      [config.digest, digest('a')],
    );
    assert.equal(image.subject?.digest, digest('s'));
    assert.equal(image.artifactType, 'application/vnd.oci.empty.v1+json', 'a referrer without artifactType is typed by its config');
    const artifact = decodeManifest(
      manifestOf({ mediaType: 'application/vnd.oci.artifact.manifest.v1+json', artifactType: 'x/y', blobs: [blob('b')] }),
    );
    assert.equal(artifact.kind, 'artifact');
    assert.deepEqual(
      artifact.blobs.map((descriptor) => descriptor.digest),
      [digest('b')],
    );
    const index = decodeManifest(
      manifestOf({ schemaVersion: 2, manifests: [{ ...blob('c'), platform: { os: 'linux', architecture: 'arm64' } }] }),
    );
    assert.equal(index.kind, 'index', 'no mediaType: what it holds decides');
    assert.deepEqual(index.children[0]?.platform, { os: 'linux', architecture: 'arm64' });
  });

  it('refuses a document that is an index and a manifest at once, whichever its media type says', () => {
    const index = { schemaVersion: 2, manifests: [blob('c')] };
    const image = { schemaVersion: 2, config: blob('c'), layers: [blob('l')] };
    for (const [json, mediaType] of [
      [{ ...index, ...image }, 'application/vnd.oci.image.index.v1+json'],
      [{ ...index, ...image }, 'application/vnd.oci.image.manifest.v1+json'],
      [{ ...index, layers: [blob('l')] }, ''],
      [{ ...index, blobs: [blob('l')] }, 'application/vnd.docker.distribution.manifest.list.v2+json'],
      [{ ...image, manifests: [] }, 'application/vnd.docker.distribution.manifest.v2+json'],
      [{ ...index, Layers: [blob('l')] }, 'application/vnd.oci.image.index.v1+json'],
      [{ ...image, Manifests: [] }, 'application/vnd.oci.image.manifest.v1+json'],
      // Go folds the long s into s: `manifeſts` is `manifests` to a registry or runtime.
      [{ ...image, 'manife\u017fts': [] }, 'application/vnd.oci.image.manifest.v1+json'],
      [{ ...index, 'layer\u017f': [blob('l')] }, 'application/vnd.oci.image.index.v1+json'],
      // Go 1.21 on folds the dotless and the dotted i into I: `manıfests` and `manİfests` are `manifests` too.
      [{ ...image, 'man\u0131fests': [] }, 'application/vnd.oci.image.manifest.v1+json'],
      [{ ...image, 'man\u0130fests': [] }, 'application/vnd.oci.image.manifest.v1+json'],
    ] as const)
      assert.throws(
        () => decodeManifest(manifestOf(json, mediaType)),
        /is ambiguous: it holds the fields of an index and of a manifest at once/,
        mediaType,
      );
  });

  it('refuses a field spelled otherwise than the spec, which Go reads as the field: an attestation child that is linux/amd64 to a runtime', () => {
    const signed = {
      ...blob('a'),
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      platform: { os: 'linux', architecture: 'arm64' },
    };
    // unknown/unknown and an attestation to ferry; Go's decoding takes the last spelling: linux/amd64.
    const disguised = {
      ...blob('e'),
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      platform: { os: 'unknown', architecture: 'unknown', OS: 'linux', Architecture: 'amd64' },
      annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': signed.digest },
    };
    const index = 'application/vnd.oci.image.index.v1+json';
    for (const [json, reason] of [
      [
        { schemaVersion: 2, manifests: [signed, disguised] },
        /its platform: it spells the field os as "OS", which Go's JSON decoding reads as os/,
      ],
      [{ schemaVersion: 2, manifests: [{ ...signed, Digest: blob('e').digest }] }, /spells the field digest as "Digest"/],
      [{ schemaVersion: 2, manifests: [{ ...signed, 'annotation\u017f': {} }] }, /spells the field annotations as "annotationſ"/],
      [
        { schemaVersion: 2, MediaType: 'application/vnd.oci.image.manifest.v1+json', manifests: [signed] },
        /spells the field mediaType as "MediaType"/,
      ],
    ] as const)
      assert.throws(() => decodeManifest(manifestOf(json, index)), reason);
    // The spec's spellings, and keys that are no field of it (Docker's os.version), are read as they are.
    const plain = decodeManifest(
      manifestOf({ schemaVersion: 2, manifests: [{ ...signed, platform: { ...signed.platform, 'os.version': '10' } }] }, index),
    );
    assert.deepEqual(plain.children[0]?.platform, { os: 'linux', architecture: 'arm64' });
  });

  it('refuses a manifest that repeats a key: JSON.parse keeps the last config, Go merges both (a platform or urls of the first kept)', () => {
    const config = blob('config', 'application/vnd.oci.image.config.v1+json');
    const text = `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":${JSON.stringify({ ...config, urls: ['https://elsewhere.example/c'] })},"config":${JSON.stringify(config)},"layers":[]}`;
    const bytes = Buffer.from(text);
    const manifest = {
      descriptor: { mediaType: '', digest: digestOf(bytes), size: bytes.length },
      bytes,
      json: JSON.parse(text) as Record<string, unknown>,
    };
    assert.throws(
      () => decodeManifest(manifest),
      /is refused: it repeats the key "config", which Go's JSON decoding \(registries, runtimes\) reads otherwise than JSON\.parse/,
    );
  });

  it('refuses an image manifest said to be an artifact manifest, and the other way round, by what lists it', () => {
    const image = { schemaVersion: 2, config: blob('c'), layers: [blob('l')] };
    for (const [json, mediaType] of [
      [image, 'application/vnd.oci.artifact.manifest.v1+json'],
      [{ blobs: [blob('l')], layers: [blob('l')] }, 'application/vnd.oci.artifact.manifest.v1+json'],
      [{ ...image, blobs: [blob('l')] }, 'application/vnd.oci.image.manifest.v1+json'],
      [{ ...image, Blobs: [blob('l')] }, ''],
    ] as const)
      assert.throws(
        () => decodeManifest(manifestOf(json, mediaType)),
        /is ambiguous: it holds the fields of an image manifest and of an artifact manifest at once/,
        mediaType,
      );
    assert.equal(decodeManifest(manifestOf(image, '')).kind, 'image', 'no mediaType anywhere: what it holds decides');
  });

  it('quotes what it refuses of a manifest as one line: a line separator or a C1 control in a digest or a media type is escaped', () => {
    for (const json of [
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: blob('c'),
        layers: [{ mediaType: 'x/y', digest: 'sha256:\u2028::warning::x', size: 1 }],
      },
      { mediaType: 'application/vnd.oci.image.manifest.v1+json', config: blob('c'), layers: [{ ...blob('l'), mediaType: 'x/\u0085y' }] },
      { mediaType: 'application/vnd.example\u2028+json', layers: [] },
    ])
      assert.throws(
        () => decodeManifest(manifestOf(json)),
        (error: Error) => /\\u(2028|0085)/.test(error.message) && !['\u2028', '\u0085'].some((control) => error.message.includes(control)),
      );
  });

  it('refuses a media type it does not know, and descriptors that are not descriptors', () => {
    assert.throws(
      () => decodeManifest(manifestOf({ mediaType: 'application/vnd.example+json', layers: [] })),
      /does not know how to copy whole/,
    );
    assert.throws(
      () => decodeManifest(manifestOf({ mediaType: 'application/vnd.oci.image.manifest.v1+json', config: blob('c'), layers: 'all' })),
      /layers are not a list/,
    );
    assert.throws(
      () =>
        decodeManifest(
          manifestOf({
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            config: blob('c'),
            layers: [{ mediaType: 'x/y', digest: 'sha256:../../v2', size: 1 }],
          }),
        ),
      /is not a digest/,
    );
    assert.throws(
      () => decodeManifest(manifestOf({ mediaType: 'application/vnd.oci.image.manifest.v1+json', layers: [] })),
      /without a config/,
    );
  });
});

describe('the platform filter', () => {
  const children = [
    { ...blob('amd64', 'application/vnd.oci.image.manifest.v1+json'), platform: { os: 'linux', architecture: 'amd64' } },
    { ...blob('arm64', 'application/vnd.oci.image.manifest.v1+json'), platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
    {
      ...blob('att', 'application/vnd.oci.image.manifest.v1+json'),
      platform: { os: 'unknown', architecture: 'unknown' },
      annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': digest('amd64') },
    },
    { ...blob('arm', 'application/vnd.oci.image.manifest.v1+json'), platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
  ];
  const index = manifestOf({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: children });
  const decoded = decodeManifest(index).children;
  const fetchChild = async (child: { digest: string }): Promise<Manifest> => manifestOf({ child: child.digest });

  it('parses os/architecture[/variant] lists and refuses anything else', () => {
    assert.deepEqual(parsePlatforms('linux/amd64,\n linux/arm/v7'), [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm', variant: 'v7' },
    ]);
    assert.equal(parsePlatforms(' '), undefined);
    assert.throws(() => parsePlatforms('amd64'), /not os\/architecture/);
  });

  it('gives the child itself for one platform (arm64 is arm64/v8), a new index with attestations for two', async () => {
    const one = await filterIndex(index, decoded, parsePlatforms('linux/arm64') ?? [], fetchChild);
    assert.equal(one.derived, false);
    assert.deepEqual(one.manifest.json, { child: digest('arm64') });
    const two = await filterIndex(index, decoded, parsePlatforms('linux/amd64,linux/arm/v7') ?? [], fetchChild);
    assert.equal(two.derived, true);
    const kept = (two.manifest.json.manifests as { digest: string }[]).map((entry) => entry.digest);
    assert.deepEqual(kept, [digest('amd64'), digest('att'), digest('arm')]);
    assert.equal(two.manifest.descriptor.digest, digestOf(two.manifest.bytes));
    const all = await filterIndex(index, decoded, parsePlatforms('linux/amd64,linux/arm64,linux/arm') ?? [], fetchChild);
    assert.equal(all.manifest, index, 'every platform kept: the index itself, digest unchanged');
    await assert.rejects(
      async () => filterIndex(index, decoded, parsePlatforms('windows/amd64') ?? [], fetchChild),
      /has no windows\/amd64 image/,
    );
  });

  it('names the index an image was made of only when that index, filtered again, makes it', async () => {
    const two = parsePlatforms('linux/amd64,linux/arm/v7') ?? [];
    const made = (await filterIndex(index, decoded, two, fetchChild)).manifest.descriptor.digest;
    const held = new Map([[index.descriptor.digest, index]]);
    const read = async (at: string): Promise<Manifest> => held.get(at) ?? fetchChild({ digest: at });
    const origin = index.descriptor.digest;
    assert.equal(await filteredOrigin(read, [origin], made, two), origin);
    // One platform's image is the child itself, which the index makes too.
    const arm64 = parsePlatforms('linux/arm64') ?? [];
    const child = (await filterIndex(index, decoded, arm64, fetchChild)).manifest.descriptor.digest;
    assert.equal(await filteredOrigin(read, [origin], child, arm64), origin);
    // Claims the bytes do not bear out: other platforms, an origin not held, an origin that is no index, the image itself.
    assert.equal(await filteredOrigin(read, [origin], made, parsePlatforms('linux/amd64') ?? []), undefined);
    const missing = async (at: string): Promise<Manifest> => {
      throw new Error(`${at} is not in the archive`);
    };
    assert.equal(await filteredOrigin(missing, [origin], made, two), undefined);
    assert.equal(await filteredOrigin(read, [digest('amd64')], made, two), undefined);
    assert.equal(await filteredOrigin(read, [made], made, two), undefined);
    // The first of several that makes it.
    assert.equal(await filteredOrigin(read, [digest('amd64'), origin], made, two), origin);
  });
});

describe('what travels with an image', () => {
  it('names kinds by artifact type and by cosign suffix, and counts them', () => {
    assert.equal(kindOfType('application/vnd.cncf.notary.signature'), 'signature');
    assert.equal(kindOfType('application/vnd.dev.sigstore.bundle.v0.3+json'), 'signature');
    assert.equal(kindOfType('application/spdx+json'), 'sbom');
    assert.equal(kindOfType('application/vnd.cyclonedx+json'), 'sbom');
    assert.equal(kindOfType('application/vnd.in-toto+json'), 'attestation');
    assert.equal(kindOfType('application/vnd.example.report'), 'other');
    assert.equal(kindOfTag('sha256-abc.sig'), 'signature');
    assert.equal(kindOfTag('sha256-abc.att'), 'attestation');
    assert.equal(kindOfTag('sha256-abc.sbom'), 'sbom');
    assert.equal(kindOfTag('sha256-abc.intoto'), 'other');
    const found = [{ kind: 'signature' }, { kind: 'signature' }, { kind: 'sbom' }] as const;
    assert.equal(artifactCounts(found), '2 signatures, 1 SBOM');
    assert.deepEqual(kindCounts(found), { signature: 2, attestation: 0, sbom: 1, other: 0 });
    assert.equal(artifactCounts([]), '');
  });

  it('names the digest tag as the referrers tag schema does, truncated', () => {
    const hex = 'a'.repeat(64);
    assert.equal(digestTag(`sha256:${hex}`), `sha256-${hex}`);
    assert.equal(digestTag(`sha512:${'b'.repeat(128)}`), `sha512-${'b'.repeat(64)}`);
  });

  it('notes it in the lock as a comment kbld reads past, on one line', () => {
    const text = formatLock([
      { image: 'b', newImage: 'r/b@sha256:' + 'c'.repeat(64), note: 'travelled with it: 1 signature\nkind: Evil' },
      { image: 'a', newImage: 'r/a@sha256:' + 'd'.repeat(64) },
    ]);
    assert.match(text, /\n- image: a\n/);
    assert.match(text, /\n# travelled with it: 1 signature kind: Evil\n- image: b\n/);
  });
});

describe('the artifacts and platforms inputs', () => {
  const env = (inputs: Record<string, string>): Record<string, string> => {
    const root = scratchDir('copy-settings');
    return {
      HOME: root,
      GITHUB_WORKSPACE: root,
      ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    };
  };
  it('defaults to all and every platform; refuses values it does not know, naming the input', () => {
    const settings = loadSettings(env({}));
    assert.equal(settings.artifacts, 'all');
    assert.equal(settings.platforms, undefined);
    assert.deepEqual(loadSettings(env({ platforms: 'linux/arm64' })).platforms, [{ os: 'linux', architecture: 'arm64' }]);
    assert.throws(
      () => loadSettings(env({ artifacts: 'some' })),
      (error: unknown) => error instanceof SettingsError && /^artifacts: "some" is not one of all, signatures, none/.test(error.message),
    );
    assert.throws(
      () => loadSettings(env({ platforms: 'linux' })),
      (error: unknown) => error instanceof SettingsError && error.input === 'platforms',
    );
    assert.ok(
      loadSettings(env({ mode: 'rewrite', platforms: 'linux/amd64' })).notices.some((notice) =>
        notice.startsWith('platforms: does nothing'),
      ),
    );
  });
});

describe('the walk', () => {
  // In-memory ends of a copy: the rules tested here are the walker's own, not any registry's.
  class Memory {
    readonly key = `memory-${Math.random()}`;
    readonly manifests = new Map<string, Manifest>();
    readonly blobs = new Map<string, Buffer>();
    readonly digestTagsOf = new Map<string, { tag: string; descriptor: { mediaType: string; digest: string; size: number } }[]>();
    failBlobs = 0;
    async getManifest(digest: string): Promise<Manifest> {
      const found = this.manifests.get(digest);
      if (found === undefined) throw new Error(`no ${digest}`);
      return found;
    }
    openBlob(descriptor: { digest: string }): Readable {
      return Readable.from([this.blobs.get(descriptor.digest) ?? Buffer.alloc(0)]);
    }
    readonly referrersOf = new Map<string, Descriptor[]>();
    referrerLookups = 0;
    async referrers(digest: string) {
      this.referrerLookups++;
      return this.referrersOf.get(digest) ?? [];
    }
    async digestTags(digest: string) {
      return this.digestTagsOf.get(digest) ?? [];
    }
    async resolve(reference: string) {
      return this.manifests.get(reference)?.descriptor;
    }
    heldReads = 0;
    async heldManifest(digest: string): Promise<Manifest> {
      this.heldReads++;
      return this.getManifest(digest);
    }
    async hasBlob(descriptor: { digest: string }): Promise<boolean> {
      return this.blobs.has(descriptor.digest);
    }
    async putBlob(descriptor: { digest: string }, open: () => Readable): Promise<'uploaded'> {
      if (this.failBlobs-- > 0) throw new Error('blob refused, once');
      const chunks: Buffer[] = [];
      for await (const chunk of open()) chunks.push(chunk as Buffer);
      this.blobs.set(descriptor.digest, Buffer.concat(chunks));
      return 'uploaded';
    }
    async putManifest(descriptor: { digest: string; mediaType: string }, bytes: Buffer): Promise<{ listed: boolean }> {
      this.manifests.set(descriptor.digest, {
        descriptor: { mediaType: descriptor.mediaType, digest: descriptor.digest, size: bytes.length },
        bytes,
        json: JSON.parse(bytes.toString('utf8')) as Record<string, unknown>,
      });
      return { listed: true };
    }
  }
  /** An image manifest; with `subject`, a referrer of that manifest; with a layer type, an artifact made as an image. */
  const imageIn = (memory: Memory, seed: string, subject?: Manifest, layerType = 'application/vnd.oci.image.layer.v1.tar'): Manifest => {
    const layer = Buffer.from(`layer ${seed}`);
    memory.blobs.set(digestOf(layer), layer);
    const config = Buffer.from(`{"seed":"${seed}"}`);
    memory.blobs.set(digestOf(config), config);
    const manifest = manifestOf({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digestOf(config), size: config.length },
      layers: [{ mediaType: layerType, digest: digestOf(layer), size: layer.length }],
      ...(subject === undefined ? {} : { subject: { ...subject.descriptor, mediaType: 'application/vnd.oci.image.manifest.v1+json' } }),
    });
    memory.manifests.set(manifest.descriptor.digest, manifest);
    return manifest;
  };
  /** A cosign signature as cosign makes one: an image manifest whose layer is a simple-signing payload. */
  const signatureIn = (memory: Memory, seed: string): Manifest =>
    imageIn(memory, seed, undefined, 'application/vnd.dev.cosign.simplesigning.v1+json');

  it("reads a single image's platform as a runtime does: a config that spells os twice is refused under a platform filter", async () => {
    const source = new Memory();
    const single = (config: Buffer): string => {
      const layer = Buffer.from('layer');
      source.blobs.set(digestOf(layer), layer);
      source.blobs.set(digestOf(config), config);
      const manifest = manifestOf({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digestOf(config), size: config.length },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: digestOf(layer), size: layer.length }],
      });
      source.manifests.set(manifest.descriptor.digest, manifest);
      return manifest.descriptor.digest;
    };
    const copy = (digest: string) =>
      new Copier({ concurrency: 2, platforms: parsePlatforms('linux/arm64') ?? [] }).copy({ source, sink: new Memory(), digest });
    assert.equal((await copy(single(Buffer.from('{"os":"linux","architecture":"arm64"}')))).digest.length, 71);
    // Go reads the last spelling: windows, which the filter would have let through as linux.
    const twice = single(Buffer.from('{"os":"linux","architecture":"arm64","OS":"windows"}'));
    await assert.rejects(copy(twice), new RegExp(`^Error: ${twice}'s config: it spells the field os as "OS"`));
    const repeated = single(Buffer.from('{"os":"windows","architecture":"arm64","os":"linux"}'));
    await assert.rejects(copy(repeated), new RegExp(`^Error: ${repeated}'s config repeats the key "os"`));
    // A config too large to read is no platform ferry can vouch for: padded history hid a windows/amd64 image.
    const padded = single(
      Buffer.from(JSON.stringify({ os: 'windows', architecture: 'amd64', history: [{ comment: 'x'.repeat(4 * 1024 * 1024) }] })),
    );
    await assert.rejects(
      copy(padded),
      new RegExp(
        `^Error: ${padded} is a single image whose config \\([0-9]+ bytes\\) is larger than the 4194304 ferry reads to check its platform`,
      ),
    );
  });

  it('counts bytes as they flow, and a read that fails before its reader comes fails the copy, not the process', async () => {
    const source = new Memory();
    const image = imageIn(source, 'flow');
    const moved: number[] = [];
    const counted = await new Copier({ concurrency: 1, onMoved: (count) => moved.push(count) }).copy({
      source,
      sink: new Memory(),
      digest: image.descriptor.digest,
    });
    assert.equal(
      moved.reduce((sum, count) => sum + count, 0),
      counted.stats.bytesCopied,
    );
    // A source whose read fails at once, and a sink that opens the blob early and reads it later (as an
    // upload opens its body while its session opens).
    const failing = new Memory();
    const broken = imageIn(failing, 'broken');
    failing.openBlob = () =>
      new Readable({
        read() {
          this.destroy(new Error('the source read failed'));
        },
      });
    const late = new Memory();
    late.putBlob = async (_descriptor, open) => {
      const body = open();
      await new Promise((resolve) => setTimeout(resolve, 50));
      for await (const chunk of body) void chunk;
      return 'uploaded';
    };
    const uncaught: unknown[] = [];
    const keep = (error: unknown): void => void uncaught.push(error);
    process.on('uncaughtException', keep);
    try {
      await assert.rejects(
        new Copier({ concurrency: 1, onMoved: () => undefined }).copy({ source: failing, sink: late, digest: broken.descriptor.digest }),
        /the source read failed/,
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      process.off('uncaughtException', keep);
    }
    assert.deepEqual(uncaught, []);
  });

  it('forgets a failed step, so the next image that needs the blob sends it', async () => {
    const source = new Memory();
    const sink = new Memory();
    const image = imageIn(source, 'one');
    sink.failBlobs = 1;
    const copier = new Copier({ concurrency: 1 });
    await assert.rejects(copier.copy({ source, sink, digest: image.descriptor.digest }), /blob refused, once/);
    const again = await copier.copy({ source, sink, digest: image.descriptor.digest });
    assert.equal(again.present, false);
    assert.ok(sink.manifests.has(image.descriptor.digest));
  });

  it('refuses a manifest with more referrers than it carries, before copying any of them', async () => {
    const source = new Memory();
    const sink = new Memory();
    const image = imageIn(source, 'crowded');
    const many = Array.from({ length: 1001 }, (_, at) => ({
      tag: `${digestTag(image.descriptor.digest)}.x${at}`,
      descriptor: image.descriptor,
    }));
    source.digestTagsOf.set(image.descriptor.digest, many);
    await assert.rejects(
      new Copier({ concurrency: 2, artifacts: 'all' }).copy({ source, sink, digest: image.descriptor.digest }),
      /has 1001 referrers and digest tags, more than the 1000 ferry carries/,
    );
  });

  it("records an artifact with the size of the manifest read, not the size a registry's listing gives it", async () => {
    const source = new Memory();
    const sink = new Memory();
    const image = imageIn(source, 'image');
    const sbom = imageIn(source, 'sbom', image);
    source.referrersOf.set(image.descriptor.digest, [{ ...sbom.descriptor, size: sbom.descriptor.size + 64 }]);
    source.digestTagsOf.set(image.descriptor.digest, [
      { tag: `${digestTag(image.descriptor.digest)}.sig`, descriptor: { ...signatureIn(source, 'sig').descriptor, size: 1 } },
    ]);
    const result = await new Copier({ concurrency: 2, artifacts: 'all' }).copy({ source, sink, digest: image.descriptor.digest });
    for (const artifact of result.artifacts)
      assert.equal(artifact.size, (source.manifests.get(artifact.digest) as Manifest).bytes.length, artifact.digest);
    assert.equal(result.artifacts.length, 2);
  });

  it("takes a referrer's subject, type and annotations from its own manifest, not from the listing", async () => {
    const source = new Memory();
    const image = imageIn(source, 'image');
    const other = imageIn(source, 'other');
    const unrelated = imageIn(source, 'unrelated');
    const elsewhere = imageIn(source, 'elsewhere', other);
    // Each also with the listed manifest at the destination already, where it would be listed all the same.
    const holding = (manifest: Manifest): Memory => {
      const sink = new Memory();
      sink.manifests.set(manifest.descriptor.digest, manifest);
      return sink;
    };
    for (const [listed, reason, sink] of [
      [unrelated, 'names no subject', new Memory()],
      [elsewhere, `names ${other.descriptor.digest}`, new Memory()],
      [unrelated, 'names no subject', holding(unrelated)],
      [elsewhere, `names ${other.descriptor.digest}`, holding(elsewhere)],
    ] as const) {
      source.referrersOf.set(image.descriptor.digest, [
        { ...listed.descriptor, artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json' },
      ]);
      await assert.rejects(
        new Copier({ concurrency: 2, artifacts: 'all' }).copy({ source, sink, digest: image.descriptor.digest }),
        new RegExp(
          `${listed.descriptor.digest} is listed as a referrer of ${image.descriptor.digest}, but its manifest ${reason}: refused`,
        ),
      );
    }
    const sbom = imageIn(source, 'sbom', image);
    source.referrersOf.set(image.descriptor.digest, [
      { ...sbom.descriptor, artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json', annotations: { forged: 'yes' } },
    ]);
    for (const sink of [new Memory(), holding(sbom)]) {
      const result = await new Copier({ concurrency: 2, artifacts: 'all' }).copy({ source, sink, digest: image.descriptor.digest });
      assert.equal(result.artifacts[0]?.artifactType, 'application/vnd.oci.image.config.v1+json', "the manifest's own type");
      assert.equal(result.artifacts[0]?.annotations, undefined, 'no annotation the manifest does not carry');
    }
  });

  it('stops at a loop of digest tags (a signature of a signature of itself)', async () => {
    const source = new Memory();
    const sink = new Memory();
    const image = imageIn(source, 'image');
    const first = signatureIn(source, 'first');
    const second = signatureIn(source, 'second');
    source.digestTagsOf.set(image.descriptor.digest, [{ tag: `${digestTag(image.descriptor.digest)}.sig`, descriptor: first.descriptor }]);
    source.digestTagsOf.set(first.descriptor.digest, [{ tag: `${digestTag(first.descriptor.digest)}.sig`, descriptor: second.descriptor }]);
    source.digestTagsOf.set(second.descriptor.digest, [
      { tag: `${digestTag(second.descriptor.digest)}.sig`, descriptor: first.descriptor },
    ]);
    const result = await new Copier({ concurrency: 2, artifacts: 'all' }).copy({ source, sink, digest: image.descriptor.digest });
    assert.deepEqual(
      result.artifacts.map((artifact) => artifact.digest).sort(),
      [first.descriptor.digest, second.descriptor.digest].sort(),
    );
    assert.equal(result.tags.length, 2);
  });

  it('refuses an image a runtime could run under a digest tag (a file system layer, an index), and carries a signature, an attestation and an SBOM there', async () => {
    const source = new Memory();
    const image = imageIn(source, 'image');
    const tag = (suffix: string): string => `${digestTag(image.descriptor.digest)}.${suffix}`;
    const copy = () =>
      new Copier({ concurrency: 2, artifacts: 'all' }).copy({ source, sink: new Memory(), digest: image.descriptor.digest });
    const carried = [
      { tag: tag('sig'), descriptor: signatureIn(source, 'sig').descriptor },
      { tag: tag('att'), descriptor: imageIn(source, 'att', undefined, 'application/vnd.dsse.envelope.v1+json').descriptor },
      { tag: tag('sbom'), descriptor: imageIn(source, 'sbom', undefined, 'text/spdx').descriptor },
    ];
    source.digestTagsOf.set(image.descriptor.digest, carried);
    assert.equal((await copy()).artifacts.length, 3);

    const runnable = imageIn(source, 'debug-shell');
    source.digestTagsOf.set(image.descriptor.digest, [...carried, { tag: tag('att'), descriptor: runnable.descriptor }]);
    await assert.rejects(copy(), (error: Error) => {
      assert.match(
        error.message,
        new RegExp(
          `^${runnable.descriptor.digest}, under ${image.descriptor.digest}'s digest tag ${tag('att')}, holds a file system layer \\("application/vnd\\.oci\\.image\\.layer\\.v1\\.tar"\\)`,
        ),
      );
      return true;
    });
    const index = manifestOf({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        {
          ...runnable.descriptor,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          platform: { os: 'linux', architecture: 'amd64' },
        },
      ],
    });
    source.manifests.set(index.descriptor.digest, index);
    source.digestTagsOf.set(image.descriptor.digest, [{ tag: tag('sig'), descriptor: index.descriptor }]);
    await assert.rejects(copy(), /under .* digest tag .*\.sig, is an index: a signature, attestation or SBOM holds no image, refused/);
  });

  it('refuses a runnable image under a digest tag when the destination holds it already, and reads no source manifest for a signature held there', async () => {
    const source = new Memory();
    const sink = new Memory();
    const image = imageIn(source, 'image');
    const tag = (suffix: string): string => `${digestTag(image.descriptor.digest)}.${suffix}`;
    const signature = signatureIn(source, 'sig');
    source.digestTagsOf.set(image.descriptor.digest, [{ tag: tag('sig'), descriptor: signature.descriptor }]);
    const copy = () => new Copier({ concurrency: 2, artifacts: 'all' }).copy({ source, sink, digest: image.descriptor.digest });
    assert.deepEqual(
      (await copy()).tags.map((put) => put.tag),
      [tag('sig')],
    );
    // Copied once, the signature is read from the sink alone on the next run (which puts its tag on it).
    source.manifests.delete(signature.descriptor.digest);
    assert.equal((await copy()).artifacts.length, 1);
    assert.equal(sink.heldReads, 1);

    // A runnable image the destination holds (another tag's, say), named by the source's .att tag.
    const runnable = imageIn(sink, 'debug-shell');
    source.digestTagsOf.set(image.descriptor.digest, [{ tag: tag('att'), descriptor: runnable.descriptor }]);
    await assert.rejects(copy(), (error: Error) => {
      assert.match(
        error.message,
        new RegExp(
          `^${runnable.descriptor.digest}, under ${image.descriptor.digest}'s digest tag ${tag('att')}, holds a file system layer \\("application/vnd\\.oci\\.image\\.layer\\.v1\\.tar"\\) \\(at the destination already\\)`,
        ),
      );
      return true;
    });
  });

  it('visits each artifact once however many paths lead to it: 60 artifacts each under every other', async () => {
    const source = new Memory();
    const sink = new Memory();
    const image = imageIn(source, 'image');
    const artifacts = Array.from({ length: 60 }, (_, n) => imageIn(source, `sbom-${n}`, image).descriptor);
    source.referrersOf.set(image.descriptor.digest, artifacts);
    for (const artifact of artifacts) source.referrersOf.set(artifact.digest, artifacts);
    const result = await new Copier({ concurrency: 4, artifacts: 'all' }).copy({ source, sink, digest: image.descriptor.digest });
    assert.equal(result.artifacts.length, 60);
    assert.deepEqual(new Set(result.artifacts.map((artifact) => artifact.digest)), new Set(artifacts.map((artifact) => artifact.digest)));
    assert.equal(source.referrerLookups, 61, 'one lookup per manifest');
  });

  it(
    'answers what an image holds in time linear in its manifests: 7 indexes each listing the next 30 times',
    { timeout: 30_000 },
    async () => {
      const source = new Memory();
      let next = imageIn(source, 'leaf');
      let nextType = 'application/vnd.oci.image.manifest.v1+json';
      for (let level = 0; level < 7; level++) {
        const index = manifestOf({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.index.v1+json',
          manifests: Array.from({ length: 30 }, () => ({
            ...next.descriptor,
            mediaType: nextType,
            platform: { os: 'linux', architecture: 'amd64' },
          })),
        });
        source.manifests.set(index.descriptor.digest, index);
        next = index;
        nextType = 'application/vnd.oci.image.index.v1+json';
      }
      const result = await new Copier({ concurrency: 2, artifacts: 'all' }).copy({
        source,
        sink: new Memory(),
        digest: next.descriptor.digest,
      });
      assert.deepEqual(result.platforms, Array(30).fill('linux/amd64'));
      assert.equal(result.stats.manifestsPushed, 8);
    },
  );

  it("stops at the run's budget of manifests, naming the input that raises it", async () => {
    const source = new Memory();
    const sink = new Memory();
    const children = Array.from({ length: 6 }, (_, n) => imageIn(source, `child-${n}`));
    const index = manifestOf({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: children.map((child) => ({ ...child.descriptor, mediaType: 'application/vnd.oci.image.manifest.v1+json' })),
    });
    source.manifests.set(index.descriptor.digest, index);
    const budget = new ManifestBudget(5);
    await assert.rejects(
      new Copier({ concurrency: 2, budget }).copy({ source, sink, digest: index.descriptor.digest }),
      /would take this run past 5 manifests, the most max-manifests allows: raise max-manifests/,
    );
    assert.equal(sink.manifests.size, 0, 'nothing of the image was written');
    // A few large manifests pass the budget's bytes (10 KiB for each manifest it allows).
    const padded = manifestOf({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [],
      padding: 'x'.repeat(60 * 1024),
    });
    source.manifests.set(padded.descriptor.digest, padded);
    await assert.rejects(
      new Copier({ concurrency: 2, budget: new ManifestBudget(5) }).copy({ source, sink, digest: padded.descriptor.digest }),
      /past 50 KiB \(10 KiB for each of max-manifests\): raise max-manifests/,
    );
    // The same manifests read again in the run cost nothing more.
    const small = new ManifestBudget(7);
    const copier = new Copier({ concurrency: 2, budget: small });
    await copier.copy({ source, sink, digest: index.descriptor.digest });
    await copier.copy({ source, sink: new Memory(), digest: index.descriptor.digest });
  });
});
