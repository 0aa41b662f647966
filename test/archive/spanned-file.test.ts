// An archive in parts and an archive resumed, at the module: parts whose concatenation is byte for byte
// the archive written whole, the files of an earlier archive at the path removed at the commit point,
// and a stopped archive's blobs taken again only where their bytes are their digest.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { type TestContext, describe, it } from 'node:test';
import { ArchiveFile, commitArchive, journalName } from '../../src/archive/archive-file.js';
import { BlobStore, freeBytes } from '../../src/archive/store.js';
import { SpannedWriter } from '../../src/archive/spanned-file.js';
import { partName, partialBytes, partialName, partsOf, spanNames } from '../../src/archive/span-names.js';
import { scratchDir, sha256 } from '../registry/harness.js';

const mib = 1024 * 1024;
const contentsOf = (blobs: readonly Buffer[]) => ({
  blobs: new Map(blobs.map((blob) => [sha256(blob), blob.length])),
  manifests: new Map<string, Buffer>(),
  images: [],
  artifacts: [],
});
const descriptorOf = (blob: Buffer) => ({ mediaType: 'application/octet-stream', digest: sha256(blob), size: blob.length });

/** Writes an archive of `blobs` at `file`, whole or in parts, and puts it in place. */
async function written(file: string, blobs: readonly Buffer[], partSize?: number): Promise<ArchiveFile> {
  const archive = await ArchiveFile.create(file, contentsOf(blobs), partSize === undefined ? {} : { partSize });
  for (const blob of blobs)
    if (!(await archive.hasBlob(descriptorOf(blob)))) await archive.putBlob(descriptorOf(blob), () => Readable.from([blob]));
  assert.deepEqual(archive.missing(), []);
  await archive.close();
  await commitArchive(file, archive.files);
  return archive;
}

describe('an archive in parts', () => {
  const blobs = [randomBytes(3 * mib + 17), randomBytes(mib / 2), randomBytes(2 * mib + 900)];

  it('writes parts of at most the size, numbered from 001, whose concatenation is the archive written whole', async () => {
    const dir = scratchDir('parts');
    const whole = path.join(dir, 'whole', 'images.tar');
    const split = path.join(dir, 'split', 'images.tar');
    await written(whole, blobs);
    const archive = await written(split, blobs, mib);
    const parts = archive.files;
    assert.deepEqual(parts, spanNames(split, readFileSync(whole).length, mib));
    assert.equal(parts[0], `${split}.001`);
    assert.equal(parts.length, Math.ceil(readFileSync(whole).length / mib));
    for (const part of parts) assert.ok(readFileSync(part).length <= mib, part);
    assert.ok(Buffer.concat(parts.map((part) => readFileSync(part))).equals(readFileSync(whole)), 'cat of the parts is the archive');
    assert.equal(existsSync(split), false, 'no single file beside the parts');
    assert.deepEqual(
      readdirSync(path.dirname(split)).sort(),
      parts.map((part) => path.basename(part)).sort(),
      'no partial file or journal left',
    );
  });

  it('lays out bytes that cross from one part into the next, and names the part a layout write fails in', async () => {
    const dir = scratchDir('layout-parts');
    const files = [path.join(dir, 'images.tar.001'), path.join(dir, 'images.tar.002')];
    const writer = await SpannedWriter.open(files, 2 * mib - 100, mib);
    const header = randomBytes(512);
    writer.layOut([
      { bytes: header, position: mib - 200 },
      { bytes: Buffer.from('end'), position: 2 * mib - 103 },
    ]);
    const [first, second] = writer.partials.map((partial) => readFileSync(partial));
    assert.ok(first?.subarray(mib - 200).equals(header.subarray(0, 200)));
    assert.ok(second?.subarray(0, 312).equals(header.subarray(200)));
    assert.equal(second?.subarray(mib - 103).toString(), 'end');
    await writer.close();
    assert.throws(
      () => writer.layOut([{ bytes: header, position: mib + 10 }]),
      (error: Error) => error.message.startsWith(`${writer.partials[1]}: writing at 10: `),
    );
  });

  it('removes what an earlier archive at the path left: parts past the last, or the single file', async () => {
    const dir = scratchDir('parts-stale');
    const file = path.join(dir, 'images.tar');
    writeFileSync(file, 'an older single archive');
    for (let n = 1; n <= 12; n++) writeFileSync(partName(file, n), 'an older part');
    const archive = await written(file, blobs, 2 * mib);
    assert.deepEqual(readdirSync(dir).sort(), archive.files.map((part) => path.basename(part)).sort());
    await written(file, blobs);
    assert.deepEqual(readdirSync(dir), ['images.tar'], 'written whole again: the parts are gone');
  });

  it("leaves no mix of two archives' parts when a commit stops half-way: the first part comes last", async () => {
    const dir = scratchDir('parts-mix');
    const file = path.join(dir, 'images.tar');
    const older = await written(file, blobs, 2 * mib);
    const newer = await ArchiveFile.create(file, contentsOf([...blobs].reverse()), { partSize: 2 * mib });
    for (const blob of [...blobs].reverse()) await newer.putBlob(descriptorOf(blob), () => Readable.from([blob]));
    await newer.close();
    assert.equal(newer.files.length, older.files.length);
    // The commit stops at the second part (its partial file is gone, as if the run were killed there).
    rmSync(partialName(partName(file, 2)));
    await assert.rejects(commitArchive(file, newer.files));
    assert.ok(!existsSync(partName(file, 1)), 'no first part: no archive to read');
    assert.deepEqual(
      readdirSync(dir).filter((name) => /^images\.tar\.\d{3}$/.test(name)),
      newer.files.slice(2).map((part) => path.basename(part)),
      'only the new parts past the one it stopped at',
    );
  });

  it('refuses a blob that ends short of its place, and keeps it out of the journal', async () => {
    const dir = scratchDir('short');
    const file = path.join(dir, 'images.tar');
    const blob = randomBytes(300 * 1024);
    const archive = await ArchiveFile.create(file, contentsOf([blob]));
    await assert.rejects(
      archive.putBlob(descriptorOf(blob), () => Readable.from([blob.subarray(0, 100 * 1024)])),
      /102400 bytes where 307200 were laid out/,
    );
    assert.deepEqual(archive.missing(), [sha256(blob)]);
    await archive.close();
    assert.ok(!readFileSync(journalName(file), 'utf8').includes(sha256(blob)));
  });

  it('names the first part when it is missing and later ones are there', () => {
    const file = path.join(scratchDir('parts-first'), 'images.tar');
    assert.deepEqual(partsOf(file), []);
    writeFileSync(partName(file, 2), 'x');
    writeFileSync(partName(file, 3), 'x');
    assert.throws(
      () => partsOf(file),
      new RegExp(`images\\.tar\\.001 is missing: the parts of ${file.replace(/[.]/g, '\\.')} go on at .*images\\.tar\\.002`),
    );
  });

  it('refuses more than 999 parts, naming the input to change', () => {
    assert.throws(() => spanNames('images.tar', 1000 * mib, mib), /would be 1000 parts, more than 999: set a larger archive-part-size/);
  });
});

describe('an archive resumed', () => {
  const blobs = Array.from({ length: 6 }, (_, n) => randomBytes(200_000 + n * 1000));

  it('takes the blobs a stopped run wrote, each checked by digest, and ends byte for byte as a run that never stopped', async () => {
    for (const partSize of [undefined, 512 * 1024]) {
      const options = partSize === undefined ? {} : { partSize };
      const dir = scratchDir('resume');
      const reference = await written(path.join(dir, 'reference.tar'), blobs, partSize);
      const file = path.join(dir, 'images.tar');
      const first = await ArchiveFile.create(file, contentsOf(blobs), options);
      for (const blob of blobs.slice(0, 4)) await first.putBlob(descriptorOf(blob), () => Readable.from([blob]));
      await first.close(); // the run stops here
      // Damage one blob the journal names, as a disk or a hand might: it is fetched again, not trusted.
      const damaged = blobs[1] as Buffer;
      const holder = first.files.map(partialName).find((name) => readFileSync(name).includes(damaged.subarray(0, 64))) as string;
      const bytes = readFileSync(holder);
      const at = bytes.indexOf(damaged.subarray(0, 64));
      bytes[at + 10] = (bytes[at + 10] ?? 0) ^ 0xff;
      writeFileSync(holder, bytes);
      const second = await ArchiveFile.create(file, contentsOf(blobs), options);
      assert.equal(second.resumedBlobs, 3);
      const fetched: string[] = [];
      for (const blob of blobs) {
        if (await second.hasBlob(descriptorOf(blob))) continue;
        fetched.push(sha256(blob));
        await second.putBlob(descriptorOf(blob), () => Readable.from([blob]));
      }
      assert.deepEqual(fetched.sort(), [damaged, ...blobs.slice(4)].map((blob) => sha256(blob)).sort());
      await second.close();
      await commitArchive(file, second.files);
      const joined = (files: readonly string[]): Buffer => Buffer.concat(files.map((name) => readFileSync(name)));
      assert.equal(second.files.length, reference.files.length);
      assert.ok(joined(second.files).equals(joined(reference.files)), 'byte for byte the archive of a run that never stopped');
      assert.equal(existsSync(journalName(file)), false, 'the journal is gone once the archive is in place');
    }
  });

  it('ignores a torn journal line, partial files of another size, and a link where a partial file goes', async () => {
    const dir = scratchDir('resume-hostile');
    const file = path.join(dir, 'images.tar');
    const first = await ArchiveFile.create(file, contentsOf(blobs));
    await first.putBlob(descriptorOf(blobs[0] as Buffer), () => Readable.from([blobs[0] as Buffer]));
    await first.close();
    appendFileSync(journalName(file), sha256(blobs[1] as Buffer).slice(0, 30));
    const torn = await ArchiveFile.create(file, contentsOf(blobs));
    assert.equal(torn.resumedBlobs, 1);
    await torn.close();
    // Another set of blobs: another size, so nothing is taken from what is there.
    const other = await ArchiveFile.create(file, contentsOf(blobs.slice(1)));
    assert.equal(other.resumedBlobs, 0);
    await other.close();
    const outside = path.join(scratchDir('outside'), 'victim');
    writeFileSync(outside, Buffer.alloc(lstatSync(partialName(file)).size));
    rmSync(partialName(file));
    symlinkSync(outside, partialName(file));
    const linked = await ArchiveFile.create(file, contentsOf(blobs.slice(1)));
    await linked.close();
    assert.ok(readFileSync(outside).equals(Buffer.alloc(readFileSync(outside).length)), 'the link target is untouched');
    assert.equal(lstatSync(partialName(file)).isSymbolicLink(), false);
  });
});

describe('an archive resumed, across runs that stopped at bad moments', () => {
  const blobs = Array.from({ length: 4 }, (_, n) => randomBytes(300_000 + n * 1000));

  it('ends a torn journal line before the next digest, so a blob written after it is resumed too', async () => {
    const file = path.join(scratchDir('torn-then-more'), 'images.tar');
    const first = await ArchiveFile.create(file, contentsOf(blobs));
    await first.putBlob(descriptorOf(blobs[0] as Buffer), () => Readable.from([blobs[0] as Buffer]));
    await first.close();
    appendFileSync(journalName(file), sha256(blobs[1] as Buffer).slice(0, 30)); // killed mid-line
    const second = await ArchiveFile.create(file, contentsOf(blobs));
    assert.equal(second.resumedBlobs, 1);
    await second.putBlob(descriptorOf(blobs[2] as Buffer), () => Readable.from([blobs[2] as Buffer]));
    await second.close();
    const third = await ArchiveFile.create(file, contentsOf(blobs));
    assert.equal(third.resumedBlobs, 2, 'the blob journaled after the torn line is taken');
    await third.close();
  });

  it('removes the partial files of another layout (parts of another size, or none) and counts what they held as free', async () => {
    const dir = scratchDir('other-layout');
    const file = path.join(dir, 'images.tar');
    const inParts = await ArchiveFile.create(file, contentsOf(blobs), { partSize: 256 * 1024 });
    for (const blob of blobs) await inParts.putBlob(descriptorOf(blob), () => Readable.from([blob]));
    await inParts.close(); // the run stops with every blob written
    const stale = inParts.files.map(partialName);
    assert.ok(stale.length > 3);
    assert.ok((await partialBytes(file)) >= blobs.reduce((sum, blob) => sum + blob.length, 0), 'the blocks written are counted');
    // Not this archive's: another archive's partial file, and a name that only begins like one.
    writeFileSync(path.join(dir, '.other.tar.partial'), 'x');
    writeFileSync(path.join(dir, '.images.tar.001.partial.bak'), 'x');
    const whole = await ArchiveFile.create(file, contentsOf(blobs));
    await whole.close();
    for (const name of stale) assert.equal(existsSync(name), false, `${name} is gone`);
    assert.deepEqual(readdirSync(dir).sort(), [
      '.images.tar.001.partial.bak',
      '.images.tar.partial',
      '.images.tar.partial-blobs',
      '.other.tar.partial',
    ]);
    // A partial file laid out and not yet written holds no blocks, whatever its length.
    assert.ok(lstatSync(partialName(file)).size > 1_000_000);
    assert.ok((await partialBytes(file)) < 64 * 1024, `${await partialBytes(file)} bytes held by a file of holes`);
  });

  it('refuses a folder where the archive goes as it lays the archive out, before any blob, and names the partial file a write fails in', async () => {
    const dir = scratchDir('early-folder');
    mkdirSync(path.join(dir, 'images.tar'));
    await assert.rejects(
      ArchiveFile.create(path.join(dir, 'images.tar'), contentsOf(blobs)),
      /images\.tar: a folder is where the archive goes/,
    );
    const file = path.join(dir, 'other.tar');
    const archive = await ArchiveFile.create(file, contentsOf(blobs));
    await archive.close();
    await assert.rejects(
      archive.putBlob(descriptorOf(blobs[0] as Buffer), () => Readable.from([blobs[0] as Buffer])),
      (error: Error) => error.message.startsWith(`${partialName(file)}: writing at `),
    );
  });
});

// A disk nearly full is a real file system of a few MiB: a tmpfs, which only root may mount (as
// .ci/run runs on these machines); as another user these tests are skipped, saying why.
describe('an archive on a small disk', () => {
  /** Runs `use` on a 4 MiB tmpfs mounted for it and unmounted after; skips the test where it cannot be mounted. */
  const onSmallDisk = async (t: TestContext, use: (disk: string) => Promise<void>): Promise<void> => {
    const disk = scratchDir('small-disk');
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', disk], { stdio: 'ignore' });
    } catch {
      return t.skip('mounting a tmpfs needs root');
    }
    try {
      await use(disk);
    } finally {
      execFileSync('umount', ['--lazy', disk]);
    }
  };
  const blobs = Array.from({ length: 3 }, (_, n) => randomBytes(800_000 + n * 1000));

  it('counts what partial files hold on the disk, not their length: a laid-out file of holes frees nothing', async (t) => {
    await onSmallDisk(t, async (disk) => {
      const file = path.join(disk, 'images.tar');
      const first = await ArchiveFile.create(file, contentsOf(blobs));
      await first.close(); // stopped right after the layout: a 2.4 MB file of holes
      writeFileSync(path.join(disk, 'other'), Buffer.alloc(2 * mib)); // the disk fills with something else
      await assert.rejects(
        ArchiveFile.create(file, contentsOf(blobs)),
        /images\.tar: the archive needs \d+ bytes and only \d+ are free on the disk/,
      );
    });
  });

  it("keeps a blob store copy on the archive's disk only while the disk has room for it besides the archive, and fills from what the store holds", async (t) => {
    await onSmallDisk(t, async (disk) => {
      const file = path.join(disk, 'images.tar');
      const cache = new BlobStore(path.join(disk, 'store'));
      const archive = await ArchiveFile.create(file, contentsOf(blobs), { cache });
      for (const blob of blobs) await archive.putBlob(descriptorOf(blob), () => Readable.from([blob]));
      assert.deepEqual(archive.missing(), []);
      await archive.close();
      // 4 MiB hold the 2.4 MB archive and two copies; the third copy would have taken the archive's room.
      assert.equal(archive.storeSkipped, 1);
      const stored = await Promise.all(blobs.map((blob) => cache.hasBlob(descriptorOf(blob))));
      assert.deepEqual(stored, [true, true, false]);
      // The next archive of the same blobs, on the same nearly full disk, is filled from the store where it can be.
      rmSync(partialName(file));
      rmSync(journalName(file));
      const again = await ArchiveFile.create(file, contentsOf(blobs), { cache });
      assert.deepEqual(await Promise.all(blobs.map((blob) => again.hasBlob(descriptorOf(blob)))), [true, true, false]);
      await again.close();
      // A store on another disk than the archive's is not held back by the archive's room: its own disk full, the copy is lost, never the archive.
      const fullStore = new BlobStore(path.join(disk, 'another-store'));
      writeFileSync(path.join(disk, 'filler'), Buffer.alloc(Math.max(0, (await freeBytes(disk)) - 64 * 1024)));
      const elsewhere = await ArchiveFile.create(path.join(scratchDir('roomy'), 'images.tar'), contentsOf(blobs), { cache: fullStore });
      for (const blob of blobs) await elsewhere.putBlob(descriptorOf(blob), () => Readable.from([blob]));
      assert.deepEqual(elsewhere.missing(), []);
      assert.equal(elsewhere.storeSkipped, 0, "not on the archive's disk: its room is not the archive's");
      await elsewhere.close();
    });
  });

  it('counts the copies under way against the room, when blobs arrive at once as the walk puts them', async (t) => {
    await onSmallDisk(t, async (disk) => {
      const archive = await ArchiveFile.create(path.join(disk, 'images.tar'), contentsOf(blobs), {
        cache: new BlobStore(path.join(disk, 'store')),
      });
      // Each source slow enough that every put has begun before any copy has taken its room on the disk.
      const slowly = (blob: Buffer) => () =>
        Readable.from(
          (async function* () {
            for (let at = 0; at < blob.length; at += 64 * 1024) {
              await new Promise((resolve) => setTimeout(resolve, 5));
              yield blob.subarray(at, at + 64 * 1024);
            }
          })(),
        );
      await Promise.all(blobs.map((blob) => archive.putBlob(descriptorOf(blob), slowly(blob))));
      assert.deepEqual(archive.missing(), []);
      assert.equal(archive.storeSkipped, 1);
      await archive.close();
    });
  });
});

describe('an archive resumed, against what a hostile workspace holds', () => {
  const blobs = [randomBytes(1000), randomBytes(3001)];

  it('writes its own padding, resumes past a journal that is a link, and never writes through a hard link', async () => {
    const dir = scratchDir('resume-planted');
    const reference = await written(path.join(dir, 'reference.tar'), blobs);
    const file = path.join(dir, 'images.tar');
    const first = await ArchiveFile.create(file, contentsOf(blobs));
    await first.putBlob(descriptorOf(blobs[0] as Buffer), () => Readable.from([blobs[0] as Buffer]));
    await first.close();
    // Foreign bytes where the tar pads the first blob to 512: a resumed archive writes its own.
    const bytes = readFileSync(partialName(file));
    const at = bytes.indexOf(blobs[0] as Buffer) + 1000;
    bytes.fill(0x41, at, at + 24);
    writeFileSync(partialName(file), bytes);
    // The journal replaced by a link: read as no journal, removed, and written anew.
    const journal = readFileSync(journalName(file));
    rmSync(journalName(file));
    const elsewhere = path.join(scratchDir('elsewhere'), 'journal');
    writeFileSync(elsewhere, journal);
    symlinkSync(elsewhere, journalName(file));
    const second = await ArchiveFile.create(file, contentsOf(blobs));
    for (const blob of blobs)
      if (!(await second.hasBlob(descriptorOf(blob)))) await second.putBlob(descriptorOf(blob), () => Readable.from([blob]));
    await second.close();
    await commitArchive(file, second.files);
    assert.ok(readFileSync(file).equals(readFileSync(reference.files[0] as string)), 'byte for byte, padding included');
    assert.ok(readFileSync(elsewhere).equals(journal), 'the link target is untouched');

    // A partial file that is a hard link to a file elsewhere: started afresh under its own name.
    const third = await ArchiveFile.create(path.join(dir, 'linked.tar'), contentsOf(blobs));
    await third.close();
    const victim = path.join(scratchDir('victim'), 'kept');
    const { linkSync } = await import('node:fs');
    linkSync(partialName(path.join(dir, 'linked.tar')), victim);
    const before = readFileSync(victim);
    const fourth = await ArchiveFile.create(path.join(dir, 'linked.tar'), contentsOf(blobs));
    for (const blob of blobs) await fourth.putBlob(descriptorOf(blob), () => Readable.from([blob]));
    await fourth.close();
    assert.ok(readFileSync(victim).equals(before), 'nothing written through the hard link');

    // A journal that is a hard link to a file elsewhere: not read (its digests are not taken), not appended to.
    const fifth = await ArchiveFile.create(path.join(dir, 'journal-linked.tar'), contentsOf(blobs));
    await fifth.putBlob(descriptorOf(blobs[0] as Buffer), () => Readable.from([blobs[0] as Buffer]));
    await fifth.close();
    const kept = path.join(scratchDir('victim-journal'), 'kept');
    linkSync(journalName(path.join(dir, 'journal-linked.tar')), kept);
    const keptBefore = readFileSync(kept);
    const sixth = await ArchiveFile.create(path.join(dir, 'journal-linked.tar'), contentsOf(blobs));
    assert.equal(await sixth.hasBlob(descriptorOf(blobs[0] as Buffer)), false, 'a blob named only by a linked journal is fetched again');
    for (const blob of blobs) await sixth.putBlob(descriptorOf(blob), () => Readable.from([blob]));
    await sixth.close();
    assert.ok(readFileSync(kept).equals(keptBefore), 'nothing appended through the hard link');
  });
});

describe('a blob drained into its place', () => {
  /** 64 KiB chunks, as a registry's body arrives, counting how many the source has handed out. */
  const chunked = (bytes: Buffer): { source: Readable; handedOut: () => number } => {
    let at = 0;
    let handed = 0;
    const source = new Readable({
      read() {
        if (at >= bytes.length) {
          this.push(null);
          return;
        }
        handed++;
        this.push(bytes.subarray(at, (at += 64 * 1024)));
      },
    });
    return { source, handedOut: () => handed };
  };
  const opened = async (name: string, size: number): Promise<{ writer: SpannedWriter; file: string }> => {
    const file = path.join(scratchDir(name), 'images.tar');
    return { writer: await SpannedWriter.open([file], size, undefined), file };
  };

  it('waits for a slow copy as for the file, and writes every byte to both', { timeout: 20_000 }, async () => {
    const bytes = randomBytes(4 * mib);
    const { writer, file } = await opened('drain-slow', bytes.length);
    const { source, handedOut } = chunked(bytes);
    const copied: Buffer[] = [];
    let mostAhead = 0;
    // A copy that takes one chunk at a time, each a few milliseconds later.
    const copy = new Writable({
      highWaterMark: 64 * 1024,
      write(chunk: Buffer, _encoding, done) {
        copied.push(chunk);
        mostAhead = Math.max(mostAhead, handedOut() - copied.length);
        setTimeout(done, 2);
      },
    });
    await writer.drain(source, 0, bytes.length, copy);
    copy.end();
    await writer.close();
    assert.ok(readFileSync(partialName(file)).equals(bytes), 'the file has every byte');
    assert.ok(Buffer.concat(copied).equals(bytes), 'the copy has every byte');
    // Without waiting for the copy, the source would run 60 chunks ahead of it.
    assert.ok(mostAhead <= 8, `the source ran ${mostAhead} chunks ahead of the copy`);
  });

  it('writes the file whole when the copy fails half-way, and gives a failed copy nothing more', { timeout: 20_000 }, async () => {
    const bytes = randomBytes(2 * mib);
    const { writer, file } = await opened('drain-failed-copy', bytes.length);
    let failed = false;
    let writtenAfter = 0;
    let writes = 0;
    const copy = new (class extends Writable {
      override write(chunk: Buffer): boolean {
        if (failed) writtenAfter++;
        return super.write(chunk);
      }
    })({
      highWaterMark: 64 * 1024,
      write(_chunk, _encoding, done) {
        if (++writes === 5) {
          failed = true;
          done(new Error('no space left on the device'));
        } else setTimeout(done, 1);
      },
    });
    copy.on('error', () => undefined);
    await writer.drain(chunked(bytes).source, 0, bytes.length, copy);
    await writer.close();
    assert.ok(readFileSync(partialName(file)).equals(bytes));
    assert.equal(writtenAfter, 0, 'nothing handed to the copy after it failed');
  });

  it('takes a copy that closes, or was closed already, for a failed one', { timeout: 20_000 }, async () => {
    const bytes = randomBytes(mib);
    for (const when of ['before', 'half-way'] as const) {
      const { writer, file } = await opened(`drain-closed-copy-${when}`, bytes.length);
      // A copy that never finishes its first write: the source waits for it until it is closed.
      const copy = new Writable({ highWaterMark: 1, write: () => undefined });
      setTimeout(() => copy.destroy(), 20);
      if (when === 'before') copy.destroy();
      await writer.drain(chunked(bytes).source, 0, bytes.length, copy);
      await writer.close();
      assert.ok(readFileSync(partialName(file)).equals(bytes), when);
    }
  });

  it('refuses a source of text, whose characters are not its bytes', { timeout: 20_000 }, async () => {
    const { writer } = await opened('drain-text', 10);
    await assert.rejects(writer.drain(Readable.from(['é'.repeat(10)]), 0, 10), /other than bytes/);
    await writer.close();
  });

  it('fails only once no write of the blob is under way, so nothing lands in its place after', { timeout: 20_000 }, async () => {
    const { writer } = await opened('drain-late', mib);
    const internals = writer as unknown as { writeAllAt: (chunks: Buffer[], length: number, position: number) => Promise<void> };
    const writeAllAt = internals.writeAllAt.bind(writer);
    const landed: number[] = [];
    internals.writeAllAt = async (chunks, length, position) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      await writeAllAt(chunks, length, position);
      landed.push(Date.now());
    };
    // 256 KiB, then an error while that write is under way.
    const source = new Readable({ read() {} });
    source.push(randomBytes(256 * 1024));
    setTimeout(() => source.destroy(new Error('the connection was cut')), 5);
    await assert.rejects(writer.drain(source, 0, mib), /the connection was cut/);
    const failedAt = Date.now();
    assert.equal(landed.length, 1, 'the write under way had landed when the blob failed');
    assert.ok((landed[0] ?? Infinity) <= failedAt);
    await writer.close();
  });

  it('fails, not hangs, when its source closes before its end without an error', { timeout: 20_000 }, async () => {
    const { writer } = await opened('drain-closed', mib);
    const source = new Readable({ read() {} });
    source.push(randomBytes(1000));
    setTimeout(() => source.destroy(), 5);
    await assert.rejects(writer.drain(source, 0, mib), /premature close/i);
    await writer.close();
  });
});
