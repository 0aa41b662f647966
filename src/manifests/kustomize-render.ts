// kustomize as it renders: which images each root kustomization deploys, through its bases, overlays
// and components. A root is a kustomization that no other kustomization of the workspace includes
// (through `resources`, `bases` or `components`). Rendering a kustomization gathers the string fields
// of its resources (files, and the renders of the kustomizations they name), applies its components
// in order (each adds its resources, then runs its `images:` over everything gathered so far), then
// runs its own `images:` entries, one after another over every image, as kustomize's images
// transformer does. Each image a root renders is an occurrence: the field it starts from, the entries
// that changed it on the way, and the reference kustomize renders.
import path from 'node:path';
import type { KustomizeEntry, RenderedField, ScalarSpan, StringField } from './field.js';
import { applyEntry, kustomizeMatches } from './kinds/kustomize.js';
import { type Located, kustomizationNames } from './locate.js';

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
      const resolve = (reference: string): { file?: string; kustomization?: string } | undefined => {
        if (isRemote(reference)) {
          unseen = true;
          return undefined;
        }
        const target = path.posix.normalize(path.posix.join(dir, reference));
        if (target.startsWith('../') || target === '..') {
          unseen = true;
          return undefined;
        }
        const asFile = located.get(target);
        if (asFile !== undefined && !asFile.isKustomization) return { file: target };
        const kustomization = asFile?.isKustomization ? target : kustomizationIn(target);
        if (kustomization !== undefined) return { kustomization };
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
          kustomizeMatches(occurrence.value, parts.name)
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
