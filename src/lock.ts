// kbld's lock file (a `Config` with preresolved overrides), written so that
// `kbld -f manifests -f ferry.lock.yml` reproduces ferry's output offline, and read back as overrides;
// imgpkg's ImagesLock is read too.
import { controlCharacterClass } from './workspace.js';
import { LineCounter, type YAMLMap, isMap, isScalar, isSeq, parseAllDocuments, stringify } from 'yaml';
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

// A value that starts with a lowercase letter, holds only these characters and does not end in `:` is
// written plain by the yaml library, unless it is a core schema word; every other value is left to the
// library to quote.
const plainValue = /^[a-z](?:[A-Za-z0-9._\-/:@]*[A-Za-z0-9._\-/@])?$/;
const coreWords = /^(?:null|true|false)$/;

/** A value as the yaml library writes it in a YAML 1.2 block map: plain where that reads back the same. */
function lockScalar(value: string): string {
  return plainValue.test(value) && !coreWords.test(value) ? value : stringify(value, { version: '1.2', lineWidth: 0 }).replace(/\n$/, '');
}

/**
 * The lock text: one override per distinct found string, sorted by it. Written line by line, byte for
 * byte what the yaml library's Document writes for it (test/lock.test.ts holds the two side by side),
 * at a fraction of the cost for the thousands of entries of a large repository.
 */
export function formatLock(overrides: readonly Override[]): string {
  const distinct = new Map<string, Override>();
  for (const override of overrides) distinct.set(override.image, override);
  const sorted = [...distinct.values()].sort((a, b) => (a.image < b.image ? -1 : a.image > b.image ? 1 : 0));
  const lines = [
    `apiVersion: ${lockScalar(lockApiVersion)}`,
    `kind: ${lockScalar(lockKind)}`,
    `minimumRequiredVersion: ${lockScalar(minimumRequiredVersion)}`,
    sorted.length === 0 ? 'overrides: []' : 'overrides:',
  ];
  for (const { image, newImage, note } of sorted) {
    // One line per note, control characters out: a comment must not end early or forge YAML.
    if (note !== undefined) lines.push(`# ${note.replace(new RegExp(controlCharacterClass, 'gu'), ' ')}`);
    lines.push(`- image: ${lockScalar(image)}`, `  newImage: ${lockScalar(newImage)}`, '  preresolved: true');
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
