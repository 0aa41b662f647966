// The tarballs `kbld pkg` and `imgpkg copy --to-tar` write: `manifest.json` with each image's manifest and
// config inline (kept as blobs, each verified against its digest) and its layers as `<alg>-<hex>.tar.gz`.
import { digestError, digestOf } from '../oci/digest.js';
import type { Descriptor } from '../oci/descriptor.js';
import { ArchiveError, parseJson } from './archive-error.js';
import type { ArchiveImage } from './layout-index.js';
import type { TarBlobs } from './tar-blobs.js';

interface KbldImage {
  Refs?: string[];
  Layers?: { MediaType: string; Digest: string; Size: number }[];
  Config?: { Digest: string; Raw: string };
  Manifest?: { MediaType: string; Digest: string; Raw: string };
}
interface KbldIndex {
  Refs?: string[];
  Images?: KbldImage[];
  Indexes?: KbldIndex[];
  MediaType: string;
  Digest: string;
  Raw: string;
}

/** kbld/imgpkg keep manifests and configs inline in manifest.json: kept as blobs, verified. */
async function storeKbldRaw(file: string, store: TarBlobs, digest: unknown, raw: unknown): Promise<Descriptor> {
  if (typeof digest !== 'string' || digestError(digest) !== undefined || typeof raw !== 'string')
    throw new ArchiveError(file, 'manifest.json names a manifest or config without a valid Digest and Raw');
  const bytes = Buffer.from(raw, 'utf8');
  const actual = digestOf(bytes, digest.slice(0, digest.indexOf(':')));
  if (actual !== digest) throw new ArchiveError(file, `manifest.json holds ${actual} where it names ${digest}`);
  store.located.set(digest, { bytes });
  return { mediaType: '', digest, size: bytes.length };
}

export async function readKbld(file: string, store: TarBlobs, manifest: Buffer | undefined): Promise<ArchiveImage[]> {
  const entries = parseJson<{ Image?: KbldImage | null; ImageIndex?: KbldIndex | null }[]>(file, 'manifest.json', manifest);
  if (!Array.isArray(entries)) throw new ArchiveError(file, 'manifest.json is not a list of images');
  const storeImage = async (image: KbldImage): Promise<Descriptor> => {
    if (!image.Manifest || !image.Config) throw new ArchiveError(file, 'manifest.json has an image without Manifest or Config');
    await storeKbldRaw(file, store, image.Config.Digest, image.Config.Raw);
    const stored = await storeKbldRaw(file, store, image.Manifest.Digest, image.Manifest.Raw);
    return { mediaType: image.Manifest.MediaType, digest: stored.digest, size: stored.size };
  };
  const storeIndex = async (index: KbldIndex): Promise<Descriptor> => {
    for (const child of index.Indexes ?? []) await storeIndex(child);
    for (const child of index.Images ?? []) await storeImage(child);
    const stored = await storeKbldRaw(file, store, index.Digest, index.Raw);
    return { mediaType: index.MediaType, digest: stored.digest, size: stored.size };
  };
  const images: ArchiveImage[] = [];
  for (const entry of entries) {
    if (entry.ImageIndex) images.push({ descriptor: await storeIndex(entry.ImageIndex), sources: entry.ImageIndex.Refs ?? [] });
    else if (entry.Image) images.push({ descriptor: await storeImage(entry.Image), sources: entry.Image.Refs ?? [] });
    else throw new ArchiveError(file, 'manifest.json has an entry that is neither Image nor ImageIndex');
  }
  return images;
}
