// Signing a statement into a Sigstore bundle (v0.3, a DSSE envelope) with @sigstore/sign, the Sigstore
// project's own signer: with the attest-key (ECDSA P-256 over SHA-256, Node's crypto, the key's
// digest as its hint), or keyless (a Fulcio certificate for the job's OIDC token and a Rekor entry),
// as actions/attest-build-provenance signs.
import { createPublicKey, sign, verify } from 'node:crypto';
import { bundleToJSON } from '@sigstore/bundle';
import { dsse } from '@sigstore/core';
import { DSSEBundleBuilder, FulcioSigner, RekorWitness, type Signer } from '@sigstore/sign';
import type { AttestPolicy } from '../settings/attest.js';
import { inTotoPayloadType } from './provenance.js';

export const bundleMediaType = 'application/vnd.dev.sigstore.bundle.v0.3+json';

export interface StatementSigner {
  /** Who signs: `key sha256:...`, or the workflow that keyless signing certifies. */
  readonly label: string;
  /** The statement signed, as the bundle's JSON bytes. */
  sign(statement: Buffer): Promise<Buffer>;
  /**
   * Whether `bundle` is this signer's statement about `subject` (`name`, `digest`): with a key, its
   * DSSE signature checked against the key over DSSE's pre-authentication encoding; keyless, the
   * statement alone (a certificate's identity is checked by verify, with a trusted root).
   */
  vouches(bundle: Buffer, name: string, digest: string): Promise<boolean>;
}

/** Signs with the policy's key, else keyless with `idToken` (the job's OIDC token for the audience `sigstore`). */
export function statementSigner(policy: AttestPolicy, idToken: () => Promise<string>, workflow: string): StatementSigner {
  const key = policy.key;
  const signer: Signer =
    key === undefined
      ? new FulcioSigner({ identityProvider: { getToken: idToken }, fulcioBaseURL: policy.fulcioUrl, retry: 2, timeout: 30_000 })
      : {
          sign: async (data) => ({
            signature: sign('sha256', data, key.privateKey),
            key: { $case: 'publicKey', publicKey: key.publicPem, hint: key.label.slice('key '.length) },
          }),
        };
  const builder = new DSSEBundleBuilder({
    signer,
    witnesses: key === undefined ? [new RekorWitness({ rekorBaseURL: policy.rekorUrl, entryType: 'dsse', retry: 2, timeout: 30_000 })] : [],
  });
  return {
    label: key?.label ?? `keyless ${workflow}`,
    async sign(statement) {
      try {
        const bundle = await builder.create({ data: statement, type: inTotoPayloadType });
        return Buffer.from(JSON.stringify(bundleToJSON(bundle)));
      } catch (error) {
        // Sigstore's errors keep what went wrong in their cause: say all of it.
        const causes: string[] = [];
        for (let at: unknown = error; at instanceof Error && causes.length < 4; at = at.cause) causes.push(at.message);
        throw new Error(`attest: signing failed: ${causes.join(': ')}`, { cause: error });
      }
    },
    async vouches(bundle, name, digest) {
      const parsed = JSON.parse(bundle.toString('utf8')) as {
        dsseEnvelope?: { payload?: string; payloadType?: string; signatures?: { sig?: string }[] };
      };
      const envelope = parsed.dsseEnvelope;
      if (envelope?.payload === undefined || envelope.payloadType !== inTotoPayloadType) return false;
      const payload = Buffer.from(envelope.payload, 'base64');
      const statement = JSON.parse(payload.toString('utf8')) as { subject?: { name?: string; digest?: Record<string, string> }[] };
      const [subject] = statement.subject ?? [];
      if (subject?.name !== name || `sha256:${subject.digest?.sha256 ?? ''}` !== digest) return false;
      if (key === undefined) return true;
      const signature = envelope.signatures?.[0]?.sig;
      return (
        signature !== undefined &&
        verify(
          'sha256',
          dsse.preAuthEncoding(envelope.payloadType, payload),
          createPublicKey(key.privateKey),
          Buffer.from(signature, 'base64'),
        )
      );
    },
  };
}
