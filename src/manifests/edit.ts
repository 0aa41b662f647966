// Changes YAML text in place at the level of scalars: a scalar's characters replaced in its own quoting
// style, a `key: value` pair added to a map in the map's own layout, a pair removed with its lines.
// Comments, anchors, key order, indentation and line endings elsewhere stay as they were.
import type { MapSpan, PairSpan, ScalarSpan } from './field.js';

export type Edit =
  | { readonly set: ScalarSpan; readonly value: string }
  | { readonly add: MapSpan; readonly key: string; readonly value: string }
  | { readonly remove: PairSpan };

// A value written plain must read back as the same string in block and flow context: it starts
// with an alphanumeric, has no flow indicators or spaces, does not end in `:` (a key), and cannot be
// taken for a number, boolean or null by YAML 1.2 or 1.1 readers (Kubernetes' and kbld's are 1.1).
// The numbers are the two specs' own forms, the 1.1 ones taken as widely as its regular expressions
// read (`1.2.3` and `1:30` are numbers there); `127.0.0.1:5000` is none of them, and stays plain.
const plainSafe = /^[a-z0-9](?:[A-Za-z0-9._\-/:@]*[A-Za-z0-9._\-/@])?$/;
const nonString = new RegExp(
  `^(?:${[
    '[-+]?[0-9_]+', // decimal, 1.1 octal, with underscores
    '[-+]?0[xob][0-9a-f_]+', // hexadecimal, 1.2 octal, 1.1 binary
    '[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?', // 1.1 sexagesimal
    '[-+]?(?:[0-9][0-9_]*)?\\.[0-9._]*(?:e[-+]?[0-9]+)?', // 1.1 and 1.2 floats
    '[-+]?[0-9][0-9_]*(?:\\.[0-9_]*)?e[-+]?[0-9]+', // exponents
    '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[tT].*)?', // 1.1 timestamps
    'y|n|yes|no|on|off|true|false|null|~',
  ].join('|')})$`,
  'i',
);

export function plainOrQuoted(value: string): string {
  // go-yaml drops every underscore before it reads a number (`1e1_0`, `0_x1f`).
  return plainSafe.test(value) && !nonString.test(value) && !nonString.test(value.replace(/_/g, '')) ? value : JSON.stringify(value);
}

function renderFlowScalar(scalar: ScalarSpan, value: string): string {
  switch (scalar.style) {
    case 'QUOTE_SINGLE':
      return `'${value.replace(/'/g, "''")}'`;
    case 'PLAIN':
      return plainOrQuoted(value);
    default:
      return JSON.stringify(value);
  }
}

/** The new text of a scalar's characters (scalar.start to scalar.end of the original). */
function renderScalar(text: string, scalar: ScalarSpan, value: string): string {
  if (scalar.style !== 'BLOCK_LITERAL' && scalar.style !== 'BLOCK_FOLDED') return renderFlowScalar(scalar, value);
  // A block scalar that is a valid reference holds one line: replace that line's text, keep the
  // header, the indentation and the line breaks.
  const original = text.slice(scalar.start, scalar.end);
  const bodyStart = original.search(/\r?\n/);
  const at = original.indexOf(scalar.value, bodyStart);
  if (bodyStart === -1 || at === -1) throw new Error("cannot locate the block scalar's text");
  return original.slice(0, at) + value + original.slice(at + scalar.value.length);
}

interface Replacement {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

function replacement(text: string, edit: Edit): Replacement {
  if ('set' in edit) return { start: edit.set.start, end: edit.set.end, text: renderScalar(text, edit.set, edit.value) };
  if ('add' in edit) {
    const map = edit.add;
    const pair = `${map.indent}${edit.key}: ${plainOrQuoted(edit.value)}`;
    return { start: map.insertAt, end: map.insertAt, text: map.flow ? `${map.before}${pair}` : `${map.before}${pair}${map.eol}` };
  }
  return { start: edit.remove.start, end: edit.remove.end, text: '' };
}

/** Applies edits to one file's text; `where` names the file in the error an overlap raises. */
export function applyEdits(text: string, edits: readonly Edit[], where = 'a manifest'): string {
  // Insertions at one place keep the order they were asked in.
  const ordered = edits.map((edit) => replacement(text, edit)).sort((a, b) => a.start - b.start || a.end - b.end);
  const parts: string[] = [];
  let position = 0;
  let last: Replacement | undefined;
  for (const replaced of ordered) {
    const { start, end, text: next } = replaced;
    // One scalar asked twice to become the same text (a chart repository's URL, shared by its releases) is one edit.
    if (last !== undefined && start === last.start && end === last.end && next === last.text && end > start) continue;
    last = replaced;
    if (start < position) throw new Error(`${where}: two edits overlap at offset ${start}`);
    parts.push(text.slice(position, start), next);
    position = end;
  }
  parts.push(text.slice(position));
  return parts.join('');
}
