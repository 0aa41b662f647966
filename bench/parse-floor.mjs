// The floor for any YAML-aware rewrite: parse every file with the yaml library and do nothing else.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

const root = process.argv[2];
let documents = 0;
for (const name of readdirSync(root)) documents += parseAllDocuments(readFileSync(path.join(root, name), 'utf8')).length;
console.log(documents);
