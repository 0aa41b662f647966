// One manifest as large as ferry reads by default, in the shape that costs a reader most: a single map
// of distinct keys. Run as its own process by the rewrite bench: `ferry` finds its image fields the
// way a rewrite does, `yaml` parses it with the yaml library (whose key-uniqueness check compares each
// key with every earlier one).
// key with every earlier one). Every other YAML reader of ferry's is measured at the largest file it
// accepts: `fallback` is a manifest the yaml library reads (a `%YAML 2.0` directive), `data` is
// skaffold.yaml, Chart.yaml and Skaffold's global config (1 MiB each), `lock` a lock of that many
// overrides.
// Usage: node --import tsx bench/large-file.ts ferry|fallback|data|lock|yaml <MiB>
import { parseAllDocuments } from 'yaml';
import { parseLock } from '../src/lock.js';
import { locateImageFields } from '../src/manifests/locate.js';
import { yamlValues } from '../src/yaml/data.js';

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

/** A kbld lock of distinct overrides, `mib` MiB long. */
function lockOf(mib: number): string {
  const lines = ['apiVersion: kbld.k14s.io/v1alpha1', 'kind: Config', 'overrides:'];
  let size = 0;
  for (let n = 0; size < mib * 1024 * 1024; n++) {
    const entry = `- image: app-${n}:v1\n  newImage: registry.example/team/app-${n}@sha256:${'0'.repeat(64)}\n  preresolved: true`;
    lines.push(entry);
    size += entry.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

const [reader, mib] = process.argv.slice(2);
if (reader !== undefined && mib !== undefined) {
  const text = distinctKeys(Number(mib));
  const imageKeys = { imageKeys: new Set(['image']) };
  if (reader === 'yaml') parseAllDocuments(text);
  else if (reader === 'fallback') locateImageFields('large.yaml', `%YAML 2.0\n---\n${text}`, imageKeys);
  else if (reader === 'data') yamlValues(text);
  else if (reader === 'lock') parseLock('large.lock.yml', lockOf(Number(mib)));
  else locateImageFields('large.yaml', text, imageKeys);
}
