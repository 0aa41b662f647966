// Skaffold's default-repo strategies (pkg/skaffold/docker/default_repo.go), kept to its code where
// its docs say less: see README, "Where ferry follows Skaffold's code".
import { domainAndPort, lowerCaseName, nameText, parseReferenceParts, referenceText } from './reference.js';

/** Image prefixes Skaffold strips before parsing: ko's import-path scheme. */
const strippedPrefixes = ['ko://'];

/** Skaffold truncates the rewritten name, before tag and digest, to this many characters. */
const maxNameLength = 255;
const escapedCharacters = /[/._:@]/g;
/** A GCP project ID as the Cloud console accepts it. */
const gcpProjectId = '[a-z][a-z0-9-]{4,28}[a-z0-9]';
/** The registry and project of a GCR or Artifact Registry name, with the slash after it if any. */
const registryProjectPrefix = new RegExp(`^${domainAndPort}/${gcpProjectId}/?`);

export interface RewriteOptions {
  /** Skaffold's multi-level-repo setting; undefined when it is not set. */
  multiLevel?: boolean;
}

/** Registries that accept repository names of any depth, whatever the setting says. */
function supportsMultiLevelRepos(prefix: string): boolean {
  return prefix.includes('gcr.io') || prefix.includes('-docker.pkg.dev');
}

function truncate(name: string): string {
  return name.length > maxNameLength ? name.slice(0, maxNameLength) : name;
}

function replaceName(defaultRepo: string, name: string, multiLevel: boolean | undefined): string {
  if (name.startsWith(defaultRepo)) return name;
  const namePrefix = registryProjectPrefix.exec(name)?.[0] ?? '';
  const defaultRepoPrefix = registryProjectPrefix.exec(defaultRepo)?.[0] ?? '';
  if (multiLevel === true || supportsMultiLevelRepos(defaultRepoPrefix)) {
    if (namePrefix === defaultRepoPrefix) return `${defaultRepo}/${name.slice(namePrefix.length)}`;
    return truncate(`${defaultRepo}/${name}`);
  }
  return truncate(`${defaultRepo}/${name.replace(escapedCharacters, '_')}`);
}

/**
 * Moves an image name onto a default repo as Skaffold does: an empty default repo changes nothing; a
 * name that already starts with it is kept; a multi-level repo concatenates, sharing a common
 * registry/project prefix; any other repo gets the name with `/ . _ : @` escaped to `_`, truncated to
 * 255 characters. The tag and digest are kept. The name is taken as written (`nginx`, not
 * `docker.io/library/nginx`), as Skaffold parses it: a `ko://` prefix dropped and the name (not the
 * tag) lower-cased first, as Skaffold's SanitizeImageName does. Text that is not a reference even then
 * throws InvalidReferenceError.
 */
export function rewriteImage(image: string, defaultRepo: string, options: RewriteOptions = {}): string {
  if (defaultRepo === '') return image;
  let sanitized = image;
  for (const prefix of strippedPrefixes) if (sanitized.startsWith(prefix)) sanitized = sanitized.slice(prefix.length);
  const parts = parseReferenceParts(lowerCaseName(sanitized));
  return referenceText(replaceName(defaultRepo, nameText(parts), options.multiLevel), parts.tag, parts.digest);
}

/**
 * A Helm chart's new name: the repository it is in moved onto the default repo as an image name is,
 * its chart name kept last, so that the formats that join a repository URL and a chart name
 * (`<url>/<chart>`) still compose to it, and the charts of one repository keep sharing one URL.
 */
export function rewriteChart(chart: string, defaultRepo: string, options: RewriteOptions = {}): string {
  if (defaultRepo === '') return chart;
  const parts = parseReferenceParts(lowerCaseName(chart));
  const name = nameText(parts);
  const cut = name.lastIndexOf('/');
  if (cut < 0) return rewriteImage(chart, defaultRepo, options);
  const repository = replaceName(defaultRepo, name.slice(0, cut), options.multiLevel);
  return referenceText(`${repository}/${name.slice(cut + 1)}`, parts.tag, parts.digest);
}
