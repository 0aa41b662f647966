// The only reader of inputs, environment and Skaffold configuration. Everything is validated here,
// once, so that the rest of ferry takes plain, trusted values.
import { type ArtifactPolicy, artifactPolicies } from './copy/artifacts.js';
import { defaultMaxManifests } from './copy/budget.js';
import { parsePlatforms } from './copy/platforms.js';
import type { Platform } from './oci/descriptor.js';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { LineIndex, YamlSyntaxError, yamlValues } from './yaml-data.js';
import { anchoredDomain, repositoryNameError } from './reference.js';
import { BoundaryError, Workspace, readRegularFile } from './workspace.js';

/** Configuration files (skaffold.yaml, Skaffold's config, kubeconfig, CA files) are small; larger ones are refused. */
export const maxConfigBytes = 1024 * 1024;

export const modeNames = ['rewrite', 'resolve', 'relocate', 'package', 'unpackage', 'plan'] as const;
export type ModeName = (typeof modeNames)[number];

export interface Settings {
  readonly mode: ModeName;
  /** Absolute path of the checkout. */
  readonly workspace: string;
  /** The file boundary every path read or written goes through. */
  readonly files: Workspace;
  /** Inputs that were set but do nothing here, each a sentence naming the input. */
  readonly notices: readonly string[];
  /** Glob patterns relative to the workspace; `!` patterns exclude. */
  readonly manifestPatterns: readonly string[];
  /** '' when no default repo is configured anywhere. */
  readonly defaultRepo: string;
  /** Where the default repo came from, for the log. */
  readonly defaultRepoSource: string;
  readonly multiLevel: boolean | undefined;
  /** '' unless every image goes into this one repository. */
  readonly repository: string;
  readonly insecureRegistries: readonly string[];
  /** Registries only the checkout's skaffold.yaml lists as insecure: never for a registry with credentials. */
  readonly insecureFromCheckout: { readonly file: string; readonly registries: readonly string[] } | undefined;
  /** PEM text of the registry-ca-certs files, trusted besides the system roots. */
  readonly caCertificates: readonly string[];
  readonly dockerConfig: string;
  /** podman/skopeo's auth.json (REGISTRY_AUTH_FILE), read after config.json. */
  readonly registryAuthFile: string | undefined;
  readonly imageKeys: readonly string[];
  /** Existing kbld locks (or ImagesLocks) whose overrides pin references: paths or globs, merged. */
  readonly lock: readonly string[];
  readonly lockFile: string;
  readonly outputDir: string | undefined;
  /** The archive package writes. */
  readonly archive: string;
  /** The archives unpackage imports as one set: paths or globs. */
  readonly archives: readonly string[];
  /** plan mode: where the plan is written, how many shards (undefined: from shardBytes). */
  readonly planFile: string;
  readonly shards: number | undefined;
  readonly shardBytes: number;
  /** A plan to work from, and the 1-based shard of it to work on. */
  readonly plan: { readonly file: string; readonly shard: number } | undefined;
  readonly keepTags: boolean;
  readonly concurrency: number;
  readonly dryRun: boolean;
  /** The whole run's deadline, in milliseconds (input timeout), and how it was written. */
  readonly timeoutMs: number;
  readonly timeoutText: string;
  /** The largest manifest file read (input max-manifest-bytes). */
  readonly maxManifestBytes: number;
  /** The largest blob size a descriptor may declare (input max-blob-bytes). */
  readonly maxBlobBytes: number;
  /** The most manifests the run reads (input max-manifests). */
  readonly maxManifests: number;
  /** What travels with each image (input artifacts). */
  readonly artifacts: ArtifactPolicy;
  /** The platforms of an index to copy (input platforms); undefined for every one. */
  readonly platforms: readonly Platform[] | undefined;
  /** Where ferry keeps its blob store and unpacked archives: RUNNER_TEMP on a runner. */
  readonly tempDir: string;
}

/** A rejected setting; `input` names the action input (or the file) the value came from. */
export class SettingsError extends Error {
  readonly input: string;
  constructor(input: string, message: string) {
    super(`${input}: ${message}`);
    this.name = 'SettingsError';
    this.input = input;
  }
}

type Env = Readonly<Record<string, string | undefined>>;

export const defaultManifestPatterns = ['**/*.yaml', '**/*.yml', '**/Kustomization'];

// The runner passes input `name` as INPUT_NAME (spaces to underscores, upper case, hyphens kept),
// exactly as @actions/core reads it.
function input(env: Env, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

function listInput(env: Env, name: string): string[] {
  return input(env, name)
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function booleanInput(env: Env, name: string, fallback: boolean): boolean {
  const value = input(env, name);
  if (value === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new SettingsError(name, `${JSON.stringify(value)} is not a boolean: use true or false`);
}

interface SkaffoldContextConfig {
  'kube-context'?: string;
  'default-repo'?: string;
  'multi-level-repo'?: boolean;
  'insecure-registries'?: string[];
}

interface SkaffoldGlobalConfig {
  global?: SkaffoldContextConfig;
  kubeContexts?: SkaffoldContextConfig[];
}

/** Skaffold's context activation: `!` negates, then exact match, then an unanchored regular expression. */
function contextMatches(pattern: string, context: string): boolean {
  if (pattern.startsWith('!')) return !contextMatches(pattern.slice(1), context);
  if (pattern === context) return true;
  try {
    return new RegExp(pattern).test(context);
  } catch {
    return false;
  }
}

function readYamlFile(file: string, what: string): unknown {
  try {
    const text = readRegularFile(file, maxConfigBytes, what).toString('utf8');
    return yamlValues(text)[0] ?? null;
  } catch (error) {
    if (error instanceof BoundaryError) throw new SettingsError(file, error.message);
    if (error instanceof YamlSyntaxError) throw new SettingsError(file, `cannot read ${what}: not valid YAML: ${error.reason}`);
    throw new SettingsError(file, `cannot read ${what}: ${(error as Error).message}`);
  }
}

function wholeNumber(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new SettingsError(name, `${JSON.stringify(text)} is not a whole number from ${min} to ${max}`);
  }
  return value;
}

const sizeUnits: Record<string, number> = {
  '': 1,
  B: 1,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
};

const durationUnits: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `30m`, `1h30m`, `90s`, `500ms`: a duration, as Go and GitHub write them. */
export function parseDuration(inputName: string, text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  const total = parts.reduce((sum, [, value, unit]) => sum + Number(value) * (durationUnits[unit ?? ''] ?? NaN), 0);
  if (parts.length === 0 || parts.map(([part]) => part).join('') !== text || !Number.isFinite(total) || total <= 0) {
    throw new SettingsError(inputName, `${JSON.stringify(text)} is not a duration: write it like 30m, 1h30m or 90s`);
  }
  return total;
}

/** `10MiB`, `50GiB`, `1048576`: a byte count. */
export function parseSize(inputName: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([KMGT]i?B|B)?$/.exec(text);
  const unit = sizeUnits[match?.[2] ?? ''];
  const value = match === null || unit === undefined ? NaN : Number(match[1]) * unit;
  if (!Number.isFinite(value) || value < 1) {
    throw new SettingsError(inputName, `${JSON.stringify(text)} is not a size: write bytes, or a number with KiB, MiB, GiB or TiB`);
  }
  return Math.floor(value);
}

function currentKubeContext(env: Env, home: string): string {
  if (env.SKAFFOLD_KUBE_CONTEXT) return env.SKAFFOLD_KUBE_CONTEXT;
  const files = env.KUBECONFIG ? env.KUBECONFIG.split(path.delimiter).filter(Boolean) : [path.join(home, '.kube', 'config')];
  for (const file of files) {
    if (!existsSync(file)) continue;
    const config = readYamlFile(file, 'kubeconfig') as { 'current-context'?: unknown } | null;
    const context = config?.['current-context'];
    if (typeof context === 'string' && context !== '') return context;
  }
  return '';
}

/**
 * Skaffold's global config for the current kube-context: the last matching context entry, with unset
 * values taken from `global` and lists joined (Skaffold merges the two with mergo's append-slice).
 */
function skaffoldGlobalConfig(env: Env, home: string): { config: SkaffoldContextConfig; file: string; context: string } {
  const file = env.SKAFFOLD_CONFIG || path.join(home, '.skaffold', 'config');
  const empty = { config: {}, file, context: '' };
  if (!existsSync(file)) return empty;
  const parsed = (readYamlFile(file, "Skaffold's global config") ?? {}) as SkaffoldGlobalConfig;
  const global = parsed.global ?? {};
  const context = currentKubeContext(env, home);
  if (context === '') return { config: global, file, context };
  let merged: SkaffoldContextConfig = {};
  for (const entry of parsed.kubeContexts ?? []) {
    if (typeof entry?.['kube-context'] === 'string' && contextMatches(entry['kube-context'], context)) merged = entry;
  }
  return {
    file,
    context,
    config: {
      'default-repo': merged['default-repo'] || global['default-repo'],
      'multi-level-repo': merged['multi-level-repo'] ?? global['multi-level-repo'],
      'insecure-registries': [...(merged['insecure-registries'] ?? []), ...(global['insecure-registries'] ?? [])],
    },
  };
}

/** `build.insecureRegistries` of every config in the workspace's skaffold.yaml (multi-config files too). */
function skaffoldYamlInsecureRegistries(files: Workspace): { file: string; registries: string[] } | undefined {
  const file = ['skaffold.yaml', 'skaffold.yml'].map((name) => path.join(files.root, name)).find((candidate) => existsSync(candidate));
  if (file === undefined) return undefined;
  const registries: string[] = [];
  let text: string;
  try {
    text = files.read('skaffold.yaml', file, maxConfigBytes).toString('utf8');
  } catch (error) {
    throw new SettingsError(path.basename(file), (error as Error).message);
  }
  let documents: unknown[];
  try {
    documents = yamlValues(text);
  } catch (error) {
    if (!(error instanceof YamlSyntaxError)) throw error;
    const { line, column } = new LineIndex(text).position(error.offset);
    throw new SettingsError(`${path.basename(file)}:${line}:${column}`, `not valid YAML: ${error.reason}`);
  }
  for (const document of documents) {
    const config = document as { build?: { insecureRegistries?: unknown } } | null;
    const list = config?.build?.insecureRegistries;
    if (Array.isArray(list)) registries.push(...list.filter((item): item is string => typeof item === 'string'));
  }
  return { file: path.basename(file), registries };
}

/** Workspace-relative globs, one per line (and, where `commas`, comma-separated too), checked to stay inside. */
function patternsInput(env: Env, name: string, fallback: readonly string[], commas = false): string[] {
  const given = input(env, name)
    .split(commas ? /[\n,]/ : '\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const patterns = given.length === 0 ? [...fallback] : given;
  for (const pattern of patterns) {
    const body = pattern.replace(/^!+/, '');
    if (body === '') throw new SettingsError(name, `${JSON.stringify(pattern)} is not a glob`);
    if (path.isAbsolute(body) || body.split(/[\\/]/).includes('..')) {
      throw new SettingsError(name, `${JSON.stringify(pattern)} must be relative to the workspace and stay inside it`);
    }
  }
  return patterns;
}

function manifestPatterns(env: Env, workspace: string): string[] {
  const patterns = patternsInput(env, 'manifests', defaultManifestPatterns);
  for (const pattern of patterns) {
    // A folder matches no file (the globs match files): say what to write instead.
    const folder = path.join(workspace, pattern.replace(/\/+$/, ''));
    if (!/[*?[!]/.test(pattern) && existsSync(folder) && statSync(folder).isDirectory()) {
      const base = pattern.replace(/\/+$/, '');
      throw new SettingsError(
        'manifests',
        `${JSON.stringify(pattern)} is a folder, and the globs match files: write ${base}/**/*.yaml (and ${base}/**/*.yml)`,
      );
    }
  }
  return patterns;
}

/** Inputs set where they change nothing: a notice each, naming the input. */
function idleInputs(env: Env, mode: ModeName, repository: string, defaultRepo: string): string[] {
  const notices: string[] = [];
  const keepTags = booleanInput(env, 'keep-tags', false);
  if (keepTags && repository !== '' && (mode === 'relocate' || mode === 'unpackage')) {
    notices.push(
      'keep-tags: ignored with repository: every image goes into one repository, where tags would collide, so names are pinned by digest alone',
    );
  }
  if (keepTags && mode === 'rewrite') notices.push('keep-tags: does nothing in rewrite mode, which pins nothing');
  const multiLevel = input(env, 'multi-level-repo');
  if (multiLevel !== '' && multiLevel !== 'auto') {
    if (mode === 'resolve' || mode === 'package' || mode === 'plan')
      notices.push(`multi-level-repo: does nothing in ${mode} mode, which keeps names as written`);
    else if (repository !== '') notices.push('multi-level-repo: does nothing with repository, which puts every image into one repository');
    else if (defaultRepo === '') notices.push('multi-level-repo: does nothing without a default repo');
  }
  const copies = mode === 'relocate' || mode === 'package' || mode === 'unpackage';
  if (input(env, 'platforms') !== '' && !copies) notices.push(`platforms: does nothing in ${mode} mode, which copies nothing`);
  return notices;
}

function validateRepository(inputName: string, value: string): string {
  if (value === '') return value;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(value)?.[0];
  if (scheme !== undefined) {
    throw new SettingsError(
      inputName,
      `${JSON.stringify(value)} has a scheme: write it without ${JSON.stringify(scheme)}, as ${value.slice(scheme.length).replace(/\/+$/, '')}`,
    );
  }
  if (value.endsWith('/')) throw new SettingsError(inputName, `${JSON.stringify(value)} ends with "/": write ${value.replace(/\/+$/, '')}`);
  const reason = repositoryNameError(value);
  if (reason !== undefined) {
    throw new SettingsError(inputName, `${JSON.stringify(value)} is not a valid repository name: ${reason}`);
  }
  return value;
}

/**
 * A CA file inside the checkout is trusted for every registry, and a pull request can change it: said
 * once per file, so the workflow's author can keep it out of the checkout.
 */
function checkoutCertificates(files: Workspace, names: readonly string[]): string[] {
  return names
    .map((name) => path.resolve(files.root, name))
    .filter((file) => existsSync(file) && files.contains(realpathSync(file)))
    .map(
      (file) =>
        `registry-ca-certs: ${path.relative(files.root, file)} is in the checkout, so a pull request can change which certificates ferry trusts; keep CA files outside the workspace (a secret written to RUNNER_TEMP)`,
    );
}

function readCertificate(file: string): string {
  let text: string;
  try {
    text = readRegularFile(file, maxConfigBytes, 'registry-ca-certs').toString('utf8');
  } catch (error) {
    throw new SettingsError('registry-ca-certs', (error as Error).message.replace(/^registry-ca-certs: /, ''));
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new SettingsError('registry-ca-certs', `${file} holds no PEM certificate`);
  return text;
}

/** A path inside the workspace (or RUNNER_TEMP), refused naming its input otherwise. */
function within<T>(inputName: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof BoundaryError) throw new SettingsError(inputName, error.message.replace(`${error.what}: `, ''));
    throw error;
  }
}

export function loadSettings(env: Env = process.env): Settings {
  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd());
  const home = env.HOME || homedir();
  const tempDir = env.RUNNER_TEMP || tmpdir();
  if (!existsSync(workspace)) throw new SettingsError('GITHUB_WORKSPACE', `${workspace} does not exist`);
  const files = new Workspace(workspace, tempDir);

  const modeText = input(env, 'mode') || 'relocate';
  if (!(modeNames as readonly string[]).includes(modeText)) {
    throw new SettingsError('mode', `unknown mode ${JSON.stringify(modeText)}: use one of ${modeNames.join(', ')}`);
  }
  const mode = modeText as ModeName;

  const skaffold = skaffoldGlobalConfig(env, home);
  const skaffoldSource = `${skaffold.file}${skaffold.context ? ` (kube-context ${skaffold.context})` : ''}`;
  const [defaultRepo, defaultRepoInput, defaultRepoSource] = input(env, 'default-repo')
    ? [input(env, 'default-repo'), 'default-repo', 'the default-repo input']
    : env.SKAFFOLD_DEFAULT_REPO
      ? [env.SKAFFOLD_DEFAULT_REPO.trim(), 'SKAFFOLD_DEFAULT_REPO', 'SKAFFOLD_DEFAULT_REPO']
      : [skaffold.config['default-repo'] ?? '', skaffold.file, skaffoldSource];
  validateRepository(defaultRepoInput, defaultRepo);

  const repository = validateRepository('repository', input(env, 'repository'));
  if (repository !== '' && defaultRepoInput === 'default-repo') {
    throw new SettingsError(
      'repository',
      'both repository and default-repo are set: repository puts every image into one repository, default-repo gives each its own name; set one',
    );
  }

  const multiLevelText = input(env, 'multi-level-repo') || 'auto';
  if (!['auto', 'true', 'false'].includes(multiLevelText)) {
    throw new SettingsError('multi-level-repo', `${JSON.stringify(multiLevelText)} is not one of auto, true, false`);
  }
  const multiLevel = multiLevelText === 'auto' ? skaffold.config['multi-level-repo'] : multiLevelText === 'true';

  const fromCheckout = skaffoldYamlInsecureRegistries(files);
  const insecureSources: [string, string[]][] = [
    ['insecure-registries', listInput(env, 'insecure-registries')],
    [
      'SKAFFOLD_INSECURE_REGISTRY',
      (env.SKAFFOLD_INSECURE_REGISTRY ?? '')
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    ],
    [`${fromCheckout?.file ?? 'skaffold.yaml'} build.insecureRegistries`, fromCheckout?.registries ?? []],
    [skaffoldSource, skaffold.config['insecure-registries'] ?? []],
  ];
  const insecureRegistries: string[] = [];
  for (const [source, registries] of insecureSources) {
    for (const registry of registries) {
      if (!anchoredDomain.test(registry)) {
        throw new SettingsError(source, `${JSON.stringify(registry)} is not a registry host[:port]`);
      }
      if (!insecureRegistries.includes(registry)) insecureRegistries.push(registry);
    }
  }
  // What the checkout alone adds: a pull request can change that file.
  const trusted = new Set(insecureSources.filter((_, index) => index !== 2).flatMap(([, registries]) => registries));
  const checkoutOnly = (fromCheckout?.registries ?? []).filter((registry) => !trusted.has(registry));

  const artifactsText = input(env, 'artifacts') || 'all';
  if (!(artifactPolicies as readonly string[]).includes(artifactsText)) {
    throw new SettingsError('artifacts', `${JSON.stringify(artifactsText)} is not one of ${artifactPolicies.join(', ')}`);
  }
  const artifacts = artifactsText as ArtifactPolicy;
  let platforms: Platform[] | undefined;
  try {
    platforms = parsePlatforms(input(env, 'platforms'));
  } catch (error) {
    throw new SettingsError('platforms', (error as Error).message);
  }
  const concurrencyText = input(env, 'concurrency') || '8';
  const concurrency = Number(concurrencyText);
  if (!/^[0-9]+$/.test(concurrencyText) || concurrency < 1 || concurrency > 256) {
    throw new SettingsError('concurrency', `${JSON.stringify(concurrencyText)} is not a whole number from 1 to 256`);
  }

  const imageKeys = ['image'];
  for (const key of listInput(env, 'image-keys')) if (!imageKeys.includes(key)) imageKeys.push(key);

  const lockFile = within('lock-file', () => files.outputPath('lock-file', input(env, 'lock-file') || 'ferry.lock.yml'));
  const outputDirText = input(env, 'output-dir');
  if (outputDirText !== '' && path.resolve(workspace, outputDirText) === workspace) {
    throw new SettingsError('output-dir', 'must not be the workspace itself: leave it empty to edit manifests in place');
  }
  const outputDir =
    outputDirText === ''
      ? undefined
      : within('output-dir', () => {
          const dir = files.outputPath('output-dir', outputDirText);
          files.checkFolder('output-dir', dir);
          return dir;
        });
  const lock = patternsInput(env, 'lock', [], true);
  for (const pattern of lock) {
    if (/[*?[]/.test(pattern)) continue;
    const file = path.resolve(workspace, pattern);
    if (!existsSync(file)) throw new SettingsError('lock', `${file} does not exist`);
    within('lock', () => files.realFile('lock', file));
  }
  // Archives may live in RUNNER_TEMP as well as the workspace: absolute paths are taken, and the boundary checks them.
  const archives = listInput(env, 'archive');
  if (archives.length === 0) archives.push('images.tar');
  const archive = within('archive', () => files.outputPath('archive', archives[0] ?? 'images.tar', true));
  if (mode === 'package' && archives.length > 1) throw new SettingsError('archive', 'package writes one archive: name one file');

  const shardsText = input(env, 'shards') || 'auto';
  if (shardsText !== 'auto' && !/^[1-9][0-9]{0,3}$/.test(shardsText)) {
    throw new SettingsError('shards', `${JSON.stringify(shardsText)} is not auto or a whole number from 1 to 9999`);
  }
  const planText = input(env, 'plan');
  const shardText = input(env, 'shard');
  if ((planText === '') !== (shardText === ''))
    throw new SettingsError(
      planText === '' ? 'shard' : 'plan',
      'plan and shard go together: the plan file, and the 1-based shard of it to work on',
    );
  if (shardText !== '' && !/^[1-9][0-9]{0,3}$/.test(shardText))
    throw new SettingsError('shard', `${JSON.stringify(shardText)} is not a 1-based shard number`);
  if (planText !== '' && !['relocate', 'package', 'resolve'].includes(mode)) {
    throw new SettingsError('plan', `a shard of a plan is worked on in relocate, package or resolve mode, not ${mode}`);
  }
  const plan =
    planText === ''
      ? undefined
      : {
          file: within('plan', () => files.realFile('plan', path.resolve(workspace, planText))),
          shard: Number(shardText),
        };

  return {
    mode,
    workspace,
    files,
    manifestPatterns: manifestPatterns(env, workspace),
    notices: [...idleInputs(env, mode, repository, defaultRepo), ...checkoutCertificates(files, listInput(env, 'registry-ca-certs'))],
    defaultRepo,
    defaultRepoSource,
    multiLevel,
    repository,
    insecureRegistries,
    insecureFromCheckout:
      checkoutOnly.length === 0 || fromCheckout === undefined ? undefined : { file: fromCheckout.file, registries: checkoutOnly },
    caCertificates: listInput(env, 'registry-ca-certs').map((file) => readCertificate(path.resolve(workspace, file))),
    dockerConfig: path.resolve(workspace, input(env, 'docker-config') || env.DOCKER_CONFIG || path.join(home, '.docker')),
    registryAuthFile: env.REGISTRY_AUTH_FILE ? path.resolve(workspace, env.REGISTRY_AUTH_FILE) : undefined,
    imageKeys,
    lock,
    lockFile,
    archives,
    planFile: within('plan-file', () => files.outputPath('plan-file', input(env, 'plan-file') || 'ferry.plan.json')),
    shards: shardsText === 'auto' ? undefined : Number(shardsText),
    shardBytes: parseSize('shard-bytes', input(env, 'shard-bytes') || '20GiB'),
    plan,
    outputDir,
    archive,
    keepTags: booleanInput(env, 'keep-tags', false),
    concurrency,
    dryRun: booleanInput(env, 'dry-run', false),
    timeoutMs: parseDuration('timeout', input(env, 'timeout') || '30m'),
    timeoutText: input(env, 'timeout') || '30m',
    maxManifestBytes: parseSize('max-manifest-bytes', input(env, 'max-manifest-bytes') || '10MiB'),
    maxBlobBytes: parseSize('max-blob-bytes', input(env, 'max-blob-bytes') || '50GiB'),
    maxManifests: wholeNumber('max-manifests', input(env, 'max-manifests') || String(defaultMaxManifests), 1, 100_000_000),
    artifacts,
    platforms,
    tempDir,
  };
}
