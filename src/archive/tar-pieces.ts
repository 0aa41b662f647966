// A tar's file read in pieces: a range read exactly, a range handed over a piece at a time with the
// next on its way, and the read-ahead a pass takes a whole tar through. A file that ends before the
// range does is a TarError.
import type { ByteReader } from './spanned-file.js';

export class TarError extends Error {}

/** What the pass reads at a time, into two buffers it takes in turns. */
export const passReadSize = 1024 * 1024;

/** `length` bytes of the file from `position`, into `into` when given (else a new buffer); a short file is a TarError. */
export async function readExactly(handle: ByteReader, length: number, position: number, into?: Buffer): Promise<Buffer> {
  // Not zeroed: every byte is read into before the buffer is handed on, or the read fails.
  const buffer = into === undefined ? Buffer.allocUnsafe(length) : into.subarray(0, length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) throw new TarError('the tar ends in the middle of an entry');
    filled += bytesRead;
  }
  return buffer;
}

/** The two buffers a pass reads into, in turns. */
export type PassBuffers = readonly [Buffer, Buffer];

export const passBuffers = (): PassBuffers => [Buffer.allocUnsafe(passReadSize), Buffer.allocUnsafe(passReadSize)];

/**
 * `length` bytes of the file from `position`, handed to `take` a piece of up to `passReadSize` at a time
 * (valid only during the call), the next piece read while `take` has this one: reading and what is done
 * with the bytes (hashing, mostly) overlap, which takes a third off a pass here. A short file is a
 * TarError; the signal is checked before each piece is handed over. No read is under way once it settles.
 */
export async function readPieces(
  handle: ByteReader,
  length: number,
  position: number,
  buffers: PassBuffers,
  take: (piece: Buffer) => void,
  signal?: AbortSignal,
): Promise<void> {
  const file = new AheadReader(handle, position + length, signal, position, buffers);
  try {
    await file.take(length, take);
  } finally {
    await file.settle();
  }
}

/**
 * A file read front to back, from `from` to `end`, in pieces of `passReadSize` into two buffers in
 * turns, the next on its way while the caller works on this one: a tar's headers, extended headers and
 * contents all come out of it, where a read awaited for each header and each small content (an
 * image's manifests, configs) left the pass idle a quarter of its time. A skip past the piece on its
 * way starts reading afresh where it lands.
 */
export class AheadReader {
  /** The bytes of the piece in hand not yet taken, and where the first of them is in the file. */
  private piece: Buffer = Buffer.alloc(0);
  private at: number;
  /** The read of the next piece, into the buffer the piece in hand is not in, and where it starts. */
  private next: Promise<Buffer> | undefined;
  private nextAt = 0;
  private nextLength = 0;
  private turn = 0;

  constructor(
    private readonly handle: ByteReader,
    private readonly end: number,
    private readonly signal: AbortSignal | undefined,
    from = 0,
    private readonly buffers: PassBuffers = passBuffers(),
  ) {
    this.at = from;
    this.readFrom(from);
  }

  /** Where the next byte taken is in the file. */
  get position(): number {
    return this.at;
  }

  /** The next `length` bytes, copied: a header or an extended header's records. */
  async bytes(length: number): Promise<Buffer> {
    const copy = Buffer.allocUnsafe(length);
    let filled = 0;
    await this.take(length, (chunk) => {
      filled += chunk.copy(copy, filled);
    });
    return copy;
  }

  /** The next `length` bytes, handed to `use` a piece at a time (each valid only during the call). */
  async take(length: number, use: (chunk: Buffer) => void): Promise<void> {
    let left = length;
    while (left > 0) {
      if (this.piece.length === 0) await this.advance();
      const chunk = this.piece.subarray(0, Math.min(left, this.piece.length));
      this.piece = this.piece.subarray(chunk.length);
      this.at += chunk.length;
      left -= chunk.length;
      use(chunk);
    }
  }

  /**
   * Passes over `length` bytes: those in hand are dropped, and the piece on its way too when the skip
   * lands past it, where reading then starts afresh (once that read is done: one read at a time).
   */
  async skip(length: number): Promise<void> {
    let left = length;
    // Landing in the piece on its way: that piece is taken, and the skip ends inside it.
    if (left > this.piece.length && this.next !== undefined && this.at + left < this.nextAt + this.nextLength) {
      left -= this.piece.length;
      this.piece = Buffer.alloc(0);
      await this.advance();
    }
    if (left <= this.piece.length) {
      this.piece = this.piece.subarray(left);
      this.at += left;
      return;
    }
    const to = this.at + left;
    if (to > this.end) throw new TarError('the tar ends in the middle of an entry');
    await this.settle();
    this.piece = Buffer.alloc(0);
    this.at = to;
    this.readFrom(to);
  }

  /** Waits for a read still under way, which writes into a buffer: none is left running once the pass ends. */
  async settle(): Promise<void> {
    await this.next?.catch(() => undefined);
  }

  private readFrom(position: number): void {
    this.nextAt = position;
    this.nextLength = Math.min(passReadSize, this.end - position);
    this.next = this.nextLength > 0 ? readExactly(this.handle, this.nextLength, position, this.buffers[this.turn]) : undefined;
    // A read that fails while the pass waits on something else (a visitor, a reader's end) is no
    // unhandled rejection: its failure comes back when it is awaited, or goes with the pass.
    this.next?.catch(() => undefined);
  }

  private async advance(): Promise<void> {
    const next = this.next;
    if (next === undefined) throw new TarError('the tar ends in the middle of an entry');
    const piece = await next;
    this.signal?.throwIfAborted();
    this.piece = piece;
    this.at = this.nextAt;
    this.turn = 1 - this.turn;
    this.readFrom(this.nextAt + piece.length);
  }
}
