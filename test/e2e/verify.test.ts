// Verify before relocating, through dist/index.js: images signed in the test (keys from Node's crypto;
// keyless certificates, CT and Rekor entries from @sigstore/mock) in the three formats ferry reads
// (cosign's `.sig`/`.att` tags on docker-registry, Sigstore bundles as referrers on the harness's
// OCI 1.1 registry); what verifies is copied and reported, what does not is refused before anything is
// pushed (the destination records every request), online and from an archive, offline.
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RegistryClient } from '../../src/registry/client.js';
import { type RunningRegistry, anonymousRegistries, scratchDir, skopeoRaw, startRegistry } from '../registry/harness.js';
import { type ReferrersRegistry, startReferrersRegistry } from '../registry/referrers-registry.js';
import { type Pushed, ociIndex, pushIndex, pushManifest } from '../registry/supply-chain.js';
import {
  type KeylessWorld,
  attestationBundle,
  keyPair,
  keySigner,
  keylessWorld,
  pushBundleReferrer,
  pushCosignAttestation,
  pushCosignSignature,
  pushImage,
} from '../verify/signing.js';
import { runAction, snapshot } from './action.js';

const slsa = 'https://slsa.dev/provenance/v1';
const issuer = 'https://token.actions.githubusercontent.com';
const identity = 'https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1';

interface ReportedImage {
  readonly image: string;
  readonly newImage: string;
  readonly verified?: { by: string; kind: string; predicateType?: string };
}

describe('verify before relocating', () => {
  let plain: RunningRegistry;
  let api: ReferrersRegistry;
  let destination: ReferrersRegistry;
  let clients: ReturnType<typeof anonymousRegistries>;
  let world: KeylessWorld;
  let attacker: KeylessWorld;
  const team = keyPair('ecdsa-p256');
  const stranger = keyPair('ecdsa-p256');
  const otherKinds = { 'p384-signed': keyPair('ecdsa-p384'), 'rsa-signed': keyPair('rsa'), 'ed25519-signed': keyPair('ed25519') };
  let trust: string;
  const keyFile = (): string => path.join(trust, 'cosign.pub');
  const rootFile = (): string => path.join(trust, 'trusted_root.json');
  const pushed = new Map<string, Pushed>();

  before(async () => {
    [plain, api, destination] = await Promise.all([startRegistry(), startReferrersRegistry(), startReferrersRegistry()]);
    clients = anonymousRegistries([plain.host, api.host, destination.host]);
    world = await keylessWorld();
    attacker = await keylessWorld();
    trust = scratchDir('verify-trust');
    writeFileSync(keyFile(), team.publicPem);
    writeFileSync(rootFile(), world.trustedRoot);

    const onPlain = plain.host;
    const client = (host: string): RegistryClient => clients.client(host);
    const image = async (host: string, name: string): Promise<Pushed> => {
      const manifest = await pushImage(client(host), name, 'v1');
      pushed.set(`${host}/${name}`, manifest);
      return manifest;
    };
    const signed = await image(onPlain, 'team/signed');
    await pushCosignSignature(client(onPlain), 'team/signed', signed.digest, keySigner(team));
    await image(onPlain, 'team/unsigned');
    const other = await image(onPlain, 'team/other-key');
    await pushCosignSignature(client(onPlain), 'team/other-key', other.digest, keySigner(stranger));
    const wrong = await image(onPlain, 'team/wrong-digest');
    const elsewhere = await image(onPlain, 'team/elsewhere');
    await pushCosignSignature(client(onPlain), 'team/wrong-digest', wrong.digest, keySigner(team), { signedDigest: elsewhere.digest });
    const keyless = await image(onPlain, 'team/keyless');
    await pushCosignSignature(client(onPlain), 'team/keyless', keyless.digest, world.signer(identity, issuer));
    const someoneElse = await image(onPlain, 'team/keyless-other');
    await pushCosignSignature(
      client(onPlain),
      'team/keyless-other',
      someoneElse.digest,
      world.signer('https://github.com/evil/fork/.github/workflows/release.yml@refs/heads/main', issuer),
    );
    // An identity that only begins with the one trusted: a tag v10 where v1 is trusted.
    const longer = await image(onPlain, 'team/keyless-longer');
    await pushCosignSignature(client(onPlain), 'team/keyless-longer', longer.digest, world.signer(`${identity}0`, issuer));
    // Keys of every kind cosign signs with.
    for (const [name, key] of Object.entries(otherKinds)) {
      const signedBy = await image(onPlain, `team/${name}`);
      await pushCosignSignature(client(onPlain), `team/${name}`, signedBy.digest, keySigner(key));
    }
    // A certificate annotation far past any real chain.
    const huge = await image(onPlain, 'team/huge-annotation');
    await pushCosignSignature(client(onPlain), 'team/huge-annotation', huge.digest, keySigner(team), {
      tamper: (annotations) => {
        annotations['dev.sigstore.cosign/certificate'] = '-----BEGIN CERTIFICATE-----'.repeat(4000);
      },
    });
    // An index whose amd64 image says it is an attestation manifest, unsigned, beside a signed arm64 image.
    const evil = await pushImage(client(onPlain), 'team/disguised', 'evil');
    const good = await pushImage(client(onPlain), 'team/disguised', 'good');
    await pushCosignSignature(client(onPlain), 'team/disguised', good.digest, keySigner(team));
    await pushManifest(
      client(onPlain),
      'team/disguised',
      {
        schemaVersion: 2,
        mediaType: ociIndex,
        manifests: [
          {
            ...evil,
            platform: { os: 'linux', architecture: 'amd64' },
            annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
          },
          { ...good, platform: { os: 'linux', architecture: 'arm64' } },
        ],
      },
      'v1',
    );
    // A certificate valid for ten minutes an hour ago, logged now: no verified time inside its validity.
    const expired = await image(onPlain, 'team/expired');
    await pushCosignSignature(
      client(onPlain),
      'team/expired',
      expired.digest,
      world.signer(identity, issuer, { clock: new Date(Date.now() - 3600_000), logClock: new Date() }),
    );
    // The same, logged while it was valid: the log entry's time vouches for the signature.
    const loggedInTime = await image(onPlain, 'team/logged-in-time');
    await pushCosignSignature(
      client(onPlain),
      'team/logged-in-time',
      loggedInTime.digest,
      world.signer(identity, issuer, { clock: new Date(Date.now() - 3600_000) }),
    );
    // Signed in another Sigstore: its CA travels in the signature's chain annotation, and is not trusted for it.
    const foreign = await image(onPlain, 'team/foreign');
    await pushCosignSignature(client(onPlain), 'team/foreign', foreign.digest, attacker.signer(identity, issuer));

    // On the OCI 1.1 registry: Sigstore bundles as referrers.
    const attested = await image(api.host, 'team/attested');
    await pushBundleReferrer(
      client(api.host),
      'team/attested',
      attested,
      await attestationBundle(world.signer(identity, issuer), attested.digest, slsa),
      false,
    );
    const badProof = await image(api.host, 'team/bad-proof');
    await pushBundleReferrer(
      client(api.host),
      'team/bad-proof',
      badProof,
      await attestationBundle(world.signer(identity, issuer), badProof.digest, slsa, (bundle) => {
        // The proof claims a sibling the log never had: the root it computes is not the checkpoint's.
        const material = bundle.verificationMaterial as { tlogEntries: { inclusionProof: { hashes: string[]; treeSize: string } }[] };
        const proof = material.tlogEntries[0]?.inclusionProof;
        if (proof) {
          proof.hashes = [Buffer.alloc(32, 7).toString('base64')];
        }
      }),
      false,
    );
    // The same on docker-registry, which has no referrers API: listed in the referrers tag schema.
    const schemaAttested = await image(onPlain, 'team/schema-attested');
    await pushBundleReferrer(
      client(onPlain),
      'team/schema-attested',
      schemaAttested,
      await attestationBundle(world.signer(identity, issuer), schemaAttested.digest, slsa),
      true,
    );
    // Indexes: one signed as a whole, one whose platforms are each signed (cosign sign --recursive
    // without the index), one with a platform left unsigned.
    const whole = await pushIndex(client(onPlain), 'team/index-signed', 'v1');
    await pushCosignSignature(client(onPlain), 'team/index-signed', whole.index.digest, keySigner(team));
    const recursive = await pushIndex(client(onPlain), 'team/platforms-signed', 'v1');
    for (const child of Object.values(recursive.children))
      await pushCosignSignature(client(onPlain), 'team/platforms-signed', child.digest, keySigner(team));
    const partly = await pushIndex(client(onPlain), 'team/platforms-partly', 'v1');
    for (const child of Object.values(partly.children).slice(1))
      await pushCosignSignature(client(onPlain), 'team/platforms-partly', child.digest, keySigner(team));
    // The same log entry five times over: refused before the verifier compares them pairwise.
    const manyEntries = await image(api.host, 'team/many-entries');
    await pushBundleReferrer(
      client(api.host),
      'team/many-entries',
      manyEntries,
      await attestationBundle(world.signer(identity, issuer), manyEntries.digest, slsa, (bundle) => {
        const material = bundle.verificationMaterial as { tlogEntries: unknown[] };
        material.tlogEntries = Array.from({ length: 5 }, () => material.tlogEntries[0]);
      }),
      false,
    );
    const keyAttested = await image(onPlain, 'team/key-attested');
    await pushCosignAttestation(client(onPlain), 'team/key-attested', keyAttested.digest, keySigner(team), slsa);
  });
  after(async () => {
    await clients.close();
    await Promise.all([plain.stop(), api.stop(), destination.stop()]);
  });

  function workspace(images: readonly string[]): string {
    const dir = scratchDir('verify-ws');
    writeFileSync(
      path.join(dir, 'app.yaml'),
      `kind: Pod\nspec:\n  containers:\n${images.map((image, at) => `    - name: c${at}\n      image: ${image}\n`).join('')}`,
    );
    return dir;
  }

  async function run(images: readonly string[], inputs: Record<string, string>, setup?: (dir: string) => void) {
    const dir = workspace(images);
    setup?.(dir);
    const before = snapshot(dir);
    const writes = destination.requests.length;
    const result = await runAction(dir, {
      mode: 'relocate',
      manifests: '*.yaml',
      'default-repo': `${destination.host}/prod`,
      'insecure-registries': `${plain.host},${api.host},${destination.host}`,
      ...inputs,
    });
    const sent = destination.requests.slice(writes).filter((request) => /^(PUT|POST|PATCH|DELETE) /.test(request));
    return { ...result, dir, before, sent, images: JSON.parse(result.outputs.images ?? '[]') as ReportedImage[] };
  }

  const byKey = { verify: 'signature', 'verify-key': '' };

  it('relocates an image signed with the team key and says so in the log, the outputs, the summary and the lock', async () => {
    const result = await run([`${plain.host}/team/signed:v1`], { ...byKey, 'verify-key': keyFile() });
    assert.equal(result.code, 0, result.stdout);
    const [image] = result.images;
    assert.equal(image?.verified?.kind, 'signature');
    assert.match(image?.verified?.by ?? '', /^key sha256:[0-9a-f]{12}$/);
    assert.match(result.stdout, /team\/signed:v1: sha256:[0-9a-f]{64} verified, signature by key sha256:/);
    assert.match(result.summary, /<th>Verified<\/th>/);
    assert.match(result.summary, /signature by key sha256:/);
    assert.match(
      readFileSync(path.join(result.dir, 'ferry.lock.yml'), 'utf8'),
      /^# travelled with it: 1 signature; verified: signature by key sha256:[0-9a-f]{12}\n/m,
    );
    const [name, digest] = (image?.newImage ?? '').split('@');
    assert.equal(digest, pushed.get(`${plain.host}/team/signed`)?.digest);
    assert.ok((await skopeoRaw(`${name}@${digest}`, {})).length > 0);
  });

  it('verifies signatures by P-384, RSA and Ed25519 keys, given together', async () => {
    const images = Object.keys(otherKinds).map((name) => `${plain.host}/team/${name}:v1`);
    const keys = Object.values(otherKinds)
      .map((key) => key.publicPem)
      .join('');
    const result = await run(images, { ...byKey, 'verify-key': keys });
    assert.equal(result.code, 0, result.stdout);
    assert.deepEqual(
      result.images.map((image) => image.verified?.kind),
      images.map(() => 'signature'),
    );
    assert.equal(new Set(result.images.map((image) => image.verified?.by)).size, 3, 'each by its own key');
  });

  it('accepts the key inline as PEM text, as a secret would pass it', async () => {
    const result = await run([`${plain.host}/team/signed:v1`], { ...byKey, 'verify-key': team.publicPem });
    assert.equal(result.code, 0, result.stdout);
    assert.equal(result.images[0]?.verified?.kind, 'signature');
  });

  it('refuses every image that does not verify, each with its reason at its line, and pushes nothing', async () => {
    const refused = {
      unsigned: 'no signature or attestation found',
      'other-key': 'signature verification failed',
      'wrong-digest': 'it signs "sha256:',
      'huge-annotation': 'annotation is 108000 characters, more than the 65536 ferry reads',
      disguised: 'no signature or attestation found; platform sha256:',
    };
    const images = [`${plain.host}/team/signed:v1`, ...Object.keys(refused).map((name) => `${plain.host}/team/${name}:v1`)];
    const result = await run(images, { ...byKey, 'verify-key': keyFile() });
    assert.equal(result.code, 1);
    for (const [name, reason] of Object.entries(refused)) {
      const line = images.indexOf(`${plain.host}/team/${name}:v1`) * 2 + 5;
      const annotation = new RegExp(
        `::error title=ferry,file=app\\.yaml,line=${line},[^\\n]*team/${name}:v1: not verified \\(signature\\)[^\\n]*`,
      );
      const found = annotation.exec(result.stdout)?.[0] ?? '';
      assert.ok(found.includes(reason), `${name}: ${found || result.stdout}`);
    }
    assert.deepEqual(result.sent, [], 'nothing is pushed');
    assert.deepEqual(snapshot(result.dir), result.before, 'no manifest is rewritten');
  });

  it('verifies keyless signatures against the trusted root, by exact identity or by a whole-string pattern', async () => {
    const keyless = { verify: 'signature', 'verify-issuer': issuer, 'trusted-root': rootFile() };
    const exact = await run([`${plain.host}/team/keyless:v1`], { ...keyless, 'verify-identity': identity });
    assert.equal(exact.code, 0, exact.stdout);
    assert.equal(exact.images[0]?.verified?.by, `${identity} (${issuer})`);
    // A certificate long expired still verifies when the log entry's time falls inside its validity.
    const old = await run([`${plain.host}/team/logged-in-time:v1`], { ...keyless, 'verify-identity': identity });
    assert.equal(old.code, 0, old.stdout);
    const pattern = await run([`${plain.host}/team/keyless:v1`], {
      ...keyless,
      'verify-identity-regexp': 'https://github\\.com/acme/app/\\.github/workflows/.+',
    });
    assert.equal(pattern.code, 0, pattern.stdout);
    // Anchored: a pattern that only occurs inside the identity does not match it.
    const inside = await run([`${plain.host}/team/keyless:v1`], { ...keyless, 'verify-identity-regexp': 'acme/app' });
    assert.equal(inside.code, 1);
    assert.deepEqual(inside.sent, []);
  });

  it('refuses another identity, a certificate outside its validity, a foreign CA and a bad inclusion proof', async () => {
    const refused = {
      [`${plain.host}/team/keyless-other:v1`]: 'keyless: ',
      [`${plain.host}/team/expired:v1`]: 'keyless: ',
      [`${plain.host}/team/foreign:v1`]: 'keyless: ',
      [`${plain.host}/team/keyless-longer:v1`]: 'keyless: ',
    };
    const result = await run(Object.keys(refused), {
      verify: 'signature',
      'verify-issuer': issuer,
      'verify-identity': identity,
      'trusted-root': rootFile(),
    });
    assert.equal(result.code, 1, result.stdout);
    for (const image of Object.keys(refused))
      assert.match(result.stdout, new RegExp(`::error [^\\n]*${image.replaceAll('.', '\\.')}: not verified`));
    assert.match(
      result.stdout,
      /keyless-other:v1: not verified[^\n]*the certificate's identity is "https:\/\/github\.com\/evil\/fork\/[^"]*", not https:\/\/github\.com\/acme/,
    );
    assert.match(result.stdout, /expired:v1: not verified[^\n]*certificate error: Failed to verify certificate chain/);
    assert.match(result.stdout, /foreign:v1: not verified[^\n]*certificate error: Failed to verify certificate chain/);
    assert.match(result.stdout, /keyless-longer:v1: not verified[^\n]*the certificate's identity is "[^"]*@refs\/tags\/v10", not /);
    assert.deepEqual(result.sent, []);

    const proof = await run([`${api.host}/team/bad-proof:v1`, `${api.host}/team/many-entries:v1`], {
      verify: 'attestation',
      'verify-predicate-type': slsa,
      'verify-issuer': issuer,
      'verify-identity': identity,
      'trusted-root': rootFile(),
    });
    assert.equal(proof.code, 1);
    assert.match(proof.stdout, /bad-proof:v1: not verified \(attestation\)[^\n]*tlog inclusion proof error/);
    assert.match(proof.stdout, /many-entries:v1: not verified \(attestation\)[^\n]*5 log entries and 5 timestamps, more than ferry checks/);
    assert.deepEqual(proof.sent, []);
  });

  it('verifies attestations by predicate type: bundles as referrers (keyless) and cosign .att tags (key)', async () => {
    const keyless = await run([`${api.host}/team/attested:v1`, `${plain.host}/team/schema-attested:v1`], {
      verify: 'attestation',
      'verify-predicate-type': slsa,
      'verify-issuer': issuer,
      'verify-identity': identity,
      'trusted-root': rootFile(),
    });
    assert.equal(keyless.code, 0, keyless.stdout);
    for (const image of keyless.images)
      assert.deepEqual(image.verified, { by: `${identity} (${issuer})`, kind: 'attestation', predicateType: slsa }, image.image);
    assert.equal(keyless.images.length, 2);
    const byKeyAtt = await run([`${plain.host}/team/key-attested:v1`], {
      verify: 'attestation',
      'verify-predicate-type': slsa,
      'verify-key': keyFile(),
    });
    assert.equal(byKeyAtt.code, 0, byKeyAtt.stdout);
    const otherPredicate = await run([`${plain.host}/team/key-attested:v1`], {
      verify: 'attestation',
      'verify-predicate-type': 'https://spdx.dev/Document',
      'verify-key': keyFile(),
    });
    assert.equal(otherPredicate.code, 1);
    assert.match(otherPredicate.stdout, /it attests "https:\/\/slsa\.dev\/provenance\/v1", not https:\/\/spdx\.dev\/Document/);
  });

  it('verifies an index by its own signature, or by every platform signature; a platform filter says what verified', async () => {
    const images = [`${plain.host}/team/index-signed:v1`, `${plain.host}/team/platforms-signed:v1`];
    const result = await run(images, { ...byKey, 'verify-key': keyFile() });
    assert.equal(result.code, 0, result.stdout);
    assert.doesNotMatch(result.images[0]?.verified?.by ?? '', /each platform/);
    assert.match(result.stdout, /platforms-signed:v1: sha256:[0-9a-f]{64} verified, signature by key sha256:[0-9a-f]{12}, each platform/);
    const partly = await run([`${plain.host}/team/platforms-partly:v1`], { ...byKey, 'verify-key': keyFile() });
    assert.equal(partly.code, 1);
    assert.match(
      partly.stdout,
      /platforms-partly:v1: not verified \(signature\): no signature or attestation found; platform sha256:[0-9a-f]{64}: no signature/,
    );
    assert.deepEqual(partly.sent, []);
    // One platform of the signed index: a new digest, which the lock says the source's signature covered.
    const filtered = await run([`${plain.host}/team/index-signed:v1`], { ...byKey, 'verify-key': keyFile(), platforms: 'linux/arm64' });
    assert.equal(filtered.code, 0, filtered.stdout);
    assert.match(
      readFileSync(path.join(filtered.dir, 'ferry.lock.yml'), 'utf8'),
      /verified: signature by key sha256:[0-9a-f]{12} \(the source's sha256:[0-9a-f]{64}, before the platform filter\)\n/,
    );
  });

  it('verifies an index under a platform filter by the platforms it keeps: one left behind need not be signed', async () => {
    const image = `${plain.host}/team/platforms-partly:v1`;
    // Its amd64 image is the unsigned one.
    const kept = await run([image], { ...byKey, 'verify-key': keyFile(), platforms: 'linux/arm64, linux/arm/v7' });
    assert.equal(kept.code, 0, kept.stdout);
    assert.match(kept.stdout, /platforms-partly:v1: sha256:[0-9a-f]{64} verified, signature by key sha256:[0-9a-f]{12}, each platform/);
    const one = await run([image], { ...byKey, 'verify-key': keyFile(), platforms: 'linux/arm64' });
    assert.equal(one.code, 0, one.stdout);
    const unsigned = await run([image], { ...byKey, 'verify-key': keyFile(), platforms: 'linux/amd64, linux/arm64' });
    assert.equal(unsigned.code, 1);
    assert.match(
      unsigned.stdout,
      /platforms-partly:v1: not verified \(signature\): no signature or attestation found; platform sha256:[0-9a-f]{64}: no signature/,
    );
    assert.deepEqual(unsigned.sent, []);
    // A platform the index lacks: every platform is then verified, as without a filter, and the reason is a signature's.
    const lacking = await run([image], { ...byKey, 'verify-key': keyFile(), platforms: 'linux/s390x' });
    assert.equal(lacking.code, 1);
    assert.doesNotMatch(lacking.stdout, /could not be read/);
    assert.match(lacking.stdout, /platforms-partly:v1: not verified \(signature\): no signature or attestation found; platform sha256:/);
  });

  it("verifies at the site a copy a platform filter made when it was packaged, by the index's own signature, which the archive carries", async () => {
    const dir = workspace([`${plain.host}/team/index-signed:v1`]);
    const inputs = {
      ...byKey,
      'verify-key': keyFile(),
      manifests: '*.yaml',
      archive: 'arm64.tar',
      'insecure-registries': `${plain.host},${destination.host}`,
    };
    const packaged = await runAction(
      dir,
      { ...inputs, mode: 'package', platforms: 'linux/arm64' },
      { RUNNER_TEMP: scratchDir('runner-temp') },
    );
    assert.equal(packaged.code, 0, packaged.stdout);
    const writes = destination.requests.length;
    const site = await runAction(dir, {
      ...inputs,
      mode: 'unpackage',
      'default-repo': `${destination.host}/site`,
      platforms: 'linux/arm64',
    });
    assert.equal(site.code, 0, site.stdout);
    assert.match(
      site.stdout,
      /index-signed:v1: sha256:[0-9a-f]{64} verified, signature by key sha256:[0-9a-f]{12}, of the index sha256:[0-9a-f]{64} it was cut from/,
    );
    assert.ok(destination.requests.length > writes, 'imported');
  });

  it('with verify-mode warn, an image that does not verify goes on with a warning at its line', async () => {
    const result = await run([`${plain.host}/team/unsigned:v1`], { ...byKey, 'verify-key': keyFile(), 'verify-mode': 'warn' });
    assert.equal(result.code, 0, result.stdout);
    assert.match(
      result.stdout,
      /::warning title=ferry%3A not verified,file=app\.yaml,line=5,[^\n]*team\/unsigned:v1: not verified \(signature\): no signature or attestation found/,
    );
    assert.equal(result.images[0]?.verified, undefined);
    assert.match(result.summary, /not verified/);
  });

  it('refuses a relocation whose tag was moved to an unsigned image after the pre-flight check', async () => {
    const flight = await run([`${plain.host}/team/signed:v1`], { ...byKey, 'verify-key': keyFile(), mode: 'resolve' });
    assert.equal(flight.code, 0, flight.stdout);
    // Someone moves the tag to an image no release workflow signed.
    await pushImage(clients.client(plain.host), 'team/signed', 'v2');
    const moved = await clients.client(plain.host).getManifest('team/signed', 'v2');
    await clients.client(plain.host).putManifest('team/signed', 'v1', moved.bytes, moved.descriptor.mediaType);
    try {
      const result = await run([`${plain.host}/team/signed:v1`], { ...byKey, 'verify-key': keyFile() });
      assert.equal(result.code, 1);
      assert.match(result.stdout, /team\/signed:v1: not verified \(signature\): no signature or attestation found/);
      assert.deepEqual(result.sent, []);
    } finally {
      const original = await clients.client(plain.host).getManifest('team/signed', pushed.get(`${plain.host}/team/signed`)?.digest ?? '');
      await clients.client(plain.host).putManifest('team/signed', 'v1', original.bytes, original.descriptor.mediaType);
    }
  });

  it('verifies from the archive before the first push, offline, trusting only the importing side', async () => {
    const images = [`${plain.host}/team/keyless:v1`, `${plain.host}/team/foreign:v1`];
    const packaged = await run(images, { mode: 'package', archive: 'images.tar' });
    assert.equal(packaged.code, 0, packaged.stdout);
    const archive = path.join(packaged.dir, 'images.tar');
    const withArchive = (dir: string): void => copyFileSync(archive, path.join(dir, 'images.tar'));
    const importInputs = (extra: Record<string, string>) => ({
      mode: 'unpackage',
      archive: 'images.tar',
      'insecure-registries': destination.host,
      verify: 'signature',
      'verify-issuer': issuer,
      'verify-identity': identity,
      ...extra,
    });
    const withoutRoot = await run(images, importInputs({}), withArchive);
    assert.equal(withoutRoot.code, 1);
    assert.match(withoutRoot.stdout, /trusted-root: unpackage verifies offline/);
    // The foreign image's chain (its own CA) travels in the archive; only the importing side's root counts.
    const refused = await run(images, importInputs({ 'trusted-root': rootFile() }), withArchive);
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, /team\/foreign:v1: not verified \(signature\)/);
    assert.doesNotMatch(refused.stdout, /team\/keyless:v1: not verified/);
    assert.deepEqual(refused.sent, []);
    const imported = await run([images[0] ?? ''], importInputs({ 'trusted-root': rootFile() }), withArchive);
    assert.equal(imported.code, 0, imported.stdout);
    assert.equal(imported.images[0]?.verified?.by, `${identity} (${issuer})`);
  });

  it('refuses to package what does not verify, writing no archive', async () => {
    const result = await run([`${plain.host}/team/unsigned:v1`], {
      ...byKey,
      'verify-key': keyFile(),
      mode: 'package',
      archive: 'images.tar',
    });
    assert.equal(result.code, 1);
    assert.deepEqual(snapshot(result.dir), result.before);
  });
});
