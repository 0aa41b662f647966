// The registries slice: which are insecure (and which only the checkout says so), the CA files to
// trust, and where credentials are read from. Each source of insecure registries is carried with
// whether a pull request could have written it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { canonicalRegistry } from '../oci/repository.js';
import { anchoredDomain } from '../reference.js';
import type { Workspace } from '../workspace.js';
import { type Env, SettingsError, inCheckout, input, listInput, maxInputFileBytes, readInputFile } from './inputs.js';
import { type SkaffoldContextConfig, skaffoldYamlInsecureRegistries } from './skaffold.js';

export interface RegistrySettings {
  readonly insecureRegistries: readonly string[];
  /** Registries only the checkout's skaffold.yaml lists as insecure: never for a registry with credentials. */
  readonly insecureFromCheckout: { readonly file: string; readonly registries: readonly string[] } | undefined;
  /** PEM text of the registry-ca-certs files, trusted besides the system roots. */
  readonly caCertificates: readonly string[];
  readonly dockerConfig: string;
  /** podman/skopeo's auth.json (REGISTRY_AUTH_FILE), read after config.json. */
  readonly registryAuthFile: string | undefined;
  /** Mirrors each registry is read through first, in order (input registry-mirrors). */
  readonly registryMirrors: ReadonlyMap<string, readonly string[]>;
}

/** `registry=mirror[,mirror]` lines: containerd's hosts, a registry's mirrors tried in order before it. */
function registryMirrors(env: Env): Map<string, string[]> {
  const mirrors = new Map<string, string[]>();
  for (const line of input(env, 'registry-mirrors').split('\n')) {
    const text = line.trim();
    if (text === '' || text.startsWith('#')) continue;
    const equals = text.indexOf('=');
    const registryText = equals < 0 ? '' : text.slice(0, equals).trim();
    const registry = canonicalRegistry(registryText);
    const hosts = text
      .slice(equals + 1)
      .split(',')
      .map((host) =>
        host
          .trim()
          .replace(/^https?:\/\//, '')
          .replace(/\/+$/, ''),
      )
      .filter(Boolean);
    if (equals < 0 || !anchoredDomain.test(registry) || hosts.length === 0)
      throw new SettingsError('registry-mirrors', `${JSON.stringify(text)} is not registry=mirror (for example docker.io=mirror.example)`);
    for (const host of hosts) {
      if (!anchoredDomain.test(host)) throw new SettingsError('registry-mirrors', `${JSON.stringify(host)} is not a registry host[:port]`);
      if (host === registry) throw new SettingsError('registry-mirrors', `${registry} cannot be its own mirror`);
    }
    mirrors.set(registry, [...(mirrors.get(registry) ?? []), ...hosts]);
  }
  return mirrors;
}

/** Where insecure registries are listed, and whether that source is the workflow's own (not the checkout's). */
interface InsecureSource {
  readonly source: string;
  readonly hosts: readonly string[];
  readonly trusted: boolean;
}

/**
 * A CA file inside the checkout is trusted for every registry, and a pull request can change it: said
 * once per file, so the workflow's author can keep it out of the checkout.
 */
function checkoutCertificates(files: Workspace, names: readonly string[]): string[] {
  return names
    .map((name) => path.resolve(files.root, name))
    .filter((file) => inCheckout(files, file))
    .map(
      (file) =>
        `registry-ca-certs: ${path.relative(files.root, file)} is in the checkout, so a pull request can change which certificates ferry trusts; keep CA files outside the workspace (a secret written to RUNNER_TEMP)`,
    );
}

function readCertificate(file: string): string {
  const text = readInputFile('registry-ca-certs', file, maxInputFileBytes);
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new SettingsError('registry-ca-certs', `${file} holds no PEM certificate`);
  return text;
}

/**
 * Where config.json is read from. A folder the docker-config input names must hold one: a typo there
 * would otherwise surface later as a registry refusing anonymous access. The defaults may be absent.
 */
function dockerConfigFolder(env: Env, root: string, home: string): string {
  const given = input(env, 'docker-config');
  if (given === '') return path.resolve(root, env.DOCKER_CONFIG || path.join(home, '.docker'));
  const folder = path.resolve(root, given);
  if (!existsSync(folder)) throw new SettingsError('docker-config', `${folder} does not exist`);
  if (!existsSync(path.join(folder, 'config.json')))
    throw new SettingsError('docker-config', `${folder} holds no config.json (name the folder that holds it, as DOCKER_CONFIG does)`);
  return folder;
}

export function registrySettings(
  env: Env,
  files: Workspace,
  home: string,
  skaffold: { config: SkaffoldContextConfig; source: string },
): { settings: RegistrySettings; notices: string[] } {
  const fromCheckout = skaffoldYamlInsecureRegistries(files);
  const sources: InsecureSource[] = [
    { source: 'insecure-registries', hosts: listInput(env, 'insecure-registries'), trusted: true },
    {
      source: 'SKAFFOLD_INSECURE_REGISTRY',
      hosts: (env.SKAFFOLD_INSECURE_REGISTRY ?? '')
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
      trusted: true,
    },
    // A pull request can change this file.
    { source: `${fromCheckout?.file ?? 'skaffold.yaml'} build.insecureRegistries`, hosts: fromCheckout?.registries ?? [], trusted: false },
    { source: skaffold.source, hosts: skaffold.config['insecure-registries'] ?? [], trusted: true },
  ];
  const insecureRegistries: string[] = [];
  for (const { source, hosts } of sources) {
    for (const registry of hosts) {
      if (!anchoredDomain.test(registry)) {
        throw new SettingsError(source, `${JSON.stringify(registry)} is not a registry host[:port]`);
      }
      if (!insecureRegistries.includes(registry)) insecureRegistries.push(registry);
    }
  }
  // What the checkout alone adds.
  const trusted = new Set(sources.filter((source) => source.trusted).flatMap((source) => source.hosts));
  const checkoutOnly = (fromCheckout?.registries ?? []).filter((registry) => !trusted.has(registry));
  const certificateFiles = listInput(env, 'registry-ca-certs');
  return {
    settings: {
      insecureRegistries,
      insecureFromCheckout:
        checkoutOnly.length === 0 || fromCheckout === undefined ? undefined : { file: fromCheckout.file, registries: checkoutOnly },
      caCertificates: certificateFiles.map((file) => readCertificate(path.resolve(files.root, file))),
      dockerConfig: dockerConfigFolder(env, files.root, home),
      registryAuthFile: env.REGISTRY_AUTH_FILE ? path.resolve(files.root, env.REGISTRY_AUTH_FILE) : undefined,
      registryMirrors: registryMirrors(env),
    },
    notices: checkoutCertificates(files, certificateFiles),
  };
}
