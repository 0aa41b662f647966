// Finds the image fields of one YAML file: strings under image keys at any depth, string items of
// `images:` lists, Helm values maps, and a kustomization's `images:` entries; records exactly where each
// value is written, so that an edit replaces those characters and nothing else. Values that are not
// references yet are placeholders; kbld and imgpkg locks are never fields.
import { LineCounter, type Node, type YAMLMap, isAlias, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Document, YAMLError } from 'yaml';
import { type HelmField, type KustomizeField, ManifestError, type Placeholder, type StringField, errorAt } from './field.js';
import { composeHelm } from './kinds/helm.js';
import { placeholderReason } from './placeholder.js';
import { keyText, mapSpan, pairOf, pairSpan, positionOf, scalarSpan } from './spans.js';

/** A kustomization entry before the resources it applies to are known. */
export type KustomizeEntry = Omit<KustomizeField, 'value' | 'matches'>;

export interface Located {
  readonly fields: (StringField | HelmField)[];
  readonly entries: KustomizeEntry[];
  /** `resources`, `bases` and `components` of a kustomization, as written. */
  readonly resources: string[];
  readonly placeholders: Placeholder[];
  /** Documents that are locks (kbld, imgpkg): never edited, wherever they are. */
  readonly locks: number;
}

export interface LocateOptions {
  readonly imageKeys: ReadonlySet<string>;
  /** The appVersion of the chart the file belongs to, for Helm maps with an empty tag. */
  readonly appVersion?: string;
}

/** The yaml library's message, first line, without the position it repeats (ferry puts file:line:col first). */
export function yamlErrorReason(error: YAMLError): string {
  return `not valid YAML: ${error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`;
}

export const kustomizationNames: ReadonlySet<string> = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);
const containerLists = new Set(['containers', 'initContainers', 'ephemeralContainers']);

function isLock(root: YAMLMap): boolean {
  const apiVersion = root.get('apiVersion');
  const kind = root.get('kind');
  if (typeof apiVersion !== 'string') return false;
  return apiVersion.startsWith('kbld.k14s.io/') || (apiVersion.startsWith('imgpkg.carvel.dev/') && kind === 'ImagesLock');
}

function isKustomization(root: YAMLMap, fileName: string): boolean {
  const apiVersion = root.get('apiVersion');
  const kind = root.get('kind');
  if (typeof apiVersion === 'string' && apiVersion.startsWith('kustomize.config.k8s.io/'))
    return kind === 'Kustomization' || kind === 'Component';
  const named = kustomizationNames.has(fileName.slice(fileName.lastIndexOf('/') + 1));
  return named && (kind === undefined || kind === 'Kustomization' || kind === 'Component');
}

class Locator implements Located {
  readonly fields: (StringField | HelmField)[] = [];
  readonly entries: KustomizeEntry[] = [];
  readonly resources: string[] = [];
  readonly placeholders: Placeholder[] = [];
  locks = 0;
  private readonly seen = new Set<number>();

  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly lines: LineCounter,
    private readonly options: LocateOptions,
  ) {}

  private at(offset: number) {
    return positionOf(this.file, this.lines, offset);
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

  private recordString(node: unknown, document: Document, pullPolicyDefaulted: boolean): void {
    const target = isAlias(node) ? node.resolve(document) : node;
    if (!isScalar(target) || typeof target.value !== 'string') return;
    const scalar = scalarSpan(target);
    if (scalar === undefined || !this.once(scalar.start) || !this.reference(scalar.value, scalar.start)) return;
    this.fields.push({ kind: 'string', ...this.at(scalar.start), value: scalar.value, scalar, pullPolicyDefaulted });
  }

  private recordHelm(map: YAMLMap): void {
    const range = map.range;
    const span = mapSpan(map, this.text);
    const repository = scalarSpan(pairOf(map, 'repository')?.value);
    if (range == null || span === undefined || repository === undefined || repository.numeric || !this.once(range[0])) return;
    const part = (key: string) => scalarSpan(pairOf(map, key)?.value);
    const registry = part('registry');
    const tag = part('tag');
    const digest = part('digest');
    const appVersion = this.options.appVersion;
    const value = composeHelm(registry?.value, repository.value, tag?.value || appVersion, digest?.value || undefined);
    if (!this.reference(value, range[0])) return;
    this.fields.push({
      kind: 'helm',
      ...this.at(range[0]),
      value,
      pullPolicyDefaulted: false,
      map: span,
      repository,
      ...(registry === undefined ? {} : { registry }),
      ...(tag === undefined ? {} : { tag }),
      ...(digest === undefined ? {} : { digest }),
      ...(appVersion === undefined ? {} : { appVersion }),
    });
  }

  private recordEntry(node: unknown): void {
    if (!isMap(node) || node.range == null) return;
    const offset = node.range[0];
    const name = scalarSpan(pairOf(node, 'name')?.value);
    const entry = mapSpan(node, this.text);
    if (name === undefined || entry === undefined) {
      throw errorAt(this.at(offset), 'a kustomize images entry needs a string name');
    }
    const part = (key: string) => scalarSpan(pairOf(node, key)?.value);
    const newName = part('newName');
    const digest = part('digest');
    const tagPair = pairOf(node, 'newTag');
    const newTagSpan = scalarSpan(tagPair?.value);
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

  kustomization(root: YAMLMap): void {
    for (const key of ['resources', 'bases', 'components']) {
      const list = root.get(key);
      if (isSeq(list)) for (const item of list.items) if (isScalar(item) && typeof item.value === 'string') this.resources.push(item.value);
    }
    const images = root.get('images');
    if (isSeq(images)) for (const item of images.items) this.recordEntry(item);
  }

  walk(node: Node | null | undefined | unknown, document: Document, container = false): void {
    if (isMap(node)) {
      const pullPolicySet = node.items.some((pair) => keyText(pair.key) === 'imagePullPolicy');
      for (const pair of node.items) {
        const key = keyText(pair.key);
        if (key !== undefined && this.options.imageKeys.has(key)) {
          const value = isAlias(pair.value) ? pair.value.resolve(document) : pair.value;
          if (isMap(value)) this.recordHelm(value);
          else this.recordString(pair.value, document, container && key === 'image' && !pullPolicySet);
        }
        if (key === 'images' && isSeq(pair.value)) {
          for (const item of pair.value.items) this.recordString(item, document, false);
        }
        this.walk(pair.value, document, key !== undefined && containerLists.has(key) && isSeq(pair.value));
      }
    } else if (isSeq(node)) {
      for (const item of node.items) this.walk(item, document, container);
    }
  }
}

/**
 * The image fields of one file, in every document. An alias is followed to the scalar it names, which
 * is where the edit goes. Throws a ManifestError for text that is not YAML.
 */
export function locateImageFields(file: string, text: string, options: LocateOptions): Located {
  const lines = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter: lines });
  const locator = new Locator(file, text, lines, options);
  for (const document of Array.isArray(documents) ? documents : []) {
    const error = document.errors[0];
    if (error !== undefined) {
      const { line, col } = lines.linePos(error.pos[0]);
      throw new ManifestError(file, line, col, yamlErrorReason(error));
    }
    const root = document.contents;
    if (isMap(root) && isLock(root)) locator.locks++;
    else if (isMap(root) && isKustomization(root, file)) locator.kustomization(root);
    else locator.walk(root, document);
  }
  return locator;
}
