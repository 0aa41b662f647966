// The README is for users: short enough to read, its links to docs/ resolve, and it speaks of the
// project alone.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(import.meta.dirname, '..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const docs = readdirSync(path.join(root, 'docs')).map((name) => path.join('docs', name));

describe('the README', () => {
  it('is under 24 KB, the details in docs/', () => {
    assert.ok(Buffer.byteLength(readme) < 24 * 1024, `${Buffer.byteLength(readme)} bytes`);
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
