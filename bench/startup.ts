// Start-up: what a run costs before any work, as the runner starts the Action: dist/index.js in rewrite
// mode on a one-line manifest, beside `node -e 0` (Node's own start, the floor), 11 runs each,
// alternating; the medians and their difference. Rewrite loads neither the registry client nor the
// copy: each mode loads what it needs when the run asks for it.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { scratchDir } from '../test/registry/harness.js';
import { type Measurement, measure, medianRun } from './measure.js';

export async function benchStartup(): Promise<void> {
  const scratch = scratchDir('bench-startup');
  const workspace = path.join(scratch, 'workspace');
  mkdirSync(workspace);
  writeFileSync(path.join(workspace, 'app.yaml'), 'image: nginx:1.25\n');
  const ferry = {
    label: 'ferry rewrite, one image',
    argv: [process.execPath, path.join(path.resolve(import.meta.dirname, '..'), 'dist', 'index.js')],
    env: {
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: path.join(scratch, 'output'),
      GITHUB_STEP_SUMMARY: path.join(scratch, 'summary'),
      INPUT_MODE: 'rewrite',
      INPUT_MANIFESTS: 'app.yaml',
      'INPUT_DEFAULT-REPO': 'registry.example/team',
    },
    before: () => {
      writeFileSync(path.join(scratch, 'output'), '');
      writeFileSync(path.join(scratch, 'summary'), '');
      writeFileSync(path.join(workspace, 'app.yaml'), 'image: nginx:1.25\n');
    },
  };
  const floor = { label: 'node -e 0', argv: [process.execPath, '-e', '0'] };
  const runs: { ferry: Measurement[]; floor: Measurement[] } = { ferry: [], floor: [] };
  for (let run = 0; run < 11; run++) {
    runs.floor.push(await measure(floor));
    runs.ferry.push(await measure(ferry));
  }
  const [ours, node] = [medianRun(runs.ferry), medianRun(runs.floor)];
  console.log('startup: 11 runs each, alternating; medians');
  console.log(`  node -e 0 (the floor)            ${node.seconds.toFixed(3)} s, peak ${node.peakMiB?.toFixed(0)} MiB`);
  console.log(`  ferry rewrite, one image         ${ours.seconds.toFixed(3)} s, peak ${ours.peakMiB?.toFixed(0)} MiB`);
  console.log(`  ferry's own start and work: ${(ours.seconds - node.seconds).toFixed(3)} s beyond Node's start`);
}
