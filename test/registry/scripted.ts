// A registry that answers what its test script says, on loopback, and remembers every request it saw
// (method, path, Authorization, body): the fake that the registry layers' unit tests speak to when a
// real registry cannot be made to answer the way a test needs.
import { writeFileSync } from 'node:fs';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import { afterEach } from 'node:test';
import path from 'node:path';
import { CredentialStore } from '../../src/registry/credentials.js';
import { Registries, type RegistriesOptions } from '../../src/registry/registries.js';
import { listenLocal, scratchDir } from './harness.js';

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

export interface ScriptedServer {
  readonly host: string;
  readonly seen: SeenRequest[];
  stop(): Promise<void>;
}

/**
 * Serves `script` for every request, its body read first; `/v2/` answers 200 unless the script takes
 * it, and anything the script leaves alone answers 404.
 */
export async function scriptedServer(
  script: (request: SeenRequest, response: ServerResponse) => boolean | void | Promise<boolean | void>,
): Promise<ScriptedServer> {
  const seen: SeenRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry: SeenRequest = {
        method: request.method ?? '',
        url: request.url ?? '',
        authorization: request.headers.authorization,
        headers: request.headers,
        body: Buffer.concat(chunks),
      };
      seen.push(entry);
      void Promise.resolve(script(entry, response)).then((taken) => {
        if (taken === true || response.headersSent) return;
        if (entry.url === '/v2/') response.writeHead(200).end();
        else response.writeHead(404).end();
      });
    });
  });
  return { ...(await listenLocal(server)), seen };
}

/** The requests a server saw, as `METHOD path`, without the pings of /v2/. */
export function requestLines(server: ScriptedServer): string[] {
  return server.seen.filter((request) => request.url !== '/v2/').map((request) => `${request.method} ${request.url}`);
}

/**
 * Registries for loopback tests with the credentials of a config.json holding `auths` (key: `{
 * username, password }`), quick retries, and every secret and notice kept for the test.
 */
export function registriesWith(
  insecure: readonly string[],
  auths: Record<string, { username: string; password: string }>,
  extra: Partial<RegistriesOptions> = {},
): { registries: Registries; secrets: string[]; notices: string[] } {
  const dir = scratchDir('scripted-config');
  const entries = Object.fromEntries(
    Object.entries(auths).map(([key, { username, password }]) => [
      key,
      { auth: Buffer.from(`${username}:${password}`).toString('base64') },
    ]),
  );
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ auths: entries }));
  const secrets: string[] = [];
  const notices: string[] = [];
  const registries = new Registries({
    insecureRegistries: insecure,
    caCertificates: [],
    credentials: new CredentialStore({ dockerConfigDir: dir, onSecret: () => undefined, runHelper: async () => undefined }),
    onSecret: (secret) => void secrets.push(secret),
    onNotice: (message) => void notices.push(message),
    retry: { attempts: 2, initialDelayMs: 10, maxDelayMs: 50 },
    ...extra,
  });
  return { registries, secrets, notices };
}

export const basicOf = (username: string, password: string): string => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

/** A manifest answer with the headers a registry sends. */
export function manifestAnswer(response: ServerResponse, bytes: Buffer, digest: string, method: string): void {
  response.writeHead(200, {
    'content-type': 'application/vnd.oci.image.manifest.v1+json',
    'content-length': String(bytes.length),
    'docker-content-digest': digest,
  });
  response.end(method === 'HEAD' ? undefined : bytes);
}

type Script = Parameters<typeof scriptedServer>[0];

/**
 * For a suite: scripted servers and registries started by its tests, stopped and closed after each
 * test whatever its end.
 */
export function scriptedSuite(): {
  serve(script: Script): Promise<ScriptedServer>;
  registries(...args: Parameters<typeof registriesWith>): ReturnType<typeof registriesWith>;
} {
  const servers: ScriptedServer[] = [];
  const opened: Registries[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((registries) => registries.close()));
    await Promise.all(servers.splice(0).map((server) => server.stop()));
  });
  return {
    async serve(script) {
      const server = await scriptedServer(script);
      servers.push(server);
      return server;
    },
    registries(...args) {
      const made = registriesWith(...args);
      opened.push(made.registries);
      return made;
    },
  };
}
