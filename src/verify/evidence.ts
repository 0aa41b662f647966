// What an image's source holds that could vouch for it: cosign's `.sig` and `.att` digest tags and
// Sigstore bundles stored as OCI referrers, each read into a bundle and what it claims to sign. Every
// read is bounded (how many candidates, how many layers, how large a layer) and every blob checked
// against its digest: the source is untrusted, and all it can do is fail to vouch.
import { type Bundle, bundleFromJSON } from '@sigstore/bundle';
import type { ManifestBudget } from '../copy/budget.js';
import { type ImageSource, digestTag } from '../copy/endpoint.js';
import type { Descriptor } from '../oci/descriptor.js';
import { decodeManifest } from '../oci/manifest.js';
import { maxManifestBytes } from '../oci/limits.js';
import { readWhole } from '../oci/digest.js';
import { shortened } from '../untrusted-text.js';
import { dsseEnvelopeType, envelopeBundle, signedManifestDigest, simpleSigningBundle, simpleSigningType } from './cosign.js';

/** What a piece of evidence says it signs. */
export type Claim =
  | { readonly type: 'image-signature'; readonly digest: string }
  | { readonly type: 'statement'; readonly payload: Buffer; readonly payloadType: string };

export interface Evidence {
  /** Where it was found, for messages: `tag sha256-….sig`, `referrer sha256:…`. */
  readonly origin: string;
  readonly bundle?: Bundle;
  /** The bytes a message signature signs. */
  readonly artifact?: Buffer;
  readonly claim?: Claim;
  /** Why it could not be read; such evidence vouches for nothing. */
  readonly unreadable?: string;
}

export const sigstoreBundleType = /^application\/vnd\.dev\.sigstore\.bundle(?:\.v0\.3\+json|\+json;version=0\.[1-3])$/;
/** Bounds against a source that answers without end. */
const maxCandidates = 32;
const maxLayers = 16;

async function readBlob(source: ImageSource, blob: Descriptor): Promise<Buffer> {
  if (blob.size > maxManifestBytes)
    throw new Error(`${blob.digest} is ${blob.size} bytes, more than the ${maxManifestBytes} ferry reads as evidence`);
  return readWhole(source.openBlob(blob), blob);
}

function parseBundle(json: unknown): Bundle {
  try {
    return bundleFromJSON(json);
  } catch (error) {
    throw new Error(`not a Sigstore bundle (${(error as Error).message})`, { cause: error });
  }
}

function claimOf(bundle: Bundle, imageDigest: string): Claim | undefined {
  if (bundle.content.$case === 'dsseEnvelope') {
    const { payload, payloadType } = bundle.content.dsseEnvelope;
    return { type: 'statement', payload, payloadType };
  }
  // A message signature stored as a referrer signs the image's manifest itself.
  return { type: 'image-signature', digest: imageDigest };
}

/** The evidence in one candidate manifest: one per layer. */
async function readCandidate(
  source: ImageSource,
  imageDigest: string,
  descriptor: Descriptor,
  origin: string,
  budget: ManifestBudget | undefined,
): Promise<Evidence[]> {
  budget?.take(`${source.key}@${descriptor.digest}`);
  const manifest = await source.getManifest(descriptor.digest, descriptor.mediaType);
  const decoded = decodeManifest(manifest);
  const layers = decoded.kind === 'image' ? decoded.blobs.slice(1) : decoded.blobs;
  if (layers.length > maxLayers) return [{ origin, unreadable: `${layers.length} layers, more than the ${maxLayers} ferry reads` }];
  const found: Evidence[] = [];
  for (const layer of layers) {
    const at = layers.length === 1 ? origin : `${origin} layer ${found.length + 1}`;
    try {
      const bytes = await readBlob(source, layer);
      const annotations = layer.annotations ?? {};
      if (layer.mediaType === simpleSigningType) {
        const bundle = parseBundle(simpleSigningBundle(bytes, annotations));
        found.push({ origin: at, bundle, artifact: bytes, claim: { type: 'image-signature', digest: signedManifestDigest(bytes) } });
      } else if (layer.mediaType === dsseEnvelopeType) {
        const bundle = parseBundle(envelopeBundle(bytes, annotations));
        found.push({ origin: at, bundle, claim: claimOf(bundle, imageDigest) as Claim });
      } else if (sigstoreBundleType.test(layer.mediaType)) {
        let json: unknown;
        try {
          json = JSON.parse(bytes.toString('utf8'));
        } catch {
          throw new Error('the bundle is not JSON');
        }
        const bundle = parseBundle(json);
        const claim = claimOf(bundle, imageDigest);
        const artifact = bundle.content.$case === 'messageSignature' ? (await source.getManifest(imageDigest)).bytes : undefined;
        found.push({ origin: at, bundle, ...(artifact === undefined ? {} : { artifact }), ...(claim === undefined ? {} : { claim }) });
      }
    } catch (error) {
      found.push({ origin: at, unreadable: shortened((error as Error).message, 300) });
    }
  }
  return found;
}

/** Every piece of evidence the source holds for `digest`. */
export async function readEvidence(
  source: ImageSource,
  digest: string,
  signaturesOnly: boolean,
  budget?: ManifestBudget,
): Promise<Evidence[]> {
  const [referrers, tagged] = await Promise.all([source.referrers(digest, signaturesOnly), source.digestTags(digest, signaturesOnly)]);
  const candidates = [
    ...tagged
      .filter(({ tag }) => tag === `${digestTag(digest)}.sig` || tag === `${digestTag(digest)}.att`)
      .map(({ tag, descriptor }) => ({ descriptor, origin: `tag ${tag}` })),
    ...referrers
      .filter((descriptor) => sigstoreBundleType.test(descriptor.artifactType ?? ''))
      .map((descriptor) => ({ descriptor, origin: `referrer ${descriptor.digest}` })),
  ];
  if (candidates.length > maxCandidates)
    return [{ origin: digest, unreadable: `${candidates.length} signatures and attestations, more than the ${maxCandidates} ferry reads` }];
  const found = await Promise.all(
    candidates.map(({ descriptor, origin }) =>
      readCandidate(source, digest, descriptor, origin, budget).catch((error: unknown) => [
        { origin, unreadable: shortened((error as Error).message, 300) },
      ]),
    ),
  );
  return found.flat();
}
