// The only reader of inputs, environment and Skaffold configuration. Everything is validated here,
// once, so that the rest of ferry takes plain, trusted values.
import { existsSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { yamlErrorReason } from './manifests/locate.js';
import { anchoredDomain, repositoryNameError } from './reference.js';

export const modeNames = ['rewrite', 'resolve', 'relocate', 'package', 'unpackage'] as const;
export type ModeName = (typeof modeNames)[number];

export interface Settings {
  readonly mode: ModeName;
  /** Absolute path of the checkout. */
  readonly workspace: string;
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
  /** PEM text of the registry-ca-certs files, trusted besides the system roots. */
  readonly caCertificates: readonly string[];
  readonly dockerConfig: string;
  /** podman/skopeo's auth.json (REGISTRY_AUTH_FILE), read after config.json. */
  readonly registryAuthFile: string | undefined;
  readonly imageKeys: readonly string[];
  /** An existing kbld lock whose overrides pin references. */
  readonly lock: string | undefined;
  readonly lockFile: string;
  readonly outputDir: string | undefined;
  readonly archive: string;
  readonly keepTags: boolean;
  readonly concurrency: number;
  readonly dryRun: boolean;
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
/** Never manifests, whatever the globs say: VCS data, workflow files, dependencies. */
export const excludedDirectories = ['.git', '.github', 'node_modules'];

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
    return parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SettingsError(file, `cannot read ${what}: ${(error as Error).message}`);
  }
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
function skaffoldYamlInsecureRegistries(workspace: string): string[] {
  const file = ['skaffold.yaml', 'skaffold.yml'].map((name) => path.join(workspace, name)).find((candidate) => existsSync(candidate));
  if (file === undefined) return [];
  const registries: string[] = [];
  for (const document of parseAllDocuments(readFileSync(file, 'utf8'))) {
    const [error] = document.errors;
    if (error !== undefined) throw new SettingsError(file, yamlErrorReason(error));
    const config = document.toJS() as { build?: { insecureRegistries?: unknown } } | null;
    const list = config?.build?.insecureRegistries;
    if (Array.isArray(list)) registries.push(...list.filter((item): item is string => typeof item === 'string'));
  }
  return registries;
}

function manifestPatterns(env: Env): string[] {
  const given = input(env, 'manifests')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const patterns = given.length === 0 ? defaultManifestPatterns : given;
  for (const pattern of patterns) {
    const body = pattern.replace(/^!+/, '');
    if (body === '') throw new SettingsError('manifests', `${JSON.stringify(pattern)} is not a glob`);
    if (path.isAbsolute(body) || body.split(/[\\/]/).includes('..')) {
      throw new SettingsError('manifests', `${JSON.stringify(pattern)} must be relative to the workspace and stay inside it`);
    }
  }
  return patterns;
}

function validateRepository(inputName: string, value: string): string {
  if (value === '') return value;
  const reason = repositoryNameError(value);
  if (reason !== undefined) {
    throw new SettingsError(inputName, `${JSON.stringify(value)} is not a valid repository name: ${reason}`);
  }
  return value;
}

function readCertificate(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SettingsError('registry-ca-certs', `cannot read ${file}: ${(error as Error).message}`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new SettingsError('registry-ca-certs', `${file} holds no PEM certificate`);
  return text;
}

function optionalPath(base: string, value: string): string | undefined {
  return value === '' ? undefined : path.resolve(base, value);
}

export function loadSettings(env: Env = process.env): Settings {
  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd());
  const home = env.HOME || homedir();

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

  const insecureSources: [string, string[]][] = [
    ['insecure-registries', listInput(env, 'insecure-registries')],
    [
      'SKAFFOLD_INSECURE_REGISTRY',
      (env.SKAFFOLD_INSECURE_REGISTRY ?? '')
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    ],
    ['skaffold.yaml build.insecureRegistries', skaffoldYamlInsecureRegistries(workspace)],
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

  const concurrencyText = input(env, 'concurrency') || '8';
  const concurrency = Number(concurrencyText);
  if (!/^[0-9]+$/.test(concurrencyText) || concurrency < 1 || concurrency > 256) {
    throw new SettingsError('concurrency', `${JSON.stringify(concurrencyText)} is not a whole number from 1 to 256`);
  }

  const imageKeys = ['image'];
  for (const key of listInput(env, 'image-keys')) if (!imageKeys.includes(key)) imageKeys.push(key);

  const lockFile = path.resolve(workspace, input(env, 'lock-file') || 'ferry.lock.yml');
  const outputDir = optionalPath(workspace, input(env, 'output-dir'));
  if (outputDir !== undefined && outputDir === workspace) {
    throw new SettingsError('output-dir', 'must not be the workspace itself: leave it empty to edit manifests in place');
  }
  const lock = optionalPath(workspace, input(env, 'lock'));
  if (lock !== undefined && !existsSync(lock)) throw new SettingsError('lock', `${lock} does not exist`);

  return {
    mode,
    workspace,
    manifestPatterns: manifestPatterns(env),
    defaultRepo,
    defaultRepoSource,
    multiLevel,
    repository,
    insecureRegistries,
    caCertificates: listInput(env, 'registry-ca-certs').map((file) => readCertificate(path.resolve(workspace, file))),
    dockerConfig: path.resolve(workspace, input(env, 'docker-config') || env.DOCKER_CONFIG || path.join(home, '.docker')),
    registryAuthFile: env.REGISTRY_AUTH_FILE ? path.resolve(workspace, env.REGISTRY_AUTH_FILE) : undefined,
    imageKeys,
    lock,
    lockFile,
    outputDir,
    archive: path.resolve(workspace, input(env, 'archive') || 'images.tar'),
    keepTags: booleanInput(env, 'keep-tags', false),
    concurrency,
    dryRun: booleanInput(env, 'dry-run', false),
    tempDir: env.RUNNER_TEMP || tmpdir(),
  };
}
