// One client per registry for a run, the layers stacked in one place: an undici exchange with time-outs
// sized for registries, the per-host limiter, the origin policy and redirects, the ping, authorization,
// and whole-operation retries under the run's deadline. Closed at the end of the run.
import { rootCertificates } from 'node:tls';
import { Agent } from './undici.js';
import { Authenticator } from './auth.js';
import { Authorizer } from './authorize.js';
import { type ProgressRule, defaultProgressRule } from './blob-read.js';
import { RegistryClient } from './client.js';
import type { CredentialStore } from './credentials.js';
import { RegistryError, Redactor } from './errors.js';
import { RegistryHost } from './host.js';
import { HostLimiter } from './limiter.js';
import { MirroredReader, type MirrorUse, type RegistryReader } from './mirrors.js';
import { type Deadline, type RetryPolicy, defaultRetryPolicy, noDeadline } from './retry.js';

/** How long a registry may take: seconds, not the minutes undici defaults to. */
export interface Timeouts {
  readonly connectMs: number;
  /** From a request sent to its response's headers. */
  readonly headersMs: number;
  /** Between two chunks of a body. */
  readonly bodyIdleMs: number;
  /** The least a body must move in a window. */
  readonly progress: ProgressRule;
}

export const defaultTimeouts: Timeouts = {
  connectMs: 10_000,
  headersMs: 60_000,
  bodyIdleMs: 30_000,
  progress: defaultProgressRule,
};

export interface RegistriesOptions {
  readonly insecureRegistries: readonly string[];
  readonly caCertificates: readonly string[];
  readonly credentials: CredentialStore;
  /** Told of each token a registry hands out, before it is used. */
  readonly onSecret: (secret: string) => void;
  readonly retry?: RetryPolicy;
  readonly userAgent?: string;
  readonly timeouts?: Partial<Timeouts>;
  readonly deadline?: Deadline;
  /** Requests in flight to one registry at most (the `concurrency` input); back-pressure lowers it. */
  readonly concurrency?: number;
  /** Told once of each slow-down and each origin decision. */
  readonly onNotice?: (message: string) => void;
  /** Told of each retry wait of more than 2 s. */
  readonly onLog?: (message: string) => void;
  /** Told of every operation about to be tried again. */
  readonly onRetry?: () => void;
  /** Mirrors to read each registry through first, in order (the registry-mirrors input). */
  readonly mirrors?: ReadonlyMap<string, readonly string[]>;
  /** Registries that only the checkout's skaffold.yaml lists as insecure, and that file's name. */
  readonly insecureFromCheckout?: { readonly file: string; readonly registries: readonly string[] };
}

export class Registries {
  private readonly clients = new Map<string, { client: RegistryClient; host: RegistryHost }>();
  private readonly readers = new Map<string, MirroredReader>();
  private readonly external: Agent;
  private readonly timeouts: Timeouts;
  /** Removes every secret seen (tokens, and the credential store's) from what registries send back. */
  readonly redactor: Redactor;

  constructor(private readonly options: RegistriesOptions) {
    this.redactor = new Redactor(options.credentials.secrets);
    this.timeouts = { ...defaultTimeouts, ...options.timeouts };
    this.external = this.agent(false);
  }

  private agent(insecure: boolean): Agent {
    const ca = this.options.caCertificates.length > 0 ? [...rootCertificates, ...this.options.caCertificates] : undefined;
    return new Agent({
      connect: { timeout: this.timeouts.connectMs, ...(insecure ? { rejectUnauthorized: false } : ca ? { ca } : {}) },
      headersTimeout: this.timeouts.headersMs,
      bodyTimeout: this.timeouts.bodyIdleMs,
      keepAliveTimeout: 30_000,
    });
  }

  private onSecret(secret: string): void {
    this.redactor.add(secret);
    this.options.onSecret(secret);
  }

  client(registry: string): RegistryClient {
    let entry = this.clients.get(registry);
    if (entry === undefined) {
      const notice = this.options.onNotice ?? (() => undefined);
      const limiter = new HostLimiter(this.options.concurrency ?? 8, {
        onSlowDown: (limit, reason) => notice(`${registry} pushes back (${reason}): at most ${limit} requests in flight to it for now`),
      });
      const host = new RegistryHost({
        registry,
        insecure: this.options.insecureRegistries.includes(registry),
        insecureHosts: this.options.insecureRegistries,
        agent: this.agent(this.options.insecureRegistries.includes(registry)),
        external: this.external,
        userAgent: this.options.userAgent ?? 'ferry',
        limiter,
        retry: this.options.retry ?? defaultRetryPolicy,
        deadline: this.options.deadline ?? noDeadline,
        onNotice: notice,
        ...(this.options.onLog === undefined ? {} : { onLog: this.options.onLog }),
        ...(this.options.onRetry === undefined ? {} : { onRetry: this.options.onRetry }),
      });
      const authenticator = new Authenticator({
        host,
        insecureRegistries: this.options.insecureRegistries,
        onSecret: (secret) => this.onSecret(secret),
        redactor: this.redactor,
      });
      const fromCheckout = this.options.insecureFromCheckout;
      const guard =
        fromCheckout !== undefined && fromCheckout.registries.includes(registry)
          ? () => this.refuseInsecureWithCredentials(registry, fromCheckout.file)
          : undefined;
      const authorizer = new Authorizer(host, authenticator, this.options.credentials, guard);
      entry = { host, client: new RegistryClient({ host, authorizer, redactor: this.redactor, progress: this.timeouts.progress }) };
      this.clients.set(registry, entry);
    }
    return entry.client;
  }

  /**
   * What a source reads of `registry`: its client, or, where the registry-mirrors input names mirrors
   * for it, its mirrors first and then the registry.
   */
  reader(registry: string): RegistryReader {
    const mirrors = this.options.mirrors?.get(registry);
    if (mirrors === undefined || mirrors.length === 0) return this.client(registry);
    let reader = this.readers.get(registry);
    if (reader === undefined) {
      reader = new MirroredReader(
        this.client(registry),
        mirrors.map((mirror) => this.client(mirror)),
      );
      this.readers.set(registry, reader);
    }
    return reader;
  }

  /** What came through each mirror this run. */
  mirrorUses(): MirrorUse[] {
    return [...this.readers.values()].flatMap((reader) => reader.uses);
  }

  /** The limiter of a registry this run has talked to (for tests and the report). */
  limiter(registry: string): HostLimiter | undefined {
    return this.clients.get(registry)?.host.limiter;
  }

  /** The checkout may make a registry insecure only where no credential could be sent in the clear. */
  private async refuseInsecureWithCredentials(registry: string, file: string): Promise<void> {
    const [found] = await this.options.credentials.anyFor(registry);
    if (found === undefined) return;
    throw new RegistryError(
      { registry, operation: 'connect', retriable: false },
      `${file} in the checkout lists ${registry} as insecure, and ferry has credentials for it (${found.source}); credentials are never sent without TLS on the checkout's word: list ${registry} in the insecure-registries input to allow it`,
    );
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map(({ host }) => host.close()));
    await this.external.destroy();
  }
}
