// When a registry operation is tried again, as a whole, and how long ferry waits first. A failure is
// retriable or not by what it is (RegistryError.retriable): a reset connection, a time-out, 408, 429
// and the 5xx that mean "try later" are; a 500 that names a permanent condition is not. Every wait is
// capped (the kubelet's 300 s) and bounded by the run's deadline.
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly attempts: number;
  readonly initialDelayMs: number;
  /** No single wait is longer, Retry-After included: the kubelet's image pull back-off limit. */
  readonly maxDelayMs: number;
  /** The back-off of ferry's own choosing grows no further than this (a server's Retry-After may). */
  readonly maxBackoffMs?: number;
  /**
   * How long a host that refuses connections (or has no route) is tried, from the first of an unbroken
   * run of such failures: a registry that is down is said so in seconds, not after a minute of tries.
   */
  readonly unreachableMs?: number;
}

/**
 * Ten tries: a release of a few hundred images makes well over a thousand requests, and against a
 * registry that fails one in four of them (the fault schedule of the test suite) five tries leave
 * about one operation failing every run; ten leave one in a thousand runs. Back-off grows to 20 s,
 * so an endpoint that answers with errors costs about a minute of tries before the operation fails.
 * A host that refuses connections, or has no route, is tried for 3 s from the first such failure in a
 * row (four quick tries): a registry that is down is said so in seconds. A name that does not resolve
 * fails at once; a name server that says "try again" (EAI_AGAIN) gets the whole back-off.
 */
export const defaultRetryPolicy: RetryPolicy = {
  attempts: 10,
  initialDelayMs: 250,
  maxDelayMs: 300_000,
  maxBackoffMs: 20_000,
  unreachableMs: 3_000,
};

const unreachableCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** The failures the short window of `unreachableMs` applies to: nothing listens there, or no route leads there. */
const refusedCodes = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Whether a failure says nothing listens at the host, or no route leads to it. */
export function isRefused(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && refusedCodes.has(code)) return true;
  }
  return false;
}

/** Whether a failure says the host cannot be reached at all (refused, no such name, no route). */
export function isUnreachable(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && unreachableCodes.has(code)) return true;
  }
  return false;
}

/** 408, 429 and the 5xx that mean "try later"; every other status is an answer. */
export function isRetriableStatus(status: number): boolean {
  return status === 408 || status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/**
 * Error codes (OCI distribution spec) that say the request itself is wrong: sending it again cannot
 * help, whatever the status (registries answer some of them with 500).
 */
export const permanentCodes: ReadonlySet<string> = new Set([
  'MANIFEST_BLOB_UNKNOWN',
  'MANIFEST_INVALID',
  'MANIFEST_UNKNOWN',
  'DIGEST_INVALID',
  'BLOB_UPLOAD_INVALID',
  'BLOB_UNKNOWN',
  'SIZE_INVALID',
  'NAME_INVALID',
  'NAME_UNKNOWN',
  'TAG_INVALID',
  'UNSUPPORTED',
  'DENIED',
  'UNAUTHORIZED',
]);

const transientCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
  'FERRY_TOO_SLOW',
]);

/**
 * A connection-level failure worth another try (reset, refused, timed out, an answer that could not be
 * parsed), not a TLS refusal. An unparsable answer (undici's HTTPParserError) is most often the bytes of
 * an earlier answer on a kept connection (a body a server sent after a HEAD answer, which HTTP forbids):
 * the connection is dropped and a new one answers.
 */
export function isTransientError(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && transientCodes.has(code)) return true;
    if (current.name === 'HTTPParserError') return true;
  }
  return false;
}

/** Seconds or an HTTP date, as RFC 9110 allows; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait before try number `attempt` + 1: the server's Retry-After when it gave one, else an
 * exponential back-off with full jitter; either capped at maxDelayMs.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, retryAfterMs?: number, random = Math.random): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
  const ceiling = Math.min(
    policy.maxBackoffMs ?? policy.maxDelayMs,
    policy.maxDelayMs,
    policy.initialDelayMs * 2 ** (Math.min(attempt, 30) - 1),
  );
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** What a failed try tells the retry loop. */
export interface Verdict {
  readonly retriable: boolean;
  /** The server's Retry-After, when it gave one. */
  readonly retryAfterMs?: number;
}

/** The run's deadline: no wait goes past it, and requests are aborted at it. */
export interface Deadline {
  /** Milliseconds since the epoch. */
  readonly at: number;
  readonly signal: AbortSignal;
  /** How the deadline was set, for messages (`timeout 30m`). */
  readonly describe: string;
}

const never = new AbortController().signal;
// Shared by every client made without a deadline (tests, the library): its listeners are not a leak.
setMaxListeners(0, never);
export const noDeadline: Deadline = { at: Number.POSITIVE_INFINITY, signal: never, describe: 'no timeout' };

export function deadlineIn(milliseconds: number, describe: string): Deadline {
  const signal = AbortSignal.timeout(milliseconds);
  // Every request in flight listens to it: hundreds at once are expected, not a leak.
  setMaxListeners(0, signal);
  return { at: Date.now() + milliseconds, signal, describe };
}

/** A failure that waiting cannot fix in time: the server asks for longer than the cap or the deadline allow. */
export class WaitRefused extends Error {
  constructor(
    message: string,
    readonly last: unknown,
  ) {
    super(message, { cause: last });
    this.name = 'WaitRefused';
  }
}

export interface RetryOptions {
  readonly policy: RetryPolicy;
  readonly deadline: Deadline;
  /** How to read a failure: retriable or not, and any Retry-After. */
  readonly verdict: (error: unknown) => Verdict;
  /** Told before each wait (for back-pressure and the log). */
  readonly onRetry?: (error: unknown, waitMs: number, attempt: number) => void;
}

/**
 * Runs `operation` until it succeeds, a failure is not retriable, or the tries are spent. The
 * operation starts again from what is known each time (it must reopen its own streams).
 */
export async function retryOperation<T>(options: RetryOptions, operation: (attempt: number) => Promise<T>): Promise<T> {
  const { policy, deadline } = options;
  // The first of an unbroken run of refused connections: a registry that answered 503 while it drained
  // and now restarts gets the whole window from its first refusal.
  let firstRefused: number | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      firstRefused = isRefused(error) ? (firstRefused ?? Date.now()) : undefined;
      const wait = nextWait(policy, deadline, error, options.verdict(error), attempt, firstRefused);
      options.onRetry?.(error, wait, attempt);
      await waitOut(wait, deadline, error);
    }
  }
}

/**
 * The one rule of every retry site: the wait before another try after `error` (the `attempt`-th), or,
 * when there is to be none, the error itself thrown (or a WaitRefused, when the wait the registry asks
 * for is longer than ferry waits or would pass the run's deadline).
 */
export function nextWait(
  policy: RetryPolicy,
  deadline: Deadline,
  error: unknown,
  verdict: Verdict,
  attempt: number,
  firstFailure = Date.now(),
): number {
  if (!verdict.retriable || attempt >= policy.attempts || deadline.signal.aborted) throw error;
  if (verdict.retryAfterMs !== undefined && verdict.retryAfterMs > policy.maxDelayMs) {
    throw new WaitRefused(
      `${(error as Error).message} (the registry asks to wait ${Math.ceil(verdict.retryAfterMs / 1000)} s with Retry-After, longer than the ${policy.maxDelayMs / 1000} s ferry waits at most)`,
      error,
    );
  }
  const wait = retryDelay(policy, attempt, verdict.retryAfterMs);
  if (policy.unreachableMs !== undefined && isRefused(error) && Date.now() + wait - firstFailure > policy.unreachableMs) throw error;
  if (Date.now() + wait > deadline.at) {
    throw new WaitRefused(
      `${(error as Error).message} (another try would wait ${Math.ceil(wait / 1000)} s, past the run's deadline: ${deadline.describe})`,
      error,
    );
  }
  return wait;
}

/** What aborts at the deadline, or at `cancel` (the caller no longer waits) if that comes first. */
export function deadlineOr(deadline: Deadline, cancel: AbortSignal | undefined): AbortSignal {
  return cancel === undefined ? deadline.signal : AbortSignal.any([deadline.signal, cancel]);
}

/** Waits `ms`, ended early by the deadline, after which `error` stands, or by `cancel` (the caller no longer waits). */
export async function waitOut(ms: number, deadline: Deadline, error: unknown, cancel?: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal: deadlineOr(deadline, cancel) }).catch(() => undefined);
  if (deadline.signal.aborted) throw error;
}
