// The only reader of inputs, environment and Skaffold configuration. Each concern is a slice read once
// (settings/: naming, registries, paths, sharding; inputs.ts says how an input is read, skaffold.ts
// what Skaffold and kubectl already say), so the rest of ferry takes plain, trusted values.
import { type ModeName, modeNames, modes } from './modes/catalog.js';
import { existsSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { type ArtifactPolicy, artifactPolicies } from './copy/artifacts.js';
import { defaultMaxManifests } from './copy/budget.js';
import { parsePlatforms } from './copy/platforms.js';
import type { Platform } from './oci/descriptor.js';
import { type Env, SettingsError, booleanInput, input, listInput, parseDuration, parseSize, wholeNumber } from './settings/inputs.js';
import { type NamingSettings, namingSettings } from './settings/naming.js';
import { type PathSettings, pathSettings } from './settings/paths.js';
import { type RegistrySettings, registrySettings } from './settings/registries.js';
import { type ShardSettings, shardSettings } from './settings/sharding.js';
import { skaffoldGlobalConfig } from './settings/skaffold.js';
import { type VerifySettings, verifySettings } from './settings/verify.js';
import { type AttestSettings, attestSettings } from './settings/attest.js';
import { Workspace } from './workspace.js';

export { SettingsError, parseDuration, parseSize } from './settings/inputs.js';
export { defaultManifestPatterns } from './settings/paths.js';

/** How the work is done: what is copied, how fast, within which bounds. */
export interface WorkSettings {
  readonly imageKeys: readonly string[];
  /** Helm charts in OCI registries are found, moved and rewritten with the images (the `charts` input). */
  readonly charts: boolean;
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
}

export interface Settings
  extends NamingSettings, RegistrySettings, PathSettings, ShardSettings, WorkSettings, VerifySettings, AttestSettings {
  readonly mode: ModeName;
  /** Absolute path of the checkout. */
  readonly workspace: string;
  /** The file boundary every path read or written goes through. */
  readonly files: Workspace;
  /** Inputs that were set but do nothing here, and files a pull request could change, each a sentence naming the input. */
  readonly notices: readonly string[];
  /** Where ferry keeps its blob store and unpacked archives: RUNNER_TEMP on a runner. */
  readonly tempDir: string;
}

function workSettings(env: Env): WorkSettings {
  const artifactsText = input(env, 'artifacts') || 'all';
  if (!(artifactPolicies as readonly string[]).includes(artifactsText)) {
    throw new SettingsError('artifacts', `${JSON.stringify(artifactsText)} is not one of ${artifactPolicies.join(', ')}`);
  }
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
  const timeoutText = input(env, 'timeout') || '30m';
  return {
    imageKeys,
    charts: booleanInput(env, 'charts', true),
    keepTags: booleanInput(env, 'keep-tags', false),
    concurrency,
    dryRun: booleanInput(env, 'dry-run', false),
    timeoutMs: parseDuration('timeout', timeoutText),
    timeoutText,
    maxManifestBytes: parseSize('max-manifest-bytes', input(env, 'max-manifest-bytes') || '10MiB'),
    maxBlobBytes: parseSize('max-blob-bytes', input(env, 'max-blob-bytes') || '50GiB'),
    maxManifests: wholeNumber('max-manifests', input(env, 'max-manifests') || String(defaultMaxManifests), 1, 100_000_000),
    artifacts: artifactsText as ArtifactPolicy,
    platforms,
  };
}

/** Inputs set where they change nothing: a notice each, naming the input. */
function idleInputs(env: Env, mode: ModeName, keepTags: boolean, repository: string, defaultRepo: string): string[] {
  const notices: string[] = [];
  const facts = modes[mode];
  if (keepTags && repository !== '' && facts.pushes) {
    notices.push(
      'keep-tags: ignored with repository: every image goes into one repository, where tags would collide, so names are pinned by digest alone',
    );
  }
  if (keepTags && !facts.pins) notices.push(`keep-tags: does nothing in ${mode} mode, which pins nothing`);
  const multiLevel = input(env, 'multi-level-repo');
  if (multiLevel !== '' && multiLevel !== 'auto') {
    if (facts.keepsNames) notices.push(`multi-level-repo: does nothing in ${mode} mode, which keeps names as written`);
    else if (repository !== '') notices.push('multi-level-repo: does nothing with repository, which puts every image into one repository');
    else if (defaultRepo === '') notices.push('multi-level-repo: does nothing without a default repo');
  }
  if (input(env, 'since') !== '' && !facts.writesArchive) notices.push(`since: does nothing in ${mode} mode, which writes no archive`);
  if (input(env, 'archive-part-size') !== '' && !facts.writesArchive && !facts.readsArchive)
    notices.push(`archive-part-size: does nothing in ${mode} mode, which writes no archive`);
  if (input(env, 'platforms') !== '' && !facts.copies) notices.push(`platforms: does nothing in ${mode} mode, which copies nothing`);
  return notices;
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
  const skaffoldSource = { ...skaffold, source: `${skaffold.file}${skaffold.context ? ` (kube-context ${skaffold.context})` : ''}` };
  const naming = namingSettings(env, skaffoldSource);
  const registries = registrySettings(env, files, home, skaffoldSource);
  const work = workSettings(env);
  const paths = pathSettings(env, files, modes[mode].writesArchive);
  const sharding = shardSettings(env, files, mode);
  const verify = verifySettings(env, files, mode);
  const attest = attestSettings(env, files, mode);
  return {
    mode,
    workspace,
    files,
    notices: [
      ...idleInputs(env, mode, work.keepTags, naming.repository, naming.defaultRepo),
      ...registries.notices,
      ...verify.notices,
      ...attest.notices,
    ],
    ...naming,
    ...registries.settings,
    ...paths,
    ...sharding,
    ...work,
    ...verify.settings,
    ...attest.settings,
    tempDir,
  };
}

/** Relocating onto the names images already have copies nothing: that is resolve, and a setting is missing. */
export function refuseNoOp(settings: Settings): void {
  if (settings.mode === 'relocate' && settings.defaultRepo === '' && settings.repository === '' && settings.lock.length === 0) {
    throw new SettingsError(
      'default-repo',
      "relocate needs a destination: set default-repo or repository (or SKAFFOLD_DEFAULT_REPO, or a default repo in Skaffold's global config), or name a lock whose images to copy onto the names in the manifests; to pin tags to digests in place, use mode: resolve",
    );
  }
}
