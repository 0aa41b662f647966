// Registry credentials the way Docker and Kubernetes read them: config.json `auths` (exact host keys
// and the kubelet's glob and path-prefix keys), credential helpers, and podman's REGISTRY_AUTH_FILE.
import { getExecOutput } from '@actions/exec';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseReference } from '../reference.js';
import { readRegularFile } from '../workspace.js';
import { globMatches } from './glob.js';

export interface Credential {
  /** Where it came from, for messages: never the secret itself. */
  readonly source: string;
  readonly username?: string;
  readonly password?: string;
  /** An OAuth2 refresh token (`identitytoken`, or a helper's `<token>` user). */
  readonly identityToken?: string;
  /** A bearer token sent as it is (`registrytoken`). */
  readonly registryToken?: string;
}

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
}

export interface DockerConfig {
  auths?: Record<string, AuthEntry>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

/**
 * Runs `docker-credential-<helper> get` with the server URL on stdin; undefined when it has none.
 * Whatever it prints may be the secret, so `onSecret` is told of it before anything else reads it.
 */
export type HelperRunner = (
  helper: string,
  serverUrl: string,
  onSecret: (secret: string) => void,
) => Promise<{ Username: string; Secret: string } | undefined>;

/** Lines shorter than this are not masked one by one: a mask of "error" would hide that word in every later line. */
const minMaskedLine = 6;

/** A helper's output, masked whole and line by line: what it printed could be the secret whatever the format. */
function maskOutput(text: string, onSecret: (secret: string) => void): void {
  const whole = text.trim();
  if (whole === '') return;
  onSecret(whole);
  for (const line of whole.split(/\r?\n/)) if (line.trim().length >= minMaskedLine) onSecret(line.trim());
}

/**
 * Runs a real `docker-credential-*` program; "credentials not found" is no credential, not an error.
 * Its output is never quoted in a message: a helper that printed its secret outside JSON, or beside an
 * error, would otherwise have it in the log.
 */
export const execHelper: HelperRunner = async (helper, serverUrl, onSecret) => {
  const program = `docker-credential-${helper}`;
  const result = await getExecOutput(program, ['get'], { input: Buffer.from(serverUrl), silent: true, ignoreReturnCode: true });
  maskOutput(result.stdout, onSecret);
  if (result.exitCode !== 0) {
    if (/credentials not found/i.test(result.stdout + result.stderr)) return undefined;
    throw new Error(
      `${program} get ${serverUrl} failed (exit ${result.exitCode}); what it printed is not shown, since a helper's output can hold its secret`,
    );
  }
  let answer: unknown;
  try {
    answer = JSON.parse(result.stdout);
  } catch {
    answer = undefined;
  }
  const { Username, Secret } = (typeof answer === 'object' && answer !== null ? answer : {}) as { Username?: unknown; Secret?: unknown };
  const bad = (value: unknown): boolean => value !== undefined && typeof value !== 'string';
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer) || bad(Username) || bad(Secret)) {
    throw new Error(
      `${program} get ${serverUrl} printed ${result.stdout.length} characters that are not a credential (a JSON object with Username and Secret); they are not shown, since a helper's output can hold its secret`,
    );
  }
  return { Username: (Username as string | undefined) ?? '', Secret: (Secret as string | undefined) ?? '' };
};

const dockerHubKey = 'https://index.docker.io/v1/';
const kubeletDefaultRegistryKey = 'index.docker.io';

/** `host[:port]` and path of a schemeless URL, as Go's url.Parse("https://" + text) splits them. */
function splitSchemeless(text: string): { host: string; path: string } {
  const slash = text.indexOf('/');
  return slash === -1 ? { host: text, path: '' } : { host: text.slice(0, slash), path: text.slice(slash) };
}

/** The kubelet's key for a config.json entry: scheme dropped, `/v1/` and `/v2/` equal to the host alone. */
function kubeletKey(key: string): string {
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
function kubeletKeyMatches(key: string, image: string): boolean {
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
  const isHubImage = firstComponent === 'docker.io' || firstComponent === 'index.docker.io';
  return isHubImage ? (byKey.get(kubeletDefaultRegistryKey) ?? []) : [];
}

/** Docker's ResolveAuthConfig: keys whose host (scheme and path dropped) is the registry's. */
function dockerHostKeys(auths: Record<string, object>, registry: string): string[] {
  const wanted = registry === 'docker.io' ? 'index.docker.io' : registry;
  return Object.keys(auths).filter((key) => splitSchemeless(key.replace(/^https?:\/\//, '')).host === wanted);
}

/** A credentials file is small; a larger one (or a link to /dev/zero) is refused. */
const maxConfigBytes = 1024 * 1024;

/**
 * Where JSON.parse stopped, as line and column: its own message quotes the text around the error,
 * which in a credentials file is a password, so only the position is kept.
 */
function jsonErrorPosition(text: string, error: unknown): string {
  const offset = Number(/position (\d+)/.exec(String((error as Error).message))?.[1]);
  if (!Number.isFinite(offset)) return 'not valid JSON';
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `not valid JSON at line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

function readConfig(file: string): DockerConfig | undefined {
  if (!existsSync(file)) return undefined;
  const text = readRegularFile(file, maxConfigBytes, 'docker config').toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // No cause on purpose: JSON.parse's message quotes the file's text, passwords included.
    // eslint-disable-next-line preserve-caught-error
    throw new Error(`${file}: ${jsonErrorPosition(text, error)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error(`${file}: not a Docker config.json (not an object)`);
  return parsed as DockerConfig;
}

/** The password inside an `auth` value (base64 of user:password), if it holds one. */
function decodedPassword(auth: string): string | undefined {
  const decoded = Buffer.from(auth, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : decoded.slice(colon + 1);
}

export interface CredentialStoreOptions {
  /** The folder of config.json. */
  readonly dockerConfigDir: string;
  /** podman/skopeo's auth.json, read after config.json. */
  readonly authFile?: string;
  /** Called with every secret before anything could log it. */
  readonly onSecret: (secret: string) => void;
  readonly runHelper: HelperRunner;
}

/** The credential helper config.json names for a registry (Docker Hub also under its legacy host). */
function helperFor(config: DockerConfig, registry: string): string | undefined {
  return config.credHelpers?.[registry] ?? (registry === 'docker.io' ? config.credHelpers?.['index.docker.io'] : undefined);
}

export class CredentialStore {
  private readonly sources: { name: string; config: DockerConfig }[] = [];
  private readonly cache = new Map<string, Promise<Credential[]>>();
  /** Every secret this store has read, so that text a registry sends back can be cleaned of them. */
  readonly secrets = new Set<string>();
  private readonly options: CredentialStoreOptions;

  constructor(given: CredentialStoreOptions) {
    this.options = {
      ...given,
      onSecret: (secret) => {
        this.secrets.add(secret);
        given.onSecret(secret);
      },
    };
    const options = this.options;
    const dockerFile = path.join(options.dockerConfigDir, 'config.json');
    const docker = readConfig(dockerFile);
    if (docker) this.sources.push({ name: dockerFile, config: docker });
    const auth = options.authFile === undefined ? undefined : readConfig(options.authFile);
    if (auth && options.authFile) this.sources.push({ name: options.authFile, config: auth });
    for (const { config } of this.sources) {
      for (const entry of Object.values(config.auths ?? {})) {
        if (typeof entry !== 'object' || entry === null) continue;
        const password = typeof entry.auth === 'string' ? decodedPassword(entry.auth) : undefined;
        for (const secret of [entry.auth, password, entry.password, entry.identitytoken, entry.registrytoken])
          if (typeof secret === 'string' && secret !== '') options.onSecret(secret);
      }
    }
  }

  private fromEntry(source: string, entry: AuthEntry): Credential | undefined {
    let { username, password } = entry;
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon === -1) throw new Error(`${source}: auth is not base64 of user:password`);
      username = decoded.slice(0, colon);
      password = decoded.slice(colon + 1);
      this.options.onSecret(password);
    }
    const credential: Credential = {
      source,
      ...(username ? { username } : {}),
      ...(password ? { password } : {}),
      ...(entry.identitytoken ? { identityToken: entry.identitytoken } : {}),
      ...(entry.registrytoken ? { registryToken: entry.registrytoken } : {}),
    };
    return Object.keys(credential).length > 1 ? credential : undefined;
  }

  private async fromHelper(helper: string, serverUrl: string): Promise<Credential | undefined> {
    const answer = await this.options.runHelper(helper, serverUrl, this.options.onSecret);
    if (answer === undefined || answer.Secret === '') return undefined;
    this.options.onSecret(answer.Secret);
    const source = `docker-credential-${helper} (${serverUrl})`;
    return answer.Username === '<token>'
      ? { source, identityToken: answer.Secret }
      : { source, username: answer.Username, password: answer.Secret };
  }

  /** Every credential for any repository of a registry: helpers, and `auths` keys whose host is the registry's. */
  async anyFor(registry: string): Promise<Credential[]> {
    const credentials: Credential[] = [];
    const serverUrl = registry === 'docker.io' ? dockerHubKey : registry;
    for (const { name, config } of this.sources) {
      const helper = helperFor(config, registry);
      const fromHelper = helper ? await this.fromHelper(helper, serverUrl) : undefined;
      if (fromHelper) credentials.push(fromHelper);
      const auths = config.auths ?? {};
      const keys = Object.keys(auths).filter((key) => kubeletKeyMatches(splitSchemeless(kubeletKey(key)).host, registry));
      for (const key of dockerHostKeys(auths, registry)) if (!keys.includes(key)) keys.push(key);
      for (const key of keys) {
        const credential = this.fromEntry(`${name} auths["${key}"]`, auths[key] ?? {});
        if (credential) credentials.push(credential);
      }
      if (keys.length === 0 && !helper && config.credsStore) {
        const stored = await this.fromHelper(config.credsStore, serverUrl);
        if (stored) credentials.push(stored);
      }
    }
    return credentials;
  }

  /** Every credential that applies to a repository, in the order they are tried; empty means anonymous. */
  lookup(registry: string, repository: string): Promise<Credential[]> {
    const cacheKey = `${registry}/${repository}`;
    let found = this.cache.get(cacheKey);
    if (found === undefined) {
      found = this.collect(registry, repository);
      this.cache.set(cacheKey, found);
    }
    return found;
  }

  private async collect(registry: string, repository: string): Promise<Credential[]> {
    const credentials: Credential[] = [];
    const add = (credential: Credential | undefined): void => {
      if (credential !== undefined) credentials.push(credential);
    };
    const serverUrl = registry === 'docker.io' ? dockerHubKey : registry;
    for (const { name, config } of this.sources) {
      const helper = helperFor(config, registry);
      if (helper) add(await this.fromHelper(helper, serverUrl));
      const auths = config.auths ?? {};
      const keys = matchCredentials(auths, `${registry}/${repository}`);
      for (const key of dockerHostKeys(auths, registry)) if (!keys.includes(key)) keys.push(key);
      for (const key of keys) {
        const entry = auths[key] ?? {};
        const credential = this.fromEntry(`${name} auths["${key}"]`, entry);
        if (credential === undefined && config.credsStore) add(await this.fromHelper(config.credsStore, key));
        else add(credential);
      }
      if (keys.length === 0 && !helper && config.credsStore) add(await this.fromHelper(config.credsStore, serverUrl));
    }
    return credentials;
  }
}
