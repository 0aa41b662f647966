// The edits that make every root kustomization render exactly what it rendered before, each image
// moved to its target (a new name, a digest). For each image a root renders, the name is written where
// the last entry that renamed it does (`newName`), else into the field it starts from; the tag and
// digest where the last entry that set them does (`newTag`, `digest`), else into the last entry that
// matched it, else into the field. Then every entry on the way is given the `name` that still matches
// what reaches it. One field that two roots need to become two different things is refused, naming
// both roots; and every root is rendered again with the edits and compared with its targets, so a
// plan kustomize would render otherwise is refused rather than written.
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

  private assign(key: string, value: string | undefined, edit: Edit, where: Position, root: string): void {
    const held = this.byKey.get(key);
    if (held === undefined) {
      this.byKey.set(key, { edit, value, roots: new Set([root]) });
      return;
    }
    if (held.value === value) {
      held.roots.add(root);
      return;
    }
    const mine = value === undefined ? 'removed' : quoted(value);
    const theirs = held.value === undefined ? 'removed' : quoted(held.value);
    this.errors.push(
      errorAt(
        where,
        `${rootName(root)} needs this to become ${mine} and ${[...held.roots].map(rootName).join(', ')} needs it to become ${theirs}: both render it, so no one value serves both; give each its own images entry`,
      ),
    );
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
    const parts = entryParts(entry, this);
    if (digest !== parts.digest && (digest !== undefined || entry.digest !== undefined)) this.setEntry(entry, 'digest', digest ?? '', root);
    if (tag === parts.newTag) return;
    const newTag = entry.newTag;
    if (newTag === undefined) {
      if (tag !== undefined) this.setEntry(entry, 'newTag', tag, root);
    } else if (tag === undefined && newTag.pair.ownLines) {
      this.assign(scalarKey(entry.file, newTag), undefined, { remove: newTag.pair }, entry, root);
    } else this.set(entry.file, newTag, tag ?? '', entry, root);
  }
}

/** Where an image's name and tail are decided in its chain: the last entry that sets each, if any. */
function deciders(chain: readonly KustomizeEntry[]): { naming?: KustomizeEntry; tailing?: KustomizeEntry } {
  let naming: KustomizeEntry | undefined;
  let tailing: KustomizeEntry | undefined;
  for (const entry of chain) {
    if (entry.newName?.value) naming = entry;
    if (entry.newTag?.value || entry.digest?.value) tailing = entry;
  }
  return { ...(naming === undefined ? {} : { naming }), ...(tailing === undefined ? {} : { tailing }) };
}

export function planRenders(
  tree: KustomizeTree,
  fields: readonly RenderedField[],
  targetOf: (value: string) => Target | undefined,
): RenderPlan {
  const plan = new Assignments();
  const byRoot = new Map<string, RenderedField[]>();
  for (const field of fields) byRoot.set(field.root, [...(byRoot.get(field.root) ?? []), field]);

  // Where each image's tag and digest go: the last entry that sets them; else the last entry that
  // matched it, when every image through that entry wants the same; else the field it starts from.
  const tails = new Map<RenderedField, { entry?: KustomizeEntry }>();
  const lastWants = new Map<KustomizeEntry, Set<string>>();
  for (const field of fields) {
    const target = targetOf(field.value);
    if (target === undefined || field.chain.length === 0) continue;
    const { tailing } = deciders(field.chain);
    if (tailing !== undefined) tails.set(field, { entry: tailing });
    else {
      const last = field.chain[field.chain.length - 1] as KustomizeEntry;
      lastWants.set(last, (lastWants.get(last) ?? new Set()).add(kustomizeSplit(target.image).tail));
    }
  }
  for (const field of fields) {
    if (tails.has(field) || field.chain.length === 0) continue;
    const last = field.chain[field.chain.length - 1] as KustomizeEntry;
    tails.set(field, (lastWants.get(last)?.size ?? 0) > 1 ? {} : { entry: last });
  }

  // Names and tails: what every image must become. A field an image starts from is held only to the
  // parts its images take from it (the name when no entry renames them, the tag and digest when no
  // entry sets them); the rest of it is free, and stays as written.
  const held = new Map<StringField, { name?: Held; tail?: Held }>();
  const hold = (source: StringField, part: 'name' | 'tail', value: string, root: string): void => {
    const parts = held.get(source) ?? {};
    const before = parts[part];
    if (before !== undefined && before.value !== value) {
      plan.errors.push(
        errorAt(
          source,
          `${rootName(root)} needs its ${part === 'name' ? 'name' : 'tag and digest'} to become ${quoted(value)} and ${rootName(before.root)} needs ${quoted(before.value)}: both render it, so no one value serves both; give each its own images entry`,
        ),
      );
      return;
    }
    held.set(source, { ...parts, [part]: { value, root } });
  };
  for (const field of fields) {
    const target = targetOf(field.value);
    if (target === undefined) continue;
    const { root, source, chain } = field;
    const { name, tail } = kustomizeSplit(target.image);
    const parts = parseReferenceParts(target.image);
    const { naming, tailing } = deciders(chain);
    const tailAt = tails.get(field)?.entry;
    if (naming === undefined) hold(source, 'name', name, root);
    else plan.setEntry(naming, 'newName', name, root);
    if (tailAt === undefined) hold(source, 'tail', tail, root);
    else if (kustomizeSplit(field.value).tail !== tail || tailing !== undefined) plan.setTail(tailAt, parts.tag, parts.digest, root);
  }
  for (const [source, parts] of held) {
    const written = kustomizeSplit(source.value);
    const roots = [parts.name?.root, parts.tail?.root].filter((root) => root !== undefined);
    plan.set(source.file, source.scalar, (parts.name?.value ?? written.name) + (parts.tail?.value ?? written.tail), source, roots[0] ?? '');
  }
  // Then every entry on the way gets the name that still matches what reaches it.
  for (const field of fields) {
    let value = plan.scalar(field.source.file, field.source.scalar);
    for (const entry of field.chain) {
      const parts = entryParts(entry, plan);
      if (!kustomizeMatches(value, parts.name)) plan.set(entry.file, entry.name, kustomizeSplit(value).name, entry, field.root);
      const now = entryParts(entry, plan);
      value = applyEntry(value, now.newName, now.newTag, now.digest);
    }
  }

  // kustomize's own answer with the edits: each root renders each image as its target.
  const rendered = new Map<RenderedField, string>();
  for (const [root, rootFields] of byRoot) {
    const after = new Map(tree.render(root, plan).map((occurrence) => [occurrence.source, occurrence.value]));
    for (const field of rootFields) {
      const expected = targetOf(field.value)?.image ?? field.value;
      const got = after.get(field.source);
      rendered.set(field, got ?? field.value);
      if (got !== expected && plan.errors.length === 0)
        plan.errors.push(
          errorAt(
            field,
            `${rootName(root)} would render ${quoted(got ?? '(nothing)')} here once edited, not ${quoted(expected)}: an images entry of another kustomization matches the new name; rename it or give this image its own entry`,
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
