// What a registry's refusal of a push means, said for the refusals users meet most: a repository the
// registry will not create (ECR), layers at external URLs, an index where only images are taken.
import { foreignLayerTypes, indexMediaTypes } from '../oci/media-types.js';
import type { Repository } from '../oci/repository.js';
import { RegistryError } from '../registry/errors.js';

/** Whether a manifest has layers that live at URLs of their own (non-distributable, Windows base layers). */
export function hasForeignLayers(bytes: Buffer): boolean {
  try {
    const json = JSON.parse(bytes.toString('utf8')) as { layers?: { mediaType?: string; urls?: unknown }[] };
    return (json.layers ?? []).some(
      (layer) => foreignLayerTypes.test(layer.mediaType ?? '') || (Array.isArray(layer.urls) && layer.urls.length > 0),
    );
  } catch {
    return false;
  }
}
/** What a registry's refusal of a push means, for the refusals users meet most (ECR's, and foreign layers). */
export function explainRefusal(error: unknown, mediaType: string, destination: Repository, foreignLayers = false): unknown {
  if (!(error instanceof RegistryError)) return error;
  const where = destination.key;
  const details = {
    registry: destination.registry,
    repository: destination.repository,
    operation: error.operation,
    status: error.status,
    codes: [...error.codes],
  };
  if (error.codes.includes('NAME_UNKNOWN')) {
    return new RegistryError(
      details,
      `${error.reason}: the repository ${where} does not exist and the registry does not create repositories on push (ECR does not): create it first`,
      { cause: error },
    );
  }
  if (foreignLayers && (error.codes.includes('MANIFEST_INVALID') || error.codes.includes('MANIFEST_BLOB_UNKNOWN'))) {
    return new RegistryError(
      { ...details, retriable: false },
      `${error.reason}: the image has non-distributable layers that point at external URLs (Windows base layers), and ${destination.registry} does not accept such URLs: allow them in the registry's configuration (the distribution registry: validation.manifests.urls.allow), or copy those layers with a tool that makes them distributable`,
      { cause: error },
    );
  }
  if (indexMediaTypes.has(mediaType) && (error.status === 400 || error.status === 415) && !error.codes.includes('DIGEST_INVALID')) {
    return new RegistryError(
      details,
      `${error.reason}: the registry refused a multi-platform image index (manifest list); registries that do not take indexes need a single-platform image instead`,
      { cause: error },
    );
  }
  return error;
}
