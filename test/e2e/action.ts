// Runs the built Action the way the GitHub runner does: INPUT_* variables, GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY files, GITHUB_WORKSPACE; and reads back what it reported.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { scratchDir } from '../registry/harness.js';

export const distEntry = path.resolve(import.meta.dirname, '..', '..', 'dist', 'index.js');

export interface ActionRun {
  readonly code: number | null;
  /** The signal that ended the process, if one did. */
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
  /** The process's peak resident memory (VmHWM from /proc), sampled while it ran. */
  readonly peakRssMiB: number;
  readonly seconds: number;
}

/** The runner's file-command format: `name<<DELIMITER\nvalue\nDELIMITER\n`. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const pattern = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2\n/gm;
  for (const match of text.matchAll(pattern)) outputs[match[1] as string] = match[3] as string;
  return outputs;
}

/**
 * Runs dist/index.js with `inputs` in `workspace`. With `killWhen`, the process is sent `killSignal`
 * (SIGKILL, as a cancelled job's runner does at last, unless told otherwise) once, as soon as it says
 * true, polled every 5 ms.
 */
export async function runAction(
  workspace: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  options: { readonly killWhen?: () => boolean; readonly killSignal?: NodeJS.Signals } = {},
): Promise<ActionRun> {
  const runnerFiles = scratchDir('runner');
  const outputFile = path.join(runnerFiles, 'output');
  const summaryFile = path.join(runnerFiles, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const inputEnv = Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]));
  const child = spawn(process.execPath, [distEntry], {
    cwd: workspace,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: path.join(runnerFiles, 'home'),
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      ...inputEnv,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const started = performance.now();
  let peakKiB = 0;
  const killer =
    options.killWhen === undefined
      ? undefined
      : setInterval(() => {
          if (!options.killWhen?.()) return;
          child.kill(options.killSignal ?? 'SIGKILL');
          clearInterval(killer);
        }, 5);
  const sampler = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      peakKiB = Math.max(peakKiB, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
    } catch {
      // the process has gone
    }
  }, 20);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`dist/index.js did not finish in 60 s; output so far:\n${stdout}`));
    }, 60_000);
    child.on('close', (exitCode, exitSignal) => {
      clearTimeout(timer);
      clearInterval(sampler);
      clearInterval(killer);
      resolve([exitCode, exitSignal]);
    });
  });
  return {
    code,
    signal,
    stdout,
    outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
    peakRssMiB: peakKiB / 1024,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Every file under `root` and its bytes (as latin1 text), to assert that nothing changed. */
export function snapshot(root: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const file = path.join(entry.parentPath, entry.name);
      files.set(path.relative(root, file), readFileSync(file, 'latin1'));
    }
  }
  return files;
}
