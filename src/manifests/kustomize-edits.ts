// The edits that make every root kustomization render exactly what it rendered before, each image
// moved to its target (a new name, a digest). For each image a root renders, its name and its tail (tag
// and digest) are each written at one place on its way: the last entry that sets that part (`newName`;
// `newTag`, `digest`); else the last entry that matched the image, when every image that part of that
// entry would decide wants the same; else the field the image starts from, which then leaves the bases
// as written wherever an overlay can carry the change. Every entry on the way then gets the `name` that
// still matches what reaches it. A field that two roots need to become two things is refused, naming
// both; and every root is rendered again with the edits and compared with its targets, so a plan
// kustomize would render otherwise is refused rather than written.
import type { Edit } from './edit.js';
import {
  type KustomizeEntry,
  ManifestError,
  type Position,
  type RenderedField,
  type ScalarSpan,
  type StringField,
  errorAt,
} from './field.js';
import { applyEntry, kustomizeMatches, kustomizeSplit } from './kinds/kustomize.js';
import type { Target } from './kinds/target.js';
import { type FieldValues, type KustomizeTree, entryParts } from './kustomize-render.js';
import { parseReferenceParts } from '../reference.js';
import { quoted } from '../untrusted-text.js';

type EntryKey = 'newName' | 'newTag' | 'digest';
type Part = 'name' | 'tail';

interface Held {
  readonly value: string;
  readonly root: string;
}

interface Assignment {
  readonly edit: Edit;
  /** What the field says once edited; undefined for a removed `newTag`. */
  readonly value: string | undefined;
  readonly roots: Set<string>;
}

export interface RenderPlan {
  /** The edits, by file. */
  readonly edits: ReadonlyMap<string, readonly Edit[]>;
  readonly errors: readonly ManifestError[];
  /** What each rendered field gives once the edits are made. */
  readonly rendered: ReadonlyMap<RenderedField, string>;
}

/** A root as a person names it: the folder `kubectl kustomize` renders. */
function rootName(root: string): string {
  const slash = root.lastIndexOf('/');
  return slash < 0 ? '.' : root.slice(0, slash);
}

const scalarKey = (file: string, span: ScalarSpan): string => `${file}@${span.start}`;
const addedKey = (entry: KustomizeEntry, key: EntryKey): string => `${entry.file}@${entry.entry.insertAt}+${key}`;
const shown = (value: string | undefined): string => (value === undefined ? 'removed' : quoted(value));

class Assignments implements FieldValues {
  readonly byKey = new Map<string, Assignment>();
  readonly errors: ManifestError[] = [];

  scalar(file: string, span: ScalarSpan): string {
    const assigned = this.byKey.get(scalarKey(file, span));
    return assigned === undefined ? span.value : (assigned.value ?? '');
  }

  added(entry: KustomizeEntry, key: EntryKey): string | undefined {
    return this.byKey.get(addedKey(entry, key))?.value;
  }

  conflict(
    where: Position,
    root: string,
    value: string | undefined,
    others: Iterable<string>,
    other: string | undefined,
    what = 'this',
  ): void {
    this.errors.push(
      errorAt(
        where,
        `${rootName(root)} needs ${what} to become ${shown(value)} and ${[...others].map(rootName).join(', ')} needs ${shown(other)}: both render it, so no one value serves both; give each its own images entry`,
      ),
    );
  }

  private assign(key: string, value: string | undefined, edit: Edit, where: Position, root: string): void {
    const held = this.byKey.get(key);
    if (held === undefined) this.byKey.set(key, { edit, value, roots: new Set([root]) });
    else if (held.value === value) held.roots.add(root);
    else this.conflict(where, root, value, held.roots, held.value);
  }

  /** Sets a scalar; one that keeps its value is still recorded, so that a root needing another value is refused. */
  set(file: string, span: ScalarSpan, value: string, where: Position, root: string): void {
    this.assign(scalarKey(file, span), value, { set: span, value }, where, root);
  }

  /** Sets an entry's key, adding it when the entry has none. */
  setEntry(entry: KustomizeEntry, key: EntryKey, value: string, root: string): void {
    const span = entry[key];
    if (span !== undefined) this.set(entry.file, span, value, entry, root);
    else this.assign(addedKey(entry, key), value, { add: entry.entry, key, value }, entry, root);
  }

  /** The entry's tag and digest made `tag` and `digest`, as kustomize reads them (a newTag on lines of its own removed when no tag is wanted). */
  setTail(entry: KustomizeEntry, tag: string | undefined, digest: string | undefined, root: string): void {
    if (digest !== undefined || entry.digest !== undefined) this.setEntry(entry, 'digest', digest ?? '', root);
    const newTag = entry.newTag;
    if (newTag === undefined) {
      if (tag !== undefined) this.setEntry(entry, 'newTag', tag, root);
    } else if (tag === undefined && newTag.pair.ownLines) {
      this.assign(scalarKey(entry.file, newTag), undefined, { remove: newTag.pair }, entry, root);
    } else this.set(entry.file, newTag, tag ?? '', entry, root);
  }
}

/** Whether an entry sets a part of what it matches. */
function sets(entry: KustomizeEntry, part: Part): boolean {
  return part === 'name' ? Boolean(entry.newName?.value) : Boolean(entry.newTag?.value || entry.digest?.value);
}

const partOf = (image: string, part: Part): string => kustomizeSplit(image)[part === 'name' ? 'name' : 'tail'];

/**
 * Where each image's part is written: an entry, or undefined for the field it starts from. An entry
 * that would newly decide a part for several images (each that reaches it with no later entry setting
 * that part) takes it only when they all want the same.
 */
function places(
  fields: readonly RenderedField[],
  part: Part,
  wanted: (field: RenderedField) => string | undefined,
): Map<RenderedField, KustomizeEntry | undefined> {
  const decides = new Map<KustomizeEntry, Set<string>>();
  for (const field of fields) {
    const want = wanted(field);
    if (want === undefined) continue;
    for (let at = field.chain.length - 1; at >= 0; at--) {
      const entry = field.chain[at] as KustomizeEntry;
      decides.set(entry, (decides.get(entry) ?? new Set()).add(want));
      if (sets(entry, part)) break;
    }
  }
  const placed = new Map<RenderedField, KustomizeEntry | undefined>();
  for (const field of fields) {
    if (wanted(field) === undefined) continue;
    const setter = [...field.chain].reverse().find((entry) => sets(entry, part));
    const last = field.chain[field.chain.length - 1];
    placed.set(field, setter ?? (last !== undefined && decides.get(last)?.size === 1 ? last : undefined));
  }
  return placed;
}

/**
 * Each entry on an image's way, with the value that reaches it as `values` say now. An entry's `name`
 * changes nothing that passes it, so a caller may set it before the walk goes on.
 */
function* along(field: RenderedField, values: FieldValues): Generator<[KustomizeEntry, string]> {
  let value = values.scalar(field.source.file, field.source.scalar);
  for (const entry of field.chain) {
    yield [entry, value];
    const parts = entryParts(entry, values);
    value = applyEntry(value, parts.newName, parts.newTag, parts.digest);
  }
}

export function planRenders(
  tree: KustomizeTree,
  fields: readonly RenderedField[],
  targetOf: (value: string) => Target | undefined,
): RenderPlan {
  const plan = new Assignments();
  const targetImage = (field: RenderedField): string | undefined => targetOf(field.value)?.image;
  // A part that stays as it renders needs no place: only the images whose part changes are placed.
  const changing = (part: Part) => (field: RenderedField) => {
    const target = targetImage(field);
    return target === undefined || partOf(target, part) === partOf(field.value, part) ? undefined : partOf(target, part);
  };
  const namePlaces = places(fields, 'name', changing('name'));
  const tailPlaces = places(fields, 'tail', changing('tail'));

  // A field an image starts from is held only to the parts placed there; the rest stays as written.
  const held = new Map<StringField, { name?: Held; tail?: Held }>();
  const hold = (source: StringField, part: Part, value: string, root: string): void => {
    const parts = held.get(source) ?? {};
    const before = parts[part];
    if (before !== undefined && before.value !== value) {
      plan.conflict(source, root, value, [before.root], before.value, part === 'name' ? 'its name' : 'its tag and digest');
      return;
    }
    held.set(source, { ...parts, [part]: { value, root } });
  };
  for (const field of fields) {
    const target = targetImage(field);
    if (target === undefined) continue;
    const { root, source } = field;
    const parts = parseReferenceParts(target);
    if (namePlaces.has(field)) {
      const entry = namePlaces.get(field);
      if (entry === undefined) hold(source, 'name', partOf(target, 'name'), root);
      else plan.setEntry(entry, 'newName', partOf(target, 'name'), root);
    }
    if (tailPlaces.has(field)) {
      const entry = tailPlaces.get(field);
      if (entry === undefined) hold(source, 'tail', partOf(target, 'tail'), root);
      else plan.setTail(entry, parts.tag, parts.digest, root);
    }
  }
  for (const [source, parts] of held) {
    const written = kustomizeSplit(source.value);
    const root = parts.name?.root ?? parts.tail?.root ?? '';
    plan.set(source.file, source.scalar, (parts.name?.value ?? written.name) + (parts.tail?.value ?? written.tail), source, root);
  }

  // Then every entry on the way gets the name that still matches what reaches it; an entry that also
  // matches what ferry cannot read (a remote resource below it) keeps its name.
  for (const field of fields) {
    for (const [entry, value] of along(field, plan)) {
      if (kustomizeMatches(value, entryParts(entry, plan).name)) continue;
      if (tree.seesAll(entry.file)) plan.set(entry.file, entry.name, kustomizeSplit(value).name, entry, field.root);
      else
        plan.errors.push(
          errorAt(
            entry,
            `this entry would need the name ${quoted(kustomizeSplit(value).name)} to keep matching, and it also matches what a remote resource below it renders, which ferry cannot read: refused rather than guessed`,
          ),
        );
    }
  }

  // A newName added to an entry that every image reaches with that name already says nothing: dropped.
  const needed = new Map<KustomizeEntry, boolean>();
  for (const field of fields) {
    for (const [entry, value] of along(field, plan)) {
      const added = entry.newName === undefined ? plan.added(entry, 'newName') : undefined;
      if (added !== undefined) needed.set(entry, (needed.get(entry) ?? false) || kustomizeSplit(value).name !== added);
    }
  }
  for (const [entry, isNeeded] of needed) if (!isNeeded) plan.byKey.delete(addedKey(entry, 'newName'));

  // kustomize's own answer with the edits: each root renders each image as its target.
  const rendered = new Map<RenderedField, string>();
  const byRoot = new Map<string, RenderedField[]>();
  for (const field of fields) byRoot.set(field.root, [...(byRoot.get(field.root) ?? []), field]);
  for (const [root, rootFields] of byRoot) {
    const after = tree.render(root, plan);
    for (const field of rootFields) {
      const expected = targetImage(field) ?? field.value;
      const got = after[field.at]?.value;
      rendered.set(field, got ?? field.value);
      if (got !== expected && plan.errors.length === 0)
        plan.errors.push(
          errorAt(
            field,
            `${rootName(root)} would render ${quoted(got ?? '(nothing)')} here once edited, not ${quoted(expected)}: the edits another image through the same entries needs change this one too; give it its own images entry`,
          ),
        );
    }
  }

  const edits = new Map<string, Edit[]>();
  for (const [key, { edit }] of plan.byKey) {
    if ('set' in edit && edit.set.value === edit.value) continue;
    const file = key.slice(0, key.lastIndexOf('@'));
    edits.set(file, [...(edits.get(file) ?? []), edit]);
  }
  return { edits, errors: plan.errors, rendered };
}
