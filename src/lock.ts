// kbld's lock file (a `Config` with preresolved overrides), written so that
// `kbld -f manifests -f ferry.lock.yml` reproduces ferry's output offline, and read back as overrides;
// imgpkg's ImagesLock is read too.
import { controlCharacterClass } from './workspace.js';
import { LineCounter, type YAMLMap, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import { plainOrQuoted } from './manifests/edit.js';
import { yamlErrorReason } from './manifests/field.js';
import { InvalidReferenceError, parseReference } from './reference.js';

export const lockApiVersion = 'kbld.k14s.io/v1alpha1';
export const lockKind = 'Config';
export const minimumRequiredVersion = '0.30.0';
const imagesLockKind = 'ImagesLock';
/** The annotation kbld puts on an ImagesLock entry: the image string it was resolved from. */
const kbldIdAnnotation = 'kbld.carvel.dev/id';

export interface Override {
  /** The string as found in the YAML. */
  readonly image: string;
  readonly newImage: string;
  /** A comment above the entry (what travelled with the image, a platform filter): kbld reads past it. */
  readonly note?: string;
}

/**
 * The lock text: one override per distinct found string, sorted by it. Written line by line (a yaml
 * Document cost a tenth of a large rewrite), each value plain where YAML 1.2 and 1.1 readers (kbld's
 * is 1.1) read the same string back, double-quoted otherwise, as edits write values.
 */
export function formatLock(overrides: readonly Override[]): string {
  const distinct = new Map<string, Override>();
  for (const override of overrides) distinct.set(override.image, override);
  const sorted = [...distinct.values()].sort((a, b) => (a.image < b.image ? -1 : a.image > b.image ? 1 : 0));
  const lines = [
    // The constants, as kbld writes them: plain, and read as strings by both readers.
    `apiVersion: ${lockApiVersion}`,
    `kind: ${lockKind}`,
    `minimumRequiredVersion: ${minimumRequiredVersion}`,
    sorted.length === 0 ? 'overrides: []' : 'overrides:',
  ];
  for (const { image, newImage, note } of sorted) {
    // One line per note, control characters out: a comment must not end early or forge YAML.
    if (note !== undefined) lines.push(`# ${note.replace(new RegExp(controlCharacterClass, 'gu'), ' ')}`);
    lines.push(`- image: ${plainOrQuoted(image)}`, `  newImage: ${plainOrQuoted(newImage)}`, '  preresolved: true');
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Several locks as one (the partial locks of a sharded run): an image locked to two different results
 * is an error naming both files.
 */
export function mergeLocks(locks: readonly { name: string; overrides: ReadonlyMap<string, string> }[]): Map<string, string> {
  const merged = new Map<string, { newImage: string; from: string }>();
  for (const { name, overrides } of locks) {
    for (const [image, newImage] of overrides) {
      const other = merged.get(image);
      if (other !== undefined && other.newImage !== newImage) {
        throw new Error(
          `${image} is locked to ${other.newImage} in ${other.from} and to ${newImage} in ${name}: merge locks of one release only`,
        );
      }
      merged.set(image, { newImage, from: name });
    }
  }
  return new Map([...merged].map(([image, { newImage }]) => [image, newImage]));
}

/**
 * The overrides of a kbld Config file (or an imgpkg ImagesLock), by found string. Other kbld sections
 * (sources, destinations, search rules) are not ferry's business and are ignored; a malformed override
 * is an error with its line. An ImagesLock entry overrides the string kbld resolved it from
 * (`kbld.carvel.dev/id`), else stands for itself.
 */
export function parseLock(name: string, text: string): Map<string, string> {
  const lines = new LineCounter();
  const overrides = new Map<string, string>();
  const where = (offset: number | undefined): string => {
    const { line, col } = lines.linePos(offset ?? 0);
    return `${name}:${line}:${col}`;
  };
  const checked = (image: string, newImage: string, offset: number | undefined): void => {
    try {
      parseReference(newImage);
    } catch (error) {
      if (!(error instanceof InvalidReferenceError)) throw error;
      throw new Error(`${where(offset)}: the image locked for ${image} is not an image reference: ${error.reason}`, { cause: error });
    }
    overrides.set(image, newImage);
  };
  const imagesLock = (root: YAMLMap): void => {
    const list = root.get('images', true);
    if (list === undefined) return;
    if (!isSeq(list)) throw new Error(`${where(root.range?.[0])}: images must be a list`);
    for (const item of list.items) {
      const image = isMap(item) ? item.get('image', true) : undefined;
      const annotations = isMap(item) ? item.get('annotations', true) : undefined;
      const id = isMap(annotations) ? annotations.get(kbldIdAnnotation) : undefined;
      if (!isScalar(image) || typeof image.value !== 'string') {
        throw new Error(
          `${where(isMap(item) || isScalar(item) ? item.range?.[0] : undefined)}: each ImagesLock entry needs a string image`,
        );
      }
      checked(typeof id === 'string' && id !== '' ? id : image.value, image.value, image.range?.[0]);
    }
  };
  for (const document of parseAllDocuments(text, { lineCounter: lines })) {
    const error = document.errors[0];
    if (error !== undefined) throw new Error(`${where(error.pos[0])}: ${yamlErrorReason(error)}`);
    const root = document.contents;
    if (root === null) continue;
    if (!isMap(root)) throw new Error(`${where(root.range?.[0])}: a kbld lock is a map with apiVersion, kind and overrides`);
    const kind: unknown = root.get('kind');
    const apiVersion: unknown = root.get('apiVersion');
    if (kind === imagesLockKind && typeof apiVersion === 'string' && apiVersion.startsWith('imgpkg.carvel.dev/')) {
      imagesLock(root);
      continue;
    }
    if (kind !== lockKind || typeof apiVersion !== 'string' || !apiVersion.startsWith('kbld.k14s.io/')) {
      throw new Error(
        `${where(root.range?.[0])}: not a kbld Config or imgpkg ImagesLock (apiVersion ${String(apiVersion)}, kind ${String(kind)})`,
      );
    }
    const list = root.get('overrides', true);
    if (list === undefined) continue;
    if (!isSeq(list)) throw new Error(`${where(root.range?.[0])}: overrides must be a list`);
    for (const item of list.items) {
      const image = isMap(item) ? item.get('image', true) : undefined;
      const newImage = isMap(item) ? item.get('newImage', true) : undefined;
      if (!isScalar(image) || typeof image.value !== 'string' || !isScalar(newImage) || typeof newImage.value !== 'string') {
        const offset = isMap(item) || isScalar(item) ? item.range?.[0] : undefined;
        throw new Error(`${where(offset)}: each override needs string image and newImage`);
      }
      checked(image.value, newImage.value, newImage.range?.[0]);
    }
  }
  return overrides;
}
