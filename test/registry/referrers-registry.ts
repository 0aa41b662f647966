// A small in-memory registry that follows the distribution spec v1.1 where docker-registry 2.8 does
// not: `GET /v2/<name>/referrers/<digest>` answers an OCI image index of every manifest whose
// `subject` is that digest (filtered by `artifactType` when asked, with `OCI-Filters-Applied`), and a
// manifest pushed with a subject is answered with `OCI-Subject`. It also takes the OCI 1.1-rc artifact
// manifest, and a blob whole in one POST (the spec's single-POST upload). Loopback only; every body is bounded. With `referrersApi: false` it answers the referrers
// endpoint with 404, as a registry without the API does.
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import { listenLocal, sha256 } from './harness.js';

export interface ReferrersRegistry {
  readonly host: string;
  /** `METHOD path` of every request, in order. */
  readonly requests: string[];
  /** Manifests by repository and digest. */
  manifest(repository: string, reference: string): { mediaType: string; bytes: Buffer } | undefined;
  tags(repository: string): string[];
  readonly stop: () => Promise<void>;
}

const maxBody = 64 * 1024 * 1024;
const knownManifests = new Set([
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.artifact.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);

interface Repository {
  readonly blobs: Set<string>;
  readonly manifests: Map<string, { mediaType: string; bytes: Buffer }>;
  readonly tags: Map<string, string>;
}

async function body(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request) {
    total += (chunk as Buffer).length;
    if (total > maxBody) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function fail(response: ServerResponse, status: number, code: string, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ errors: [{ code, message }] }));
}

export async function startReferrersRegistry(options: { referrersApi?: boolean } = {}): Promise<ReferrersRegistry> {
  const referrersApi = options.referrersApi ?? true;
  const blobs = new Map<string, Buffer>();
  const repositories = new Map<string, Repository>();
  const uploads = new Map<string, { repository: string; chunks: Buffer[] }>();
  const requests: string[] = [];
  const repositoryOf = (name: string): Repository => {
    let repository = repositories.get(name);
    if (repository === undefined) {
      repository = { blobs: new Set(), manifests: new Map(), tags: new Map() };
      repositories.set(name, repository);
    }
    return repository;
  };
  const lookup = (name: string, reference: string): { digest: string; mediaType: string; bytes: Buffer } | undefined => {
    const repository = repositories.get(name);
    const digest = reference.includes(':') ? reference : repository?.tags.get(reference);
    const manifest = digest === undefined ? undefined : repository?.manifests.get(digest);
    return manifest === undefined || digest === undefined ? undefined : { digest, ...manifest };
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://registry.invalid');
    const method = request.method ?? 'GET';
    requests.push(`${method} ${url.pathname}${url.search}`);
    if (url.pathname === '/v2/' || url.pathname === '/v2') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
      return;
    }
    const route =
      /^\/v2\/(.+)\/(manifests|blobs|referrers|tags)\/(.*)$/.exec(url.pathname) ??
      /^\/v2\/(.+)\/(blobs\/uploads)\/(.*)$/.exec(url.pathname);
    if (route === null) return fail(response, 404, 'NOT_FOUND', 'no such route');
    const [, name = '', kind, rest = ''] = route;
    if (kind === 'blobs' && rest.startsWith('uploads')) {
      const id = rest.slice('uploads/'.length);
      const repository = repositoryOf(name);
      if (method === 'POST') {
        const mount = url.searchParams.get('mount');
        const from = url.searchParams.get('from');
        if (mount !== null && from !== null && repositories.get(from)?.blobs.has(mount)) {
          repository.blobs.add(mount);
          response.writeHead(201, { location: `/v2/${name}/blobs/${mount}`, 'docker-content-digest': mount });
          response.end();
          return;
        }
        // The spec's single-POST upload: the whole blob in the POST, under the digest it names.
        const digest = url.searchParams.get('digest');
        const whole = await body(request);
        if (digest !== null && whole.length > 0) {
          if (digest !== sha256(whole)) return fail(response, 400, 'DIGEST_INVALID', 'digest does not match');
          blobs.set(digest, whole);
          repository.blobs.add(digest);
          response.writeHead(201, { location: `/v2/${name}/blobs/${digest}`, 'docker-content-digest': digest });
          response.end();
          return;
        }
        const session = randomUUID();
        uploads.set(session, { repository: name, chunks: [] });
        response.writeHead(202, { location: `/v2/${name}/blobs/uploads/${session}`, range: '0-0' });
        response.end();
        return;
      }
      const upload = uploads.get(id);
      if (upload === undefined || upload.repository !== name) return fail(response, 404, 'BLOB_UPLOAD_UNKNOWN', 'no such upload');
      if (method === 'PATCH') {
        upload.chunks.push(await body(request));
        response.writeHead(202, { location: `/v2/${name}/blobs/uploads/${id}` });
        response.end();
        return;
      }
      if (method === 'PUT') {
        upload.chunks.push(await body(request));
        const bytes = Buffer.concat(upload.chunks);
        const digest = url.searchParams.get('digest');
        uploads.delete(id);
        if (digest !== sha256(bytes)) return fail(response, 400, 'DIGEST_INVALID', 'digest does not match');
        blobs.set(digest, bytes);
        repository.blobs.add(digest);
        response.writeHead(201, { location: `/v2/${name}/blobs/${digest}`, 'docker-content-digest': digest });
        response.end();
        return;
      }
      return fail(response, 405, 'UNSUPPORTED', 'method not allowed');
    }
    if (kind === 'blobs') {
      const bytes = repositories.get(name)?.blobs.has(rest) ? blobs.get(rest) : undefined;
      if (bytes === undefined) return fail(response, 404, 'BLOB_UNKNOWN', 'blob unknown');
      response.writeHead(200, {
        'content-length': bytes.length,
        'docker-content-digest': rest,
        'content-type': 'application/octet-stream',
      });
      response.end(method === 'HEAD' ? undefined : bytes);
      return;
    }
    if (kind === 'tags' && rest === 'list') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ name, tags: [...(repositories.get(name)?.tags.keys() ?? [])].sort() }));
      return;
    }
    if (kind === 'referrers') {
      if (!referrersApi) return fail(response, 404, 'NOT_FOUND', 'no such route');
      if (!/^sha256:[a-f0-9]{64}$/.test(rest)) return fail(response, 400, 'DIGEST_INVALID', 'not a digest');
      const wanted = url.searchParams.get('artifactType');
      const manifests: object[] = [];
      for (const [digest, manifest] of repositories.get(name)?.manifests ?? []) {
        const json = JSON.parse(manifest.bytes.toString('utf8')) as {
          subject?: { digest?: string };
          artifactType?: string;
          config?: { mediaType?: string };
          annotations?: Record<string, string>;
        };
        if (json.subject?.digest !== rest) continue;
        const artifactType = json.artifactType ?? json.config?.mediaType;
        if (wanted !== null && artifactType !== wanted) continue;
        manifests.push({
          mediaType: manifest.mediaType,
          digest,
          size: manifest.bytes.length,
          ...(artifactType === undefined ? {} : { artifactType }),
          ...(json.annotations === undefined ? {} : { annotations: json.annotations }),
        });
      }
      response.writeHead(200, {
        'content-type': 'application/vnd.oci.image.index.v1+json',
        ...(wanted === null ? {} : { 'oci-filters-applied': 'artifactType' }),
      });
      response.end(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }));
      return;
    }
    if (kind === 'manifests') {
      if (method === 'PUT') {
        const bytes = await body(request);
        const mediaType = (request.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
        if (!knownManifests.has(mediaType)) return fail(response, 415, 'MANIFEST_INVALID', `unsupported media type ${mediaType}`);
        let json: Record<string, unknown>;
        try {
          json = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
        } catch {
          return fail(response, 400, 'MANIFEST_INVALID', 'not JSON');
        }
        const repository = repositoryOf(name);
        // Everything a manifest points at must be there first (the subject need not be).
        const needed = [
          ...(json.config ? [json.config] : []),
          ...((json.layers as unknown[]) ?? []),
          ...((json.blobs as unknown[]) ?? []),
        ] as { digest: string }[];
        for (const blob of needed) if (!repository.blobs.has(blob.digest)) return fail(response, 400, 'MANIFEST_BLOB_UNKNOWN', blob.digest);
        for (const child of ((json.manifests as unknown[]) ?? []) as { digest: string }[])
          if (!repository.manifests.has(child.digest)) return fail(response, 400, 'MANIFEST_UNKNOWN', child.digest);
        const digest = sha256(bytes);
        if (rest.includes(':') && rest !== digest) return fail(response, 400, 'DIGEST_INVALID', 'digest does not match');
        repository.manifests.set(digest, { mediaType, bytes });
        if (!rest.includes(':')) repository.tags.set(rest, digest);
        const subject = (json.subject as { digest?: string } | undefined)?.digest;
        response.writeHead(201, {
          location: `/v2/${name}/manifests/${digest}`,
          'docker-content-digest': digest,
          ...(subject !== undefined && referrersApi ? { 'oci-subject': subject } : {}),
        });
        response.end();
        return;
      }
      const found = lookup(name, rest);
      if (found === undefined) return fail(response, 404, 'MANIFEST_UNKNOWN', 'manifest unknown');
      response.writeHead(200, {
        'content-type': found.mediaType,
        'content-length': found.bytes.length,
        'docker-content-digest': found.digest,
      });
      response.end(method === 'HEAD' ? undefined : found.bytes);
      return;
    }
    fail(response, 404, 'NOT_FOUND', 'no such route');
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) fail(response, 500, 'UNKNOWN', (error as Error).message);
      else response.destroy();
    });
  });
  const { host, stop } = await listenLocal(server);
  return {
    host,
    requests,
    manifest: (repository, reference) => lookup(repository, reference),
    tags: (repository) => [...(repositories.get(repository)?.tags.keys() ?? [])].sort(),
    stop,
  };
}
