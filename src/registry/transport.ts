// How ferry reaches one registry: which scheme (HTTPS verified, or, only for a listed insecure
// registry, HTTPS unverified and then plain HTTP), keep-alive connections through one undici Agent,
// retries with capped back-off, and redirects that never carry credentials to another origin.
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { rootCertificates } from 'node:tls';
import { Agent, type Dispatcher, request } from 'undici';
import { RegistryError } from './errors.js';
import { type RetryPolicy, isRetriableStatus, isTransientError, parseRetryAfter, retryDelay } from './retry.js';

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface TransportOptions {
  /** `host[:port]` of registries that may be reached unverified or over plain HTTP. */
  readonly insecureRegistries: readonly string[];
  /** PEM certificates trusted in addition to the system roots. */
  readonly caCertificates: readonly string[];
  readonly retry: RetryPolicy;
  readonly userAgent: string;
  /** Milliseconds to wait for response headers, and between body chunks. */
  readonly headersTimeoutMs?: number;
  readonly bodyTimeoutMs?: number;
}

export interface TransportRequest {
  readonly method: Method;
  /** An absolute URL, or a path starting with `/` on the registry. */
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Called for every try, so a retried request sends its body again; undefined for no body. */
  readonly body?: () => Buffer | Readable;
  /** Follow redirects (blob reads); Authorization is dropped when one leaves the registry's origin. */
  readonly followRedirects?: boolean;
  /** Retry on transient failures; false when the body cannot be sent twice. */
  readonly retry?: boolean;
}

export interface TransportResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Dispatcher.ResponseData['body'];
  /** The URL that answered, after redirects. */
  readonly url: string;
}

export function header(response: TransportResponse, name: string): string | undefined {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

const plainHttpSymptoms = /wrong version number|packet length too long|EPROTO|ERR_SSL_|http request|unknown protocol/i;

function describeConnectionError(error: unknown): string {
  const parts: string[] = [];
  for (let current = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    parts.push(typeof code === 'string' && !current.message.includes(code) ? `${current.message} (${code})` : current.message);
  }
  return (parts.join(': ') || String(error)).replace(/\s+/g, ' ').trim();
}

function isTlsVerificationError(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    const code = String((current as { code?: unknown }).code ?? '');
    if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|UNABLE_TO_GET_ISSUER/.test(code)) return true;
  }
  return false;
}

/** A shared agent for origins other than registries (redirect targets such as object stores). */
export function externalAgent(options: TransportOptions): Agent {
  return new Agent({
    connect: options.caCertificates.length > 0 ? { ca: [...rootCertificates, ...options.caCertificates] } : {},
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs,
  });
}

export class RegistryTransport {
  /** The host that answers the API (Docker Hub's API is not at docker.io). */
  readonly apiHost: string;
  readonly insecure: boolean;
  private readonly agent: Agent;
  private base: Promise<string> | undefined;
  /** The WWW-Authenticate of the first /v2/ answer, so the first real request can carry credentials. */
  pingChallenge: string | string[] | undefined;

  constructor(
    readonly registry: string,
    private readonly options: TransportOptions,
    private readonly external: Agent,
  ) {
    this.apiHost = registry === 'docker.io' ? 'registry-1.docker.io' : registry;
    this.insecure = options.insecureRegistries.includes(registry);
    const ca = options.caCertificates.length > 0 ? [...rootCertificates, ...options.caCertificates] : undefined;
    this.agent = new Agent({
      connect: this.insecure ? { rejectUnauthorized: false } : ca ? { ca } : {},
      headersTimeout: options.headersTimeoutMs,
      bodyTimeout: options.bodyTimeoutMs,
      keepAliveTimeout: 30_000,
    });
  }

  /**
   * `https://host` or, for an insecure registry whose HTTPS does not answer, `http://host`. Decided
   * once, by the first request to `/v2/`; its answer (200 or 401 with challenges) is returned too.
   */
  baseUrl(): Promise<string> {
    this.base ??= this.chooseScheme();
    return this.base;
  }

  private async chooseScheme(): Promise<string> {
    const https = `https://${this.apiHost}`;
    const ping = async (base: string): Promise<string> => {
      const response = await this.exchange({ method: 'GET', url: `${base}/v2/` }, this.agent);
      await response.body.dump();
      if (response.status === 401) this.pingChallenge = response.headers['www-authenticate'];
      return base;
    };
    try {
      return await ping(https);
    } catch (error) {
      if (this.insecure) return ping(`http://${this.apiHost}`);
      const reason = describeConnectionError(error);
      if (isTlsVerificationError(error)) {
        throw new RegistryError(
          { registry: this.registry, operation: 'connect' },
          `TLS verification failed (${reason}): add the registry's CA to registry-ca-certs, or list ${this.registry} in insecure-registries`,
          { cause: error },
        );
      }
      if (plainHttpSymptoms.test(reason)) {
        throw new RegistryError(
          { registry: this.registry, operation: 'connect' },
          `the registry does not speak HTTPS (${reason}); ferry never downgrades to plain HTTP on its own: list ${this.registry} in insecure-registries if it is meant to be reached over HTTP`,
          { cause: error },
        );
      }
      throw new RegistryError({ registry: this.registry, operation: 'connect' }, reason, { cause: error });
    }
  }

  /** One HTTP exchange with retries on transient failures; no redirects, no auth. */
  private async exchange(req: TransportRequest & { url: string }, dispatcher: Dispatcher): Promise<TransportResponse> {
    const policy = this.options.retry;
    const attempts = req.retry === false ? 1 : policy.attempts;
    for (let attempt = 1; ; attempt++) {
      let response: Dispatcher.ResponseData;
      try {
        response = await request(req.url, {
          method: req.method,
          headers: { 'user-agent': this.options.userAgent, ...req.headers },
          body: req.body?.(),
          dispatcher,
        });
      } catch (error) {
        if (attempt < attempts && isTransientError(error)) {
          await sleep(retryDelay(policy, attempt));
          continue;
        }
        throw error;
      }
      if (attempt < attempts && isRetriableStatus(response.statusCode)) {
        await response.body.dump();
        const retryAfter = response.headers['retry-after'];
        await sleep(retryDelay(policy, attempt, parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter)));
        continue;
      }
      return { status: response.statusCode, headers: response.headers, body: response.body, url: req.url };
    }
  }

  /**
   * Sends a request (relative URLs resolve against the registry's base), following redirects if asked.
   * Authorization is dropped as soon as a redirect leaves the origin the request was made to.
   */
  async send(req: TransportRequest): Promise<TransportResponse> {
    const base = await this.baseUrl();
    const registryOrigin = new URL(base).origin;
    let url = req.url.startsWith('/') ? base + req.url : req.url;
    const requestOrigin = new URL(url).origin;
    let headers = { ...req.headers };
    for (let redirects = 0; ; redirects++) {
      const origin = new URL(url).origin;
      if (origin !== requestOrigin) {
        headers = Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'));
      }
      let response: TransportResponse;
      try {
        response = await this.exchange({ ...req, url, headers }, origin === registryOrigin ? this.agent : this.external);
      } catch (error) {
        const operation = `${req.method} ${new URL(url).pathname}`;
        throw new RegistryError({ registry: this.registry, operation }, describeConnectionError(error), { cause: error });
      }
      const location = header(response, 'location');
      if (!req.followRedirects || ![301, 302, 303, 307, 308].includes(response.status) || location === undefined) return response;
      await response.body.dump();
      if (redirects >= 5) {
        throw new RegistryError({ registry: this.registry, operation: `${req.method} ${req.url}` }, 'more than 5 redirects');
      }
      url = new URL(location, url).toString();
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
