// Whether each copy is attested, and with what: the attest inputs read into a policy. A key is read
// once, from PEM text (a secret) or a file, and must be ECDSA P-256 as the Sigstore clients sign with;
// without one, keyless signing needs the job's OIDC token, which the runner gives only to a job with
// `permissions: id-token: write`: its absence is a clear error before anything is pushed.
import { type KeyObject, createPrivateKey, createPublicKey } from 'node:crypto';
import path from 'node:path';
import { type ModeName, modes } from '../modes/catalog.js';
import type { Workspace } from '../workspace.js';
import { type Env, SettingsError, inCheckout, input, maxInputFileBytes, readInputFile } from './inputs.js';
import { keyLabel } from './verify.js';

export const attestKinds = ['none', 'provenance'] as const;
/** The public-good Sigstore instance, as actions/attest-build-provenance signs with it. */
export const publicGoodFulcio = 'https://fulcio.sigstore.dev';
export const publicGoodRekor = 'https://rekor.sigstore.dev';

export interface AttestKey {
  readonly privateKey: KeyObject;
  /** The key's PEM text, masked in the log however the input gave it (text, base64, a file). */
  readonly pem: string;
  readonly publicPem: string;
  /** `key sha256:<first 12 hex of the public key's SPKI digest>`, as verify-key names keys. */
  readonly label: string;
}

export interface AttestPolicy {
  /** A key to sign with; undefined for keyless signing (Fulcio and Rekor). */
  readonly key?: AttestKey;
  readonly fulcioUrl: string;
  readonly rekorUrl: string;
}

export interface AttestSettings {
  readonly attest: AttestPolicy | undefined;
}

/** The private key of the attest-key input: PEM text, or the path of a PEM file. */
function readKey(env: Env, files: Workspace, notices: string[]): AttestKey | undefined {
  const text = input(env, 'attest-key');
  if (text === '') return undefined;
  let pem = text;
  // A secret is often kept base64-encoded: PEM text inside is taken as it is.
  const decoded = /^[A-Za-z0-9+/=\s]+$/.test(text) ? Buffer.from(text, 'base64').toString('utf8') : '';
  if (decoded.includes('-----BEGIN')) pem = decoded;
  else if (!text.includes('-----BEGIN')) {
    const file = path.resolve(files.root, text);
    if (inCheckout(files, file))
      notices.push('attest-key: the key file is in the checkout: a private key does not belong in a repository; pass it as a secret');
    try {
      pem = readInputFile('attest-key', file, maxInputFileBytes);
    } catch {
      // Neither the value nor the path is quoted: the value may be the key itself, in a form ferry did not recognise.
      throw new SettingsError('attest-key', 'the value is neither PEM text (plain or base64) nor the path of a readable file');
    }
  }
  if (pem.includes('ENCRYPTED SIGSTORE PRIVATE KEY'))
    throw new SettingsError(
      'attest-key',
      "the key is cosign's encrypted format, which only cosign decrypts: give an unencrypted PKCS#8 or SEC1 PEM ECDSA P-256 key (openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt), which cosign import-key-pair takes too",
    );
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    // The key's text is never quoted: it is a secret.
    throw new SettingsError('attest-key', 'the value is not a PEM private key (an unencrypted PKCS#8 or SEC1 ECDSA P-256 key)');
  }
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
    throw new SettingsError(
      'attest-key',
      `the key is ${privateKey.asymmetricKeyType ?? 'unknown'} ${privateKey.asymmetricKeyDetails?.namedCurve ?? ''}; attestations are signed with ECDSA P-256, as cosign and the Sigstore clients sign`,
    );
  return {
    privateKey,
    pem,
    publicPem: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString(),
    label: keyLabel(privateKey),
  };
}

/** A Sigstore service's URL (http or https: a private instance may be plain HTTP inside its network). */
function serviceUrl(env: Env, name: string, fallback: string): string {
  const text = input(env, name) || fallback;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SettingsError(name, `${JSON.stringify(text)} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new SettingsError(name, `${url.protocol} is not http or https`);
  return text.replace(/\/+$/, '');
}

export function attestSettings(env: Env, files: Workspace, mode: ModeName): { settings: AttestSettings; notices: string[] } {
  const notices: string[] = [];
  const kind = input(env, 'attest') || 'none';
  if (!(attestKinds as readonly string[]).includes(kind))
    throw new SettingsError('attest', `${JSON.stringify(kind)} is not one of ${attestKinds.join(', ')}`);
  const key = readKey(env, files, notices);
  if (kind === 'none') {
    if (key !== undefined) notices.push('attest-key: does nothing without attest: provenance');
    return { settings: { attest: undefined }, notices };
  }
  if (!modes[mode].pushes) notices.push(`attest: does nothing in ${mode} mode, which pushes no image`);
  if (key === undefined && modes[mode].pushes && (env.ACTIONS_ID_TOKEN_REQUEST_URL ?? '') === '')
    throw new SettingsError(
      'attest',
      "keyless attestation signs with the job's OIDC token, and this job has none: give the job `permissions: id-token: write` (and contents: read), or sign with attest-key",
    );
  return {
    settings: {
      attest: {
        ...(key === undefined ? {} : { key }),
        fulcioUrl: serviceUrl(env, 'attest-fulcio-url', publicGoodFulcio),
        rekorUrl: serviceUrl(env, 'attest-rekor-url', publicGoodRekor),
      },
    },
    notices,
  };
}
