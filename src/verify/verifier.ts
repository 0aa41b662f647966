// Whether evidence vouches for an image under the run's policy, checked by the Sigstore project's own
// verifier (@sigstore/verify): the signature over the signed bytes, the key or the certificate chain to
// a trusted Fulcio CA with its SCT, every transparency-log entry's signed timestamp or inclusion proof,
// the certificate's validity at a verified time (a log entry's or a timestamp authority's), the
// identity and issuer. What ferry adds is what the verifier cannot know: that the signed content names
// this image's digest, and, for attestations, the predicate type.
import { type KeyObject, verify } from 'node:crypto';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { type SignedEntity, type TrustMaterial, Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import type { VerifyPolicy } from '../settings/verify.js';
import { quoted, shortened } from '../untrusted-text.js';
import type { Claim, Evidence } from './evidence.js';
import type { Verification } from '../result.js';

/** The predicate type of cosign's own image signatures in the bundle format. */
const cosignSignPredicate = 'https://sigstore.dev/cosign/sign/v1';
const inTotoPayloadType = 'application/vnd.in-toto+json';
const emptyRoot = {
  mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  tlogs: [],
  certificateAuthorities: [],
  ctlogs: [],
  timestampAuthorities: [],
};

interface Trust {
  readonly label: string;
  readonly verifier: Verifier;
  /** Without a trusted root, a key's signature is checked alone: log entries and timestamps it cannot check are set aside. */
  readonly keyOnly: boolean;
  readonly certificate: boolean;
  /** An Ed25519 key signs the message itself, with no digest: checked as such (the verifier would hash it first). */
  readonly ed25519: boolean;
}

/** Past these, a bundle is refused before it is checked: the verifier compares every pair of them. */
const maxLogEntries = 4;
const maxTimestamps = 4;

/** The in-toto statement's subjects' sha256 digests and its predicate type; undefined when it is not one. */
function statementOf(claim: Extract<Claim, { type: 'statement' }>): { predicateType: string; digests: string[] } | undefined {
  if (claim.payloadType !== inTotoPayloadType) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(claim.payload.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const { predicateType, subject } = json as { predicateType?: unknown; subject?: unknown };
  if (typeof predicateType !== 'string' || !Array.isArray(subject)) return undefined;
  const digests = subject.flatMap((item: unknown) => {
    const sha256 = (item as { digest?: { sha256?: unknown } } | null)?.digest?.sha256;
    return typeof sha256 === 'string' ? [`sha256:${sha256.toLowerCase()}`] : [];
  });
  return { predicateType, digests };
}

export class ImageVerifier {
  private constructor(
    private readonly policy: VerifyPolicy,
    private readonly trusts: readonly Trust[],
  ) {}

  /** The verifier for a policy; keyless without a trusted root loads the public-good root through TUF (network). */
  static async create(policy: VerifyPolicy, tufCache?: string): Promise<ImageVerifier> {
    const rootJson = policy.trustedRoot === undefined ? undefined : (JSON.parse(policy.trustedRoot) as unknown);
    let root: TrustedRoot | undefined;
    if (rootJson !== undefined) {
      try {
        root = TrustedRoot.fromJSON(rootJson);
        toTrustMaterial(root);
      } catch (error) {
        throw new Error(`trusted-root: not a Sigstore trusted root (${(error as Error).message})`, { cause: error });
      }
    } else if (policy.issuer !== undefined) {
      const { getTrustedRoot } = await import('@sigstore/tuf');
      root = await getTrustedRoot(tufCache === undefined ? {} : { cachePath: tufCache });
    }
    const trusts: Trust[] = policy.keys.map(({ key, label }) => ({
      label,
      verifier: new Verifier(keyMaterial(policy.trustedRoot === undefined ? TrustedRoot.fromJSON(emptyRoot) : (root as TrustedRoot), key), {
        tlogThreshold: 0,
        ctlogThreshold: 0,
        timestampThreshold: 0,
      }),
      // Only a root the workflow names checks a key's log entries: the public-good root is for keyless.
      keyOnly: policy.trustedRoot === undefined,
      certificate: false,
      ed25519: key.asymmetricKeyType === 'ed25519',
    }));
    if (policy.issuer !== undefined && root !== undefined) {
      // A Fulcio certificate is valid for minutes: it counts only at a time a log entry or a timestamp authority vouches for.
      trusts.push({
        label: `${policy.identity ?? policy.identityPattern?.source ?? ''} (${policy.issuer})`,
        verifier: new Verifier(toTrustMaterial(root), { ctlogThreshold: 1, tlogThreshold: 0, timestampThreshold: 1 }),
        keyOnly: false,
        certificate: true,
        ed25519: false,
      });
    }
    return new ImageVerifier(policy, trusts);
  }

  /** What the evidence claims, checked against the image's digest and the policy; a reason when it does not fit. */
  private claimError(evidence: Evidence, digest: string): string | undefined {
    const { claim } = evidence;
    if (claim === undefined) return 'it claims nothing ferry can read';
    if (claim.type === 'image-signature') {
      if (this.policy.kind === 'attestation') return 'a signature, not an attestation';
      return claim.digest === digest ? undefined : `it signs ${quoted(claim.digest, 80)}, not ${digest}`;
    }
    const statement = statementOf(claim);
    if (statement === undefined) return 'its envelope holds no in-toto statement';
    const wanted = this.policy.kind === 'signature' ? cosignSignPredicate : this.policy.predicateType;
    if (statement.predicateType !== wanted) return `it attests ${quoted(statement.predicateType, 120)}, not ${wanted}`;
    if (!statement.digests.includes(digest)) return `its subjects do not include ${digest}`;
    return undefined;
  }

  /** The first trust the evidence verifies under, or the reason it verifies under none. */
  check(evidence: Evidence, digest: string): Verification | string {
    if (evidence.unreadable !== undefined) return evidence.unreadable;
    const claimError = this.claimError(evidence, digest);
    if (claimError !== undefined) return claimError;
    let entity: SignedEntity;
    try {
      entity = toSignedEntity(evidence.bundle as NonNullable<Evidence['bundle']>, evidence.artifact);
    } catch (error) {
      return `unusable bundle (${shortened((error as Error).message, 300)})`;
    }
    if (entity.tlogEntries.length > maxLogEntries || entity.timestamps.length > maxLogEntries + maxTimestamps)
      return `${entity.tlogEntries.length} log entries and ${entity.timestamps.length} timestamps, more than ferry checks`;
    const reasons: string[] = [];
    for (const trust of this.trusts) {
      if ((entity.key.$case === 'certificate') !== trust.certificate) {
        reasons.push(trust.certificate ? 'signed with a key, not a certificate' : `not signed with ${trust.label}`);
        continue;
      }
      let checked = trust.keyOnly ? { ...entity, tlogEntries: [], timestamps: [] } : entity;
      const message = evidence.artifact;
      if (trust.ed25519 && message !== undefined && evidence.bundle?.content.$case === 'messageSignature') {
        const { signature } = entity;
        // The library's own content object, with only the signature check replaced (its other checks are methods of it).
        const pure = Object.create(signature, {
          verifySignature: { value: (key: KeyObject) => verify(null, message, key, signature.signature) },
        }) as typeof signature;
        checked = { ...checked, signature: pure };
      }
      try {
        const signer = trust.verifier.verify(
          checked,
          trust.certificate
            ? {
                // A pattern is matched by the library (anchored when it was read); an exact identity is
                // compared here, since the library reads a string as an unanchored pattern.
                ...(this.policy.identityPattern === undefined ? {} : { subjectAlternativeName: this.policy.identityPattern }),
                extensions: { issuer: this.policy.issuer ?? '' },
              }
            : undefined,
        );
        const identity = signer.identity?.subjectAlternativeName;
        if (trust.certificate && this.policy.identity !== undefined && identity !== this.policy.identity) {
          reasons.push(`keyless: the certificate's identity is ${quoted(identity ?? '', 200)}, not ${this.policy.identity}`);
          continue;
        }
        const statement = evidence.claim?.type === 'statement' ? statementOf(evidence.claim) : undefined;
        return {
          by: trust.label,
          kind: this.policy.kind,
          ...(this.policy.kind === 'attestation' && statement !== undefined ? { predicateType: statement.predicateType } : {}),
        };
      } catch (error) {
        reasons.push(`${trust.certificate ? 'keyless' : trust.label}: ${shortened(sigstoreReason(error), 300)}`);
      }
    }
    return reasons.join('; ');
  }
}

/** A verifier's error as words: its code (`TLOG_INCLUSION_PROOF_ERROR`) says which check failed. */
function sigstoreReason(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  const check = typeof code === 'string' && /^[A-Z_]+$/.test(code) ? `${code.toLowerCase().replaceAll('_', ' ')}: ` : '';
  return `${check}${String(message)}`;
}

function keyMaterial(root: TrustedRoot, key: KeyObject): TrustMaterial {
  return toTrustMaterial(root, () => ({ publicKey: key, validFor: () => true }));
}
