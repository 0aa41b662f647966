// kustomize as it renders: which images each root kustomization deploys, through its bases, overlays
// and components. A root is a kustomization that no other kustomization of the workspace includes
// (through `resources`, `bases` or `components`). Rendering a kustomization gathers the string fields
// of its resources (files, and the renders of the kustomizations they name), applies its components
// in order (each adds its resources, then runs its `images:` over everything gathered so far), then
// runs its own `images:` entries, one after another over every image, as kustomize's images
// transformer does. Each image a root renders is an occurrence: the field it starts from, the entries
// that changed it on the way, and the reference kustomize renders. The transformer changes only the
// `image` of items of `containers` and `initContainers` lists; every other image field of a resource
// is rendered as it is written.
import path from 'node:path';
import { type KustomizeEntry, type ManifestError, type RenderedField, type ScalarSpan, type StringField, errorAt } from './field.js';
import { quoted } from '../untrusted-text.js';
import { applyEntry, kustomizeMatches } from './kinds/kustomize.js';
import { type Located, type Reference, kustomizationNames } from './locate.js';

export interface Kustomization {
  /** Its file, workspace-relative. */
  readonly file: string;
  /** What kubectl kustomize is given to render it: its folder. */
  readonly dir: string;
  /** Resource files and kustomizations (their files), in order. */
  readonly resources: readonly { readonly file?: string; readonly kustomization?: string }[];
  readonly components: readonly string[];
  readonly entries: readonly KustomizeEntry[];
  /** Whether a resource is remote or not among the manifests: what it renders is not known here. */
  readonly unseen: boolean;
}

/** One image a root renders: where it starts, the entries that changed it, and what kustomize renders. */
export type Occurrence = Pick<RenderedField, 'root' | 'source' | 'chain' | 'value'>;

/** What the fields say: as written, or as an edit would leave them. */
export interface FieldValues {
  scalar(file: string, span: ScalarSpan): string;
  /** A key an edit adds to an entry; undefined when none is added. */
  added(entry: KustomizeEntry, key: 'newName' | 'newTag' | 'digest'): string | undefined;
}

export const asWritten: FieldValues = { scalar: (_file, span) => span.value, added: () => undefined };

/** An entry's parts as `values` give them. */
export function entryParts(
  entry: KustomizeEntry,
  values: FieldValues,
): { name: string; newName?: string; newTag?: string; digest?: string } {
  const part = (key: 'newName' | 'newTag' | 'digest'): string | undefined => {
    const span = entry[key];
    const value = span === undefined ? values.added(entry, key) : values.scalar(entry.file, span);
    return value || undefined;
  };
  const newName = part('newName');
  const newTag = part('newTag');
  const digest = part('digest');
  return {
    name: values.scalar(entry.file, entry.name),
    ...(newName === undefined ? {} : { newName }),
    ...(newTag === undefined ? {} : { newTag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

/** Occurrences one render may make at most, and how deep kustomizations may include each other. */
const maxOccurrences = 200_000;
const maxDepth = 100;

function isRemote(resource: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(resource) ||
    resource.startsWith('git@') ||
    resource.includes('?ref=') ||
    /^github\.com\//.test(resource)
  );
}

export class KustomizeTree {
  readonly kustomizations = new Map<string, Kustomization>();
  /** Files that some kustomization includes as a resource: their fields are rendered, not images by themselves. */
  readonly included = new Set<string>();
  readonly roots: readonly string[];
  private readonly strings = new Map<string, readonly StringField[]>();

  /** Local paths a kustomization names that ferry cannot follow: what its roots render is not known. */
  readonly errors: ManifestError[] = [];

  constructor(located: ReadonlyMap<string, Located>) {
    for (const [file, found] of located) {
      this.strings.set(
        file,
        found.fields.filter((field): field is StringField => field.kind === 'string'),
      );
    }
    const kustomizationIn = (dir: string): string | undefined => {
      for (const name of kustomizationNames) if (located.get(`${dir}/${name}`)?.isKustomization) return `${dir}/${name}`;
      return undefined;
    };
    const includedKustomizations = new Set<string>();
    for (const [file, found] of located) {
      if (!found.isKustomization) continue;
      const dir = path.posix.dirname(file);
      let unseen = false;
      const resolve = (reference: Reference): { file?: string; kustomization?: string } | undefined => {
        if (isRemote(reference.value)) {
          unseen = true;
          return undefined;
        }
        const target = path.posix.normalize(path.posix.join(dir, reference.value)).replace(/\/+$/, '');
        const asFile = located.get(target);
        if (asFile !== undefined && !asFile.isKustomization) return { file: target };
        const kustomization = asFile?.isKustomization ? target : kustomizationIn(target);
        if (kustomization !== undefined) return { kustomization };
        // A local path ferry cannot follow: the images that come through it are unknown, and an edit of
        // this kustomization could stop matching them. Refused rather than guessed.
        this.errors.push(
          errorAt(
            reference,
            `${quoted(reference.value)} is not among the manifests ferry reads (outside the workspace or the manifests globs, or a folder with no kustomization): add it to manifests, so that what this kustomization renders is known`,
          ),
        );
        unseen = true;
        return undefined;
      };
      const resources = found.resources.map(resolve).filter((resource) => resource !== undefined);
      const components = found.components
        .map(resolve)
        .map((resource) => resource?.kustomization)
        .filter((component) => component !== undefined);
      for (const resource of resources) {
        if (resource.file !== undefined) this.included.add(resource.file);
        if (resource.kustomization !== undefined) includedKustomizations.add(resource.kustomization);
      }
      for (const component of components) includedKustomizations.add(component);
      this.kustomizations.set(file, { file, dir: dir === '' ? '.' : dir, resources, components, entries: found.entries, unseen });
    }
    const roots = [...this.kustomizations.keys()].filter((file) => !includedKustomizations.has(file));
    // Kustomizations that include each other in a cycle (which kustomize refuses) have no root above
    // them: each is rendered as one, so that no field is lost.
    const reached = new Set<string>();
    const reach = (file: string): void => {
      if (reached.has(file)) return;
      reached.add(file);
      const kustomization = this.kustomizations.get(file);
      for (const resource of kustomization?.resources ?? []) if (resource.kustomization !== undefined) reach(resource.kustomization);
      for (const component of kustomization?.components ?? []) reach(component);
    };
    roots.forEach(reach);
    this.roots = [...roots, ...[...this.kustomizations.keys()].filter((file) => !reached.has(file))].sort();
  }

  /** Whether what `file` renders comes from resources ferry reads, all the way down (no remote resource). */
  seesAll(file: string, stack: readonly string[] = []): boolean {
    const kustomization = this.kustomizations.get(file);
    if (kustomization === undefined || stack.includes(file)) return true;
    if (kustomization.unseen) return false;
    const below = [...kustomization.resources.map((resource) => resource.kustomization), ...kustomization.components];
    return below.every((next) => next === undefined || this.seesAll(next, [...stack, file]));
  }

  /** Every root's occurrences, in a deterministic order. */
  renderRoots(values: FieldValues = asWritten): Occurrence[] {
    return this.roots.flatMap((root) => this.render(root, values));
  }

  render(root: string, values: FieldValues = asWritten): Occurrence[] {
    let made = 0;
    const count = (occurrences: Occurrence[]): Occurrence[] => {
      made += occurrences.length;
      if (made > maxOccurrences) throw new Error(`${root}: renders more than ${maxOccurrences} images`);
      return occurrences;
    };
    const apply = (file: string, gathered: Occurrence[], stack: readonly string[]): Occurrence[] => {
      const kustomization = this.kustomizations.get(file);
      // kustomize refuses a cycle; here it renders nothing more.
      if (kustomization === undefined || stack.includes(file) || stack.length > maxDepth) return gathered;
      const within = [...stack, file];
      let occurrences = [...gathered];
      for (const resource of kustomization.resources) {
        if (resource.file !== undefined)
          occurrences.push(
            ...count(
              (this.strings.get(resource.file) ?? []).map((source) => ({
                root,
                source,
                chain: [],
                value: values.scalar(source.file, source.scalar),
              })),
            ),
          );
        else if (resource.kustomization !== undefined) occurrences.push(...apply(resource.kustomization, [], within));
      }
      for (const component of kustomization.components) occurrences = apply(component, occurrences, within);
      for (const entry of kustomization.entries) {
        const parts = entryParts(entry, values);
        occurrences = occurrences.map((occurrence) =>
          occurrence.source.kustomizable === true && kustomizeMatches(occurrence.value, parts.name)
            ? {
                ...occurrence,
                chain: [...occurrence.chain, entry],
                value: applyEntry(occurrence.value, parts.newName, parts.newTag, parts.digest),
              }
            : occurrence,
        );
      }
      return count(occurrences);
    };
    return apply(root, [], []);
  }
}
