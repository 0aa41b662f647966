// A blob read from a registry: a stream verified against its digest (and size) as it passes, a
// connection lost mid-body or a body that stalls picked up where it stopped with a Range request; and
// the HEAD that asks whether a repository has a blob.
import { Readable } from 'node:stream';
import type { RegistryApi } from './api.js';
import { DigestVerifier, verified } from '../oci/digest.js';
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
    const verifier = new DigestVerifier(digest, size, (reason) => this.api.error(`get blob ${digest}`, repository, reason));
    return verified(Readable.from(this.chunks(repository, digest), { objectMode: false }), verifier);
  }

  private async *chunks(repository: string, digest: string): AsyncGenerator<Buffer> {
    const operation = `get blob ${digest}`;
    const policy = this.api.policy;
    const { rule } = this;
    let offset = 0;
    for (let attempt = 1; ; attempt++) {
      // A try that moves the body on is progress: the next one, if any, starts the count afresh.
      const startedAt = offset;
      let response: HttpResponse;
      try {
        response = await this.api.send(operation, this.api.pull(repository), {
          method: 'GET',
          url: `/v2/${repository}/blobs/${digest}`,
          headers: offset > 0 ? { range: `bytes=${offset}-` } : {},
          followRedirects: true,
        });
        if (response.status !== 200 && response.status !== 206) throw await this.api.failure(operation, repository, response);
      } catch (error) {
        await waitOut(nextWait(policy, this.api.deadline, error, verdictOf(error), attempt), this.api.deadline, error);
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
        // The failure that ends the read: the deadline, or why no further try is made (a wait past the deadline).
        const failed = (final: unknown): Error => {
          const reason = this.api.deadline.signal.aborted
            ? `stopped at the run's deadline (${this.api.deadline.describe})`
            : (final as Error).message;
          return this.api.error(operation, repository, `the connection failed after ${offset} bytes: ${reason}`, {
            cause: error,
            retriable: final === error && verdictOf(error).retriable,
          });
        };
        let wait: number;
        try {
          // A body cut mid-way carries no Retry-After: the wait is the back-off alone, and none at all
          // when this try moved the body on (it is picked up at once where it stopped).
          wait = nextWait(policy, this.api.deadline, error, { retriable: verdictOf(error).retriable }, attempt);
        } catch (final) {
          throw failed(final);
        }
        if (offset > startedAt) {
          // A megabyte on is progress worth a fresh count of tries; a trickle is not (a server
          // sending a byte per connection would otherwise never run out of them).
          if (offset - startedAt >= progressResetBytes) attempt = 0;
          continue;
        }
        await waitOut(wait, this.api.deadline, error).catch((final: unknown) => {
          throw failed(final);
        });
      } finally {
        watch.stop();
      }
    }
  }
}
