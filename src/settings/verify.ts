// What must verify before an image moves: the verify inputs read into a policy. Keys and the trusted
// root are read here, once, from files the workflow names (or PEM text given inline); a file in the
// checkout is trusted material a pull request can change, and a notice says so.
import { createPublicKey, createHash, type KeyObject } from 'node:crypto';
import path from 'node:path';
import { type ModeName, modes, modesWhere } from '../modes/catalog.js';
import type { Workspace } from '../workspace.js';
import { type Env, SettingsError, inCheckout, input, listInput, maxInputFileBytes, readInputFile } from './inputs.js';

export const verifyKinds = ['none', 'signature', 'attestation'] as const;
export const verifyModes = ['enforce', 'warn'] as const;

export interface VerifyKey {
  /** How the log and the summary name it: `key sha256:<first 12 hex of the SPKI digest>`, or the file's name. */
  readonly label: string;
  readonly key: KeyObject;
}

export interface VerifyPolicy {
  readonly kind: 'signature' | 'attestation';
  /** For attestations: the in-toto predicate type that must be attested. */
  readonly predicateType?: string;
  readonly mode: 'enforce' | 'warn';
  readonly keys: readonly VerifyKey[];
  /** Keyless: the certificate's subject, exactly or as a whole-string pattern, and its OIDC issuer. */
  readonly identity?: string;
  readonly identityPattern?: RegExp;
  readonly issuer?: string;
  /** The trusted_root.json text; undefined for keyless verification with the public-good root (fetched through TUF). */
  readonly trustedRoot?: string;
}

export interface VerifySettings {
  readonly verify: VerifyPolicy | undefined;
}

const pemBlock = /-----BEGIN (?:[A-Z0-9 ]+ )?PUBLIC KEY-----[\s\S]+?-----END (?:[A-Z0-9 ]+ )?PUBLIC KEY-----/g;

function checkoutNotice(name: string, files: Workspace, file: string): string {
  return `${name}: ${path.relative(files.root, file)} is in the checkout, so a pull request can change what ferry trusts; keep it outside the workspace (a secret or a file written to RUNNER_TEMP)`;
}

/** How the log, the summary and a bundle's hint name a key: `key sha256:` and the first 12 hex of its public key's SPKI digest. */
export function keyLabel(key: KeyObject): string {
  const spki = (key.type === 'private' ? createPublicKey(key) : key).export({ type: 'spki', format: 'der' });
  return `key sha256:${createHash('sha256').update(spki).digest('hex').slice(0, 12)}`;
}

function publicKeys(name: string, text: string, origin: string | undefined): VerifyKey[] {
  const blocks = text.match(pemBlock) ?? [];
  if (blocks.length === 0) throw new SettingsError(name, `${origin ?? 'the value'} holds no PEM public key`);
  return blocks.map((block, at) => {
    let key: KeyObject;
    try {
      key = createPublicKey(block);
    } catch (error) {
      throw new SettingsError(name, `${origin ?? 'the value'}: key ${at + 1} is not a public key (${(error as Error).message})`);
    }
    const kind = key.asymmetricKeyType;
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const usable = kind === 'rsa' || kind === 'ed25519' || (kind === 'ec' && (curve === 'prime256v1' || curve === 'secp384r1'));
    if (!usable)
      throw new SettingsError(
        name,
        `${origin ?? 'the value'}: key ${at + 1} is ${kind} ${curve ?? ''}; use ECDSA P-256 or P-384, RSA or Ed25519`,
      );
    return { key, label: keyLabel(key) };
  });
}

/** The verify-key input: inline PEM text, or paths (one per line or comma-separated) of PEM files. */
function readKeys(env: Env, files: Workspace, notices: string[]): VerifyKey[] {
  const text = input(env, 'verify-key');
  if (text === '') return [];
  if (text.includes('-----BEGIN')) return publicKeys('verify-key', text, undefined);
  return listInput(env, 'verify-key').flatMap((name) => {
    const file = path.resolve(files.root, name);
    if (inCheckout(files, file)) notices.push(checkoutNotice('verify-key', files, file));
    return publicKeys('verify-key', readInputFile('verify-key', file, maxInputFileBytes), name);
  });
}

function identityPattern(text: string): RegExp {
  try {
    // Anchored: a pattern meant for one repository's workflows must not match a name that merely contains it.
    return new RegExp(`^(?:${text})$`, 'u');
  } catch (error) {
    throw new SettingsError('verify-identity-regexp', `${JSON.stringify(text)} is not a regular expression (${(error as Error).message})`);
  }
}

export function verifySettings(env: Env, files: Workspace, mode: ModeName): { settings: VerifySettings; notices: string[] } {
  const notices: string[] = [];
  const kindText = input(env, 'verify') || 'none';
  if (!(verifyKinds as readonly string[]).includes(kindText))
    throw new SettingsError('verify', `${JSON.stringify(kindText)} is not one of ${verifyKinds.join(', ')}`);
  const related = [
    'verify-mode',
    'verify-key',
    'verify-identity',
    'verify-identity-regexp',
    'verify-issuer',
    'verify-predicate-type',
    'trusted-root',
  ];
  if (kindText === 'none') {
    // The runner passes every input's default: verify-mode's own default says nothing.
    for (const name of related) {
      const value = input(env, name);
      if (value !== '' && !(name === 'verify-mode' && value === 'enforce'))
        notices.push(`${name}: does nothing without verify (signature or attestation)`);
    }
    return { settings: { verify: undefined }, notices };
  }
  if (!modes[mode].readsRegistries)
    throw new SettingsError(
      'verify',
      `${mode} mode reads no registry, so it has nothing to verify: use ${modesWhere((facts) => facts.readsRegistries)}`,
    );
  const modeText = input(env, 'verify-mode') || 'enforce';
  if (!(verifyModes as readonly string[]).includes(modeText))
    throw new SettingsError('verify-mode', `${JSON.stringify(modeText)} is not one of ${verifyModes.join(', ')}`);
  const predicateType = input(env, 'verify-predicate-type');
  if (kindText === 'attestation' && predicateType === '')
    throw new SettingsError(
      'verify-predicate-type',
      'verify: attestation needs the predicate type to check, for example https://slsa.dev/provenance/v1',
    );
  if (kindText === 'signature' && predicateType !== '') notices.push('verify-predicate-type: does nothing with verify: signature');

  const keys = readKeys(env, files, notices);
  const identity = input(env, 'verify-identity');
  const identityRegexp = input(env, 'verify-identity-regexp');
  const issuer = input(env, 'verify-issuer');
  if (identity !== '' && identityRegexp !== '')
    throw new SettingsError('verify-identity', 'set verify-identity or verify-identity-regexp, not both');
  const keyless = identity !== '' || identityRegexp !== '' || issuer !== '';
  if (keyless && (issuer === '' || (identity === '' && identityRegexp === '')))
    throw new SettingsError(
      issuer === '' ? 'verify-issuer' : 'verify-identity',
      'keyless verification needs both the identity (verify-identity or verify-identity-regexp) and the issuer (verify-issuer)',
    );
  if (!keyless && keys.length === 0)
    throw new SettingsError(
      'verify',
      'say whom to trust: verify-key (public keys), or verify-identity and verify-issuer (keyless signing)',
    );

  const rootName = input(env, 'trusted-root');
  let trustedRoot: string | undefined;
  if (rootName !== '') {
    const file = path.resolve(files.root, rootName);
    if (inCheckout(files, file)) notices.push(checkoutNotice('trusted-root', files, file));
    trustedRoot = readInputFile('trusted-root', file, maxInputFileBytes);
    try {
      JSON.parse(trustedRoot);
    } catch (error) {
      throw new SettingsError('trusted-root', `${rootName} is not JSON (${(error as Error).message})`);
    }
  } else if (keyless && modes[mode].readsArchive) {
    throw new SettingsError(
      'trusted-root',
      'unpackage verifies offline: keyless verification needs the Sigstore trusted_root.json from the importing side (ferry never takes trust material from the archive)',
    );
  }
  return {
    settings: {
      verify: {
        kind: kindText as 'signature' | 'attestation',
        ...(predicateType === '' ? {} : { predicateType }),
        mode: modeText as 'enforce' | 'warn',
        keys,
        ...(identity === '' ? {} : { identity }),
        ...(identityRegexp === '' ? {} : { identityPattern: identityPattern(identityRegexp) }),
        ...(issuer === '' ? {} : { issuer }),
        ...(trustedRoot === undefined ? {} : { trustedRoot }),
      },
    },
    notices,
  };
}
