// A string field: the scalar is the reference, and the new reference replaces its characters.
import type { StringField } from '../field.js';
import type { Target, Written } from './target.js';

export function writeString(field: StringField, target: Target): Written {
  return { edits: field.value === target.image ? [] : [{ set: field.scalar, value: target.image }], rendered: target.image };
}
