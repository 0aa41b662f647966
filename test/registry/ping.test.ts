// The ping of a registry listed as insecure: HTTPS and plain HTTP are asked at once, so the fallback
// costs no round trips of its own, and HTTPS is still what is used when it answers. One loopback port
// serves both, told apart by the first byte (a TLS handshake starts with 0x16); a TLS connection is
// held until the plain request has arrived, which a ping that asked one after the other never sends.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { type Socket, createServer as createNetServer } from 'node:net';
import type { Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { anonymousRegistries, freePort, makeCertificates } from './harness.js';

describe('ping of an insecure registry', () => {
  let port = 0;
  let tls: 'refused' | 'served' = 'refused';
  const seen: string[] = [];
  let plainArrived: () => void = () => undefined;
  let plainSeen = new Promise<void>((resolve) => (plainArrived = resolve));
  const sockets = new Set<Socket>();
  // Each connection is read by hand: Node's HTTP server reads a socket's handle directly and would
  // miss the byte put back after sniffing.
  const serve = (stream: Duplex, scheme: 'http' | 'https'): void => {
    let buffered = '';
    stream.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      for (let end = buffered.indexOf('\r\n\r\n'); end >= 0; end = buffered.indexOf('\r\n\r\n')) {
        const [method, url] = buffered.slice(0, end).split(' ');
        buffered = buffered.slice(end + 4);
        seen.push(`${scheme} ${method} ${url}`);
        if (scheme === 'http') plainArrived();
        const body = url === '/v2/' ? '{}' : '{"errors":[{"code":"MANIFEST_UNKNOWN"}]}';
        const status = url === '/v2/' ? '200 OK' : '404 Not Found';
        stream.write(
          `HTTP/1.1 ${status}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${method === 'HEAD' ? '' : body}`,
        );
      }
    });
    stream.on('error', () => undefined);
  };
  const certificates = makeCertificates();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      socket.unshift(chunk);
      if (chunk[0] !== 0x16) {
        serve(socket, 'http');
        return void socket.resume();
      }
      seen.push('tls held');
      void plainSeen.then(() => {
        seen.push(socket.destroyed ? 'tls given up before plain' : 'tls still asking at plain');
        if (tls === 'refused') return void socket.destroy();
        const secure = new TLSSocket(socket, {
          isServer: true,
          key: readFileSync(certificates.serverKey),
          cert: readFileSync(certificates.serverCert),
        });
        serve(secure, 'https');
        socket.resume();
      });
    });
  });
  before(async () => {
    port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  const reset = (mode: typeof tls) => {
    tls = mode;
    seen.length = 0;
    plainSeen = new Promise<void>((resolve) => (plainArrived = resolve));
  };

  it('asks plain HTTP while HTTPS is still unanswered, and takes it once HTTPS fails', { timeout: 20_000 }, async () => {
    reset('refused');
    const registries = anonymousRegistries([`127.0.0.1:${port}`]);
    try {
      const client = registries.client(`127.0.0.1:${port}`);
      await client.ping();
      await client.resolve('team/app', 'v1').catch(() => undefined);
      assert.deepEqual(seen.slice(0, 2).sort(), ['http GET /v2/', 'tls held']);
      assert.equal(seen[2], 'tls still asking at plain');
      assert.ok(seen.includes('http HEAD /v2/team/app/manifests/v1'), seen.join('\n'));
    } finally {
      await registries.close();
    }
  });

  it('still uses HTTPS when it answers, even after the plain answer came first', { timeout: 20_000 }, async () => {
    reset('served');
    const registries = anonymousRegistries([`127.0.0.1:${port}`]);
    try {
      const client = registries.client(`127.0.0.1:${port}`);
      await client.ping();
      await client.resolve('team/app', 'v1').catch(() => undefined);
      assert.ok(seen.includes('https GET /v2/'), seen.join('\n'));
      assert.ok(seen.includes('https HEAD /v2/team/app/manifests/v1'), seen.join('\n'));
      assert.ok(!seen.some((line) => line.startsWith('http HEAD')), seen.join('\n'));
    } finally {
      await registries.close();
    }
  });
});
