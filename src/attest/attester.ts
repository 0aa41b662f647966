// Attesting a run's copies: for each image a mode put at a destination (every top-level digest a
// manifest is pinned to, not an index's children), a signed provenance statement as an OCI referrer
// of the image (an image manifest whose artifactType and one layer are the Sigstore bundle), as cosign
// 3 and attest-build-provenance write it. Everything is signed before the commit point, so a run that
// cannot sign fails with nothing written; the referrers are pushed at the commit point, before the
// tags, so a run that fails earlier leaves none. An image that already carries an attestation by the
// same signer from the same sources gets none more.
import type { Descriptor } from '../oci/descriptor.js';
import { Repository } from '../oci/repository.js';
import { digestOf, readWhole } from '../oci/digest.js';
import { ociManifest } from '../oci/media-types.js';
import { repositoryOf } from '../reference.js';
import type { Registries } from '../registry/registries.js';
import { listReferrers } from '../remote/facts.js';
import { RegistrySink } from '../remote/sink.js';
import type { Outcome, TagPut } from '../result.js';
import { digestTag } from '../copy/endpoint.js';
import { type CopyFacts, type RunFacts, provenanceStatement, provenanceType } from './provenance.js';
import { type StatementSigner, bundleMediaType } from './signing.js';

const signerAnnotation = 'dev.ferry.attestation.signer';
const sourcesAnnotation = 'dev.ferry.attestation.sources';

export interface PendingAttestation {
  /** Every reference (as found) whose copy this attests. */
  readonly images: readonly string[];
  readonly destination: Repository;
  readonly subject: Descriptor;
  readonly bundle: Buffer;
  readonly manifest: Buffer;
  /** The referrer's descriptor as its subject lists it: its artifact type and annotations with it. */
  readonly descriptor: Descriptor;
}

export interface Attestations {
  /** The referrers to push at the commit point. */
  readonly pending: readonly PendingAttestation[];
  /** Each reference's attestation digest: new, or one already there from the same signer and sources. */
  readonly byImage: ReadonlyMap<string, string>;
  /** References whose image already carried such an attestation. */
  readonly existing: ReadonlySet<string>;
}

/** OCI's empty config (`{}`), which an artifact manifest without a config of its own points at. */
const emptyConfigBytes = Buffer.from('{}');
const emptyConfigDescriptor: Descriptor = { mediaType: 'application/vnd.oci.empty.v1+json', digest: digestOf(emptyConfigBytes), size: 2 };

interface Copied {
  readonly destination: Repository;
  readonly subject: Descriptor;
  readonly images: string[];
  readonly sources: string[];
  readonly present: boolean;
  readonly verified: Outcome['verified'];
  /** The source's digest, before a platform filter made a new index of it. */
  readonly sourceDigest: string;
}

/** The distinct copies of a run: one per destination and digest, with every reference that names it. */
function copiesOf(outcomes: readonly Outcome[], sourceOf: (image: string) => string): Copied[] {
  const copies = new Map<string, Copied>();
  for (const outcome of outcomes) {
    const { copy, digest } = outcome;
    if (copy === undefined || digest === undefined || copy.destination === 'archive') continue;
    const destination = repositoryOf(outcome.newImage);
    const key = `${destination.key}@${digest}`;
    let found = copies.get(key);
    if (found === undefined) {
      found = {
        destination,
        subject: { mediaType: copy.mediaType, digest, size: copy.size },
        images: [],
        sources: [],
        present: copy.present,
        verified: outcome.verified,
        sourceDigest: copy.filteredFrom ?? digest,
      };
      copies.set(key, found);
    }
    found.images.push(outcome.image);
    const source = sourceOf(outcome.image);
    if (!found.sources.includes(source)) found.sources.push(source);
  }
  return [...copies.values()];
}

/** The referrer manifest of a bundle about `subject`. */
function referrerOf(
  subject: Descriptor,
  bundle: Buffer,
  annotations: Record<string, string>,
): { manifest: Buffer; descriptor: Descriptor } {
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: ociManifest,
      artifactType: bundleMediaType,
      config: emptyConfigDescriptor,
      layers: [{ mediaType: bundleMediaType, digest: digestOf(bundle), size: bundle.length }],
      subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
      annotations,
    }),
  );
  return {
    manifest,
    descriptor: {
      mediaType: ociManifest,
      digest: digestOf(manifest),
      size: manifest.length,
      artifactType: bundleMediaType,
      annotations,
    } as Descriptor,
  };
}

/**
 * An attestation of the copy by this signer from these sources, already at the destination: its
 * annotations say so, and (with a key) its bundle's signature and statement are checked, since anyone
 * who can push there can write annotations. Anything unexpected is a reason to sign anew, never to fail.
 */
async function attestedBefore(
  copy: Copied,
  sourcesText: string,
  signer: StatementSigner,
  registries: Registries,
): Promise<Descriptor | undefined> {
  try {
    const client = registries.client(copy.destination.registry);
    const referrers = await listReferrers(client, copy.destination.repository, copy.subject.digest, undefined);
    const candidates = referrers.filter(
      (referrer) =>
        referrer.artifactType === bundleMediaType &&
        referrer.annotations?.[signerAnnotation] === signer.label &&
        referrer.annotations?.[sourcesAnnotation] === sourcesText,
    );
    for (const candidate of candidates.slice(0, 3)) {
      const manifest = await client.getManifest(copy.destination.repository, candidate.digest);
      const layer = (manifest.json.layers as { digest?: string; size?: number }[] | undefined)?.[0];
      if ((manifest.json.subject as { digest?: string } | undefined)?.digest !== copy.subject.digest || typeof layer?.digest !== 'string')
        continue;
      if (typeof layer.size !== 'number' || layer.size > maxBundleBytes) continue;
      const bundle = await readWhole(client.getBlob(copy.destination.repository, layer.digest, layer.size), {
        digest: layer.digest,
        size: layer.size,
      });
      if (await signer.vouches(bundle, copy.destination.key, copy.subject.digest)) return candidate;
    }
  } catch {
    // Not listed, not readable, not ours: a new attestation says what this run did.
  }
  return undefined;
}

/** A bundle larger than this is not one ferry wrote. */
const maxBundleBytes = 1024 * 1024;

/**
 * Signs a statement for each copy of `outcomes` (in parallel, bounded by `limit`); `sourceOf` gives
 * the reference an image was fetched as, `archive` the archive it came from (unpackage).
 */
export async function attestCopies(
  outcomes: readonly Outcome[],
  options: {
    readonly signer: StatementSigner;
    readonly run: RunFacts;
    readonly registries: Registries;
    readonly sourceOf: (image: string) => string;
    readonly archiveOf?: (image: string) => CopyFacts['archive'];
    readonly limit: <T>(work: () => Promise<T>) => Promise<T>;
  },
): Promise<Attestations> {
  const pending: PendingAttestation[] = [];
  const byImage = new Map<string, string>();
  const existing = new Set<string>();
  await Promise.all(
    copiesOf(outcomes, options.sourceOf).map((copy) =>
      options.limit(async () => {
        const sources = [...copy.sources].sort();
        const sourcesText = sources.join(' ');
        // A re-run: the image was there; an attestation by the same signer of the same sources is enough.
        if (copy.present) {
          const same = await attestedBefore(copy, sourcesText, options.signer, options.registries);
          if (same !== undefined) {
            for (const image of copy.images) {
              byImage.set(image, same.digest);
              existing.add(image);
            }
            return;
          }
        }
        const archive = options.archiveOf?.(copy.images[0] ?? '');
        const statement = provenanceStatement(
          {
            destination: copy.destination.key,
            digest: copy.subject.digest,
            sources,
            sourceDigest: copy.sourceDigest,
            ...(archive === undefined ? {} : { archive }),
            ...(copy.verified === undefined ? {} : { verified: copy.verified }),
          },
          options.run,
        );
        const bundle = await options.signer.sign(statement);
        const { manifest, descriptor } = referrerOf(copy.subject, bundle, {
          'dev.sigstore.bundle.content': 'dsse-envelope',
          'dev.sigstore.bundle.predicateType': provenanceType,
          [signerAnnotation]: options.signer.label,
          [sourcesAnnotation]: sourcesText,
        });
        pending.push({ images: copy.images, destination: copy.destination, subject: copy.subject, bundle, manifest, descriptor });
        for (const image of copy.images) byImage.set(image, descriptor.digest);
      }),
    ),
  );
  return { pending, byImage, existing };
}

/**
 * Pushes the referrers (the commit point, before the tags): the bundle and OCI's empty config (once
 * per repository; each in one POST where the registry takes that), then the manifest. A registry
 * with the referrers API lists it by itself; elsewhere the tag schema index is the commit point's, with
 * the other referrers the run copied (`listings`).
 */
export async function pushAttestations(
  pending: readonly PendingAttestation[],
  registries: Registries,
  limit: <T>(work: () => Promise<T>) => Promise<void | T>,
): Promise<void> {
  const sinks = new Map<string, RegistrySink>();
  const sinkOf = (at: Repository): RegistrySink => {
    let sink = sinks.get(at.key);
    if (sink === undefined) {
      sink = new RegistrySink(registries, at);
      sinks.set(at.key, sink);
    }
    return sink;
  };
  // OCI's empty config, put once into each repository the run attests in, before any manifest there.
  const configs = new Map<string, Promise<unknown>>();
  const configIn = (at: Repository): Promise<unknown> => {
    let put = configs.get(at.key);
    if (put === undefined) {
      put = sinkOf(at).putSmallBlob(emptyConfigDescriptor, emptyConfigBytes);
      configs.set(at.key, put);
    }
    return put;
  };
  await Promise.all(
    pending.map((attestation) =>
      limit(async () => {
        const sink = sinkOf(attestation.destination);
        const layer: Descriptor = { mediaType: bundleMediaType, digest: digestOf(attestation.bundle), size: attestation.bundle.length };
        await Promise.all([configIn(attestation.destination), sink.putSmallBlob(layer, attestation.bundle)]);
        await sink.putManifest(
          { mediaType: ociManifest, digest: attestation.descriptor.digest, size: attestation.manifest.length },
          attestation.manifest,
        );
      }),
    ),
  );
}

/** The referrers tag schema listings of the attestations, for the commit point to make with the run's other tags. */
export function listings(pending: readonly PendingAttestation[]): TagPut[] {
  return pending.map(({ destination, subject, descriptor }) => ({
    registry: destination.registry,
    repository: destination.repository,
    tag: digestTag(subject.digest),
    digest: descriptor.digest,
    referrer: { subject: subject.digest, descriptor },
  }));
}
