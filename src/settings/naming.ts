// The naming slice: where images go. The default repo (the input, else SKAFFOLD_DEFAULT_REPO, else
// Skaffold's global config), the single repository, and Skaffold's multi-level setting.
import { repositoryNameError } from '../reference.js';
import { type Env, SettingsError, input } from './inputs.js';
import type { SkaffoldContextConfig } from './skaffold.js';

export interface NamingSettings {
  /** '' when no default repo is configured anywhere. */
  readonly defaultRepo: string;
  /** Where the default repo came from, for the log. */
  readonly defaultRepoSource: string;
  readonly multiLevel: boolean | undefined;
  /** '' unless every image goes into this one repository. */
  readonly repository: string;
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

export function namingSettings(env: Env, skaffold: { config: SkaffoldContextConfig; file: string; source: string }): NamingSettings {
  const given = input(env, 'default-repo');
  const [defaultRepo, defaultRepoInput, defaultRepoSource] = given
    ? [given, 'default-repo', 'the default-repo input']
    : env.SKAFFOLD_DEFAULT_REPO
      ? [env.SKAFFOLD_DEFAULT_REPO.trim(), 'SKAFFOLD_DEFAULT_REPO', 'SKAFFOLD_DEFAULT_REPO']
      : [skaffold.config['default-repo'] ?? '', skaffold.file, skaffold.source];
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
  return { defaultRepo, defaultRepoSource, multiLevel, repository };
}
