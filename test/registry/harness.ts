// Real registries for the tests: the distribution registry from Debian on free loopback ports, with
// TLS from a CA made here, htpasswd basic auth, or token auth from a small issuer in this file.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash, createSign, randomBytes, randomUUID } from 'node:crypto';
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import { type AddressInfo, connect, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { CredentialStore } from '../../src/registry/credentials.js';
import { Registries, type RegistriesOptions } from '../../src/registry/registries.js';

/** Scratch folders this process made, removed when it exits: a registry's storage is gigabytes in a bench. */
const scratchDirs: string[] = [];

export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `ferry-${prefix}-`));
  if (scratchDirs.length === 0)
    process.once('exit', () => {
      for (const made of scratchDirs) rmSync(made, { recursive: true, force: true });
    });
  scratchDirs.push(dir);
  return dir;
}

export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Listens on a free loopback port; `stop` ends every connection and closes. */
export async function listenLocal(server: Server): Promise<{ host: string; stop: () => Promise<void> }> {
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface Certificates {
  readonly dir: string;
  /** A folder holding only ca.crt, as skopeo's --cert-dir wants it. */
  readonly caDir: string;
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
}

/** A CA and a server certificate for 127.0.0.1 and localhost it signed, made with openssl. */
export function makeCertificates(): Certificates {
  const dir = scratchDir('tls');
  const run = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  };
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=ferry test CA');
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n');
  run(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.crt',
    '-days',
    '2',
    '-extfile',
    'san.ext',
  );
  const caDir = path.join(dir, 'ca');
  mkdirSync(caDir);
  copyFileSync(path.join(dir, 'ca.crt'), path.join(caDir, 'ca.crt'));
  return {
    dir,
    caDir,
    caCert: path.join(caDir, 'ca.crt'),
    serverCert: path.join(dir, 'server.crt'),
    serverKey: path.join(dir, 'server.key'),
  };
}

export interface TokenIssuer {
  readonly realm: string;
  readonly host: string;
  readonly service: string;
  readonly issuer: string;
  readonly certFile: string;
  /** Every request the issuer answered: method, authorization and scopes. */
  readonly requests: { method: string; authorization: string | undefined; scopes: string[]; grant?: string }[];
  /** Whether the OAuth2 POST endpoint exists (without it the issuer answers POST with 404), and the expires_in it gives. */
  readonly settings: { oauth: boolean; expiresIn: number };
  readonly stop: () => Promise<void>;
}

const base64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A token server in the shape the distribution registry trusts: RS256 JWTs with the signing
 * certificate in `x5c`, that certificate being the registry's rootcertbundle. Users in `users` get
 * pull and push anywhere; anonymous callers get pull on repositories under `public/`; refresh
 * tokens in `refreshTokens` act as their user over OAuth2 POST.
 */
export async function startTokenIssuer(users: Record<string, string>, refreshTokens: Record<string, string> = {}): Promise<TokenIssuer> {
  const dir = scratchDir('token');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'signing.key',
      '-out',
      'signing.crt',
      '-days',
      '2',
      '-subj',
      '/CN=ferry token issuer',
    ],
    {
      cwd: dir,
      stdio: 'ignore',
    },
  );
  const key = readFileSync(path.join(dir, 'signing.key'), 'utf8');
  const certPem = readFileSync(path.join(dir, 'signing.crt'), 'utf8');
  const certDer = Buffer.from(certPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  const service = 'ferry-test-registry';
  const issuer = 'ferry-test-issuer';
  const requests: TokenIssuer['requests'] = [];
  const settings = { oauth: true, expiresIn: 300 };

  const sign = (user: string | undefined, scopes: string[]): string => {
    const access = scopes.flatMap((scope) => {
      const [type, name, actions] = scope.split(':');
      if (type !== 'repository' || name === undefined || actions === undefined) return [];
      const granted = actions.split(',').filter((action) => user !== undefined || (action === 'pull' && name.startsWith('public/')));
      return granted.length > 0 ? [{ type, name, actions: granted }] : [];
    });
    const now = Math.floor(Date.now() / 1000);
    const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', x5c: [certDer.toString('base64')] }));
    const claims = base64url(
      JSON.stringify({ iss: issuer, sub: user ?? '', aud: service, exp: now + 300, nbf: now - 10, iat: now, jti: randomUUID(), access }),
    );
    const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(key);
    return `${header}.${claims}.${base64url(signature)}`;
  };

  const server: Server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      let user: string | undefined;
      let scopes = url.searchParams.getAll('scope').flatMap((scope) => scope.split(' '));
      let grant: string | undefined;
      if (request.method === 'POST' && !settings.oauth) {
        requests.push({ method: 'POST', authorization: request.headers.authorization, scopes: [] });
        await readBody(request);
        response.writeHead(404).end();
        return;
      }
      if (request.method === 'POST') {
        const form = new URLSearchParams(await readBody(request));
        grant = form.get('grant_type') ?? undefined;
        scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
        user = refreshTokens[form.get('refresh_token') ?? ''];
        requests.push({ method: 'POST', authorization: request.headers.authorization, scopes, grant });
        if (grant !== 'refresh_token' || user === undefined) {
          response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_grant"}');
          return;
        }
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ access_token: sign(user, scopes), expires_in: settings.expiresIn }));
        return;
      }
      requests.push({ method: 'GET', authorization: request.headers.authorization, scopes });
      const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      if (basic !== undefined) {
        const [name = '', password] = Buffer.from(basic, 'base64').toString('utf8').split(/:(.*)/s);
        if (users[name] !== password) {
          response.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"wrong credentials"}');
          return;
        }
        user = name;
      }
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ token: sign(user, scopes), expires_in: settings.expiresIn }));
    })();
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    realm: `http://127.0.0.1:${port}/token`,
    host: `127.0.0.1:${port}`,
    service,
    issuer,
    certFile: path.join(dir, 'signing.crt'),
    requests,
    settings,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface RegistryOptions {
  readonly tls?: Certificates;
  readonly htpasswd?: Record<string, string>;
  readonly token?: TokenIssuer;
  /** Accept manifests whose non-distributable layers point at URLs (Windows base layers). */
  readonly foreignLayers?: boolean;
}

export interface RunningRegistry {
  /** `127.0.0.1:port` */
  readonly host: string;
  readonly pid: number | undefined;
  readonly dataDir: string;
  readonly logFile: string;
  readonly stop: () => Promise<void>;
}

function htpasswdFile(dir: string, users: Record<string, string>): string {
  const file = path.join(dir, 'htpasswd');
  writeFileSync(
    file,
    Object.entries(users)
      .map(([user, password]) => `${user}:${bcrypt.hashSync(password, 5)}\n`)
      .join(''),
  );
  return file;
}

/** Starts `docker-registry serve` with a config written for the options; waits until /v2/ answers. */
export async function startRegistry(options: RegistryOptions = {}): Promise<RunningRegistry> {
  const dir = scratchDir('registry');
  const dataDir = path.join(dir, 'data');
  mkdirSync(dataDir);
  const port = await freePort();
  const lines = [
    'version: 0.1',
    'log:',
    '  level: info',
    '  accesslog:',
    '    disabled: false',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${dataDir}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
  ];
  if (options.tls) lines.push('  tls:', `    certificate: ${options.tls.serverCert}`, `    key: ${options.tls.serverKey}`);
  if (options.htpasswd) lines.push('auth:', '  htpasswd:', '    realm: ferry-test', `    path: ${htpasswdFile(dir, options.htpasswd)}`);
  if (options.token) {
    lines.push(
      'auth:',
      '  token:',
      `    realm: ${options.token.realm}`,
      `    service: ${options.token.service}`,
      `    issuer: ${options.token.issuer}`,
      `    rootcertbundle: ${options.token.certFile}`,
    );
  }
  if (options.foreignLayers) lines.push('validation:', '  manifests:', '    urls:', '      allow:', "        - '^https?://'");
  const configFile = path.join(dir, 'config.yml');
  writeFileSync(configFile, `${lines.join('\n')}\n`);
  const logFile = path.join(dir, 'registry.log');
  // The access log (combined format) goes to stdout, everything else to stderr: both are kept.
  const child: ChildProcess = spawn('docker-registry', ['serve', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  const log: Buffer[] = [];
  const keep = (chunk: Buffer): void => {
    log.push(chunk);
    appendFileSync(logFile, chunk);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited: ${Buffer.concat(log).toString()}`);
    const listening = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (listening) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`docker-registry did not listen within 15 s: ${Buffer.concat(log).toString()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    host: `127.0.0.1:${port}`,
    pid: child.pid,
    dataDir,
    logFile,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

export interface SkopeoAccess {
  readonly tls?: Certificates;
  readonly creds?: string;
  readonly registryToken?: string;
}

function skopeoFlags(prefix: 'src' | 'dest' | '', access: SkopeoAccess): string[] {
  const dash = prefix === '' ? '--' : `--${prefix}-`;
  const flags: string[] = [];
  if (access.tls) flags.push(`${dash}cert-dir=${access.tls.caDir}`);
  else flags.push(`${dash}tls-verify=false`);
  if (access.creds) flags.push(`${dash}creds=${access.creds}`);
  return flags;
}

const execFileAsync = promisify(execFile);

/** Runs skopeo without blocking this process, whose token issuer may have to answer it. */
export async function skopeo(args: string[]): Promise<Buffer> {
  const { stdout } = await execFileAsync('skopeo', ['--insecure-policy', ...args], {
    encoding: 'buffer',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 120_000,
  });
  return stdout;
}

/** The manifest bytes as skopeo reads them: the independent oracle. */
export function skopeoRaw(reference: string, access: SkopeoAccess): Promise<Buffer> {
  return skopeo(['inspect', '--raw', ...skopeoFlags('', access), `docker://${reference}`]);
}

export async function skopeoCopy(from: string, to: string, access: SkopeoAccess, extra: string[] = []): Promise<void> {
  await skopeo(['copy', '--quiet', ...extra, ...skopeoFlags('dest', access), from, `docker://${to}`]);
}

/** The digest of bytes, `sha256:<hex>`: the one digest helper of the tests. */
export const sha256 = (bytes: Buffer | string): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
/** The hex of that digest alone. */
export const sha256Hex = (bytes: Buffer | string): string => sha256(bytes).slice('sha256:'.length);

export interface LayoutImage {
  readonly dir: string;
  /** Reference for skopeo: `oci:<dir>:<tag>`. */
  readonly reference: string;
  readonly layers: Buffer[];
}

/**
 * Writes an OCI image layout with one image (or, with platforms, an index of one image per platform,
 * all sharing the first layer), random layers of the sizes given.
 */
export function ociLayout(layerSizes: number[], platforms: string[] = []): LayoutImage {
  const dir = scratchDir('layout');
  mkdirSync(path.join(dir, 'blobs', 'sha256'), { recursive: true });
  const write = (bytes: Buffer): { digest: string; size: number } => {
    const digest = sha256(bytes);
    writeFileSync(path.join(dir, 'blobs', 'sha256', digest.slice(7)), bytes);
    return { digest, size: bytes.length };
  };
  const shared = randomBytes(layerSizes[0] ?? 1024);
  const allLayers: Buffer[] = [shared];
  const image = (platform: string | undefined): { mediaType: string; digest: string; size: number } => {
    const layers = layerSizes.map((size, index) => (index === 0 ? shared : randomBytes(size)));
    allLayers.push(...layers.slice(1));
    const layerDescriptors = layers.map((layer) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...write(layer) }));
    const [os = 'linux', architecture = 'amd64'] = (platform ?? 'linux/amd64').split('/');
    const config = write(
      Buffer.from(
        JSON.stringify({ architecture, os, rootfs: { type: 'layers', diff_ids: layerDescriptors.map((layer) => layer.digest) } }),
      ),
    );
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: layerDescriptors,
      }),
    );
    return {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      ...write(manifest),
      ...(platform ? { platform: { os, architecture } } : {}),
    };
  };
  let top: { mediaType: string; digest: string; size: number };
  if (platforms.length === 0) {
    top = image(undefined);
  } else {
    const manifests = platforms.map((platform) => image(platform));
    const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }));
    top = { mediaType: 'application/vnd.oci.image.index.v1+json', ...write(index) };
  }
  writeFileSync(path.join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(
    path.join(dir, 'index.json'),
    JSON.stringify({ schemaVersion: 2, manifests: [{ ...top, annotations: { 'org.opencontainers.image.ref.name': 'latest' } }] }),
  );
  return { dir, reference: `oci:${dir}:latest`, layers: allLayers };
}

/** A Registries for loopback tests: no credentials, the given registries insecure, quick retries; `extra` for the rest. */
export function anonymousRegistries(
  insecure: readonly string[],
  retry = { attempts: 2, initialDelayMs: 10, maxDelayMs: 100 },
  extra: Partial<RegistriesOptions> = {},
): Registries {
  return new Registries({
    ...extra,
    insecureRegistries: insecure,
    caCertificates: [],
    credentials: new CredentialStore({
      dockerConfigDir: scratchDir('no-config'),
      onSecret: () => undefined,
      runHelper: async () => undefined,
    }),
    onSecret: () => undefined,
    retry,
  });
}

/**
 * The registry's log once it has stopped growing for `quietMs` (bounded by `maxMs`): the registry
 * writes its access log line after answering, so a test reading it right after a request must wait.
 */
export async function settledLog(registry: RunningRegistry, quietMs = 200, maxMs = 5000): Promise<string> {
  const deadline = Date.now() + maxMs;
  let text = readFileSync(registry.logFile, 'utf8');
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    const now = readFileSync(registry.logFile, 'utf8');
    if (now === text || Date.now() > deadline) return now;
    text = now;
  }
}
