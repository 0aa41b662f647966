import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { checkTargets, commitFiles, findManifests, readManifest } from '../../src/manifests/files.js';
import { Workspace } from '../../src/workspace.js';
import { scratchDir } from '../registry/harness.js';

function workspace(files: Record<string, string | Buffer>): string {
  const root = scratchDir('files');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), content);
  }
  return root;
}

describe('findManifests', () => {
  it('matches the globs, sorted, never VCS, workflow or dependency folders nor excluded files', async () => {
    const root = workspace({
      'k8s/b.yaml': '',
      'k8s/a.yml': '',
      'k8s/skip.yaml': '',
      'k8s/notes.txt': '',
      '.git/config.yaml': '',
      '.github/workflows/ci.yml': '',
      'node_modules/pkg/x.yaml': '',
      'sub/node_modules/y.yaml': '',
      'ferry.lock.yml': '',
    });
    const found = await findManifests(
      new Workspace(root, root),
      ['**/*.yaml', '**/*.yml', '!k8s/skip.yaml'],
      [path.join(root, 'ferry.lock.yml')],
    );
    assert.deepEqual(
      found.map((file) => file.name),
      ['k8s/a.yml', 'k8s/b.yaml'],
    );
    assert.equal(found[0]?.path, path.join(root, 'k8s/a.yml'));
  });
});

describe('readManifest', () => {
  it('leaves out a link into an excluded folder, whatever the case of its name (case-insensitive file systems)', async () => {
    const root = workspace({ '.GitHub/workflows/ci.yml': '', '.github/workflows/ci.yml': '', 'k8s/app.yaml': '' });
    symlinkSync('../.GitHub/workflows/ci.yml', path.join(root, 'k8s', 'upper.yaml'));
    symlinkSync('../.github/workflows/ci.yml', path.join(root, 'k8s', 'lower.yaml'));
    const found = await findManifests(new Workspace(root, root), ['**/*.yaml', '**/*.yml']);
    assert.deepEqual(
      found.map((file) => file.name),
      ['k8s/app.yaml'],
    );
  });

  it('refuses bytes that are not UTF-8', () => {
    const root = workspace({ 'latin1.yaml': Buffer.from([0x69, 0x6d, 0x61, 0x67, 0x65, 0x3a, 0x20, 0xe9, 0x0a]) });
    const file = path.join(root, 'latin1.yaml');
    assert.throws(
      () => readManifest(new Workspace(root, root), { path: file, name: 'latin1.yaml', real: file }, 1024),
      /latin1\.yaml: not UTF-8 text/,
    );
  });
});

describe('commitFiles', () => {
  it('writes every file and keeps the permissions of the original', async () => {
    const root = workspace({ 'a.yaml': 'old a', 'script.yaml': 'old s' });
    chmodSync(path.join(root, 'script.yaml'), 0o751);
    await commitFiles([
      { path: path.join(root, 'a.yaml'), text: 'new a', modeFrom: path.join(root, 'a.yaml') },
      { path: path.join(root, 'script.yaml'), text: 'new s', modeFrom: path.join(root, 'script.yaml') },
      { path: path.join(root, 'out/deep/c.yaml'), text: 'new c' },
    ]);
    assert.equal(readFileSync(path.join(root, 'a.yaml'), 'utf8'), 'new a');
    assert.equal(readFileSync(path.join(root, 'out/deep/c.yaml'), 'utf8'), 'new c');
    assert.equal(statSync(path.join(root, 'script.yaml')).mode & 0o777, 0o751);
    assert.deepEqual(readdirSync(root).sort(), ['a.yaml', 'out', 'script.yaml']);
  });

  it('changes nothing and leaves no temporary file when one write fails', async () => {
    const root = workspace({ 'a.yaml': 'old a', 'b.yaml': 'old b' });
    await assert.rejects(
      commitFiles([
        { path: path.join(root, 'a.yaml'), text: 'new a' },
        // A file where a folder must be: the write fails after a.yaml was staged.
        { path: path.join(root, 'b.yaml', 'inside.yaml'), text: 'x' },
      ]),
    );
    assert.equal(readFileSync(path.join(root, 'a.yaml'), 'utf8'), 'old a');
    assert.equal(readFileSync(path.join(root, 'b.yaml'), 'utf8'), 'old b');
    assert.deepEqual(readdirSync(root).sort(), ['a.yaml', 'b.yaml']);
  });

  it('refuses a folder where a file goes, or a file where a folder goes, before anything is written', async () => {
    const root = workspace({ 'a.yaml': 'old a', 'lock.yml/.keep': '', 'out.yaml': 'a file' });
    for (const [target, reason] of [
      ['lock.yml', /lock\.yml: a folder is where ferry writes this file/],
      ['out.yaml/deep/c.yaml', /out\.yaml\/deep\/c\.yaml: .*out\.yaml is a file, not a folder/],
    ] as const) {
      const writes = [
        { path: path.join(root, 'a.yaml'), text: 'new a' },
        { path: path.join(root, target), text: 'x' },
      ];
      await assert.rejects(checkTargets(writes), reason);
      await assert.rejects(commitFiles(writes), reason);
      assert.equal(readFileSync(path.join(root, 'a.yaml'), 'utf8'), 'old a');
      assert.deepEqual(readdirSync(root).sort(), ['a.yaml', 'lock.yml', 'out.yaml']);
    }
  });
});
