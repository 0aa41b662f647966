// A range of a tar's file handed over in pieces, each read while the one before is taken.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { TarError, passBuffers, passReadSize, readPieces } from '../../src/archive/tar-pieces.js';

describe('reading a range in pieces', () => {
  /** A file in memory whose reads answer a little later, each logged as it starts and ends. */
  const slowFile = (data: Buffer, log: string[]) => ({
    read: (buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }> => {
      log.push(`read ${position}`);
      return new Promise((resolve) =>
        setTimeout(() => {
          const bytesRead = data.copy(buffer, offset, position, Math.min(position + length, data.length));
          log.push(`read ${position} done`);
          resolve({ bytesRead });
        }, 5),
      );
    },
    stat: async () => ({ size: data.length }),
    close: async () => undefined,
  });

  it('hands over the range in order, each piece read while the one before is taken', async () => {
    const data = randomBytes(2 * passReadSize + 12345);
    const log: string[] = [];
    const taken: Buffer[] = [];
    await readPieces(slowFile(data, log), data.length - 100, 100, passBuffers(), (piece) => {
      log.push(`take ${taken.length}`);
      taken.push(Buffer.from(piece));
    });
    assert.ok(Buffer.concat(taken).equals(data.subarray(100)));
    assert.equal(taken.length, 3);
    // The second piece's read is on its way before the first is taken, and the third's before the second.
    assert.ok(log.indexOf(`read ${100 + passReadSize}`) < log.indexOf('take 0'), log.join(', '));
    assert.ok(log.indexOf(`read ${100 + 2 * passReadSize}`) < log.indexOf('take 1'), log.join(', '));
  });

  it('a reader that fails leaves no read under way in the buffers when the failure comes back', async () => {
    const data = randomBytes(3 * passReadSize);
    const log: string[] = [];
    await assert.rejects(
      readPieces(slowFile(data, log), data.length, 0, passBuffers(), () => {
        throw new Error('refused');
      }),
      /refused/,
    );
    assert.equal(log.at(-1), `read ${passReadSize} done`, log.join(', '));
  });

  it('a file shorter than the range is a tar error', async () => {
    const data = randomBytes(passReadSize + 10);
    await assert.rejects(
      readPieces(slowFile(data, []), data.length + 500, 0, passBuffers(), () => undefined),
      TarError,
    );
  });
});
