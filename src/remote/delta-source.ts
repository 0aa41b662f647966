// A delta archive as a source: what it holds from the archive, and each blob it left out from the
// destination repository that holds it (where its base was imported), mounted from there by a sink in
// the same registry and else read from there, verified as any blob is. Before the first push, every
// left-out blob is looked for at its repository: one that is not there stops the run, naming its base.
import type { Readable } from 'node:stream';
import pLimit from 'p-limit';
import type { ImageSource, TaggedArtifact } from '../copy/endpoint.js';
import type { Descriptor } from '../oci/descriptor.js';
import type { Manifest } from '../oci/manifest.js';
import type { Repository } from '../oci/repository.js';
import type { Registries } from '../registry/registries.js';

/** A blob a delta left out, and the destination repository that holds it. */
export interface HeldBlob {
  readonly size: number;
  readonly at: Repository;
  /** The base that held it, and its image there, for messages. */
  readonly base: string;
  readonly image?: string;
}

export class DeltaSource implements ImageSource {
  readonly key: string;
  constructor(
    private readonly archive: ImageSource,
    private readonly held: ReadonlyMap<string, HeldBlob>,
    private readonly registries: Registries,
  ) {
    this.key = `${archive.key}+delta`;
  }

  getManifest(digest: string, mediaType?: string): Promise<Manifest> {
    return this.archive.getManifest(digest, mediaType);
  }

  openBlob(blob: Descriptor): Readable {
    const held = this.held.get(blob.digest);
    if (held === undefined) return this.archive.openBlob(blob);
    return this.registries.client(held.at.registry).getBlob(held.at.repository, blob.digest, blob.size);
  }

  mountFrom(blob: Descriptor): Repository | undefined {
    return this.held.get(blob.digest)?.at;
  }

  referrers(digest: string, signaturesOnly: boolean): Promise<Descriptor[]> {
    return this.archive.referrers(digest, signaturesOnly);
  }

  digestTags(digest: string, signaturesOnly: boolean): Promise<TaggedArtifact[]> {
    return this.archive.digestTags(digest, signaturesOnly);
  }
}

/**
 * The left-out blobs that are not at the repository said to hold them (each asked once, a few at a
 * time), as lines naming the blob, its base and where it was looked for.
 */
export async function missingHeld(registries: Registries, held: ReadonlyMap<string, HeldBlob>, concurrency: number): Promise<string[]> {
  const limit = pLimit(Math.max(1, concurrency));
  const found = await Promise.all(
    [...held].map(([digest, blob]) =>
      limit(async () => {
        const size = await registries.client(blob.at.registry).headBlob(blob.at.repository, digest);
        const where = blob.image === undefined ? blob.base : `${blob.image} in ${blob.base}`;
        return size === blob.size ? undefined : `${digest} (${blob.size} bytes) of ${where} is not in ${blob.at.key}`;
      }),
    ),
  );
  return found.filter((line) => line !== undefined).sort();
}
