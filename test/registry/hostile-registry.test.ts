// What a registry named in a manifest can answer, at the client and the copy walk: endless error and
// token bodies, descriptors that would reach other paths or declare terabytes, a blob planted in the
// blob store, and a registry that refuses foreign layers. Loopback servers, every read bounded.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import { type AddressInfo, type Socket, createServer as createNetServer } from 'node:net';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { describe, it } from 'node:test';
import { BlobStore } from '../../src/archive/store.js';
import { CredentialStore } from '../../src/registry/credentials.js';
import { Registries } from '../../src/registry/registries.js';
import { RegistrySink } from '../../src/remote/sink.js';
import { RegistrySource } from '../../src/remote/source.js';
import { Copier } from '../../src/copy/walker.js';
import { anonymousRegistries, listenLocal, scratchDir, sha256, startRegistry } from './harness.js';
import type { ImageSink } from '../../src/copy/endpoint.js';
import type { Descriptor } from '../../src/oci/descriptor.js';

/** A sink that holds nothing and reads every blob it is given to the end: a walk that asks for a blob would be seen doing so. */
class ReadingSink implements ImageSink {
  readonly key = 'reading';
  async resolve(): Promise<Descriptor | undefined> {
    return undefined;
  }
  async hasBlob(): Promise<boolean> {
    return false;
  }
  async putBlob(_blob: Descriptor, open: () => Readable): Promise<'uploaded'> {
    for await (const chunk of open()) void chunk;
    return 'uploaded';
  }
  async putManifest(): Promise<{ listed: boolean }> {
    return { listed: true };
  }
}

/** Keeps `bytes` in the store the way packaging does, as a copy taken while they pass. */
async function keep(store: BlobStore, bytes: Buffer): Promise<void> {
  const kept = store.keeper({ mediaType: 'application/octet-stream', digest: sha256(bytes), size: bytes.length });
  kept.stream.end(bytes);
  await finished(kept.stream);
  await kept.done();
}

const ociManifest = 'application/vnd.oci.image.manifest.v1+json';

/** A registry of one handler; /v2/ answers 200 unless the handler takes it. */
async function serve(handler: (request: IncomingMessage, response: ServerResponse) => boolean | void) {
  const seen: string[] = [];
  const server = createServer((request, response) => {
    seen.push(`${request.method} ${request.url}`);
    if (handler(request, response) === true) return;
    if (request.url === '/v2/') response.writeHead(200).end();
    else response.writeHead(404).end();
  });
  return { ...(await listenLocal(server)), seen };
}

/** A registry that serves one manifest (by its digest) in team/app, and nothing else. */
async function serveManifest(json: unknown) {
  const manifest = Buffer.from(JSON.stringify(json));
  const digest = sha256(manifest);
  const server = await serve((request, response) => {
    if (request.url === `/v2/team/app/manifests/${digest}`) {
      response.writeHead(200, { 'content-type': ociManifest, 'content-length': String(manifest.length) }).end(manifest);
      return true;
    }
  });
  return { ...server, digest };
}

/** Writes forever, as fast as the client reads. */
function endless(response: ServerResponse): void {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  const pump = (): void => {
    while (response.write(chunk));
    response.once('drain', pump);
  };
  pump();
}

function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

describe('a hostile registry', () => {
  it('an endless error body is read up to 64 KiB, and memory stays bounded', async () => {
    const server = await serve((request, response) => {
      if (request.url === '/v2/') return;
      response.writeHead(404, { 'content-type': 'text/plain' });
      endless(response);
      return true;
    });
    const registries = anonymousRegistries([server.host]);
    const before = peakRssMiB();
    try {
      await assert.rejects(registries.client(server.host).getManifest('team/app', 'v1'), /get manifest v1 at .*: 404 a{100,300}$/);
      assert.ok(peakRssMiB() - before < 100, `memory grew by ${peakRssMiB() - before} MiB`);
    } finally {
      await registries.close();
      await server.stop();
    }
  });

  it('an endless token answer is refused past 1 MiB', async () => {
    const server = await serve((request, response) => {
      if (request.url?.startsWith('/token')) {
        response.writeHead(200, { 'content-type': 'application/json' });
        endless(response);
        return true;
      }
      if (request.url !== '/v2/' && request.headers.authorization === undefined) {
        response.writeHead(401, { 'www-authenticate': `Bearer realm="http://${request.headers.host}/token",service="test"` }).end();
        return true;
      }
      if (request.url === '/v2/') {
        response.writeHead(401, { 'www-authenticate': `Bearer realm="http://${request.headers.host}/token",service="test"` }).end();
        return true;
      }
    });
    const registries = anonymousRegistries([server.host]);
    const before = peakRssMiB();
    try {
      await assert.rejects(
        registries.client(server.host).headBlob('team/app', sha256(Buffer.from('x'))),
        /get token at .*: the token answer is too large: more than the 1048576 bytes ferry reads/,
      );
      assert.ok(peakRssMiB() - before < 100, `memory grew by ${peakRssMiB() - before} MiB`);
    } finally {
      await registries.close();
      await server.stop();
    }
  });

  it('a repository or reference that is none is refused before any request, quoted as one line', async () => {
    const registries = anonymousRegistries(['127.0.0.1:9']);
    try {
      for (const [repository, reference] of [
        ['team/app\u2028::warning::x', 'v1'],
        ['team/app', 'v1\u0085::warning::x'],
      ] as const)
        await assert.rejects(registries.client('127.0.0.1:9').getManifest(repository, reference), (error: Error) => {
          assert.match(error.message, /\\u(2028|0085)::warning::x" is not a (repository name|tag or digest)/);
          assert.ok(!['\u2028', '\u0085'].some((control) => error.message.includes(control)), error.message);
          return true;
        });
    } finally {
      await registries.close();
    }
  });

  it('a descriptor whose digest would reach another path is refused before any request names it', async () => {
    const evil = 'sha256:../../../v2/victim/manifests/latest?x=';
    const server = await serveManifest({
      schemaVersion: 2,
      mediaType: ociManifest,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: evil, size: 10 },
      layers: [],
    });
    const { digest } = server;
    const registries = anonymousRegistries([server.host]);
    try {
      await assert.rejects(
        new Copier({ concurrency: 2 }).copy({
          source: new RegistrySource(registries, { registry: server.host, repository: 'team/app' }),
          sink: new ReadingSink(),
          digest: digest,
        }),
        /holds a descriptor ferry refuses: "sha256:\.\.\/\.\.\/\.\.\/v2\/victim\/manifests\/latest\?x=" is not a digest/,
      );
      assert.ok(!server.seen.some((line) => line.includes('victim')), server.seen.join('\n'));
    } finally {
      await registries.close();
      await server.stop();
    }
  });

  it('a layer that declares 10 TiB is refused before a byte of it is read', async () => {
    const server = await serveManifest({
      schemaVersion: 2,
      mediaType: ociManifest,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(Buffer.from('c')), size: 1 },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha256(Buffer.from('huge')), size: 10 * 1024 ** 4 }],
    });
    const { digest } = server;
    const registries = anonymousRegistries([server.host]);
    try {
      await assert.rejects(
        new Copier({ concurrency: 2 }).copy({
          source: new RegistrySource(registries, { registry: server.host, repository: 'team/app' }),
          sink: new ReadingSink(),
          digest: digest,
        }),
        /declares 10995116277760 bytes, more than the 53687091200 ferry accepts \(max-blob-bytes\)/,
      );
      assert.ok(!server.seen.some((line) => line.includes('/blobs/')), 'no blob was asked for');
    } finally {
      await registries.close();
      await server.stop();
    }
  });

  it('a link planted in the blob store under a digest name is replaced, and what it names is left alone', async () => {
    const dir = scratchDir('planted-link');
    const victim = path.join(scratchDir('victim'), 'victim.txt');
    writeFileSync(victim, 'untouched');
    const store = new BlobStore(dir);
    const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: ociManifest }));
    const blob = randomBytes(1024);
    for (const bytes of [manifest, blob]) {
      const file = store.path(sha256(bytes));
      mkdirSync(path.dirname(file), { recursive: true });
      symlinkSync(victim, file);
    }
    for (const bytes of [manifest, blob]) await keep(store, bytes);
    assert.equal(readFileSync(victim, 'utf8'), 'untouched');
    for (const bytes of [manifest, blob]) {
      assert.ok(!lstatSync(store.path(sha256(bytes))).isSymbolicLink());
      assert.deepEqual(readFileSync(store.path(sha256(bytes))), bytes);
    }
  });

  it("a link planted where the blob store's folder is, is removed: no write goes through it", async () => {
    const dir = scratchDir('planted-folder');
    const elsewhere = scratchDir('elsewhere');
    mkdirSync(path.join(dir, 'blobs'), { recursive: true });
    symlinkSync(elsewhere, path.join(dir, 'blobs', 'sha256'));
    const store = new BlobStore(dir);
    const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: ociManifest, layers: [] }));
    await keep(store, manifest);
    assert.deepEqual(readdirSync(elsewhere), []);
    assert.ok(lstatSync(path.join(dir, 'blobs', 'sha256')).isDirectory());
  });

  it('a blob planted in the blob store under a digest name is not trusted by its size', async () => {
    const dir = scratchDir('planted');
    const real = randomBytes(4096);
    const digest = sha256(real);
    const file = path.join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(4096));
    const store = new BlobStore(dir);
    assert.equal(await store.hasBlob({ mediaType: 'application/octet-stream', digest, size: real.length }), false);
    assert.ok(!existsSync(file), 'the planted file is gone');
    writeFileSync(file, real);
    assert.equal(await store.hasBlob({ mediaType: 'application/octet-stream', digest, size: real.length }), true);
    assert.equal(sha256(readFileSync(file)), digest);
  });

  it("a FIFO or a device link in the blob store under an empty blob's name is not read: it is replaced", { timeout: 10_000 }, async () => {
    const dir = scratchDir('planted-fifo');
    const empty = sha256(Buffer.alloc(0));
    const file = path.join(dir, 'blobs', 'sha256', empty.slice('sha256:'.length));
    mkdirSync(path.dirname(file), { recursive: true });
    execFileSync('mkfifo', [file]);
    const store = new BlobStore(dir);
    const descriptor = { mediaType: 'application/octet-stream', digest: empty, size: 0 };
    // A read of the FIFO would wait for a writer for ever; the size check alone (0 bytes) passed it.
    assert.equal(await store.hasBlob(descriptor), false);
    assert.ok(!existsSync(file), 'the FIFO is gone');
    symlinkSync('/dev/null', file);
    assert.equal(await store.hasBlob(descriptor), false);
    assert.ok(!existsSync(file), 'the link is gone');
  });

  it("a redirect target's 401 does not take the registry's credentials to a realm it names", async () => {
    const stolen: string[] = [];
    const other = await serve((request, response) => {
      if (request.url?.startsWith('/steal')) {
        stolen.push(request.headers.authorization ?? '(none)');
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"t"}');
        return true;
      }
      if (request.url?.startsWith('/blobs/')) {
        if (request.headers.authorization !== undefined) stolen.push(request.headers.authorization);
        response.writeHead(401, { 'www-authenticate': `Bearer realm="http://${otherHost()}/steal",service=x` }).end();
        return true;
      }
    });
    const otherHost = (): string => other.host;
    const registry = await serve((request, response) => {
      if (request.url?.startsWith('/v2/team/app/blobs/')) {
        response.writeHead(307, { location: `http://${other.host}/blobs/1` }).end();
        return true;
      }
    });
    const configDir = scratchDir('redirect-realm');
    writeFileSync(
      path.join(configDir, 'config.json'),
      JSON.stringify({ auths: { [registry.host]: { auth: Buffer.from('user:registry-password').toString('base64') } } }),
    );
    const registries = new Registries({
      insecureRegistries: [registry.host, other.host],
      caCertificates: [],
      credentials: new CredentialStore({ dockerConfigDir: configDir, onSecret: () => undefined, runHelper: async () => undefined }),
      onSecret: () => undefined,
      retry: { attempts: 2, initialDelayMs: 10, maxDelayMs: 100 },
    });
    try {
      const blob = registries.client(registry.host).getBlob('team/app', sha256(Buffer.from('x')), 1);
      await assert.rejects(
        (async () => {
          for await (const chunk of blob) void chunk;
        })(),
        (error: Error) => {
          assert.match(
            error.message,
            new RegExp(`401 from ${other.host.replace(/[.]/g, '\\.')}, where ${registry.host.replace(/[.]/g, '\\.')} redirected`),
          );
          return true;
        },
      );
      assert.deepEqual(stolen, []);
    } finally {
      await registries.close();
      await Promise.all([registry.stop(), other.stop()]);
    }
  });

  it('referrers pages whose Link points back are read once, and more than 1000 referrers stop at the page that passes it', async () => {
    const subject = sha256(Buffer.from('subject'));
    const descriptor = (n: number) => ({ mediaType: ociManifest, digest: sha256(Buffer.from(`r${n}`)), size: 10, artifactType: 'x/sbom' });
    let pages = 0;
    let many = false;
    const server = await serve((request, response) => {
      if (!request.url?.startsWith(`/v2/team/app/referrers/${subject}`)) return;
      pages++;
      const manifests = Array.from({ length: many ? 600 : 10 }, (_, n) => descriptor(n + pages * 1000));
      response
        .writeHead(200, {
          'content-type': 'application/vnd.oci.image.index.v1+json',
          link: `<${request.url}?again>; rel="next"`.replace('?again?again', '?again'),
        })
        .end(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }));
      return true;
    });
    const registries = anonymousRegistries([server.host]);
    try {
      const client = registries.client(server.host);
      assert.equal((await client.referrers('team/app', subject))?.length, 20);
      assert.equal(pages, 2, 'the page named twice is read once');
      many = true;
      pages = 0;
      await assert.rejects(client.referrers('team/app', subject), /more than 1000 referrers/);
      assert.equal(pages, 2, 'no page is asked for past the one that passes the cap');
    } finally {
      await registries.close();
      await server.stop();
    }
  });

  it('tag lists keep only digest tags, under a bound for the whole run; a repository without tags (404) lists none', async () => {
    const subject = `sha256:${'ab'.repeat(32)}`;
    const signature = `sha256-${'ab'.repeat(32)}.sig`;
    const long = (page: number, at: number): string => `v${page}-${at}-${'x'.repeat(110)}`;
    const server = await serve((request, response) => {
      const url = new URL(request.url ?? '/', 'http://registry');
      const match = /^\/v2\/(team\/[a-z]+)\/tags\/list$/.exec(url.pathname);
      if (match === null) return;
      if (match[1] === 'team/bare') {
        response.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"NAME_UNKNOWN"}]}');
        return true;
      }
      const page = Number(url.searchParams.get('page') ?? '0');
      // Three pages of long tags each, a few digest tags among them.
      const tags = [...Array.from({ length: 2000 }, (_, at) => long(page, at)), `sha256-${String(page).repeat(64)}`];
      if (page === 0) tags.push(signature);
      const next = page < 2 ? { link: `</v2/${match[1]}/tags/list?page=${page + 1}>; rel="next"` } : {};
      response.writeHead(200, { 'content-type': 'application/json', ...next }).end(JSON.stringify({ name: match[1], tags }));
      return true;
    });
    const registries = anonymousRegistries([server.host]);
    try {
      const kept: string[][] = [];
      const original = registries.client(server.host).listTags.bind(registries.client(server.host));
      registries.client(server.host).listTags = async (repository, options) => {
        const tags = await original(repository, options);
        kept.push(tags);
        return tags;
      };
      const source = new RegistrySource(registries, { registry: server.host, repository: 'team/app' }, 5);
      assert.deepEqual(
        (await source.digestTags(subject, false)).map((tagged) => tagged.tag),
        [],
        'the signature tag names no manifest here',
      );
      assert.deepEqual(
        kept[0]?.sort(),
        [`sha256-${'0'.repeat(64)}`, `sha256-${'1'.repeat(64)}`, `sha256-${'2'.repeat(64)}`, signature].sort(),
      );
      // Four digest tags kept so far; the next repository's three pages pass the run's bound of five.
      const other = new RegistrySource(registries, { registry: server.host, repository: 'team/other' }, 5);
      await assert.rejects(other.digestTags(subject, false), /the run has read more than 5 digest tags from tag lists/);
      assert.deepEqual(await registries.client(server.host).listTags('team/bare'), []);
    } finally {
      await registries.close();
      await server.stop();
    }
  });

  it('a tag list that is not JSON is a registry error naming the operation', async () => {
    const server = await serve((request, response) => {
      if (request.url?.startsWith('/v2/team/app/tags/list')) {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"tags": [ghp_not_json');
        return true;
      }
    });
    const registries = anonymousRegistries([server.host]);
    try {
      await assert.rejects(registries.client(server.host).listTags('team/app'), (error: Error) => {
        assert.match(error.message, /list tags at .*team\/app: the tag list is not JSON$/);
        return true;
      });
    } finally {
      await registries.close();
      await server.stop();
    }
  });

  it('a body sent after a HEAD answer (which HTTP forbids) spoils the next answer on that connection: it is asked again, not failed', async () => {
    // node's HTTP server never sends one, so this registry speaks HTTP/1.1 over a bare socket.
    const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: ociManifest, config: {}, layers: [] }));
    const digest = sha256(manifest);
    const sockets = new Set<Socket>();
    let spoiled = 0;
    const server = createNetServer((socket) => {
      sockets.add(socket);
      let pending = '';
      // The body of a HEAD's answer, sent late: just before the next answer on this connection.
      let owed = Buffer.alloc(0);
      socket.on('data', (data: Buffer) => {
        // A TLS hello (ferry tries HTTPS first): refused at once, as a plain HTTP server would.
        if (pending === '' && data[0] === 0x16) return void socket.destroy();
        pending += data.toString('latin1');
        for (let end = pending.indexOf('\r\n\r\n'); end >= 0; end = pending.indexOf('\r\n\r\n')) {
          const [method = '', url = ''] = pending.slice(0, end).split(' ');
          pending = pending.slice(end + 4);
          const found = url === '/v2/team/app/manifests/v1' || url === `/v2/team/app/manifests/${digest}`;
          const headers = found
            ? `200 OK\r\ncontent-type: ${ociManifest}\r\ndocker-content-digest: ${digest}\r\ncontent-length: ${manifest.length}`
            : url === '/v2/'
              ? '200 OK\r\ncontent-length: 0'
              : '404 Not Found\r\ncontent-length: 0';
          socket.write(
            Buffer.concat([owed, Buffer.from(`HTTP/1.1 ${headers}\r\n\r\n`), found && method === 'GET' ? manifest : Buffer.alloc(0)]),
          );
          owed = found && method === 'HEAD' ? manifest : Buffer.alloc(0);
          if (owed.length > 0) spoiled++;
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const registries = anonymousRegistries([host]);
    try {
      const client = registries.client(host);
      for (let lookup = 0; lookup < 5; lookup++) {
        assert.equal((await client.resolve('team/app', 'v1')).digest, digest);
        assert.deepEqual((await client.getManifest('team/app', digest)).bytes, manifest);
      }
      // Every HEAD's stray body spoiled the answer after it on its connection, which was asked again on a new one.
      assert.ok(spoiled >= 5, `${spoiled} answers spoiled`);
      assert.ok(sockets.size >= 5, `${sockets.size} connections`);
    } finally {
      await registries.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a registry that refuses foreign layer URLs says what to configure', async () => {
    const [source, strict] = await Promise.all([startRegistry({ foreignLayers: true }), startRegistry()]);
    const registries = new Registries({
      insecureRegistries: [source.host, strict.host],
      caCertificates: [],
      credentials: new CredentialStore({
        dockerConfigDir: scratchDir('none'),
        onSecret: () => undefined,
        runHelper: async () => undefined,
      }),
      onSecret: () => undefined,
      retry: { attempts: 2, initialDelayMs: 10, maxDelayMs: 100 },
    });
    try {
      const client = registries.client(source.host);
      const config = Buffer.from('{"architecture":"amd64","os":"windows"}');
      await client.uploadBlob('team/win', sha256(config), config.length, config);
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: ociManifest,
          config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
          layers: [
            {
              mediaType: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
              digest: sha256(randomBytes(8)),
              size: 123,
              urls: ['https://example.invalid/base.tar.gz'],
            },
          ],
        }),
      );
      const digest = await client.putManifest('team/win', 'v1', manifest, ociManifest);
      await assert.rejects(
        new Copier({ concurrency: 2 }).copy({
          source: new RegistrySource(registries, { registry: source.host, repository: 'team/win' }),
          sink: new RegistrySink(registries, { registry: strict.host, repository: 'win' }),
          digest: digest,
        }),
        /non-distributable layers that point at external URLs .* validation\.manifests\.urls\.allow/,
      );
    } finally {
      await registries.close();
      await Promise.all([source.stop(), strict.stop()]);
    }
  });
});
