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
  /** With TLS answered as `mode`, a ping and then a lookup of a tag (which the server answers 404); what the server saw. */
  const pingThenLookUp = async (mode: typeof tls): Promise<string[]> => {
    tls = mode;
    seen.length = 0;
    plainSeen = new Promise<void>((resolve) => (plainArrived = resolve));
    const registries = anonymousRegistries([`127.0.0.1:${port}`]);
    try {
      const client = registries.client(`127.0.0.1:${port}`);
      await client.ping();
      await client.resolve('team/app', 'v1').catch(() => undefined);
      return [...seen];
    } finally {
      await registries.close();
    }
  };

  it('asks plain HTTP while HTTPS is still unanswered, and takes it once HTTPS fails', { timeout: 20_000 }, async () => {
    const saw = await pingThenLookUp('refused');
    assert.deepEqual(saw.slice(0, 2).sort(), ['http GET /v2/', 'tls held']);
    assert.equal(saw[2], 'tls still asking at plain');
    assert.ok(saw.includes('http HEAD /v2/team/app/manifests/v1'), saw.join('\n'));
  });

  it('still uses HTTPS when it answers, even after the plain answer came first', { timeout: 20_000 }, async () => {
    const saw = await pingThenLookUp('served');
    assert.ok(saw.includes('https GET /v2/'), saw.join('\n'));
    assert.ok(saw.includes('https HEAD /v2/team/app/manifests/v1'), saw.join('\n'));
    assert.ok(!saw.some((line) => line.startsWith('http HEAD')), saw.join('\n'));
  });
});
