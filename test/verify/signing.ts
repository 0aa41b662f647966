// Signing material made in the test, as cosign and GitHub's attest action make it: keys from Node's
// crypto; keyless certificates from a Fulcio CA with a CT log, Rekor entries (signed entry timestamps
// and inclusion proofs) and a timestamp authority, all from @sigstore/mock (the Sigstore project's own
// mock services, used offline); the trusted_root.json that trusts them. Signatures go to a registry the
// three ways ferry reads: cosign's `.sig` and `.att` digest tags, and Sigstore bundles as OCI referrers.
import { type KeyObject, createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { mock } from 'node:test';
import { initializeCA, initializeCTLog } from '@sigstore/mock/dist/fulcio/index.js';
import { initializeTLog } from '@sigstore/mock/dist/rekor/tlog.js';
import type { RegistryClient } from '../../src/registry/client.js';
import { sha256Hex } from '../registry/harness.js';
import { type Pushed, emptyConfig, listInTagSchema, ociManifest, pushBlob, pushManifest } from '../registry/supply-chain.js';

export type KeyType = 'ecdsa-p256' | 'ecdsa-p384' | 'rsa' | 'ed25519';

export interface KeyPair {
  readonly publicPem: string;
  readonly privateKey: KeyObject;
}

export function keyPair(type: KeyType = 'ecdsa-p256'): KeyPair {
  const pair =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : type === 'ed25519'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('ec', { namedCurve: type === 'ecdsa-p384' ? 'P-384' : 'P-256' });
  return { publicPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(), privateKey: pair.privateKey };
}

/** Signs as cosign does for the key's type: ECDSA and RSA over SHA-256, Ed25519 over the message itself. */
function signWith(key: KeyObject, data: Buffer): Buffer {
  if (key.asymmetricKeyType === 'ed25519') return sign(null, data, key);
  // cosign hashes with SHA-256 whatever the curve or key size.
  return sign('sha256', data, key);
}

/** DSSE's pre-authentication encoding: what an envelope's signature signs. */
export function pae(payloadType: string, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`DSSEv1 ${payloadType.length} ${payloadType} ${payload.length} `), payload]);
}

/** What one signing produced: the signature, and for keyless the certificate and the log entry. */
export interface Signed {
  readonly signature: Buffer;
  readonly certificatePem?: string;
  /** Rekor's entry as the mock log answered it. */
  readonly entry?: {
    body: string;
    integratedTime: number;
    logID: string;
    logIndex: number;
    verification: {
      signedEntryTimestamp: string;
      inclusionProof: { rootHash: string; treeSize: number; logIndex: number; hashes: string[]; checkpoint: string };
    };
  };
}

export interface Signer {
  /** Signs `data`; `rekorEntry` builds the proposed log entry from the signature and the certificate. */
  sign(data: Buffer, rekorEntry: (signature: Buffer, certificatePem: string) => object): Promise<Signed>;
}

export function keySigner(key: KeyPair): Signer {
  return { sign: async (data) => ({ signature: signWith(key.privateKey, data) }) };
}

const pemOf = (der: Buffer): string =>
  `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;

export interface KeylessWorld {
  /** The trusted_root.json text that trusts this world's CA, CT log and transparency log. */
  readonly trustedRoot: string;
  /** A signer whose certificate says `identity` and `issuer`, issued at `clock` (now when unset). */
  signer(identity: string, issuer: string, options?: { clock?: Date; logClock?: Date; noLog?: boolean }): Signer;
}

/** The mock services of a keyless world: the CA (with its CT log), the transparency log's keys, the root that trusts them. */
export interface SigstoreServices {
  readonly ca: Awaited<ReturnType<typeof initializeCA>>;
  readonly logKeys: { publicKey: KeyObject; privateKey: KeyObject };
  readonly trustedRoot: string;
}

/** A Fulcio CA with a CT log and a Rekor log, made fresh, and the trusted root for them. */
export async function keylessWorld(): Promise<KeylessWorld> {
  const { ca, logKeys, trustedRoot } = await sigstoreServices();
  return keylessSigner(ca, logKeys, trustedRoot);
}

/** The CA, the log's keys and the trusted root of a fresh keyless world. */
export async function sigstoreServices(): Promise<SigstoreServices> {
  const ctKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const caKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const logKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ctLog = await initializeCTLog(ctKeys);
  // The mock's root certificate is valid from the moment it is made: made two hours back, so that a
  // certificate issued an hour ago chains to it at that hour.
  mock.timers.enable({ apis: ['Date'], now: Date.now() - 2 * 3600_000 });
  let ca: Awaited<ReturnType<typeof initializeCA>>;
  try {
    ca = await initializeCA(caKeys, ctLog);
  } finally {
    mock.timers.reset();
  }
  const logPublic = logKeys.publicKey.export({ type: 'spki', format: 'der' });
  const since = new Date(Date.now() - 24 * 3600 * 1000).toISOString();
  const trustedRoot = JSON.stringify({
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [
      {
        baseUrl: 'https://rekor.test',
        hashAlgorithm: 'SHA2_256',
        publicKey: { rawBytes: logPublic.toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start: since } },
        logId: { keyId: createHash('sha256').update(logPublic).digest('base64') },
      },
    ],
    certificateAuthorities: [
      {
        subject: { organization: 'sigstore.mock', commonName: 'sigstore' },
        uri: 'https://fulcio.test',
        certChain: { certificates: [{ rawBytes: Buffer.from(ca.rootCertificate.buffer).toString('base64') }] },
        validFor: { start: since },
      },
    ],
    ctlogs: [
      {
        baseUrl: 'https://ctfe.test',
        hashAlgorithm: 'SHA2_256',
        publicKey: { rawBytes: ctLog.publicKey.toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start: since } },
        logId: { keyId: Buffer.from(ctLog.logID.buffer).toString('base64') },
      },
    ],
    timestampAuthorities: [],
  });
  return { ca, logKeys, trustedRoot };
}

function keylessSigner(
  ca: SigstoreServices['ca'],
  logKeys: { publicKey: KeyObject; privateKey: KeyObject },
  trustedRoot: string,
): KeylessWorld {
  return {
    trustedRoot,
    signer: (identity, issuer, options = {}) => ({
      async sign(data, rekorEntry) {
        const ephemeral = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        // The one CA, its clock set back for this certificate (a new CA would have another root).
        const clock = ca as unknown as { getCurrentTime: () => Date };
        const now = clock.getCurrentTime;
        if (options.clock !== undefined) clock.getCurrentTime = () => options.clock as Date;
        const der = Buffer.from(
          (
            await ca.issueCertificate({
              publicKey: ephemeral.publicKey.export({ type: 'spki', format: 'der' }),
              subjectAltName: identity,
              extensions: [{ oid: '1.3.6.1.4.1.57264.1.1', value: issuer, legacy: true }],
            })
          ).buffer,
        );
        clock.getCurrentTime = now;
        const certificatePem = pemOf(der);
        const signature = signWith(ephemeral.privateKey, data);
        if (options.noLog) return { signature, certificatePem };
        const log = await initializeTLog('https://rekor.test', logKeys, options.logClock ?? options.clock);
        const answer = await log.log(rekorEntry(signature, certificatePem));
        const entry = Object.values(answer)[0] as unknown as Signed['entry'];
        return { signature, certificatePem, ...(entry === undefined ? {} : { entry }) };
      },
    }),
  };
}

/** The hashedrekord entry of a message signature, as cosign proposes it. */
const hashedRekord = (data: Buffer) => (signature: Buffer, certificatePem: string) => ({
  apiVersion: '0.0.1',
  kind: 'hashedrekord',
  spec: {
    data: { hash: { algorithm: 'sha256', value: sha256Hex(data) } },
    signature: { content: signature.toString('base64'), publicKey: { content: Buffer.from(certificatePem).toString('base64') } },
  },
});

const inTotoType = 'application/vnd.in-toto+json';

/** A DSSE envelope of `payload` with one signature. */
const envelopeOf = (payload: Buffer, signature: Buffer) => ({
  payloadType: inTotoType,
  payload: payload.toString('base64'),
  signatures: [{ keyid: '', sig: signature.toString('base64') }],
});

/** The dsse entry of an envelope, as cosign proposes it. */
const dsseEntry = (payload: Buffer) => (signature: Buffer, certificatePem: string) => ({
  apiVersion: '0.0.1',
  kind: 'dsse',
  spec: {
    envelopeHash: { algorithm: 'sha256', value: sha256Hex(Buffer.from(JSON.stringify(envelopeOf(payload, signature)))) },
    payloadHash: { algorithm: 'sha256', value: sha256Hex(payload) },
    signatures: [{ signature: signature.toString('base64'), verifier: Buffer.from(certificatePem).toString('base64') }],
  },
});

/** cosign's annotations for what a signer produced. */
function cosignAnnotations(signed: Signed, signature?: Buffer): Record<string, string> {
  const annotations: Record<string, string> = {};
  if (signature !== undefined) annotations['dev.cosignproject.cosign/signature'] = signature.toString('base64');
  if (signed.certificatePem !== undefined) annotations['dev.sigstore.cosign/certificate'] = signed.certificatePem;
  if (signed.entry !== undefined) {
    const { body, integratedTime, logIndex, logID, verification } = signed.entry;
    annotations['dev.sigstore.cosign/bundle'] = JSON.stringify({
      SignedEntryTimestamp: verification.signedEntryTimestamp,
      Payload: { body, integratedTime, logIndex, logID },
    });
  }
  return annotations;
}

const schemaTag = (digest: string): string => digest.replace(':', '-');

async function pushLayered(
  client: RegistryClient,
  repository: string,
  layer: Pushed & { annotations?: Record<string, string> },
  tag?: string,
  extra: object = {},
): Promise<Pushed> {
  const config = await pushBlob(client, repository, Buffer.from('{}'), emptyConfig);
  return pushManifest(client, repository, { schemaVersion: 2, mediaType: ociManifest, config, layers: [layer], ...extra }, tag);
}

/** The simple-signing payload cosign signs for an image. */
export function simpleSigningPayload(reference: string, digest: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      critical: {
        identity: { 'docker-reference': reference },
        image: { 'docker-manifest-digest': digest },
        type: 'cosign container image signature',
      },
      optional: null,
    }),
  );
}

/** cosign sign: a `.sig` tag next to `subject` whose payload names `signedDigest` (the subject's own, unless a test says otherwise). */
export async function pushCosignSignature(
  client: RegistryClient,
  repository: string,
  subject: string,
  signer: Signer,
  options: { signedDigest?: string; tamper?: (annotations: Record<string, string>) => void } = {},
): Promise<Pushed> {
  const payload = simpleSigningPayload(`${repository}`, options.signedDigest ?? subject);
  const signed = await signer.sign(payload, hashedRekord(payload));
  const annotations = cosignAnnotations(signed, signed.signature);
  options.tamper?.(annotations);
  const layer = await pushBlob(client, repository, payload, 'application/vnd.dev.cosign.simplesigning.v1+json');
  return pushLayered(client, repository, { ...layer, annotations }, `${schemaTag(subject)}.sig`);
}

/** An in-toto statement about `digest`. */
export function statement(digest: string, predicateType: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'image', digest: { sha256: digest.replace('sha256:', '') } }],
      predicateType,
      predicate: { buildDefinition: { buildType: 'https://actions.github.io/buildtypes/workflow/v1' } },
    }),
  );
}

async function envelope(signer: Signer, payload: Buffer): Promise<{ envelope: object; signed: Signed }> {
  const signed = await signer.sign(pae(inTotoType, payload), dsseEntry(payload));
  return { envelope: envelopeOf(payload, signed.signature), signed };
}

/** cosign attest: a `.att` tag next to `subject` holding a DSSE envelope of an in-toto statement. */
export async function pushCosignAttestation(
  client: RegistryClient,
  repository: string,
  subject: string,
  signer: Signer,
  predicateType: string,
): Promise<Pushed> {
  const { envelope: built, signed } = await envelope(signer, statement(subject, predicateType));
  const layer = await pushBlob(client, repository, Buffer.from(JSON.stringify(built)), 'application/vnd.dsse.envelope.v1+json');
  return pushLayered(
    client,
    repository,
    { ...layer, annotations: { ...cosignAnnotations(signed), predicateType } },
    `${schemaTag(subject)}.att`,
  );
}

export const bundleType = 'application/vnd.dev.sigstore.bundle.v0.3+json';

/** The bundle's verification material for what a signer produced. */
function material(signed: Signed, keyHint: string): object {
  const entry = signed.entry;
  const body =
    entry === undefined
      ? undefined
      : (JSON.parse(Buffer.from(entry.body, 'base64').toString('utf8')) as { kind: string; apiVersion: string });
  return {
    ...(signed.certificatePem === undefined
      ? { publicKey: { hint: keyHint } }
      : { certificate: { rawBytes: signed.certificatePem.replace(/-----[A-Z ]+-----|\s/g, '') } }),
    tlogEntries:
      entry === undefined || body === undefined
        ? []
        : [
            {
              logIndex: String(entry.logIndex),
              logId: { keyId: Buffer.from(entry.logID, 'hex').toString('base64') },
              kindVersion: { kind: body.kind, version: body.apiVersion },
              integratedTime: String(entry.integratedTime),
              inclusionPromise: { signedEntryTimestamp: entry.verification.signedEntryTimestamp },
              inclusionProof: {
                logIndex: String(entry.verification.inclusionProof.logIndex),
                rootHash: Buffer.from(entry.verification.inclusionProof.rootHash, 'hex').toString('base64'),
                treeSize: String(entry.verification.inclusionProof.treeSize),
                hashes: entry.verification.inclusionProof.hashes,
                checkpoint: { envelope: entry.verification.inclusionProof.checkpoint },
              },
              canonicalizedBody: entry.body,
            },
          ],
    timestampVerificationData: { rfc3161Timestamps: [] },
  };
}

/** A Sigstore bundle (v0.3) holding a DSSE envelope of an in-toto statement about `subject`: cosign 3 and attest-build-provenance. */
export async function attestationBundle(
  signer: Signer,
  subject: string,
  predicateType: string,
  tamper?: (bundle: Record<string, unknown>) => void,
): Promise<Buffer> {
  const { envelope: built, signed } = await envelope(signer, statement(subject, predicateType));
  const bundle: Record<string, unknown> = { mediaType: bundleType, verificationMaterial: material(signed, ''), dsseEnvelope: built };
  tamper?.(bundle);
  return Buffer.from(JSON.stringify(bundle));
}

/** A Sigstore bundle as an OCI referrer of `subject`; without the referrers API, listed in the tag schema index too. */
export async function pushBundleReferrer(
  client: RegistryClient,
  repository: string,
  subject: Pushed,
  bundle: Buffer,
  tagSchema: boolean,
): Promise<Pushed> {
  const layer = await pushBlob(client, repository, bundle, bundleType);
  const referrer = await pushLayered(client, repository, layer, undefined, { artifactType: bundleType, subject });
  if (tagSchema) await listInTagSchema(client, repository, subject.digest, { ...referrer, artifactType: bundleType });
  return referrer;
}

/** A one-layer image, tagged: something to sign. */
export async function pushImage(client: RegistryClient, repository: string, tag: string): Promise<Pushed> {
  const layer = await pushBlob(client, repository, randomBytes(1500), 'application/vnd.oci.image.layer.v1.tar');
  const config = await pushBlob(
    client,
    repository,
    Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [layer.digest] } })),
    'application/vnd.oci.image.config.v1+json',
  );
  return pushManifest(client, repository, { schemaVersion: 2, mediaType: ociManifest, config, layers: [layer] }, tag);
}
