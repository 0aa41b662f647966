// Supply-chain content for tests, made as the tools that make it lay it out, with no cosign or notation
// binary: they are manifests. A multi-platform image with a buildx attestation manifest; cosign's
// digest tags (`sha256-<hex>.sig`, `.att`, `.sbom`); OCI 1.1 referrers (an SPDX SBOM, Notary
// signatures, a referrer of a referrer), listed through the registry's API when it has one, else in
// the referrers tag schema, maintained here as the spec tells a client to.
import { randomBytes } from 'node:crypto';
import type { RegistryClient } from '../../src/registry/client.js';
import { sha256 } from './harness.js';

export const ociManifest = 'application/vnd.oci.image.manifest.v1+json';
export const ociIndex = 'application/vnd.oci.image.index.v1+json';
export const emptyConfig = 'application/vnd.oci.empty.v1+json';

export interface Pushed {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
}

export async function pushBlob(client: RegistryClient, repository: string, bytes: Buffer, mediaType: string): Promise<Pushed> {
  const digest = sha256(bytes);
  await client.uploadBlob(repository, digest, bytes.length, bytes);
  return { mediaType, digest, size: bytes.length };
}

export async function pushManifest(client: RegistryClient, repository: string, json: object, reference?: string): Promise<Pushed> {
  const bytes = Buffer.from(JSON.stringify(json));
  const mediaType = (json as { mediaType: string }).mediaType;
  const digest = sha256(bytes);
  await client.putManifest(repository, reference ?? digest, bytes, mediaType);
  return { mediaType, digest, size: bytes.length };
}

const schemaTag = (digest: string): string => digest.replace(':', '-');

async function image(client: RegistryClient, repository: string, os: string, architecture: string, variant?: string): Promise<Pushed> {
  const layer = await pushBlob(client, repository, randomBytes(2048), 'application/vnd.oci.image.layer.v1.tar');
  const config = await pushBlob(
    client,
    repository,
    Buffer.from(
      JSON.stringify({ os, architecture, ...(variant ? { variant } : {}), rootfs: { type: 'layers', diff_ids: [layer.digest] } }),
    ),
    'application/vnd.oci.image.config.v1+json',
  );
  return pushManifest(client, repository, { schemaVersion: 2, mediaType: ociManifest, config, layers: [layer] });
}

export interface SeededImage {
  readonly index: Pushed;
  /** The image manifests by platform (`linux/amd64`). */
  readonly children: Readonly<Record<string, Pushed>>;
  /** buildx's attestation manifest of linux/amd64. */
  readonly attestation: Pushed;
}

/** An index of linux/amd64, linux/arm64 and linux/arm/v7, with buildx's attestation manifest for amd64, tagged. */
export async function pushIndex(client: RegistryClient, repository: string, tag: string): Promise<SeededImage> {
  const platforms = [
    ['linux', 'amd64'],
    ['linux', 'arm64'],
    ['linux', 'arm', 'v7'],
  ] as const;
  const children: Record<string, Pushed> = {};
  const manifests: object[] = [];
  for (const [os, architecture, variant] of platforms) {
    const child = await image(client, repository, os, architecture, variant);
    children[[os, architecture, variant].filter(Boolean).join('/')] = child;
    manifests.push({ ...child, platform: { os, architecture, ...(variant ? { variant } : {}) } });
  }
  const provenance = await pushBlob(
    client,
    repository,
    Buffer.from('{"_type":"https://in-toto.io/Statement/v0.1"}'),
    'application/vnd.in-toto+json',
  );
  const attestationConfig = await pushBlob(
    client,
    repository,
    Buffer.from('{"architecture":"unknown","os":"unknown"}'),
    'application/vnd.oci.image.config.v1+json',
  );
  const attestation = await pushManifest(client, repository, {
    schemaVersion: 2,
    mediaType: ociManifest,
    config: attestationConfig,
    layers: [{ ...provenance, annotations: { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v0.2' } }],
  });
  const amd64 = children['linux/amd64'] as Pushed;
  manifests.push({
    ...attestation,
    platform: { os: 'unknown', architecture: 'unknown' },
    annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': amd64.digest },
  });
  const index = await pushManifest(client, repository, { schemaVersion: 2, mediaType: ociIndex, manifests }, tag);
  return { index, children, attestation };
}

/** A cosign-shaped artifact under the digest tag `sha256-<hex>.<suffix>` of `subject`. */
export async function pushCosign(client: RegistryClient, repository: string, subject: string, suffix: string): Promise<Pushed> {
  const layerType =
    suffix === 'sig'
      ? 'application/vnd.dev.cosign.simplesigning.v1+json'
      : suffix === 'att'
        ? 'application/vnd.dsse.envelope.v1+json'
        : 'text/spdx';
  const payload = await pushBlob(
    client,
    repository,
    Buffer.from(
      JSON.stringify({ critical: { image: { 'docker-manifest-digest': subject } }, suffix, nonce: randomBytes(8).toString('hex') }),
    ),
    layerType,
  );
  const config = await pushBlob(
    client,
    repository,
    Buffer.from(JSON.stringify({ architecture: '', os: '', rootfs: { type: 'layers', diff_ids: [payload.digest] } })),
    'application/vnd.oci.image.config.v1+json',
  );
  return pushManifest(
    client,
    repository,
    {
      schemaVersion: 2,
      mediaType: ociManifest,
      config,
      layers: [{ ...payload, annotations: { 'dev.cosignproject.cosign/signature': randomBytes(32).toString('base64') } }],
    },
    `${schemaTag(subject)}.${suffix}`,
  );
}

/**
 * An OCI 1.1 referrer of `subject` (an image manifest with artifactType and the empty config); without
 * the registry's API, listed in the subject's referrers tag schema index (read, add, push).
 */
export async function pushReferrer(
  client: RegistryClient,
  repository: string,
  subject: Pushed,
  artifactType: string,
  options: { tagSchema: boolean; artifactManifest?: boolean },
): Promise<Pushed> {
  const content = await pushBlob(
    client,
    repository,
    Buffer.from(JSON.stringify({ artifactType, nonce: randomBytes(8).toString('hex') })),
    artifactType,
  );
  const annotations = { 'org.opencontainers.image.created': '2026-12-01T00:00:00Z' };
  let referrer: Pushed;
  if (options.artifactManifest) {
    referrer = await pushManifest(client, repository, {
      mediaType: 'application/vnd.oci.artifact.manifest.v1+json',
      artifactType,
      blobs: [content],
      subject,
      annotations,
    });
  } else {
    const config = await pushBlob(client, repository, Buffer.from('{}'), emptyConfig);
    referrer = await pushManifest(client, repository, {
      schemaVersion: 2,
      mediaType: ociManifest,
      artifactType,
      config,
      layers: [content],
      subject,
      annotations,
    });
  }
  if (options.tagSchema) await listInTagSchema(client, repository, subject.digest, { ...referrer, artifactType, annotations });
  return referrer;
}

/** Adds a referrer to its subject's referrers tag schema index (read, add, push), as a client does without the API. */
export async function listInTagSchema(client: RegistryClient, repository: string, subject: string, referrer: object): Promise<void> {
  const tag = schemaTag(subject);
  const existing = await client.getManifest(repository, tag).catch(() => undefined);
  const manifests = existing === undefined ? [] : (existing.json.manifests as object[]);
  await pushManifest(client, repository, { schemaVersion: 2, mediaType: ociIndex, manifests: [...manifests, referrer] }, tag);
}

export const spdx = 'application/spdx+json';
export const notary = 'application/vnd.cncf.notary.signature';

export interface SupplyChain extends SeededImage {
  readonly sig: Pushed;
  readonly att: Pushed;
  readonly sbomTag: Pushed;
  readonly sbom: Pushed;
  readonly notarySignature: Pushed;
  /** A Notary signature of the SBOM: a referrer of a referrer. */
  readonly sbomSignature: Pushed;
}

/** An image with all of it: cosign .sig/.att/.sbom tags, an SPDX SBOM and a Notary signature as referrers, and a signature of the SBOM. */
export async function pushSupplyChain(client: RegistryClient, repository: string, tag: string, tagSchema: boolean): Promise<SupplyChain> {
  const seeded = await pushIndex(client, repository, tag);
  const subject = seeded.index.digest;
  const sig = await pushCosign(client, repository, subject, 'sig');
  const att = await pushCosign(client, repository, subject, 'att');
  const sbomTag = await pushCosign(client, repository, subject, 'sbom');
  const sbom = await pushReferrer(client, repository, seeded.index, spdx, { tagSchema });
  const notarySignature = await pushReferrer(client, repository, seeded.index, notary, { tagSchema });
  const sbomSignature = await pushReferrer(client, repository, sbom, notary, { tagSchema });
  return { ...seeded, sig, att, sbomTag, sbom, notarySignature, sbomSignature };
}
