// One HTTP exchange over undici: a request and its response, with the time-outs a registry gets and
// nothing else (no retry, no redirect, no credential). Bodies are read with a bound.
import type { Readable } from 'node:stream';
import { type Dispatcher, request } from './undici.js';

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  readonly method: Method;
  /** Absolute. */
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Called for every send, so a request sent again sends its body anew; undefined for no body. */
  readonly body?: () => Buffer | Readable;
  readonly signal?: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Dispatcher.ResponseData['body'];
  /** The URL that answered. */
  readonly url: string;
}

export function header(response: Pick<HttpResponse, 'headers'>, name: string): string | undefined {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Rejects as soon as `signal` aborts, whatever `work` is waiting for (undici does not abort a TLS handshake). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(signal.reason as Error);
  }
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', abort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error as Error);
      },
    );
  });
}

export async function exchange(req: HttpRequest, dispatcher: Dispatcher, userAgent: string): Promise<HttpResponse> {
  const pending = request(req.url, {
    method: req.method,
    headers: { 'user-agent': userAgent, ...req.headers },
    body: req.body?.(),
    dispatcher,
    // undici closes the connection after every HEAD unless told otherwise (against servers that send a
    // body after all), and a re-run is mostly HEADs: each would pay a new connection, a round trip more
    // (three with TLS). Registries answer HEAD as HTTP says; should one not, its stray bytes either
    // arrive on an idle connection (undici drops it) or spoil the next answer on it, which fails as
    // unparsable and is sent again on a new connection (retry.ts).
    ...(req.method === 'HEAD' ? { reset: false } : {}),
    ...(req.signal === undefined ? {} : { signal: req.signal }),
  });
  const response = await untilAborted(pending, req.signal);
  return { status: response.statusCode, headers: response.headers, body: response.body, url: req.url };
}

/** The body, up to `limit` bytes; more (declared or sent) fails without reading further. */
export async function readBody(response: HttpResponse, limit: number, fail: (reason: string) => Error): Promise<Buffer> {
  const declared = Number(header(response, 'content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    response.body.destroy();
    throw fail(`${declared} bytes is more than the ${limit} ferry reads`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    total += (chunk as Buffer).length;
    if (total > limit) {
      response.body.destroy();
      throw fail(`more than the ${limit} bytes ferry reads`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The start of a body as text (an error message), never more than `limit` bytes of it. */
export async function readText(response: HttpResponse, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of response.body) {
      const buffer = chunk as Buffer;
      chunks.push(buffer.subarray(0, Math.max(0, limit - total)));
      total += buffer.length;
      if (total >= limit) break;
    }
  } catch {
    // what arrived is what there is
  } finally {
    response.body.destroy();
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Discards a body without reading an endless one. */
export async function discard(response: HttpResponse): Promise<void> {
  await response.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
}
