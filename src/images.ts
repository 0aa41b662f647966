// One entry per distinct image: the string found (or named by the `lock`), what is fetched for it and
// the name it gets. Every name is checked here, before any registry is asked anything.
import { rewriteChart, rewriteImage } from './default-repo.js';
import { type ImageField, ManifestError, type Position, errorAt } from './manifests/field.js';
import { kustomizeSplit } from './manifests/kinds/kustomize.js';
import { InvalidReferenceError, impliedTag, nameText, parseReference, parseReferenceParts, referenceText } from './reference.js';
import { quoted, shortened } from './untrusted-text.js';

export interface ImageEntry {
  /** The string as found in the YAML, or as the `lock` names it. */
  readonly image: string;
  /** What is fetched: the found string, or its override from the `lock` input. */
  readonly source: string;
  /** The name it gets, before any pinning. */
  readonly newImage: string;
  /** Where it is used; empty for an image that only the `lock` names. */
  readonly fields: readonly ImageField[];
}

export interface ImageSetOptions {
  readonly defaultRepo: string;
  readonly multiLevel: boolean | undefined;
  /** Every image into this one repository, kbld style; '' for per-image names. */
  readonly repository: string;
  readonly overrides: ReadonlyMap<string, string>;
  /** Where each override is in its lock: what an image only the lock names is refused at. */
  readonly lockedAt?: ReadonlyMap<string, Position>;
  /** The images the lock names are part of the set even where no manifest uses them. */
  readonly includeLocked: boolean;
  /** Names will be pinned by digest: a kustomize entry must then say which tag it means. */
  readonly pinned: boolean;
}

export interface ImageSet {
  readonly entries: readonly ImageEntry[];
  /** Every field whose value or new name is not an image reference, and every name two images would share. */
  readonly errors: readonly ManifestError[];
}

/** The name an image gets in the single-repository layout: the repository, with the tag and digest. */
function intoRepository(repository: string, source: string): string {
  const { tag, digest } = parseReferenceParts(source);
  return referenceText(repository, tag, digest);
}

/** The name an image (or, with `chart`, a Helm chart) gets: into the one repository, else onto the default repo. */
export function destinationName(
  source: string,
  options: Pick<ImageSetOptions, 'defaultRepo' | 'multiLevel' | 'repository'>,
  chart = false,
): string {
  if (options.repository !== '') return intoRepository(options.repository, source);
  return (chart ? rewriteChart : rewriteImage)(source, options.defaultRepo, { multiLevel: options.multiLevel });
}

/** Why a rewritten name is not a reference, and what to do about it. */
function destinationError(source: string, newImage: string, reason: string, options: ImageSetOptions): string {
  const domain = parseReferenceParts(source).domain;
  const hint =
    domain?.includes(':') && options.repository === '' && newImage.includes(`/${domain}/`)
      ? `: the multi-level default repo ${options.defaultRepo} keeps the source registry ${domain} in the path, and a port cannot be part of a repository path; relocate this image with \`repository\`, or pin it to a name without a port through a \`lock\` override`
      : '';
  return `${shortened(source, 200)} would become ${quoted(newImage)}, which is not an image reference (${reason})${hint}`;
}

function sortedBy<T>(items: Iterable<[string, T]>): [string, T][] {
  return [...items].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A kustomize entry that gives no tag while the images it matches have several: which one is pinned? */
function ambiguousEntry(field: ImageField): string | undefined {
  if (field.kind !== 'kustomize' || field.newTag?.value || field.digest?.value) return undefined;
  const tails = new Set(field.matches.map((match) => kustomizeSplit(match.value).tail));
  if (tails.size < 2) return undefined;
  const listed = field.matches.map((match) => `${match.value} (${match.file}:${match.line})`).join(', ');
  return `this images entry matches ${listed}: set newTag or digest so that it names one image`;
}

export function collectImages(fields: readonly ImageField[], options: ImageSetOptions): ImageSet {
  const byImage = new Map<string, ImageField[]>();
  for (const field of fields) {
    const list = byImage.get(field.value);
    if (list === undefined) byImage.set(field.value, [field]);
    else list.push(field);
  }
  if (options.includeLocked) for (const image of options.overrides.keys()) if (!byImage.has(image)) byImage.set(image, []);

  const entries: ImageEntry[] = [];
  const errors: ManifestError[] = [];
  const claimed = new Map<string, ImageEntry>();
  for (const [image, imageFields] of sortedBy(byImage)) {
    // An image only the lock names is refused at its lock entry: dropped without a word, it would not be imported.
    const lockEntry = imageFields.length === 0 ? options.lockedAt?.get(image) : undefined;
    const failAll = (reason: string): void => {
      for (const field of imageFields) errors.push(errorAt(field, reason));
      if (imageFields.length === 0) errors.push(errorAt(lockEntry ?? { file: 'lock', line: 1, column: 1 }, reason));
    };
    try {
      parseReference(image);
    } catch (error) {
      if (!(error instanceof InvalidReferenceError)) throw error;
      failAll(`${quoted(image)} is not an image reference: ${error.reason}`);
      continue;
    }
    for (const field of imageFields) {
      if ((field.kind === 'kustomize' || (field.kind === 'rendered' && field.chain.length > 0)) && options.repository !== '') {
        errors.push(
          errorAt(
            field,
            'a kustomize images entry cannot keep matching its base when every image goes into one repository (`repository`): use `default-repo`',
          ),
        );
      }
      const ambiguous = options.pinned ? ambiguousEntry(field) : undefined;
      if (ambiguous !== undefined) errors.push(errorAt(field, ambiguous));
    }
    const chart = imageFields.some((field) => field.kind === 'chart');
    if (chart && options.repository !== '') {
      failAll(
        'a Helm chart cannot go into one repository (`repository`) with the images: its name must stay last, as its repository URL and chart name are joined; use `default-repo`, or set charts: false',
      );
      continue;
    }
    const source = options.overrides.get(image) ?? image;
    const newImage = destinationName(source, options, chart);
    try {
      parseReference(newImage);
    } catch (error) {
      if (!(error instanceof InvalidReferenceError)) throw error;
      failAll(destinationError(source, newImage, error.reason, options));
      continue;
    }
    const entry: ImageEntry = { image, source, newImage, fields: imageFields };
    // Two different images must not get one name: one would overwrite the other at the destination, and
    // a cluster would run the wrong one. Pinned names may be shared where no tag is put: in the single
    // repository (every image by digest, as kbld does) and for a name without a tag.
    // A name without a tag gets `latest` at the destination, as it means `latest` at its source.
    const named = parseReferenceParts(newImage);
    const tag = impliedTag(newImage);
    const shared = options.pinned && (options.repository !== '' || tag === undefined);
    // Keyed by name and tag: two digests under one tag still share the tag the destination gets.
    const claim = tag === undefined ? newImage : referenceText(nameText(named), tag, undefined);
    const other = shared ? undefined : claimed.get(claim);
    // A source already at its destination name (a file rewritten before) is the place the other goes to,
    // not a second image; `app` and `app:latest` are one image.
    const canonical = (reference: string): string => {
      const parsed = parseReference(reference);
      return referenceText(parsed.name, impliedTag(reference), parsed.digest);
    };
    const distinct = (a: string, b: string): boolean => canonical(a) !== canonical(b);
    if (other !== undefined && distinct(other.source, source) && distinct(other.source, other.newImage) && distinct(source, newImage)) {
      const otherAt = other.fields[0] ?? options.lockedAt?.get(other.image);
      const where = otherAt === undefined ? 'the lock' : `${otherAt.file}:${otherAt.line}`;
      const hint =
        options.repository !== ''
          ? 'pin them by digest, or use default-repo instead of repository'
          : `the default repo's naming gives both one name: rename one at its source, or give one its own name with a lock override`;
      failAll(`${image} and ${other.image} (${where}) would both become ${newImage}: ${hint}`);
      continue;
    }
    claimed.set(claim, entry);
    entries.push(entry);
  }
  return { entries, errors };
}
