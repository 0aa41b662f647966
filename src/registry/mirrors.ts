// Registry mirrors, with containerd's hosts semantics: reads of a registry try each of its mirrors in
// order, then the registry itself, moving on when a mirror does not have what is asked (404), fails
// (5xx) or cannot be reached. Only reads go to a mirror; names stay the registry's own. What a mirror
// serves is verified against its digest like anything else, so a mirror cannot change an image's
// content (it does answer what an image's tag names, as a pull-through cache does: pin by digest to
// rule that out). What travels with an image is the registry's to say: its referrers, tag lists and
// digest tags are asked of the registry, and of a mirror only when the registry cannot be reached
// (said once); the manifests they name are then read by digest, from a mirror first.
import { Readable } from 'node:stream';
import type { Descriptor } from '../oci/descriptor.js';
import type { Manifest } from '../oci/manifest.js';
import type { RegistryClient } from './client.js';
import { RegistryError } from './errors.js';
import type { ListOptions } from './listing.js';
import { isTransientError, isUnreachable } from './retry.js';

/** What a source reads of a registry: the client itself, or the client behind its mirrors. */
export type RegistryReader = Pick<
  RegistryClient,
  | 'registry'
  | 'resolve'
  | 'getManifest'
  | 'resolveAtOwner'
  | 'getManifestAtOwner'
  | 'getBlob'
  | 'headBlob'
  | 'referrers'
  | 'listTags'
  | 'hasRepository'
  | 'notice'
>;

/** Whether a mirror's failure sends the read on to the next mirror (or the registry): missing, failing, unreachable. */
function movesOn(error: unknown): boolean {
  return error instanceof RegistryError && (error.status === undefined || error.status === 404 || error.status >= 500);
}

/**
 * Whether a failure says the registry cannot answer at all: no connection, a connection that kept
 * failing, or a server error past its retries. An answer ferry refused (not JSON, a digest that does
 * not match, the run's deadline) is the registry's answer, and no mirror stands in for it.
 */
function unreachable(error: unknown): boolean {
  if (!(error instanceof RegistryError)) return false;
  if (error.status !== undefined) return error.status >= 500;
  return isUnreachable(error) || isTransientError(error);
}

/** What came through each mirror this run: the repositories it served. */
export interface MirrorUse {
  readonly registry: string;
  readonly mirror: string;
  readonly repositories: readonly string[];
}

export class MirroredReader implements RegistryReader {
  readonly registry: string;
  private readonly served = new Map<string, Set<string>>();
  /** Whether the run was told that the registry's own lists came through a mirror. */
  private toldFallback = false;

  constructor(
    private readonly upstream: RegistryClient,
    private readonly mirrors: readonly RegistryClient[],
  ) {
    this.registry = upstream.registry;
  }

  /** The repositories each mirror served, for the log and the summary. */
  get uses(): MirrorUse[] {
    return [...this.served].map(([mirror, repositories]) => ({ registry: this.registry, mirror, repositories: [...repositories].sort() }));
  }

  private async read<T>(repository: string, operation: (client: RegistryClient) => Promise<T>): Promise<T> {
    for (const mirror of this.mirrors) {
      try {
        const answer = await operation(mirror);
        this.note(mirror, repository);
        return answer;
      } catch (error) {
        if (!movesOn(error)) throw error;
      }
    }
    return operation(this.upstream);
  }

  /**
   * What only the registry can say (its lists, its digest tags): asked of the registry; of each mirror
   * in turn only when the registry cannot be reached, which the run is told once.
   */
  private async owned<T>(repository: string, operation: (client: RegistryClient) => Promise<T>): Promise<T> {
    try {
      return await operation(this.upstream);
    } catch (error) {
      if (!unreachable(error)) throw error;
      for (const mirror of this.mirrors) {
        try {
          const answer = await operation(mirror);
          this.note(mirror, repository);
          if (!this.toldFallback) {
            this.toldFallback = true;
            this.upstream.notice(
              `${this.registry} could not be reached (${(error as Error).message}): what travels with its images (referrers, tag lists, digest tags) is read through the mirror ${mirror.registry} instead`,
            );
          }
          return answer;
        } catch (mirrorError) {
          if (!movesOn(mirrorError)) throw mirrorError;
        }
      }
      throw error;
    }
  }

  private note(mirror: RegistryClient, repository: string): void {
    let repositories = this.served.get(mirror.registry);
    if (repositories === undefined) {
      repositories = new Set();
      this.served.set(mirror.registry, repositories);
    }
    repositories.add(repository);
  }

  resolve(repository: string, reference: string): Promise<Descriptor> {
    return this.read(repository, (client) => client.resolve(repository, reference));
  }

  getManifest(repository: string, reference: string): Promise<Manifest> {
    return this.read(repository, (client) => client.getManifest(repository, reference));
  }

  headBlob(repository: string, digest: string): Promise<number | undefined> {
    return this.read(repository, async (client) => {
      const size = await client.headBlob(repository, digest);
      if (size === undefined && client !== this.upstream)
        throw new RegistryError({ registry: client.registry, status: 404, operation: 'check blob' }, 'not in the mirror');
      return size;
    });
  }

  resolveAtOwner(repository: string, tag: string): Promise<Descriptor> {
    return this.owned(repository, (client) => client.resolve(repository, tag));
  }

  getManifestAtOwner(repository: string, tag: string): Promise<Manifest> {
    return this.owned(repository, (client) => client.getManifest(repository, tag));
  }

  referrers(repository: string, digest: string): Promise<Descriptor[] | undefined> {
    return this.owned(repository, (client) => client.referrers(repository, digest));
  }

  listTags(repository: string, options?: ListOptions): Promise<string[]> {
    return this.owned(repository, (client) => client.listTags(repository, options));
  }

  hasRepository(repository: string): Promise<boolean> {
    return this.upstream.hasRepository(repository);
  }

  notice(message: string): void {
    this.upstream.notice(message);
  }

  /** A blob from the first mirror that starts sending it, else from the registry; verified as it passes, wherever it comes from. */
  getBlob(repository: string, digest: string, size?: number): Readable {
    const clients = [...this.mirrors, this.upstream];
    const note = (client: RegistryClient): void => this.note(client, repository);
    const upstream = this.upstream;
    async function* chunks(): AsyncGenerator<Buffer> {
      for (const client of clients) {
        let started = false;
        try {
          for await (const chunk of client.getBlob(repository, digest, size)) {
            if (!started && client !== upstream) note(client);
            started = true;
            yield chunk as Buffer;
          }
          return;
        } catch (error) {
          // Once bytes have passed, the read is the mirror's: its failure is the read's.
          if (started || client === upstream || !movesOn(error)) throw error;
        }
      }
    }
    return Readable.from(chunks(), { objectMode: false });
  }
}
