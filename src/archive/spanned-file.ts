// One archive's bytes, in one file or in parts of at most a given size (`images.tar.001`, `.002`, ...,
// whose concatenation in name order is the archive), written at any offset and read back at any
// offset as if they were one file. While an archive is written its files are hidden partial files
// beside their places (`.images.tar.001.partial`), named the same by every run that writes that
// archive, so a run that was stopped leaves what it wrote for the next one to resume.
import { constants, writeSync } from 'node:fs';
import { type FileHandle, lstat, open, rename, rm } from 'node:fs/promises';
import { type Readable, type Writable, finished } from 'node:stream';
import { fileKindOf } from '../workspace.js';
import { partialName, partialsAt, spansAt } from './span-names.js';

/** What a writable gathers before it writes, and holds at most besides: a few reads of a registry's body. */
const writeBatchBytes = 256 * 1024;

interface Span {
  readonly handle: FileHandle;
  /** The partial file, for messages. */
  readonly name: string;
  /** Where the part starts in the archive, and its length. */
  readonly start: number;
  readonly length: number;
}

/** The lengths of the `count` files `size` bytes go in: `partSize` each but the last. */
function spanLengths(count: number, size: number, partSize: number | undefined): number[] {
  const length = partSize ?? size;
  return Array.from({ length: count }, (_, at) => Math.min(length, size - at * length));
}

/** The files, one after another, each as long as `lengths` says. */
function layOut(handles: readonly FileHandle[], names: readonly string[], lengths: readonly number[]): Span[] {
  let start = 0;
  return handles.map((handle, at) => {
    const span = { handle, name: names[at] ?? '', start, length: lengths[at] ?? 0 };
    start += span.length;
    return span;
  });
}

/** Each piece of the range [position, position + length) in the span that holds it. */
function* pieces(
  spans: readonly Span[],
  position: number,
  length: number,
): Generator<{ span: Span; at: number; from: number; length: number }> {
  let done = 0;
  while (done < length) {
    const where = position + done;
    const span = spans.find((candidate) => where >= candidate.start && where < candidate.start + candidate.length);
    if (span === undefined) throw new Error(`offset ${where} is past the end of the archive`);
    const piece = Math.min(length - done, span.start + span.length - where);
    yield { span, at: where - span.start, from: done, length: piece };
    done += piece;
  }
}

/** A failed read or write of a partial file, naming it and the offset (a full disk says only ENOSPC). */
function fileError(span: Span, doing: string, at: number, error: unknown): Error {
  return new Error(`${span.name}: ${doing} at ${at}: ${(error as Error).message}`, { cause: error });
}

/** An archive being written, in its partial files. */
export class SpannedWriter {
  private constructor(
    /** The final names, and the partial files they are written in. */
    readonly files: readonly string[],
    readonly partials: readonly string[],
    private readonly spans: readonly Span[],
    /** Whether the partial files were there, of the right sizes, from a run that stopped. */
    readonly resumed: boolean,
  ) {}

  /**
   * Opens the partial files of `files` (the final names) for an archive of `size` bytes: a run that
   * stopped left them at the sizes this archive has, so they are kept as they are (what is in them is
   * checked before it is used); else they are made anew, every byte a hole until it is written.
   */
  static async open(files: readonly string[], size: number, partSize: number | undefined): Promise<SpannedWriter> {
    const partials = files.map(partialName);
    const sizes = spanLengths(files.length, size, partSize);
    // Partial files of this archive in another layout (parts of another size, or none) are a stopped
    // run's that this one cannot resume: removed, so they neither hold the disk nor stay behind.
    const [first = ''] = files;
    for (const stale of await partialsAt(partSize === undefined ? first : first.slice(0, -'.001'.length)))
      if (!partials.includes(stale)) await rm(stale, { force: true, recursive: true });
    // lstat: a link where a partial file goes is not one this run wrote, and is not followed.
    const found = await Promise.all(
      partials.map((file) =>
        lstat(file).then(
          (info) => (info.isFile() ? info.size : -1),
          () => -1,
        ),
      ),
    );
    const resumed = found.every((length, at) => length === sizes[at]);
    const handles: FileHandle[] = [];
    try {
      for (const [at, file] of partials.entries()) {
        // Anything else where a partial file goes is removed first: `wx` then makes a new file, and `r+` never follows a link.
        if (!resumed) await rm(file, { force: true, recursive: true });
        const handle = await open(file, resumed ? constants.O_RDWR | constants.O_NOFOLLOW | constants.O_NONBLOCK : 'wx');
        // A file with another name too (a hard link) is not written through: it starts afresh, under this name alone.
        const info = resumed ? await handle.stat() : undefined;
        if (info !== undefined && (info.nlink !== 1 || !info.isFile())) {
          await handle.close();
          await Promise.all(handles.map((earlier) => earlier.close()));
          handles.length = 0;
          for (const partial of partials) await rm(partial, { force: true, recursive: true });
          return await SpannedWriter.open(files, size, partSize);
        }
        handles.push(handle);
        if (!resumed) await handle.truncate(sizes[at]);
      }
    } catch (error) {
      await Promise.all(handles.map((handle) => handle.close().catch(() => undefined)));
      throw error;
    }
    return new SpannedWriter(files, partials, layOut(handles, partials, sizes), resumed);
  }

  async writeAt(bytes: Buffer, position: number): Promise<void> {
    for (const piece of pieces(this.spans, position, bytes.length)) {
      let written = 0;
      while (written < piece.length) {
        const { bytesWritten } = await piece.span.handle
          .write(bytes, piece.from + written, piece.length - written, piece.at + written)
          .catch((error: unknown) => Promise.reject(fileError(piece.span, 'writing', piece.at + written, error)));
        written += bytesWritten;
      }
    }
  }

  /**
   * Writes each of `writes` in place before returning: the layout, a few hundred headers and manifests
   * of a few hundred bytes each, written before the first blob is asked for. Written synchronously:
   * awaited one by one they took 30-50 ms, each a round trip through libuv's threads, where the bytes
   * take a few; nothing else is under way while an archive is laid out.
   */
  layOut(writes: readonly { readonly bytes: Buffer; readonly position: number }[]): void {
    for (const { bytes, position } of writes)
      for (const piece of pieces(this.spans, position, bytes.length)) {
        let written = 0;
        while (written < piece.length) {
          const at = piece.at + written;
          try {
            written += writeSync(piece.span.handle.fd, bytes, piece.from + written, piece.length - written, at);
          } catch (error) {
            throw fileError(piece.span, 'writing', at, error);
          }
        }
      }
  }

  /** Chunks written one after another from `position`: in one writev when one part holds them all. */
  private async writeAllAt(chunks: Buffer[], length: number, position: number): Promise<void> {
    const span = this.spans.find((candidate) => position >= candidate.start && position + length <= candidate.start + candidate.length);
    if (span === undefined || chunks.length === 1) {
      await this.writeAt(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length), position);
      return;
    }
    const { bytesWritten } = await span.handle
      .writev(chunks, position - span.start)
      .catch((error: unknown) => Promise.reject(fileError(span, 'writing', position - span.start, error)));
    // A short write (rare on a regular file) writes the rest from where it stopped.
    if (bytesWritten < length) await this.writeAt(Buffer.concat(chunks, length).subarray(bytesWritten), position + bytesWritten);
  }

  async readAt(length: number, position: number, into: Buffer = Buffer.alloc(length)): Promise<Buffer> {
    for (const piece of pieces(this.spans, position, length)) {
      let read = 0;
      while (read < piece.length) {
        const { bytesRead } = await piece.span.handle.read(into, piece.from + read, piece.length - read, piece.at + read);
        if (bytesRead === 0) throw new Error(`${this.partials[0]}: ended early`);
        read += bytesRead;
      }
    }
    return into.subarray(0, length);
  }

  /**
   * Writes what `source` gives from `start` on, across parts, exactly `size` bytes: a source that
   * sends more is refused before the excess is written into the next blob's place, and one that ends
   * short is refused at its end (the rest of the place would keep zeros, or a stopped run's bytes, under
   * the blob's name). Settles once every byte is written; a failure destroys the source.
   * Chunks are gathered until 256 KiB of them are held (or the source ends) and go out in one write: a
   * registry's body arrives in 64 KiB pieces, and a write each costs more than the bytes do. The source
   * waits while a write is under way (two at once were no faster and held 15 MiB more with large
   * layers), so what one blob holds stays well under a small layer and a run of large layers holds no
   * more than one of small layers. The source's chunks are taken as it hands them out, with no writable
   * stream between it and the file: a stage less for every chunk of every blob (docs/performance.md).
   * `copy`, when given, gets every chunk too (the blob store's copy of the blob), and the source waits
   * for it as it does for the file; it is best effort: once it fails or closes it gets nothing more and
   * is no longer waited for, and the file's bytes are written all the same. It is not ended here. A
   * failure settles once no write of the blob is under way, so nothing is written into its place after.
   */
  drain(source: Readable, start: number, size: number, copy?: Writable): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let at = start;
      let held: Buffer[] = [];
      let heldBytes = 0;
      let writing = 0;
      let ended = false;
      /** Why the blob failed, once it has: the promise rejects when no write of it is under way any more. */
      let failure: Error | undefined;
      let settled = false;
      let copying = copy !== undefined && !copy.destroyed && !copy.writableEnded;
      let copyFull = false;
      const resume = (): void => {
        if (failure === undefined && !ended && writing === 0 && !copyFull) source.resume();
      };
      // A copy that fails, or closes, gets nothing more and is no longer waited for.
      const dropCopy = (): void => {
        copying = false;
        copyFull = false;
        resume();
      };
      copy?.on('drain', () => {
        copyFull = false;
        resume();
      });
      copy?.on('error', dropCopy);
      copy?.on('close', dropCopy);
      /** What comes next once a write is done (or none is under way): the failure, more chunks, or the end. */
      const next = (): void => {
        if (settled) return;
        if (failure === undefined && !ended) {
          resume();
          return;
        }
        // A failure, or the end: settled once no write of the blob is under way.
        if (writing > 0) return;
        settled = true;
        if (failure !== undefined) reject(failure);
        else if (at - start !== size) reject(new Error(`${at - start} bytes where ${size} were laid out`));
        else resolve();
      };
      const fail = (error: Error): void => {
        if (failure !== undefined || settled) return;
        failure = error;
        source.destroy();
        next();
      };
      const flush = (): void => {
        const [chunks, length, position] = [held, heldBytes, at];
        held = [];
        heldBytes = 0;
        at += length;
        writing++;
        this.writeAllAt(chunks, length, position).then(
          () => {
            writing--;
            next();
          },
          (error: unknown) => {
            writing--;
            if (failure === undefined) fail(error as Error);
            else next();
          },
        );
      };
      source.on('data', (chunk: unknown) => {
        if (failure !== undefined) return;
        // Bytes alone: a chunk of text would be counted in characters, not in the bytes it writes.
        if (!Buffer.isBuffer(chunk)) {
          fail(new Error('a blob source gave something other than bytes'));
          return;
        }
        if (at + heldBytes + chunk.length - start > size) {
          fail(new Error(`more than the ${size} bytes laid out`));
          return;
        }
        held.push(chunk);
        heldBytes += chunk.length;
        if (copying) {
          try {
            if (!(copy as Writable).write(chunk)) copyFull = copying;
          } catch {
            dropCopy();
          }
        }
        if (heldBytes >= writeBatchBytes) flush();
        if (writing > 0 || copyFull) source.pause();
      });
      finished(source, (error) => {
        if (error !== undefined && error !== null) {
          fail(error);
          return;
        }
        if (failure !== undefined) return;
        ended = true;
        if (heldBytes > 0) flush();
        else next();
      });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.spans.map((span) => span.handle.close().catch(() => undefined)));
  }
}

/**
 * Refuses, before the commit point, anything but a file (or a link, which is replaced as it is) where
 * the archive's files go or where an earlier archive's files would be removed: a folder there would
 * fail the commit after the tags, half the earlier archive gone.
 */
export async function checkSpanPlaces(file: string, files: readonly string[]): Promise<void> {
  for (const name of new Set([...(await spansAt(file)), ...files])) {
    const found = await lstat(name).catch(() => undefined);
    if (found !== undefined && !found.isFile() && !found.isSymbolicLink())
      throw new Error(`${name}: a ${fileKindOf(found)} is where the archive goes; nothing was tagged or written`);
  }
}

/**
 * The commit point's part: each partial file renamed into its place, and the files of an earlier
 * archive at this path that are no longer part of it removed (the single file when this one is in
 * parts, parts past its last), so that what is at the path is this archive and nothing else.
 */
export async function commitSpans(file: string, files: readonly string[]): Promise<void> {
  const earlier = await spansAt(file);
  // A single file replaces the earlier one in one rename. Parts cannot: every file of the earlier archive
  // goes first, and the parts come last to first, so a run stopped half-way leaves no first part (no
  // archive, which a re-run resumes) rather than new parts beside old ones that read as one archive.
  const inParts = files.length > 1 || files[0] !== file;
  await Promise.all(earlier.filter((name) => inParts || !files.includes(name)).map((name) => rm(name, { force: true })));
  for (const name of [...files].reverse()) await rename(partialName(name), name);
}

/** What the archive readers need of a file: reads at an offset, its size, and closing. A FileHandle is one. */
export interface ByteReader {
  /**
   * How many parts it reads as one, when it joins an archive's parts. An archive in parts is ferry's,
   * which ends in the tar's closing blocks: one that ends without them is missing a part.
   */
  readonly parts?: number;
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
}

/**
 * The parts (already checked to be regular files inside the boundary) read as one file. Every part but
 * the last is as long as the first, and the last no longer: a part cut short is an error naming it.
 */
export async function openParts(parts: readonly string[]): Promise<ByteReader> {
  const handles: FileHandle[] = [];
  try {
    for (const part of parts) handles.push(await open(part, constants.O_RDONLY | constants.O_NOFOLLOW));
    const sizes = await Promise.all(handles.map(async (handle) => (await handle.stat()).size));
    const first = sizes[0] ?? 0;
    sizes.forEach((size, at) => {
      const last = at === sizes.length - 1;
      if ((last && (size > first || size === 0)) || (!last && size !== first))
        throw new Error(
          `${parts[at]}: ${size} bytes, where every part but the last has the ${first} bytes of ${parts[0]} and the last no more: the part was cut short or is not of this archive`,
        );
    });
    const spans = layOut(handles, parts, sizes);
    const total = sizes.reduce((sum, size) => sum + size, 0);
    return {
      parts: parts.length,
      read: async (buffer, offset, length, position) => {
        const wanted = Math.max(0, Math.min(length, total - position));
        let done = 0;
        for (const piece of pieces(spans, position, wanted)) {
          const { bytesRead } = await piece.span.handle.read(buffer, offset + piece.from, piece.length, piece.at);
          done += bytesRead;
          if (bytesRead < piece.length) break;
        }
        return { bytesRead: done };
      },
      stat: async () => ({ size: total }),
      close: async () => {
        await Promise.all(handles.map((handle) => handle.close().catch(() => undefined)));
      },
    };
  } catch (error) {
    await Promise.all(handles.map((handle) => handle.close().catch(() => undefined)));
    throw error;
  }
}
