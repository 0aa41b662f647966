// A registry in memory: what the signing helpers push into it (blobs, manifests, tags) read back as an
// image source, with OCI referrers found by their subject and cosign's digest tags by name. The fake
// the verify step's unit tests read evidence from, with no network and no bundle.
import { Readable } from 'node:stream';
import { digestTag, isDigestTagOf, type ImageSource, type TaggedArtifact } from '../../src/copy/endpoint.js';
import type { Descriptor } from '../../src/oci/descriptor.js';
import type { Manifest } from '../../src/oci/manifest.js';
import type { RegistryClient } from '../../src/registry/client.js';
import { sha256 } from '../registry/harness.js';

interface Stored {
  readonly bytes: Buffer;
  readonly mediaType: string;
}

export class MemoryRegistry {
  private readonly blobs = new Map<string, Buffer>();
  private readonly manifests = new Map<string, Stored>();
  private readonly tags = new Map<string, string>();
  /** How many manifests each source read, by digest: what a test counts reads by. */
  readonly reads: string[] = [];

  /** The registry as the signing helpers push to it (the parts of RegistryClient they use). */
  get client(): RegistryClient {
    const client = {
      registry: 'memory.test',
      uploadBlob: async (_repository: string, digest: string, _size: number, bytes: Buffer) => {
        if (sha256(bytes) !== digest) throw new Error(`blob ${digest} does not match its bytes`);
        this.blobs.set(digest, bytes);
        return 'uploaded';
      },
      putManifest: async (repository: string, reference: string, bytes: Buffer, mediaType: string) => {
        const digest = sha256(bytes);
        this.manifests.set(digest, { bytes, mediaType });
        if (reference !== digest) this.tags.set(`${repository}:${reference}`, digest);
        return digest;
      },
      getManifest: async (repository: string, reference: string) => this.manifest(this.tags.get(`${repository}:${reference}`) ?? reference),
    };
    return client as unknown as RegistryClient;
  }

  private manifest(digest: string): Manifest {
    const stored = this.manifests.get(digest);
    if (stored === undefined) throw new Error(`manifest ${digest} is not in the registry`);
    return {
      descriptor: { mediaType: stored.mediaType, digest, size: stored.bytes.length },
      bytes: stored.bytes,
      json: JSON.parse(stored.bytes.toString('utf8')) as Record<string, unknown>,
    };
  }

  /** A repository as the source of a copy or of evidence. */
  source(repository: string): ImageSource {
    return {
      key: `memory.test/${repository}`,
      getManifest: async (digest) => {
        this.reads.push(digest);
        return this.manifest(digest);
      },
      openBlob: (blob: Descriptor) => {
        const bytes = this.blobs.get(blob.digest);
        if (bytes === undefined) {
          return new Readable({
            read() {
              this.destroy(new Error(`blob ${blob.digest} is not in the registry`));
            },
          });
        }
        return Readable.from([bytes]);
      },
      referrers: async (digest) =>
        [...this.manifests]
          .filter(
            ([, stored]) => (JSON.parse(stored.bytes.toString('utf8')) as { subject?: { digest?: string } }).subject?.digest === digest,
          )
          .map(([found, stored]) => {
            const json = JSON.parse(stored.bytes.toString('utf8')) as { artifactType?: string };
            return {
              mediaType: stored.mediaType,
              digest: found,
              size: stored.bytes.length,
              ...(json.artifactType === undefined ? {} : { artifactType: json.artifactType }),
            };
          }),
      digestTags: async (digest, signaturesOnly): Promise<TaggedArtifact[]> =>
        [...this.tags]
          .filter(([name]) => name.startsWith(`${repository}:`))
          .map(([name, found]) => ({ tag: name.slice(repository.length + 1), found }))
          .filter(({ tag }) => (signaturesOnly ? tag === `${digestTag(digest)}.sig` : isDigestTagOf(tag, digest)))
          .map(({ tag, found }) => ({ tag, descriptor: this.manifest(found).descriptor })),
    };
  }
}
