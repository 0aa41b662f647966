// What an archive that ferry refuses says: the file, the reason, and that nothing was pushed; and how its
// JSON files are read.

export class ArchiveError extends Error {
  constructor(
    file: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${reason}; nothing was pushed`, options);
    this.name = 'ArchiveError';
  }
}

export function parseJson<T>(file: string, name: string, bytes: Buffer | undefined): T {
  if (bytes === undefined) throw new ArchiveError(file, `the archive has no ${name}`);
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch {
    throw new ArchiveError(file, `${name} is not JSON`);
  }
}
