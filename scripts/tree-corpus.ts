// `node --import tsx scripts/tree-corpus.ts < list`: holds the light YAML tree against the yaml library
// on every file named on standard input (one path per line), as test/yaml/tree.test.ts does on the fixtures,
// and counts what agreed, what both refused, and what differed (the first few named). For a corpus
// larger than the fixtures, e.g. `find / -xdev -name '*.y*ml' -size -2M | node --import tsx
// scripts/tree-corpus.ts` before upgrading js-yaml.
import { readFileSync } from 'node:fs';
import { agree, referenceRefuses } from '../test/yaml/agreement.js';

const files = readFileSync(0, 'utf8').split('\n').filter(Boolean);
const tally = { files: 0, agreed: 0, bothRefused: 0, differed: 0 };
const differences: string[] = [];
for (const file of files) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    continue;
  }
  tally.files++;
  try {
    agree(text, file);
    if (referenceRefuses(text)) tally.bothRefused++;
    else tally.agreed++;
  } catch (error) {
    tally.differed++;
    if (differences.length < 20) differences.push(`${file}: ${(error as Error).message.split('\n')[0]}`);
  }
}
console.log(JSON.stringify(tally));
for (const line of differences) console.log(line);
process.exitCode = tally.differed === 0 ? 0 : 1;
