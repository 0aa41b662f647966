// A fault-injecting proxy in front of a real registry, streaming (blobs are not buffered): a schedule
// of faults by request count (every 7th request 503, every 11th 429 with Retry-After: 1, every 5th
// blob GET cut mid-body), or a storm of 429s, and a count of requests in flight. Loopback only.
import { type IncomingMessage, type Server, type ServerResponse, createServer, request as httpRequest } from 'node:http';
import { freePort } from './harness.js';

export interface Schedule {
  /** Every nth request answers 503 (0: never). */
  readonly every503: number;
  /** Every nth request answers 429 with Retry-After: 1 (0: never). */
  readonly every429: number;
  /** Every nth blob GET is cut after half its body (0: never). */
  readonly cutBlobEvery: number;
}

export const faultSchedule: Schedule = { every503: 7, every429: 11, cutBlobEvery: 5 };
export const noFaults: Schedule = { every503: 0, every429: 0, cutBlobEvery: 0 };

export interface FaultProxy {
  readonly host: string;
  schedule: Schedule;
  /** While true, every request is answered 429 (Retry-After: 1). */
  storm: boolean;
  /** Each request waits this long before anything happens (a registry that takes its time). */
  delayMs: number;
  /** Blob bodies are sent at this rate, in 16 KiB steps (a slow link); 0: as fast as they come. */
  blobBytesPerSecond: number;
  /** Each manifest PUT by tag waits this long before it is passed on (the commit point, held open). */
  tagPutDelayMs: number;
  /** Requests by outcome, and the most in flight at once (overall, and while storming). */
  readonly counts: { requests: number; injected: number; cut: number; inFlight: number; maxInFlight: number; tagPuts: number };
  /** Requests in flight each time one arrived, with the time, for the back-pressure test. */
  readonly arrivals: { at: number; inFlight: number; storm: boolean }[];
  readonly stop: () => Promise<void>;
}

function answer(response: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ errors: [{ code: status === 429 ? 'TOOMANYREQUESTS' : 'UNAVAILABLE', message: 'injected by the test' }] });
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': String(body.length), ...headers }).end(body);
}

export async function startFaultProxy(target: string, schedule: Schedule = faultSchedule): Promise<FaultProxy> {
  const [hostname, port] = target.split(':');
  let blobGets = 0;
  const proxy: FaultProxy = {
    host: '',
    schedule,
    storm: false,
    delayMs: 0,
    blobBytesPerSecond: 0,
    tagPutDelayMs: 0,
    counts: { requests: 0, injected: 0, cut: 0, inFlight: 0, maxInFlight: 0, tagPuts: 0 },
    arrivals: [],
    stop: async () => undefined,
  };
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const tagPut = request.method === 'PUT' && /\/manifests\/(?!sha256:)[^/]+$/.test(request.url ?? '');
    if (tagPut) proxy.counts.tagPuts++;
    const delay = proxy.delayMs + (tagPut ? proxy.tagPutDelayMs : 0);
    if (delay > 0) {
      request.pause();
      setTimeout(() => handle(request, response), delay);
    } else handle(request, response);
  });
  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const counts = proxy.counts;
    const n = ++counts.requests;
    counts.inFlight++;
    counts.maxInFlight = Math.max(counts.maxInFlight, counts.inFlight);
    proxy.arrivals.push({ at: Date.now(), inFlight: counts.inFlight, storm: proxy.storm });
    response.on('close', () => counts.inFlight--);
    const { every503, every429, cutBlobEvery } = proxy.schedule;
    // The ping is left alone: a registry that fails /v2/ is a different test.
    const isPing = request.url === '/v2/';
    if (proxy.storm && !isPing) {
      counts.injected++;
      request.resume();
      answer(response, 429, { 'retry-after': '1' });
      return;
    }
    if (!isPing && every503 > 0 && n % every503 === 0) {
      counts.injected++;
      request.resume();
      answer(response, 503);
      return;
    }
    if (!isPing && every429 > 0 && n % every429 === 0) {
      counts.injected++;
      request.resume();
      answer(response, 429, { 'retry-after': '1' });
      return;
    }
    const isBlobGet = request.method === 'GET' && /\/blobs\/sha256:/.test(request.url ?? '');
    const cut = isBlobGet && cutBlobEvery > 0 && ++blobGets % cutBlobEvery === 0;
    const upstream = httpRequest(
      { hostname, port: Number(port), method: request.method, path: request.url, headers: request.headers },
      (reply) => {
        response.writeHead(reply.statusCode ?? 502, reply.headers);
        const length = Number(reply.headers['content-length']);
        if (cut && reply.statusCode === 200 && length > 1) {
          counts.cut++;
          let sent = 0;
          reply.on('data', (chunk: Buffer) => {
            if (sent >= length / 2) return;
            const part = chunk.subarray(0, Math.max(0, Math.ceil(length / 2) - sent));
            sent += part.length;
            response.write(part, () => {
              if (sent >= length / 2) response.socket?.destroy();
            });
          });
          return;
        }
        if (isBlobGet && proxy.blobBytesPerSecond > 0) {
          // A slow link: each 16 KiB step waits its share of a second; the reply is paused meanwhile.
          const step = 16 * 1024;
          let pacing = false;
          let ended = false;
          const pace = (chunk: Buffer, at: number): void => {
            if (at >= chunk.length) {
              pacing = false;
              if (ended) response.end();
              else reply.resume();
              return;
            }
            const part = chunk.subarray(at, at + step);
            setTimeout(
              () => {
                response.write(part);
                pace(chunk, at + step);
              },
              (1000 * part.length) / proxy.blobBytesPerSecond,
            );
          };
          reply.on('data', (chunk: Buffer) => {
            reply.pause();
            pacing = true;
            pace(chunk, 0);
          });
          // The body ends once its last step is sent, not when the registry's reply ends.
          reply.on('end', () => {
            ended = true;
            if (!pacing) response.end();
          });
          return;
        }
        reply.pipe(response);
      },
    );
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  };
  const listenPort = await freePort();
  await new Promise<void>((resolve) => server.listen(listenPort, '127.0.0.1', resolve));
  Object.assign(proxy, {
    host: `127.0.0.1:${listenPort}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return proxy;
}
