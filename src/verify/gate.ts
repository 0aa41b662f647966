// The gate every mode that moves or pins images passes before its first write: each distinct image
// checked once, its evidence read from its source (a registry, or the archive itself when importing),
// verified under the policy. An image verifies when evidence names its own digest; an index with none
// of its own verifies when every platform's image does (cosign signs each platform with --recursive).
// With `enforce`, an image that does not verify is a failure of the run; with `warn`, a warning.
import pLimit from 'p-limit';
import type { ManifestBudget } from '../copy/budget.js';
import type { ImageSource } from '../copy/endpoint.js';
import type { Descriptor, Platform } from '../oci/descriptor.js';
import { filterManifest } from '../copy/platforms.js';
import { shortened } from '../untrusted-text.js';
import { isAttestationManifest } from '../oci/manifest.js';
import type { ImageEntry } from '../images.js';
import { decodeManifest } from '../oci/manifest.js';
import type { Failure } from '../result.js';
import type { VerifyPolicy } from '../settings/verify.js';
import { readEvidence } from './evidence.js';
import { ImageVerifier } from './verifier.js';
import type { Verification } from '../result.js';

export interface VerifyTarget {
  readonly entry: ImageEntry;
  readonly source: ImageSource;
  readonly digest: string;
  /**
   * The index `digest` was cut from by a platform filter, the filter already checked against that
   * index's bytes: evidence for the index verifies the copy, which holds nothing the index does not.
   */
  readonly madeOf?: string;
}

export interface GateResult {
  /** By the image string as found. */
  readonly verified: ReadonlyMap<string, Verification>;
  /** enforce: the images that did not verify, each with its reason. */
  readonly failures: readonly Failure[];
  /** warn: the same, as warnings; the images go on. */
  readonly warnings: readonly Failure[];
}

/** At most this many reasons are named for one image. */
const reasonsNamed = 3;

async function verifyDigest(
  verifier: ImageVerifier,
  source: ImageSource,
  digest: string,
  signaturesOnly: boolean,
  budget: ManifestBudget | undefined,
): Promise<Verification | string> {
  const evidence = await readEvidence(source, digest, signaturesOnly, budget);
  if (evidence.length === 0) return 'no signature or attestation found';
  const reasons: string[] = [];
  for (const item of evidence) {
    const outcome = verifier.check(item, digest);
    if (typeof outcome !== 'string') return outcome;
    reasons.push(`${item.origin}: ${outcome}`);
  }
  const more = reasons.length > reasonsNamed ? `; and ${reasons.length - reasonsNamed} more` : '';
  return `${evidence.length} found, none verified (${reasons.slice(0, reasonsNamed).join('; ')}${more})`;
}

/** At most this many platforms of an index are verified one by one. */
const maxPlatforms = 64;

/**
 * Whether an index's child is buildx's attestation manifest of a sibling: `unknown/unknown`, naming a
 * sibling's digest. Only such a child may go unsigned; a child that merely says it is one could be
 * the image a platform filter picks.
 */
function attestsSibling(child: Descriptor, siblings: readonly Descriptor[]): boolean {
  const of = child.annotations?.['vnd.docker.reference.digest'];
  return (
    isAttestationManifest(child) &&
    child.platform?.os === 'unknown' &&
    child.platform.architecture === 'unknown' &&
    siblings.some((sibling) => sibling !== child && sibling.digest === of)
  );
}

async function verifyImage(
  verifier: ImageVerifier,
  source: ImageSource,
  digest: string,
  signaturesOnly: boolean,
  budget: ManifestBudget | undefined,
  madeOf?: string,
  filter?: readonly Platform[],
): Promise<Verification | string> {
  const own = await verifyDigest(verifier, source, digest, signaturesOnly, budget);
  if (typeof own !== 'string') return own;
  if (madeOf !== undefined) {
    const origin = await verifyDigest(verifier, source, madeOf, signaturesOnly, budget);
    if (typeof origin !== 'string') return { ...origin, madeOf };
  }
  budget?.take(`${source.key}@${digest}`);
  const manifest = await source.getManifest(digest);
  // Under a platform filter, the platforms the copy keeps: what the filter makes of the index, which a
  // platform the run leaves behind does not need to be signed for. A filter that cannot be made (a
  // platform the index lacks) leaves every platform to verify, and the copy to say what is missing.
  const made =
    filter === undefined
      ? undefined
      : await filterManifest(manifest, filter, (at, mediaType) => source.getManifest(at, mediaType)).catch(() => undefined);
  const decoded = decodeManifest(made ?? manifest);
  const platforms =
    made !== undefined && decoded.kind !== 'index'
      ? [made.descriptor]
      : decoded.kind === 'index'
        ? decoded.children.filter((child) => !attestsSibling(child, decoded.children))
        : [];
  if (platforms.length === 0) return own;
  if (platforms.length > maxPlatforms)
    return `${own}; its ${platforms.length} platforms are more than the ${maxPlatforms} ferry verifies one by one`;
  const each = await Promise.all(platforms.map((child) => verifyDigest(verifier, source, child.digest, signaturesOnly, budget)));
  const failed = each.findIndex((outcome) => typeof outcome === 'string');
  if (failed >= 0) return `${own}; platform ${platforms[failed]?.digest}: ${each[failed] as string}`;
  const first = each[0] as Verification;
  return { ...first, perPlatform: true };
}

export async function verifyImages(
  policy: VerifyPolicy,
  targets: readonly VerifyTarget[],
  options: {
    readonly concurrency: number;
    readonly signaturesOnly: boolean;
    readonly tufCache?: string;
    readonly budget?: ManifestBudget;
    /** The run's platform filter: an index verifies by the platforms it keeps. */
    readonly platforms?: readonly Platform[];
  },
): Promise<GateResult> {
  const verifier = await ImageVerifier.create(policy, options.tufCache);
  const limit = pLimit(options.concurrency);
  const checks = new Map<string, Promise<Verification | string>>();
  const outcomes = await Promise.all(
    targets.map(async (target) => {
      const key = `${target.source.key}@${target.digest}@${target.madeOf ?? ''}`;
      let check = checks.get(key);
      if (check === undefined) {
        const { source, digest, madeOf } = target;
        check = limit(() => verifyImage(verifier, source, digest, options.signaturesOnly, options.budget, madeOf, options.platforms)).catch(
          (error: unknown) => `its signatures could not be read (${(error as Error).message})`,
        );
        checks.set(key, check);
      }
      return [target.entry.image, await check] as const;
    }),
  );
  const verified = new Map<string, Verification>();
  const unverified: Failure[] = [];
  for (const [image, outcome] of outcomes) {
    if (typeof outcome === 'string')
      unverified.push({ image, message: `${image}: not verified (${policy.kind}): ${shortened(outcome, 1500)}` });
    else verified.set(image, outcome);
  }
  return policy.mode === 'enforce' ? { verified, failures: unverified, warnings: [] } : { verified, failures: [], warnings: unverified };
}
