// A source read once by two walks: the verify gate reads an image's signatures (the lists of referrers
// and digest tags, their manifests, their small blobs) before the copy walks the same things. Behind
// this wrapper the copy gets the answers the gate already had, so verifying costs no request the copy
// would make anyway. Only what the gate reads is kept: manifests and evidence blobs, never layers.
import { Readable } from 'node:stream';
import type { Descriptor } from '../oci/descriptor.js';
import type { Manifest } from '../oci/manifest.js';
import type { ImageSource, Location, TaggedArtifact } from './endpoint.js';
import { once } from './registry.js';

/** Blobs kept for the copy: evidence only (signature payloads, envelopes, bundles), at most this large each. */
const maxKeptBlobBytes = 4 * 1024 * 1024;
const evidenceTypes =
  /^application\/(?:vnd\.dev\.cosign\.simplesigning\.v1\+json|vnd\.dsse\.envelope\.v1\+json|vnd\.dev\.sigstore\.bundle[.+].*)$/;

export class ReadOnceSource implements ImageSource {
  readonly key: string;
  readonly location?: Location;
  private readonly manifests = new Map<string, Promise<Manifest>>();
  private readonly referrerLists = new Map<string, Promise<Descriptor[]>>();
  private readonly tagLists = new Map<string, Promise<TaggedArtifact[]>>();
  private readonly blobs = new Map<string, Buffer>();

  constructor(private readonly inner: ImageSource) {
    this.key = inner.key;
    if (inner.location !== undefined) this.location = inner.location;
  }

  getManifest(digest: string, mediaType?: string): Promise<Manifest> {
    return once(this.manifests, digest, () => this.inner.getManifest(digest, mediaType));
  }

  /** A small blob read whole, kept so that the copy sends it without reading it again. */
  openBlob(blob: Descriptor): Readable {
    const kept = this.blobs.get(blob.digest);
    if (kept !== undefined) return Readable.from([kept]);
    if (blob.size > maxKeptBlobBytes || !evidenceTypes.test(blob.mediaType)) return this.inner.openBlob(blob);
    const { inner, blobs } = this;
    // Passed on as it arrives, and kept once it has all arrived (a reader that stops early keeps nothing).
    return Readable.from(
      (async function* () {
        const chunks: Buffer[] = [];
        for await (const chunk of inner.openBlob(blob)) {
          chunks.push(chunk as Buffer);
          yield chunk as Buffer;
        }
        blobs.set(blob.digest, Buffer.concat(chunks));
      })(),
    );
  }

  referrers(digest: string, signaturesOnly: boolean): Promise<Descriptor[]> {
    return once(this.referrerLists, `${signaturesOnly}@${digest}`, () => this.inner.referrers(digest, signaturesOnly));
  }

  digestTags(digest: string, signaturesOnly: boolean): Promise<TaggedArtifact[]> {
    return once(this.tagLists, `${signaturesOnly}@${digest}`, () => this.inner.digestTags(digest, signaturesOnly));
  }
}
