// The verify step through src/ (gate, verifier, evidence, cosign, verification), against a registry in
// memory holding what cosign and GitHub's attest action write: which images verify under which policy,
// and why the others do not.
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { before, describe, it } from 'node:test';
import type { ImageEntry } from '../../src/images.js';
import type { VerifyPolicy } from '../../src/settings/verify.js';
import { verifyImages } from '../../src/verify/gate.js';
import { verificationText } from '../../src/verify/verification.js';
import { pushIndex } from '../registry/supply-chain.js';
import { MemoryRegistry } from './memory-registry.js';
import {
  type KeyPair,
  type KeylessWorld,
  attestationBundle,
  keyPair,
  keySigner,
  keylessWorld,
  pushBundleReferrer,
  pushCosignSignature,
  pushImage,
} from './signing.js';

const entry = (image: string): ImageEntry => ({ image, source: image, newImage: image, fields: [] });
const keyPolicy = (key: KeyPair, extra: Partial<VerifyPolicy> = {}): VerifyPolicy => ({
  kind: 'signature',
  mode: 'enforce',
  keys: [{ label: 'release.pub', key: createPublicKey(key.publicPem) }],
  ...extra,
});
const options = { concurrency: 2, signaturesOnly: false };
const provenance = 'https://slsa.dev/provenance/v1';
const identity = 'https://github.com/team/app/.github/workflows/release.yml@refs/heads/main';
const issuer = 'https://token.actions.githubusercontent.com';

describe('the verify gate', () => {
  const release = keyPair();
  const stranger = keyPair();
  let world: KeylessWorld;
  before(async () => {
    world = await keylessWorld();
  });

  it('verifies an image cosign signed with the key, and says by which key', async () => {
    const registry = new MemoryRegistry();
    const image = await pushImage(registry.client, 'team/app', 'v1');
    await pushCosignSignature(registry.client, 'team/app', image.digest, keySigner(release));
    const gate = await verifyImages(
      keyPolicy(release),
      [{ entry: entry('app:v1'), source: registry.source('team/app'), digest: image.digest }],
      options,
    );
    assert.deepEqual(gate.failures, []);
    const verified = gate.verified.get('app:v1');
    assert.equal(verified?.kind, 'signature');
    assert.equal(verified?.by, 'release.pub');
    assert.equal(verificationText(verified as NonNullable<typeof verified>), 'signature by release.pub');
  });

  it('refuses a signature by another key, one over another digest, one whose annotations were changed, and an image with none', async () => {
    const registry = new MemoryRegistry();
    const byStranger = await pushImage(registry.client, 'team/a', 'v1');
    await pushCosignSignature(registry.client, 'team/a', byStranger.digest, keySigner(stranger));
    const elsewhere = await pushImage(registry.client, 'team/b', 'v1');
    const other = await pushImage(registry.client, 'team/b', 'v2');
    await pushCosignSignature(registry.client, 'team/b', elsewhere.digest, keySigner(release), { signedDigest: other.digest });
    const tampered = await pushImage(registry.client, 'team/c', 'v1');
    await pushCosignSignature(registry.client, 'team/c', tampered.digest, keySigner(release), {
      tamper: (annotations) => {
        const signature = Buffer.from(annotations['dev.cosignproject.cosign/signature'] ?? '', 'base64');
        signature[signature.length - 1] = (signature.at(-1) ?? 0) ^ 1;
        annotations['dev.cosignproject.cosign/signature'] = signature.toString('base64');
      },
    });
    const unsigned = await pushImage(registry.client, 'team/d', 'v1');
    const gate = await verifyImages(
      keyPolicy(release),
      [
        { entry: entry('a'), source: registry.source('team/a'), digest: byStranger.digest },
        { entry: entry('b'), source: registry.source('team/b'), digest: elsewhere.digest },
        { entry: entry('c'), source: registry.source('team/c'), digest: tampered.digest },
        { entry: entry('d'), source: registry.source('team/d'), digest: unsigned.digest },
      ],
      options,
    );
    assert.equal(gate.verified.size, 0);
    const reasons = new Map(gate.failures.map((failure) => [failure.image, failure.message]));
    assert.deepEqual([...reasons.keys()].sort(), ['a', 'b', 'c', 'd']);
    for (const message of reasons.values()) assert.match(message, /: not verified \(signature\): /);
    assert.match(reasons.get('b') ?? '', new RegExp(other.digest.replace(':', '.')), 'names the digest the signature is over');
    assert.match(reasons.get('d') ?? '', /no signature|nothing/i);
  });

  it('in warn mode lets the run go on, the reasons as warnings', async () => {
    const registry = new MemoryRegistry();
    const image = await pushImage(registry.client, 'team/app', 'v1');
    const gate = await verifyImages(
      keyPolicy(release, { mode: 'warn' }),
      [{ entry: entry('app'), source: registry.source('team/app'), digest: image.digest }],
      options,
    );
    assert.deepEqual(gate.failures, []);
    assert.equal(gate.warnings.length, 1);
    assert.match(gate.warnings[0]?.message ?? '', /^app: not verified \(signature\)/);
  });

  it('verifies an attestation bundle stored as a referrer for the predicate asked, and refuses another predicate', async () => {
    const registry = new MemoryRegistry();
    const image = await pushImage(registry.client, 'team/app', 'v1');
    const bundle = await attestationBundle(keySigner(release), image.digest, provenance);
    await pushBundleReferrer(registry.client, 'team/app', image, bundle, false);
    const target = [{ entry: entry('app'), source: registry.source('team/app'), digest: image.digest }];
    const asked = await verifyImages(keyPolicy(release, { kind: 'attestation', predicateType: provenance }), target, options);
    assert.equal(asked.verified.get('app')?.predicateType, provenance);
    assert.equal(
      verificationText(asked.verified.get('app') as NonNullable<ReturnType<typeof asked.verified.get>>),
      `attestation ${provenance} by release.pub`,
    );
    const other = await verifyImages(
      keyPolicy(release, { kind: 'attestation', predicateType: 'https://spdx.dev/Document' }),
      target,
      options,
    );
    assert.equal(other.verified.size, 0);
    assert.match(other.failures[0]?.message ?? '', /not verified \(attestation\)/);
  });

  it('verifies an index with no signature of its own when every platform is signed, and names the platform that is not', async () => {
    const registry = new MemoryRegistry();
    const seeded = await pushIndex(registry.client, 'team/multi', 'v1');
    const platforms = Object.values(seeded.children);
    for (const child of platforms) await pushCosignSignature(registry.client, 'team/multi', child.digest, keySigner(release));
    const target = [{ entry: entry('multi'), source: registry.source('team/multi'), digest: seeded.index.digest }];
    const all = await verifyImages(keyPolicy(release), target, options);
    assert.equal(all.verified.get('multi')?.perPlatform, true);

    const partly = new MemoryRegistry();
    const second = await pushIndex(partly.client, 'team/multi', 'v1');
    const [first, ...rest] = Object.values(second.children);
    await pushCosignSignature(partly.client, 'team/multi', first?.digest ?? '', keySigner(release));
    const refused = await verifyImages(
      keyPolicy(release),
      [{ entry: entry('multi'), source: partly.source('team/multi'), digest: second.index.digest }],
      options,
    );
    assert.equal(refused.verified.size, 0);
    assert.ok(
      rest.some((child) => (refused.failures[0]?.message ?? '').includes(`platform ${child.digest}`)),
      refused.failures[0]?.message,
    );
  });

  it('verifies a keyless signature by the identity and issuer its certificate names, under the trusted root given', async () => {
    const registry = new MemoryRegistry();
    const image = await pushImage(registry.client, 'team/app', 'v1');
    await pushCosignSignature(registry.client, 'team/app', image.digest, world.signer(identity, issuer));
    const target = [{ entry: entry('app'), source: registry.source('team/app'), digest: image.digest }];
    const keyless = (who: string): VerifyPolicy => ({
      kind: 'signature',
      mode: 'enforce',
      keys: [],
      identity: who,
      issuer,
      trustedRoot: world.trustedRoot,
    });
    const gate = await verifyImages(keyless(identity), target, options);
    assert.equal(gate.verified.get('app')?.by, `${identity} (${issuer})`);
    const wrong = await verifyImages(keyless('https://github.com/someone/else/.github/workflows/x.yml@refs/heads/main'), target, options);
    assert.equal(wrong.verified.size, 0);
  });

  it('checks each distinct image once, however many references name it', async () => {
    const registry = new MemoryRegistry();
    const image = await pushImage(registry.client, 'team/app', 'v1');
    await pushCosignSignature(registry.client, 'team/app', image.digest, keySigner(release));
    const source = registry.source('team/app');
    const gate = await verifyImages(
      keyPolicy(release),
      ['app:v1', 'app', 'registry.test/team/app:v1'].map((name) => ({ entry: entry(name), source, digest: image.digest })),
      options,
    );
    assert.equal(gate.verified.size, 3);
    const signatureReads = registry.reads.filter((digest) => digest !== image.digest);
    assert.equal(signatureReads.length, 1, `the signature manifest was read once: ${registry.reads.join(', ')}`);
  });
});
