// Registry credentials the way Docker and Kubernetes read them: config.json `auths` (exact host keys
// and the kubelet's glob and path-prefix keys), credential helpers, and podman's REGISTRY_AUTH_FILE.
import path from 'node:path';
import type { HelperRunner } from './credential-helper.js';
import { dockerHostKeys, kubeletKey, kubeletKeyMatches, matchCredentials, splitSchemeless } from './credential-keys.js';
import { type AuthEntry, type DockerConfig, decodeAuth, helperFor, readConfig, serverUrlOf } from './docker-config.js';

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

export interface CredentialStoreOptions {
  /** The folder of config.json. */
  readonly dockerConfigDir: string;
  /** podman/skopeo's auth.json, read after config.json. */
  readonly authFile?: string;
  /** Called with every secret before anything could log it. */
  readonly onSecret: (secret: string) => void;
  readonly runHelper: HelperRunner;
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
        const password = typeof entry.auth === 'string' ? decodeAuth(entry.auth)?.password : undefined;
        for (const secret of [entry.auth, password, entry.password, entry.identitytoken, entry.registrytoken])
          if (typeof secret === 'string' && secret !== '') options.onSecret(secret);
      }
    }
  }

  private fromEntry(source: string, entry: AuthEntry): Credential | undefined {
    let { username, password } = entry;
    if (entry.auth) {
      const decoded = decodeAuth(entry.auth);
      if (decoded === undefined) throw new Error(`${source}: auth is not base64 of user:password`);
      ({ username, password } = decoded);
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
  anyFor(registry: string): Promise<Credential[]> {
    return this.collect(
      registry,
      (auths) => Object.keys(auths).filter((key) => kubeletKeyMatches(splitSchemeless(kubeletKey(key)).host, registry)),
      false,
    );
  }

  /** Every credential that applies to a repository, in the order they are tried; empty means anonymous. */
  lookup(registry: string, repository: string): Promise<Credential[]> {
    const cacheKey = `${registry}/${repository}`;
    let found = this.cache.get(cacheKey);
    if (found === undefined) {
      found = this.collect(registry, (auths) => matchCredentials(auths, cacheKey), true);
      this.cache.set(cacheKey, found);
    }
    return found;
  }

  /**
   * Each config's credentials for a registry, as Docker tries them: its helper, the `auths` keys that
   * `keysOf` picks and those whose host is the registry's (with `storePerKey`, the credsStore asked
   * for a key that holds none, as Docker does for a pull), and the credsStore when nothing else names
   * the registry.
   */
  private async collect(
    registry: string,
    keysOf: (auths: Record<string, AuthEntry>) => string[],
    storePerKey: boolean,
  ): Promise<Credential[]> {
    const credentials: Credential[] = [];
    const add = (credential: Credential | undefined): void => {
      if (credential !== undefined) credentials.push(credential);
    };
    const serverUrl = serverUrlOf(registry);
    for (const { name, config } of this.sources) {
      const helper = helperFor(config, registry);
      if (helper) add(await this.fromHelper(helper, serverUrl));
      const auths = config.auths ?? {};
      const keys = keysOf(auths);
      for (const key of dockerHostKeys(auths, registry)) if (!keys.includes(key)) keys.push(key);
      for (const key of keys) {
        const credential = this.fromEntry(`${name} auths["${key}"]`, auths[key] ?? {});
        if (credential === undefined && storePerKey && config.credsStore) add(await this.fromHelper(config.credsStore, key));
        else add(credential);
      }
      if (keys.length === 0 && !helper && config.credsStore) add(await this.fromHelper(config.credsStore, serverUrl));
    }
    return credentials;
  }
}
