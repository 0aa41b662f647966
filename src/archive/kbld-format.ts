// The tarballs `kbld pkg` and `imgpkg copy --to-tar` write: `manifest.json` with each image's manifest and
// config inline (kept as blobs, each verified against its digest) and its layers as `<alg>-<hex>.tar.gz`.
import { digestError, digestOf } from '../oci/digest.js';
import { type Descriptor, respelledField } from '../oci/descriptor.js';
import { maxDepth } from '../oci/limits.js';
import { isReference } from '../reference.js';
import { quoted } from '../untrusted-text.js';
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

/**
 * `value`, once no field of it is spelled otherwise than kbld spells it: kbld and imgpkg read
 * manifest.json with Go, which takes `refs` for `Refs`, the last spelling winning.
 */
function spelled<T>(file: string, value: T, fields: readonly string[], where: string): T {
  const respelled = typeof value === 'object' && value !== null ? respelledField(value, fields) : undefined;
  if (respelled !== undefined) throw new ArchiveError(file, `${where}: ${respelled}`);
  return value;
}

/** A list manifest.json gives, or none; anything else is refused. */
function listOf<T>(file: string, value: unknown, what: string): T[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ArchiveError(file, `manifest.json gives ${what} that are not a list`);
  return value as T[];
}

/** The names manifest.json gives an image: image references each, or the archive is refused. */
function refsOf(file: string, value: unknown, where: string): string[] {
  const refs = listOf<unknown>(file, value, 'Refs');
  for (const ref of refs)
    if (typeof ref !== 'string' || !isReference(ref))
      throw new ArchiveError(
        file,
        `${where} names the image ${typeof ref === 'string' ? quoted(ref) : 'with no text'}, which is not an image reference`,
      );
  return refs as string[];
}

export async function readKbld(file: string, store: TarBlobs, manifest: Buffer | undefined): Promise<ArchiveImage[]> {
  const entries = parseJson<unknown>(file, 'manifest.json', manifest);
  if (!Array.isArray(entries)) throw new ArchiveError(file, 'manifest.json is not a list of images');
  const storeImage = async (given: KbldImage): Promise<Descriptor> => {
    const image = spelled(file, given, ['Refs', 'Layers', 'Config', 'Manifest'], 'manifest.json has an image whose fields ferry refuses');
    spelled(file, image?.Config, ['Digest', 'Raw'], 'manifest.json has a Config whose fields ferry refuses');
    spelled(file, image?.Manifest, ['MediaType', 'Digest', 'Raw'], 'manifest.json has a Manifest whose fields ferry refuses');
    if (typeof image !== 'object' || image === null || !image.Manifest || !image.Config || typeof image.Manifest.MediaType !== 'string')
      throw new ArchiveError(file, 'manifest.json has an image without Manifest or Config');
    await storeKbldRaw(file, store, image.Config.Digest, image.Config.Raw);
    const stored = await storeKbldRaw(file, store, image.Manifest.Digest, image.Manifest.Raw);
    return { mediaType: image.Manifest.MediaType, digest: stored.digest, size: stored.size };
  };
  // Nested as deep as an index may be: 4 MiB of brackets would otherwise run the reader out of stack.
  const storeIndex = async (given: KbldIndex, depth: number): Promise<Descriptor> => {
    const index = spelled(
      file,
      given,
      ['Refs', 'Images', 'Indexes', 'MediaType', 'Digest', 'Raw'],
      'manifest.json has an index whose fields ferry refuses',
    );
    if (depth > maxDepth) throw new ArchiveError(file, `manifest.json nests indexes more than ${maxDepth} deep`);
    if (typeof index !== 'object' || index === null || typeof index.MediaType !== 'string')
      throw new ArchiveError(file, 'manifest.json has an index without a MediaType');
    for (const child of listOf<KbldIndex>(file, index.Indexes, 'Indexes')) await storeIndex(child, depth + 1);
    for (const child of listOf<KbldImage>(file, index.Images, 'Images')) await storeImage(child);
    const stored = await storeKbldRaw(file, store, index.Digest, index.Raw);
    return { mediaType: index.MediaType, digest: stored.digest, size: stored.size };
  };
  const images: ArchiveImage[] = [];
  for (const [at, entry] of (entries as { Image?: KbldImage | null; ImageIndex?: KbldIndex | null }[]).entries()) {
    const where = `manifest.json entry ${at + 1}`;
    if (typeof entry !== 'object' || entry === null) throw new ArchiveError(file, `${where} is neither Image nor ImageIndex`);
    spelled(file, entry, ['Image', 'ImageIndex'], where);
    if (entry.ImageIndex)
      images.push({ descriptor: await storeIndex(entry.ImageIndex, 0), sources: refsOf(file, entry.ImageIndex.Refs, where) });
    else if (entry.Image) images.push({ descriptor: await storeImage(entry.Image), sources: refsOf(file, entry.Image.Refs, where) });
    else throw new ArchiveError(file, `${where} is neither Image nor ImageIndex`);
  }
  return images;
}
