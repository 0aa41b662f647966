// What vouched for an image, as plain data: what the log, the summary, the `images` output and the lock
// say of it. Kept apart from the verifier, so reading a result does not load the Sigstore libraries.
export interface Verification {
  /** `key sha256:…`, or `identity (issuer)`. */
  readonly by: string;
  readonly kind: 'signature' | 'attestation';
  readonly predicateType?: string;
  /** When the index has no signature of its own and each platform's verified instead. */
  readonly perPlatform?: boolean;
}

/** `signature by key sha256:…`, `attestation https://slsa.dev/provenance/v1 by …, each platform`. */
export function verificationText(verification: Verification): string {
  const what = verification.predicateType === undefined ? verification.kind : `${verification.kind} ${verification.predicateType}`;
  return `${what} by ${verification.by}${verification.perPlatform ? ', each platform' : ''}`;
}
