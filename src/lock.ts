// kbld's lock file (a `Config` with preresolved overrides), written so that
// `kbld -f manifests -f ferry.lock.yml` reproduces ferry's output offline, and read back as overrides;
// imgpkg's ImagesLock is read too.
import {
  LineIndex,
  type MapNode,
  type YamlNode,
  YamlSyntaxError,
  mapGet,
  mapValueStart,
  parseYamlData,
  resolveAlias,
} from './yaml/data.js';
import { oneLine, quoted } from './untrusted-text.js';
import { plainOrQuoted } from './manifests/edit.js';
import { InvalidReferenceError, parseReference } from './reference.js';
import { artifactCounts } from './copy/artifacts.js';
import type { CopySummary, Outcome, Override } from './result.js';
import { type Position, positionText } from './manifests/field.js';
import { verificationText } from './verify/verification.js';

export const lockApiVersion = 'kbld.k14s.io/v1alpha1';
export const lockKind = 'Config';
export const minimumRequiredVersion = '0.30.0';
const imagesLockKind = 'ImagesLock';
/** The annotation kbld puts on an ImagesLock entry: the image string it was resolved from. */
const kbldIdAnnotation = 'kbld.carvel.dev/id';

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
    if (note !== undefined) lines.push(`# ${oneLine(note)}`);
    lines.push(`- image: ${plainOrQuoted(image)}`, `  newImage: ${plainOrQuoted(newImage)}`, '  preresolved: true');
  }
  return `${lines.join('\n')}\n`;
}

/** A lock's overrides: the image each found string is locked to, and where its entry is. */
export interface LockEntries {
  readonly overrides: Map<string, string>;
  /** Each found string's entry (the first, where the lock repeats one), for messages. */
  readonly at: Map<string, Position>;
}

/**
 * Several locks as one (the partial locks of a sharded run): an image locked to two different results
 * is an error naming both files.
 */
export function mergeLocks(locks: readonly { name: string; lock: LockEntries }[]): LockEntries {
  const merged: LockEntries = { overrides: new Map(), at: new Map() };
  for (const { name, lock } of locks) {
    for (const [image, newImage] of lock.overrides) {
      const other = merged.overrides.get(image);
      if (other !== undefined && other !== newImage) {
        throw new Error(
          `${quoted(image, 200)} is locked to ${quoted(other, 200)} in ${placeText(merged.at.get(image))} and to ${quoted(newImage, 200)} in ${placeText(lock.at.get(image)) || name}: merge locks of one release only`,
        );
      }
      if (other !== undefined) continue;
      merged.overrides.set(image, newImage);
      const at = lock.at.get(image);
      if (at !== undefined) merged.at.set(image, at);
    }
  }
  return merged;
}

/** Where an entry is, or '' where none is known. */
const placeText = (at: Position | undefined): string => (at === undefined ? '' : positionText(at));

/**
 * The overrides of a kbld Config file (or an imgpkg ImagesLock), by found string. Other kbld sections
 * (sources, destinations, search rules) are not ferry's business and are ignored; a malformed override
 * is an error with its line. An ImagesLock entry overrides the string kbld resolved it from
 * (`kbld.carvel.dev/id`), else stands for itself. A found string locked twice to one image is that
 * image; locked to two (documents of one file concatenated, say) it is refused, naming both lines:
 * kbld takes the first, and a run that took the other would deploy another version than kbld.
 */
export function parseLock(name: string, text: string): LockEntries {
  const lines = new LineIndex(text);
  const lock: LockEntries = { overrides: new Map(), at: new Map() };
  const position = (offset: number | undefined): Position => ({ file: name, ...lines.position(Math.max(offset ?? 0, 0)) });
  const where = (offset: number | undefined): string => positionText(position(offset));
  const checked = (image: string, newImage: string, offset: number | undefined): void => {
    try {
      parseReference(newImage);
    } catch (error) {
      if (!(error instanceof InvalidReferenceError)) throw error;
      throw new Error(`${where(offset)}: the image locked for ${quoted(image, 200)} is not an image reference: ${error.reason}`, {
        cause: error,
      });
    }
    const first = lock.overrides.get(image);
    if (first === undefined) {
      lock.overrides.set(image, newImage);
      lock.at.set(image, position(offset));
    } else if (first !== newImage) {
      throw new Error(
        `${where(offset)}: ${quoted(image, 200)} is locked to ${quoted(newImage, 200)} here and to ${quoted(first, 200)} at ${placeText(lock.at.get(image))}: one image for each found string (kbld would take the first)`,
      );
    }
  };
  const text_ = (node: YamlNode | undefined): string | undefined =>
    node?.kind === 'scalar' && typeof node.value === 'string' ? node.value : undefined;
  const imagesLock = (root: MapNode): void => {
    const list = mapGet(root, 'images');
    if (list === undefined) return;
    if (list.kind !== 'seq') throw new Error(`${where(root.start)}: images must be a list`);
    const seen = new Set<YamlNode>();
    for (const entry of list.items) {
      const item = resolveAlias(entry);
      // An alias repeats an entry already read: once is enough (and N aliases to a map of N keys cost N², read each time).
      if (seen.has(item)) continue;
      seen.add(item);
      const image = item.kind === 'map' ? mapGet(item, 'image') : undefined;
      const annotations = item.kind === 'map' ? mapGet(item, 'annotations') : undefined;
      const id = annotations?.kind === 'map' ? text_(mapGet(annotations, kbldIdAnnotation)) : undefined;
      const value = text_(image);
      if (value === undefined) throw new Error(`${where(item.start)}: each ImagesLock entry needs a string image`);
      checked(id !== undefined && id !== '' ? id : value, value, item.kind === 'map' ? mapValueStart(item, 'image') : undefined);
    }
  };
  let documents;
  try {
    documents = parseYamlData(text);
  } catch (error) {
    if (!(error instanceof YamlSyntaxError)) throw error;
    throw new Error(`${where(error.offset)}: not valid YAML: ${error.reason}`, { cause: error });
  }
  for (const document of documents) {
    if (document.root === undefined) continue;
    const root = resolveAlias(document.root);
    if (root.kind === 'scalar' && root.start < 0) continue;
    if (root.kind !== 'map') throw new Error(`${where(root.start)}: a kbld lock is a map with apiVersion, kind and overrides`);
    const kind = text_(mapGet(root, 'kind'));
    const apiVersion = text_(mapGet(root, 'apiVersion'));
    if (kind === imagesLockKind && apiVersion?.startsWith('imgpkg.carvel.dev/')) {
      imagesLock(root);
      continue;
    }
    if (kind !== lockKind || apiVersion === undefined || !apiVersion.startsWith('kbld.k14s.io/')) {
      throw new Error(
        `${where(root.start)}: not a kbld Config or imgpkg ImagesLock (apiVersion ${quoted(String(apiVersion), 100)}, kind ${quoted(String(kind), 100)})`,
      );
    }
    const list = mapGet(root, 'overrides');
    if (list === undefined || (list.kind === 'scalar' && list.value === null)) continue;
    if (list.kind !== 'seq') throw new Error(`${where(root.start)}: overrides must be a list`);
    const seen = new Set<YamlNode>();
    for (const entry of list.items) {
      const item = resolveAlias(entry);
      if (seen.has(item)) continue;
      seen.add(item);
      const image = item.kind === 'map' ? text_(mapGet(item, 'image')) : undefined;
      const newImage = item.kind === 'map' ? mapGet(item, 'newImage') : undefined;
      const newValue = text_(newImage);
      if (image === undefined || newValue === undefined)
        throw new Error(`${where(item.start)}: each override needs string image and newImage`);
      checked(image, newValue, item.kind === 'map' ? mapValueStart(item, 'newImage') : undefined);
    }
  }
  return lock;
}

/** What the lock and the log say besides the digest: what travelled with the image, a platform filter. */
export function copyNote(copy: CopySummary): string {
  const parts: string[] = [];
  if (copy.filteredFrom !== undefined)
    parts.push(
      `${copy.platforms.join(', ') || 'one platform'} of ${copy.filteredFrom} (platforms input), so the digest differs from the source's`,
    );
  const travelled = artifactCounts(copy.artifacts);
  if (travelled !== '') parts.push(`travelled with it: ${travelled}`);
  return parts.join('; ');
}

/** The lock's comment for an image: what travelled with it, a platform filter, what vouched for it. */
export function outcomeNote(outcome: Outcome): string {
  const parts = outcome.copy === undefined ? [] : [copyNote(outcome.copy)];
  if (outcome.verified !== undefined) {
    const original = outcome.copy?.filteredFrom;
    parts.push(
      `verified: ${verificationText(outcome.verified)}${original === undefined ? '' : ` (the source's ${original}, before the platform filter)`}`,
    );
  }
  if (outcome.attestation !== undefined) parts.push(`attested: ${outcome.attestation}`);
  return parts.filter((part) => part !== '').join('; ');
}
