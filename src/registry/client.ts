// The OCI distribution API (v1.1; Docker Registry HTTP API v2) for one registry: manifests, blobs,
// uploads, mounts, tags. Every answer is checked: manifests and blobs against their digests.
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Descriptor } from '../oci/descriptor.js';
import { digestError } from '../reference.js';
import { type Action, Authenticator, type Scope } from './auth.js';
import type { Credential, CredentialStore } from './credentials.js';
import { DigestVerifier, digestOf, verified } from './digest.js';
import { RegistryError, describeErrorBody } from './errors.js';
import { isSchema1, manifestAccept, schema1Refusal } from './media-types.js';
import { type RetryPolicy, isTransientError, retryDelay } from './retry.js';
import { type RegistryTransport, type TransportRequest, type TransportResponse, header } from './transport.js';

export interface Manifest {
  readonly descriptor: Descriptor;
  readonly bytes: Buffer;
  readonly json: Record<string, unknown>;
}

export type UploadResult = 'mounted' | 'uploaded';

/** Bytes in memory, or a function that opens a stream of them (called again for each send). */
export type UploadBody = Buffer | (() => Readable);

const bodyFactory = (body: UploadBody): (() => Buffer | Readable) => (Buffer.isBuffer(body) ? () => body : body);

/** Distribution refuses manifests over 4 MiB; so does ferry, before reading further. */
export const maxManifestBytes = 4 * 1024 * 1024;
const maxTagPages = 10_000;
/** How often a blob read that lost its connection is resumed. */
const blobResumePolicy: RetryPolicy = { attempts: 5, initialDelayMs: 200, maxDelayMs: 300_000 };

const isDigest = (reference: string): boolean => reference.includes(':');
const tagPattern = /^[\w][\w.-]{0,127}$/;
const repositoryPattern = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

async function readLimited(response: TransportResponse, limit: number, fail: (reason: string) => Error): Promise<Buffer> {
  const declared = Number(header(response, 'content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    response.body.destroy();
    throw fail(`${declared} bytes is more than the ${limit} ferry reads`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    total += (chunk as Buffer).length;
    if (total > limit) {
      response.body.destroy();
      throw fail(`more than the ${limit} bytes ferry reads`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export interface ClientOptions {
  readonly transport: RegistryTransport;
  readonly authenticator: Authenticator;
  readonly credentials: CredentialStore;
  /** Runs once before the first request; its refusal fails every operation. */
  readonly guard?: (() => Promise<void>) | undefined;
}

export class RegistryClient {
  readonly registry: string;
  private readonly transport: RegistryTransport;
  private readonly auth: Authenticator;
  private readonly credentials: CredentialStore;
  /** The credential that last worked, per repository, so the next request starts with it. */
  private readonly working = new Map<string, number>();

  private guarded: Promise<void> | undefined;
  private readonly guard: (() => Promise<void>) | undefined;

  constructor(options: ClientOptions) {
    this.guard = options.guard;
    this.transport = options.transport;
    this.auth = options.authenticator;
    this.credentials = options.credentials;
    this.registry = options.transport.registry;
  }

  private error(
    operation: string,
    repository: string | undefined,
    reason: string,
    status?: number,
    codes?: string[],
    cause?: unknown,
  ): RegistryError {
    return new RegistryError(
      { registry: this.registry, repository, operation, status, codes },
      reason,
      cause === undefined ? undefined : { cause },
    );
  }

  /**
   * Refuses a repository, tag or digest that is not one before it is put into a URL: a manifest may
   * name anything (`sha256:../../v2/other/manifests/latest?x=`), and the registry would be asked for it.
   */
  private checkPath(operation: string, repository: string, reference?: string): void {
    if (!repositoryPattern.test(repository) || repository.length > 255) {
      throw this.error(operation, undefined, `${JSON.stringify(repository.slice(0, 100))} is not a repository name`);
    }
    if (reference === undefined) return;
    const reason = isDigest(reference) ? digestError(reference) : tagPattern.test(reference) ? undefined : 'not a tag';
    if (reason !== undefined)
      throw this.error(operation, repository, `${JSON.stringify(reference.slice(0, 100))} is not a tag or digest (${reason})`);
  }

  private async failure(operation: string, repository: string, response: TransportResponse): Promise<RegistryError> {
    const text = response.status === 204 ? '' : await response.body.text().catch(() => '');
    const { codes, message } = describeErrorBody(text);
    return this.error(operation, repository, `${response.status}${message ? ` ${message}` : ''}`, response.status, codes);
  }

  /**
   * Sends a request with the Authorization a 401 asks for: the cached token first, then one refresh,
   * then each further credential that applies, and fails naming the last credential refused.
   */
  private async send(operation: string, scopes: readonly Scope[], request: TransportRequest): Promise<TransportResponse> {
    if (this.guard !== undefined) await (this.guarded ??= this.guard());
    const repository = scopes[0]?.repository ?? '';
    const candidates: (Credential | undefined)[] = await this.credentials.lookup(this.registry, repository);
    if (candidates.length === 0) candidates.push(undefined);
    if (!this.auth.challenged) {
      await this.transport.baseUrl();
      this.auth.takeChallenge(this.transport.pingChallenge);
    }
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
          throw this.error(operation, repository, `authentication failed: ${error.reason}`, error.status, [], error);
        index++;
        refresh = false;
        continue;
      }
      const response = await this.transport.send({
        ...request,
        headers: { ...request.headers, ...(authorization ? { authorization } : {}) },
      });
      if (response.status !== 401) {
        this.working.set(repository, index);
        return response;
      }
      await response.body.dump();
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

  private scopes(repository: string, actions: readonly Action[], mountFrom?: string): Scope[] {
    const scopes: Scope[] = [{ repository, actions }];
    if (mountFrom !== undefined && mountFrom !== repository) scopes.push({ repository: mountFrom, actions: ['pull'] });
    return scopes;
  }

  /** Checks that the registry answers the v2 API (200, or 401 asking for credentials). */
  async ping(): Promise<void> {
    const response = await this.transport.send({ method: 'GET', url: '/v2/' });
    await response.body.dump();
    if (response.status !== 200 && response.status !== 401) {
      throw this.error('ping /v2/', undefined, `${response.status}: not a Docker Registry v2 / OCI distribution API`, response.status);
    }
  }

  /** The descriptor a tag or digest points at: HEAD first (no pull counted), GET when HEAD gives no digest. */
  async resolve(repository: string, reference: string): Promise<Descriptor> {
    const operation = `resolve ${reference}`;
    this.checkPath(operation, repository, reference);
    const response = await this.send(operation, this.scopes(repository, ['pull']), {
      method: 'HEAD',
      url: `/v2/${repository}/manifests/${reference}`,
      headers: { accept: manifestAccept },
    });
    await response.body.dump();
    if (response.status === 404) throw this.error(operation, repository, 'manifest unknown (404)', 404, ['MANIFEST_UNKNOWN']);
    if (response.status !== 200) throw this.error(operation, repository, `${response.status}`, response.status);
    const mediaType = (header(response, 'content-type') ?? '').split(';')[0]?.trim() ?? '';
    if (isSchema1(mediaType)) throw this.error(operation, repository, schema1Refusal);
    const digest = header(response, 'docker-content-digest');
    const size = Number(header(response, 'content-length'));
    if (digest === undefined || digestError(digest) !== undefined || !Number.isFinite(size) || mediaType === '') {
      return (await this.getManifest(repository, reference)).descriptor;
    }
    if (isDigest(reference) && digest !== reference) {
      throw this.error(operation, repository, `the registry answered ${digest} for ${reference}`);
    }
    return { mediaType, digest, size };
  }

  /** A manifest or index, its size bounded and its bytes checked against the digest asked for or announced. */
  async getManifest(repository: string, reference: string): Promise<Manifest> {
    const operation = `get manifest ${reference}`;
    this.checkPath(operation, repository, reference);
    const response = await this.send(operation, this.scopes(repository, ['pull']), {
      method: 'GET',
      url: `/v2/${repository}/manifests/${reference}`,
      headers: { accept: manifestAccept },
    });
    if (response.status !== 200) throw await this.failure(operation, repository, response);
    const bytes = await readLimited(response, maxManifestBytes, (reason) => this.error(operation, repository, reason));
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    } catch (error) {
      throw this.error(operation, repository, 'the manifest is not JSON', undefined, undefined, error);
    }
    const headerType = (header(response, 'content-type') ?? '').split(';')[0]?.trim() ?? '';
    const mediaType = typeof json.mediaType === 'string' ? json.mediaType : headerType;
    if (isSchema1(mediaType) || isSchema1(headerType) || json.schemaVersion === 1) throw this.error(operation, repository, schema1Refusal);
    const announced = isDigest(reference) ? reference : header(response, 'docker-content-digest');
    const algorithm =
      announced !== undefined && digestError(announced) === undefined ? announced.slice(0, announced.indexOf(':')) : 'sha256';
    const digest = digestOf(bytes, algorithm);
    if (announced !== undefined && digest !== announced) {
      throw this.error(operation, repository, `digest mismatch: expected ${announced}, got ${digest}`);
    }
    return { descriptor: { mediaType, digest, size: bytes.length }, bytes, json };
  }

  /** The blob's size when the repository has it, undefined when it does not. */
  async headBlob(repository: string, digest: string): Promise<number | undefined> {
    const operation = `check blob ${digest}`;
    this.checkPath(operation, repository, digest);
    const response = await this.send(operation, this.scopes(repository, ['pull']), {
      method: 'HEAD',
      url: `/v2/${repository}/blobs/${digest}`,
      followRedirects: true,
    });
    await response.body.dump();
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw this.error(operation, repository, `${response.status}`, response.status);
    return Number(header(response, 'content-length'));
  }

  /**
   * A blob's bytes as a stream, verified against its digest (and size, when known) as they pass. A
   * connection lost mid-body is picked up where it stopped with a Range request.
   */
  getBlob(repository: string, digest: string, size?: number): Readable {
    this.checkPath(`get blob ${digest}`, repository, digest);
    const verifier = new DigestVerifier(digest, size, (reason) => this.error(`get blob ${digest}`, repository, reason));
    return verified(Readable.from(this.blobChunks(repository, digest), { objectMode: false }), verifier);
  }

  private async *blobChunks(repository: string, digest: string): AsyncGenerator<Buffer> {
    const operation = `get blob ${digest}`;
    const policy = blobResumePolicy;
    let offset = 0;
    for (let attempt = 1; ; attempt++) {
      const response = await this.send(operation, this.scopes(repository, ['pull']), {
        method: 'GET',
        url: `/v2/${repository}/blobs/${digest}`,
        headers: offset > 0 ? { range: `bytes=${offset}-` } : {},
        followRedirects: true,
      });
      if (response.status !== 200 && response.status !== 206) throw await this.failure(operation, repository, response);
      // A server that ignores Range sends everything again: skip what was already passed on.
      let skip = response.status === 200 ? offset : 0;
      try {
        for await (const chunk of response.body) {
          let buffer = chunk as Buffer;
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
        if (!isTransientError(error) || attempt >= policy.attempts) {
          throw this.error(operation, repository, `the connection failed after ${offset} bytes`, undefined, undefined, error);
        }
        await sleep(retryDelay(policy, attempt));
      }
    }
  }

  /**
   * Puts a blob into a repository: mounted from `mountFrom` in the same registry when it can be,
   * else one POST and a streaming PUT, or, for a registry that refuses that, one PATCH and a PUT.
   * A stream body is opened again for the chunked fallback or a repeated 401, so it must give the bytes anew.
   */
  async uploadBlob(repository: string, digest: string, size: number, body: UploadBody, mountFrom?: string): Promise<UploadResult> {
    const operation = `upload blob ${digest}`;
    this.checkPath(operation, repository, digest);
    if (mountFrom !== undefined) this.checkPath(operation, mountFrom);
    const scopes = this.scopes(repository, ['pull', 'push'], mountFrom);
    let location: string | undefined;
    if (mountFrom !== undefined) {
      const query = new URLSearchParams({ mount: digest, from: mountFrom });
      const response = await this.send(`mount blob ${digest} from ${mountFrom}`, scopes, {
        method: 'POST',
        url: `/v2/${repository}/blobs/uploads/?${query}`,
      });
      await response.body.dump();
      if (response.status === 201) return 'mounted';
      if (response.status === 202) location = header(response, 'location');
    }
    location ??= await this.startUpload(operation, repository, scopes);
    const put = await this.send(operation, scopes, {
      method: 'PUT',
      url: this.uploadUrl(location, digest),
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
      body: bodyFactory(body),
      retry: Buffer.isBuffer(body),
    });
    if (put.status === 201) {
      await put.body.dump();
      return 'uploaded';
    }
    if (put.status === 405 || put.status === 416 || put.status === 501) {
      await put.body.dump();
      await this.uploadChunked(operation, repository, scopes, digest, size, body);
      return 'uploaded';
    }
    throw await this.failure(operation, repository, put);
  }

  private async startUpload(operation: string, repository: string, scopes: readonly Scope[]): Promise<string> {
    const response = await this.send(operation, scopes, { method: 'POST', url: `/v2/${repository}/blobs/uploads/` });
    if (response.status !== 202) throw await this.failure(operation, repository, response);
    await response.body.dump();
    const location = header(response, 'location');
    if (location === undefined) throw this.error(operation, repository, 'the upload started without a Location');
    return location;
  }

  private uploadUrl(location: string, digest?: string): string {
    const url = new URL(location, `https://${this.transport.apiHost}`);
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
      retry: Buffer.isBuffer(body),
    });
    if (patch.status !== 202) throw await this.failure(operation, repository, patch);
    await patch.body.dump();
    const next = header(patch, 'location') ?? location;
    const put = await this.send(operation, scopes, {
      method: 'PUT',
      url: this.uploadUrl(next, digest),
      headers: { 'content-length': '0' },
    });
    if (put.status !== 201) throw await this.failure(operation, repository, put);
    await put.body.dump();
  }

  /** Puts a manifest under a tag or its digest; returns its digest. */
  async putManifest(repository: string, reference: string, bytes: Buffer, mediaType: string): Promise<string> {
    const operation = `put manifest ${reference}`;
    this.checkPath(operation, repository, reference);
    const digest = digestOf(bytes);
    const response = await this.send(operation, this.scopes(repository, ['pull', 'push']), {
      method: 'PUT',
      url: `/v2/${repository}/manifests/${reference}`,
      headers: { 'content-type': mediaType },
      body: () => bytes,
    });
    if (response.status !== 201 && response.status !== 200) throw await this.failure(operation, repository, response);
    await response.body.dump();
    const announced = header(response, 'docker-content-digest');
    if (announced !== undefined && announced.startsWith('sha256:') && announced !== digest) {
      throw this.error(operation, repository, `the registry stored ${announced}, not ${digest}`);
    }
    return digest;
  }

  /** Every tag of a repository, following the Link header's pages. */
  async listTags(repository: string, pageSize?: number): Promise<string[]> {
    const operation = 'list tags';
    this.checkPath(operation, repository);
    const tags: string[] = [];
    let url: string | undefined = `/v2/${repository}/tags/list${pageSize === undefined ? '' : `?n=${pageSize}`}`;
    for (let page = 0; url !== undefined && page < maxTagPages; page++) {
      const response = await this.send(operation, this.scopes(repository, ['pull']), { method: 'GET', url });
      if (response.status !== 200) throw await this.failure(operation, repository, response);
      const body = (await response.body.json()) as { tags?: string[] | null };
      tags.push(...(body.tags ?? []));
      const next = /<([^>]+)>\s*;\s*rel="?next"?/.exec(header(response, 'link') ?? '')?.[1];
      url = next === undefined ? undefined : next.startsWith('/') || /^https?:/.test(next) ? next : `/${next}`;
    }
    return tags;
  }
}
