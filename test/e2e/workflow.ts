// A small stand-in for the GitHub runner, enough to run the shipped example workflows end to end:
// jobs in `needs` order, a matrix from `fromJSON`, `if:` with `==`, and `${{ }}` over steps, needs,
// matrix, secrets and github. It knows the actions the examples use: checkout (a fresh copy of one
// commit per job), upload-artifact and download-artifact (a folder per run; by name or pattern, from
// another run with run-id, paths laid out as upload-artifact lays them out), docker/login-action
// (writes the Docker config as `docker login` does), and the Action itself through dist/index.js.
// `run:` steps go through bash with the runner's GITHUB_OUTPUT; what no test can reach (a cluster,
// the GitHub API) is answered by the executables in `tools`, put first on PATH. Anything else in a
// workflow is an error, so an example cannot use what this runner would silently skip.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { scratchDir } from '../registry/harness.js';
import { type ActionRun, runAction } from './action.js';

export interface WorkflowEvent {
  readonly refType: 'branch' | 'tag';
  readonly refName: string;
  readonly sha: string;
}

export interface WorkflowContext {
  /** The commit every checkout copies. */
  readonly commit: string;
  readonly event: WorkflowEvent;
  readonly secrets: Record<string, string>;
  /** Names in the example (registries, paths) and what stands for them here, applied to the Action's inputs and logins. */
  readonly substitutions: readonly (readonly [string, string])[];
  /** Environment for the Action's steps (SKAFFOLD_INSECURE_REGISTRY for the plain-HTTP test registries). */
  readonly env: Record<string, string>;
  /** A folder of executables put first on PATH for `run:` steps. */
  readonly tools: string;
  /** Earlier runs by id, for download-artifact's run-id. */
  readonly runs: ReadonlyMap<string, WorkflowRun>;
  /** Called before each job (or matrix leg) starts. */
  readonly beforeJob?: (job: string) => Promise<void>;
}

export interface JobRun {
  readonly workspace: string;
  readonly outputs: Record<string, string>;
  readonly actionRuns: ActionRun[];
  /** What `run:` steps printed. */
  stdout: string;
}

export interface WorkflowRun {
  readonly id: string;
  /** One folder per artifact, named as uploaded. */
  readonly artifacts: string;
  /** Jobs by name; a matrix job's legs as `name (value, ...)`. */
  readonly jobs: Map<string, JobRun>;
}

type Steps = Record<string, { outputs: Record<string, string> }>;

interface Scope {
  readonly context: WorkflowContext;
  readonly needs: Record<string, { outputs: Record<string, string> }>;
  readonly matrix: Record<string, unknown>;
  readonly steps: Steps;
  /** The job's RUNNER_TEMP, once a job runs. */
  readonly runnerTemp?: string;
}

interface WorkflowStep {
  readonly id?: string;
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
}

interface WorkflowJob {
  readonly needs?: string | string[];
  readonly if?: string;
  readonly strategy?: { matrix: unknown };
  readonly outputs?: Record<string, string>;
  readonly steps: WorkflowStep[];
}

let runCount = 0;

function lookUp(expression: string, scope: Scope): unknown {
  const literal = /^'((?:[^']|'')*)'$/.exec(expression);
  if (literal) return (literal[1] ?? '').replaceAll("''", "'");
  const fromJson = /^fromJSON\((.+)\)$/.exec(expression);
  if (fromJson) return JSON.parse(String(lookUp(fromJson[1] ?? '', scope)));
  const [root, ...rest] = expression.split('.');
  const github: Record<string, unknown> = {
    token: 'test-token',
    event: { repository: { default_branch: 'main' } } as never,
    sha: scope.context.event.sha,
    ref_name: scope.context.event.refName,
    ref_type: scope.context.event.refType,
  };
  const roots: Record<string, unknown> = {
    steps: scope.steps,
    needs: scope.needs,
    matrix: scope.matrix,
    secrets: scope.context.secrets,
    github,
    runner: { temp: scope.runnerTemp ?? '' },
  };
  if (root === undefined || !(root in roots)) throw new Error(`the test runner does not know the expression ${expression}`);
  let value: unknown = roots[root];
  for (const key of rest) value = value === undefined || value === null ? undefined : (value as Record<string, unknown>)[key];
  return value ?? '';
}

function evaluate(expression: string, scope: Scope): unknown {
  const comparison = /^(.+?)\s*(==|!=)\s*(.+)$/.exec(expression.trim());
  if (comparison) {
    const equal = String(lookUp(comparison[1] ?? '', scope)) === String(lookUp((comparison[3] ?? '').trim(), scope));
    return comparison[2] === '==' ? equal : !equal;
  }
  return lookUp(expression.trim(), scope);
}

function interpolate(text: string, scope: Scope): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression: string) => String(evaluate(expression, scope)));
}

function condition(text: string | undefined, scope: Scope): boolean {
  if (text === undefined) return true;
  const bare = /^\$\{\{\s*(.*?)\s*\}\}$/.exec(text.trim())?.[1] ?? text;
  return evaluate(bare, scope) === true;
}

function substitute(text: string, context: WorkflowContext): string {
  return context.substitutions.reduce((value, [from, to]) => value.replaceAll(from, to), text);
}

/** The runner's GITHUB_OUTPUT file: `name=value` lines and `name<<DELIMITER` blocks. */
function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const block = /^([^=<]+)<<(.+)$/.exec(line);
    if (block) {
      const end = lines.indexOf(block[2] ?? '', i + 1);
      outputs[block[1] ?? ''] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
  }
  return outputs;
}

/** upload-artifact's layout: the paths relative to their least common ancestor folder. */
function upload(workspace: string, paths: string, into: string): void {
  const full = paths
    .split('\n')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => path.resolve(workspace, entry));
  for (const entry of full) if (!existsSync(entry)) throw new Error(`upload-artifact: ${entry} does not exist`);
  const folders = full.map((entry) => (statSync(entry).isDirectory() ? entry : path.dirname(entry)));
  let root = folders[0] ?? workspace;
  while (!folders.every((folder) => folder === root || folder.startsWith(`${root}${path.sep}`))) root = path.dirname(root);
  mkdirSync(into, { recursive: true });
  for (const entry of full) cpSync(entry, path.join(into, path.relative(root, entry)), { recursive: true });
}

function download(step: Record<string, string>, context: WorkflowContext, current: WorkflowRun, workspace: string): void {
  const run = step['run-id'] ? context.runs.get(step['run-id']) : current;
  if (run === undefined) throw new Error(`download-artifact: no run ${step['run-id']}`);
  const target = path.resolve(workspace, step.path ?? '.');
  const wanted = step.name ?? step.pattern ?? '*';
  const pattern = new RegExp(`^${wanted.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`);
  const names = readdirSync(run.artifacts).filter((name) => pattern.test(name));
  if (names.length === 0) throw new Error(`download-artifact: no artifact ${wanted} in run ${run.id}`);
  for (const name of names) {
    const into = step.name !== undefined || step['merge-multiple'] === 'true' ? target : path.join(target, name);
    cpSync(path.join(run.artifacts, name), into, { recursive: true });
  }
}

function dockerLogin(step: Record<string, string>, context: WorkflowContext, home: string): void {
  const file = path.join(home, '.docker', 'config.json');
  const config = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { auths: Record<string, unknown> }) : { auths: {} };
  const registry = substitute(step.registry ?? 'https://index.docker.io/v1/', context);
  config.auths[registry] = { auth: Buffer.from(`${step.username}:${step.password}`).toString('base64') };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(config));
}

async function runJob(job: WorkflowJob, label: string, jobScope: Scope, run: WorkflowRun): Promise<JobRun> {
  const { context } = jobScope;
  const workspace = scratchDir('job-workspace');
  const home = scratchDir('job-home');
  const temp = scratchDir('job-temp');
  const scope: Scope = { ...jobScope, runnerTemp: temp };
  const result: JobRun = { workspace, outputs: {}, actionRuns: [], stdout: '' };
  for (const step of job.steps) {
    if (!condition(step.if, scope)) continue;
    const inputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([key, value]) => [key, interpolate(String(value), scope)]));
    const outputs: Record<string, string> = {};
    const action = step.uses?.replace(/@.*$/, '');
    if (action === 'actions/checkout') cpSync(context.commit, workspace, { recursive: true });
    else if (action === 'actions/upload-artifact')
      upload(workspace, inputs.path ?? '', path.join(run.artifacts, inputs.name ?? 'artifact'));
    else if (action === 'actions/download-artifact') download(inputs, context, run, workspace);
    else if (action === 'docker/login-action') dockerLogin(inputs, context, home);
    else if (action === 'example/ferry') {
      const given = Object.fromEntries(Object.entries(inputs).map(([key, value]) => [key, substitute(value, context)]));
      const actionRun = await runAction(workspace, given, { HOME: home, RUNNER_TEMP: temp, ...context.env });
      result.actionRuns.push(actionRun);
      if (actionRun.code !== 0) throw new Error(`${label}: ferry failed (${actionRun.code}):\n${actionRun.stdout}`);
      Object.assign(outputs, actionRun.outputs);
    } else if (step.run !== undefined) {
      const outputFile = path.join(temp, `output-${Math.random().toString(36).slice(2)}`);
      writeFileSync(outputFile, '');
      const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([key, value]) => [key, interpolate(value, scope)]));
      const shell = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', interpolate(step.run, scope)], {
        cwd: workspace,
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          PATH: `${context.tools}${path.delimiter}${process.env.PATH ?? ''}`,
          HOME: home,
          GITHUB_OUTPUT: outputFile,
          GITHUB_WORKSPACE: workspace,
          GITHUB_SHA: context.event.sha,
          GITHUB_REF_NAME: context.event.refName,
          RUNNER_TEMP: temp,
          ...env,
        },
      });
      result.stdout += shell.stdout;
      if (shell.status !== 0) throw new Error(`${label}: step ${step.name ?? step.run} failed:\n${shell.stdout}${shell.stderr}`);
      Object.assign(outputs, parseOutputFile(readFileSync(outputFile, 'utf8')));
    } else throw new Error(`${label}: the test runner does not know ${step.uses}`);
    if (step.id !== undefined) scope.steps[step.id] = { outputs };
  }
  for (const [name, value] of Object.entries(job.outputs ?? {})) result.outputs[name] = interpolate(value, scope);
  return result;
}

/** Runs every job of `file` whose `if:` holds, in `needs` order; a failing step fails the run. */
export async function runWorkflow(file: string, context: WorkflowContext): Promise<WorkflowRun> {
  const workflow = parse(readFileSync(file, 'utf8')) as { jobs: Record<string, WorkflowJob> };
  const run: WorkflowRun = { id: String(1000 + ++runCount), artifacts: scratchDir('artifacts'), jobs: new Map() };
  const done = new Map<string, JobRun[]>();
  const pending = Object.entries(workflow.jobs);
  while (pending.length > 0) {
    const index = pending.findIndex(([, job]) => [job.needs ?? []].flat().every((need) => done.has(need)));
    if (index < 0) throw new Error(`${file}: jobs wait on each other`);
    const [name, job] = pending.splice(index, 1)[0] as [string, WorkflowJob];
    const needs = Object.fromEntries(
      [job.needs ?? []].flat().map((need) => [need, { outputs: Object.assign({}, ...(done.get(need) ?? []).map((leg) => leg.outputs)) }]),
    );
    const base: Scope = { context, needs, matrix: {}, steps: {} };
    if (!condition(job.if, base)) {
      done.set(name, []);
      continue;
    }
    const matrix = job.strategy?.matrix;
    const legs =
      matrix === undefined
        ? [{}]
        : (
            (typeof matrix === 'string' ? evaluate(/^\$\{\{\s*(.*?)\s*\}\}$/.exec(matrix)?.[1] ?? matrix, base) : matrix) as {
              include: Record<string, unknown>[];
            }
          ).include;
    const results: JobRun[] = [];
    for (const leg of legs) {
      const label = matrix === undefined ? name : `${name} (${Object.values(leg).join(', ')})`;
      await context.beforeJob?.(name);
      const result = await runJob(job, label, { ...base, matrix: leg, steps: {} }, run);
      run.jobs.set(label, result);
      results.push(result);
    }
    done.set(name, results);
  }
  return run;
}
