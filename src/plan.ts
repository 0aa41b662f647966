// One entry per distinct image string found: where it comes from and the name it gets.
import { rewriteImage } from './default-repo.js';
import type { ImageField } from './manifests/locate.js';
import { ManifestError } from './manifests/locate.js';
import { InvalidReferenceError, parseReference, parseReferenceParts } from './reference.js';

export interface PlanEntry {
  /** The string as found in the YAML. */
  readonly image: string;
  /** What is fetched: the found string, or its override from the `lock` input. */
  readonly source: string;
  /** What the YAML will say. */
  readonly newImage: string;
  readonly fields: readonly ImageField[];
}

export interface PlanOptions {
  readonly defaultRepo: string;
  readonly multiLevel: boolean | undefined;
  /** Every image into this one repository, kbld style; '' for per-image names. */
  readonly repository: string;
  readonly overrides: ReadonlyMap<string, string>;
  /** Names will be pinned by digest, so two images sharing a tag cannot collide. */
  readonly pinned?: boolean;
}

export interface Plan {
  readonly entries: readonly PlanEntry[];
  /** Every field whose value is not an image reference, and every name two images would share. */
  readonly errors: readonly ManifestError[];
}

/** The name an image gets in the single-repository layout: the repository, with the tag and digest. */
function intoRepository(repository: string, source: string): string {
  const { tag, digest } = parseReferenceParts(source);
  return repository + (tag === undefined ? '' : `:${tag}`) + (digest === undefined ? '' : `@${digest}`);
}

export function destinationName(source: string, options: PlanOptions): string {
  if (options.repository !== '') return intoRepository(options.repository, source);
  return rewriteImage(source, options.defaultRepo, { multiLevel: options.multiLevel });
}

export function planImages(fields: readonly ImageField[], options: PlanOptions): Plan {
  const byImage = new Map<string, ImageField[]>();
  for (const field of fields) {
    const list = byImage.get(field.value);
    if (list === undefined) byImage.set(field.value, [field]);
    else list.push(field);
  }

  const entries: PlanEntry[] = [];
  const errors: ManifestError[] = [];
  const claimed = new Map<string, PlanEntry>();
  for (const [image, imageFields] of [...byImage].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    try {
      parseReference(image);
    } catch (error) {
      if (!(error instanceof InvalidReferenceError)) throw error;
      for (const field of imageFields) {
        errors.push(
          new ManifestError(field.file, field.line, field.column, `${JSON.stringify(image)} is not an image reference: ${error.reason}`),
        );
      }
      continue;
    }
    const source = options.overrides.get(image) ?? image;
    const entry: PlanEntry = { image, source, newImage: destinationName(source, options), fields: imageFields };
    const other = options.pinned ? undefined : claimed.get(entry.newImage);
    if (other !== undefined && parseReference(other.source).toString() !== parseReference(source).toString()) {
      const [first] = imageFields;
      const [otherField] = other.fields;
      if (first !== undefined && otherField !== undefined) {
        errors.push(
          new ManifestError(
            first.file,
            first.line,
            first.column,
            `${image} and ${other.image} (${otherField.file}:${otherField.line}) would both become ${entry.newImage}: pin them by digest, or use default-repo instead of repository`,
          ),
        );
      }
      continue;
    }
    claimed.set(entry.newImage, entry);
    entries.push(entry);
  }
  return { entries, errors };
}
