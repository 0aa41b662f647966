// Docker's config.json (and podman's auth.json) read as untrusted files: bounded, never quoted in a
// message (it holds passwords), and what each part of it means.
import { existsSync } from 'node:fs';
import { dockerHub, dockerHubConfigKey, dockerHubLegacy } from '../oci/repository.js';
import { readRegularFile } from '../workspace.js';

export interface AuthEntry {
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

/** A credentials file is small; a larger one (or a link to /dev/zero) is refused. */
const maxDockerConfigBytes = 1024 * 1024;

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

export function readConfig(file: string): DockerConfig | undefined {
  if (!existsSync(file)) return undefined;
  const text = readRegularFile(file, maxDockerConfigBytes, 'docker config').toString('utf8');
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

/** The user and password inside an `auth` value (base64 of user:password), if it holds them. */
export function decodeAuth(auth: string): { username: string; password: string } | undefined {
  const decoded = Buffer.from(auth, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** The credential helper config.json names for a registry (Docker Hub also under its legacy host). */
export function helperFor(config: DockerConfig, registry: string): string | undefined {
  return config.credHelpers?.[registry] ?? (registry === dockerHub ? config.credHelpers?.[dockerHubLegacy] : undefined);
}

/** The server URL a credential helper is asked about for a registry (Docker Hub's is its legacy URL). */
export function serverUrlOf(registry: string): string {
  return registry === dockerHub ? dockerHubConfigKey : registry;
}
