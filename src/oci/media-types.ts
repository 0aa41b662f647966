// The manifest media types ferry moves, and the ones it refuses.
export const ociManifest = 'application/vnd.oci.image.manifest.v1+json';
export const ociIndex = 'application/vnd.oci.image.index.v1+json';
/** OCI 1.1 release candidates' artifact manifest: a `blobs` list, no config, no layers. */
export const ociArtifactManifest = 'application/vnd.oci.artifact.manifest.v1+json';
export const dockerManifest = 'application/vnd.docker.distribution.manifest.v2+json';
export const dockerManifestList = 'application/vnd.docker.distribution.manifest.list.v2+json';
const dockerSchema1 = ['application/vnd.docker.distribution.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v1+prettyjws'];

export const manifestMediaTypes = [ociIndex, dockerManifestList, ociManifest, dockerManifest, ociArtifactManifest] as const;
export const indexMediaTypes: ReadonlySet<string> = new Set([ociIndex, dockerManifestList]);
export const imageMediaTypes: ReadonlySet<string> = new Set([ociManifest, dockerManifest]);

/** The Accept header for manifest reads: indexes, images and artifacts, OCI and Docker schema 2. */
export const manifestAccept = manifestMediaTypes.join(', ');

export function isSchema1(mediaType: string): boolean {
  return dockerSchema1.includes(mediaType);
}

export const schema1Refusal = 'only Docker v2 and OCI images and indexes are supported';

/** Layers that live at URLs of their own (Windows base layers): left where they are, as Docker does. */
export const foreignLayerTypes = /nondistributable|foreign/;
