// The light YAML tree (src/yaml/tree.ts) against the yaml library's full Document, the reference:
// the same structure, every scalar at the same characters with the same meaning, flow collections
// ending at the same character; and a text the reference refuses is refused. Used by test/yaml/tree.test.ts
// and by scripts/tree-corpus.ts (any folder of YAML, e.g. before upgrading js-yaml).
import assert from 'node:assert/strict';
import { type Node, isAlias, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import { type YamlNode, YamlSyntaxError, parseYamlDocuments } from '../../src/yaml/tree.js';

/** The yaml library's node as comparable data, and ours, side by side. */
function compare(text: string, ours: YamlNode | undefined, theirs: Node | null | undefined, where: string): void {
  if (theirs === null || theirs === undefined || (isScalar(theirs) && theirs.value === null && theirs.range?.[0] === theirs.range?.[1])) {
    // An empty node: the yaml library gives a null scalar with an empty range, js-yaml no characters.
    if (ours !== undefined) assert.ok(ours.kind === 'scalar' && (ours.start < 0 || ours.start === ours.end), `${where}: empty`);
    return;
  }
  assert.ok(ours !== undefined, `${where}: missing`);
  if (isAlias(theirs)) {
    assert.equal(ours.kind, 'alias', where);
    return;
  }
  if (isScalar(theirs)) {
    assert.equal(ours.kind, 'scalar', `${where}: kind`);
    if (ours.kind !== 'scalar') return;
    const [start, end] = theirs.range ?? [-1, -1];
    assert.equal(ours.start, start, `${where}: start of ${JSON.stringify(text.slice(start, end))}`);
    assert.equal(ours.end, end, `${where}: end of ${JSON.stringify(text.slice(start, end))}`);
    assert.equal(ours.style, theirs.type, `${where}: style`);
    const value = ours.value;
    const expected = theirs.value instanceof Date ? value : theirs.value;
    assert.ok(Object.is(value, expected), `${where}: value ${String(value)} against ${String(expected)}`);
    return;
  }
  if (isMap(theirs)) {
    assert.equal(ours.kind, 'map', `${where}: kind`);
    if (ours.kind !== 'map') return;
    assert.equal(ours.flow, Boolean(theirs.flow), `${where}: flow`);
    assert.equal(ours.pairs.length, theirs.items.length, `${where}: pairs`);
    if (ours.flow) assert.equal(ours.end, theirs.range?.[1], `${where}: end of the flow map`);
    theirs.items.forEach((pair, index) => {
      compare(text, ours.pairs[index]?.key, pair.key as Node, `${where}.key[${index}]`);
      compare(text, ours.pairs[index]?.value, pair.value as Node, `${where}.value[${index}]`);
    });
    return;
  }
  if (isSeq(theirs)) {
    assert.equal(ours.kind, 'seq', `${where}: kind`);
    if (ours.kind !== 'seq') return;
    assert.equal(ours.flow, Boolean(theirs.flow), `${where}: flow`);
    assert.equal(ours.items.length, theirs.items.length, `${where}: items`);
    if (ours.flow) assert.equal(ours.end, theirs.range?.[1], `${where}: end of the flow sequence`);
    theirs.items.forEach((item, index) => compare(text, ours.items[index], item as Node, `${where}[${index}]`));
  }
}

/** Whether the yaml library refuses a text: an error while parsing. */
export function referenceRefuses(text: string): boolean {
  const parsed = parseAllDocuments(text);
  return (Array.isArray(parsed) ? parsed : []).some((document) => document.errors.length > 0);
}

export function agree(text: string, name: string): void {
  if (referenceRefuses(text)) {
    assert.throws(() => parseYamlDocuments(text), YamlSyntaxError, `${name}: refused by the reference, so by the tree`);
    return;
  }
  const theirs = parseAllDocuments(text);
  const documents = Array.isArray(theirs) ? theirs : [];
  const ours = parseYamlDocuments(text);
  assert.equal(ours.length, documents.length, `${name}: documents`);
  documents.forEach((document, index) => compare(text, ours[index]?.root, document.contents as Node, `${name}#${index}`));
}
