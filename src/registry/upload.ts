// A blob put into a repository: mounted from another repository of the same registry when it can be,
// else one POST and a streaming PUT (a small blob read whole first), or, for a registry that refuses
// that, one PATCH and a PUT. The unit is retried whole: a check whether the blob arrived after all, a
// new session, the body anew. A small blob ferry made itself is offered whole in one POST first, where
// the registry takes that.
import { Readable } from 'node:stream';
import type { RegistryApi } from './api.js';
import type { Scope } from './auth.js';
import { Authorizer } from './authorize.js';
import type { BlobReader } from './blob-read.js';
import { RegistryError } from './errors.js';
import { type HttpResponse, discard, header } from './exchange.js';
import { bodyLaneBytes } from './host.js';
import { readWhole } from '../oci/digest.js';

export type UploadResult = 'mounted' | 'uploaded';

/** Bytes in memory, or a function that opens a stream of them (called again for each try). */
export type UploadBody = Buffer | (() => Readable);

/** What api.refuses() remembers of a registry that will not mount. */
export const mountRefusal = 'mount';

/** What api.refuses() remembers of a registry that takes no blob in a single POST. */
export const singlePostRefusal = 'single POST';

/** A blob in memory up to this size is offered in one POST; a registry that declines gets it again in the PUT. */
const singlePostBytes = 64 * 1024;

/** One blob to put, as an upload and each of its tries see it. */
interface BlobUpload {
  /** What the run is doing, for messages: `upload blob sha256:...`. */
  readonly operation: string;
  readonly repository: string;
  readonly digest: string;
  readonly size: number;
  readonly body: UploadBody;
  /** A repository of the same registry to mount it from first. */
  readonly mountFrom?: string;
}

const bodyFactory = (body: UploadBody): (() => Buffer | Readable) => (Buffer.isBuffer(body) ? () => body : body);

export class Uploader {
  /** The first mount tried on this registry, until it answered. */
  private firstMount: Promise<void> | undefined;

  constructor(
    private readonly api: RegistryApi,
    private readonly blobs: BlobReader,
  ) {}

  /**
   * Puts a blob into a repository, retried as a unit: mounted from `mountFrom` in the same registry
   * when it can be, else one POST and a streaming PUT, or, for a registry that refuses that, one PATCH
   * and a PUT. The requests that are safe to repeat (the check, the POST) are retried on their own; a
   * failed PUT starts the unit again: a check whether the blob arrived after all, a new session, the
   * body opened anew.
   */
  async upload(repository: string, digest: string, size: number, body: UploadBody, mountFrom?: string): Promise<UploadResult> {
    const operation = `upload blob ${digest}`;
    this.api.checkPath(operation, repository, digest);
    if (mountFrom !== undefined) this.api.checkPath(operation, mountFrom);
    return this.unit({ operation, repository, digest, size, body, ...(mountFrom === undefined ? {} : { mountFrom }) });
  }

  /**
   * Puts a small blob held in memory (an attestation's bundle, OCI's empty config): whole in one POST,
   * the distribution spec's single-POST upload, one request where the registry takes it (201). A
   * registry that opens a session instead (202, the body dropped, as docker-registry does) gets the
   * bytes again in that session's PUT, and a registry that declines either way is not offered a single
   * POST again this run.
   */
  async uploadSmall(repository: string, digest: string, bytes: Buffer): Promise<UploadResult> {
    const operation = `upload blob ${digest}`;
    this.api.checkPath(operation, repository, digest);
    if (bytes.length > singlePostBytes || this.api.refuses(singlePostRefusal))
      return this.unit({ operation, repository, digest, size: bytes.length, body: bytes });
    const scopes = Authorizer.scopes(repository, ['pull', 'push']);
    // Anything but a 201 (a session instead, a refusal of the request's shape, an error its retries did
    // not cure) declines it: the usual upload follows, and reports what the registry says to that.
    const answer = await this.api
      .retry(async () => {
        const response = await this.api.send(operation, scopes, {
          method: 'POST',
          url: `/v2/${repository}/blobs/uploads/?${new URLSearchParams({ digest }).toString()}`,
          headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) },
          body: () => bytes,
        });
        if (response.status !== 201 && response.status !== 202 && ![400, 404, 405, 413, 415, 501].includes(response.status))
          throw await this.api.failure(operation, repository, response);
        await discard(response);
        return {
          status: response.status,
          location: header(response, 'location'),
          range: header(response, 'range'),
          stored: header(response, 'docker-content-digest'),
        };
      })
      .catch(() => undefined);
    if (answer?.status === 201) {
      if (answer.stored !== undefined && answer.stored !== digest)
        throw this.api.error(operation, repository, `the registry stored ${answer.stored.slice(0, 80)} for a blob of ${digest}`);
      return 'uploaded';
    }
    this.api.refuse(singlePostRefusal);
    // A session whose Range says it kept the POST's bytes would take them twice: a fresh one then.
    const session = answer?.status === 202 && (answer.range === undefined || answer.range === '0-0') ? answer.location : undefined;
    return this.unit({ operation, repository, digest, size: bytes.length, body: bytes }, session);
  }

  /** One upload retried as a unit; `session` is an upload session already open for the first try. */
  private unit(blob: BlobUpload, session?: string): Promise<UploadResult> {
    return this.api.retry(async (attempt) => {
      if (attempt > 1 && (await this.blobs.head(blob.repository, blob.digest)) === blob.size) return 'uploaded';
      return this.uploadOnce(blob, attempt === 1 ? session : undefined);
    });
  }

  private async uploadOnce(blob: BlobUpload, session?: string): Promise<UploadResult> {
    const { operation, repository, digest, size, body } = blob;
    let { mountFrom } = blob;
    let location: string | undefined = session;
    // The first mount to a registry decides whether it mounts at all; the others wait for its answer.
    if (mountFrom !== undefined && this.firstMount !== undefined) await this.firstMount;
    if (mountFrom !== undefined && this.api.refuses(mountRefusal)) mountFrom = undefined;
    if (mountFrom !== undefined) {
      const attempt = this.mount(operation, repository, digest, mountFrom);
      if (this.firstMount === undefined) {
        this.firstMount = attempt.then(
          () => undefined,
          () => {
            this.firstMount = undefined; // an error decides nothing: the next mount asks again
          },
        );
      }
      const mounted = await attempt;
      if (mounted === 'mounted') return mounted;
      // A refused mount is a plain upload, with the scopes of one: a registry may refuse a token that names the other repository.
      if (mounted === 'refused') mountFrom = undefined;
      else location = mounted.location;
    }
    const scopes = Authorizer.scopes(repository, ['pull', 'push'], mountFrom);
    const open = bodyFactory(body);
    // Without a mount to try, the body is opened while the session opens: a blob read from another
    // registry is on its way a round trip sooner. Whatever is not handed to the PUT is closed.
    let early: Buffer | Readable | undefined = location === undefined && mountFrom === undefined ? open() : undefined;
    // A body small enough to go as a light request is read whole while the session opens, and put from
    // memory: a PUT holding a slot of the registry's light lane never waits on a read that may need one
    // (a source in the same registry, read again after a cut, would wait behind the PUTs waiting for it).
    const whole = early instanceof Readable && size <= bodyLaneBytes ? readWhole(early, { digest, size }) : undefined;
    whole?.catch(() => undefined);
    let put: HttpResponse;
    try {
      location ??= await this.startUpload(operation, repository, scopes);
      const bytes = await whole;
      put = await this.api.send(operation, scopes, {
        method: 'PUT',
        url: this.uploadUrl(location, digest),
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
        body: () => {
          const opened = bytes ?? early ?? open();
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
      await this.uploadChunked(blob, scopes);
      return 'uploaded';
    }
    throw await this.api.failure(operation, repository, put);
  }

  /**
   * Tries a cross-repository mount: mounted (201), an upload session opened instead (202, with or
   * without a mount), or refused. Registries refuse mounts in their own ways (Harbor 401 across
   * projects; others 403, 404 or 405): a refusal is remembered for the run, and the blob is uploaded.
   */
  private async mount(
    operation: string,
    repository: string,
    digest: string,
    mountFrom: string,
  ): Promise<'mounted' | 'refused' | { location: string | undefined }> {
    const query = new URLSearchParams({ mount: digest, from: mountFrom });
    const refused = (status: number): 'refused' => {
      this.api.refuse(
        mountRefusal,
        `${this.api.registry} refused a cross-repository mount (${status}, from ${mountFrom}): blobs are uploaded to it instead for the rest of the run`,
      );
      return 'refused';
    };
    let response: HttpResponse;
    try {
      response = await this.api.send(`mount blob ${digest} from ${mountFrom}`, Authorizer.scopes(repository, ['pull', 'push'], mountFrom), {
        method: 'POST',
        url: `/v2/${repository}/blobs/uploads/?${query}`,
      });
    } catch (error) {
      // The authorizer's last word on a 401 it could not answer.
      if (error instanceof RegistryError && (error.status === 401 || error.status === 403)) return refused(error.status);
      throw error;
    }
    if (response.status === 201) {
      await discard(response);
      return 'mounted';
    }
    if ([401, 403, 404, 405].includes(response.status)) {
      await discard(response);
      return refused(response.status);
    }
    if (response.status !== 202) throw await this.api.failure(operation, repository, response);
    await discard(response);
    return { location: header(response, 'location') };
  }

  /** Opens an upload session (a POST, safe to repeat: a session never used expires). */
  private startUpload(operation: string, repository: string, scopes: readonly Scope[]): Promise<string> {
    return this.api.retry(async () => {
      const response = await this.api.send(operation, scopes, { method: 'POST', url: `/v2/${repository}/blobs/uploads/` });
      if (response.status !== 202) throw await this.api.failure(operation, repository, response);
      await discard(response);
      const location = header(response, 'location');
      if (location === undefined) throw this.api.error(operation, repository, 'the upload started without a Location');
      return location;
    });
  }

  /** The upload URL the registry handed back, with the digest; relative ones stay on the registry. */
  private uploadUrl(location: string, digest?: string): string {
    const url = new URL(location, `https://${this.api.apiHost}`);
    if (digest !== undefined) url.searchParams.set('digest', digest);
    return location.startsWith('/') ? `${url.pathname}${url.search}` : url.toString();
  }

  private async uploadChunked(blob: BlobUpload, scopes: readonly Scope[]): Promise<void> {
    const { operation, repository, digest, size, body } = blob;
    const location = await this.startUpload(operation, repository, scopes);
    const patch = await this.api.send(operation, scopes, {
      method: 'PATCH',
      url: this.uploadUrl(location),
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(size),
        'content-range': `0-${Math.max(0, size - 1)}`,
      },
      body: bodyFactory(body),
    });
    if (patch.status !== 202) throw await this.api.failure(operation, repository, patch);
    await discard(patch);
    const next = header(patch, 'location') ?? location;
    const put = await this.api.send(operation, scopes, {
      method: 'PUT',
      url: this.uploadUrl(next, digest),
      headers: { 'content-length': '0' },
    });
    if (put.status !== 201) throw await this.api.failure(operation, repository, put);
    await discard(put);
  }
}
