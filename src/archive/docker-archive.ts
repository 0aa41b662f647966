// What `docker save`, `podman save` and `skopeo copy docker-archive:` write: manifest.json listing each
// image's config and layers by their paths in the tar, with the names it had (RepoTags). There is no
// registry manifest in it, so each image gets an OCI manifest made here from its config and layers, in
// the order manifest.json gives them: its digest is new (the manifests are pinned to what is pushed,
// and the log says so). Links between duplicate layers (older `docker save` writes them) are followed
// by name inside the archive only, a few steps at most, never out of it.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { digestError } from '../oci/digest.js';
import { type Descriptor, goFold, respelledField } from '../oci/descriptor.js';
import { maxManifestBytes } from '../oci/limits.js';
import { decodeManifest } from '../oci/manifest.js';
import { ociManifest } from '../oci/media-types.js';
import { impliedTag, parseReference } from '../reference.js';
import { quoted } from '../untrusted-text.js';
import { ArchiveError, parseJson } from './archive-error.js';
import { once } from '../once.js';
import type { ArchiveImage } from './layout-index.js';
import { type TarBlobs, type TarFile, collect } from './tar-blobs.js';

/** Links followed from one name, at most: a chain longer than this is refused. */
const maxLinkSteps = 8;
/** Images in one manifest.json, and layers in one image, at most. */
const maxImages = 10_000;
const maxLayers = 1_000;
/** Layers listed in one manifest.json, all its images together, at most (each becomes a descriptor of a manifest made here). */
const maxLayerMentions = 200_000;

/** A manifest.json entry's fields, as Docker spells them. */
const dockerEntryFields = ['Config', 'RepoTags', 'Layers', 'Parent', 'LayerSources'];

interface DockerEntry {
  readonly Config?: unknown;
  readonly RepoTags?: unknown;
  readonly Layers?: unknown;
}

/** A manifest.json entry once checked: the paths of its config and layers, and its names. */
interface CheckedEntry {
  /** `manifest.json entry <n>`, for messages. */
  readonly where: string;
  readonly config: string;
  readonly layers: readonly string[];
  readonly tags: readonly string[];
}

/**
 * manifest.json's entries, every one checked before any is used: an object whose fields are spelled as
 * Docker spells them (docker and skopeo read it with Go, which takes `config` for `Config`), a Config
 * path, at most `maxLayers` Layers paths, and RepoTags that are image references.
 */
function dockerEntries(file: string, manifestJson: Buffer | undefined): CheckedEntry[] {
  const entries = parseJson<unknown>(file, 'manifest.json', manifestJson);
  if (!Array.isArray(entries) || entries.length > maxImages)
    throw new ArchiveError(file, `manifest.json is not a list of at most ${maxImages} images`);
  return entries.map((entry: unknown, at) => {
    const where = `manifest.json entry ${at + 1}`;
    if (typeof entry !== 'object' || entry === null) throw new ArchiveError(file, `${where} has no Config path and list of Layers paths`);
    const respelled = respelledField(entry, dockerEntryFields);
    if (respelled !== undefined) throw new ArchiveError(file, `${where}: ${respelled}`);
    const { Config: config, Layers: layers, RepoTags } = entry as DockerEntry;
    if (typeof config !== 'string' || !Array.isArray(layers) || layers.some((layer) => typeof layer !== 'string'))
      throw new ArchiveError(file, `${where} has no Config path and list of Layers paths`);
    if (layers.length > maxLayers) throw new ArchiveError(file, `${where} lists more than ${maxLayers} layers`);
    const tags: unknown = RepoTags === undefined || RepoTags === null ? [] : RepoTags;
    if (!Array.isArray(tags) || tags.some((tag) => typeof tag !== 'string'))
      throw new ArchiveError(file, `${where} has RepoTags that are not names`);
    for (const tag of tags as string[]) {
      try {
        parseReference(tag);
      } catch {
        throw new ArchiveError(file, `${where} names the image ${quoted(tag)}, which is not an image reference`);
      }
    }
    return { where, config, layers: layers as string[], tags: tags as string[] };
  });
}

/** A manifest.json entry's fields as Go reads them: a docker-archive's, and kbld's (imgpkg's). */
const dockerShape = new Set(['config', 'layers', 'repotags']);
const kbldShape = new Set(['image', 'imageindex']);

/**
 * Whether manifest.json is a docker-archive's (entries with Config and Layers) rather than kbld's
 * (entries with Image or ImageIndex), its keys read as Go reads them (`layers` is `Layers` to docker
 * and skopeo). An entry with fields of both, or entries of both kinds, are refused: docker load would
 * read one image from it and imgpkg another.
 */
export function isDockerManifest(file: string, bytes: Buffer | undefined): boolean {
  if (bytes === undefined) return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return false;
  }
  if (!Array.isArray(parsed) || parsed.length === 0) return false;
  const shapes = parsed.map((entry: unknown, at) => {
    const keys = typeof entry === 'object' && entry !== null ? Object.keys(entry).map(goFold) : [];
    const docker = keys.some((key) => dockerShape.has(key));
    const kbld = keys.some((key) => kbldShape.has(key));
    if (docker && kbld)
      throw new ArchiveError(
        file,
        `manifest.json entry ${at + 1} has a docker-archive's fields and kbld's: docker load and imgpkg would read different images from it`,
      );
    return docker;
  });
  if (shapes.some((docker) => docker) && !shapes.every((docker) => docker))
    throw new ArchiveError(file, "manifest.json mixes a docker-archive's entries with kbld's: refused, as no one tool reads them all");
  return shapes[0] === true;
}

/**
 * The regular file a name leads to: the file itself, or a link's target, followed by name inside the
 * archive, at most `steps` links (a layer's: older `docker save` links duplicate layers; a config's,
 * one symlink, as skopeo follows). A hard link must name a regular file: a hard link to a symlink is a
 * symlink where the hard link is once extracted, whose target `docker load` reads from there. A target
 * that climbs out of the archive, a chain that goes on or loops, and a name that leads nowhere are
 * refused, naming the link.
 */
export function resolveEntry(file: string, store: TarBlobs, name: string, steps = maxLinkSteps): TarFile & { name: string } {
  let current = path.posix.normalize(name.replace(/^\.\//, ''));
  for (let step = 0; step <= steps; step++) {
    const found = store.files.get(current);
    if (found !== undefined) return { ...found, name: current };
    const link = store.links.get(current);
    if (link === undefined) throw new ArchiveError(file, `manifest.json names ${quoted(name)}, which the archive does not hold`);
    if (link.type !== 'symlink' && !store.files.has(path.posix.normalize(link.target)))
      throw new ArchiveError(
        file,
        `${quoted(current)} is a ${link.type} to ${quoted(link.target)}, which is not a regular file of the archive`,
      );
    const target =
      link.type === 'symlink' && !link.target.startsWith('/') ? path.posix.join(path.posix.dirname(current), link.target) : link.target;
    const normalized = path.posix.normalize(target);
    if (target.startsWith('/') || normalized === '..' || normalized.startsWith('../'))
      throw new ArchiveError(file, `${quoted(current)} is a ${link.type} to ${quoted(link.target)}, outside the archive`);
    current = normalized;
  }
  throw new ArchiveError(file, `${quoted(name)} is a chain of more than ${steps} ${steps === 1 ? 'link' : 'links'}`);
}

/** The fields of an image config as Docker spells them, and of its rootfs: another spelling is refused. */
const configFields = ['architecture', 'os', 'variant', 'config', 'rootfs', 'history', 'created', 'author'];
const rootfsFields = ['type', 'diff_ids'];

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A config's diff IDs, read as docker load and skopeo read them (Go, which takes `RootFS` for `rootfs`):
 * the config an object, its rootfs an object, both spelled as Docker spells them; an image without layers
 * has none (Docker leaves `diff_ids` out, Go's omitempty, or writes null).
 */
function configDiffIds(file: string, what: string, config: unknown): unknown[] {
  if (!isObject(config)) throw new ArchiveError(file, `${what} is not a JSON object`);
  const rootfs = config.rootfs;
  const respelled = respelledField(config, configFields) ?? (isObject(rootfs) ? respelledField(rootfs, rootfsFields) : undefined);
  if (respelled !== undefined) throw new ArchiveError(file, `${what}: ${respelled}`);
  if (!isObject(rootfs)) throw new ArchiveError(file, `${what} has no rootfs, which skopeo refuses (rootFS is not set)`);
  const diffIds = rootfs.diff_ids ?? [];
  if (!Array.isArray(diffIds)) throw new ArchiveError(file, `${what} has no list of diff IDs (rootfs.diff_ids)`);
  return diffIds;
}

/** A layer's media type from its first bytes: gzip, zstd, or a plain tar. */
async function layerType(store: TarBlobs, layer: TarFile): Promise<string> {
  if (layer.size < 4) return 'application/vnd.oci.image.layer.v1.tar';
  const head = await collect(store.openRange(layer.offset, 4), 4, () => new Error('too large'));
  if (head[0] === 0x1f && head[1] === 0x8b) return 'application/vnd.oci.image.layer.v1.tar+gzip';
  if (head.readUInt32LE(0) === 0xfd2fb528) return 'application/vnd.oci.image.layer.v1.tar+zstd';
  return 'application/vnd.oci.image.layer.v1.tar';
}

/**
 * The digest of a compressed layer's tar, in the diff ID's algorithm: the layer read from the archive
 * through gzip or zstd, at most `maxBlobBytes` of it (a layer that decompresses to more is refused).
 */
async function uncompressedDigest(
  file: string,
  store: TarBlobs,
  layer: TarFile,
  mediaType: string,
  diffId: string,
  maxBlobBytes: number,
): Promise<string> {
  const algorithm = diffId.slice(0, diffId.indexOf(':'));
  const hash = createHash(algorithm);
  let bytes = 0;
  try {
    await pipeline(
      store.openRange(layer.offset, layer.size),
      mediaType.endsWith('+zstd') ? zlib.createZstdDecompress() : zlib.createGunzip(),
      async (tar: AsyncIterable<Buffer>) => {
        for await (const chunk of tar) {
          bytes += chunk.length;
          if (bytes > maxBlobBytes)
            throw new Error(`it decompresses to more than the ${maxBlobBytes} bytes ferry accepts (max-blob-bytes)`);
          hash.update(chunk);
        }
      },
    );
  } catch (error) {
    if (error instanceof ArchiveError || store.signal?.aborted) throw error;
    throw new ArchiveError(file, `layer ${layer.digest} cannot be decompressed: ${(error as Error).message}`);
  }
  return `${algorithm}:${hash.digest('hex')}`;
}

/**
 * The images of a docker-archive, each with an OCI manifest made from its config and layers (kept in the
 * store by digest, so the walk and the push read them as any other blob).
 */
export async function readDockerArchive(
  file: string,
  store: TarBlobs,
  manifestJson: Buffer | undefined,
  maxBlobBytes: number,
): Promise<ArchiveImage[]> {
  const images: ArchiveImage[] = [];
  // Each config read and parsed once, however many entries name it; each layer's type and uncompressed
  // digest found once, however many images list it (a layer named a thousand times is not decompressed
  // a thousand times).
  const diffIdsOf = new Map<string, Promise<unknown[]>>();
  const layerTypes = new Map<string, Promise<string>>();
  const uncompressed = new Map<string, Promise<string>>();
  const entries = dockerEntries(file, manifestJson);
  const mentions = entries.reduce((sum, entry) => sum + entry.layers.length, 0);
  if (mentions > maxLayerMentions)
    throw new ArchiveError(file, `manifest.json lists ${mentions} layers in all, more than the ${maxLayerMentions} ferry reads`);
  for (const entry of entries) {
    const { where, tags } = entry;
    const config = resolveEntry(file, store, entry.config, 1);
    if (config.size > maxManifestBytes) throw new ArchiveError(file, `${where}: its config is larger than ${maxManifestBytes} bytes`);
    const diffIds = await once(diffIdsOf, config.name, async () => {
      const bytes = await collect(store.openRange(config.offset, config.size), maxManifestBytes, () => new Error('too large'));
      const what = `${where}: its config ${quoted(config.name)}`;
      return configDiffIds(file, what, parseJson<unknown>(file, what, bytes));
    });
    // A config without a diff ID for each layer describes no file system a runtime can check its layers
    // against: docker load and skopeo compare the counts.
    if (diffIds.length !== entry.layers.length)
      throw new ArchiveError(file, `${where}: its config lists ${diffIds.length} layers and manifest.json ${entry.layers.length}`);
    const layers: Descriptor[] = [];
    for (const [index, layerPath] of entry.layers.entries()) {
      const layer = resolveEntry(file, store, layerPath);
      const diffId: unknown = diffIds[index];
      const reason = typeof diffId === 'string' ? digestError(diffId) : 'not a string';
      if (typeof diffId !== 'string' || reason !== undefined)
        throw new ArchiveError(file, `${where}: its config's diff ID for layer ${index + 1} is not a digest (${reason})`);
      const mediaType = await once(layerTypes, layer.name, () => layerType(store, layer));
      // A layer's diff ID is the digest of its tar (a plain layer's own, a compressed one's once
      // decompressed): one that is not is not the layer its config describes, which docker load and
      // skopeo refuse, and a runtime would at its pull.
      const actual = mediaType.endsWith('.tar')
        ? layer.digest
        : await once(uncompressed, `${layer.name}\n${diffId.slice(0, diffId.indexOf(':'))}`, () =>
            uncompressedDigest(file, store, layer, mediaType, diffId, maxBlobBytes),
          );
      if (actual !== diffId)
        throw new ArchiveError(
          file,
          `${where}: layer ${quoted(layerPath)} is ${actual}${mediaType.endsWith('.tar') ? '' : ' decompressed'}, but its config gives that layer ${diffId}`,
        );
      store.located.set(layer.digest, { offset: layer.offset, size: layer.size });
      layers.push({ mediaType, digest: layer.digest, size: layer.size });
    }
    store.located.set(config.digest, { offset: config.offset, size: config.size });
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: ociManifest,
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config.digest, size: config.size },
        layers,
      }),
    );
    const descriptor = store.keep(manifest, ociManifest);
    images.push({
      descriptor,
      ...(tags[0] === undefined ? {} : { refName: tags[0] }),
      sources: [...tags],
      rebuilt: true,
    });
  }
  return images;
}

/** An image as a name gives it: its config's digest, then its layers' digests, in order. */
const imageKey = (digests: readonly string[]): string => digests.join(' ');

/**
 * `registry/repository:tag` of a name, however it is spelled (`app:v1` is docker.io/library/app:v1),
 * a name without a tag meaning `latest`, as the lookup reads it; undefined for a digest alone.
 */
function nameKey(reference: string): string | undefined {
  try {
    const tag = impliedTag(reference);
    return tag === undefined ? undefined : `${parseReference(reference).name}:${tag}`;
  } catch {
    return undefined;
  }
}

/**
 * An OCI layout that also holds a docker-archive's manifest.json (`docker save` from Docker 25 on
 * writes both): classic `docker load` and skopeo's `docker-archive:` read manifest.json, containerd and
 * ferry read index.json. Every name either gives must be the same image in the other, its config and
 * layers (of the image index.json names, or of one of its platforms), or the archive is refused: what
 * one loader shows of it must be what ferry imports.
 */
export async function checkDockerAgrees(
  file: string,
  store: TarBlobs,
  manifestJson: Buffer,
  images: readonly ArchiveImage[],
): Promise<void> {
  const docker = new Map<string, string>();
  for (const { where, config, layers, tags } of dockerEntries(file, manifestJson)) {
    const key = imageKey(
      [resolveEntry(file, store, config, 1), ...layers.map((name) => resolveEntry(file, store, name))].map(({ digest }) => digest),
    );
    for (const tag of tags) {
      const name = nameKey(tag);
      if (name === undefined)
        throw new ArchiveError(file, `${where} names the image ${quoted(tag)}, which is not an image reference with a tag`);
      if (docker.has(name) && docker.get(name) !== key) throw new ArchiveError(file, `manifest.json names two images ${quoted(tag)}`);
      docker.set(name, key);
    }
  }
  const layout = new Map<string, Set<string>>();
  for (const image of images) {
    // The images an entry stands for: itself, or each platform of an index it holds (one level down,
    // as Docker writes it), decoded as the walk decodes them.
    const top = decodeManifest(await store.getManifest(image.descriptor.digest, image.descriptor.mediaType));
    const decoded = [top];
    for (const child of top.children)
      if (store.size(child.digest) !== undefined) decoded.push(decodeManifest(await store.getManifest(child.digest, child.mediaType)));
    const keys = new Set(
      decoded.filter((manifest) => manifest.kind === 'image').map((manifest) => imageKey(manifest.blobs.map((blob) => blob.digest))),
    );
    for (const source of image.sources) {
      const name = nameKey(source);
      if (name === undefined) continue;
      const held = layout.get(name) ?? new Set<string>();
      // Two entries of index.json under one name are refused later, as any ambiguity is.
      for (const key of keys) held.add(key);
      if (keys.size === 0) held.add('');
      layout.set(name, held);
    }
  }
  for (const name of new Set([...docker.keys(), ...layout.keys()])) {
    const key = docker.get(name);
    const held = layout.get(name);
    if (key === undefined || held === undefined)
      throw new ArchiveError(
        file,
        `${key === undefined ? 'index.json' : 'manifest.json'} names ${quoted(name)} and ${key === undefined ? 'manifest.json' : 'index.json'} does not: docker load and containerd would load different images from it`,
      );
    if (!held.has(key))
      throw new ArchiveError(
        file,
        `manifest.json and index.json name different images ${quoted(name)}: docker load and containerd would load different images from it`,
      );
  }
}
