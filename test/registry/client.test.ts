// The client against the real distribution registry in four configurations; skopeo seeds the images
// and reads back what the client wrote.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import diagnostics from 'node:diagnostics_channel';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RegistryClient } from '../../src/registry/client.js';
import { CredentialStore } from '../../src/registry/credentials.js';
import { RegistryError } from '../../src/registry/errors.js';
import { Registries } from '../../src/registry/registries.js';
import {
  type Certificates,
  type RunningRegistry,
  type SkopeoAccess,
  type TokenIssuer,
  makeCertificates,
  ociLayout,
  scratchDir,
  sha256,
  skopeoCopy,
  skopeoRaw,
  startRegistry,
  startTokenIssuer,
} from './harness.js';

const fastRetry = { attempts: 3, initialDelayMs: 20, maxDelayMs: 200 };

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function dockerConfigDir(auths: Record<string, object>): string {
  const dir = scratchDir('docker-config');
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ auths }));
  return dir;
}

export interface Setup {
  readonly registry: RunningRegistry;
  readonly access: SkopeoAccess;
  readonly registries: (
    auths?: Record<string, object>,
    extra?: { insecure?: string[]; ca?: boolean },
  ) => { registries: Registries; secrets: string[] };
  readonly issuer: TokenIssuer | undefined;
  readonly stop: () => Promise<void>;
}

interface Configuration {
  readonly name: string;
  readonly tls: boolean;
  readonly auth?: 'basic' | 'token';
}

const configurations: Configuration[] = [
  { name: 'plain HTTP', tls: false },
  { name: 'TLS with a generated CA', tls: true },
  { name: 'TLS with htpasswd basic auth', tls: true, auth: 'basic' },
  { name: 'token auth', tls: true, auth: 'token' },
];

const users = { alice: 'wonderland-secret', '<token>': 'refresh-abc' };

async function setUp(configuration: Configuration): Promise<Setup> {
  const certificates: Certificates | undefined = configuration.tls ? makeCertificates() : undefined;
  const issuer: TokenIssuer | undefined =
    configuration.auth === 'token' ? await startTokenIssuer(users, { 'refresh-abc': 'alice' }) : undefined;
  const registry = await startRegistry({
    ...(certificates ? { tls: certificates } : {}),
    ...(configuration.auth === 'basic' ? { htpasswd: users } : {}),
    ...(issuer ? { token: issuer } : {}),
  });
  const access: SkopeoAccess = {
    ...(certificates ? { tls: certificates } : {}),
    ...(configuration.auth ? { creds: 'alice:wonderland-secret' } : {}),
  };
  const open: Registries[] = [];
  return {
    registry,
    issuer,
    access,
    registries: (auths, extra = {}) => {
      const secrets: string[] = [];
      const credentialAuths = auths ?? (configuration.auth ? { [registry.host]: { username: 'alice', password: users.alice } } : {});
      const credentials = new CredentialStore({
        dockerConfigDir: dockerConfigDir(credentialAuths),
        onSecret: (secret) => secrets.push(secret),
        runHelper: async () => undefined,
      });
      const insecure = [...(extra.insecure ?? (configuration.tls ? [] : [registry.host])), ...(issuer ? [issuer.host] : [])];
      const registries = new Registries({
        insecureRegistries: insecure,
        caCertificates: certificates && extra.ca !== false ? [readFileSync(certificates.caCert, 'utf8')] : [],
        credentials,
        onSecret: (secret) => secrets.push(secret),
        retry: fastRetry,
      });
      open.push(registries);
      return { registries, secrets };
    },
    stop: async () => {
      await Promise.all(open.map((registries) => registries.close()));
      await registry.stop();
      await issuer?.stop();
    },
  };
}

for (const configuration of configurations) {
  describe(`registry client: ${configuration.name}`, () => {
    let setup: Setup;
    let client: RegistryClient;
    let secrets: string[];
    const image = ociLayout([2048, 4096], ['linux/amd64', 'linux/arm64']);
    let indexBytes: Buffer;

    before(async () => {
      setup = await setUp(configuration);
      await skopeoCopy(image.reference, `${setup.registry.host}/team/app:v1`, setup.access, ['--all']);
      indexBytes = await skopeoRaw(`${setup.registry.host}/team/app:v1`, setup.access);
      const opened = setup.registries();
      client = opened.registries.client(setup.registry.host);
      secrets = opened.secrets;
    });
    after(() => setup.stop());

    it('pings the v2 API', async () => {
      await client.ping();
    });

    it('resolves a tag to the digest skopeo reads', async () => {
      const descriptor = await client.resolve('team/app', 'v1');
      assert.equal(descriptor.digest, sha256(indexBytes));
      assert.equal(descriptor.size, indexBytes.length);
      assert.equal(descriptor.mediaType, 'application/vnd.oci.image.index.v1+json');
    });

    it('keeps its connection across HEADs: ten lookups open one connection at most (undici waits a turn before reusing one)', async () => {
      const opened: string[] = [];
      const count = (message: unknown): void => {
        const { connectParams } = message as { connectParams: { host: string } };
        if (connectParams.host === setup.registry.host) opened.push(connectParams.host);
      };
      diagnostics.subscribe('undici:client:connected', count);
      try {
        await client.resolve('team/app', 'v1');
        opened.length = 0;
        for (let lookup = 0; lookup < 10; lookup++) assert.equal((await client.resolve('team/app', 'v1')).digest, sha256(indexBytes));
      } finally {
        diagnostics.unsubscribe('undici:client:connected', count);
      }
      assert.ok(opened.length <= 1, `${opened.length} connections for 10 lookups`);
    });

    it('gets the index and a child manifest byte for byte, verified', async () => {
      const index = await client.getManifest('team/app', 'v1');
      assert.ok(index.bytes.equals(indexBytes));
      const children = index.json.manifests as { digest: string }[];
      assert.equal(children.length, 2);
      const child = await client.getManifest('team/app', children[0]?.digest ?? '');
      assert.ok(child.bytes.equals(await skopeoRaw(`${setup.registry.host}/team/app@${children[0]?.digest}`, setup.access)));
    });

    it('streams a blob verified against its digest, and reports its size with HEAD', async () => {
      const index = await client.getManifest('team/app', 'v1');
      const child = await client.getManifest('team/app', (index.json.manifests as { digest: string }[])[0]?.digest ?? '');
      for (const layer of child.json.layers as { digest: string; size: number }[]) {
        const bytes = await readAll(client.getBlob('team/app', layer.digest, layer.size));
        assert.equal(sha256(bytes), layer.digest);
        assert.equal(await client.headBlob('team/app', layer.digest), layer.size);
      }
      assert.equal(await client.headBlob('team/app', sha256(randomBytes(8))), undefined);
    });

    it('holds no more of a blob than its reader takes: a reader that stops leaves the rest on the connection', async () => {
      const blob = randomBytes(8 * 1024 * 1024);
      assert.equal(await client.uploadBlob('team/large', sha256(blob), blob.length, blob), 'uploaded');
      const stream = client.getBlob('team/large', sha256(blob), blob.length);
      // One read starts the body; then nothing reads until what the stream holds stops growing.
      await new Promise((resolve) => stream.once('readable', resolve));
      let held = -1;
      for (let tick = 0; tick < 50 && stream.readableLength !== held; tick++) {
        held = stream.readableLength;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.ok(held <= stream.readableHighWaterMark + 256 * 1024, `the stream holds ${held} bytes of 8 MiB unread`);
      assert.equal(sha256(await readAll(stream)), sha256(blob));
    });

    it('uploads blobs, mounts one across repositories, and puts a manifest skopeo reads back', async () => {
      const layer = randomBytes(300_000);
      const config = Buffer.from(
        JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256(layer)] } }),
      );
      assert.equal(await client.uploadBlob('team/new', sha256(layer), layer.length, layer), 'uploaded');
      assert.equal(await client.uploadBlob('team/new', sha256(config), config.length, config), 'uploaded');
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
          layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha256(layer), size: layer.length }],
        }),
      );
      assert.equal(await client.putManifest('team/new', 'v2', manifest, 'application/vnd.oci.image.manifest.v1+json'), sha256(manifest));
      assert.ok((await skopeoRaw(`${setup.registry.host}/team/new:v2`, setup.access)).equals(manifest));

      assert.equal(await client.uploadBlob('team/mounted', sha256(layer), layer.length, layer, 'team/new'), 'mounted');
      assert.equal(
        await client.uploadBlob(
          'team/mounted',
          sha256(config),
          config.length,
          () => client.getBlob('team/new', sha256(config)),
          'team/new',
        ),
        'mounted',
      );
      assert.equal(
        await client.putManifest('team/mounted', sha256(manifest), manifest, 'application/vnd.oci.image.manifest.v1+json'),
        sha256(manifest),
      );
      assert.ok((await skopeoRaw(`${setup.registry.host}/team/mounted@${sha256(manifest)}`, setup.access)).equals(manifest));
    });

    it('streams a blob from one repository into another', async () => {
      const index = await client.getManifest('team/app', 'v1');
      const child = await client.getManifest('team/app', (index.json.manifests as { digest: string }[])[1]?.digest ?? '');
      const layer = (child.json.layers as { digest: string; size: number }[])[1];
      assert.ok(layer);
      assert.equal(
        await client.uploadBlob('team/streamed', layer.digest, layer.size, () => client.getBlob('team/app', layer.digest, layer.size)),
        'uploaded',
      );
      assert.equal(await client.headBlob('team/streamed', layer.digest), layer.size);
    });

    it('lists tags across pages', async () => {
      const manifest = await client.getManifest('team/app', 'v1');
      for (const tag of ['v2', 'v3']) await client.putManifest('team/app', tag, manifest.bytes, manifest.descriptor.mediaType);
      assert.deepEqual((await client.listTags('team/app', { pageSize: 1 })).sort(), ['v1', 'v2', 'v3']);
    });

    it('says what is missing', async () => {
      await assert.rejects(client.resolve('team/app', 'nope'), (error: unknown) => {
        assert.ok(error instanceof RegistryError);
        assert.equal(error.status, 404);
        assert.match(error.message, new RegExp(`^resolve nope at ${setup.registry.host.replace(/\./g, '\\.')}/team/app: manifest unknown`));
        return true;
      });
    });

    if (configuration.auth) {
      it('registers every secret it holds', () => {
        assert.ok(secrets.includes(users.alice));
        if (configuration.auth === 'token')
          assert.ok(
            secrets.some((secret) => secret.split('.').length === 3),
            'the bearer token',
          );
      });

      it('fails with the registry, repository and credential key, never the secret, when refused', async () => {
        const { registries } = setup.registries({ [setup.registry.host]: { username: 'alice', password: 'wrong-password' } });
        await assert.rejects(registries.client(setup.registry.host).resolve('team/app', 'v1'), (error: unknown) => {
          assert.ok(error instanceof RegistryError);
          assert.match(error.message, new RegExp(`at ${setup.registry.host.replace(/\./g, '\\.')}/team/app`));
          assert.match(error.message, /config\.json auths\["127\.0\.0\.1:\d+"\]/);
          assert.doesNotMatch(error.message, /wrong-password/);
          return true;
        });
      });

      it('tries the next matching credential when the first is refused', async () => {
        const { registries } = setup.registries({
          [`${setup.registry.host}/team`]: { username: 'alice', password: 'stale-password' },
          [setup.registry.host]: { username: 'alice', password: users.alice },
        });
        assert.equal((await registries.client(setup.registry.host).resolve('team/app', 'v1')).digest, sha256(indexBytes));
      });
    }

    if (configuration.auth === 'token') {
      it('exchanges an identity token with the OAuth2 refresh grant', async () => {
        const issuer = setup.issuer as TokenIssuer;
        const before = issuer.requests.length;
        const { registries, secrets: registered } = setup.registries({ [setup.registry.host]: { identitytoken: 'refresh-abc' } });
        assert.equal((await registries.client(setup.registry.host).resolve('team/app', 'v1')).digest, sha256(indexBytes));
        const asked = issuer.requests.slice(before);
        assert.ok(
          asked.some((request) => request.method === 'POST' && request.grant === 'refresh_token' && request.authorization === undefined),
        );
        assert.ok(registered.includes('refresh-abc'));
      });

      it('falls back to the GET token endpoint when the server has no OAuth2', async () => {
        const issuer = setup.issuer as TokenIssuer;
        issuer.settings.oauth = false;
        try {
          const before = issuer.requests.length;
          const { registries } = setup.registries({ [setup.registry.host]: { identitytoken: 'refresh-abc' } });
          assert.equal((await registries.client(setup.registry.host).resolve('team/app', 'v1')).digest, sha256(indexBytes));
          const asked = issuer.requests.slice(before).map((request) => request.method);
          assert.deepEqual(asked.slice(0, 2), ['POST', 'GET']);
        } finally {
          issuer.settings.oauth = true;
        }
      });

      it('asks pull on the source repository of a mount along with push on the target', async () => {
        const issuer = setup.issuer as TokenIssuer;
        const layer = randomBytes(1000);
        await client.uploadBlob('team/mount-source', sha256(layer), layer.length, layer);
        const before = issuer.requests.length;
        assert.equal(await client.uploadBlob('team/mount-target', sha256(layer), layer.length, layer, 'team/mount-source'), 'mounted');
        const scopes = issuer.requests.slice(before).flatMap((request) => request.scopes);
        assert.ok(scopes.includes('repository:team/mount-target:pull,push'), scopes.join(' '));
        assert.ok(scopes.includes('repository:team/mount-source:pull'), scopes.join(' '));
      });
    }

    if (configuration.tls) {
      it('refuses a certificate it cannot verify and says how to trust it', async () => {
        const { registries } = setup.registries(undefined, { ca: false });
        await assert.rejects(
          registries.client(setup.registry.host).ping(),
          /TLS verification failed: its certificate is signed by a CA ferry does not trust; add its CA to registry-ca-certs, or list 127\.0\.0\.1:\d+ in insecure-registries$/,
        );
      });

      it('reaches a listed insecure registry without verifying', async () => {
        const { registries } = setup.registries(undefined, { ca: false, insecure: [setup.registry.host] });
        assert.equal((await registries.client(setup.registry.host).resolve('team/app', 'v1')).digest, sha256(indexBytes));
      });
    } else {
      it('never downgrades to HTTP for a registry that is not listed', async () => {
        const { registries } = setup.registries(undefined, { insecure: [] });
        await assert.rejects(
          registries.client(setup.registry.host).ping(),
          /the registry answers in plain HTTP, not HTTPS; ferry never downgrades on its own: list 127\.0\.0\.1:\d+ in insecure-registries/,
        );
      });
    }
  });
}
