// Finds image fields in YAML text and records exactly where each value is written, so that an edit
// can replace those characters and nothing else.
import { LineCounter, type Node, type Scalar, isAlias, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Document, YAMLError } from 'yaml';

export type ScalarStyle = Scalar.Type;

export interface ImageField {
  /** Workspace-relative path with forward slashes. */
  readonly file: string;
  /** 1-based position of the value, for messages and annotations. */
  readonly line: number;
  readonly column: number;
  /** The string as found in the YAML. */
  readonly value: string;
  /** Offsets of the value's characters in the file text (quotes and block header included). */
  readonly start: number;
  readonly end: number;
  readonly style: ScalarStyle;
  /** The map holding the field also sets imagePullPolicy, so Kubernetes does not default it. */
  readonly pullPolicySet: boolean;
}

/** A file that cannot be read as YAML, or an image value that is not an image reference. */
export class ManifestError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}:${column}: ${reason}`);
    this.name = 'ManifestError';
  }
}

/** The yaml library's message, first line, without the position it repeats (ferry puts file:line:col first). */
export function yamlErrorReason(error: YAMLError): string {
  return `not valid YAML: ${error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`;
}

function keyText(key: unknown): string | undefined {
  return isScalar(key) && (typeof key.value === 'string' || typeof key.value === 'number') ? String(key.value) : undefined;
}

class Locator {
  readonly fields: ImageField[] = [];
  private readonly seen = new Set<number>();

  constructor(
    private readonly file: string,
    private readonly lines: LineCounter,
    private readonly imageKeys: ReadonlySet<string>,
  ) {}

  private record(node: unknown, document: Document, pullPolicySet: boolean): void {
    const target = isAlias(node) ? node.resolve(document) : node;
    if (!isScalar(target) || typeof target.value !== 'string' || target.range == null) return;
    const [start, end] = target.range;
    if (this.seen.has(start)) return;
    this.seen.add(start);
    const { line, col } = this.lines.linePos(start);
    const style = target.type ?? 'PLAIN';
    this.fields.push({ file: this.file, line, column: col, value: target.value, start, end, style, pullPolicySet });
  }

  walk(node: Node | null | undefined | unknown, document: Document): void {
    if (isMap(node)) {
      const pullPolicySet = node.items.some((pair) => keyText(pair.key) === 'imagePullPolicy');
      for (const pair of node.items) {
        const key = keyText(pair.key);
        if (key !== undefined && this.imageKeys.has(key)) this.record(pair.value, document, pullPolicySet);
        if (key === 'images' && isSeq(pair.value)) {
          for (const item of pair.value.items) this.record(item, document, false);
        }
        this.walk(pair.value, document);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) this.walk(item, document);
    }
  }
}

/**
 * Every string under an image key (at any depth, in every document of the file), and every string item
 * of an `images:` list. An alias is followed to the scalar it names, which is where the edit goes.
 */
export function locateImageFields(file: string, text: string, imageKeys: ReadonlySet<string>): ImageField[] {
  const lines = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter: lines });
  const locator = new Locator(file, lines, imageKeys);
  for (const document of Array.isArray(documents) ? documents : []) {
    const error = document.errors[0];
    if (error !== undefined) {
      const { line, col } = lines.linePos(error.pos[0]);
      throw new ManifestError(file, line, col, yamlErrorReason(error));
    }
    locator.walk(document.contents, document);
  }
  return locator.fields;
}
