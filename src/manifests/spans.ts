// Where a YAML node's characters are: the spans edits work on, taken from the yaml library's ranges.
import { type LineCounter, type Pair, type YAMLMap, isScalar } from 'yaml';
import type { MapSpan, PairSpan, Position, ScalarSpan } from './field.js';
import { goNumberText } from './placeholder.js';

export function keyText(key: unknown): string | undefined {
  return isScalar(key) && (typeof key.value === 'string' || typeof key.value === 'number') ? String(key.value) : undefined;
}

/** A string or number scalar's span; undefined for anything else (null, booleans, collections). */
export function scalarSpan(node: unknown): ScalarSpan | undefined {
  if (!isScalar(node) || node.range == null) return undefined;
  const [start, end] = node.range;
  const style = node.type ?? 'PLAIN';
  if (typeof node.value === 'string') return { start, end, style, value: node.value };
  if (typeof node.value === 'number') return { start, end, style, value: goNumberText(node.value), numeric: true };
  return undefined;
}

export function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((pair) => keyText(pair.key) === key);
}

export function positionOf(file: string, lines: LineCounter, offset: number): Position {
  const { line, col } = lines.linePos(offset);
  return { file, line, column: col };
}

function rangeOf(node: unknown): [number, number, number] | undefined {
  const range = (node as { range?: [number, number, number] | null } | null)?.range;
  return range ?? undefined;
}

/** Where a pair may be added to `map`, in its own layout. */
export function mapSpan(map: YAMLMap, text: string): MapSpan | undefined {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const last = map.items[map.items.length - 1];
  const lastEnd = last === undefined ? undefined : (rangeOf(last.value) ?? rangeOf(last.key))?.[1];
  if (map.flow) {
    if (lastEnd !== undefined) return { flow: true, indent: '', insertAt: lastEnd, before: ', ', eol };
    const close = rangeOf(map)?.[1];
    if (close === undefined) return undefined;
    const at = text.lastIndexOf('}', close);
    return at === -1 ? undefined : { flow: true, indent: '', insertAt: at, before: '', eol };
  }
  const firstKey = rangeOf(map.items[0]?.key)?.[0];
  if (firstKey === undefined || lastEnd === undefined) return undefined;
  const indent = ' '.repeat(firstKey - (text.lastIndexOf('\n', firstKey - 1) + 1));
  // A block scalar's range ends after its line break; anything else ends on the pair's last line.
  if (text[lastEnd - 1] === '\n') return { flow: false, indent, insertAt: lastEnd, before: '', eol };
  const lineEnd = text.indexOf('\n', lastEnd);
  return lineEnd === -1
    ? { flow: false, indent, insertAt: text.length, before: eol, eol }
    : { flow: false, indent, insertAt: lineEnd + 1, before: '', eol };
}

/** A pair's characters; `ownLines` when nothing else shares its lines, so it can go with them. */
export function pairSpan(pair: Pair, text: string): PairSpan | undefined {
  const start = rangeOf(pair.key)?.[0];
  const end = (rangeOf(pair.value) ?? rangeOf(pair.key))?.[1];
  if (start === undefined || end === undefined) return undefined;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = text.indexOf('\n', end);
  const rest = text.slice(end, lineEnd === -1 ? text.length : lineEnd);
  const ownLines = /^[ \t]*$/.test(text.slice(lineStart, start)) && /^[ \t]*(?:#.*)?\r?$/.test(rest);
  return ownLines ? { start: lineStart, end: lineEnd === -1 ? text.length : lineEnd + 1, ownLines } : { start, end, ownLines };
}
