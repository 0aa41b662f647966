// A full parse of every file with the yaml library and nothing else: what ferry's locator cost before it
// walked js-yaml's event stream (bench/events-floor.mjs), kept as the reference point.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

const root = process.argv[2];
let documents = 0;
for (const name of readdirSync(root)) documents += parseAllDocuments(readFileSync(path.join(root, name), 'utf8')).length;
console.log(documents);
