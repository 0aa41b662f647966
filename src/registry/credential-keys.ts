// Which keys of a config.json `auths` map apply to an image: the kubelet's rules (glob hosts, path
// prefixes, the most specific first) and Docker's (the key's host is the registry's).
import { dockerHub, dockerHubLegacy } from '../oci/repository.js';
import { parseReference } from '../reference.js';
import { globMatches } from './glob.js';

/** `host[:port]` and path of a schemeless URL, as Go's url.Parse("https://" + text) splits them. */
export function splitSchemeless(text: string): { host: string; path: string } {
  const slash = text.indexOf('/');
  return slash === -1 ? { host: text, path: '' } : { host: text.slice(0, slash), path: text.slice(slash) };
}

/** The kubelet's key for a config.json entry: scheme dropped, `/v1/` and `/v2/` equal to the host alone. */
export function kubeletKey(key: string): string {
  const { host, path: keyPath } = splitSchemeless(key.replace(/^https?:\/\//, ''));
  const effective = keyPath.startsWith('/v2/') || keyPath.startsWith('/v1/') ? keyPath.slice(3) : keyPath;
  return effective.length > 0 && effective !== '/' ? host + effective : host;
}

function splitHostPort(host: string): { labels: string[]; port: string } {
  const bracketed = /^\[([^\]]*)\](?::(\d*))?$/.exec(host);
  if (bracketed) return { labels: [bracketed[1] ?? ''], port: bracketed[2] ?? '' };
  const colon = host.lastIndexOf(':');
  const hasPort = colon !== -1 && host.indexOf(':') === colon;
  return hasPort ? { labels: host.slice(0, colon).split('.'), port: host.slice(colon + 1) } : { labels: host.split('.'), port: '' };
}

/** The kubelet's URLsMatch: same port, same number of labels each matching its glob, path a prefix. */
export function kubeletKeyMatches(key: string, image: string): boolean {
  const glob = splitSchemeless(key);
  const target = splitSchemeless(image);
  const globHost = splitHostPort(glob.host);
  const targetHost = splitHostPort(target.host);
  if (globHost.port !== targetHost.port || globHost.labels.length !== targetHost.labels.length) return false;
  if (!target.path.startsWith(glob.path)) return false;
  return globHost.labels.every((label, index) => globMatches(label, targetHost.labels[index] ?? ''));
}

/**
 * The keys of a config.json `auths` map whose credentials apply to `image`, in the order the kubelet
 * tries them: the image normalized (`nginx` is `docker.io/library/nginx`), keys reverse-sorted so the
 * most specific path comes first, and Docker Hub's `index.docker.io` key as the fallback for Hub images.
 */
export function matchCredentials(auths: Record<string, object>, image: string): string[] {
  const target = parseReference(image).name;
  const byKey = new Map<string, string[]>();
  for (const original of Object.keys(auths)) {
    const key = kubeletKey(original);
    byKey.set(key, [...(byKey.get(key) ?? []), original]);
  }
  const index = [...byKey.keys()].sort().reverse();
  const matched = index.filter((key) => kubeletKeyMatches(key, target)).flatMap((key) => byKey.get(key) ?? []);
  if (matched.length > 0) return matched;
  const firstComponent = target.split('/')[0];
  const isHubImage = firstComponent === dockerHub || firstComponent === dockerHubLegacy;
  return isHubImage ? (byKey.get(dockerHubLegacy) ?? []) : [];
}

/** Docker's ResolveAuthConfig: keys whose host (scheme and path dropped) is the registry's. */
export function dockerHostKeys(auths: Record<string, object>, registry: string): string[] {
  const wanted = registry === dockerHub ? dockerHubLegacy : registry;
  return Object.keys(auths).filter((key) => splitSchemeless(key.replace(/^https?:\/\//, '')).host === wanted);
}
