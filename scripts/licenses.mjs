// Writes dist/licenses.txt after the build: the license of every production dependency, and of ncc's
// own runtime, which the bundle carries. ncc's `--license` lists only the packages it reaches through
// CommonJS, so yaml, js-yaml, undici and @actions/core (ESM imports) were missing from it.
// Sorted by package name, so the file is the same on every build of the same lockfile.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const listed = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((dir) => dir !== '' && path.resolve(dir) !== root);
const packages = new Map();
for (const dir of [...listed, path.join(root, 'node_modules', '@vercel', 'ncc')].sort()) {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  if (packages.has(manifest.name)) continue;
  const licenseFile = readdirSync(dir)
    .sort()
    .find((name) => /^(?:licen[cs]e|copying)(?:[.-].*)?$/i.test(name));
  const text = licenseFile === undefined ? '(no license file in the package)' : readFileSync(path.join(dir, licenseFile), 'utf8').trim();
  packages.set(manifest.name, `${manifest.name}\n${manifest.license ?? 'UNKNOWN'}\n${text}\n`);
}
const names = [...packages.keys()].sort();
writeFileSync(path.join(root, 'dist', 'licenses.txt'), names.map((name) => packages.get(name)).join('\n'));
