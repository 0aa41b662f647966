// The commit point. Every new value (a string, a Helm map's parts, a kustomize entry) is built and
// checked in memory first (planCommit); only then are tags put, the archive written and the files
// replaced (commit). A failure before that leaves every manifest byte-identical and pushes no tag.
import path from 'node:path';
import { type Edit, applyEdits } from './manifests/edit.js';
import { type ImageField, ManifestError, type RenderedField, type StringField, errorAt } from './manifests/field.js';
import { planRenders } from './manifests/kustomize-edits.js';
import type { KustomizeTree } from './manifests/kustomize-render.js';
import { type PendingWrite, checkTargets, commitFiles } from './manifests/files.js';
import { writeChart } from './manifests/kinds/chart.js';
import { UnwritableField, writeHelm } from './manifests/kinds/helm.js';
import { kustomizeSplit, writeKustomize } from './manifests/kinds/kustomize.js';
import { writeString } from './manifests/kinds/string.js';
import type { Target, Written } from './manifests/kinds/target.js';
import type { Manifest } from './manifests/scan.js';
import { formatLock, outcomeNote } from './lock.js';
import type { Override, TagPut, Tagger, WorkResult } from './result.js';
import { InvalidReferenceError, parseReference } from './reference.js';
import { quoted } from './untrusted-text.js';
import type { Workspace } from './workspace.js';

export interface FieldChange {
  readonly field: ImageField;
  /** What the field gives once written. */
  readonly rendered: string;
}

export interface CommitPlan {
  readonly writes: readonly PendingWrite[];
  readonly changes: readonly FieldChange[];
  /** Whether any manifest's content changes. */
  readonly changed: boolean;
  readonly errors: readonly ManifestError[];
}

export interface CommitOptions {
  /** Mirror manifests under this folder instead of editing them in place. */
  readonly outputDir: string | undefined;
  /** The kustomizations the rendered fields come from: their edits are planned together, and checked by rendering again. */
  readonly kustomize?: KustomizeTree;
}

function nameOf(image: string): string {
  return kustomizeSplit(image).name;
}

/** The kustomize entry's new `name`: the new name of the images it matches, which must agree. */
function entryName(field: Extract<ImageField, { kind: 'kustomize' }>, targetOf: (value: string) => Target | undefined): string {
  const names = new Set(field.matches.map((match) => nameOf(targetOf(match.value)?.image ?? match.value)));
  if (names.size > 1) {
    throw new UnwritableField(
      `this images entry matches images that get different names (${[...names].join(', ')}), so no one name keeps matching them: give them one source name, or split the entry`,
    );
  }
  const [only] = names;
  return only ?? field.name.value;
}

function write(field: Exclude<ImageField, RenderedField>, target: Target, targetOf: (value: string) => Target | undefined): Written {
  switch (field.kind) {
    case 'string':
      return writeString(field, target);
    case 'helm':
      return writeHelm(field, target);
    case 'chart':
      return writeChart(field, target);
    case 'kustomize':
      return writeKustomize(field, target, {
        entryName: entryName(field, targetOf),
        matchedImages: field.matches.map((match: StringField) => targetOf(match.value)?.image ?? match.value),
      });
  }
}

/**
 * Every edit of every manifest, made in memory: each field asked to give its image's target, and
 * what it then gives checked to be a reference. Fields whose image has no target stay as they are.
 */
export function planCommit(manifests: readonly Manifest[], targets: ReadonlyMap<string, Target>, options: CommitOptions): CommitPlan {
  const targetOf = (value: string): Target | undefined => targets.get(value);
  const writes: PendingWrite[] = [];
  const changes: FieldChange[] = [];
  const errors: ManifestError[] = [];
  let changed = false;
  // What roots render is planned across files at once: an entry or a base serves several images.
  const rendered = manifests.flatMap((manifest) => manifest.fields.filter((field): field is RenderedField => field.kind === 'rendered'));
  const renders = rendered.length === 0 ? undefined : planRenders(requireTree(options), rendered, targetOf);
  if (renders !== undefined) {
    errors.push(...renders.errors);
    for (const [field, value] of renders.rendered) if (targetOf(field.value) !== undefined) changes.push({ field, rendered: value });
  }
  for (const manifest of manifests) {
    const edits: Edit[] = [...(renders?.edits.get(manifest.name) ?? [])];
    for (const field of manifest.fields) {
      if (field.kind === 'rendered') continue;
      const target = targetOf(field.value);
      if (target === undefined) continue;
      try {
        const written = write(field, target, targetOf);
        parseReference(written.rendered);
        edits.push(...written.edits);
        changes.push({ field, rendered: written.rendered });
      } catch (error) {
        if (error instanceof UnwritableField) errors.push(errorAt(field, error.message));
        else if (error instanceof InvalidReferenceError)
          errors.push(errorAt(field, `the new value ${quoted(error.reference)} is not an image reference: ${error.reason}`));
        else throw error;
      }
    }
    let text = manifest.text;
    try {
      text = edits.length === 0 ? manifest.text : applyEdits(manifest.text, edits, manifest.name);
    } catch (error) {
      errors.push(new ManifestError(manifest.name, 1, 1, (error as Error).message));
    }
    if (text !== manifest.text) changed = true;
    if (text !== manifest.text || options.outputDir !== undefined) {
      // In place, a linked manifest is edited where it really is, so the link stays a link.
      const destination = options.outputDir === undefined ? manifest.real : path.join(options.outputDir, ...manifest.name.split('/'));
      writes.push({ path: destination, text, modeFrom: manifest.real });
    }
  }
  return { writes, changes, changed, errors };
}

function requireTree(options: CommitOptions): KustomizeTree {
  if (options.kustomize === undefined) throw new Error('rendered kustomize fields, but no kustomizations to plan them with');
  return options.kustomize;
}

/** The lock's text: one override per image found (or locked), plus the mode's extra forms. */
export function lockText(result: WorkResult): string {
  const found = new Set(result.outcomes.map(({ image }) => image));
  const overrides: Override[] = [
    ...result.outcomes.map((outcome) => {
      const note = outcomeNote(outcome);
      return { image: outcome.image, newImage: outcome.newImage, ...(note === '' ? {} : { note }) };
    }),
    ...result.extraLock.filter(({ image }) => !found.has(image)),
  ];
  return formatLock(overrides);
}

export interface Committed {
  readonly tags: readonly TagPut[];
  readonly files: readonly string[];
}

/**
 * Checks where every file and the archive go, then puts the tags (what travels with the images, then
 * their own), writes the archive, and replaces every file and writes the lock: what can be checked
 * fails before the first tag, and nothing is staged in the checkout while the tags are put.
 */
export async function commit(
  plan: CommitPlan,
  result: WorkResult,
  lock: { file: string; text: string } | undefined,
  tagger: Tagger | undefined,
  files: Workspace,
  beforeTags?: () => Promise<void>,
): Promise<Committed> {
  const writes = [...plan.writes, ...(result.files ?? []), ...(lock === undefined ? [] : [{ path: lock.file, text: lock.text }])];
  await checkTargets(writes, files);
  const archive = result.archive === undefined ? undefined : await import('./archive/archive-file.js');
  if (result.archive !== undefined) await archive?.checkSpanPlaces(result.archive.file, result.archive.files);
  // What must be at the destination before a tag names the image (its attestations).
  await beforeTags?.();
  if (result.tags.length > 0) {
    if (tagger === undefined) throw new Error('tags to put, but no registry to put them with');
    // What travels with the images first (digest tags, referrers listings, which a registry can refuse
    // for their size): one that fails leaves every image's own tag where it was.
    const travels = (put: TagPut): boolean => put.referrer !== undefined || put.travels === true;
    await Promise.all(result.tags.filter(travels).map(tagger));
    await Promise.all(result.tags.filter((put) => !travels(put)).map(tagger));
  }
  if (result.archive !== undefined) await archive?.commitArchive(result.archive.file, result.archive.files);
  await commitFiles(writes, files);
  return { tags: result.tags, files: [...plan.writes, ...(result.files ?? [])].map((write) => write.path) };
}
