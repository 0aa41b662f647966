// The runner's cancel signals while the commit is under way, in a process of their own: held until the
// work ends and then raised again, so the process ends by the signal; never lost, even when it arrives
// as the work's last synchronous steps run.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';

const cancelModule = path.resolve(import.meta.dirname, '..', 'src', 'cancel.ts');

/**
 * Runs `body` (with `holdingCancel` in scope) in a node process, sends it `signal` once it prints
 * `ready`, and returns what it printed and how it ended.
 */
async function underCancel(body: string, signal: NodeJS.Signals): Promise<{ stdout: string; code: number | null; signal: string | null }> {
  const script = `import { holdingCancel } from ${JSON.stringify(cancelModule)};\n${body}`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  let sent = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (!sent && stdout.includes('ready')) {
      sent = true;
      child.kill(signal);
    }
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no end in 20 s: ${stdout}`));
    }, 20_000);
    child.on('close', (code, ended) => {
      clearTimeout(timer);
      resolve({ stdout, code, signal: ended });
    });
  });
}

describe('a cancel during the commit', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`holds ${signal} until the work ends, tells it once, then ends the process by it`, async () => {
      const run = await underCancel(
        `await holdingCancel(async () => {
          console.log('ready');
          await new Promise((resolve) => setTimeout(resolve, 300));
          console.log('work done');
        }, (message) => console.log('notice: ' + message));
        await new Promise((resolve) => setTimeout(resolve, 500));
        console.log('after');`,
        signal,
      );
      assert.equal(run.signal, signal, run.stdout);
      assert.match(run.stdout, new RegExp(`ready\\nnotice: ${signal}: the job is being cancelled[^\\n]*\\nwork done\\n$`));
    });
  }

  it('ends the process by a signal that arrives while the work ends synchronously, rather than lose it', async () => {
    const run = await underCancel(
      `await holdingCancel(async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        console.log('ready');
        // The signal arrives now, but Node tells it only once this turn is over, after the work.
        const until = Date.now() + 500;
        while (Date.now() < until);
      }, (message) => console.log('notice: ' + message));
      await new Promise((resolve) => setTimeout(resolve, 500));
      console.log('after');`,
      'SIGINT',
    );
    assert.equal(run.signal, 'SIGINT', run.stdout);
    assert.ok(!run.stdout.includes('after'), run.stdout);
  });

  it('leaves a signal before any commit to its default, and a failed work to fail', async () => {
    const before = await underCancel(
      `console.log('ready'); await new Promise((resolve) => setTimeout(resolve, 2000)); console.log('after');`,
      'SIGTERM',
    );
    assert.equal(before.signal, 'SIGTERM');
    assert.ok(!before.stdout.includes('after'));
    const failed = await underCancel(
      `try {
        await holdingCancel(async () => {
          console.log('ready');
          await new Promise((resolve) => setTimeout(resolve, 300));
          throw new Error('a tag was refused');
        }, () => undefined);
      } catch (error) {
        console.log('failed: ' + error.message);
        process.exitCode = 1;
      }`,
      'SIGINT',
    );
    assert.equal(failed.code, 1, failed.stdout);
    assert.match(failed.stdout, /failed: a tag was refused/);
  });
});
