// The floor for ferry's own reading: js-yaml's event stream of every file, the parse its locator walks.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseEvents } from 'js-yaml';

const root = process.argv[2];
let events = 0;
for (const name of readdirSync(root)) events += parseEvents(readFileSync(path.join(root, name), 'utf8'), {}).length;
console.log(events);
