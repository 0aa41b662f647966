// Sends a request with the Authorization a registry asks for: on a 401, its challenge is taken, the
// cached token tried, then one refresh, then each further credential that applies; the failure names
// the last credential refused, never its secret. A wrapper of RegistryHost.send.
import { type Action, Authenticator, type Scope } from './auth.js';
import type { Credential, CredentialStore } from './credentials.js';
import { RegistryError } from './errors.js';
import { type HttpResponse, discard } from './exchange.js';
import type { RegistryHost, TransportRequest } from './host.js';

export class Authorizer {
  /** The credential that last worked, per repository, so the next request starts with it. */
  private readonly working = new Map<string, number>();
  private guarded: Promise<void> | undefined;

  constructor(
    private readonly host: RegistryHost,
    private readonly auth: Authenticator,
    private readonly credentials: CredentialStore,
    /** Runs once before the first request; its refusal fails every operation. */
    private readonly guard?: () => Promise<void>,
  ) {}

  static scopes(repository: string, actions: readonly Action[], mountFrom?: string): Scope[] {
    const scopes: Scope[] = [{ repository, actions }];
    if (mountFrom !== undefined && mountFrom !== repository) scopes.push({ repository: mountFrom, actions: ['pull'] });
    return scopes;
  }

  private error(operation: string, repository: string, reason: string, status?: number, cause?: unknown): RegistryError {
    return new RegistryError(
      { registry: this.host.registry, repository, operation, status, retriable: false },
      reason,
      cause === undefined ? undefined : { cause },
    );
  }

  async send(operation: string, scopes: readonly Scope[], request: TransportRequest): Promise<HttpResponse> {
    if (this.guard !== undefined) await (this.guarded ??= this.guard());
    const repository = scopes[0]?.repository ?? '';
    const candidates: (Credential | undefined)[] = await this.credentials.lookup(this.host.registry, repository);
    if (candidates.length === 0) candidates.push(undefined);
    if (!this.auth.challenged) this.auth.takeChallenge((await this.host.base()).challenge);
    let index = Math.min(this.working.get(repository) ?? 0, candidates.length - 1);
    let refresh = false;
    let refused = 'anonymous access';
    for (let round = 0; round < 2 * candidates.length + 2; round++) {
      const credential = candidates[index];
      const challenged = this.auth.challenged;
      let authorization: string | undefined;
      try {
        authorization = await this.auth.authorization(credential, scopes, refresh);
      } catch (error) {
        // The token server refused this credential: the next one may do.
        if (!(error instanceof RegistryError) || (error.status !== 401 && error.status !== 403)) throw error;
        if (index + 1 >= candidates.length)
          throw this.error(operation, repository, `authentication failed: ${error.reason}`, error.status, error);
        index++;
        refresh = false;
        continue;
      }
      const response = await this.host.send({ ...request, headers: { ...request.headers, ...(authorization ? { authorization } : {}) } });
      if (response.status !== 401) {
        this.working.set(repository, index);
        return response;
      }
      await discard(response);
      // A challenge counts only from the registry's own origin: a redirect target (a CDN, or a host a
      // hostile registry names) that answers 401 would otherwise choose where the credentials go.
      const registryOrigin = new URL((await this.host.base()).base).origin;
      const answered = new URL(response.url).origin;
      if (answered !== registryOrigin) {
        throw this.error(
          operation,
          repository,
          `401 from ${new URL(response.url).host}, where ${this.host.registry} redirected the request: a challenge counts only from the registry itself, so no credential was sent there`,
          401,
        );
      }
      if (!this.auth.takeChallenge(response.headers['www-authenticate'])) {
        throw this.error(operation, repository, '401 without a challenge ferry can answer', 401);
      }
      refused = credential?.source ?? 'anonymous access';
      if (!challenged) continue;
      if (authorization !== undefined && !refresh) {
        refresh = true;
        continue;
      }
      if (index + 1 >= candidates.length) break;
      index++;
      refresh = false;
    }
    throw this.error(operation, repository, `authentication failed: the registry refused ${refused}`, 401);
  }
}
