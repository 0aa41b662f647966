// What an archive's `index.json` says, read as untrusted: each image with the name it was found by and
// the reference it was packaged from, each artifact with its subject and (only) a digest tag of it.
import { digestTag, isDigestTagOf } from '../copy/endpoint.js';
import { type Descriptor, descriptorError, manifestFields, respelledField } from '../oci/descriptor.js';
import { anchoredTag, isReference } from '../reference.js';
import { digestError } from '../oci/digest.js';
import { quoted } from '../untrusted-text.js';
import { ArchiveError, parseJson } from './archive-error.js';
import { type ArchivedArtifact, nameAnnotation, refNameAnnotation, sourceAnnotation, subjectAnnotation } from './layout-index.js';
import type { ArchiveImage } from './layout-index.js';

/** The name containerd, nerdctl and `docker save` (Docker 25 on) give an image in index.json. */
export const containerdNameAnnotation = 'io.containerd.image.name';

/**
 * Whether an index.json ref name names an image, not a tag alone: a tag holds neither `:` nor `/`
 * (the OCI spec's tag grammar), so one that does is a reference (`app:v1`, `registry.example/app`).
 */
export const namesImage = (refName: string): boolean => /[:/]/.test(refName);

/** An annotation of an index.json entry: a string, or absent; anything else is refused. */
function annotation(file: string, entry: { annotations?: unknown }, key: string): string | undefined {
  const annotations = entry.annotations;
  if (annotations === undefined) return undefined;
  if (typeof annotations !== 'object' || annotations === null)
    throw new ArchiveError(file, 'index.json has an entry whose annotations are not a map');
  const value = (annotations as Record<string, unknown>)[key];
  if (value !== undefined && typeof value !== 'string')
    throw new ArchiveError(file, `index.json has an entry whose ${key} is not a string`);
  return value;
}

export function readLayout(file: string, json: Map<string, Buffer>): { images: ArchiveImage[]; artifacts: ArchivedArtifact[] } {
  const layout = parseJson<{ imageLayoutVersion?: string }>(file, 'oci-layout', json.get('oci-layout'));
  if (typeof layout !== 'object' || layout === null || typeof layout.imageLayoutVersion !== 'string')
    throw new ArchiveError(file, 'oci-layout names no imageLayoutVersion');
  const index = parseJson<{ manifests?: (Descriptor & { annotations?: unknown })[] }>(file, 'index.json', json.get('index.json'));
  if (typeof index !== 'object' || index === null || !Array.isArray(index.manifests))
    throw new ArchiveError(file, 'index.json lists no manifests');
  // Its own fields spelled as the spec spells them: skopeo and containerd read it with Go, which takes
  // `Manifests` for `manifests`, the last spelling winning, and would import another list of images.
  const respelled = respelledField(index, manifestFields);
  if (respelled !== undefined) throw new ArchiveError(file, `index.json: ${respelled}`);
  // Each image and artifact once, however many times index.json repeats it.
  const images = new Map<string, ArchiveImage>();
  const artifacts = new Map<string, ArchivedArtifact>();
  for (const entry of index.manifests) {
    // Checked as any descriptor is (its digest, its size, and the spelling of its fields: skopeo and
    // containerd read index.json with Go, which takes `Digest`, `Annotations` or a platform's `OS`), with
    // a media type of its own.
    const refused = descriptorError(entry) ?? (typeof entry.mediaType === 'string' ? undefined : 'it has no mediaType');
    if (refused !== undefined) throw new ArchiveError(file, `index.json has an entry ferry refuses: ${refused}`);
    const refName = annotation(file, entry, refNameAnnotation);
    const source = annotation(file, entry, sourceAnnotation);
    const containerdName = annotation(file, entry, containerdNameAnnotation);
    const subject = annotation(file, entry, subjectAnnotation);
    const descriptor = {
      mediaType: entry.mediaType,
      digest: entry.digest,
      size: entry.size,
      ...(typeof entry.artifactType === 'string' ? { artifactType: entry.artifactType } : {}),
    };
    if (subject !== undefined) {
      if (digestError(subject) !== undefined) throw new ArchiveError(file, `index.json names a subject that is not a digest`);
      // An artifact is tagged as from a registry, by a digest tag of its subject: never one of the images' own tags.
      if (refName !== undefined && !(anchoredTag.test(refName) && isDigestTagOf(refName, subject)))
        throw new ArchiveError(
          file,
          `index.json gives the artifact ${entry.digest} the tag ${quoted(refName)}, which is not a digest tag of its subject ${subject} (${digestTag(subject)}.<suffix>)`,
        );
      artifacts.set(`${subject} ${refName ?? ''} ${entry.digest}`, {
        descriptor,
        subject,
        ...(refName === undefined ? {} : { tag: refName }),
      });
    } else {
      const key = `${entry.digest} ${refName ?? ''} ${source ?? ''} ${containerdName ?? ''}`;
      // The names other tools give an image: containerd's full name, or a ref name that names an image
      // (skopeo's `oci-archive:file:app:v1` writes `app:v1`); a bare tag (what containerd, buildx and
      // Docker write there) names no repository.
      const names = [source, containerdName, refName !== undefined && namesImage(refName) ? refName : undefined].filter(
        (name): name is string => name !== undefined && isReference(name),
      );
      // ferry's own archive (it gives every image its source) says what its run imported the image by.
      const name = source === undefined ? undefined : (annotation(file, entry, nameAnnotation) ?? refName);
      const importedAs = name !== undefined && isReference(name) ? { importedAs: name } : {};
      if (!images.has(key))
        images.set(key, { descriptor, ...(refName === undefined ? {} : { refName }), sources: [...new Set(names)], ...importedAs });
    }
  }
  return { images: [...images.values()], artifacts: [...artifacts.values()] };
}
