// Rewrite mode at scale: 10,000 generated documents with 20,000 image references, the whole process
// of dist/index.js timed and its peak memory read, beside two peers measured in the same run.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Command, measure, median } from './measure.js';

const files = 100;
const documentsPerFile = 100;
const runs = 5;
const root = path.resolve(import.meta.dirname, '..');

function deployment(n: number): string {
  return `---
# Source: app/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${n}
  labels: {app: app-${n}, tier: backend}
spec:
  replicas: 2
  template:
    spec:
      initContainers:
        - name: migrate
          image: busybox:1.${n % 40}
      containers:
        - name: app
          image: "gcr.io/project-${n % 50}/service-${n % 1000}:v${n % 7}.0"
          ports:
            - containerPort: 8080
          env:
            - {name: MODE, value: "production"}
`;
}

export async function benchRewrite(): Promise<void> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'ferry-bench-rewrite-'));
  const pristine = path.join(scratch, 'pristine');
  const workspace = path.join(scratch, 'workspace');
  mkdirSync(pristine);
  for (let file = 0; file < files; file++) {
    let text = '';
    for (let doc = 0; doc < documentsPerFile; doc++) text += deployment(file * documentsPerFile + doc);
    writeFileSync(path.join(pristine, `app-${file}.yaml`), text);
  }
  const reset = (): void => {
    rmSync(workspace, { recursive: true, force: true });
    cpSync(pristine, workspace, { recursive: true });
  };
  const ferry: Command = {
    label: 'ferry (dist/index.js, rewrite)',
    argv: [process.execPath, path.join(root, 'dist', 'index.js')],
    env: {
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: path.join(scratch, 'output'),
      GITHUB_STEP_SUMMARY: path.join(scratch, 'summary'),
      INPUT_MODE: 'rewrite',
      'INPUT_DEFAULT-REPO': 'registry.example/team',
      // Inside the workspace (ferry refuses a lock-file outside it); each run starts from a fresh copy.
      'INPUT_LOCK-FILE': 'ferry.lock.yml',
    },
    before: () => {
      reset();
      writeFileSync(path.join(scratch, 'output'), '');
      writeFileSync(path.join(scratch, 'summary'), '');
    },
  };
  const parseFloor: Command = {
    label: 'yaml library parse only',
    argv: [process.execPath, path.join(import.meta.dirname, 'parse-floor.mjs'), workspace],
    before: reset,
  };
  const eventsFloor: Command = {
    label: 'js-yaml events only (floor)',
    argv: [process.execPath, path.join(import.meta.dirname, 'events-floor.mjs'), workspace],
    before: reset,
  };
  const sed: Command = {
    label: 'sed prefix (not YAML-aware)',
    argv: ['sh', '-c', `sed -i -E 's#(image: "?)#\\1registry.example/team/#' ${workspace}/*.yaml`],
    before: reset,
  };

  console.log(
    `rewrite: ${files * documentsPerFile} documents, ${2 * files * documentsPerFile} image references in ${files} files; median of ${runs} runs`,
  );
  const results = [];
  for (const command of [ferry, parseFloor, eventsFloor, sed]) results.push({ command, result: await median(command, runs) });
  const ferryResult = results[0]?.result;
  for (const { command, result } of results) {
    const ratio = ferryResult && command !== ferry ? `  ferry/this = ${(ferryResult.seconds / result.seconds).toFixed(2)}x` : '';
    const memory = result.peakMiB === undefined ? '' : `, peak ${result.peakMiB.toFixed(0)} MiB`;
    console.log(`  ${command.label.padEnd(34)} ${result.seconds.toFixed(3)} s${memory}${ratio}`);
  }
  rmSync(scratch, { recursive: true, force: true });

  // The largest manifest read by default, as a pull request could commit it.
  const labels = {
    ferry: "ferry's locator",
    fallback: 'locator, %YAML 2.0 (yaml library)',
    data: 'skaffold.yaml, Chart.yaml reader',
    lock: 'lock reader',
    yaml: 'yaml library parse',
  };
  const largeFile = (reader: keyof typeof labels, mib: number): Command => ({
    label: `${labels[reader]}, ${mib} MiB`,
    argv: [process.execPath, '--import', 'tsx', path.join(import.meta.dirname, 'large-file.ts'), reader, String(mib)],
  });
  console.log('one map of distinct keys (the default max-manifest-bytes is 10 MiB); one run each');
  console.log('  each reader at the largest file it accepts:');
  const commands = [largeFile('ferry', 10), largeFile('fallback', 1.9), largeFile('data', 1), largeFile('lock', 10)];
  for (const command of [...commands, largeFile('ferry', 0.25), largeFile('yaml', 0.125), largeFile('yaml', 0.25)]) {
    const result = await measure(command);
    console.log(`  ${command.label.padEnd(34)} ${result.seconds.toFixed(2)} s, peak ${result.peakMiB?.toFixed(0)} MiB`);
  }
}
