// Requests in flight to one registry, adaptive: the limit is cut in half when the registry pushes back
// (a 429 that says nothing of when to come back, or most answers of a second asking to wait: an
// isolated Retry-After paces the request it answers, and is not also a reason to slow every other
// one), at most once a second however many answers say so at once (as
// TCP halves once per round trip, not per loss), and grows by one after as many successes as it
// allows, back up to the ceiling `concurrency` sets (additive increase, multiplicative decrease). A
// 503 without Retry-After is a failing back end, not throttling: retried, not slowed for. A slot is
// held until the response's status arrives, so a download's body never holds one.

export interface LimiterEvents {
  /** Told once per slow-down, with the new limit and why. */
  readonly onSlowDown?: (limit: number, reason: string) => void;
}

/** Answers within this long of a cut are the same episode of pushing back; answers are counted in windows this long. */
const cutWindowMs = 1000;
const now = (): number => Date.now();

/**
 * What a request holds its slot for: `body` for an upload whose body streams while the slot is held
 * (a blob), `light` for everything else (HEADs, manifests, starting an upload), which may be many more
 * at once: on a far registry they are round trips, not bandwidth.
 */
export type Lane = 'body' | 'light';

/** Light requests in flight per body slot. */
export const lightPerBodySlot = 4;

export class HostLimiter {
  private limit: number;
  private readonly active: Record<Lane, number> = { body: 0, light: 0 };
  private successes = 0;
  private lastCut = Number.NEGATIVE_INFINITY;
  private readonly waiting: Record<Lane, (() => void)[]> = { body: [], light: [] };
  /** The lowest limit reached (for tests and the report). */
  lowest: number;

  constructor(
    private readonly ceiling: number,
    private readonly events: LimiterEvents = {},
  ) {
    this.limit = ceiling;
    this.lowest = ceiling;
  }

  /** The limit of body requests in flight (light ones may be `lightPerBodySlot` times as many). */
  get current(): number {
    return this.limit;
  }

  private limitOf(lane: Lane): number {
    return lane === 'body' ? this.limit : this.limit * lightPerBodySlot;
  }

  private async acquire(lane: Lane): Promise<void> {
    if (this.active[lane] < this.limitOf(lane)) {
      this.active[lane]++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting[lane].push(resolve));
  }

  private release(lane: Lane): void {
    const next = this.active[lane] <= this.limitOf(lane) ? this.waiting[lane].shift() : undefined;
    if (next === undefined) this.active[lane]--;
    else next();
  }

  /** Answers of the current window, and how many of them pushed back. */
  private window = { start: Number.NEGATIVE_INFINITY, answers: 0, pushedBack: 0 };

  private count(pushedBack: boolean, at: number): void {
    if (at - this.window.start >= cutWindowMs) this.window = { start: at, answers: 0, pushedBack: 0 };
    this.window.answers++;
    if (pushedBack) this.window.pushedBack++;
  }

  /** Most answers of the window pushed back, enough of them to tell. */
  private storming(): boolean {
    return this.window.answers >= 4 && this.window.pushedBack * 2 > this.window.answers;
  }

  /** The registry pushed back: halve the limit, once per window. */
  throttled(reason: string, now = Date.now()): void {
    this.successes = 0;
    if (now - this.lastCut < cutWindowMs) return;
    this.lastCut = now;
    const cut = Math.max(1, Math.floor(this.limit / 2));
    if (cut < this.limit) {
      this.limit = cut;
      this.lowest = Math.min(this.lowest, cut);
      this.events.onSlowDown?.(cut, reason);
    }
  }

  private succeeded(): void {
    if (this.limit >= this.ceiling) return;
    this.successes++;
    if (this.successes >= this.limit) {
      this.successes = 0;
      this.limit++;
      // Room for more: wake waiters.
      for (const lane of ['body', 'light'] as const) {
        while (this.active[lane] < this.limitOf(lane)) {
          const next = this.waiting[lane].shift();
          if (next === undefined) break;
          this.active[lane]++;
          next();
        }
      }
    }
  }

  /** Runs `send` in a slot; `outcome` reads the status and whether the answer asks to wait (Retry-After). */
  async run<T>(send: () => Promise<T>, outcome: (result: T) => { status: number; retryAfter: boolean }, lane: Lane = 'light'): Promise<T> {
    await this.acquire(lane);
    try {
      const result = await send();
      const { status, retryAfter } = outcome(result);
      const pushedBack = status === 429 || retryAfter;
      this.count(pushedBack, now());
      // A Retry-After paces the request it answers already: an isolated one is not also a reason to slow
      // every other request. A 429 without one, or most answers of the last second pushing back (a
      // storm), is: the limit is halved.
      if ((status === 429 && !retryAfter) || (pushedBack && this.storming()))
        this.throttled(`the registry answered ${status}${retryAfter ? ' with Retry-After' : ''}`);
      else if (!pushedBack && status < 500) this.succeeded();
      return result;
    } finally {
      this.release(lane);
    }
  }
}
