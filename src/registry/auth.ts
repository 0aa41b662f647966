// Answers a registry's 401: Basic credentials, or Bearer tokens from the realm it names (anonymous,
// with basic credentials, or by OAuth2 refresh token), cached per credential and scope. Each
// credential that applies is tried in turn before ferry gives up.
import { parseChallenges, type Challenge } from './challenge.js';
import type { Credential } from './credentials.js';
import { RegistryError, type Redactor, describeErrorBody, maxErrorBodyBytes } from './errors.js';
import { type HttpResponse, discard, readBody, readText } from './exchange.js';
import type { RegistryHost } from './host.js';
import { parseRetryAfter } from './retry.js';

export type Action = 'pull' | 'push';

export interface Scope {
  readonly repository: string;
  readonly actions: readonly Action[];
}

export function scopeText(scope: Scope): string {
  return `repository:${scope.repository}:${scope.actions.join(',')}`;
}

interface CachedToken {
  readonly value: string;
  readonly expires: number;
}

const clientId = 'ferry';
/** A token answer is small; a larger one is refused without reading it. */
export const maxTokenBytes = 1024 * 1024;
/** A token is taken to end this long before it says: a tenth of its life, at most 10 s (a 1 s token is still used for 0.9 s). */
const expiryMarginMs = (lifetimeMs: number): number => Math.min(10_000, lifetimeMs / 10);

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

export interface AuthenticatorOptions {
  readonly host: RegistryHost;
  readonly redactor?: Redactor;
  /** Registries whose realms may be reached over plain HTTP. */
  readonly insecureRegistries: readonly string[];
  readonly onSecret: (secret: string) => void;
}

export class Authenticator {
  private readonly tokens = new Map<string, CachedToken>();
  private challenge: Challenge | undefined;

  constructor(private readonly options: AuthenticatorOptions) {}

  /** Whether a 401 has told ferry how this registry wants to be authenticated. */
  get challenged(): boolean {
    return this.challenge !== undefined;
  }

  /** The Authorization header to send with a credential, from the cache or fetched; undefined for none. */
  async authorization(credential: Credential | undefined, scopes: readonly Scope[], refresh = false): Promise<string | undefined> {
    const challenge = this.challenge;
    if (challenge === undefined) return undefined;
    if (challenge.scheme === 'basic') {
      if (credential?.username === undefined || credential.password === undefined) return undefined;
      return basic(credential.username, credential.password);
    }
    if (challenge.scheme !== 'bearer') {
      throw new RegistryError(
        { registry: this.options.host.registry, operation: 'authenticate' },
        `unsupported auth scheme ${challenge.scheme}`,
      );
    }
    if (credential?.registryToken !== undefined) return `Bearer ${credential.registryToken}`;
    const key = `${credential?.source ?? 'anonymous'}\n${scopes.map(scopeText).join(' ')}`;
    const cached = this.tokens.get(key);
    if (!refresh && cached !== undefined && cached.expires > Date.now()) return `Bearer ${cached.value}`;
    const token = await this.fetchToken(challenge, credential, scopes);
    this.tokens.set(key, token);
    return `Bearer ${token.value}`;
  }

  /** Takes the challenge of a 401 answer; true when it is one ferry can answer. */
  takeChallenge(wwwAuthenticate: string | string[] | undefined): boolean {
    const challenges = parseChallenges(wwwAuthenticate);
    const chosen =
      challenges.find((challenge) => challenge.scheme === 'bearer') ?? challenges.find((challenge) => challenge.scheme === 'basic');
    if (chosen === undefined) return false;
    this.challenge = chosen;
    return true;
  }

  private realmUrl(challenge: Challenge, scopes: readonly Scope[]): URL {
    const registry = this.options.host.registry;
    const realm = challenge.params.realm;
    if (!realm) throw new RegistryError({ registry, operation: 'authenticate' }, 'the Bearer challenge names no realm');
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new RegistryError({ registry, operation: 'authenticate' }, 'the Bearer challenge names a realm that is not a URL');
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.options.insecureRegistries.includes(url.host))) {
      throw new RegistryError(
        { registry, operation: 'authenticate' },
        `the token realm ${url.origin} is not HTTPS: list ${url.host} in insecure-registries if credentials may be sent to it in the clear`,
      );
    }
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    for (const scope of scopes) url.searchParams.append('scope', scopeText(scope));
    return url;
  }

  private async fetchToken(challenge: Challenge, credential: Credential | undefined, scopes: readonly Scope[]): Promise<CachedToken> {
    const registry = this.options.host.registry;
    const url = this.realmUrl(challenge, scopes);
    const host = this.options.host;
    let response: HttpResponse | undefined;
    if (credential?.identityToken !== undefined) {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credential.identityToken, client_id: clientId });
      if (challenge.params.service) form.set('service', challenge.params.service);
      if (scopes.length > 0) form.set('scope', scopes.map(scopeText).join(' '));
      response = await host.sendToRealm({
        method: 'POST',
        url: `${url.origin}${url.pathname}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: () => Buffer.from(form.toString()),
      });
      if (response.status === 404 || response.status === 405) {
        // Not every token server speaks OAuth2; the GET form works on all of them.
        await discard(response);
        response = undefined;
      }
    }
    if (response === undefined) {
      const headers: Record<string, string> = {};
      if (credential?.username !== undefined && credential.password !== undefined)
        headers.authorization = basic(credential.username, credential.password);
      else if (credential?.identityToken !== undefined) headers.authorization = basic('<token>', credential.identityToken);
      response = await host.sendToRealm({ method: 'GET', url: url.toString(), headers });
    }
    if (response.status !== 200) {
      const text = await readText(response, maxErrorBodyBytes);
      const retryAfter = parseRetryAfter([response.headers['retry-after']].flat()[0]);
      throw new RegistryError(
        { registry, operation: 'get token', status: response.status, retryAfterMs: retryAfter },
        `the token server refused ${credential?.source ?? 'anonymous access'} (${response.status}: ${describeErrorBody(text, this.options.redactor).message || 'no reason given'})`,
      );
    }
    const bytes = await readBody(
      response,
      maxTokenBytes,
      (reason) => new RegistryError({ registry, operation: 'get token' }, `the token answer is too large: ${reason}`),
    );
    let body: { token?: unknown; access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(bytes.toString('utf8')) as typeof body;
    } catch {
      throw new RegistryError({ registry, operation: 'get token' }, 'the token server answered with something that is not JSON');
    }
    const value = typeof body.token === 'string' ? body.token : typeof body.access_token === 'string' ? body.access_token : undefined;
    if (!value) throw new RegistryError({ registry, operation: 'get token' }, 'the token server answered without a token');
    this.options.onSecret(value);
    const lifetimeMs = (typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 60) * 1000;
    return { value, expires: Date.now() + lifetimeMs - expiryMarginMs(lifetimeMs) };
  }
}
