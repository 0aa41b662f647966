// The distribution API of one registry as every operation uses it: a request sent with the scopes it
// needs (authorization, the limiter, the origin policy and redirects below), retried as a whole under
// the run's deadline, its failures as RegistryErrors naming the registry, repository and operation,
// and its JSON read with a bound. Manifests, blob reads, uploads and listings are built on this alone.
import { anchoredRemoteName, anchoredTag, maxPathLength } from '../reference.js';
import { digestError, namesDigest } from '../oci/digest.js';
import type { Scope } from './auth.js';
import { Authorizer } from './authorize.js';
import { RegistryError, type Redactor, describeErrorBody, maxErrorBodyBytes } from './errors.js';
import { type HttpResponse, header, readBody, readText } from './exchange.js';
import type { RegistryHost, TransportRequest } from './host.js';
import { type Deadline, type RetryPolicy, parseRetryAfter } from './retry.js';
import { oneLine, quoted, shortened } from '../untrusted-text.js';

export class RegistryApi {
  readonly registry: string;

  constructor(
    private readonly host: RegistryHost,
    private readonly authorizer: Authorizer,
    private readonly redactor?: Redactor,
  ) {
    this.registry = host.registry;
  }

  /** The host that answers the API (Docker Hub's is not docker.io). */
  get apiHost(): string {
    return this.host.apiHost;
  }

  get policy(): RetryPolicy {
    return this.host.policy;
  }

  get deadline(): Deadline {
    return this.host.deadline;
  }

  /** The base URL and first challenge, from the registry's ping. */
  async ping(): Promise<void> {
    await this.host.base();
  }

  /**
   * What this run learned the registry does not do (a cross-repository mount, a manifest HEAD), each
   * said once and not asked of it again.
   */
  private readonly refused = new Set<string>();

  refuses(what: string): boolean {
    return this.refused.has(what);
  }

  /** Remembers that the registry refuses `what` for the rest of the run, and says so once (when there is something to say). */
  refuse(what: string, message?: string): void {
    if (this.refused.has(what)) return;
    this.refused.add(what);
    if (message !== undefined) this.host.notice(message);
  }

  /** Tells the run something about this registry. */
  notice(message: string): void {
    this.host.notice(message);
  }

  /** One request, authorized for `scopes`. */
  send(operation: string, scopes: readonly Scope[], request: TransportRequest): Promise<HttpResponse> {
    return this.authorizer.send(operation, scopes, request);
  }

  /** Runs `operation` again from the start while its failures are retriable, as the policy and deadline allow. */
  retry<T>(operation: (attempt: number) => Promise<T>): Promise<T> {
    return this.host.retry(operation);
  }

  pull(repository: string): Scope[] {
    return Authorizer.scopes(repository, ['pull']);
  }

  error(
    operation: string,
    repository: string | undefined,
    reason: string,
    details: Partial<{ status: number; codes: string[]; retriable: boolean; cause: unknown }> = {},
  ): RegistryError {
    return new RegistryError(
      { registry: this.registry, repository, operation, status: details.status, codes: details.codes, retriable: details.retriable },
      reason,
      details.cause === undefined ? undefined : { cause: details.cause },
    );
  }

  /**
   * Refuses a repository, tag or digest that is not one before it is put into a URL: a manifest may
   * name anything (`sha256:../../v2/other/manifests/latest?x=`), and the registry would be asked for it.
   */
  checkPath(operation: string, repository: string, reference?: string): void {
    // The operation names what was asked for, which is what is refused here: one line of it.
    if (!anchoredRemoteName.test(repository) || repository.length > maxPathLength) {
      throw this.error(shortened(oneLine(operation), 200), undefined, `${quoted(repository, 100)} is not a repository name`);
    }
    if (reference === undefined) return;
    const reason = namesDigest(reference) ? digestError(reference) : anchoredTag.test(reference) ? undefined : 'not a tag';
    if (reason !== undefined)
      throw this.error(shortened(oneLine(operation), 200), repository, `${quoted(reference, 100)} is not a tag or digest (${reason})`);
  }

  /** The registry's answer as an error: status, error codes, message (bounded, credentials removed) and Retry-After. */
  async failure(operation: string, repository: string, response: HttpResponse): Promise<RegistryError> {
    const text = response.status === 204 ? '' : await readText(response, maxErrorBodyBytes);
    const { codes, message } = describeErrorBody(text, this.redactor);
    const retryAfterMs = parseRetryAfter(header(response, 'retry-after'));
    return new RegistryError(
      { registry: this.registry, repository, operation, status: response.status, codes, retryAfterMs },
      `${response.status}${message ? ` ${message}` : ''}`,
    );
  }

  /** A JSON body of at most `limit` bytes, and its bytes; a body that is not JSON is a RegistryError saying `what` it is not. */
  async readJson(
    operation: string,
    repository: string,
    response: HttpResponse,
    limit: number,
    what: string,
  ): Promise<{ json: unknown; bytes: Buffer }> {
    const bytes = await readBody(response, limit, (reason) => this.error(operation, repository, reason));
    try {
      return { json: JSON.parse(bytes.toString('utf8')), bytes };
    } catch (error) {
      throw this.error(operation, repository, `${what} is not JSON`, { cause: error });
    }
  }
}
