// Requests in flight to one registry, adaptive: the limit is cut in half when the registry answers
// 429 or 503 (or asks to wait), and grows by one after as many successes as it allows, back up to the
// ceiling `concurrency` sets (additive increase, multiplicative decrease). A slot is held until the
// response's status arrives, so a streaming body never holds one.

export interface LimiterEvents {
  /** Told once per slow-down, with the new limit and why. */
  readonly onSlowDown?: (limit: number, reason: string) => void;
}

export class HostLimiter {
  private limit: number;
  private active = 0;
  private successes = 0;
  private readonly waiting: (() => void)[] = [];
  /** The lowest limit reached, and how many requests were in flight at most (for tests and the report). */
  lowest: number;
  peakActive = 0;

  constructor(
    private readonly ceiling: number,
    private readonly events: LimiterEvents = {},
  ) {
    this.limit = ceiling;
    this.lowest = ceiling;
  }

  get current(): number {
    return this.limit;
  }

  private async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      this.peakActive = Math.max(this.peakActive, this.active);
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.peakActive = Math.max(this.peakActive, this.active);
  }

  private release(): void {
    const next = this.active <= this.limit ? this.waiting.shift() : undefined;
    if (next === undefined) this.active--;
    else next();
  }

  /** The registry pushed back: halve the limit. */
  throttled(reason: string): void {
    const cut = Math.max(1, Math.floor(this.limit / 2));
    this.successes = 0;
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
      // Room for one more: wake a waiter.
      if (this.active < this.limit) {
        const next = this.waiting.shift();
        if (next !== undefined) {
          this.active++;
          next();
        }
      }
    }
  }

  /** Runs `send` in a slot; `status` reads the outcome (429 and 503 push back). */
  async run<T>(send: () => Promise<T>, status: (result: T) => number | undefined): Promise<T> {
    await this.acquire();
    try {
      const result = await send();
      const code = status(result);
      if (code === 429 || code === 503) this.throttled(`the registry answered ${code}`);
      else if (code !== undefined && code < 500) this.succeeded();
      return result;
    } finally {
      this.release();
    }
  }
}
