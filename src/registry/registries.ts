// One client per registry for a run, sharing the credential store and options; closed at the end.
import { Authenticator } from './auth.js';
import { RegistryClient } from './client.js';
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
      entry = { transport, client: new RegistryClient({ transport, authenticator, credentials: this.options.credentials }) };
      this.clients.set(registry, entry);
    }
    return entry.client;
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map(({ transport }) => transport.close()));
    await this.external.close();
  }
}
