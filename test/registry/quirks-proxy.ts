// A proxy in front of a real registry that answers as registries other than distribution do, one
// switch per behaviour, streaming (blobs are not buffered), loopback only. Each switch follows what a
// vendor's registry is documented or reported to do:
// - mount: Harbor answers 401 to a cross-project mount; others 403, 404 or 405; some 202 without mounting.
// - manifestHead: registries and front ends that answer 405 (or 400, 501) to HEAD on a manifest.
// - missingAs403: registries that hide existence answer 403 DENIED where distribution answers 404.
// - noDigestHeader: answers without Docker-Content-Digest (some proxies and older registries).
// - refuseChunked: a destination that answers 411 to a body sent without Content-Length.
// - relativeLocation: upload sessions handed back as a path (GCR, ACR), not an absolute URL.
// - tagPageSize: tag lists paged with Link, a few tags a page (Quay, Docker Hub, GHCR page them).
// - referrers405: the referrers API route refused with 405 instead of 404.
// - manifestPut200: a manifest PUT answered 200 rather than 201 (Artifactory, Nexus).
// - blobRedirect: blob reads redirected (307) to another origin, as object stores behind ECR, GCR, Docker Hub.
// - tokensDieAfter: a bearer token refused (401, the registry's challenge) after n uses, though it has not expired.
// - rateLimitHeaders: Docker Hub's ratelimit-limit and ratelimit-remaining on every answer.
import { type IncomingMessage, type Server, type ServerResponse, createServer, request as httpRequest } from 'node:http';
import { freePort } from './harness.js';

export interface Quirks {
  mount?: 401 | 403 | 404 | 405 | 'accept-without-mount';
  manifestHead?: 400 | 405 | 501;
  missingAs403?: boolean;
  noDigestHeader?: boolean;
  refuseChunked?: boolean;
  relativeLocation?: boolean;
  tagPageSize?: number;
  referrers405?: boolean;
  manifestPut200?: boolean;
  blobRedirect?: boolean;
  tokensDieAfter?: number;
  rateLimitHeaders?: boolean;
}

export interface QuirksProxy {
  readonly host: string;
  /** The origin blob reads are redirected to, when blobRedirect is on. */
  readonly cdnHost: string;
  quirks: Quirks;
  /** Requests seen (method and path), and the quirk answers given, for the tests. */
  readonly seen: string[];
  readonly answered: string[];
  readonly stop: () => Promise<void>;
}

function answer(response: ServerResponse, status: number, code: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ errors: [{ code, message: `answered by the quirks proxy (${status})` }] });
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': String(body.length), ...headers }).end(body);
}

/** Forwards a request to the registry, and lets `reply` change the answer's status and headers. */
function forward(
  target: { hostname: string; port: number },
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  reply: (status: number, headers: Record<string, string | string[] | undefined>) => number = (status) => status,
): void {
  const upstream = httpRequest({ ...target, method: request.method, path, headers: request.headers }, (answered) => {
    const headers = { ...answered.headers };
    const status = reply(answered.statusCode ?? 502, headers);
    response.writeHead(status, headers);
    answered.pipe(response);
  });
  upstream.on('error', () => response.destroy());
  request.pipe(upstream);
}

/**
 * A tag list in pages of `size`, the next named by Link with `last` (distribution 2.8 lists every tag
 * at once): the registry's whole list, sorted, cut after `last`.
 */
function pageTags(target: { hostname: string; port: number }, request: IncomingMessage, response: ServerResponse, size: number): void {
  const url = new URL(request.url ?? '/', 'http://proxy');
  const upstream = httpRequest({ ...target, method: 'GET', path: url.pathname, headers: request.headers }, (answered) => {
    const chunks: Buffer[] = [];
    answered.on('data', (chunk: Buffer) => chunks.push(chunk));
    answered.on('end', () => {
      if (answered.statusCode !== 200) {
        response.writeHead(answered.statusCode ?? 502, answered.headers).end(Buffer.concat(chunks));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { name: string; tags: string[] | null };
      const tags = [...(body.tags ?? [])].sort();
      const last = url.searchParams.get('last');
      const from = last === null ? 0 : tags.findIndex((tag) => tag > last);
      const page = from < 0 ? [] : tags.slice(from, from + size);
      const more = from >= 0 && from + size < tags.length;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (more) headers.link = `<${url.pathname}?n=${size}&last=${encodeURIComponent(page[page.length - 1] ?? '')}>; rel="next"`;
      response.writeHead(200, headers).end(JSON.stringify({ name: body.name, tags: page }));
    });
  });
  upstream.on('error', () => response.destroy());
  upstream.end();
  request.resume();
}

export async function startQuirksProxy(target: string, quirks: Quirks = {}): Promise<QuirksProxy> {
  const [hostname = '127.0.0.1', port] = target.split(':');
  const upstream = { hostname, port: Number(port) };
  const tokenUses = new Map<string, number>();
  let challenge: string | undefined;
  const proxy: QuirksProxy = { host: '', cdnHost: '', quirks, seen: [], answered: [], stop: async () => undefined };
  const quirk = (name: string, response: ServerResponse, status: number, code: string, headers?: Record<string, string>): void => {
    proxy.answered.push(name);
    answer(response, status, code, headers);
  };

  const server: Server = createServer((request, response) => {
    const q = proxy.quirks;
    const url = request.url ?? '/';
    proxy.seen.push(`${request.method} ${url}`);
    if (q.rateLimitHeaders) {
      response.setHeader('ratelimit-limit', '100;w=21600');
      response.setHeader('ratelimit-remaining', '99;w=21600');
    }
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (q.tokensDieAfter !== undefined && bearer !== undefined && challenge !== undefined) {
      const uses = (tokenUses.get(bearer) ?? 0) + 1;
      tokenUses.set(bearer, uses);
      if (uses === q.tokensDieAfter + 1) {
        request.resume();
        quirk('token died', response, 401, 'UNAUTHORIZED', { 'www-authenticate': challenge });
        return;
      }
    }
    const isManifest = /^\/v2\/.+\/manifests\/[^/]+$/.test(url.split('?')[0] ?? '');
    const isMount = request.method === 'POST' && /\/blobs\/uploads\/\?.*mount=/.test(url);
    if (isMount && q.mount !== undefined) {
      request.resume();
      if (q.mount === 'accept-without-mount') {
        proxy.answered.push('202 without mount');
        forward(upstream, request, response, url.replace(/\?.*$/, ''));
        return;
      }
      quirk(`mount ${q.mount}`, response, q.mount, q.mount === 401 ? 'UNAUTHORIZED' : 'DENIED', q.mount === 405 ? { allow: 'GET' } : {});
      return;
    }
    if (request.method === 'HEAD' && isManifest && q.manifestHead !== undefined) {
      request.resume();
      proxy.answered.push(`manifest HEAD ${q.manifestHead}`);
      response.writeHead(q.manifestHead).end();
      return;
    }
    if (q.referrers405 && /^\/v2\/.+\/referrers\//.test(url)) {
      request.resume();
      quirk('referrers 405', response, 405, 'UNSUPPORTED');
      return;
    }
    if (q.refuseChunked && request.headers['transfer-encoding'] === 'chunked') {
      request.resume();
      quirk('411', response, 411, 'LENGTH_REQUIRED');
      return;
    }
    if (q.blobRedirect && request.method === 'GET' && /\/blobs\/sha256:[0-9a-f]{64}$/.test(url)) {
      request.resume();
      proxy.answered.push('blob redirect');
      response.writeHead(307, { location: `http://${proxy.cdnHost}${url}?signature=x` }).end();
      return;
    }
    if (q.tagPageSize !== undefined && request.method === 'GET' && /\/tags\/list(\?|$)/.test(url)) {
      pageTags(upstream, request, response, q.tagPageSize);
      return;
    }
    forward(upstream, request, response, url, (status, headers) => {
      if (status === 401 && typeof headers['www-authenticate'] === 'string') challenge = headers['www-authenticate'];
      if (q.noDigestHeader) delete headers['docker-content-digest'];
      if (q.relativeLocation && typeof headers.location === 'string') {
        const location = new URL(headers.location, `http://${proxy.host}`);
        headers.location = `${location.pathname}${location.search}`;
      }
      if (q.missingAs403 && status === 404 && isManifest) {
        proxy.answered.push('404 as 403');
        delete headers['content-length'];
        headers['content-type'] = 'application/json';
        return 403;
      }
      if (q.manifestPut200 && request.method === 'PUT' && isManifest && status === 201) {
        proxy.answered.push('manifest PUT 200');
        return 200;
      }
      return status;
    });
  });

  // The "CDN": another origin that serves the blobs it is sent to, from the registry, with no credentials.
  const cdn: Server = createServer((request, response) => {
    const path = (request.url ?? '/').replace(/\?signature=x$/, '');
    const headers = { ...request.headers };
    delete headers.authorization;
    const upstreamRequest = httpRequest({ ...upstream, method: request.method, path, headers }, (answered) => {
      response.writeHead(answered.statusCode ?? 502, answered.headers);
      answered.pipe(response);
    });
    upstreamRequest.on('error', () => response.destroy());
    request.pipe(upstreamRequest);
  });

  const [listenPort, cdnPort] = [await freePort(), await freePort()];
  await new Promise<void>((resolve) => server.listen(listenPort, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => cdn.listen(cdnPort, '127.0.0.1', resolve));
  Object.assign(proxy, {
    host: `127.0.0.1:${listenPort}`,
    cdnHost: `127.0.0.1:${cdnPort}`,
    stop: async () => {
      for (const each of [server, cdn]) {
        each.closeAllConnections();
        await new Promise<void>((resolve) => each.close(() => resolve()));
      }
    },
  });
  return proxy;
}
