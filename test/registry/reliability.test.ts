// Registry faults and hostile servers, at the client: back-pressure under a 429 storm, permanent 500s
// not retried, servers that never answer, endless and trickling bodies, a Retry-After longer than ferry
// waits, and a server that echoes the request's credentials. Loopback only, every wait bounded.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CredentialStore } from '../../src/registry/credentials.js';
import { Registries, type Timeouts } from '../../src/registry/registries.js';
import { deadlineIn } from '../../src/registry/retry.js';
import { type FaultProxy, noFaults, startFaultProxy } from './fault-proxy.js';
import { type RunningRegistry, anonymousRegistries, freePort, listenLocal, scratchDir, sha256, startRegistry } from './harness.js';

const digest = sha256(Buffer.from('a blob'));

/** A server answering /v2/ with 200 and everything else with `handler`. */
async function scripted(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<{ host: string; seen: IncomingMessage[]; stop: () => Promise<void> }> {
  const seen: IncomingMessage[] = [];
  const server: Server = createServer((request, response) => {
    if (request.url === '/v2/') {
      response.writeHead(200).end();
      return;
    }
    seen.push(request);
    handler(request, response);
  });
  return { ...(await listenLocal(server)), seen };
}

function registries(
  insecure: string[],
  options: { timeouts?: Partial<Timeouts>; deadlineMs?: number; configDir?: string; notices?: string[]; concurrency?: number } = {},
): Registries {
  return new Registries({
    insecureRegistries: insecure,
    caCertificates: [],
    credentials: new CredentialStore({
      dockerConfigDir: options.configDir ?? scratchDir('no-config'),
      onSecret: () => undefined,
      runHelper: async () => undefined,
    }),
    onSecret: () => undefined,
    retry: { attempts: 5, initialDelayMs: 20, maxDelayMs: 2000 },
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    ...(options.deadlineMs ? { deadline: deadlineIn(options.deadlineMs, `timeout ${options.deadlineMs}ms`) } : {}),
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    onNotice: (message) => options.notices?.push(message),
  });
}

describe('back-pressure', () => {
  let registry: RunningRegistry;
  let proxy: FaultProxy;
  before(async () => {
    registry = await startRegistry();
    proxy = await startFaultProxy(registry.host, noFaults);
    proxy.delayMs = 40;
  });
  after(async () => {
    await proxy.stop();
    await registry.stop();
  });

  it('a 429 storm cuts the requests in flight to the registry, and they recover after it', async () => {
    const notices: string[] = [];
    const clients = registries([proxy.host], { notices, concurrency: 8 });
    const client = clients.client(proxy.host);
    try {
      await client.ping();
      const wave = (count: number): Promise<unknown> =>
        Promise.all(Array.from({ length: count }, () => client.headBlob('team/app', digest)));
      // Unthrottled, the client uses its whole ceiling.
      await wave(32);
      const before = proxy.counts.maxInFlight;
      assert.ok(before >= 6, `in flight before the storm: ${before}`);

      proxy.storm = true;
      const stormStarted = Date.now();
      const during = wave(32);
      setTimeout(() => (proxy.storm = false), 2500);
      await during;
      const limiter = clients.limiter(proxy.host);
      assert.ok(limiter !== undefined);
      assert.ok(limiter.lowest <= 2, `the limit fell to ${limiter.lowest}`);
      // Late in the storm, few requests were in flight at once.
      const late = proxy.arrivals.filter((arrival) => arrival.storm && arrival.at > stormStarted + 1500);
      assert.ok(late.length > 0);
      assert.ok(
        Math.max(...late.map((arrival) => arrival.inFlight)) <= 3,
        `in flight late in the storm: ${late.map((arrival) => arrival.inFlight)}`,
      );
      assert.ok(
        notices.some((notice) => /pushes back \(the registry answered 429 with Retry-After\): at most \d+ requests in flight/.test(notice)),
        notices.join('\n'),
      );

      // After the storm, successes raise the limit back to the ceiling.
      for (let round = 0; round < 12 && limiter.current < 8; round++) await wave(16);
      assert.equal(limiter.current, 8);
      proxy.arrivals.length = 0;
      await wave(32);
      assert.ok(Math.max(...proxy.arrivals.map((arrival) => arrival.inFlight)) >= 6, 'in flight recovered');
    } finally {
      await clients.close();
    }
  });
});

describe('answers that are not worth another try', () => {
  for (const code of [
    'MANIFEST_BLOB_UNKNOWN',
    'MANIFEST_INVALID',
    'DIGEST_INVALID',
    'BLOB_UPLOAD_INVALID',
    'SIZE_INVALID',
    'UNSUPPORTED',
    'DENIED',
  ]) {
    it(`a 500 naming ${code} fails at once, naming the manifest`, async () => {
      const server = await scripted((_request, response) => {
        response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ code, message: 'permanent' }] }));
      });
      const clients = registries([server.host]);
      try {
        const bytes = Buffer.from('{"schemaVersion":2}');
        await assert.rejects(
          clients.client(server.host).putManifest('team/app', sha256(bytes), bytes, 'application/vnd.oci.image.manifest.v1+json'),
          (error: unknown) => {
            assert.match(
              String(error),
              new RegExp(`put manifest sha256:[a-f0-9]{64} at 127\\.0\\.0\\.1:\\d+/team/app: 500 ${code}: permanent`),
            );
            return true;
          },
        );
        assert.equal(server.seen.length, 1, 'one try');
      } finally {
        await clients.close();
        await server.stop();
      }
    });
  }

  it('a Retry-After longer than ferry waits fails at once, saying so', async () => {
    const server = await scripted((_request, response) => void response.writeHead(503, { 'retry-after': '999999' }).end());
    const clients = registries([server.host]);
    try {
      const started = Date.now();
      await assert.rejects(
        clients.client(server.host).headBlob('team/app', digest),
        /asks to wait 999999 s with Retry-After, longer than the 2 s ferry waits at most/,
      );
      assert.ok(Date.now() - started < 2000);
      assert.equal(server.seen.length, 1);
    } finally {
      await clients.close();
      await server.stop();
    }
  });

  it('a 5xx from /v2/ is a failure, not an answer', async () => {
    const port = await freePort();
    const server = createServer((_request, response) => void response.writeHead(503).end());
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    const clients = registries([`127.0.0.1:${port}`]);
    try {
      await assert.rejects(
        clients.client(`127.0.0.1:${port}`).headBlob('team/app', digest),
        /ping \/v2\/ at 127\.0\.0\.1:\d+: 503: the registry's \/v2\/ endpoint did not answer/,
      );
    } finally {
      await clients.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('servers that never finish', () => {
  it('a server that accepts and stays silent ends within the header time-out and the tries', async () => {
    const sockets: Socket[] = [];
    const silent = createNetServer((socket) => void sockets.push(socket));
    const port = await freePort();
    await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
    const host = `127.0.0.1:${port}`;
    const clients = registries([host], { timeouts: { connectMs: 300, headersMs: 300 } });
    try {
      const started = Date.now();
      await assert.rejects(clients.client(host).headBlob('team/app', digest), /connect at 127\.0\.0\.1:\d+: .*(Headers Timeout|timeout)/i);
      // Five tries of a 0.3 s connect and header time-out (undici's timers tick once a second), with back-off.
      assert.ok(Date.now() - started < 15_000, `${Date.now() - started} ms`);
    } finally {
      await clients.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("the run's deadline stops a silent server, whatever the time-outs", async () => {
    const sockets: Socket[] = [];
    const silent = createNetServer((socket) => void sockets.push(socket));
    const port = await freePort();
    await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
    const host = `127.0.0.1:${port}`;
    const clients = registries([host], { timeouts: { headersMs: 60_000 }, deadlineMs: 800 });
    try {
      const started = Date.now();
      await assert.rejects(clients.client(host).headBlob('team/app', digest), /deadline|abort/i);
      assert.ok(Date.now() - started < 3000, `${Date.now() - started} ms`);
    } finally {
      await clients.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('an endless blob body is cut at the size its descriptor declares', async () => {
    const server = await scripted((_request, response) => {
      response.writeHead(200);
      const chunk = randomBytes(64 * 1024);
      const pump = (): void => {
        while (response.write(chunk));
        response.once('drain', pump);
      };
      pump();
    });
    const clients = registries([server.host]);
    try {
      const stream = clients.client(server.host).getBlob('team/app', digest, 1024 * 1024);
      await assert.rejects(
        (async () => {
          for await (const chunk of stream) void chunk;
        })(),
        /more than the expected 1048576 bytes/,
      );
    } finally {
      await clients.close();
      await server.stop();
    }
  });

  it('a trickling blob body is taken for stalled, resumed, and fails within the tries', async () => {
    const server = await scripted((_request, response) => {
      response.writeHead(200, { 'content-length': '1000000' });
      const timer = setInterval(() => response.write(Buffer.alloc(10)), 100);
      response.on('close', () => clearInterval(timer));
    });
    const clients = registries([server.host], { timeouts: { progress: { bytes: 4096, windowMs: 300 } } });
    try {
      const started = Date.now();
      await assert.rejects(
        (async () => {
          for await (const chunk of clients.client(server.host).getBlob('team/app', digest, 1_000_000)) void chunk;
        })(),
        /the connection failed after \d+ bytes: less than 4096 bytes in 0\.3 s/,
      );
      assert.ok(Date.now() - started < 10_000, `${Date.now() - started} ms`);
      assert.ok(server.seen.length >= 2, 'resumed at least once');
      assert.ok(
        server.seen.slice(1).every((request) => /^bytes=\d+-$/.test(request.headers.range ?? '')),
        'each resume asks for the rest',
      );
    } finally {
      await clients.close();
      await server.stop();
    }
  });
});

describe('a blob read and its reader', () => {
  const content = randomBytes(4 * 1024 * 1024);
  const contentDigest = sha256(content);
  /** Serves `content`, from the offset a Range asks, as fast as the reader takes it. */
  const serving = (): Promise<{ host: string; seen: IncomingMessage[]; stop: () => Promise<void> }> =>
    scripted((request, response) => {
      const from = Number(/^bytes=(\d+)-$/.exec(request.headers.range ?? '')?.[1] ?? 0);
      const body = content.subarray(from);
      response.writeHead(from > 0 ? 206 : 200, { 'content-length': String(body.length) });
      let at = 0;
      const more = (): void => {
        while (at < body.length && response.write(body.subarray(at, at + 65536))) at += 65536;
        if (at >= body.length) response.end();
        else at += 65536;
      };
      response.on('drain', more);
      more();
    });

  it('starts its GET as it is opened, before anyone reads it', async () => {
    const server = await serving();
    const clients = registries([server.host]);
    try {
      const stream = clients.client(server.host).getBlob('team/app', contentDigest, content.length);
      for (let tick = 0; tick < 100 && server.seen.length === 0; tick++) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(server.seen.length, 1, 'the GET is on its way with no reader yet');
      assert.ok(Buffer.concat(await stream.toArray()).equals(content));
    } finally {
      await clients.close();
      await server.stop();
    }
  });

  it('keeps a failure that comes before its reader for the reader, without ending the process', async () => {
    const server = await scripted((_request, response) => response.writeHead(404).end());
    const clients = registries([server.host]);
    try {
      const stream = clients.client(server.host).getBlob('team/app', contentDigest, content.length);
      // An 'error' with no listener would end this process here.
      for (let tick = 0; tick < 100 && !stream.destroyed; tick++) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.ok(stream.destroyed, 'the read failed before anyone read it');
      await assert.rejects(stream.toArray(), /get blob .*: 404/);
    } finally {
      await clients.close();
      await server.stop();
    }
  });

  it('a reader that leaves cancels the request still waiting for its answer', async () => {
    let closedAt: number | undefined;
    const server = await scripted((_request, response) => {
      response.on('close', () => (closedAt = Date.now()));
      const timer = setTimeout(() => response.writeHead(200, { 'content-length': String(content.length) }).end(content), 3000);
      response.on('close', () => clearTimeout(timer));
    });
    const clients = registries([server.host]);
    try {
      const stream = clients.client(server.host).getBlob('team/app', contentDigest, content.length);
      for (let tick = 0; tick < 100 && server.seen.length === 0; tick++) await new Promise((resolve) => setTimeout(resolve, 20));
      const left = Date.now();
      stream.destroy();
      for (let tick = 0; tick < 150 && closedAt === undefined; tick++) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.ok(
        closedAt !== undefined && closedAt - left < 1000,
        `the request closed ${closedAt === undefined ? 'never' : `${closedAt - left} ms`} after the reader left`,
      );
    } finally {
      await clients.close();
      await server.stop();
    }
  });

  it('a reader that leaves ends the wait for the next try', async () => {
    const server = await scripted((_request, response) => response.writeHead(503, { 'retry-after': '3' }).end());
    const clients = anonymousRegistries([server.host], { attempts: 5, initialDelayMs: 3000, maxDelayMs: 5000 });
    const timers = (): number => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    try {
      const stream = clients.client(server.host).getBlob('team/app', contentDigest, content.length);
      for (let tick = 0; tick < 100 && server.seen.length === 0; tick++) await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const waiting = timers();
      stream.destroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      // The wait of about 3 s for the next try is a timer that would keep a finished run alive.
      assert.ok(timers() < waiting, `${waiting} timers while waiting, ${timers()} after the reader left`);
      assert.equal(server.seen.length, 1);
    } finally {
      await clients.close();
      await server.stop();
    }
  });

  it('a small blob copied from a registry is read whole before its PUT holds a request slot', async () => {
    const small = randomBytes(100_000);
    const smallDigest = sha256(small);
    let readAt: number | undefined;
    let putAt: number | undefined;
    const server = await scripted((request, response) => {
      if (request.method === 'GET') {
        response.writeHead(200, { 'content-length': String(small.length) });
        response.write(small.subarray(0, 50_000));
        setTimeout(() => {
          readAt = Date.now();
          response.end(small.subarray(50_000));
        }, 400);
      } else if (request.method === 'POST') {
        response.writeHead(202, { location: '/v2/team/copy/blobs/uploads/one' }).end();
      } else if (request.method === 'PUT') {
        putAt = Date.now();
        request.resume();
        request.on('end', () => response.writeHead(201).end());
      } else {
        response.writeHead(404).end();
      }
    });
    const clients = registries([server.host]);
    try {
      const client = clients.client(server.host);
      assert.equal(
        await client.uploadBlob('team/copy', smallDigest, small.length, () => client.getBlob('team/app', smallDigest, small.length)),
        'uploaded',
      );
      assert.ok(readAt !== undefined && putAt !== undefined && putAt >= readAt, `PUT at ${putAt}, the read's last byte at ${readAt}`);
    } finally {
      await clients.close();
      await server.stop();
    }
  });

  it('a body held because its reader has enough is not taken for stalled', async () => {
    const server = await serving();
    const clients = registries([server.host], { timeouts: { progress: { bytes: 4096, windowMs: 100 } } });
    try {
      const stream = clients.client(server.host).getBlob('team/app', contentDigest, content.length);
      await new Promise((resolve) => stream.once('readable', resolve));
      // Four windows with nothing read: the body is held, not stalled.
      await new Promise((resolve) => setTimeout(resolve, 450));
      assert.ok(Buffer.concat(await stream.toArray()).equals(content));
      assert.equal(server.seen.length, 1, `${server.seen.length} GETs: a held body was taken for stalled and asked for again`);
    } finally {
      await clients.close();
      await server.stop();
    }
  });
});

describe('credentials stay out of errors', () => {
  it('a registry that echoes the request, Authorization included, into its error body', async () => {
    const password = 'echoed-secret-password';
    const server = await scripted((request, response) => {
      if (request.headers.authorization === undefined) {
        response.writeHead(401, { 'www-authenticate': 'Basic realm="test"' }).end();
        return;
      }
      response
        .writeHead(500, { 'content-type': 'text/plain' })
        .end(`upstream failed for request with headers ${JSON.stringify(request.headers)} password=${password}`);
    });
    const configDir = scratchDir('echo-config');
    writeFileSync(path.join(configDir, 'config.json'), JSON.stringify({ auths: { [server.host]: { username: 'robot', password } } }));
    const clients = new Registries({
      insecureRegistries: [server.host],
      caCertificates: [],
      credentials: new CredentialStore({ dockerConfigDir: configDir, onSecret: () => undefined, runHelper: async () => undefined }),
      onSecret: () => undefined,
      retry: { attempts: 2, initialDelayMs: 10, maxDelayMs: 100 },
    });
    try {
      await assert.rejects(clients.client(server.host).headBlob('team/app', digest), (error: unknown) => {
        const text = `${String(error)} ${JSON.stringify(error)}`;
        assert.match(text, /check blob .*: 500/);
        assert.doesNotMatch(text, new RegExp(password));
        assert.doesNotMatch(text, new RegExp(Buffer.from(`robot:${password}`).toString('base64').slice(0, 12)));
        return true;
      });
    } finally {
      await clients.close();
      await server.stop();
    }
  });
});
