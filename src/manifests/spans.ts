// Where a YAML node's characters are: the spans edits work on, taken from the light tree's offsets.
import type { MapSpan, PairSpan, ScalarSpan } from './field.js';
import { goNumberText } from './placeholder.js';
import { type MapNode, type Pair, type YamlNode, keyText, pairEnd } from '../yaml/tree.js';

/** A string or number scalar's span; undefined for anything else (null, booleans, collections). */
export function scalarSpan(node: YamlNode | undefined): ScalarSpan | undefined {
  if (node === undefined || node.kind !== 'scalar' || node.start < 0) return undefined;
  const { start, end, style } = node;
  const value = node.value;
  if (typeof value === 'string') return { start, end, style, value };
  if (typeof value === 'number') return { start, end, style, value: goNumberText(value), numeric: true };
  return undefined;
}

export function pairOf(map: MapNode, key: string): Pair | undefined {
  return map.pairs.find((pair) => keyText(pair.key) === key);
}

/** The line break a file writes: asked once per file, not once per map (a search of the whole text). */
let eolOf: { text: string; eol: string } | undefined;
function lineBreak(text: string): string {
  if (eolOf?.text !== text) eolOf = { text, eol: text.includes('\r\n') ? '\r\n' : '\n' };
  return eolOf.eol;
}

/** Where a pair may be added to `map`, in its own layout. */
export function mapSpan(map: MapNode, text: string): MapSpan | undefined {
  const eol = lineBreak(text);
  const last = map.pairs[map.pairs.length - 1];
  const lastEnd = last === undefined ? undefined : pairEnd(last);
  if (map.flow) {
    if (lastEnd !== undefined) return { flow: true, indent: '', insertAt: lastEnd, before: ', ', eol };
    const at = text.lastIndexOf('}', map.end - 1);
    return at < map.start ? undefined : { flow: true, indent: '', insertAt: at, before: '', eol };
  }
  const firstKey = map.pairs[0]?.key.start;
  if (firstKey === undefined || firstKey < 0 || lastEnd === undefined) return undefined;
  const indent = ' '.repeat(firstKey - (text.lastIndexOf('\n', firstKey - 1) + 1));
  // A block scalar's characters end after its line break; anything else ends on the pair's last line.
  if (text[lastEnd - 1] === '\n') return { flow: false, indent, insertAt: lastEnd, before: '', eol };
  const lineEnd = text.indexOf('\n', lastEnd);
  return lineEnd === -1
    ? { flow: false, indent, insertAt: text.length, before: eol, eol }
    : { flow: false, indent, insertAt: lineEnd + 1, before: '', eol };
}

/** A pair's characters; `ownLines` when nothing else shares its lines, so it can go with them. */
export function pairSpan(pair: Pair, text: string): PairSpan | undefined {
  const start = pair.key.start;
  const end = pairEnd(pair);
  if (start < 0 || end < 0) return undefined;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = text.indexOf('\n', end);
  const rest = text.slice(end, lineEnd === -1 ? text.length : lineEnd);
  const ownLines = /^[ \t]*$/.test(text.slice(lineStart, start)) && /^[ \t]*(?:#.*)?\r?$/.test(rest);
  return ownLines ? { start: lineStart, end: lineEnd === -1 ? text.length : lineEnd + 1, ownLines } : { start, end, ownLines };
}
