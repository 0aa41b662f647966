// cosign's tag-scheme signatures and attestations (`sha256-<hex>.sig`, `.att`) as Sigstore bundles, so
// that one verifier checks every format. A layer of such a manifest is the signed content (the
// simple-signing payload, or a DSSE envelope); its annotations carry the signature, the certificate
// and chain, the Rekor entry (`dev.sigstore.cosign/bundle`: the signed entry timestamp and the entry)
// and an RFC 3161 timestamp. This is the mapping cosign and sigstore-go make themselves; every value
// is untrusted and checked for shape here, for meaning by @sigstore/verify.
import { createHash } from 'node:crypto';
import type { SerializedBundle } from '@sigstore/bundle';

export const simpleSigningType = 'application/vnd.dev.cosign.simplesigning.v1+json';
export const dsseEnvelopeType = 'application/vnd.dsse.envelope.v1+json';

const annotation = {
  signature: 'dev.cosignproject.cosign/signature',
  certificate: 'dev.sigstore.cosign/certificate',
  chain: 'dev.sigstore.cosign/chain',
  rekorBundle: 'dev.sigstore.cosign/bundle',
  timestamp: 'dev.sigstore.cosign/rfc3161timestamp',
} as const;

/** The most an annotation ferry reads may hold: a certificate chain or a Rekor entry is a few KiB. */
const maxAnnotationCharacters = 64 * 1024;

/** An annotation's value, refused past its bound before anything parses it. */
function annotationValue(annotations: Readonly<Record<string, string>>, key: string): string | undefined {
  const value = annotations[key];
  if (value !== undefined && value.length > maxAnnotationCharacters)
    throw new Error(`the ${key} annotation is ${value.length} characters, more than the ${maxAnnotationCharacters} ferry reads`);
  return value;
}

/** The DER bytes of each PEM certificate in `text`, base64. */
function certificates(text: string): string[] {
  const blocks = [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/g)];
  return blocks.map((block) => Buffer.from((block[1] ?? '').replace(/\s+/g, ''), 'base64').toString('base64'));
}

function object(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what} is not an object`);
  return value as Record<string, unknown>;
}

function parse(text: string, what: string): Record<string, unknown> {
  try {
    return object(JSON.parse(text), what);
  } catch (error) {
    throw new Error(`${what} is not JSON (${(error as Error).message})`, { cause: error });
  }
}

/** The Rekor entry of `dev.sigstore.cosign/bundle` as a bundle's transparency-log entry. */
function tlogEntry(text: string): SerializedBundle['verificationMaterial']['tlogEntries'][number] {
  const rekor = parse(text, 'the Rekor bundle annotation');
  const payload = object(rekor.Payload, 'the Rekor bundle payload');
  const { body, integratedTime, logIndex, logID } = payload;
  if (typeof body !== 'string' || typeof logID !== 'string' || !/^[0-9a-f]+$/i.test(logID))
    throw new Error('the Rekor bundle annotation lacks its entry body or log ID');
  if (!Number.isSafeInteger(integratedTime) || !Number.isSafeInteger(logIndex))
    throw new Error('the Rekor bundle annotation lacks its integrated time or log index');
  if (typeof rekor.SignedEntryTimestamp !== 'string') throw new Error('the Rekor bundle annotation lacks its signed entry timestamp');
  const entry = parse(Buffer.from(body, 'base64').toString('utf8'), 'the Rekor entry body');
  if (typeof entry.kind !== 'string' || typeof entry.apiVersion !== 'string') throw new Error('the Rekor entry body names no kind');
  return {
    logIndex: String(logIndex),
    logId: { keyId: Buffer.from(logID, 'hex').toString('base64') },
    kindVersion: { kind: entry.kind, version: entry.apiVersion },
    integratedTime: String(integratedTime),
    inclusionPromise: { signedEntryTimestamp: rekor.SignedEntryTimestamp },
    inclusionProof: undefined,
    canonicalizedBody: body,
  };
}

function verificationMaterial(annotations: Readonly<Record<string, string>>): SerializedBundle['verificationMaterial'] {
  const certificate = annotationValue(annotations, annotation.certificate);
  const chain = annotationValue(annotations, annotation.chain);
  const rekor = annotationValue(annotations, annotation.rekorBundle);
  const timestamp = annotationValue(annotations, annotation.timestamp);
  const signedTimestamp =
    timestamp === undefined ? undefined : parse(timestamp, 'the RFC 3161 timestamp annotation').SignedRFC3161Timestamp;
  if (timestamp !== undefined && typeof signedTimestamp !== 'string')
    throw new Error('the RFC 3161 timestamp annotation holds no timestamp');
  const chainCertificates = [
    ...(certificate === undefined ? [] : certificates(certificate)),
    ...(chain === undefined ? [] : certificates(chain)),
  ];
  if (certificate !== undefined && chainCertificates.length === 0) throw new Error('the certificate annotation holds no PEM certificate');
  return {
    ...(certificate === undefined
      ? { publicKey: { hint: '' } }
      : { x509CertificateChain: { certificates: chainCertificates.map((rawBytes) => ({ rawBytes })) } }),
    tlogEntries: rekor === undefined ? [] : [tlogEntry(rekor)],
    timestampVerificationData: { rfc3161Timestamps: typeof signedTimestamp === 'string' ? [{ signedTimestamp }] : [] },
  } as SerializedBundle['verificationMaterial'];
}

const bundleV01 = 'application/vnd.dev.sigstore.bundle+json;version=0.1';

/** A `.sig` layer: the simple-signing payload signed as a message. */
export function simpleSigningBundle(payload: Buffer, annotations: Readonly<Record<string, string>>): SerializedBundle {
  const signature = annotationValue(annotations, annotation.signature);
  if (signature === undefined || signature === '') throw new Error(`the layer has no ${annotation.signature} annotation`);
  return {
    mediaType: bundleV01,
    verificationMaterial: verificationMaterial(annotations),
    messageSignature: {
      messageDigest: { algorithm: 'SHA2_256', digest: createHash('sha256').update(payload).digest('base64') },
      signature,
    },
  } as SerializedBundle;
}

/** A `.att` layer: a DSSE envelope. */
export function envelopeBundle(envelopeText: Buffer, annotations: Readonly<Record<string, string>>): SerializedBundle {
  const envelope = parse(envelopeText.toString('utf8'), 'the DSSE envelope');
  const { payload, payloadType, signatures } = envelope;
  if (typeof payload !== 'string' || typeof payloadType !== 'string' || !Array.isArray(signatures))
    throw new Error('the DSSE envelope lacks its payload, payload type or signatures');
  return {
    mediaType: bundleV01,
    verificationMaterial: verificationMaterial(annotations),
    dsseEnvelope: {
      payload,
      payloadType,
      signatures: signatures.map((entry) => {
        const { sig, keyid } = object(entry, 'a DSSE signature');
        if (typeof sig !== 'string') throw new Error('a DSSE signature has no sig');
        return { sig, keyid: typeof keyid === 'string' ? keyid : '' };
      }),
    },
  } as SerializedBundle;
}

/** The digest a simple-signing payload says it signs (`critical.image.docker-manifest-digest`). */
export function signedManifestDigest(payload: Buffer): string {
  const json = parse(payload.toString('utf8'), 'the simple-signing payload');
  const critical = object(json.critical, 'the simple-signing payload critical section');
  if (critical.type !== 'cosign container image signature') throw new Error('the payload is not a cosign container image signature');
  const digest = object(critical.image, 'the simple-signing payload image')['docker-manifest-digest'];
  if (typeof digest !== 'string') throw new Error('the payload names no docker-manifest-digest');
  return digest;
}
