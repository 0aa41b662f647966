// One client per registry for a run, sharing the credential store and options; closed at the end.
import { Authenticator } from './auth.js';
import { RegistryClient } from './client.js';
import { RegistryError } from './errors.js';
import type { CredentialStore } from './credentials.js';
import { type RetryPolicy, defaultRetryPolicy } from './retry.js';
import { RegistryTransport, type TransportOptions, externalAgent } from './transport.js';

export interface RegistriesOptions {
  readonly insecureRegistries: readonly string[];
  readonly caCertificates: readonly string[];
  readonly credentials: CredentialStore;
  readonly onSecret: (secret: string) => void;
  readonly retry?: RetryPolicy;
  readonly userAgent?: string;
  readonly headersTimeoutMs?: number;
  readonly bodyTimeoutMs?: number;
  /** Registries that only the checkout's skaffold.yaml lists as insecure, and that file's name. */
  readonly insecureFromCheckout?: { readonly file: string; readonly registries: readonly string[] };
}

export class Registries {
  private readonly clients = new Map<string, { client: RegistryClient; transport: RegistryTransport }>();
  private readonly transportOptions: TransportOptions;
  private readonly external;

  constructor(private readonly options: RegistriesOptions) {
    this.transportOptions = {
      insecureRegistries: options.insecureRegistries,
      caCertificates: options.caCertificates,
      retry: options.retry ?? defaultRetryPolicy,
      userAgent: options.userAgent ?? 'ferry',
      headersTimeoutMs: options.headersTimeoutMs,
      bodyTimeoutMs: options.bodyTimeoutMs,
    };
    this.external = externalAgent(this.transportOptions);
  }

  client(registry: string): RegistryClient {
    let entry = this.clients.get(registry);
    if (entry === undefined) {
      const transport = new RegistryTransport(registry, this.transportOptions, this.external);
      const authenticator = new Authenticator({
        transport,
        insecureRegistries: this.options.insecureRegistries,
        onSecret: this.options.onSecret,
      });
      const fromCheckout = this.options.insecureFromCheckout;
      const guard =
        fromCheckout !== undefined && fromCheckout.registries.includes(registry)
          ? () => this.refuseInsecureWithCredentials(registry, fromCheckout.file)
          : undefined;
      entry = { transport, client: new RegistryClient({ transport, authenticator, credentials: this.options.credentials, guard }) };
      this.clients.set(registry, entry);
    }
    return entry.client;
  }

  /** The checkout may make a registry insecure only where no credential could be sent in the clear. */
  private async refuseInsecureWithCredentials(registry: string, file: string): Promise<void> {
    const [found] = await this.options.credentials.anyFor(registry);
    if (found === undefined) return;
    throw new RegistryError(
      { registry, operation: 'connect' },
      `${file} in the checkout lists ${registry} as insecure, and ferry has credentials for it (${found.source}); credentials are never sent without TLS on the checkout's word: list ${registry} in the insecure-registries input to allow it`,
    );
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map(({ transport }) => transport.close()));
    await this.external.close();
  }
}
