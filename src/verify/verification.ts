// What vouched for an image (a Verification, in result.ts), in the words the log, the summary, the
// `images` output and the lock use. Kept apart from the verifier, so reading a result does not load the
// Sigstore libraries.
import type { Verification } from '../result.js';

/** `signature by key sha256:…`, `attestation https://slsa.dev/provenance/v1 by …, each platform`. */
export function verificationText(verification: Verification): string {
  const what = verification.predicateType === undefined ? verification.kind : `${verification.kind} ${verification.predicateType}`;
  const made = verification.madeOf === undefined ? '' : `, of the index ${verification.madeOf} it was cut from`;
  return `${what} by ${verification.by}${verification.perPlatform ? ', each platform' : ''}${made}`;
}
