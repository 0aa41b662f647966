// A fault-injecting proxy in front of a real registry (plain HTTP, htpasswd, so credentials are in
// play): connections reset mid-body, 503 and 429 with Retry-After, a corrupted blob, blob reads
// redirected to another origin, a registry that wants chunked uploads, a schema 1 manifest.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  createServer,
  request as httpRequest,
} from 'node:http';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { RegistryClient } from '../../src/registry/client.js';
import { CredentialStore } from '../../src/registry/credentials.js';
import { RegistryError } from '../../src/registry/errors.js';
import { Registries } from '../../src/registry/registries.js';
import { RegistrySink } from '../../src/remote/sink.js';
import { RegistrySource } from '../../src/remote/source.js';
import { Copier } from '../../src/copy/walker.js';
import {
  type RunningRegistry,
  anonymousRegistries,
  freePort,
  ociLayout,
  scratchDir,
  sha256,
  skopeoCopy,
  startRegistry,
} from './harness.js';

const user = 'ferry';
const password = 'proxy-test-password';
const authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

type Fault = (request: IncomingMessage, response: ServerResponse, forward: () => Promise<Upstream>) => Promise<void>;

interface Upstream {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

interface Proxy {
  readonly host: string;
  /** Faults for requests whose method and path match, each used once, in order. */
  readonly faults: { method: string; path: RegExp; when?: (request: IncomingMessage) => boolean; fault: Fault }[];
  readonly seen: { method: string; path: string; headers: IncomingHttpHeaders }[];
  readonly stop: () => Promise<void>;
}

async function readAll(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function forwardTo(target: string, method: string, path: string, headers: IncomingHttpHeaders, body: Buffer): Promise<Upstream> {
  const [hostname, port] = target.split(':');
  return new Promise((resolve, reject) => {
    const upstream = httpRequest({ hostname, port: Number(port), method, path, headers }, (answer) => {
      void readAll(answer).then((bytes) => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: bytes }), reject);
    });
    upstream.on('error', reject);
    upstream.end(body);
  });
}

function send(response: ServerResponse, upstream: Upstream, body = upstream.body): void {
  if (response.req.method === 'HEAD') {
    response.writeHead(upstream.status, upstream.headers).end();
    return;
  }
  const headers = { ...upstream.headers, 'content-length': String(body.length) };
  delete headers['transfer-encoding'];
  response.writeHead(upstream.status, headers).end(body);
}

async function startProxy(registry: string): Promise<Proxy> {
  const faults: Proxy['faults'] = [];
  const seen: Proxy['seen'] = [];
  const server: Server = createServer((request, response) => {
    void (async () => {
      const body = await readAll(request);
      const url = request.url ?? '/';
      seen.push({ method: request.method ?? '', path: url, headers: request.headers });
      const forward = (): Promise<Upstream> => forwardTo(registry, request.method ?? 'GET', url, request.headers, body);
      const index = faults.findIndex((fault) => fault.method === request.method && fault.path.test(url) && (fault.when?.(request) ?? true));
      if (index === -1) {
        send(response, await forward());
        return;
      }
      const [{ fault }] = faults.splice(index, 1) as [Proxy['faults'][number]];
      await fault(request, response, forward);
    })().catch((error: unknown) => {
      response.destroy(error as Error);
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${port}`,
    faults,
    seen,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('registry client under faults', () => {
  let registry: RunningRegistry;
  let proxy: Proxy;
  let other: { host: string; seen: IncomingHttpHeaders[]; stop: () => Promise<void> };
  let registries: Registries;
  let client: RegistryClient;
  let credentialsDir: string;
  const blob = randomBytes(1024 * 1024 + 7);
  const digest = sha256(blob);

  before(async () => {
    registry = await startRegistry({ htpasswd: { [user]: password } });
    proxy = await startProxy(registry.host);
    // Another origin that serves blobs it fetches from the registry with its own credentials.
    const seen: IncomingHttpHeaders[] = [];
    const server = createServer((request, response) => {
      seen.push(request.headers);
      void forwardTo(registry.host, 'GET', `/v2/team/app/blobs/${digest}`, { authorization }, Buffer.alloc(0)).then((upstream) =>
        send(response, upstream),
      );
    });
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    other = { host: `127.0.0.1:${port}`, seen, stop: () => new Promise((resolve) => server.close(() => resolve())) };

    credentialsDir = scratchDir('docker-config');
    writeFileSync(path.join(credentialsDir, 'config.json'), JSON.stringify({ auths: { [proxy.host]: { username: user, password } } }));
    const credentials = new CredentialStore({
      dockerConfigDir: credentialsDir,
      onSecret: () => undefined,
      runHelper: async () => undefined,
    });
    registries = new Registries({
      // The blob store behind the redirect is plain HTTP too, so it must be listed.
      insecureRegistries: [proxy.host, other.host],
      caCertificates: [],
      credentials,
      onSecret: () => undefined,
      retry: { attempts: 4, initialDelayMs: 20, maxDelayMs: 2000 },
    });
    client = registries.client(proxy.host);
    assert.equal(await client.uploadBlob('team/app', digest, blob.length, blob), 'uploaded');
  });
  after(async () => {
    await registries.close();
    await proxy.stop();
    await other.stop();
    await registry.stop();
  });
  beforeEach(() => {
    proxy.faults.length = 0;
    proxy.seen.length = 0;
  });

  const blobPath = /\/v2\/team\/app\/blobs\/sha256:/;

  it('resumes a blob whose connection is reset mid-body, with a Range request', async () => {
    proxy.faults.push({
      method: 'GET',
      path: blobPath,
      fault: async (_request, response, forward) => {
        const upstream = await forward();
        if (upstream.status !== 200) return send(response, upstream);
        response.writeHead(200, { ...upstream.headers, 'content-length': String(upstream.body.length) });
        response.write(upstream.body.subarray(0, 300_000), () => response.socket?.destroy());
      },
    });
    const bytes = await readAll(client.getBlob('team/app', digest, blob.length));
    assert.ok(bytes.equals(blob));
    const ranged = proxy.seen.filter((entry) => entry.headers.range !== undefined);
    assert.equal(ranged.length, 1);
    assert.match(ranged[0]?.headers.range ?? '', /^bytes=\d+-$/);
    assert.ok(Number(/\d+/.exec(ranged[0]?.headers.range ?? '')?.[0]) > 0);
  });

  it('waits out 503 and 429 with Retry-After, then succeeds', async () => {
    const answer =
      (status: number): Fault =>
      async (_request, response) => {
        response
          .writeHead(status, { 'retry-after': '1', 'content-type': 'application/json' })
          .end('{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}');
      };
    proxy.faults.push({ method: 'HEAD', path: blobPath, fault: answer(503) }, { method: 'HEAD', path: blobPath, fault: answer(429) });
    const started = Date.now();
    assert.equal(await client.headBlob('team/app', digest), blob.length);
    assert.ok(Date.now() - started >= 1900, `waited ${Date.now() - started} ms for two Retry-After: 1`);
  });

  it('gives up after the retry budget, naming the operation and the status', async () => {
    for (let i = 0; i < 4; i++) {
      proxy.faults.push({ method: 'HEAD', path: blobPath, fault: async (_request, response) => void response.writeHead(502).end() });
    }
    await assert.rejects(client.headBlob('team/app', digest), (error: unknown) => {
      assert.ok(error instanceof RegistryError);
      assert.match(error.message, /^check blob sha256:[a-f0-9]{64} at 127\.0\.0\.1:\d+\/team\/app: 502$/);
      return true;
    });
    assert.equal(proxy.seen.length, 4);
  });

  it('does not retry a 404', async () => {
    await assert.rejects(client.getManifest('team/app', 'missing'), /get manifest missing at .*: 404 MANIFEST_UNKNOWN/);
    assert.equal(proxy.seen.filter((entry) => entry.path.includes('/manifests/missing')).length, 1);
  });

  it('reports a truncated blob as a digest mismatch', async () => {
    proxy.faults.push({
      method: 'GET',
      path: blobPath,
      fault: async (_request, response, forward) => send(response, await forward(), (await forward()).body.subarray(0, 1000)),
    });
    await assert.rejects(
      readAll(client.getBlob('team/app', digest, blob.length)),
      /get blob sha256:.* digest mismatch: expected sha256:[a-f0-9]{64}, got sha256:[a-f0-9]{64} \(1000 of 1048583 bytes\)/,
    );
  });

  it('follows a blob redirect to another origin without sending the credentials there', async () => {
    proxy.faults.push({
      method: 'GET',
      path: blobPath,
      fault: async (_request, response) =>
        void response.writeHead(307, { location: `http://${other.host}/storage/blob?signature=abc` }).end(),
    });
    const bytes = await readAll(client.getBlob('team/app', digest, blob.length));
    assert.ok(bytes.equals(blob));
    assert.equal(other.seen.length, 1);
    assert.equal(other.seen[0]?.authorization, undefined);
    assert.ok(
      proxy.seen.some((entry) => entry.headers.authorization === authorization),
      'the registry itself got the credentials',
    );
  });

  it('refuses a redirect to plain HTTP on a host that is not listed as insecure, and an upload Location off origin gets no credentials', async () => {
    const strict = new Registries({
      insecureRegistries: [proxy.host],
      caCertificates: [],
      credentials: new CredentialStore({ dockerConfigDir: credentialsDir, onSecret: () => undefined, runHelper: async () => undefined }),
      onSecret: () => undefined,
      retry: { attempts: 2, initialDelayMs: 10, maxDelayMs: 100 },
    });
    const seenBefore = other.seen.length;
    try {
      proxy.faults.push({
        method: 'GET',
        path: blobPath,
        fault: async (_request, response) => void response.writeHead(307, { location: `http://${other.host}/storage/blob` }).end(),
      });
      await assert.rejects(
        readAll(strict.client(proxy.host).getBlob('team/app', digest, blob.length)),
        new RegExp(`redirected to http://${other.host.replace(/\./g, '\\.')}, which is not listed in insecure-registries`),
      );
      assert.equal(other.seen.length, seenBefore, 'nothing was sent there');

      // An upload session whose Location names another origin: the PUT goes there without credentials.
      const layer = randomBytes(1000);
      proxy.faults.push({
        method: 'POST',
        path: /\/v2\/team\/elsewhere\/blobs\/uploads\/$/,
        fault: async (_request, response) => void response.writeHead(202, { location: `http://${other.host}/upload/1` }).end(),
      });
      await assert.rejects(registries.client(proxy.host).uploadBlob('team/elsewhere', sha256(layer), layer.length, layer));
      const sent = other.seen.slice(seenBefore);
      assert.ok(sent.length >= 1, 'the PUT went to the other origin');
      for (const headers of sent) assert.equal(headers.authorization, undefined);
    } finally {
      await strict.close();
    }
  });

  it('recovers from a connection reset before any answer', async () => {
    proxy.faults.push({ method: 'HEAD', path: blobPath, fault: async (request) => void request.socket.destroy() });
    assert.equal(await client.headBlob('team/app', digest), blob.length);
    assert.equal(proxy.seen.length, 2);
  });

  it('uploads with PATCH then PUT when the registry refuses a monolithic PUT', async () => {
    const layer = randomBytes(50_000);
    proxy.faults.push({
      method: 'PUT',
      path: /\/v2\/team\/chunked\/blobs\/uploads\//,
      fault: async (request, response) => void response.writeHead(Number(request.headers['content-length']) > 0 ? 416 : 500).end(),
    });
    assert.equal(await client.uploadBlob('team/chunked', sha256(layer), layer.length, layer), 'uploaded');
    assert.ok(proxy.seen.some((entry) => entry.method === 'PATCH' && entry.headers['content-range'] === `0-${layer.length - 1}`));
    assert.ok((await readAll(client.getBlob('team/chunked', sha256(layer), layer.length))).equals(layer));
  });

  it('refuses Docker schema 1 manifests', async () => {
    const schema1 = Buffer.from(JSON.stringify({ schemaVersion: 1, name: 'team/app', tag: 'old', fsLayers: [], history: [] }));
    proxy.faults.push({
      method: 'GET',
      path: /\/manifests\/old$/,
      fault: async (_request, response) =>
        void response
          .writeHead(200, {
            'content-type': 'application/vnd.docker.distribution.manifest.v1+prettyjws',
            'content-length': String(schema1.length),
          })
          .end(schema1),
    });
    await assert.rejects(client.getManifest('team/app', 'old'), /only Docker v2 and OCI images and indexes are supported/);
  });

  it('refuses a manifest whose bytes are not the digest asked for', async () => {
    const manifest = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: {}, layers: [] }),
    );
    const wanted = sha256(Buffer.from('something else'));
    proxy.faults.push({
      method: 'GET',
      path: /\/manifests\/sha256:/,
      fault: async (_request, response) =>
        void response
          .writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'content-length': String(manifest.length) })
          .end(manifest),
    });
    await assert.rejects(client.getManifest('team/app', wanted), new RegExp(`digest mismatch: expected ${wanted}`));
  });
});

describe('registry refusals of a push, explained', () => {
  let registry: RunningRegistry;
  let proxy: Proxy;
  let registries: Registries;

  before(async () => {
    registry = await startRegistry();
    proxy = await startProxy(registry.host);
    registries = anonymousRegistries([registry.host, proxy.host]);
    const image = ociLayout([1000], ['linux/amd64', 'linux/arm64']);
    await skopeoCopy(image.reference, `${registry.host}/team/multi:v1`, {}, ['--all', '--preserve-digests']);
  });
  after(async () => {
    await registries.close();
    await proxy.stop();
    await registry.stop();
  });

  const copy = async (): Promise<unknown> => {
    const digest = (await registries.client(registry.host).resolve('team/multi', 'v1')).digest;
    return new Copier({ concurrency: 2 }).copy({
      source: new RegistrySource(registries, { registry: registry.host, repository: 'team/multi' }),
      sink: new RegistrySink(registries, { registry: proxy.host, repository: 'ecr/multi' }),
      digest: digest,
    });
  };

  it('says a repository must be created first when the registry does not know it', async () => {
    proxy.faults.push({
      method: 'POST',
      path: /\/v2\/ecr\/multi\/blobs\/uploads\//,
      fault: async (_request, response) =>
        void response
          .writeHead(404, { 'content-type': 'application/json' })
          .end('{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry"}]}'),
    });
    await assert.rejects(
      copy(),
      /ecr\/multi does not exist and the registry does not create repositories on push \(ECR does not\): create it first/,
    );
  });

  it('says the registry refused a multi-platform index', async () => {
    proxy.faults.push({
      method: 'PUT',
      path: /\/v2\/ecr\/multi\/manifests\/sha256:/,
      when: (request) => request.headers['content-type'] === 'application/vnd.oci.image.index.v1+json',
      fault: async (_request, response) =>
        void response
          .writeHead(400, { 'content-type': 'application/json' })
          .end('{"errors":[{"code":"MANIFEST_INVALID","message":"Invalid parameter at imageTag failed to satisfy constraint"}]}'),
    });
    await assert.rejects(copy(), /400 MANIFEST_INVALID: .*refused a multi-platform image index \(manifest list\)/);
  });
});
