// Builds tar archives in memory for tests, including the entries a hostile archive would hold.
import tar from 'tar-stream';

export interface TarEntry {
  readonly name: string;
  readonly body?: Buffer;
  readonly type?: 'file' | 'symlink' | 'link' | 'character-device' | 'directory';
  readonly linkname?: string;
}

export async function tarOf(entries: readonly TarEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (chunk) => chunks.push(chunk as Buffer));
  const ended = new Promise<void>((resolve) => pack.on('end', () => resolve()));
  for (const entry of entries) {
    pack.entry(
      { name: entry.name, type: entry.type ?? 'file', ...(entry.linkname ? { linkname: entry.linkname } : {}) },
      entry.body ?? Buffer.alloc(0),
    );
  }
  pack.finalize();
  await ended;
  return Buffer.concat(chunks);
}

/** Every file of a tar by name (for archives small enough for a test). */
export async function readTar(file: string): Promise<Map<string, Buffer>> {
  const { createReadStream } = await import('node:fs');
  const extract = tar.extract();
  const files = new Map<string, Buffer>();
  const reading = (async () => {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      if (entry.header.type === 'file') files.set(entry.header.name, Buffer.concat(chunks));
    }
  })();
  createReadStream(file).pipe(extract);
  await reading;
  return files;
}
