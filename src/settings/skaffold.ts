// What Skaffold and kubectl already say, read the way they read it: Skaffold's global config for the
// current kube-context (SKAFFOLD_CONFIG, ~/.skaffold/config; the context from SKAFFOLD_KUBE_CONTEXT or
// the kubeconfig), and build.insecureRegistries of the checkout's skaffold.yaml.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Workspace } from '../workspace.js';
import { BoundaryError, readRegularFile } from '../workspace.js';
import { LineIndex, YamlSyntaxError, yamlValues } from '../yaml/data.js';
import { type Env, SettingsError, maxInputFileBytes } from './inputs.js';

export interface SkaffoldContextConfig {
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

export function readYamlFile(file: string, what: string): unknown {
  try {
    const text = readRegularFile(file, maxInputFileBytes, what).toString('utf8');
    return yamlValues(text)[0] ?? null;
  } catch (error) {
    if (error instanceof BoundaryError) throw new SettingsError(file, error.message);
    if (error instanceof YamlSyntaxError) throw new SettingsError(file, `cannot read ${what}: not valid YAML: ${error.reason}`);
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
export function skaffoldGlobalConfig(env: Env, home: string): { config: SkaffoldContextConfig; file: string; context: string } {
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
export function skaffoldYamlInsecureRegistries(files: Workspace): { file: string; registries: string[] } | undefined {
  const file = ['skaffold.yaml', 'skaffold.yml'].map((name) => path.join(files.root, name)).find((candidate) => existsSync(candidate));
  if (file === undefined) return undefined;
  const registries: string[] = [];
  let text: string;
  try {
    text = files.read('skaffold.yaml', file, maxInputFileBytes).toString('utf8');
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
