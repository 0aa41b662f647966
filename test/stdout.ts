// What the code under test prints to stdout (where @actions/core writes log lines and workflow
// commands) while `work` runs, instead of printing it.
export function printed(work: () => void): string {
  const write = process.stdout.write.bind(process.stdout);
  let output = '';
  process.stdout.write = ((chunk: string | Uint8Array): boolean => {
    output += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  try {
    work();
  } finally {
    process.stdout.write = write;
  }
  return output;
}
