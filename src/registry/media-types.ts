// The manifest and index media types ferry moves, and the ones it refuses.
export const ociManifest = 'application/vnd.oci.image.manifest.v1+json';
export const ociIndex = 'application/vnd.oci.image.index.v1+json';
export const dockerManifest = 'application/vnd.docker.distribution.manifest.v2+json';
export const dockerManifestList = 'application/vnd.docker.distribution.manifest.list.v2+json';
const dockerSchema1 = ['application/vnd.docker.distribution.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v1+prettyjws'];

export const manifestMediaTypes = [ociIndex, dockerManifestList, ociManifest, dockerManifest] as const;
export const indexMediaTypes: ReadonlySet<string> = new Set([ociIndex, dockerManifestList]);

/** The Accept header for manifest reads: indexes and images, OCI and Docker schema 2. */
export const manifestAccept = manifestMediaTypes.join(', ');

export function isSchema1(mediaType: string): boolean {
  return dockerSchema1.includes(mediaType);
}

export const schema1Refusal = 'only Docker v2 and OCI images and indexes are supported';
