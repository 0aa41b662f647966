// Registries other than distribution, through dist/index.js: the quirks proxy (test/registry/quirks-proxy.ts)
// in front of a real docker-registry answers as Harbor, Quay, Artifactory, Nexus, ECR, GAR/GCR, ACR,
// GHCR or Docker Hub do, one behaviour at a time. Every test relocates (or packages and unpackages)
// through it, and reads every digest back from the registry behind it, signatures and SBOMs included.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RegistryClient } from '../../src/registry/client.js';
import { type QuirksProxy, type Quirks, startQuirksProxy } from '../registry/quirks-proxy.js';
import {
  type RunningRegistry,
  type TokenIssuer,
  anonymousRegistries,
  scratchDir,
  settledLog,
  sha256,
  skopeo,
  skopeoRaw,
  startRegistry,
  startTokenIssuer,
} from '../registry/harness.js';
import { type SeededImage, type SupplyChain, pushIndex, pushSupplyChain } from '../registry/supply-chain.js';
import { runAction } from './action.js';

const digestTag = (digest: string): string => digest.replace(':', '-');

describe('registries that are not distribution, through the quirks proxy', () => {
  let registry: RunningRegistry;
  let proxy: QuirksProxy;
  let clients: ReturnType<typeof anonymousRegistries>;
  let signed: SupplyChain;
  let plain: SeededImage;
  let runs = 0;

  before(async () => {
    registry = await startRegistry();
    proxy = await startQuirksProxy(registry.host);
    clients = anonymousRegistries([registry.host]);
    const client = clients.client(registry.host);
    signed = await pushSupplyChain(client, 'src/app', 'v1', true);
    plain = await pushIndex(client, 'src/plain', 'v1');
  });
  after(async () => {
    await clients.close();
    await proxy.stop();
    await registry.stop();
  });

  /** Relocates `image` (a repository under src/) through the proxy with `quirks` on, into a fresh repository. */
  async function relocate(quirks: Quirks, image = 'app', inputs: Record<string, string> = {}) {
    proxy.quirks = quirks;
    proxy.answered.length = 0;
    const workspace = scratchDir('quirks');
    mkdirSync(path.join(workspace, 'k8s'));
    writeFileSync(path.join(workspace, 'k8s', 'app.yaml'), `image: ${proxy.host}/src/${image}:v1\n`);
    const destination = `dst${++runs}`;
    const run = await runAction(workspace, {
      mode: 'relocate',
      'default-repo': `${proxy.host}/${destination}`,
      'insecure-registries': `${proxy.host},${proxy.cdnHost}`,
      ...inputs,
    });
    assert.equal(run.code, 0, run.stdout);
    const [moved] = JSON.parse(run.outputs.images ?? '[]') as { newImage: string }[];
    const name = (moved?.newImage ?? '').split('@')[0] ?? '';
    // Read back from the registry itself, not through the proxy.
    const repository = name.slice(proxy.host.length + 1);
    return { run, repository, client: clients.client(registry.host) };
  }

  async function assertCopied(repository: string, source: SeededImage): Promise<void> {
    assert.equal(sha256(await skopeoRaw(`${registry.host}/${repository}:v1`, {})), source.index.digest);
    for (const child of Object.values(source.children)) {
      assert.equal(sha256(await skopeoRaw(`${registry.host}/${repository}@${child.digest}`, {})), child.digest);
    }
  }

  async function assertSignatureTravelled(client: RegistryClient, repository: string): Promise<void> {
    const sig = await client.resolve(repository, `${digestTag(signed.index.digest)}.sig`);
    assert.equal(sig.digest, signed.sig.digest);
  }

  const notices = (stdout: string, pattern: RegExp): number =>
    stdout.split('\n').filter((line) => line.startsWith('::notice') && pattern.test(line)).length;

  for (const status of [401, 403, 404, 405] as const) {
    it(`a cross-repository mount refused with ${status} falls back to an upload, tried once for the registry`, async () => {
      const { run, repository } = await relocate({ mount: status });
      await assertCopied(repository, signed);
      assert.equal(proxy.answered.filter((answer) => answer === `mount ${status}`).length, 1, proxy.answered.join(', '));
      assert.equal(notices(run.stdout, /refused a cross-repository mount/), 1);
    });
  }

  it('a mount answered 202 without mounting uploads into the session it opened', async () => {
    const { repository } = await relocate({ mount: 'accept-without-mount' });
    await assertCopied(repository, signed);
    assert.ok(proxy.answered.includes('202 without mount'));
  });

  for (const status of [405, 400, 501] as const) {
    it(`HEAD on a manifest answered ${status}: manifests are read with GET once the registry has said so`, async () => {
      const { run, repository, client } = await relocate({ manifestHead: status });
      await assertCopied(repository, signed);
      await assertSignatureTravelled(client, repository);
      // The source's lookup and the destination's look-ahead go out together; after the first answer, no HEAD is asked.
      assert.ok(proxy.answered.filter((answer) => answer.startsWith('manifest HEAD')).length <= 2, proxy.answered.join(', '));
      assert.equal(notices(run.stdout, /answers \d+ to HEAD on a manifest/), 1);
    });
  }

  it('403 for what does not exist: no signature is none, the destination is empty, one notice', async () => {
    const { run, repository } = await relocate({ missingAs403: true }, 'plain', { artifacts: 'signatures' });
    await assertCopied(repository, plain);
    assert.ok(proxy.answered.includes('404 as 403'));
    assert.equal(notices(run.stdout, /answered 403 for/), 1);
  });

  it('403 for the image itself stays an error, naming it', async () => {
    proxy.quirks = { missingAs403: true };
    const workspace = scratchDir('quirks');
    writeFileSync(path.join(workspace, 'app.yaml'), `image: ${proxy.host}/src/missing:v1\n`);
    const run = await runAction(workspace, { mode: 'resolve', 'insecure-registries': proxy.host });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /src\/missing:v1: resolve v1 at .*src\/missing: 403/);
  });

  it('answers without Docker-Content-Digest', async () => {
    const { repository, client } = await relocate({ noDigestHeader: true });
    await assertCopied(repository, signed);
    await assertSignatureTravelled(client, repository);
  });

  it('a destination that refuses bodies without Content-Length (411)', async () => {
    const { repository } = await relocate({ refuseChunked: true, mount: 405 });
    await assertCopied(repository, signed);
    assert.ok(!proxy.answered.includes('411'), 'ferry sends every body with its length');
  });

  it('upload Locations handed back as a path', async () => {
    const { repository } = await relocate({ relativeLocation: true, mount: 405 });
    await assertCopied(repository, signed);
  });

  it('tag lists paged with Link, the cosign tags on later pages', async () => {
    const { repository, client } = await relocate({ tagPageSize: 1 });
    await assertCopied(repository, signed);
    await assertSignatureTravelled(client, repository);
    for (const suffix of ['att', 'sbom']) await client.resolve(repository, `${digestTag(signed.index.digest)}.${suffix}`);
    assert.ok(
      proxy.seen.some((line) => /tags\/list\?.*last=/.test(line)),
      proxy.seen.filter((line) => line.includes('tags/list')).join('\n'),
    );
  });

  it('the referrers API answered 405: the referrers tag schema is read instead', async () => {
    const { repository, client } = await relocate({ referrers405: true });
    await assertCopied(repository, signed);
    const schema = await client.getManifest(repository, digestTag(signed.index.digest));
    const listed = (schema.json.manifests as { digest: string }[]).map((item) => item.digest);
    assert.ok(listed.includes(signed.sbom.digest) && listed.includes(signed.notarySignature.digest), listed.join(', '));
  });

  it('manifest PUTs answered 200', async () => {
    const { repository, client } = await relocate({ manifestPut200: true });
    await assertCopied(repository, signed);
    await assertSignatureTravelled(client, repository);
    assert.ok(proxy.answered.includes('manifest PUT 200'));
  });

  it('blobs served from another origin (307 to a CDN), read without credentials there', async () => {
    const { repository } = await relocate({ blobRedirect: true, mount: 405 });
    await assertCopied(repository, signed);
    assert.ok(proxy.answered.includes('blob redirect'));
  });

  it("Docker Hub's rate-limit headers on every answer", async () => {
    const { repository } = await relocate({ rateLimitHeaders: true });
    await assertCopied(repository, signed);
  });

  it('package and unpackage through the quirks a read and an import meet', async () => {
    proxy.quirks = { manifestHead: 405, noDigestHeader: true, blobRedirect: true, tagPageSize: 2, referrers405: true };
    const workspace = scratchDir('quirks-package');
    writeFileSync(path.join(workspace, 'app.yaml'), `image: ${proxy.host}/src/app:v1\n`);
    const hosts = `${proxy.host},${proxy.cdnHost}`;
    const packaged = await runAction(workspace, { mode: 'package', 'insecure-registries': hosts });
    assert.equal(packaged.code, 0, packaged.stdout);
    proxy.quirks = { mount: 401, manifestPut200: true, relativeLocation: true, missingAs403: true };
    const unpackaged = await runAction(workspace, {
      mode: 'unpackage',
      'default-repo': `${proxy.host}/imported`,
      'insecure-registries': hosts,
    });
    assert.equal(unpackaged.code, 0, unpackaged.stdout);
    const [moved] = JSON.parse(unpackaged.outputs.images ?? '[]') as { newImage: string }[];
    const repository = (moved?.newImage ?? '').split('@')[0]?.slice(proxy.host.length + 1) ?? '';
    await assertCopied(repository, signed);
    await assertSignatureTravelled(clients.client(registry.host), repository);
  });
});

describe('bearer tokens as registries hand them out', () => {
  let issuer: TokenIssuer;
  let registry: RunningRegistry;
  let proxy: QuirksProxy;
  let dockerConfig: string;
  let seeded: SeededImage;

  before(async () => {
    issuer = await startTokenIssuer({ pusher: 'pusher-password' });
    registry = await startRegistry({ token: issuer });
    proxy = await startQuirksProxy(registry.host);
    dockerConfig = scratchDir('token-config');
    const auth = Buffer.from('pusher:pusher-password').toString('base64');
    writeFileSync(path.join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [registry.host]: { auth }, [proxy.host]: { auth } } }));
    const seeding = anonymousRegistries([registry.host]);
    const { CredentialStore } = await import('../../src/registry/credentials.js');
    const { Registries } = await import('../../src/registry/registries.js');
    const withCredentials = new Registries({
      insecureRegistries: [registry.host, issuer.host],
      caCertificates: [],
      credentials: new CredentialStore({ dockerConfigDir: dockerConfig, onSecret: () => undefined, runHelper: async () => undefined }),
      onSecret: () => undefined,
    });
    seeded = await pushIndex(withCredentials.client(registry.host), 'src/app', 'v1');
    await withCredentials.close();
    await seeding.close();
  });
  after(async () => {
    await proxy.stop();
    await registry.stop();
    await issuer.stop();
  });

  async function relocateThroughProxy(destination: string) {
    const workspace = scratchDir('tokens');
    writeFileSync(path.join(workspace, 'app.yaml'), `image: ${proxy.host}/src/app:v1\n`);
    const run = await runAction(workspace, {
      mode: 'relocate',
      'default-repo': `${proxy.host}/${destination}`,
      'insecure-registries': `${proxy.host},${issuer.host}`,
      'docker-config': dockerConfig,
      artifacts: 'none',
    });
    assert.equal(run.code, 0, run.stdout);
    const [moved] = JSON.parse(run.outputs.images ?? '[]') as { newImage: string }[];
    assert.ok(moved?.newImage.endsWith(`@${seeded.index.digest}`), moved?.newImage);
    return run;
  }

  it('a token refused before its expires_in (a 401 mid-run) is fetched again, and the run goes on', async () => {
    proxy.quirks = { tokensDieAfter: 3 };
    proxy.answered.length = 0;
    await relocateThroughProxy('renewed');
    assert.ok(proxy.answered.includes('token died'), proxy.answered.join(', '));
  });

  it('a token given with expires_in: 1 is used for most of its second, not fetched before every request', async () => {
    proxy.quirks = {};
    issuer.settings.expiresIn = 1;
    const before = issuer.requests.length;
    const requests = proxy.seen.length;
    try {
      await relocateThroughProxy('short-lived');
    } finally {
      issuer.settings.expiresIn = 300;
    }
    const tokens = issuer.requests.length - before;
    const sent = proxy.seen.length - requests;
    // Every request fetched a token when the 10 s margin outlasted a 1 s token.
    assert.ok(tokens * 2 < sent, `${tokens} token requests for ${sent} registry requests`);
  });
});

describe('registry mirrors', () => {
  let upstream: RunningRegistry;
  let mirror: RunningRegistry;
  let destination: RunningRegistry;
  let clients: ReturnType<typeof anonymousRegistries>;
  let cached: SeededImage;
  let uncached: SeededImage;

  before(async () => {
    [upstream, mirror, destination] = await Promise.all([startRegistry(), startRegistry(), startRegistry()]);
    clients = anonymousRegistries([upstream.host, mirror.host, destination.host]);
    cached = await pushIndex(clients.client(upstream.host), 'team/cached', 'v1');
    uncached = await pushIndex(clients.client(upstream.host), 'team/uncached', 'v1');
    // The mirror holds half the images, as a pull-through cache that has seen only one of them.
    await skopeo([
      'copy',
      '--quiet',
      '--all',
      '--preserve-digests',
      '--src-tls-verify=false',
      '--dest-tls-verify=false',
      `docker://${upstream.host}/team/cached:v1`,
      `docker://${mirror.host}/team/cached:v1`,
    ]);
  });
  after(async () => {
    await clients.close();
    await Promise.all([upstream.stop(), mirror.stop(), destination.stop()]);
  });

  it('reads through the mirror what it has, from the registry what it lacks; names stay the registry’s own', async () => {
    const workspace = scratchDir('mirrors');
    writeFileSync(
      path.join(workspace, 'app.yaml'),
      `a:\n  image: ${upstream.host}/team/cached:v1\nb:\n  image: ${upstream.host}/team/uncached:v1\n`,
    );
    const upstreamBefore = readFileSync(upstream.logFile, 'utf8').length;
    const run = await runAction(workspace, {
      mode: 'relocate',
      'default-repo': `${destination.host}/mirrored`,
      'insecure-registries': [upstream.host, mirror.host, destination.host].join(','),
      'registry-mirrors': `${upstream.host}=${mirror.host}`,
    });
    assert.equal(run.code, 0, run.stdout);
    const images = JSON.parse(run.outputs.images ?? '[]') as { image: string; newImage: string }[];
    assert.deepEqual(
      images.map((image) => image.image),
      [`${upstream.host}/team/cached:v1`, `${upstream.host}/team/uncached:v1`],
    );
    for (const [image, seeded] of [
      [images[0], cached],
      [images[1], uncached],
    ] as const) {
      const name = image?.newImage.split('@')[0] ?? '';
      assert.ok(name.startsWith(`${destination.host}/mirrored/`), name);
      assert.equal(sha256(await skopeoRaw(`${name}:v1`, {})), seeded.index.digest);
    }
    // No blob of the cached image was read from the registry; the uncached one was.
    const upstreamLog = (await settledLog(upstream)).slice(upstreamBefore);
    assert.doesNotMatch(upstreamLog, /"GET \/v2\/team\/cached\/blobs\//);
    assert.match(upstreamLog, /"GET \/v2\/team\/uncached\/blobs\//);
    assert.match(
      run.stdout,
      new RegExp(`${upstream.host.replace(/\./g, '\\.')} through ${mirror.host.replace(/\./g, '\\.')}: team/cached`),
    );
    assert.match(run.summary, /Read through the mirror/);
    assert.match(
      readFileSync(path.join(workspace, 'ferry.lock.yml'), 'utf8'),
      new RegExp(`- image: ${upstream.host.replace(/\./g, '\\.')}/team/cached:v1`),
    );
  });

  it('a mirror that cannot be reached is passed over for the registry', async () => {
    const workspace = scratchDir('mirrors-down');
    writeFileSync(path.join(workspace, 'app.yaml'), `image: ${upstream.host}/team/uncached:v1\n`);
    const run = await runAction(workspace, {
      mode: 'resolve',
      'insecure-registries': [upstream.host, '127.0.0.1:9'].join(','),
      'registry-mirrors': `${upstream.host}=127.0.0.1:9`,
    });
    assert.equal(run.code, 0, run.stdout);
    assert.match(readFileSync(path.join(workspace, 'app.yaml'), 'utf8'), new RegExp(`@${uncached.index.digest}`));
  });
});

describe('failures a person can follow', () => {
  it('a registry that refuses connections fails once for the registry, within 10 s, each image at its own line', async () => {
    const workspace = scratchDir('unreachable');
    writeFileSync(
      path.join(workspace, 'app.yaml'),
      ['a', 'b', 'c'].map((name) => `${name}:\n  image: 127.0.0.1:9/src/${name}:v1\n`).join(''),
    );
    const run = await runAction(workspace, { mode: 'relocate', 'default-repo': '127.0.0.1:9/team', 'insecure-registries': '127.0.0.1:9' });
    assert.equal(run.code, 1);
    assert.ok(run.seconds < 10, `ended after ${run.seconds} s`);
    // Each image refused at its own line; the reason they share said once in the log.
    const annotations = run.stdout.split('\n').filter((line) => line.startsWith('::error title=ferry,'));
    assert.deepEqual(
      annotations.map((line) => /file=app\.yaml,line=(\d+)/.exec(line)?.[1]),
      ['2', '4', '6'],
    );
    for (const line of annotations) assert.match(line, /nothing answers at 127\.0\.0\.1:9: check the registry's host and port/);
    assert.match(
      run.stdout,
      /^3 images failed for one reason: .*nothing answers at 127\.0\.0\.1:9.* \(127\.0\.0\.1:9\/src\/a:v1, 127\.0\.0\.1:9\/src\/b:v1, 127\.0\.0\.1:9\/src\/c:v1\)$/m,
    );
    // The wait before each later try is said, so a long run is not a silent one.
    // Each retry of the host is said, numbered from the first; the host fails once, in seconds.
    const retries = run.stdout.split('\n').filter((line) => /^connect at 127\.0\.0\.1:9: .*: retry \d+ of 9 in \d+\.\d s$/.test(line));
    assert.match(retries[0] ?? '', /: retry 1 of 9 in /);
    assert.ok(retries.length >= 2 && retries.length <= 6, retries.join('\n'));
  });
});
