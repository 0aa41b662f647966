// `npm start`: runs the built Action the way the runner does, in rewrite mode, on a temporary copy of
// examples/, then prints the rewritten YAML, the lock and the step outputs.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const workspace = mkdtempSync(path.join(tmpdir(), 'ferry-start-'));
const runner = mkdtempSync(path.join(tmpdir(), 'ferry-runner-'));
try {
  cpSync(path.join(root, 'examples'), workspace, { recursive: true });
  const outputFile = path.join(runner, 'output');
  const summaryFile = path.join(runner, 'summary.md');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const defaultRepo = process.argv[2] ?? 'registry.example/storefront';
  const result = spawnSync(process.execPath, [path.join(root, 'dist', 'index.js')], {
    stdio: 'inherit',
    env: {
      ...process.env,
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      INPUT_MODE: 'rewrite',
      'INPUT_DEFAULT-REPO': defaultRepo,
    },
  });
  for (const name of readdirSync(path.join(workspace, 'app')).sort()) {
    console.log(`\n=== app/${name}`);
    process.stdout.write(readFileSync(path.join(workspace, 'app', name), 'utf8'));
  }
  console.log('\n=== ferry.lock.yml');
  process.stdout.write(readFileSync(path.join(workspace, 'ferry.lock.yml'), 'utf8'));
  process.exitCode = result.status ?? 1;
} finally {
  rmSync(workspace, { recursive: true, force: true });
  rmSync(runner, { recursive: true, force: true });
}
