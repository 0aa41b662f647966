// What an archive's index.json says: each image with the name it was found by and the reference it
// was packaged from, and each artifact with the manifest it belongs to, in a deterministic order.
import type { Descriptor } from '../oci/descriptor.js';
import { ociIndex } from '../oci/media-types.js';

export const refNameAnnotation = 'org.opencontainers.image.ref.name';
/** The reference an image was packaged from, pinned: `registry/repository[:tag]@digest`. */
export const sourceAnnotation = 'io.github.ferry.source';

/**
 * The name a run imports an image by, as written, where it is not the ref name: a lock overrode the
 * YAML's string. A delta against the archive names the image as the site imported it.
 */
export const nameAnnotation = 'io.github.ferry.name';

/** The manifest an artifact in the archive belongs to (a referrer's subject, a digest tag's digest). */
export const subjectAnnotation = 'io.github.ferry.subject';

export interface ArchivedImage {
  readonly descriptor: Descriptor;
  /** The image string as found in the YAML. */
  readonly refName: string;
  /** The name it is imported by, as written, where a lock overrides the YAML's string. */
  readonly name?: string;
  readonly source: string;
}

/** An image as an archive read back names it: ferry's, kbld's or imgpkg's. */
export interface ArchiveImage {
  readonly descriptor: Descriptor;
  /** The image string the archive names it by (ferry: as found in the YAML). */
  readonly refName?: string;
  /** Pinned references the image was packaged from (or, for another tool's archive, the names it gives the image). */
  readonly sources: readonly string[];
  /** ferry's archives: the name the run that packaged it imports it by, as written (the YAML's string or a lock's override). */
  readonly importedAs?: string;
  /** Its manifest was made on import (a docker-archive holds none): its digest is not the one its registry gave it. */
  readonly rebuilt?: boolean;
}

/** A signature, attestation or SBOM that travels with an image: a referrer, or a digest tag (`tag`). */
export interface ArchivedArtifact {
  readonly descriptor: Descriptor;
  readonly subject: string;
  readonly tag?: string;
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function layoutIndex(images: readonly ArchivedImage[], artifacts: readonly ArchivedArtifact[] = []): Buffer {
  const byName = new Map(images.map((image) => [image.refName, image]));
  const manifests: object[] = [...byName.values()]
    .sort((a, b) => byText(a.refName, b.refName))
    .map(({ descriptor, refName, name, source }) => ({
      mediaType: descriptor.mediaType,
      digest: descriptor.digest,
      size: descriptor.size,
      annotations: { [refNameAnnotation]: refName, ...(name === undefined ? {} : { [nameAnnotation]: name }), [sourceAnnotation]: source },
    }));
  const byKey = new Map(artifacts.map((artifact) => [`${artifact.subject} ${artifact.tag ?? ''} ${artifact.descriptor.digest}`, artifact]));
  for (const key of [...byKey.keys()].sort(byText)) {
    const { descriptor, subject, tag } = byKey.get(key) as ArchivedArtifact;
    manifests.push({
      mediaType: descriptor.mediaType,
      digest: descriptor.digest,
      size: descriptor.size,
      ...(descriptor.artifactType === undefined ? {} : { artifactType: descriptor.artifactType }),
      annotations: { ...(tag === undefined ? {} : { [refNameAnnotation]: tag }), [subjectAnnotation]: subject },
    });
  }
  return Buffer.from(`${JSON.stringify({ schemaVersion: 2, mediaType: ociIndex, manifests }, null, 2)}\n`);
}
