// The README is for users: short enough to read, its links to docs/ resolve, and it speaks of the
// project alone.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { modeNames } from '../src/modes/catalog.js';

const root = path.resolve(import.meta.dirname, '..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const docs = readdirSync(path.join(root, 'docs')).map((name) => path.join('docs', name));

describe('the README', () => {
  it('is under 20 KB, the details in docs/', () => {
    assert.ok(Buffer.byteLength(readme) < 20 * 1024, `${Buffer.byteLength(readme)} bytes`);
  });

  it("has a row for every input of action.yml, with action.yml's default, and names every mode", () => {
    const action = parse(readFileSync(path.join(root, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> };
    const rows = readme
      .slice(readme.indexOf('## Inputs'), readme.indexOf('\n## ', readme.indexOf('## Inputs') + 1))
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => line.split(' | ').map((cell) => cell.replace(/^\|\s*/, '').trim()));
    for (const [name, { default: value = '' }] of Object.entries(action.inputs)) {
      const row = rows.find((cells) => (cells[0] ?? '').split(' / ').includes(`\`${name}\``));
      assert.ok(row !== undefined, `${name} has no row`);
      if (value !== '') assert.ok((row[1] ?? '').includes(`\`${value}\``), `${name}: README says ${row[1]}, action.yml ${value}`);
    }
    const modes = rows.find((cells) => cells[0] === '`mode`')?.[2] ?? '';
    for (const mode of modeNames) assert.match(modes, new RegExp(`\`${mode}\``), mode);
    assert.match(readme, new RegExp(`${['Six', 'Seven', 'Eight'][modeNames.length - 6] ?? modeNames.length} modes`));
  });

  it('links only to files that exist, and every docs/ page is linked from it', () => {
    const links = [...readme.matchAll(/\]\(((?!https?:|#)[^)]+)\)/g)].map((match) => match[1] ?? '');
    for (const link of links) assert.ok(existsSync(path.join(root, link)), link);
    for (const doc of docs) assert.ok(links.includes(doc), `${doc} is not linked from the README`);
  });

  it('speaks of the project alone: no issues, seeds or design pages outside the repository', () => {
    for (const file of ['README.md', ...docs]) {
      const text = readFileSync(path.join(root, file), 'utf8');
      assert.doesNotMatch(text, /\bthe issue\b|\bseeds?\b|DESIGN\.md/i, file);
    }
  });
});
