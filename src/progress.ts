// Progress on long work: while a mode copies, packages or unpackages, a line at most every 10 s with
// the images done of all, the bytes moved (counted as they arrive, not when a blob ends) and the rate
// over the last interval, and how many requests were tried again. Work that ends within the first
// interval prints none.
import { bytes } from './format.js';

export const progressIntervalMs = 10_000;

export class Progress {
  private imagesDone = 0;
  private bytesMoved = 0;
  private retries = 0;
  /** The bytes and the time of the last line: the rate is over the interval since. */
  private lastBytes = 0;
  private lastAt = performance.now();
  private timer: NodeJS.Timeout | undefined;
  private said = '';

  constructor(
    private readonly total: number,
    private readonly log: (message: string) => void,
    private readonly intervalMs = progressIntervalMs,
  ) {}

  /** Starts the clock of lines. */
  start(): void {
    this.timer ??= setInterval(() => this.line(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  imageDone(): void {
    this.imagesDone++;
  }

  moved(count: number): void {
    this.bytesMoved += count;
  }

  retried(): void {
    this.retries++;
  }

  private line(): void {
    const now = performance.now();
    const seconds = (now - this.lastAt) / 1000;
    const rate = seconds > 0 ? (this.bytesMoved - this.lastBytes) / seconds : 0;
    this.lastAt = now;
    this.lastBytes = this.bytesMoved;
    const retries = this.retries === 0 ? '' : `; ${this.retries} request${this.retries === 1 ? '' : 's'} tried again so far`;
    const text = `progress: ${this.imagesDone} of ${this.total} images, ${bytes(this.bytesMoved)} moved (${bytes(Math.round(rate))}/s)${retries}`;
    // Nothing new since the last line: stay quiet rather than repeat it.
    if (text === this.said) return;
    this.said = text;
    this.log(text);
  }
}
