// The one-pass tar reader against tars a hostile archive could hold: each is refused where tar-stream
// or GNU tar would read something other than what ferry reads, and what ferry does read comes with
// the offset of its content.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ustarHeader } from '../../src/archive/tar-layout.js';
import { type TarEntry, type TarLimits, readTar, tarLimits } from '../../src/archive/tar-reader.js';
import { passReadSize } from '../../src/archive/tar-pieces.js';
import { scratchDir } from '../registry/harness.js';

const pad = (bytes: Buffer): Buffer => Buffer.concat([bytes, Buffer.alloc((512 - (bytes.length % 512)) % 512)]);
const end = Buffer.alloc(1024);

/** A header with its type flag changed, the checksum made right again. */
function withFlag(header: Buffer, flag: string): Buffer {
  return withBytes(header, 156, flag);
}

/** A header with `text` written at `at`, the checksum made right again. */
function withBytes(header: Buffer, at: number, text: string): Buffer {
  const changed = Buffer.from(header);
  changed.write(text, at, 'latin1');
  changed.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of changed) sum += byte;
  changed.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return changed;
}

const pax = (records: Record<string, string>): Buffer => {
  const body = Buffer.from(
    Object.entries(records)
      .map(([key, value]) => {
        const line = ` ${key}=${value}\n`;
        let length = line.length + 1;
        while (`${length}${line}`.length !== length) length++;
        return `${length}${line}`;
      })
      .join(''),
  );
  return Buffer.concat([withFlag(ustarHeader('PaxHeader', body.length, 'file'), 'x'), pad(body)]);
};

async function read(bytes: Buffer, limits?: TarLimits): Promise<TarEntry[]> {
  const file = path.join(scratchDir('tar-reader'), 'x.tar');
  writeFileSync(file, bytes);
  const handle = await open(file, 'r');
  const entries: TarEntry[] = [];
  try {
    await readTar(
      handle,
      (entry) => {
        entries.push(entry);
        return undefined;
      },
      undefined,
      limits,
    );
  } finally {
    await handle.close();
  }
  return entries;
}

describe('the one-pass tar reader', () => {
  it("reads ustar's prefix whatever its version field says, as Go's archive/tar and GNU tar do, and an old tar's slashed file as a folder", async () => {
    const prefixed = (version: string): Buffer =>
      withBytes(withBytes(ustarHeader('index.json', 0, 'file'), 345, 'elsewhere'), 263, version);
    for (const version of ['00', '\0\0', '  '])
      assert.deepEqual(
        (await read(Buffer.concat([prefixed(version), end]))).map((entry) => entry.name),
        ['elsewhere/index.json'],
        JSON.stringify(version),
      );
    const [folder] = await read(Buffer.concat([withFlag(ustarHeader('blobs/', 0, 'file'), '\0'), end]));
    assert.equal(folder?.type, 'directory');
    // A GNU header with times that are numbers, or none, is read with no prefix, as GNU tar and Go read it.
    const gnu = withBytes(ustarHeader('c.json', 0, 'file'), 257, 'ustar  \0');
    assert.deepEqual(
      (await read(Buffer.concat([gnu, end]))).map((entry) => entry.name),
      ['c.json'],
    );
    const timed = withBytes(gnu, 345, '00000000001\0');
    assert.deepEqual(
      (await read(Buffer.concat([timed, end]))).map((entry) => entry.name),
      ['c.json'],
    );
  });

  it("reads a numeric field as Go does: NULs and spaces trimmed at both ends, so an entry's content is never read as entries", async () => {
    const hidden = Buffer.concat([ustarHeader('index.json', 2, 'file'), pad(Buffer.from('{}'))]);
    const sized = withBytes(ustarHeader('junk', 0, 'file'), 124, `\0${hidden.length.toString(8).padStart(10, '0')}\0`);
    const entries = await read(Buffer.concat([sized, hidden, end]));
    assert.deepEqual(
      entries.map((entry) => [entry.name, entry.size]),
      [['junk', hidden.length]],
    );
    await assert.rejects(read(Buffer.concat([withBytes(ustarHeader('x', 0, 'file'), 124, '\t0000000002\0'), end])), /is not a number/);
    // A field's bytes are quoted as one line: UTF-8's line separator among them is escaped.
    await assert.rejects(
      read(Buffer.concat([withBytes(ustarHeader('x', 0, 'file'), 124, '1\u00e2\u0080\u00a8::x\0'), end])),
      (error: Error) => error.message.includes('\\u2028::x') && !error.message.includes('\u2028'),
    );
  });
  it('keeps what it reads of the headers bounded: entries, and the bytes of their names and link names together', async () => {
    // An archive of the most entries, each of the longest name, would keep 4 GiB of names: the total is bounded too.
    assert.ok(tarLimits.nameBytes <= 128 * 1024 * 1024 && tarLimits.entries <= 1_000_000);
    const names = ['a'.repeat(90), 'b'.repeat(90), 'c'.repeat(90)];
    const archive = Buffer.concat([...names.map((name) => ustarHeader(name, 0, 'file')), end]);
    assert.equal((await read(archive, { entries: 3, nameBytes: 270 })).length, 3);
    await assert.rejects(read(archive, { entries: 2, nameBytes: 270 }), /more than 2 entries/);
    await assert.rejects(read(archive, { entries: 3, nameBytes: 269 }), /names of more than 269 bytes in all/);
    // A link's target counts as its name does.
    const link = withFlag(ustarHeader('d', 0, 'file'), '2');
    link.write('e'.repeat(100), 157, 'ascii');
    const fixed = withFlag(link, '2');
    await assert.rejects(read(Buffer.concat([fixed, end]), { entries: 3, nameBytes: 100 }), /names of more than 100 bytes in all/);
    assert.equal((await read(Buffer.concat([fixed, end]), { entries: 3, nameBytes: 101 })).length, 1);
  });

  it('gives each entry with the offset of its content, PAX paths and sizes applied to the next entry', async () => {
    const body = Buffer.from('hello');
    const long = `a/${'b'.repeat(200)}`;
    const entries = await read(
      Buffer.concat([ustarHeader('blobs/', 0, 'directory'), pax({ path: long }), ustarHeader('short', 5, 'file'), pad(body), end]),
    );
    assert.deepEqual(
      entries.map(({ name, type, size }) => ({ name, type, size })),
      [
        { name: 'blobs/', type: 'directory', size: 0 },
        { name: long, type: 'file', size: 5 },
      ],
    );
    assert.equal(entries[1]?.offset, 512 * 4);
  });

  for (const [what, bytes, reason] of [
    [
      'a folder with content, which other readers skip over',
      Buffer.concat([ustarHeader('dir/', 1024, 'directory'), Buffer.alloc(1024), end]),
      /a directory entry with 1024 bytes/,
    ],
    ['a global extended header', Buffer.concat([withFlag(ustarHeader('g', 0, 'file'), 'g'), end]), /a global extended header/],
    [
      'entries after the closing blocks',
      Buffer.concat([end, ustarHeader('index.json', 0, 'file'), end]),
      /data after the end of the archive \(byte 1024\)/,
    ],
    [
      'a PAX size that is not a decimal number',
      Buffer.concat([pax({ size: '0x10' }), ustarHeader('x', 0, 'file'), end]),
      /a PAX size is not a number/,
    ],
    ...(['0x1e', '1e1', '+30'] as const).map(
      (length) =>
        [
          `a PAX record length written ${length}`,
          Buffer.concat([
            withFlag(ustarHeader('PaxHeader', 30, 'file'), 'x'),
            pad(Buffer.from(`${length} path=index.json-long-one\n`.padEnd(30, 'x'))),
            ustarHeader('x', 0, 'file'),
            end,
          ]),
          /a PAX header is malformed/,
        ] as const,
    ),
    [
      'a PAX record that does not end in its newline',
      Buffer.concat([
        withFlag(ustarHeader('PaxHeader', 16, 'file'), 'x'),
        pad(Buffer.from('16 path=abcdefg!')),
        ustarHeader('x', 0, 'file'),
        end,
      ]),
      /a PAX header is malformed/,
    ],
    [
      'a PAX header applied to another extension header',
      Buffer.concat([pax({ size: '0' }), pax({ path: 'x' }), ustarHeader('x', 0, 'file'), end]),
      /an extended header follows another/,
    ],
    [
      'an entry named by a PAX path and a GNU long name (Go takes one, tar-stream the other)',
      Buffer.concat([
        pax({ path: 'ignored-by-go/index.json' }),
        withFlag(ustarHeader('././@LongLink', 10, 'file'), 'L'),
        pad(Buffer.from('index.json')),
        ustarHeader('x', 0, 'file'),
        end,
      ]),
      /is named by a PAX record and by a GNU long name/,
    ],
    [
      'a link named by a PAX linkpath and a GNU long link name',
      Buffer.concat([
        withFlag(ustarHeader('././@LongLink', 5, 'file'), 'K'),
        pad(Buffer.from('other')),
        pax({ linkpath: 'layer.tar' }),
        withFlag(ustarHeader('x', 0, 'file'), '1'),
        end,
      ]),
      /is named by a PAX record and by a GNU long name/,
    ],
    [
      'a PAX name with a NUL in it (Go refuses it, tar-stream cuts it)',
      Buffer.concat([pax({ path: 'index.json\0x' }), ustarHeader('x', 0, 'file'), end]),
      /a PAX name with a NUL in it/,
    ],
    [
      "GNU sparse records, which rename and resize the entry for Go's reader",
      Buffer.concat([pax({ 'GNU.sparse.name': 'index.json', 'GNU.sparse.size': '3' }), ustarHeader('GNUSparseFile.0/x', 0, 'file'), end]),
      /a GNU sparse file/,
    ],
    [
      'a PAX record with no key, which Go refuses',
      Buffer.concat([pax({ '': 'x' }), ustarHeader('x', 0, 'file'), end]),
      /a PAX header is malformed/,
    ],
    [
      'a GNU header whose times are no numbers (Go reads a ustar prefix there, GNU tar does not)',
      Buffer.concat([withBytes(withBytes(ustarHeader('c.json', 0, 'file'), 257, 'ustar  \0'), 345, 'cfg'), end]),
      /is GNU's, with times that are no numbers/,
    ],
    [
      "star's ustar header (times where the prefix's last bytes would be)",
      Buffer.concat([withBytes(ustarHeader('index.json', 0, 'file'), 508, 'tar\0'), end]),
      /is star's/,
    ],
    [
      'a file named with a trailing slash (Go keeps the slash, ferry would drop it)',
      Buffer.concat([ustarHeader('index.json/', 0, 'file'), end]),
      /named as a folder, with a trailing slash/,
    ],
    [
      "an old tar's file named with a trailing slash, which Go and GNU tar read as a folder, holding bytes",
      Buffer.concat([withFlag(ustarHeader('index.json/', 3, 'file'), '\0'), pad(Buffer.from('{}\n')), end]),
      /a directory entry with 3 bytes of content/,
    ],
    [
      'a header whose checksum is wrong',
      Buffer.concat([Buffer.from(ustarHeader('x', 0, 'file')).fill(0x41, 0, 1), end]),
      /is not a tar header/,
    ],
    ['an entry cut short', Buffer.concat([ustarHeader('x', 4096, 'file'), Buffer.alloc(512)]), /ends in the middle of an entry/],
  ] as const) {
    it(`refuses ${what}`, async () => {
      await assert.rejects(read(bytes), reason);
    });
  }
});

describe('reading a tar ahead', () => {
  /** A file in memory that counts the reads made of it and the bytes they asked for. */
  const countedFile = (data: Buffer) => {
    const reads: { position: number; length: number }[] = [];
    return {
      reads,
      read: async (buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }> => {
        reads.push({ position, length });
        return { bytesRead: data.copy(buffer, offset, position, Math.min(position + length, data.length)) };
      },
      stat: async () => ({ size: data.length }),
      close: async () => undefined,
    };
  };

  it('reads the headers and contents of small entries out of the same pieces, not with a read for each', async () => {
    const contents = Array.from({ length: 200 }, (_, at) => randomBytes(100 + at));
    const tar = Buffer.concat([
      ...contents.flatMap((content, at) => [ustarHeader(`blobs/${at}`, content.length, 'file'), pad(content)]),
      end,
    ]);
    const file = countedFile(tar);
    const seen: Buffer[] = [];
    await readTar(file, () => {
      const chunks: Buffer[] = [];
      return { update: (chunk) => chunks.push(Buffer.from(chunk)), end: () => void seen.push(Buffer.concat(chunks)) };
    });
    assert.deepEqual(seen, contents);
    // 200 entries in less than a piece: one read, where a read for each header and each content made 400.
    assert.ok(tar.length < passReadSize);
    assert.equal(file.reads.length, 1, JSON.stringify(file.reads));
  });

  it('hands over content that spans pieces whole and in order, and reads an extended header cut where a piece ends', async () => {
    // The first entry's content fills most of two pieces; the records of the PAX header after it start
    // 512 bytes before the second piece ends and run on into the third.
    const first = randomBytes(2 * passReadSize - 3 * 512 - 200);
    const long = `renamed/${'x'.repeat(900)}`;
    const tar = Buffer.concat([
      ustarHeader('one', first.length, 'file'),
      pad(first),
      pax({ path: long }),
      ustarHeader('two', 3, 'file'),
      pad(Buffer.from('abc')),
      end,
    ]);
    assert.equal(512 + pad(first).length + 512, 2 * passReadSize - 512, 'the records start 512 bytes before the second piece ends');
    const seen = new Map<string, Buffer>();
    await readTar(countedFile(tar), (entry) => {
      const chunks: Buffer[] = [];
      return { update: (chunk) => chunks.push(Buffer.from(chunk)), end: () => void seen.set(entry.name, Buffer.concat(chunks)) };
    });
    assert.deepEqual([...seen.keys()], ['one', long]);
    assert.ok(seen.get('one')?.equals(first));
    assert.equal(seen.get(long)?.toString(), 'abc');
  });

  it('does not read through an entry whose content it is told to skip, past the pieces in hand', async () => {
    const skipped = randomBytes(6 * passReadSize);
    const tar = Buffer.concat([
      ustarHeader('big', skipped.length, 'file'),
      skipped,
      ustarHeader('small', 2, 'file'),
      pad(Buffer.from('{}')),
      end,
    ]);
    const file = countedFile(tar);
    const names: string[] = [];
    await readTar(file, (entry) => {
      names.push(entry.name);
      return undefined;
    });
    assert.deepEqual(names, ['big', 'small']);
    const bytesRead = file.reads.reduce((sum, read) => sum + read.length, 0);
    assert.ok(bytesRead <= 3 * passReadSize, `${bytesRead} bytes read of ${tar.length}`);
  });

  /** A file in memory whose reads answer later, logged, and counted while under way; reads past `failFrom` fail. */
  const slowFile = (data: Buffer, failFrom = Infinity) => {
    const log: string[] = [];
    let underWay = 0;
    let most = 0;
    return {
      log,
      most: () => most,
      read: (buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }> => {
        log.push(`read ${position} ${length}`);
        most = Math.max(most, ++underWay);
        return new Promise((resolve, reject) =>
          setTimeout(() => {
            underWay--;
            log.push(`read ${position} done`);
            if (position >= failFrom) reject(new Error('EIO: the disk failed'));
            else resolve({ bytesRead: data.copy(buffer, offset, position, Math.min(position + length, data.length)) });
          }, 3),
        );
      },
      stat: async () => ({ size: data.length }),
      close: async () => undefined,
    };
  };
  const hashing = () => ({ update: () => undefined, end: () => undefined });

  it('names the byte after the end that is not zero, however far into the zeros it is', async () => {
    const rest = Buffer.alloc(3 * passReadSize);
    rest[2 * passReadSize + 3] = 1;
    await assert.rejects(
      readTar(countedFile(Buffer.concat([ustarHeader('x', 0, 'file'), end, rest])), () => undefined),
      new RegExp(`data after the end of the archive \\(byte ${512 + 1024 + 2 * passReadSize + 3}\\)`),
    );
  });

  it('fails with the read that failed while a visitor was still at work, not as an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const hear = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', hear);
    const tar = Buffer.concat([
      ustarHeader('one', 100, 'file'),
      pad(randomBytes(100)),
      ustarHeader('two', 3 * passReadSize, 'file'),
      pad(randomBytes(3 * passReadSize)),
      end,
    ]);
    const file = slowFile(tar, passReadSize);
    await assert.rejects(
      readTar(file, async () => {
        // The next piece's read fails while this visitor waits.
        await new Promise((resolve) => setTimeout(resolve, 30));
        return hashing();
      }),
      /EIO: the disk failed/,
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    process.off('unhandledRejection', hear);
    assert.deepEqual(unhandled, []);
  });

  it('leaves no read under way once it fails, and makes one read at a time, skips included, never reading a byte twice', async () => {
    const tar = Buffer.concat([
      ustarHeader('one', 3 * passReadSize, 'file'),
      pad(randomBytes(3 * passReadSize)),
      // Skipped, ending inside the piece on its way; then skipped, ending past it.
      ustarHeader('skipped', passReadSize, 'file'),
      pad(randomBytes(passReadSize)),
      ustarHeader('far', 3 * passReadSize, 'file'),
      pad(randomBytes(3 * passReadSize)),
      ustarHeader('last', 2, 'file'),
      pad(Buffer.from('{}')),
      end,
    ]);
    const whole = slowFile(tar);
    await readTar(whole, (entry) => (entry.name === 'skipped' || entry.name === 'far' ? undefined : hashing()));
    assert.equal(whole.most(), 1, whole.log.join(', '));
    const starts = whole.log
      .filter((line) => !line.endsWith('done'))
      .map((line) => line.split(' ').map(Number) as [number, number, number]);
    for (const [at, [, position, length]] of starts.entries()) {
      const later = starts.slice(at + 1);
      assert.ok(
        !later.some(([, other]) => other >= position && other < position + length),
        `bytes from ${position} read twice: ${whole.log.join(', ')}`,
      );
    }
    const failing = slowFile(tar);
    await assert.rejects(
      readTar(failing, (entry) => ({
        update: () => {
          if (entry.name === 'one') throw new Error('refused');
        },
        end: () => undefined,
      })),
      /refused/,
    );
    assert.equal(failing.log.filter((line) => line.endsWith('done')).length, failing.log.length / 2, failing.log.join(', '));
  });

  it('stops at the deadline within a piece, however much of the entry is left', async () => {
    const tar = Buffer.concat([ustarHeader('big', 16 * passReadSize, 'file'), pad(randomBytes(16 * passReadSize)), end]);
    const file = slowFile(tar);
    const deadline = new AbortController();
    let readsAtAbort = 0;
    await assert.rejects(
      readTar(
        file,
        () => ({
          update: () => {
            if (deadline.signal.aborted) return;
            deadline.abort(new Error('the deadline passed'));
            readsAtAbort = file.log.length;
          },
          end: () => undefined,
        }),
        deadline.signal,
      ),
      /the deadline passed/,
    );
    // The piece on its way when the deadline passed finishes; nothing is read after it.
    assert.equal(file.log.length, readsAtAbort + 1, file.log.join(', '));
  });
});
