// An image field: one place in a YAML file that names an image, of one of five kinds (a string, a
// kustomize `images:` entry, a Helm values map, an image a root kustomization renders, a Helm chart in
// an OCI registry). Fields are plain data; each kind's module knows how to write a new reference back
// into its scalars (manifests/kinds/).
import type { ScalarStyle } from '../yaml/tree.js';

export type { ScalarStyle };

/** Where a scalar's characters are in the file text, and what it says. */
export interface ScalarSpan {
  /** Offsets of the value's characters (quotes and block header included). */
  readonly start: number;
  readonly end: number;
  readonly style: ScalarStyle;
  /** The value as a string; a number as the chart (Go's %v) renders it. */
  readonly value: string;
  /** The scalar is a YAML number, not a string (a Helm `tag: 1.58`). */
  readonly numeric?: boolean;
}

/** A block or flow map that a kind may add keys to, or remove keys from. */
export interface MapSpan {
  readonly flow: boolean;
  /** The spaces before each key of a block map. */
  readonly indent: string;
  /** Where a new `key: value` line (block) or `, key: value` (flow) is inserted. */
  readonly insertAt: number;
  /** What goes before the new pair: `, ` in a flow map, a line break at the end of a file without one. */
  readonly before: string;
  /** The file's line break, so an inserted line matches its neighbours. */
  readonly eol: string;
}

/** A key's whole pair, for removal: its characters and whether it stands on lines of its own. */
export interface PairSpan {
  readonly start: number;
  readonly end: number;
  readonly ownLines: boolean;
}

export interface Position {
  /** Workspace-relative path with forward slashes. */
  readonly file: string;
  /** 1-based position of the field, for messages and annotations. */
  readonly line: number;
  readonly column: number;
}

interface FieldBase extends Position {
  /** The reference the field gives, as Kubernetes, kustomize or the chart would read it. */
  readonly value: string;
  /** A container's image with no imagePullPolicy beside it: Kubernetes defaults the policy from the tag. */
  readonly pullPolicyDefaulted: boolean;
}

/** `image: nginx:1.25`, an item of an `images:` list, a key named in `image-keys`. */
export interface StringField extends FieldBase {
  readonly kind: 'string';
  readonly scalar: ScalarSpan;
  /** An `image` of an item of a `containers` or `initContainers` list: what kustomize's images transformer changes. */
  readonly kustomizable?: boolean;
}

/** One entry of a kustomization's `images:` (kustomize's images transformer). */
export interface KustomizeField extends FieldBase {
  readonly kind: 'kustomize';
  readonly entry: MapSpan;
  readonly name: ScalarSpan;
  readonly newName?: ScalarSpan;
  readonly newTag?: ScalarSpan & { readonly pair: PairSpan };
  readonly digest?: ScalarSpan;
  /** The string fields of the resources this kustomization includes that its `name` matches. */
  readonly matches: readonly StringField[];
}

/** A kustomization entry as written, before what it applies to is known. */
export type KustomizeEntry = Omit<KustomizeField, 'value' | 'matches'>;

/**
 * An image a root kustomization renders: a string field of one of its resources, as the `images:`
 * entries of the kustomizations on the way change it (kustomize-render.ts). Its position is the last
 * entry that changed it, else the field itself.
 */
export interface RenderedField extends FieldBase {
  readonly kind: 'rendered';
  /** The root kustomization's file. */
  readonly root: string;
  /** Its place in the root's render, which an edit does not change. */
  readonly at: number;
  readonly source: StringField;
  /** The entries that matched it, in the order they applied. */
  readonly chain: readonly KustomizeEntry[];
}

/** A Helm values map: `image: {registry, repository, tag, digest}`. */
export interface HelmField extends FieldBase {
  readonly kind: 'helm';
  readonly map: MapSpan;
  readonly registry?: ScalarSpan;
  readonly repository: ScalarSpan;
  readonly tag?: ScalarSpan;
  readonly digest?: ScalarSpan;
  /** The chart's appVersion, which charts use when the tag is empty. */
  readonly appVersion?: string;
  /**
   * Where the chart's templates write something right after a tag (`{{ .Values.image.tag }}-alpine`):
   * a digest carried in the tag would break the reference there.
   */
  readonly tagSuffixAt?: string;
}

/** Where a chart reference is written: the formats that name Helm charts in OCI registries. */
export type ChartShape = 'HelmRepository' | 'OCIRepository' | 'Argo CD' | 'Chart.yaml' | 'helmCharts';

/**
 * A Helm chart in an OCI registry, named by several fields together: a URL, a chart name and a
 * version. `value` is the chart as an OCI reference (`host/path/chart:version`, or without a tag when
 * the version is a range); the position is where the chart is named. The URL may be in another file
 * (a HelmRepository shared by the releases of its charts): the edit goes there.
 */
export interface ChartField extends FieldBase {
  readonly kind: 'chart';
  readonly shape: ChartShape;
  /** The URL's scalar: `oci://host/path` (the chart's repository), or the chart itself when `urlIsChart`. */
  readonly url: ScalarSpan;
  /** The file the URL is written in (workspace-relative), where its edit goes. */
  readonly urlFile: string;
  /** The URL names the chart itself (an OCIRepository, an Argo CD source without `chart`), not the folder it is in. */
  readonly urlIsChart: boolean;
  /** The URL starts with `oci://` (Argo CD's repoURL may leave it out). */
  readonly scheme: boolean;
  /** A version range as written (`~1.2`, `>=6.0.0 <7`, `*`): resolved to the newest matching tag. */
  readonly range?: string;
  /** An OCIRepository's `spec.ref`, where a digest pins it, and the digest already there. */
  readonly ref?: MapSpan;
  readonly digest?: ScalarSpan;
}

export type ImageField = StringField | KustomizeField | HelmField | RenderedField | ChartField;

/** A value that is not an image reference yet (a template, a variable, a build placeholder), left as it is. */
export interface Placeholder extends Position {
  readonly value: string;
  readonly reason: string;
}

/** `file:line:column`, as messages name a place. */
export const positionText = ({ file, line, column }: Position): string => `${file}:${line}:${column}`;

/** A file that cannot be read as YAML, or a field whose value cannot be an image reference. */
export class ManifestError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${positionText({ file, line, column })}: ${reason}`);
    this.name = 'ManifestError';
  }
}

export function errorAt(position: Position, reason: string): ManifestError {
  return new ManifestError(position.file, position.line, position.column, reason);
}
