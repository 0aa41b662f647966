// A blob read from a registry: a stream verified against its digest (and size) as it passes, a
// connection lost mid-body or a body that stalls picked up where it stopped with a Range request; and
// the HEAD that asks whether a repository has a blob.
import { Readable, finished } from 'node:stream';
import type { RegistryApi } from './api.js';
import { DigestCheck } from '../oci/digest.js';
import { verdictOf } from './errors.js';
import { type HttpResponse, discard, header } from './exchange.js';
import { nextWait, waitOut } from './retry.js';

/** A body that moves less than this in a window is taken for a stalled one. */
export interface ProgressRule {
  readonly bytes: number;
  readonly windowMs: number;
}

export const defaultProgressRule: ProgressRule = { bytes: 16 * 1024, windowMs: 30_000 };

/** How far a cut try must have moved the body for the tries to be counted afresh. */
const progressResetBytes = 1024 * 1024;

/**
 * Fails a body that trickles: less than `rule.bytes` in any `rule.windowMs`. A window in which the
 * reader held the body (it had enough for now) is not counted: the server was not the slow one.
 */
class ProgressWatch {
  private moved = 0;
  private held = false;
  private readonly timer: NodeJS.Timeout;
  constructor(rule: ProgressRule, stall: () => void, holding: () => boolean) {
    this.timer = setInterval(() => {
      if (this.moved < rule.bytes && !this.held && !holding()) stall();
      this.moved = 0;
      this.held = false;
    }, rule.windowMs);
    this.timer.unref();
  }
  add(bytes: number): void {
    this.moved += bytes;
  }
  hold(): void {
    this.held = true;
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

export class BlobReader {
  constructor(
    private readonly api: RegistryApi,
    private readonly rule: ProgressRule = defaultProgressRule,
  ) {}

  /** The blob's size when the repository has it, undefined when it does not. */
  async head(repository: string, digest: string): Promise<number | undefined> {
    const operation = `check blob ${digest}`;
    this.api.checkPath(operation, repository, digest);
    return this.api.retry(async () => {
      const response = await this.api.send(operation, this.api.pull(repository), {
        method: 'HEAD',
        url: `/v2/${repository}/blobs/${digest}`,
        followRedirects: true,
      });
      await discard(response);
      if (response.status === 404) return undefined;
      if (response.status !== 200) throw await this.api.failure(operation, repository, response);
      return Number(header(response, 'content-length'));
    });
  }

  /**
   * A blob's bytes as a stream, verified against its digest (and size, when known) as they pass. A
   * connection lost mid-body, or a body that stalls, is picked up where it stopped with a Range request.
   */
  read(repository: string, digest: string, size?: number): Readable {
    this.api.checkPath(`get blob ${digest}`, repository, digest);
    return new BlobStream(this.api, this.rule, repository, digest, size);
  }
}

/**
 * One blob's GETs as one stream: each try's body is read straight into it and checked as it passes,
 * with no stage between the socket and the reader (a blob's bytes are most of what a run moves).
 */
class BlobStream extends Readable {
  private readonly operation: string;
  private readonly check: DigestCheck;
  /** The try under way's body, once it answers. */
  private body: HttpResponse['body'] | undefined;
  /** How far the blob has been passed on. */
  private offset = 0;
  /** Why the blob is refused as it passes (more bytes than its size): no try mends that. */
  private refused: Error | undefined;
  /** Ends the request under way, or the wait for the next, when the reader leaves. */
  private readonly cancel = new AbortController();

  constructor(
    private readonly api: RegistryApi,
    private readonly rule: ProgressRule,
    private readonly repository: string,
    digest: string,
    size: number | undefined,
  ) {
    super();
    this.operation = `get blob ${digest}`;
    this.check = new DigestCheck(digest, size);
    // The GET starts as the stream is made, as much as fits in it read before a reader comes: an upload
    // opens its blob while its session opens. A failure before then is kept for the reader, who finds the
    // stream errored; the listener only keeps it from ending the process while no one listens yet.
    this.on('error', () => undefined);
    this.tries().then(
      () => {
        if (this.destroyed) return;
        const reason = this.check.end();
        if (reason === undefined) this.push(null);
        else this.destroy(this.api.error(this.operation, this.repository, reason));
      },
      (error: unknown) => this.destroy(error as Error),
    );
  }

  override _read(): void {
    this.body?.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.cancel.abort();
    this.body?.destroy();
    callback(error);
  }

  /** Tries until the body has been read to its end; throws why no further try is made. */
  private async tries(): Promise<void> {
    const { api, operation, repository, rule } = this;
    for (let attempt = 1; !this.destroyed; attempt++) {
      // A try that moves the body on is progress: the next one, if any, starts the count afresh.
      const startedAt = this.offset;
      let response: HttpResponse;
      try {
        response = await api.send(operation, api.pull(repository), {
          method: 'GET',
          url: `/v2/${repository}/blobs/${this.check.digest}`,
          headers: startedAt > 0 ? { range: `bytes=${startedAt}-` } : {},
          followRedirects: true,
          signal: this.cancel.signal,
        });
        if (response.status !== 200 && response.status !== 206) throw await api.failure(operation, repository, response);
      } catch (error) {
        if (this.destroyed) return;
        await waitOut(nextWait(api.policy, api.deadline, error, verdictOf(error), attempt), api.deadline, error, this.cancel.signal);
        continue;
      }
      if (this.destroyed) {
        // The reader left while the registry was answering: the body it would have read is not fetched
        // (undici fails a body cut short, and no one is left to hear it).
        response.body.on('error', () => undefined).destroy();
        return;
      }
      const watch = new ProgressWatch(
        rule,
        () => {
          const stalled = Object.assign(new Error(`less than ${rule.bytes} bytes in ${rule.windowMs / 1000} s`), {
            code: 'FERRY_TOO_SLOW',
          });
          response.body.destroy(stalled);
        },
        () => response.body.isPaused(),
      );
      try {
        // A server that ignores Range sends everything again: skip what was already passed on.
        await this.pass(response.body, response.status === 200 ? startedAt : 0, watch);
        return;
      } catch (error) {
        if (this.destroyed) return;
        if (this.refused !== undefined) throw this.refused;
        // The failure that ends the read: the deadline, or why no further try is made (a wait past the deadline).
        const failed = (final: unknown): Error => {
          const reason = api.deadline.signal.aborted
            ? `stopped at the run's deadline (${api.deadline.describe})`
            : (final as Error).message;
          return api.error(operation, repository, `the connection failed after ${this.offset} bytes: ${reason}`, {
            cause: error,
            retriable: final === error && verdictOf(error).retriable,
          });
        };
        let wait: number;
        try {
          // A body cut mid-way carries no Retry-After: the wait is the back-off alone, and none at all
          // when this try moved the body on (it is picked up at once where it stopped).
          wait = nextWait(api.policy, api.deadline, error, { retriable: verdictOf(error).retriable }, attempt);
        } catch (final) {
          throw failed(final);
        }
        if (this.offset > startedAt) {
          // A megabyte on is progress worth a fresh count of tries; a trickle is not (a server
          // sending a byte per connection would otherwise never run out of them).
          if (this.offset - startedAt >= progressResetBytes) attempt = 0;
          continue;
        }
        await waitOut(wait, api.deadline, error, this.cancel.signal).catch((final: unknown) => {
          throw failed(final);
        });
      } finally {
        this.body = undefined;
        watch.stop();
      }
    }
  }

  /** One try's body into the stream, `skip` bytes first dropped; settles when the body ends or fails. */
  private pass(body: HttpResponse['body'], skip: number, watch: ProgressWatch): Promise<void> {
    this.body = body;
    return new Promise<void>((resolve, reject) => {
      body.on('data', (chunk: Buffer) => {
        watch.add(chunk.length);
        let buffer = chunk;
        if (skip > 0) {
          const dropped = Math.min(skip, buffer.length);
          buffer = buffer.subarray(dropped);
          skip -= dropped;
        }
        // Only the try under way passes bytes on, and only into a stream still read.
        if (buffer.length === 0 || this.body !== body || this.destroyed) return;
        const reason = this.check.update(buffer);
        if (reason !== undefined) {
          this.refused = this.api.error(this.operation, this.repository, reason);
          body.destroy(this.refused);
          return;
        }
        this.offset += buffer.length;
        if (!this.push(buffer)) {
          body.pause();
          watch.hold();
        }
      });
      finished(body, (error) => (error === undefined || error === null ? resolve() : reject(error)));
    });
  }
}
