// The OCI distribution API (v1.1; Docker Registry HTTP API v2) for one registry: manifests, blobs,
// uploads, mounts, tags. Every answer is checked (manifests and blobs against their digests, every
// body read with a bound), and every operation is retried as a whole while its failure is transient:
// an upload starts a new session and reopens its source, after checking whether the blob arrived.
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Descriptor } from '../oci/descriptor.js';
import { type Manifest, toDescriptor } from '../oci/manifest.js';
import { anchoredRemoteName, anchoredTag, digestError, maxPathLength } from '../reference.js';
import type { Scope } from './auth.js';
import { Authorizer } from './authorize.js';
import { DigestVerifier, digestOf, verified } from './digest.js';
import { RegistryError, type Redactor, describeErrorBody, maxErrorBodyBytes, verdictOf } from './errors.js';
import { type HttpResponse, discard, header, readBody, readText } from './exchange.js';
import type { RegistryHost, TransportRequest } from './host.js';
import { isSchema1, manifestAccept, ociIndex, schema1Refusal } from '../oci/media-types.js';
import { parseRetryAfter, retryDelay } from './retry.js';

export type { Manifest };

export type UploadResult = 'mounted' | 'uploaded';

/** Bytes in memory, or a function that opens a stream of them (called again for each try). */
export type UploadBody = Buffer | (() => Readable);

const bodyFactory = (body: UploadBody): (() => Buffer | Readable) => (Buffer.isBuffer(body) ? () => body : body);

/** Distribution refuses manifests over 4 MiB; so does ferry, before reading further. */
export const maxManifestBytes = 4 * 1024 * 1024;
const maxTagPages = 10_000;
/** Tags of one repository, at most: a registry paging on without end is refused, not followed. */
const maxTags = 1_000_000;
const maxReferrerPages = 100;
/** Referrers of one manifest, at most: checked as each page arrives, before the next is asked for. */
export const maxReferrers = 1000;

/** The next page a `Link` header names, kept on the registry: a path, or a URL the origin policy checks. */
function nextLink(link: string | undefined): string | undefined {
  const next = /<([^>]+)>\s*;\s*rel="?next"?/.exec(link ?? '')?.[1];
  return next === undefined ? undefined : next.startsWith('/') || /^https?:/.test(next) ? next : `/${next}`;
}

/** A body that moves less than this in a window is taken for a stalled one. */
export interface ProgressRule {
  readonly bytes: number;
  readonly windowMs: number;
}

export const defaultProgressRule: ProgressRule = { bytes: 16 * 1024, windowMs: 30_000 };

const isDigest = (reference: string): boolean => reference.includes(':');

/** Fails a body that trickles: less than `rule.bytes` in any `rule.windowMs`. */
class ProgressWatch {
  private moved = 0;
  private readonly timer: NodeJS.Timeout;
  constructor(rule: ProgressRule, stall: () => void) {
    this.timer = setInterval(() => {
      if (this.moved < rule.bytes) stall();
      this.moved = 0;
    }, rule.windowMs);
    this.timer.unref();
  }
  add(bytes: number): void {
    this.moved += bytes;
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

export interface ClientOptions {
  readonly host: RegistryHost;
  readonly authorizer: Authorizer;
  readonly redactor?: Redactor;
  readonly progress?: ProgressRule;
}

export class RegistryClient {
  readonly registry: string;
  private readonly host: RegistryHost;
  private readonly authorizer: Authorizer;

  constructor(private readonly options: ClientOptions) {
    this.host = options.host;
    this.authorizer = options.authorizer;
    this.registry = options.host.registry;
  }

  private error(
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
  private checkPath(operation: string, repository: string, reference?: string): void {
    if (!anchoredRemoteName.test(repository) || repository.length > maxPathLength) {
      throw this.error(operation, undefined, `${JSON.stringify(repository.slice(0, 100))} is not a repository name`);
    }
    if (reference === undefined) return;
    const reason = isDigest(reference) ? digestError(reference) : anchoredTag.test(reference) ? undefined : 'not a tag';
    if (reason !== undefined)
      throw this.error(operation, repository, `${JSON.stringify(reference.slice(0, 100))} is not a tag or digest (${reason})`);
  }

  /** The registry's answer as an error: status, error codes, message (bounded, credentials removed) and Retry-After. */
  private async failure(operation: string, repository: string, response: HttpResponse): Promise<RegistryError> {
    const text = response.status === 204 ? '' : await readText(response, maxErrorBodyBytes);
    const { codes, message } = describeErrorBody(text, this.options.redactor);
    const retryAfterMs = parseRetryAfter(header(response, 'retry-after'));
    return new RegistryError(
      { registry: this.registry, repository, operation, status: response.status, codes, retryAfterMs },
      `${response.status}${message ? ` ${message}` : ''}`,
    );
  }

  private send(operation: string, scopes: readonly Scope[], request: TransportRequest): Promise<HttpResponse> {
    return this.authorizer.send(operation, scopes, request);
  }

  private pull(repository: string): Scope[] {
    return Authorizer.scopes(repository, ['pull']);
  }

  /** Checks that the registry answers the v2 API (200, or 401 asking for credentials). */
  async ping(): Promise<void> {
    await this.host.base();
  }

  /** The descriptor a tag or digest points at: HEAD first (no pull counted), GET when HEAD gives no digest. */
  async resolve(repository: string, reference: string): Promise<Descriptor> {
    const operation = `resolve ${reference}`;
    this.checkPath(operation, repository, reference);
    const found = await this.host.retry(async () => {
      const response = await this.send(operation, this.pull(repository), {
        method: 'HEAD',
        url: `/v2/${repository}/manifests/${reference}`,
        headers: { accept: manifestAccept },
      });
      await discard(response);
      if (response.status === 404)
        throw this.error(operation, repository, 'manifest unknown (404)', { status: 404, codes: ['MANIFEST_UNKNOWN'] });
      if (response.status !== 200) throw await this.failure(operation, repository, response);
      const mediaType = (header(response, 'content-type') ?? '').split(';')[0]?.trim() ?? '';
      if (isSchema1(mediaType)) throw this.error(operation, repository, schema1Refusal);
      const digest = header(response, 'docker-content-digest');
      const size = Number(header(response, 'content-length'));
      if (digest === undefined || digestError(digest) !== undefined || !Number.isSafeInteger(size) || size < 0 || mediaType === '')
        return undefined;
      return { mediaType, digest, size };
    });
    if (found === undefined) return (await this.getManifest(repository, reference)).descriptor;
    if (isDigest(reference) && found.digest !== reference) {
      throw this.error(operation, repository, `the registry answered ${found.digest} for ${reference}`);
    }
    return found;
  }

  /** A manifest or index, its size bounded and its bytes checked against the digest asked for or announced. */
  async getManifest(repository: string, reference: string): Promise<Manifest> {
    const operation = `get manifest ${reference}`;
    this.checkPath(operation, repository, reference);
    return this.host.retry(async () => {
      const response = await this.send(operation, this.pull(repository), {
        method: 'GET',
        url: `/v2/${repository}/manifests/${reference}`,
        headers: { accept: manifestAccept },
      });
      if (response.status !== 200) throw await this.failure(operation, repository, response);
      const bytes = await readBody(response, maxManifestBytes, (reason) => this.error(operation, repository, reason));
      let json: Record<string, unknown>;
      try {
        json = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
      } catch (error) {
        throw this.error(operation, repository, 'the manifest is not JSON', { cause: error });
      }
      if (typeof json !== 'object' || json === null || Array.isArray(json))
        throw this.error(operation, repository, 'the manifest is not a JSON object');
      const headerType = (header(response, 'content-type') ?? '').split(';')[0]?.trim() ?? '';
      const mediaType = typeof json.mediaType === 'string' ? json.mediaType : headerType;
      if (isSchema1(mediaType) || isSchema1(headerType) || json.schemaVersion === 1)
        throw this.error(operation, repository, schema1Refusal);
      const announced = isDigest(reference) ? reference : header(response, 'docker-content-digest');
      const algorithm =
        announced !== undefined && digestError(announced) === undefined ? announced.slice(0, announced.indexOf(':')) : 'sha256';
      const digest = digestOf(bytes, algorithm);
      if (announced !== undefined && digest !== announced) {
        throw this.error(operation, repository, `digest mismatch: expected ${announced}, got ${digest}`);
      }
      return { descriptor: { mediaType, digest, size: bytes.length }, bytes, json };
    });
  }

  /** The blob's size when the repository has it, undefined when it does not. */
  async headBlob(repository: string, digest: string): Promise<number | undefined> {
    const operation = `check blob ${digest}`;
    this.checkPath(operation, repository, digest);
    return this.host.retry(async () => {
      const response = await this.send(operation, this.pull(repository), {
        method: 'HEAD',
        url: `/v2/${repository}/blobs/${digest}`,
        followRedirects: true,
      });
      await discard(response);
      if (response.status === 404) return undefined;
      if (response.status !== 200) throw await this.failure(operation, repository, response);
      return Number(header(response, 'content-length'));
    });
  }

  /**
   * A blob's bytes as a stream, verified against its digest (and size, when known) as they pass. A
   * connection lost mid-body, or a body that stalls, is picked up where it stopped with a Range request.
   */
  getBlob(repository: string, digest: string, size?: number): Readable {
    this.checkPath(`get blob ${digest}`, repository, digest);
    const verifier = new DigestVerifier(digest, size, (reason) => this.error(`get blob ${digest}`, repository, reason));
    return verified(Readable.from(this.blobChunks(repository, digest), { objectMode: false }), verifier);
  }

  private async *blobChunks(repository: string, digest: string): AsyncGenerator<Buffer> {
    const operation = `get blob ${digest}`;
    const policy = this.host.policy;
    const rule = this.options.progress ?? defaultProgressRule;
    let offset = 0;
    for (let attempt = 1; ; attempt++) {
      let response: HttpResponse;
      try {
        response = await this.send(operation, this.pull(repository), {
          method: 'GET',
          url: `/v2/${repository}/blobs/${digest}`,
          headers: offset > 0 ? { range: `bytes=${offset}-` } : {},
          followRedirects: true,
        });
        if (response.status !== 200 && response.status !== 206) throw await this.failure(operation, repository, response);
      } catch (error) {
        const verdict = verdictOf(error);
        if (!verdict.retriable || attempt >= policy.attempts || this.host.deadline.signal.aborted) throw error;
        await sleep(retryDelay(policy, attempt, verdict.retryAfterMs));
        continue;
      }
      // A server that ignores Range sends everything again: skip what was already passed on.
      let skip = response.status === 200 ? offset : 0;
      const watch = new ProgressWatch(rule, () => {
        const stalled = Object.assign(new Error(`less than ${rule.bytes} bytes in ${rule.windowMs / 1000} s`), { code: 'FERRY_TOO_SLOW' });
        response.body.destroy(stalled);
      });
      try {
        for await (const chunk of response.body) {
          let buffer = chunk as Buffer;
          watch.add(buffer.length);
          if (skip > 0) {
            const dropped = Math.min(skip, buffer.length);
            buffer = buffer.subarray(dropped);
            skip -= dropped;
          }
          if (buffer.length === 0) continue;
          offset += buffer.length;
          yield buffer;
        }
        return;
      } catch (error) {
        if (!verdictOf(error).retriable || attempt >= policy.attempts || this.host.deadline.signal.aborted) {
          const reason = this.host.deadline.signal.aborted
            ? `stopped at the run's deadline (${this.host.deadline.describe})`
            : (error as Error).message;
          throw this.error(operation, repository, `the connection failed after ${offset} bytes: ${reason}`, {
            cause: error,
            retriable: verdictOf(error).retriable,
          });
        }
        await sleep(retryDelay(policy, attempt));
      } finally {
        watch.stop();
      }
    }
  }

  /**
   * Puts a blob into a repository, retried as a unit: mounted from `mountFrom` in the same registry
   * when it can be, else one POST and a streaming PUT, or, for a registry that refuses that, one PATCH
   * and a PUT. The requests that are safe to repeat (the check, the POST) are retried on their own; a
   * failed PUT starts the unit again: a check whether the blob arrived after all, a new session, the
   * body opened anew.
   */
  async uploadBlob(repository: string, digest: string, size: number, body: UploadBody, mountFrom?: string): Promise<UploadResult> {
    const operation = `upload blob ${digest}`;
    this.checkPath(operation, repository, digest);
    if (mountFrom !== undefined) this.checkPath(operation, mountFrom);
    return this.host.retry(async (attempt) => {
      if (attempt > 1 && (await this.headBlob(repository, digest)) === size) return 'uploaded';
      return this.uploadOnce(operation, repository, digest, size, body, mountFrom);
    });
  }

  private async uploadOnce(
    operation: string,
    repository: string,
    digest: string,
    size: number,
    body: UploadBody,
    mountFrom?: string,
  ): Promise<UploadResult> {
    const scopes = Authorizer.scopes(repository, ['pull', 'push'], mountFrom);
    let location: string | undefined;
    if (mountFrom !== undefined) {
      const query = new URLSearchParams({ mount: digest, from: mountFrom });
      const response = await this.send(`mount blob ${digest} from ${mountFrom}`, scopes, {
        method: 'POST',
        url: `/v2/${repository}/blobs/uploads/?${query}`,
      });
      if (response.status === 201) {
        await discard(response);
        return 'mounted';
      }
      if (response.status !== 202) throw await this.failure(operation, repository, response);
      await discard(response);
      location = header(response, 'location');
    }
    const open = bodyFactory(body);
    // Without a mount to try, the body is opened while the session opens: a blob read from another
    // registry is on its way a round trip sooner. Whatever is not handed to the PUT is closed.
    let early: Buffer | Readable | undefined = location === undefined && mountFrom === undefined ? open() : undefined;
    let put: HttpResponse;
    try {
      location ??= await this.startUpload(operation, repository, scopes);
      put = await this.send(operation, scopes, {
        method: 'PUT',
        url: this.uploadUrl(location, digest),
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
        body: () => {
          const opened = early ?? open();
          early = undefined;
          return opened;
        },
      });
    } finally {
      if (early instanceof Readable) early.destroy();
    }
    if (put.status === 201) {
      await discard(put);
      return 'uploaded';
    }
    if (put.status === 405 || put.status === 416 || put.status === 501) {
      await discard(put);
      await this.uploadChunked(operation, repository, scopes, digest, size, body);
      return 'uploaded';
    }
    throw await this.failure(operation, repository, put);
  }

  /** Opens an upload session (a POST, safe to repeat: a session never used expires). */
  private startUpload(operation: string, repository: string, scopes: readonly Scope[]): Promise<string> {
    return this.host.retry(async () => {
      const response = await this.send(operation, scopes, { method: 'POST', url: `/v2/${repository}/blobs/uploads/` });
      if (response.status !== 202) throw await this.failure(operation, repository, response);
      await discard(response);
      const location = header(response, 'location');
      if (location === undefined) throw this.error(operation, repository, 'the upload started without a Location');
      return location;
    });
  }

  /** The upload URL the registry handed back, with the digest; relative ones stay on the registry. */
  private uploadUrl(location: string, digest?: string): string {
    const url = new URL(location, `https://${this.host.apiHost}`);
    if (digest !== undefined) url.searchParams.set('digest', digest);
    return location.startsWith('/') ? `${url.pathname}${url.search}` : url.toString();
  }

  private async uploadChunked(
    operation: string,
    repository: string,
    scopes: readonly Scope[],
    digest: string,
    size: number,
    body: UploadBody,
  ): Promise<void> {
    const location = await this.startUpload(operation, repository, scopes);
    const patch = await this.send(operation, scopes, {
      method: 'PATCH',
      url: this.uploadUrl(location),
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(size),
        'content-range': `0-${Math.max(0, size - 1)}`,
      },
      body: bodyFactory(body),
    });
    if (patch.status !== 202) throw await this.failure(operation, repository, patch);
    await discard(patch);
    const next = header(patch, 'location') ?? location;
    const put = await this.send(operation, scopes, {
      method: 'PUT',
      url: this.uploadUrl(next, digest),
      headers: { 'content-length': '0' },
    });
    if (put.status !== 201) throw await this.failure(operation, repository, put);
    await discard(put);
  }

  /**
   * The manifests whose subject is `digest`, through the referrers API (distribution spec v1.1), every
   * page; undefined when the registry has no referrers API (404), so the caller falls back to the tag schema.
   */
  async referrers(repository: string, digest: string): Promise<Descriptor[] | undefined> {
    const operation = `list referrers of ${digest}`;
    this.checkPath(operation, repository, digest);
    const found: Descriptor[] = [];
    const tooMany = (): RegistryError =>
      this.error(operation, repository, `more than ${maxReferrers} referrers, the most ferry carries with one manifest`);
    const pages = new Set<string>();
    let url: string | undefined = `/v2/${repository}/referrers/${digest}`;
    for (let page = 0; url !== undefined && page < maxReferrerPages; page++) {
      // A Link back to a page already read ends the list: a registry cannot make ferry read it forever.
      if (pages.has(url)) break;
      pages.add(url);
      const pageUrl: string = url;
      const answer = await this.host.retry(async () => {
        const response = await this.send(operation, this.pull(repository), {
          method: 'GET',
          url: pageUrl,
          headers: { accept: ociIndex },
        });
        // No API: a 404 without an image index in it (the spec forbids a 404 from a registry that has
        // one; some answered 404 with an empty index), or a method or route refused.
        if (response.status === 404 || response.status === 405) {
          const text = await readText(response, maxErrorBodyBytes);
          let body: { manifests?: unknown } | undefined;
          try {
            body = JSON.parse(text) as { manifests?: unknown };
          } catch {
            body = undefined;
          }
          if (response.status === 404 && typeof body === 'object' && body !== null && Array.isArray(body.manifests)) {
            if (body.manifests.length > maxReferrers) throw tooMany();
            return { descriptors: body.manifests.map((item) => toDescriptor(item, `the referrers of ${digest}`)), next: undefined };
          }
          return undefined;
        }
        if (response.status !== 200) throw await this.failure(operation, repository, response);
        const bytes = await readBody(response, maxManifestBytes, (reason) => this.error(operation, repository, reason));
        let body: { manifests?: unknown };
        try {
          body = JSON.parse(bytes.toString('utf8')) as { manifests?: unknown };
        } catch (error) {
          throw this.error(operation, repository, 'the referrers answer is not JSON', { cause: error });
        }
        if (typeof body !== 'object' || body === null || !Array.isArray(body.manifests))
          throw this.error(operation, repository, 'the referrers answer is not an image index');
        if (found.length + body.manifests.length > maxReferrers) throw tooMany();
        const descriptors = body.manifests.map((item) => toDescriptor(item, `the referrers of ${digest}`));
        return { descriptors, next: nextLink(header(response, 'link')) };
      });
      if (answer === undefined) return page === 0 ? undefined : found;
      found.push(...answer.descriptors);
      url = answer.next;
    }
    return found;
  }

  /** Puts a manifest under a tag or its digest; returns its digest. */
  async putManifest(repository: string, reference: string, bytes: Buffer, mediaType: string): Promise<string> {
    return (await this.pushManifest(repository, reference, bytes, mediaType)).digest;
  }

  /**
   * Puts a manifest; `subjectAware` is whether the registry answered with `OCI-Subject`, i.e. keeps
   * the referrers of the manifest's subject itself (else the client maintains the tag schema).
   */
  async pushManifest(
    repository: string,
    reference: string,
    bytes: Buffer,
    mediaType: string,
  ): Promise<{ digest: string; subjectAware: boolean }> {
    const operation = `put manifest ${reference}`;
    this.checkPath(operation, repository, reference);
    const digest = digestOf(bytes);
    return this.host.retry(async () => {
      const response = await this.send(operation, Authorizer.scopes(repository, ['pull', 'push']), {
        method: 'PUT',
        url: `/v2/${repository}/manifests/${reference}`,
        headers: { 'content-type': mediaType },
        body: () => bytes,
      });
      if (response.status !== 201 && response.status !== 200) throw await this.failure(operation, repository, response);
      await discard(response);
      const announced = header(response, 'docker-content-digest');
      if (announced !== undefined && announced.startsWith('sha256:') && announced !== digest) {
        throw this.error(operation, repository, `the registry stored ${announced}, not ${digest}`);
      }
      return { digest, subjectAware: header(response, 'oci-subject') !== undefined };
    });
  }

  /** Whether the repository exists: one page of one tag (404, NAME_UNKNOWN, when it does not). */
  async hasRepository(repository: string): Promise<boolean> {
    const operation = 'list tags';
    this.checkPath(operation, repository);
    return this.host.retry(async () => {
      const response = await this.send(operation, this.pull(repository), { method: 'GET', url: `/v2/${repository}/tags/list?n=1` });
      if (response.status === 404) {
        await discard(response);
        return false;
      }
      if (response.status !== 200) throw await this.failure(operation, repository, response);
      await discard(response);
      return true;
    });
  }

  /** Every tag of a repository, following the Link header's pages. */
  async listTags(repository: string, pageSize?: number): Promise<string[]> {
    const operation = 'list tags';
    this.checkPath(operation, repository);
    const tags: string[] = [];
    const pages = new Set<string>();
    let url: string | undefined = `/v2/${repository}/tags/list${pageSize === undefined ? '' : `?n=${pageSize}`}`;
    for (let page = 0; url !== undefined && page < maxTagPages; page++) {
      if (pages.has(url)) break;
      pages.add(url);
      const pageUrl: string = url;
      const { names, next } = await this.host.retry(async () => {
        const response = await this.send(operation, this.pull(repository), { method: 'GET', url: pageUrl });
        if (response.status !== 200) throw await this.failure(operation, repository, response);
        const bytes = await readBody(response, maxManifestBytes, (reason) => this.error(operation, repository, reason));
        let body: { tags?: unknown } | null;
        try {
          body = JSON.parse(bytes.toString('utf8')) as { tags?: unknown } | null;
        } catch (error) {
          throw this.error(operation, repository, 'the tag list is not JSON', { cause: error });
        }
        // Only tags: a 4 MiB string is no tag, and is not kept.
        const found = Array.isArray(body?.tags)
          ? body.tags.filter((tag): tag is string => typeof tag === 'string' && anchoredTag.test(tag))
          : [];
        if (tags.length + found.length > maxTags)
          throw this.error(operation, repository, `more than ${maxTags} tags, the most ferry reads of one repository`);
        return { names: found, next: nextLink(header(response, 'link')) };
      });
      tags.push(...names);
      url = next;
    }
    return tags;
  }
}
