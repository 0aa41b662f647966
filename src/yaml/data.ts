// YAML that ferry reads as data rather than edits (skaffold.yaml, Skaffold's global config, Chart.yaml,
// the lock): through the same light tree as manifests, so every reader has the same bounds. Duplicate
// keys are checked in linear time (the yaml library checks each key against every earlier one, which a
// 1 MiB file of distinct keys turns into minutes) and nesting past 100 levels is refused. An alias is
// the same value as its anchor, never a copy, so no alias bomb can grow what is built.
import { type YamlDocument, type YamlNode, keyText, parseYamlDocuments } from './tree.js';

export { LineIndex, YamlSyntaxError, mapGet, mapValueStart, resolveAlias } from './tree.js';
export type { MapNode, SeqNode, YamlDocument, YamlNode } from './tree.js';

/** Every document of a YAML text; throws YamlSyntaxError (with an offset) for text that is not YAML. */
export function parseYamlData(text: string): YamlDocument[] {
  return parseYamlDocuments(text);
}

/** A node as plain data: maps as objects (keys as text), sequences as arrays, scalars as the schema reads them. */
export function toData(node: YamlNode | undefined, built = new Map<YamlNode, unknown>()): unknown {
  if (node === undefined) return null;
  if (node.kind === 'alias') return toData(node.target, built);
  if (node.kind === 'scalar') return node.value;
  const done = built.get(node);
  if (done !== undefined) return done;
  if (node.kind === 'seq') {
    const list: unknown[] = [];
    built.set(node, list);
    for (const item of node.items) list.push(toData(item, built));
    return list;
  }
  const map: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  built.set(node, map);
  for (const pair of node.pairs) {
    const key = keyText(pair.key);
    if (key !== undefined) map[key] = toData(pair.value, built);
  }
  return map;
}

/** Every document of a YAML text as plain data. */
export function yamlValues(text: string): unknown[] {
  return parseYamlData(text).map((document) => toData(document.root));
}
