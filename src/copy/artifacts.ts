// What travels with an image besides its platforms: signatures, attestations and SBOMs, found as OCI
// referrers or as cosign's digest tags, and the `artifacts` input that decides which of them go.
export type ArtifactPolicy = 'all' | 'signatures' | 'none';
export const artifactPolicies: readonly ArtifactPolicy[] = ['all', 'signatures', 'none'];

export type ArtifactKind = 'signature' | 'attestation' | 'sbom' | 'other';

/** The artifact types of signatures: Notary, sigstore bundles, cosign's OCI 1.1 signatures. */
const signatureTypes = [/^application\/vnd\.cncf\.notary\.signature$/, /^application\/vnd\.dev\.sigstore\.bundle/, /cosign\.artifact\.sig/];
const attestationTypes = [/in-toto/, /dsse\.envelope/, /cosign\.artifact\.att/, /provenance/i];
const sbomTypes = [/spdx/i, /cyclonedx/i, /syft/i, /cosign\.artifact\.sbom/, /sbom/i];

/** The kind of a referrer by its artifact type. */
export function kindOfType(artifactType: string | undefined): ArtifactKind {
  if (artifactType === undefined) return 'other';
  if (signatureTypes.some((pattern) => pattern.test(artifactType))) return 'signature';
  if (attestationTypes.some((pattern) => pattern.test(artifactType))) return 'attestation';
  if (sbomTypes.some((pattern) => pattern.test(artifactType))) return 'sbom';
  return 'other';
}

/** The kind of a cosign digest tag by its suffix (`.sig`, `.att`, `.sbom`; tools add others). */
export function kindOfTag(tag: string): ArtifactKind {
  const suffix = tag.slice(tag.lastIndexOf('.') + 1);
  return suffix === 'sig' ? 'signature' : suffix === 'att' ? 'attestation' : suffix === 'sbom' ? 'sbom' : 'other';
}

/** What travelled with an image: one entry per artifact, referrers of referrers included. */
export interface ArtifactCopy {
  readonly kind: ArtifactKind;
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
  /** The manifest it belongs to. */
  readonly subject: string;
  /** The digest tag it travels under (cosign's scheme), or none for a referrer. */
  readonly tag?: string;
  readonly artifactType?: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** `2 signatures, 1 sbom`, or '' when nothing travelled. */
export function artifactCounts(artifacts: readonly { kind: ArtifactKind }[]): string {
  const counts = new Map<ArtifactKind, number>();
  for (const { kind } of artifacts) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  const plural = (kind: ArtifactKind, count: number): string =>
    count === 1 ? kind : kind === 'sbom' ? 'SBOMs' : kind === 'other' ? 'others' : `${kind}s`;
  return (['signature', 'attestation', 'sbom', 'other'] as const)
    .filter((kind) => counts.has(kind))
    .map((kind) => `${counts.get(kind)} ${plural(kind, counts.get(kind) ?? 0).replace(/^sbom$/, 'SBOM')}`)
    .join(', ');
}

/** Counts by kind, every kind present: `{ signature: 1, attestation: 0, sbom: 1, other: 0 }`. */
export function kindCounts(artifacts: readonly { kind: ArtifactKind }[]): Record<ArtifactKind, number> {
  const counts: Record<ArtifactKind, number> = { signature: 0, attestation: 0, sbom: 0, other: 0 };
  for (const { kind } of artifacts) counts[kind]++;
  return counts;
}
