// Signing a statement into a Sigstore bundle (v0.3, a DSSE envelope) with @sigstore/sign, the Sigstore
// project's own signer: with the attest-key (ECDSA P-256 over SHA-256, Node's crypto, the key's
// digest as its hint), or keyless (a Fulcio certificate for the job's OIDC token and a Rekor entry),
// as actions/attest-build-provenance signs.
import { sign } from 'node:crypto';
import { bundleToJSON } from '@sigstore/bundle';
import { DSSEBundleBuilder, FulcioSigner, RekorWitness, type Signer } from '@sigstore/sign';
import type { AttestPolicy } from '../settings/attest.js';
import { inTotoPayloadType } from './provenance.js';

export const bundleMediaType = 'application/vnd.dev.sigstore.bundle.v0.3+json';

export interface StatementSigner {
  /** Who signs: `key sha256:...`, or the workflow that keyless signing certifies. */
  readonly label: string;
  /** The statement signed, as the bundle's JSON bytes. */
  sign(statement: Buffer): Promise<Buffer>;
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
      const bundle = await builder.create({ data: statement, type: inTotoPayloadType });
      return Buffer.from(JSON.stringify(bundleToJSON(bundle)));
    },
  };
}
