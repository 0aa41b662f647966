// A source read once by two walks: the verify gate reads an image's signatures (the lists of referrers
// and digest tags, their manifests, their small blobs) before the copy walks the same things. Behind
// this wrapper the copy gets the answers the gate already had, so verifying costs no request the copy
// would make anyway. Only what the gate reads is kept: lists and manifests for the run, and each
// evidence blob until the copy has sent it on, within a bound.
import { Readable } from 'node:stream';
import type { Descriptor } from '../oci/descriptor.js';
import { type Manifest, decodeManifest } from '../oci/manifest.js';
import type { ArtifactPolicy } from './artifacts.js';
import type { ImageSource, TaggedArtifact } from './endpoint.js';
import type { Repository } from '../oci/repository.js';
import { once } from '../once.js';

/** Evidence blobs kept for the copy: each at most 4 MiB, all of them together at most 64 MiB. */
const maxKeptBlobBytes = 4 * 1024 * 1024;
const maxKeptBytes = 64 * 1024 * 1024;
/**
 * An index's children read ahead, at most, and the largest one read ahead: a manifest is a few KiB, and
 * the walk reads a larger one itself, counted by the run's budget.
 */
const maxWarmedChildren = 64;
const maxWarmedManifestBytes = 256 * 1024;

const quietly = (work: Promise<unknown>): void => void work.catch(() => undefined);

export class ReadOnceSource implements ImageSource {
  readonly key: string;
  readonly location?: Repository;
  private readonly manifests = new Map<string, Promise<Manifest>>();
  private readonly referrerLists = new Map<string, Promise<Descriptor[]>>();
  private readonly tagLists = new Map<string, Promise<TaggedArtifact[]>>();
  private readonly blobs = new Map<string, Buffer>();
  private keptBytes = 0;

  constructor(private readonly inner: ImageSource & { getTagged?(tag: string): Promise<Manifest> }) {
    this.key = inner.key;
    if (inner.location !== undefined) this.location = inner.location;
  }

  getManifest(digest: string, mediaType?: string): Promise<Manifest> {
    return once(this.manifests, digest, () => this.inner.getManifest(digest, mediaType));
  }

  /**
   * The digest a tag names, from its manifest read whole (where the source can): one request where a
   * lookup and the copy's read of the manifest would be two. The manifest is kept as a read of its
   * digest, which the copy (or the gate) asks for next.
   */
  async resolveTag(tag: string): Promise<string | undefined> {
    if (this.inner.getTagged === undefined) return undefined;
    const manifest = await this.inner.getTagged(tag);
    const { digest } = manifest.descriptor;
    if (!this.manifests.has(digest)) this.manifests.set(digest, Promise.resolve(manifest));
    return digest;
  }

  /**
   * A blob the gate read is sent from memory, once, and then forgotten; any other is read from the source.
   * What the gate kept was checked against the size it was named with there: named here with another,
   * it is read from the source, which checks the digest and this size (one of the two sizes is false).
   */
  openBlob(blob: Descriptor): Readable {
    const kept = this.blobs.get(blob.digest);
    if (kept === undefined) return this.inner.openBlob(blob);
    this.blobs.delete(blob.digest);
    this.keptBytes -= kept.length;
    return kept.length === blob.size ? Readable.from([kept]) : this.inner.openBlob(blob);
  }

  referrers(digest: string, signaturesOnly: boolean): Promise<Descriptor[]> {
    return once(this.referrerLists, `${signaturesOnly}@${digest}`, () => this.inner.referrers(digest, signaturesOnly));
  }

  digestTags(digest: string, signaturesOnly: boolean): Promise<TaggedArtifact[]> {
    return once(this.tagLists, `${signaturesOnly}@${digest}`, () => this.inner.digestTags(digest, signaturesOnly));
  }

  prepareLists(signaturesOnly: boolean): void {
    this.inner.prepareLists?.(signaturesOnly);
  }

  /**
   * Starts reading the lists of what travels with `digest`, which its copy asks whether or not the
   * destination has it already: nothing is awaited and a failure is forgotten (the copy asks again
   * and reports it).
   */
  warmLists(digest: string, artifacts: ArtifactPolicy): void {
    if (artifacts === 'none') return;
    quietly(this.referrers(digest, artifacts === 'signatures'));
    quietly(this.digestTags(digest, artifacts === 'signatures'));
  }

  /**
   * Starts reading what the copy of `digest` will ask first (its manifest, an index's children, the
   * lists of what travels with them), while the run waits for its other images to resolve: nothing is
   * awaited and a failure is forgotten (the copy asks again and reports it).
   */
  warm(digest: string, artifacts: ArtifactPolicy): void {
    this.warmLists(digest, artifacts);
    quietly(
      this.getManifest(digest).then((manifest) => {
        // The walk's own decoding: only descriptors it would accept are read ahead.
        const children = decodeManifest(manifest).children.filter((child) => child.size <= maxWarmedManifestBytes);
        for (const child of children.slice(0, maxWarmedChildren)) {
          quietly(this.getManifest(child.digest, child.mediaType));
          this.warmLists(child.digest, artifacts);
        }
      }),
    );
  }

  /** The gate's view: the same answers, and the small blobs it reads kept for the copy. */
  forGate(): ImageSource {
    return {
      key: this.key,
      ...(this.location === undefined ? {} : { location: this.location }),
      getManifest: (digest, mediaType) => this.getManifest(digest, mediaType),
      referrers: (digest, signaturesOnly) => this.referrers(digest, signaturesOnly),
      digestTags: (digest, signaturesOnly) => this.digestTags(digest, signaturesOnly),
      openBlob: (blob) => this.keepWhileReading(blob),
    };
  }

  private keepWhileReading(blob: Descriptor): Readable {
    const kept = this.blobs.get(blob.digest);
    if (kept !== undefined) return kept.length === blob.size ? Readable.from([kept]) : this.inner.openBlob(blob);
    if (blob.size > maxKeptBlobBytes || this.keptBytes + blob.size > maxKeptBytes) return this.inner.openBlob(blob);
    const { inner } = this;
    const keep = (bytes: Buffer): void => {
      if (this.blobs.has(blob.digest) || this.keptBytes + bytes.length > maxKeptBytes) return;
      this.blobs.set(blob.digest, bytes);
      this.keptBytes += bytes.length;
    };
    // Passed on as it arrives, and kept once it has all arrived (the inner stream has verified it then).
    return Readable.from(
      (async function* () {
        const chunks: Buffer[] = [];
        for await (const chunk of inner.openBlob(blob)) {
          chunks.push(chunk as Buffer);
          yield chunk as Buffer;
        }
        keep(Buffer.concat(chunks));
      })(),
    );
  }
}
