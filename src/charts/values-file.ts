// A values file in a chart's own shape that points every image its values name at the image's new
// home: a string gets the new reference; a values map gets its registry, repository, tag and digest
// as the map has them (a pin goes into `digest` when the map has one, else after the tag, as ferry
// pins a values map in the workspace); an `images:` list is written whole. For `helm install -f`, or a
// HelmRelease's valuesFrom.
import { stringify } from 'yaml';
import { nameText, parseReferenceParts } from '../reference.js';
import type { ChartImage } from './chart-images.js';

type Values = Record<string, unknown>;

/** Keys an object of JavaScript cannot hold as data: a values path through one is not written. */
const unsafeKeys = new Set(['__proto__', 'constructor', 'prototype']);

function setAt(root: Values, path: readonly (string | number)[], value: unknown): void {
  if (path.some((key) => unsafeKeys.has(String(key)))) return;
  let node: Values = root;
  path.forEach((key, index) => {
    const last = index === path.length - 1;
    if (last) {
      node[String(key)] = value;
      return;
    }
    const next = node[String(key)];
    if (typeof next !== 'object' || next === null) node[String(key)] = Object.create(null) as Values;
    node = node[String(key)] as Values;
  });
}

/** The map's keys for a new reference, as the map writes them. */
function mapValues(shape: Extract<ChartImage['values'], { kind: 'map' }>, newImage: string): Values {
  const parts = parseReferenceParts(newImage);
  const values: Values = shape.registry ? { registry: parts.domain ?? '', repository: parts.path } : { repository: nameText(parts) };
  const tag = parts.tag ?? shape.tag;
  if (parts.digest !== undefined && shape.digest) {
    values.digest = parts.digest;
    if (tag !== undefined) values.tag = tag;
  } else if (parts.digest !== undefined && tag !== undefined) values.tag = `${tag}@${parts.digest}`;
  else if (parts.digest !== undefined) values.digest = parts.digest;
  else if (tag !== undefined) values.tag = tag;
  return values;
}

/**
 * The values file's text; undefined when the values name no image. `newImageOf` gives an image's new
 * reference (pinned where the run pins), or undefined for one the run did not move.
 */
export function valuesFileText(
  images: readonly ChartImage[],
  newImageOf: (image: string) => string | undefined,
  header: string,
): string | undefined {
  const root = Object.create(null) as Values;
  let count = 0;
  for (const { image, values } of images) {
    const newImage = newImageOf(image);
    if (values === undefined || newImage === undefined) continue;
    count++;
    if (values.kind === 'string') setAt(root, values.path, newImage);
    else if (values.kind === 'map') setAt(root, values.path, mapValues(values, newImage));
    else
      setAt(
        root,
        values.path,
        values.items.map((item) => (typeof item === 'string' ? (newImageOf(item) ?? item) : item)),
      );
  }
  if (count === 0) return undefined;
  return `${header
    .split('\n')
    .map((line) => `# ${line}`)
    .join('\n')}\n${stringify(root, { lineWidth: 0 })}`;
}
