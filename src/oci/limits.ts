// How large a manifest may be, wherever it is read from (a registry, an archive, the blob store):
// distribution refuses manifests over 4 MiB, and so does ferry, before reading further.
export const maxManifestBytes = 4 * 1024 * 1024;

/** What travels with one manifest, at most (its referrers, or its referrers and digest tags): a source answering more is refused, not followed. */
export const maxReferrers = 1000;

/** Bounds on what one image may hold, what travels with it included, against a source that never ends: indexes nested this deep. */
export const maxDepth = 8;
/** Manifests one image holds, and artifacts that travel with it, at most. */
export const maxManifestsPerImage = 10_000;
