// The one-pass tar reader against tars a hostile archive could hold: each is refused where tar-stream
// or GNU tar would read something other than what ferry reads, and what ferry does read comes with
// the offset of its content.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ustarHeader } from '../../src/archive/tar-layout.js';
import { type TarEntry, readTar } from '../../src/archive/tar-reader.js';
import { scratchDir } from '../registry/harness.js';

const pad = (bytes: Buffer): Buffer => Buffer.concat([bytes, Buffer.alloc((512 - (bytes.length % 512)) % 512)]);
const end = Buffer.alloc(1024);

/** A header with its type flag changed, the checksum made right again. */
function withFlag(header: Buffer, flag: string): Buffer {
  const changed = Buffer.from(header);
  changed[156] = flag.charCodeAt(0);
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

async function read(bytes: Buffer): Promise<TarEntry[]> {
  const file = path.join(scratchDir('tar-reader'), 'x.tar');
  writeFileSync(file, bytes);
  const handle = await open(file, 'r');
  const entries: TarEntry[] = [];
  try {
    await readTar(handle, (entry) => {
      entries.push(entry);
      return undefined;
    });
  } finally {
    await handle.close();
  }
  return entries;
}

describe('the one-pass tar reader', () => {
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
      /data after the end of the archive/,
    ],
    [
      'a PAX size that is not a decimal number',
      Buffer.concat([pax({ size: '0x10' }), ustarHeader('x', 0, 'file'), end]),
      /a PAX size is not a number/,
    ],
    [
      'a PAX header applied to another extension header',
      Buffer.concat([pax({ size: '0' }), pax({ path: 'x' }), ustarHeader('x', 0, 'file'), end]),
      /an extended header follows another/,
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
