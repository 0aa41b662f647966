// Provenance of the relocation itself, through dist/index.js: each copy gets a signed in-toto statement
// (SLSA provenance v1) as an OCI referrer, through the referrers tag schema on docker-registry and the
// referrers API on the harness's OCI 1.1 registry. The DSSE signature is checked here with Node's
// crypto over DSSE's pre-authentication encoding, independently of ferry, and by ferry's own verify; a
// re-run adds none; a run that fails before its commit point leaves none; a bad key or a missing OIDC
// token is an error naming the input, with nothing pushed.
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, verify } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RegistryClient } from '../../src/registry/client.js';
import { type RunningRegistry, anonymousRegistries, scratchDir } from '../registry/harness.js';
import { type ReferrersRegistry, startReferrersRegistry } from '../registry/referrers-registry.js';
import { startRegistry } from '../registry/harness.js';
import { type SeededImage, listInTagSchema, ociManifest, pushBlob, pushIndex, pushManifest } from '../registry/supply-chain.js';
import { createServer } from 'node:http';
import { fulcioHandler } from '@sigstore/mock/dist/fulcio/handler.js';
import { rekorHandler } from '@sigstore/mock/dist/rekor/handler.js';
import { initializeTLog } from '@sigstore/mock/dist/rekor/tlog.js';
import { listenLocal } from '../registry/harness.js';
import { pae, sigstoreServices } from '../verify/signing.js';
import { runAction } from './action.js';

const bundleType = 'application/vnd.dev.sigstore.bundle.v0.3+json';
/** The log without the runner's masking commands (`::add-mask::`), which register what they carry and are not shown. */
const unmasked = (stdout: string): string =>
  stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const privatePem = key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicPem = key.publicKey.export({ type: 'spki', format: 'pem' }).toString();

interface Statement {
  _type: string;
  subject: { name: string; digest: { sha256: string } }[];
  predicateType: string;
  predicate: {
    buildDefinition: {
      buildType: string;
      externalParameters: Record<string, unknown>;
      resolvedDependencies: { uri: string; digest: { sha256: string } }[];
    };
    runDetails: { builder: { id: string }; metadata: { invocationId: string } };
  };
}

describe('dist/index.js: attested copies', () => {
  let source: RunningRegistry;
  let plain: RunningRegistry;
  let api: ReferrersRegistry;
  let clients: ReturnType<typeof anonymousRegistries>;
  const client = (host: string): RegistryClient => clients.client(host);
  let app: SeededImage;

  before(async () => {
    [source, plain, api] = await Promise.all([startRegistry(), startRegistry(), startReferrersRegistry()]);
    clients = anonymousRegistries([source.host, plain.host, api.host]);
    app = await pushIndex(client(source.host), 'team/app', 'v1');
    await pushIndex(client(source.host), 'team/api', 'v2');
  });
  after(async () => {
    await clients.close();
    await Promise.all([source.stop(), plain.stop(), api.stop()]);
  });

  function workspace(images: readonly string[]): string {
    const dir = scratchDir('attest-ws');
    mkdirSync(path.join(dir, 'k8s'));
    writeFileSync(path.join(dir, 'k8s', 'app.yaml'), images.map((image) => `- image: ${image}\n`).join(''));
    return dir;
  }
  const github = {
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '2',
    GITHUB_WORKFLOW_REF: 'acme/shop/.github/workflows/release.yml@refs/heads/main',
    GITHUB_SHA: 'c0ffee',
  };
  const run = (dir: string, inputs: Record<string, string>, env: Record<string, string> = {}) =>
    runAction(
      dir,
      { manifests: 'k8s/*.yaml', 'insecure-registries': [source.host, plain.host, api.host].join(','), ...inputs },
      { ...github, ...env },
    );

  /** The attestations that refer to `digest` at the destination, through the API or the tag schema. */
  async function referrersOf(host: string, repository: string, digest: string): Promise<{ digest: string; artifactType?: string }[]> {
    const listed = await client(host).referrers(repository, digest);
    if (listed !== undefined) return listed.filter((referrer) => referrer.artifactType === bundleType);
    const index = await client(host)
      .getManifest(repository, digest.replace(':', '-'))
      .catch(() => undefined);
    const manifests = (index?.json.manifests ?? []) as { digest: string; artifactType?: string }[];
    return manifests.filter((referrer) => referrer.artifactType === bundleType);
  }

  /** The statement an attestation carries, its DSSE signature checked with Node's crypto against the public key. */
  async function checkedStatement(host: string, repository: string, attestation: string, subject: string): Promise<Statement> {
    const manifest = await client(host).getManifest(repository, attestation);
    assert.equal(manifest.json.artifactType, bundleType);
    assert.equal((manifest.json.subject as { digest: string }).digest, subject);
    const [layer] = manifest.json.layers as { digest: string; mediaType: string }[];
    assert.equal(layer?.mediaType, bundleType);
    const chunks: Buffer[] = [];
    for await (const chunk of client(host).getBlob(repository, layer?.digest ?? '')) chunks.push(chunk as Buffer);
    const bundle = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      mediaType: string;
      dsseEnvelope: { payload: string; payloadType: string; signatures: { sig: string }[] };
    };
    assert.equal(bundle.mediaType, bundleType);
    const payload = Buffer.from(bundle.dsseEnvelope.payload, 'base64');
    const signature = Buffer.from(bundle.dsseEnvelope.signatures[0]?.sig ?? '', 'base64');
    assert.equal(bundle.dsseEnvelope.payloadType, 'application/vnd.in-toto+json');
    assert.ok(verify('sha256', pae(bundle.dsseEnvelope.payloadType, payload), publicPem, signature), 'the DSSE signature verifies');
    return JSON.parse(payload.toString('utf8')) as Statement;
  }

  it('attests each copy through the tag schema, verified independently and by ferry; a re-run adds none', async () => {
    const dir = workspace([`${source.host}/team/app:v1`, `${source.host}/team/api:v2`]);
    const first = await run(dir, { 'default-repo': `${plain.host}/prod`, attest: 'provenance', 'attest-key': privatePem });
    assert.equal(first.code, 0, first.stdout);
    // The key reaches the log only in the runner's masking commands, which the runner consumes.
    assert.doesNotMatch(unmasked(first.stdout), /BEGIN PRIVATE KEY|MIG/);
    const attestations = JSON.parse(first.outputs.attestations ?? '[]') as { image: string; digest: string; attestation: string }[];
    assert.equal(attestations.length, 2);
    const images = JSON.parse(first.outputs.images ?? '[]') as { image: string; newImage: string; attestation?: string }[];
    const appCopy = images.find((image) => image.image.endsWith('team/app:v1'));
    assert.ok(appCopy?.attestation !== undefined);
    const [name = '', digest = ''] = appCopy.newImage.split('@');
    assert.equal(digest, app.index.digest);
    const repository = name.slice(plain.host.length + 1);
    const statement = await checkedStatement(plain.host, repository, appCopy.attestation, digest);
    assert.equal(statement._type, 'https://in-toto.io/Statement/v1');
    assert.equal(statement.predicateType, 'https://slsa.dev/provenance/v1');
    assert.deepEqual(statement.subject, [{ name, digest: { sha256: digest.slice(7) } }]);
    assert.deepEqual(statement.predicate.buildDefinition.resolvedDependencies[0], {
      uri: `oci://${source.host}/team/app:v1`,
      digest: { sha256: digest.slice(7) },
    });
    assert.equal(statement.predicate.buildDefinition.externalParameters.mode, 'relocate');
    assert.equal(statement.predicate.runDetails.builder.id, `https://github.com/${github.GITHUB_WORKFLOW_REF}`);
    assert.equal(statement.predicate.runDetails.metadata.invocationId, 'https://github.com/acme/shop/actions/runs/4242/attempts/2');
    assert.deepEqual(
      (await referrersOf(plain.host, repository, digest)).map((referrer) => referrer.digest),
      [appCopy.attestation],
    );
    assert.match(first.summary, /<th>Attested<\/th>/);
    assert.match(readFileSync(path.join(dir, 'ferry.lock.yml'), 'utf8'), new RegExp(`attested: ${appCopy.attestation}`));

    // Again: the same image, the same signer and source: no second attestation.
    const again = await run(workspace([`${source.host}/team/app:v1`]), {
      'default-repo': `${plain.host}/prod`,
      attest: 'provenance',
      'attest-key': privatePem,
    });
    assert.equal(again.code, 0, again.stdout);
    assert.match(again.stdout, /1 already attested by key sha256:[0-9a-f]{12} from the same sources: no new attestation/);
    assert.equal((await referrersOf(plain.host, repository, digest)).length, 1);

    // ferry's own verify accepts the copy's provenance.
    const keyFile = path.join(scratchDir('attest-keys'), 'ferry.pub');
    writeFileSync(keyFile, publicPem);
    const verified = await run(workspace([`${appCopy.newImage}`]), {
      'default-repo': `${plain.host}/verified`,
      verify: 'attestation',
      'verify-key': keyFile,
      'verify-predicate-type': 'https://slsa.dev/provenance/v1',
    });
    assert.equal(verified.code, 0, verified.stdout);
    assert.match(verified.stdout, /attestation/);
  });

  it('signs anew where an attestation with the right annotations does not verify (a forged one)', async () => {
    const dir = workspace([`${source.host}/team/app:v1`]);
    const plainRun = await run(dir, { 'default-repo': `${plain.host}/forged` });
    assert.equal(plainRun.code, 0, plainRun.stdout);
    const repository = `forged/${source.host.replace(/[.:]/g, '_')}_team_app`;
    // Someone who can push there writes a referrer that claims to be this key's, with a bundle of nothing.
    const label = `key sha256:${createHash('sha256')
      .update(key.publicKey.export({ type: 'spki', format: 'der' }))
      .digest('hex')
      .slice(0, 12)}`;
    const layer = await pushBlob(client(plain.host), repository, Buffer.from('{"dsseEnvelope":{}}'), bundleType);
    const config = await pushBlob(client(plain.host), repository, Buffer.from('{}'), 'application/vnd.oci.empty.v1+json');
    const annotations = { 'dev.ferry.attestation.signer': label, 'dev.ferry.attestation.sources': `${source.host}/team/app:v1` };
    const forged = await pushManifest(client(plain.host), repository, {
      schemaVersion: 2,
      mediaType: ociManifest,
      artifactType: bundleType,
      config,
      layers: [layer],
      subject: app.index,
      annotations,
    });
    await listInTagSchema(client(plain.host), repository, app.index.digest, { ...forged, artifactType: bundleType, annotations });

    const attested = await run(dir, {
      'default-repo': `${plain.host}/forged`,
      attest: 'provenance',
      'attest-key': Buffer.from(privatePem).toString('base64'),
    });
    assert.equal(attested.code, 0, attested.stdout);
    const [made] = JSON.parse(attested.outputs.attestations ?? '[]') as { attestation: string }[];
    assert.ok(made !== undefined && made.attestation !== forged.digest, attested.stdout);
    await checkedStatement(plain.host, repository, made.attestation, app.index.digest);
    assert.deepEqual(
      (await referrersOf(plain.host, repository, app.index.digest)).map((referrer) => referrer.digest).sort(),
      [forged.digest, made.attestation].sort(),
    );
  });

  it('attests through the referrers API where the registry has one', async () => {
    const dir = workspace([`${source.host}/team/app:v1`]);
    const result = await run(dir, { 'default-repo': `${api.host}/prod`, attest: 'provenance', 'attest-key': privatePem });
    assert.equal(result.code, 0, result.stdout);
    const [attested] = JSON.parse(result.outputs.attestations ?? '[]') as { image: string; digest: string; attestation: string }[];
    assert.ok(attested !== undefined);
    const images = JSON.parse(result.outputs.images ?? '[]') as { newImage: string }[];
    const repository = (images[0]?.newImage ?? '').split('@')[0]?.slice(api.host.length + 1) ?? '';
    const listed = (await client(api.host).referrers(repository, attested.digest)) ?? [];
    assert.deepEqual(
      listed.filter((referrer) => referrer.artifactType === bundleType).map((referrer) => referrer.digest),
      [attested.attestation],
    );
    await checkedStatement(api.host, repository, attested.attestation, attested.digest);
  });

  it('attests what unpackage imports, naming the archive it came from', async () => {
    const dir = workspace([`${source.host}/team/app:v1`]);
    const temp = { RUNNER_TEMP: scratchDir('runner-temp') };
    const packaged = await run(dir, { mode: 'package', archive: 'release.tar' }, temp);
    assert.equal(packaged.code, 0, packaged.stdout);
    const imported = await run(
      dir,
      { mode: 'unpackage', archive: 'release.tar', 'default-repo': `${plain.host}/site`, attest: 'provenance', 'attest-key': privatePem },
      temp,
    );
    assert.equal(imported.code, 0, imported.stdout);
    const [attested] = JSON.parse(imported.outputs.attestations ?? '[]') as { image: string; digest: string; attestation: string }[];
    assert.ok(attested !== undefined, imported.stdout);
    const images = JSON.parse(imported.outputs.images ?? '[]') as { newImage: string }[];
    const repository = (images[0]?.newImage ?? '').split('@')[0]?.slice(plain.host.length + 1) ?? '';
    const statement = await checkedStatement(plain.host, repository, attested.attestation, attested.digest);
    assert.deepEqual(statement.predicate.buildDefinition.resolvedDependencies, [
      { uri: 'file:release.tar', digest: { sha256: app.index.digest.slice(7) }, name: `${source.host}/team/app:v1` },
    ]);
    assert.equal(statement.predicate.buildDefinition.externalParameters.mode, 'unpackage');
  });

  it('leaves no attestation when the run fails before its commit point', async () => {
    // A pinned digest is not looked up first: the missing image fails in its copy, beside the other's.
    const dir = workspace([`${source.host}/team/app:v1`, `${source.host}/team/api@sha256:${'0'.repeat(64)}`]);
    // Into the registry with the referrers API, where a referrer is listed the moment it is pushed.
    const result = await run(dir, { 'default-repo': `${api.host}/failed`, attest: 'provenance', 'attest-key': privatePem });
    assert.equal(result.code, 1, result.stdout);
    // The image that was copied is there, untagged, and nothing refers to it.
    const repository = `failed/${source.host.replace(/[.:]/g, '_')}_team_app`;
    assert.ok(await client(api.host).getManifest(repository, app.index.digest));
    assert.deepEqual(await referrersOf(api.host, repository, app.index.digest), []);
  });

  it('attests keyless: a Fulcio certificate for the job token and a Rekor entry (the Sigstore mocks on loopback), which ferry verifies', async () => {
    const services = await sigstoreServices();
    const log = await initializeTLog('https://rekor.test', services.logKeys);
    const fulcio = fulcioHandler(services.ca);
    // Rekor stores a proposed dsse entry as its canonical body (the envelope's and the payload's
    // hashes, each signature with its verifier), which the mock leaves to its server: done here, as
    // Rekor's dsse type v0.0.1 does it.
    const mockRekor = rekorHandler(log);
    const rekor = {
      path: mockRekor.path,
      fn: (body: string) => {
        const proposed = JSON.parse(body) as {
          kind: string;
          apiVersion: string;
          spec: { proposedContent: { envelope: string; verifiers: string[] } };
        };
        const envelope = JSON.parse(proposed.spec.proposedContent.envelope) as { payload: string; signatures: { sig: string }[] };
        const hex = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');
        return mockRekor.fn(
          JSON.stringify({
            kind: proposed.kind,
            apiVersion: proposed.apiVersion,
            spec: {
              envelopeHash: { algorithm: 'sha256', value: hex(proposed.spec.proposedContent.envelope) },
              payloadHash: { algorithm: 'sha256', value: hex(Buffer.from(envelope.payload, 'base64')) },
              signatures: envelope.signatures.map((signature, at) => ({
                signature: signature.sig,
                verifier: proposed.spec.proposedContent.verifiers[at],
              })),
            },
          }),
        );
      },
    };
    const identity = 'https://github.com/acme/shop/.github/workflows/release.yml@refs/heads/main';
    const issuer = 'https://token.actions.githubusercontent.com';
    const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const jwt = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ iss: issuer, sub: identity, aud: 'sigstore', exp: Math.floor(Date.now() / 1000) + 600 })}.c2ln`;
    const asked: string[] = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const url = new URL(request.url ?? '/', 'http://localhost');
        asked.push(
          `${request.method} ${url.pathname}${url.searchParams.has('audience') ? `?audience=${url.searchParams.get('audience')}` : ''}`,
        );
        const answer = (status: number, body: string | ArrayBufferView, type = 'application/json'): void => {
          response.writeHead(status, { 'content-type': type }).end(body);
        };
        if (url.pathname === '/token' && request.headers.authorization === 'Bearer runner-token')
          return answer(200, JSON.stringify({ value: jwt }));
        const handler = [fulcio, rekor].find((candidate) => candidate.path === url.pathname);
        if (handler === undefined) return answer(404, '{}');
        void handler
          .fn(Buffer.concat(chunks).toString('utf8'))
          .then((result) => answer(result.statusCode, result.response, result.contentType));
      });
    });
    const { host, stop } = await listenLocal(server);
    try {
      const dir = workspace([`${source.host}/team/api:v2`]);
      const result = await run(
        dir,
        {
          'default-repo': `${plain.host}/keyless`,
          attest: 'provenance',
          'attest-fulcio-url': `http://${host}`,
          'attest-rekor-url': `http://${host}`,
        },
        { ACTIONS_ID_TOKEN_REQUEST_URL: `http://${host}/token?api-version=2.0`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'runner-token' },
      );
      assert.equal(result.code, 0, result.stdout);
      assert.deepEqual(asked, ['GET /token?audience=sigstore', 'POST /api/v2/signingCert', 'POST /api/v1/log/entries']);
      assert.doesNotMatch(unmasked(result.stdout), new RegExp(jwt.split('.')[1] ?? 'no token'));
      const [attested] = JSON.parse(result.outputs.attestations ?? '[]') as { digest: string; attestation: string }[];
      assert.ok(attested !== undefined);
      const images = JSON.parse(result.outputs.images ?? '[]') as { newImage: string }[];
      const rootFile = path.join(scratchDir('attest-root'), 'trusted_root.json');
      writeFileSync(rootFile, services.trustedRoot);
      const verified = await run(workspace([images[0]?.newImage ?? '']), {
        'default-repo': `${plain.host}/keyless-verified`,
        verify: 'attestation',
        'verify-identity': identity,
        'verify-issuer': issuer,
        'verify-predicate-type': 'https://slsa.dev/provenance/v1',
        'trusted-root': rootFile,
      });
      assert.equal(verified.code, 0, verified.stdout);
    } finally {
      await stop();
    }
  });

  for (const [what, inputs, env, error] of [
    [
      'an RSA key',
      { 'attest-key': generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
      {},
      /attest-key: the key is rsa/,
    ],
    [
      'base64 of no key, which is then no file either',
      { 'attest-key': 'bm90IGEga2V5IGF0IGFsbA==' },
      {},
      /attest-key: the value is neither PEM text \(plain or base64\) nor the path of a readable file/,
    ],
    [
      'text that is no key',
      { 'attest-key': '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n' },
      {},
      /attest-key: the value is not a PEM private key/,
    ],
    [
      "cosign's encrypted key",
      { 'attest-key': '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\neyJr\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n' },
      {},
      /attest-key: the key is cosign's encrypted format/,
    ],
    [
      'no OIDC token for keyless signing',
      {},
      {},
      /attest: keyless attestation signs with the job's OIDC token, and this job has none: give the job `permissions: id-token: write`/,
    ],
  ] as const) {
    it(`refuses ${what}, naming the input, with nothing pushed`, async () => {
      const dir = workspace([`${source.host}/team/api:v2`]);
      const result = await run(dir, { 'default-repo': `${plain.host}/refused`, attest: 'provenance', ...inputs }, env);
      assert.equal(result.code, 1, result.stdout);
      assert.match(result.stdout, error);
      assert.doesNotMatch(unmasked(result.stdout), /not a key|bm90IGEga2V5/);
      const catalog = ((await (await fetch(`http://${plain.host}/v2/_catalog`)).json()) as { repositories: string[] }).repositories;
      assert.ok(!catalog.some((name) => name.startsWith('refused/')), catalog.join(', '));
    });
  }
});
