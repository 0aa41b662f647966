// The bundle carries its dependencies' code, so dist/licenses.txt must carry their licenses.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(import.meta.dirname, '..');

describe('dist/licenses.txt', () => {
  it('holds the license of every production dependency, ESM imports included', () => {
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const text = `\n${readFileSync(path.join(root, 'dist', 'licenses.txt'), 'utf8')}`;
    for (const dependency of Object.keys(manifest.dependencies)) {
      // An entry: the package's name on a line of its own, the name of its license, then its text.
      const license = text.split(`\n${dependency}\n`)[1]?.split('\n')[0];
      assert.ok(license !== undefined, `${dependency} has no entry`);
      assert.match(license, /^(?:MIT|ISC|Apache-2\.0|BSD-\d-Clause)$/, `${dependency}: ${license}`);
    }
  });
});
