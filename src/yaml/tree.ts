// A YAML file as the light tree that finding image fields needs: maps, sequences, scalars and aliases,
// each with the offsets of its characters, built from js-yaml's event stream. The yaml library's full
// Document holds far more than the walk reads (comments, node classes, resolved values of every
// scalar) and costs about four times as much to build; on a large repository that parse is nearly all
// of a rewrite. What a plain scalar means (string, number, boolean, null) is still decided by the
// yaml library's own schemas, core or 1.1 as the document says, so both libraries read a value alike.
import { COLLECTION_STYLE, EVENT_ID, type ScalarEvent, YAMLException, getScalarValue, parseEvents } from 'js-yaml';
import { blockEnd, blockHeader, closingBracket } from './offsets.js';

export { LineIndex } from './lines.js';
import { type Document, Schema, isAlias, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';

export type ScalarStyle = 'PLAIN' | 'QUOTE_SINGLE' | 'QUOTE_DOUBLE' | 'BLOCK_LITERAL' | 'BLOCK_FOLDED';

const styles: Record<number, ScalarStyle> = {
  1: 'PLAIN',
  2: 'QUOTE_SINGLE',
  3: 'QUOTE_DOUBLE',
  4: 'BLOCK_LITERAL',
  5: 'BLOCK_FOLDED',
};

export interface Pair {
  readonly key: YamlNode;
  readonly value: YamlNode;
}

export interface MapNode {
  readonly kind: 'map';
  readonly start: number;
  end: number;
  readonly flow: boolean;
  readonly pairs: Pair[];
}

export interface SeqNode {
  readonly kind: 'seq';
  readonly start: number;
  end: number;
  readonly flow: boolean;
  readonly items: YamlNode[];
}

export interface AliasNode {
  readonly kind: 'alias';
  readonly start: number;
  readonly end: number;
  readonly target: YamlNode;
}

export type YamlNode = ScalarNode | MapNode | SeqNode | AliasNode;

export interface YamlDocument {
  readonly root: YamlNode | undefined;
}

/** Text that is not YAML, with the offset where reading stopped. */
export class YamlSyntaxError extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'YamlSyntaxError';
  }
}

const core = new Schema({ schema: 'core' });
const yaml11 = new Schema({ schema: 'yaml-1.1' });
const stringTag = 'tag:yaml.org,2002:str';

/** Nesting deeper than any manifest needs is refused rather than walked. */
const maxDepth = 100;
const tooDeep = `nested more than ${maxDepth} levels deep`;

/**
 * The largest text the yaml library reads, for the few that js-yaml refuses and it may read (a
 * `%YAML 2.0` directive, a NUL in a quoted scalar): 10 MiB would cost it 30 s and 1.5 GB.
 */
export const maxFallbackCharacters = 2 * 1024 * 1024;

/** The tag a scalar's tag text names: `!!int` is `tag:yaml.org,2002:int`, `!<uri>` is the uri. */
function tagName(tag: string): string {
  if (tag.startsWith('!!')) return `tag:yaml.org,2002:${tag.slice(2)}`;
  if (tag.startsWith('!<') && tag.endsWith('>')) return tag.slice(2, -1);
  return tag;
}

/**
 * What the yaml library's composer makes of a scalar's text: the first of the schema's scalar tags
 * that takes it, by its test for an untagged plain scalar, by name (and test, where it has one) for a
 * tagged one; the text itself when none does.
 */
function resolveWith(schema: Schema, value: string, tag: string | undefined): unknown {
  for (const candidate of schema.tags) {
    if ('collection' in candidate && candidate.collection) continue;
    if (tag === undefined ? !candidate.default || candidate.test === undefined : candidate.tag !== tag) continue;
    if (candidate.test !== undefined && !candidate.test.test(value)) continue;
    const resolved = candidate.resolve(value, () => undefined, {});
    return isScalar(resolved) ? resolved.value : resolved;
  }
  return value;
}

// A plain scalar that starts with a letter is a string in both schemas unless it is one of the words
// for null and the booleans (`yes`, `on` and `n` in 1.1): only those, and text that starts with a digit,
// a sign, a dot, `~` or `<<`, can resolve to anything else.
const mayNotBeString = /^(?:[^A-Za-z]|$|(?:[yYnN]|[Yy]es|YES|[Nn]o|NO|[Tt]rue|TRUE|[Ff]alse|FALSE|[Oo]n|ON|[Oo]ff|OFF|[Nn]ull|NULL)$)/;

const unresolved = Symbol('unresolved');

/**
 * A scalar: where js-yaml read it (decoded and resolved only when asked, since most scalars never are),
 * or what the yaml library read, when it read the file.
 */
export class ScalarNode {
  readonly kind = 'scalar' as const;
  private decoded: string | undefined;
  private resolved: unknown = unresolved;

  constructor(
    /** The value's characters, quotes and block header included; -1 for an empty (null) node. */
    readonly start: number,
    readonly end: number,
    readonly style: ScalarStyle,
    readonly tag: string | undefined,
    private readonly schema: Schema,
    /** The file's text and js-yaml's event, or what the yaml library made of the scalar. */
    private readonly source: string,
    private readonly event: ScalarEvent | undefined,
    known?: { readonly text: string; readonly value: unknown },
  ) {
    if (known !== undefined) {
      this.decoded = known.text;
      this.resolved = known.value;
    }
  }

  /** The scalar's text as YAML reads it: quotes, escapes and folding resolved. */
  get text(): string {
    this.decoded ??= this.start < 0 || this.event === undefined ? '' : getScalarValue(this.source, this.event);
    return this.decoded;
  }

  /**
   * What the scalar means, as the yaml library's schema for its document resolves it: a plain `1.5` is
   * a number, `true` a boolean, `~` null; a quoted scalar, `!!str` or an unknown tag is a string.
   */
  get value(): unknown {
    if (this.resolved === unresolved) this.resolved = this.resolve();
    return this.resolved;
  }

  private resolve(): unknown {
    if (this.start < 0 && this.tag === undefined) return null;
    const text = this.text;
    if (this.tag === undefined)
      return this.style === 'PLAIN' && mayNotBeString.test(text) ? resolveWith(this.schema, text, undefined) : text;
    // `!` (non-specific) and unknown tags match no schema tag, so the text stands, as in the yaml library.
    const name = tagName(this.tag);
    return name === stringTag ? text : resolveWith(this.schema, text, name);
  }
}

/**
 * What an alias to an anchor not defined before it stands for: nothing. The yaml library reads such a
 * file too (it fails only when converting to data), and tools with anchors of their own across files
 * (gcloud's resource files) keep them in YAML that a `**\/*.yaml` glob finds: no reason to fail a step.
 */
const nothing = new ScalarNode(-1, -1, 'PLAIN', undefined, core, '', undefined, { text: '', value: null });

/** A map key as text: a string or a number (`80:`) key; undefined for anything else. */
export function keyText(node: YamlNode): string | undefined {
  const target = node.kind === 'alias' ? node.target : node;
  if (target.kind !== 'scalar') return undefined;
  const value = target.value;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

interface Frame {
  readonly node: MapNode | SeqNode;
  key: YamlNode | undefined;
  /** The keys of a map so far, as values: two keys that resolve alike are the same key. */
  readonly keys: Set<unknown> | undefined;
}

/**
 * Records a map key among the map's keys so far, refusing one given twice: two keys that resolve alike
 * are the same key. A Set, so a map of a million keys costs a million lookups, not a million squared.
 */
function claimKey(keys: Set<unknown>, node: YamlNode): void {
  const key = resolveAlias(node);
  if (key.kind !== 'scalar' || key === nothing) return;
  if (keys.has(key.value)) throw new YamlSyntaxError(node.start, 'Map keys must be unique');
  keys.add(key.value);
}

/** The end of a pair's characters: its value's, or its key's when the value is empty. */
export function pairEnd(pair: Pair): number {
  return pair.value.start < 0 ? pair.key.end : pair.value.end;
}

/** The yaml library's message, first line, without the position it repeats (ferry puts file:line:col first). */
export function yamlReason(message: string): string {
  return message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? message;
}

/** The same tree from the yaml library's Document, for the texts js-yaml refuses and the yaml library reads. */
function fromYamlLibrary(text: string): YamlDocument[] {
  // uniqueKeys: false, since the library checks each key against every earlier one (quadratic): the
  // keys are checked below, with a Set.
  const parsed = parseAllDocuments(text, { uniqueKeys: false });
  const documents: Document[] = Array.isArray(parsed) ? parsed : [];
  for (const document of documents) {
    const error = document.errors[0];
    // The yaml library's composer recurses; on hostile nesting it reports the stack it ran out of.
    if (error !== undefined && /call stack/i.test(error.message)) throw new YamlSyntaxError(error.pos[0], tooDeep);
    if (error !== undefined) throw new YamlSyntaxError(error.pos[0], yamlReason(error.message));
  }
  return documents.map((document) => {
    const schema = document.schema.name === 'yaml-1.1' ? yaml11 : core;
    const anchors = new Map<string, YamlNode>();
    const convert = (node: unknown, depth = 0): YamlNode => {
      const [start, end] = (node as { range?: [number, number, number] | null } | null)?.range ?? [-1, -1];
      if (depth > maxDepth) throw new YamlSyntaxError(start, tooDeep);
      let result: YamlNode;
      if (isAlias(node)) {
        // The library's own resolve() walks the whole document for each alias (quadratic); converting in
        // document order, the latest node under that anchor is the one it names.
        result = { kind: 'alias', start, end, target: anchors.get(node.source) ?? nothing };
      } else if (isMap(node)) {
        const map: MapNode = { kind: 'map', start, end, flow: Boolean(node.flow), pairs: [] };
        if (node.anchor) anchors.set(node.anchor, map);
        const keys = new Set<unknown>();
        for (const pair of node.items) {
          const key = convert(pair.key, depth + 1);
          claimKey(keys, key);
          map.pairs.push({ key, value: convert(pair.value, depth + 1) });
        }
        result = map;
      } else if (isSeq(node)) {
        const seq: SeqNode = { kind: 'seq', start, end, flow: Boolean(node.flow), items: [] };
        if (node.anchor) anchors.set(node.anchor, seq);
        for (const item of node.items) seq.items.push(convert(item, depth + 1));
        result = seq;
      } else if (isScalar(node)) {
        const value = node.value;
        const empty = value === null && start === end;
        const known = typeof value === 'string' ? value : String((node as { source?: unknown }).source ?? value);
        result = new ScalarNode(empty ? -1 : start, empty ? -1 : end, node.type ?? 'PLAIN', node.tag, schema, text, undefined, {
          text: known,
          value,
        });
      } else {
        result = new ScalarNode(-1, -1, 'PLAIN', undefined, schema, text, undefined, { text: '', value: null });
      }
      if (isScalar(node) && node.anchor) anchors.set(node.anchor, result);
      return result;
    };
    return { root: document.contents === null ? undefined : convert(document.contents) };
  });
}

/**
 * Every document of a YAML text as a light tree. Throws a YamlSyntaxError for text that is not YAML
 * and for a map with the same key twice. Where js-yaml refuses a text, the yaml library's verdict
 * stands, and its message is the one given.
 */
export function parseYamlDocuments(text: string): YamlDocument[] {
  let events;
  try {
    events = parseEvents(text, { maxDepth });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    // Too deep is refused outright: the yaml library's composer would recurse as deep as the text.
    if (/maxDepth/.test(error.reason)) throw new YamlSyntaxError(error.mark?.position ?? 0, tooDeep);
    // The yaml library is linear too, but builds ten times the memory: past its cap, js-yaml's verdict stands.
    if (text.length > maxFallbackCharacters) throw new YamlSyntaxError(error.mark?.position ?? 0, error.reason);
    return fromYamlLibrary(text);
  }
  const documents: YamlDocument[] = [];
  const stack: Frame[] = [];
  let anchors = new Map<string, YamlNode>();
  let schema = core;
  let root: YamlNode | undefined;
  // Where the text of the next node may begin: just after the last node or collection opening.
  let cursor = 0;

  const attach = (node: YamlNode, anchorStart: number, anchorEnd: number): void => {
    if (anchorStart >= 0) anchors.set(text.slice(anchorStart, anchorEnd), node);
    const frame = stack[stack.length - 1];
    if (frame === undefined) root = node;
    else if (frame.node.kind === 'seq') frame.node.items.push(node);
    else if (frame.key === undefined) {
      frame.key = node;
      if (frame.keys !== undefined) claimKey(frame.keys, node);
    } else {
      frame.node.pairs.push({ key: frame.key, value: node });
      frame.key = undefined;
    }
  };

  for (const event of events) {
    switch (event.type) {
      case EVENT_ID.DOCUMENT:
        anchors = new Map();
        root = undefined;
        schema = event.directives.some((directive) => directive.kind === 'yaml' && directive.version === '1.1') ? yaml11 : core;
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        const flow = event.style === COLLECTION_STYLE.FLOW;
        const node: MapNode | SeqNode =
          event.type === EVENT_ID.MAPPING
            ? { kind: 'map', start: event.start, end: event.start + 1, flow, pairs: [] }
            : { kind: 'seq', start: event.start, end: event.start + 1, flow, items: [] };
        attach(node, event.anchorStart, event.anchorEnd);
        stack.push({ node, key: undefined, keys: node.kind === 'map' ? new Set() : undefined });
        cursor = event.start + 1;
        break;
      }
      case EVENT_ID.SCALAR: {
        const style = styles[event.style] ?? 'PLAIN';
        let start = event.valueStart;
        let end = event.valueEnd;
        if (start >= 0 && (style === 'QUOTE_SINGLE' || style === 'QUOTE_DOUBLE')) {
          start -= 1;
          end += 1;
        } else if (start >= 0 && (style === 'BLOCK_LITERAL' || style === 'BLOCK_FOLDED')) {
          start = blockHeader(text, Math.max(cursor, event.anchorEnd, event.tagEnd), start);
          end = blockEnd(text, event);
        }
        const tag = event.tagStart >= 0 ? text.slice(event.tagStart, event.tagEnd) : undefined;
        attach(new ScalarNode(start, end, style, tag, schema, text, event), event.anchorStart, event.anchorEnd);
        if (start >= 0) cursor = end;
        break;
      }
      case EVENT_ID.ALIAS: {
        const target = anchors.get(text.slice(event.anchorStart, event.anchorEnd)) ?? nothing;
        attach({ kind: 'alias', start: event.anchorStart - 1, end: event.anchorEnd, target }, -1, -1);
        cursor = event.anchorEnd;
        break;
      }
      case EVENT_ID.POP: {
        const frame = stack.pop();
        if (frame === undefined) {
          documents.push({ root });
          break;
        }
        const { node } = frame;
        // A flow map without braces is a single pair in a flow sequence (`[a: b]`): it ends with the pair.
        const bracketed = node.flow && text[node.start] === (node.kind === 'map' ? '{' : '[');
        if (bracketed) node.end = closingBracket(text, cursor, node.kind === 'map' ? '}' : ']');
        else {
          // An empty node's end is -1, so it never moves the collection's end.
          const lastPair = node.kind === 'map' ? node.pairs[node.pairs.length - 1] : undefined;
          const end =
            node.kind === 'map' ? (lastPair === undefined ? -1 : pairEnd(lastPair)) : (node.items[node.items.length - 1]?.end ?? -1);
          if (end > node.end) node.end = end;
        }
        cursor = node.end;
        break;
      }
    }
  }
  return documents;
}

/** The value of `key` in a map, aliases followed. */
export function mapGet(map: MapNode, key: string): YamlNode | undefined {
  const pair = map.pairs.find((candidate) => keyText(candidate.key) === key);
  return pair === undefined ? undefined : resolveAlias(pair.value);
}

/** Where the value of `key` is written in a map: an alias's own place, not its anchor's. */
export function mapValueStart(map: MapNode, key: string): number | undefined {
  return map.pairs.find((candidate) => keyText(candidate.key) === key)?.value.start;
}

export function resolveAlias(node: YamlNode): YamlNode {
  return node.kind === 'alias' ? node.target : node;
}
