// One manifest as large as ferry reads by default, in the shape that costs a reader most: a single map
// of distinct keys. Run as its own process by the rewrite bench: `ferry` finds its image fields the
// way a rewrite does, `yaml` parses it with the yaml library (whose key-uniqueness check compares each
// key with every earlier one).
// Usage: node --import tsx bench/large-file.ts ferry|yaml <MiB>
import { parseAllDocuments } from 'yaml';
import { locateImageFields } from '../src/manifests/locate.js';

export function distinctKeys(mib: number): string {
  const lines: string[] = [];
  let size = 0;
  for (let key = 0; size < mib * 1024 * 1024; key++) {
    const line = key % 1000 === 0 ? `image${key}: app-${key}:v1` : `k${key}: v`;
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

const [reader, mib] = process.argv.slice(2);
if (reader !== undefined && mib !== undefined) {
  const text = distinctKeys(Number(mib));
  if (reader === 'yaml') parseAllDocuments(text);
  else locateImageFields('large.yaml', text, { imageKeys: new Set(['image']) });
}
