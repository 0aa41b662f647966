// Replaces image values in YAML text in place: only the characters of each value change, in the
// value's own quoting style, so comments, anchors, key order, indentation and line endings stay.
import type { ImageField } from './locate.js';

export interface Edit {
  readonly field: ImageField;
  readonly value: string;
}

// A reference written plain must read back as the same string in block and flow context: it starts
// with an alphanumeric, has no flow indicators or spaces, and cannot be taken for a number, boolean
// or null (YAML 1.1 readers such as Kubernetes' included).
const plainSafe = /^[a-z0-9][A-Za-z0-9._\-/:@]*$/;
const nonString = /^(?:[-+0-9._:]+|0[xob][0-9a-f_]+|y|n|yes|no|on|off|true|false|null|~)$/i;

function renderFlowScalar(field: ImageField, value: string): string {
  switch (field.style) {
    case 'QUOTE_SINGLE':
      return `'${value.replace(/'/g, "''")}'`;
    case 'PLAIN':
      if (plainSafe.test(value) && !nonString.test(value)) return value;
      return JSON.stringify(value);
    default:
      return JSON.stringify(value);
  }
}

/** The new text of a field's characters (field.start to field.end of the original). */
function renderField(text: string, field: ImageField, value: string): string {
  const original = text.slice(field.start, field.end);
  if (field.style !== 'BLOCK_LITERAL' && field.style !== 'BLOCK_FOLDED') return renderFlowScalar(field, value);
  // A block scalar that is a valid reference holds one line: replace that line's text, keep the
  // header, the indentation and the line breaks.
  const bodyStart = original.search(/\r?\n/);
  const at = original.indexOf(field.value, bodyStart);
  if (bodyStart === -1 || at === -1) throw new Error(`${field.file}:${field.line}: cannot locate the block scalar's text`);
  return original.slice(0, at) + value + original.slice(at + field.value.length);
}

/** Applies edits to one file's text; edits must not overlap (each field is one scalar). */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const ordered = [...edits].sort((a, b) => a.field.start - b.field.start);
  const parts: string[] = [];
  let position = 0;
  for (const { field, value } of ordered) {
    if (field.start < position) throw new Error(`${field.file}:${field.line}: overlapping edits`);
    parts.push(text.slice(position, field.start), renderField(text, field, value));
    position = field.end;
  }
  parts.push(text.slice(position));
  return parts.join('');
}
