// One registry host and its state for a run: the base URL its ping chose, the connections (one undici
// Agent), the limiter of requests in flight, the origin policy for URLs it hands back, the retry
// policy and the run's deadline. `send` is one request through all of them; `retry` runs a whole
// operation again as the policy allows.
import type { Readable } from 'node:stream';
import type { Agent } from './undici.js';
import { apiHostOf } from '../oci/repository.js';
import { RegistryError, verdictOf } from './errors.js';
import { type HttpResponse, type Method, discard, exchange, header } from './exchange.js';
import type { HostLimiter, Lane } from './limiter.js';
import { OriginPolicy } from './origin.js';
import { type Ping, describeConnectionError, ping } from './ping.js';
import { type Deadline, type RetryPolicy, deadlineOr, isRefused, isTransientError, retryOperation } from './retry.js';

export interface TransportRequest {
  readonly method: Method;
  /** A path starting with `/` on the registry, or an absolute URL the registry handed back. */
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Called for every send, so a request sent again sends its body anew. */
  readonly body?: () => Buffer | Readable;
  /** Follow redirects (blob reads). */
  readonly followRedirects?: boolean;
  /** Cancels the request as the run's deadline does (a blob read whose reader left). */
  readonly signal?: AbortSignal;
}

/** Bodies larger than this hold a body slot while they stream; smaller ones are light requests. */
export const bodyLaneBytes = 256 * 1024;

function laneOf(req: TransportRequest): Lane {
  return req.body !== undefined && Number(req.headers?.['content-length'] ?? 0) > bodyLaneBytes ? 'body' : 'light';
}

export interface HostOptions {
  readonly registry: string;
  readonly insecure: boolean;
  readonly insecureHosts: readonly string[];
  /** Connections to the registry itself. */
  readonly agent: Agent;
  /** Connections to other origins (object stores behind redirects, token realms). */
  readonly external: Agent;
  readonly userAgent: string;
  readonly limiter: HostLimiter;
  readonly retry: RetryPolicy;
  readonly deadline: Deadline;
  /** Told of origin decisions and slow-downs, each once. */
  readonly onNotice: (message: string) => void;
  /** Told of each wait before another try that is long enough for a person to wonder (over 2 s), and of the retries of a host that refuses connections. */
  readonly onLog?: (message: string) => void;
  /** Told of every operation about to be tried again (for progress lines). */
  readonly onRetry?: () => void;
}

const maxRedirects = 5;
/** A wait before another try longer than this gets a line in the log: the run is not stuck, it waits. */
const loggedWaitMs = 2000;

export class RegistryHost {
  readonly registry: string;
  /** The host that answers the API (Docker Hub's API is not at docker.io). */
  readonly apiHost: string;
  private pinged: Promise<Ping> | undefined;
  /** Retries of refused connections said so far: a host down mid-run fills no log. */
  private refusedLines = 0;
  private readonly origin: OriginPolicy;

  constructor(private readonly options: HostOptions) {
    this.registry = options.registry;
    this.apiHost = apiHostOf(options.registry);
    this.origin = new OriginPolicy(options.registry, options.insecureHosts, options.onNotice);
  }

  get limiter(): HostLimiter {
    return this.options.limiter;
  }

  get deadline(): Deadline {
    return this.options.deadline;
  }

  get policy(): RetryPolicy {
    return this.options.retry;
  }

  /** Tells the run something about this registry once (the caller keeps it to once). */
  notice(message: string): void {
    this.options.onNotice(message);
  }

  /** Runs `operation` again from the start while its failures are retriable, as the policy and deadline allow. */
  retry<T>(operation: (attempt: number) => Promise<T>): Promise<T> {
    return retryOperation(
      {
        policy: this.options.retry,
        deadline: this.options.deadline,
        verdict: verdictOf,
        onRetry: (error, waitMs, attempt) => {
          this.options.onRetry?.();
          // A long wait is said, and so are the retries of a host that refuses connections, numbered from
          // the first: those of its ping (which stays failed for the run), at most a try's worth a host.
          const refused = isRefused(error) && this.refusedLines < this.options.retry.attempts - 1;
          if (refused) this.refusedLines++;
          if (waitMs > loggedWaitMs || refused)
            this.options.onLog?.(
              `${(error as Error).message}: retry ${attempt} of ${this.options.retry.attempts - 1} in ${(waitMs / 1000).toFixed(1)} s`,
            );
        },
      },
      operation,
    );
  }

  /**
   * The base URL and first challenge, from one ping (retried as the policy allows), decided once per
   * run. A registry that could not be pinged stays failed for the run: every operation fails at once
   * with that reason, rather than each retrying the ping as many times again.
   */
  base(): Promise<Ping> {
    this.pinged ??= this.retry(() =>
      ping(this.registry, this.apiHost, this.options.insecure, (url, signal) =>
        this.limited(() =>
          exchange(
            {
              method: 'GET',
              url,
              signal: deadlineOr(this.options.deadline, signal),
            },
            this.options.agent,
            this.options.userAgent,
          ),
        ),
      ),
    ).catch((error: unknown) => {
      if (!(error instanceof RegistryError)) throw error;
      throw new RegistryError(
        { registry: error.registry, operation: error.operation, status: error.status, codes: error.codes, retriable: false },
        error.reason,
        {
          cause: error,
        },
      );
    });
    return this.pinged;
  }

  private limited(send: () => Promise<HttpResponse>, lane: Lane = 'light'): Promise<HttpResponse> {
    return this.options.limiter.run(
      send,
      (response) => ({
        status: response.status,
        retryAfter: header(response, 'retry-after') !== undefined,
      }),
      lane,
    );
  }

  private failure(method: string, url: URL, error: unknown): RegistryError {
    if (this.options.deadline.signal.aborted) {
      return new RegistryError(
        { registry: this.registry, operation: `${method} ${url.pathname}`, retriable: false },
        `stopped at the run's deadline (${this.options.deadline.describe})`,
        {
          cause: error,
        },
      );
    }
    return new RegistryError(
      { registry: this.registry, operation: `${method} ${url.pathname}`, retriable: isTransientError(error) },
      describeConnectionError(error),
      { cause: error },
    );
  }

  /** One request to the registry (or a URL it handed back), following redirects when asked. */
  async send(req: TransportRequest): Promise<HttpResponse> {
    const { base } = await this.base();
    const registryOrigin = new URL(base).origin;
    let url = new URL(req.url.startsWith('/') ? base + req.url : req.url);
    let why = 'handed back a URL';
    for (let redirects = 0; ; redirects++) {
      let decision;
      try {
        decision = this.origin.decide(url, registryOrigin, req.headers ?? {}, why);
      } catch (error) {
        throw new RegistryError(
          { registry: this.registry, operation: `${req.method} ${url.pathname}`, retriable: false },
          (error as Error).message,
        );
      }
      const request = {
        method: req.method,
        url: url.toString(),
        headers: decision.headers,
        ...(req.body ? { body: req.body } : {}),
        signal: deadlineOr(this.options.deadline, req.signal),
      };
      let response: HttpResponse;
      try {
        response = decision.sameOrigin
          ? await this.limited(() => exchange(request, this.options.agent, this.options.userAgent), laneOf(req))
          : await exchange(request, this.options.external, this.options.userAgent);
      } catch (error) {
        throw this.failure(req.method, url, error);
      }
      const location = header(response, 'location');
      if (!req.followRedirects || ![301, 302, 303, 307, 308].includes(response.status) || location === undefined) return response;
      await discard(response);
      if (redirects >= maxRedirects) {
        throw new RegistryError(
          { registry: this.registry, operation: `${req.method} ${url.pathname}`, retriable: false },
          `more than ${maxRedirects} redirects`,
        );
      }
      url = new URL(location, url);
      why = 'redirected';
    }
  }

  /** A request to a token realm the registry named: the credentials given go there, over TLS (or to a listed insecure host). */
  async sendToRealm(req: {
    method: Method;
    url: string;
    headers: Readonly<Record<string, string>>;
    body?: () => Buffer;
  }): Promise<HttpResponse> {
    const url = new URL(req.url);
    const { base } = await this.base();
    const agent = url.origin === new URL(base).origin ? this.options.agent : this.options.external;
    try {
      return await exchange({ ...req, signal: this.options.deadline.signal }, agent, this.options.userAgent);
    } catch (error) {
      throw this.failure(req.method, url, error);
    }
  }

  /** Ends every connection: at the end of a run nothing is left to wait for (an aborted connect would hold close()). */
  async close(): Promise<void> {
    await this.options.agent.destroy();
  }
}
