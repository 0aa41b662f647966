// Finds the image fields of one YAML file: strings under image keys at any depth, string items of
// `images:` lists, Helm values maps, and a kustomization's `images:` entries; records exactly where each
// value is written, so that an edit replaces those characters and nothing else. Values that are not
// references yet are placeholders; kbld and imgpkg locks are never fields.
import { ChartParts } from './chart-sources.js';
import { type HelmField, type KustomizeEntry, ManifestError, type Placeholder, type Position, type StringField, errorAt } from './field.js';
import { composeHelm } from './kinds/helm.js';
import { placeholderReason } from './placeholder.js';
import { mapSpan, pairOf, pairSpan, scalarSpan } from './spans.js';
import {
  LineIndex,
  type MapNode,
  type YamlNode,
  YamlSyntaxError,
  keyText,
  mapGet,
  parseYamlDocuments,
  resolveAlias,
} from '../yaml/tree.js';

export type { KustomizeEntry };

export interface Located {
  readonly fields: (StringField | HelmField)[];
  readonly entries: KustomizeEntry[];
  /** `resources` and `bases` of a kustomization, as written, and where. */
  readonly resources: Reference[];
  /** `components` of a kustomization, as written: applied after its resources, before its own `images:`. */
  readonly components: Reference[];
  /** Whether the file is a kustomization (or a component). */
  readonly isKustomization: boolean;
  readonly placeholders: Placeholder[];
  /** Documents that are locks (kbld, imgpkg): never edited, wherever they are. */
  readonly locks: number;
  /** What the file says about Helm charts in OCI registries, when they are looked for. */
  readonly charts: ChartParts | undefined;
}

/** A path a kustomization names, and where it names it. */
export interface Reference extends Position {
  readonly value: string;
}

export interface LocateOptions {
  readonly imageKeys: ReadonlySet<string>;
  /** The appVersion of the chart the file belongs to, for Helm maps with an empty tag. */
  readonly appVersion?: string;
  /** Where the chart's templates write something right after a tag, if they do. */
  readonly tagSuffixAt?: string;
  /** Whether Helm chart references are looked for (the `charts` input). */
  readonly charts?: boolean;
}

export const kustomizationNames: ReadonlySet<string> = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);
const containerLists = new Set(['containers', 'initContainers', 'ephemeralContainers']);
/** The lists whose items' `image` kustomize's images transformer changes, wherever they are in an object. */
const kustomizeLists = new Set(['containers', 'initContainers']);

/** The value of a top-level key when it is a scalar: `apiVersion`, `kind`. */
function rootValue(root: MapNode, key: string): unknown {
  const node = mapGet(root, key);
  return node?.kind === 'scalar' ? node.value : undefined;
}

function isLock(root: MapNode): boolean {
  const apiVersion = rootValue(root, 'apiVersion');
  const kind = rootValue(root, 'kind');
  if (typeof apiVersion !== 'string') return false;
  return apiVersion.startsWith('kbld.k14s.io/') || (apiVersion.startsWith('imgpkg.carvel.dev/') && kind === 'ImagesLock');
}

function isKustomization(root: MapNode, fileName: string): boolean {
  const apiVersion = rootValue(root, 'apiVersion');
  const kind = rootValue(root, 'kind');
  if (typeof apiVersion === 'string' && apiVersion.startsWith('kustomize.config.k8s.io/'))
    return kind === 'Kustomization' || kind === 'Component';
  const named = kustomizationNames.has(fileName.slice(fileName.lastIndexOf('/') + 1));
  return named && (kind === undefined || kind === 'Kustomization' || kind === 'Component');
}

class Locator implements Located {
  readonly fields: (StringField | HelmField)[] = [];
  readonly entries: KustomizeEntry[] = [];
  readonly resources: Reference[] = [];
  readonly components: Reference[] = [];
  readonly placeholders: Placeholder[] = [];
  locks = 0;
  isKustomization = false;
  readonly charts: ChartParts | undefined;
  private readonly seen = new Set<number>();

  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly lines: LineIndex,
    private readonly options: LocateOptions,
  ) {
    this.charts = options.charts === true ? new ChartParts(file, text, (offset) => this.at(offset)) : undefined;
  }

  private at(offset: number) {
    return { file: this.file, ...this.lines.position(offset) };
  }

  private span(node: YamlNode | undefined) {
    return scalarSpan(node === undefined ? undefined : resolveAlias(node));
  }

  private part(map: MapNode, key: string) {
    return this.span(pairOf(map, key)?.value);
  }

  /** False when the value is a placeholder, which is then recorded instead. */
  private reference(value: string, offset: number): boolean {
    const reason = placeholderReason(value);
    if (reason === undefined) return true;
    this.placeholders.push({ ...this.at(offset), value, reason });
    return false;
  }

  private once(offset: number): boolean {
    if (this.seen.has(offset)) return false;
    this.seen.add(offset);
    return true;
  }

  private recordString(node: YamlNode, pullPolicyDefaulted: boolean, kustomizable = false): void {
    const scalar = this.span(node);
    if (scalar === undefined || scalar.numeric || !this.once(scalar.start) || !this.reference(scalar.value, scalar.start)) return;
    this.fields.push({
      kind: 'string',
      ...this.at(scalar.start),
      value: scalar.value,
      scalar,
      pullPolicyDefaulted,
      ...(kustomizable ? { kustomizable } : {}),
    });
  }

  private recordHelm(map: MapNode): void {
    const span = mapSpan(map, this.text);
    const repository = this.part(map, 'repository');
    if (span === undefined || repository === undefined || repository.numeric || !this.once(map.start)) return;
    const registry = this.part(map, 'registry');
    const tag = this.part(map, 'tag');
    const digest = this.part(map, 'digest');
    const appVersion = this.options.appVersion;
    const value = composeHelm(registry?.value, repository.value, tag?.value || appVersion, digest?.value || undefined);
    if (!this.reference(value, map.start)) return;
    this.fields.push({
      kind: 'helm',
      ...this.at(map.start),
      value,
      pullPolicyDefaulted: false,
      map: span,
      repository,
      ...(registry === undefined ? {} : { registry }),
      ...(tag === undefined ? {} : { tag }),
      ...(digest === undefined ? {} : { digest }),
      ...(appVersion === undefined ? {} : { appVersion }),
      ...(this.options.tagSuffixAt === undefined ? {} : { tagSuffixAt: this.options.tagSuffixAt }),
    });
  }

  /** A kustomize images entry; an alias to an entry is not one more entry (its anchor is one already). */
  private recordEntry(node: YamlNode): void {
    if (node.kind !== 'map') return;
    const offset = node.start;
    const name = this.part(node, 'name');
    const entry = mapSpan(node, this.text);
    if (name === undefined || entry === undefined) {
      throw errorAt(this.at(offset), 'a kustomize images entry needs a string name');
    }
    const newName = this.part(node, 'newName');
    const digest = this.part(node, 'digest');
    const tagPair = pairOf(node, 'newTag');
    const newTagSpan = this.span(tagPair?.value);
    const newTagPair = tagPair === undefined ? undefined : pairSpan(tagPair, this.text);
    const parts = [name, newName, newTagSpan, digest].filter((span) => span !== undefined);
    if (!parts.every((span) => this.reference(span.value, span.start))) return;
    this.entries.push({
      kind: 'kustomize',
      ...this.at(offset),
      pullPolicyDefaulted: false,
      entry,
      name,
      ...(newName === undefined ? {} : { newName }),
      ...(newTagSpan === undefined || newTagPair === undefined ? {} : { newTag: { ...newTagSpan, pair: newTagPair } }),
      ...(digest === undefined ? {} : { digest }),
    });
  }

  kustomization(root: MapNode): void {
    this.isKustomization = true;
    for (const key of ['resources', 'bases', 'components']) {
      const list = mapGet(root, key);
      if (list?.kind !== 'seq') continue;
      for (const item of list.items) {
        const value = item.kind === 'scalar' ? item.value : undefined;
        if (typeof value === 'string') (key === 'components' ? this.components : this.resources).push({ value, ...this.at(item.start) });
      }
    }
    const images = mapGet(root, 'images');
    if (images?.kind === 'seq') for (const item of images.items) this.recordEntry(item);
  }

  /** `container`: the container list (`containers`, ...) the node is an item of, if any. */
  walk(node: YamlNode | undefined, container?: string): void {
    if (node?.kind === 'map') {
      const keys = node.pairs.map((pair) => keyText(pair.key));
      const pullPolicySet = keys.includes('imagePullPolicy');
      node.pairs.forEach((pair, index) => {
        const key = keys[index];
        if (key !== undefined && this.options.imageKeys.has(key)) {
          const value = resolveAlias(pair.value);
          if (value.kind === 'map') this.recordHelm(value);
          else
            this.recordString(
              value,
              container !== undefined && key === 'image' && !pullPolicySet,
              key === 'image' && kustomizeLists.has(container ?? ''),
            );
        }
        if (key === 'images' && pair.value.kind === 'seq') {
          for (const item of pair.value.items) this.recordString(item, false);
        }
        this.walk(pair.value, key !== undefined && containerLists.has(key) && pair.value.kind === 'seq' ? key : undefined);
      });
    } else if (node?.kind === 'seq') {
      for (const item of node.items) this.walk(item, container);
    }
  }
}

/**
 * The image fields of one file, in every document. An alias is followed to the scalar it names, which
 * is where the edit goes. Throws a ManifestError for text that is not YAML.
 */
export function locateImageFields(file: string, text: string, options: LocateOptions): Located {
  const lines = new LineIndex(text);
  let documents;
  try {
    documents = parseYamlDocuments(text);
  } catch (error) {
    if (!(error instanceof YamlSyntaxError)) throw error;
    const { line, column } = lines.position(error.offset);
    throw new ManifestError(file, line, column, `not valid YAML: ${error.reason}`);
  }
  const locator = new Locator(file, text, lines, options);
  const chartYaml = file === 'Chart.yaml' || file.endsWith('/Chart.yaml');
  for (const { root } of documents) {
    if (root?.kind === 'map' && isLock(root)) locator.locks++;
    else if (root?.kind === 'map' && isKustomization(root, file)) {
      locator.kustomization(root);
      locator.charts?.kustomization(root);
    } else {
      locator.walk(root);
      if (root?.kind === 'map') locator.charts?.[chartYaml ? 'chartYaml' : 'document'](root);
    }
  }
  return locator;
}
