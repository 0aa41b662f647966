// Runs a command as a child process, timing it and reading its peak memory, several times.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const rssPreload = path.join(import.meta.dirname, 'rss.mjs');

export interface Measurement {
  readonly seconds: number;
  /** Peak resident memory in MiB, when the command is a node process that could report it. */
  readonly peakMiB: number | undefined;
  /** CPU time the process used (user + system), when it is a node process. */
  readonly cpuSeconds: number | undefined;
  /** The run was ended at its time-out: `seconds` is a lower bound. */
  readonly cutOff?: boolean;
}

export interface Command {
  readonly label: string;
  readonly argv: readonly string[];
  readonly env?: Record<string, string>;
  /** Puts the workspace back before each run, so every run does the same work. */
  readonly before?: () => void;
  /** The run is meant to fail (a refusal is what is measured): any exit code is taken. */
  readonly refuses?: boolean;
  /** Ends the run after this many seconds (a build that does not bound its work), and says so. */
  readonly timeoutSeconds?: number;
}

/**
 * Runs a command without blocking this process (which may serve it), timing it and reading its peak
 * memory: a node child reports its own maxRSS; any other program is sampled from /proc (VmHWM).
 */
export async function measure(command: Command): Promise<Measurement> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'ferry-bench-'));
  const rssFile = path.join(scratch, 'rss');
  try {
    command.before?.();
    const [program = '', ...args] = command.argv;
    const isNode = program === process.execPath;
    const start = performance.now();
    const child = spawn(program, isNode ? ['--import', rssPreload, ...args] : args, {
      env: { ...process.env, ...command.env, FERRY_BENCH_RSS: rssFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    let sampledKiB = 0;
    const sampler = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        sampledKiB = Math.max(sampledKiB, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
      } catch {
        // gone already
      }
    }, 20);
    const limit = command.timeoutSeconds === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), command.timeoutSeconds * 1000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(limit);
    clearInterval(sampler);
    const seconds = (performance.now() - start) / 1000;
    if (code === null) return { seconds, peakMiB: sampledKiB / 1024, cpuSeconds: undefined, cutOff: true };
    if (code !== 0 && command.refuses !== true) throw new Error(`${command.label} failed (${code}):\n${output}`);
    // A shell running a loop is not the program measured: no peak for it.
    const [maxRssKiB = 0, cpuMicros = 0] = isNode ? readFileSync(rssFile, 'utf8').split(' ').map(Number) : [];
    const peakMiB = isNode ? maxRssKiB / 1024 : program === 'sh' ? undefined : sampledKiB / 1024;
    return { seconds, peakMiB, cpuSeconds: isNode ? cpuMicros / 1e6 : undefined };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Of runs measured already, the one with the median time (the middle one; of an even count, the later of the two). */
export function medianRun<T extends { readonly seconds: number }>(runs: readonly T[]): T {
  return [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)] as T;
}

/** Each run's time, as printed beside a median: `2.32, 2.37, 2.70`, in the order run. */
export function runTimes(runs: readonly { readonly seconds: number }[]): string {
  return runs.map((run) => run.seconds.toFixed(2)).join(', ');
}

/** The run with the median time of `runs` runs, one after another. */
export async function median(command: Command, runs: number): Promise<Measurement> {
  const results: Measurement[] = [];
  for (let run = 0; run < runs; run++) results.push(await measure(command));
  return medianRun(results);
}

/** A peer's binary from the folder FERRY_BENCH_PEERS names; unset, or not there, the peer is left out of the run. */
export const peer = (name: string): string | undefined => {
  const folder = process.env.FERRY_BENCH_PEERS;
  return folder !== undefined && existsSync(path.join(folder, name)) ? path.join(folder, name) : undefined;
};
