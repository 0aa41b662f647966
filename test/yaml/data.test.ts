// Every YAML file ferry reads is read in time linear in its size: skaffold.yaml, Skaffold's global
// config, Chart.yaml, the lock, and manifests on the yaml library's path. A map of distinct keys costs
// the yaml library's own duplicate check minutes at 1 MiB; each test here would time out on it.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseLock } from '../../src/lock.js';
import { locateImageFields } from '../../src/manifests/locate.js';
import { scanManifests } from '../../src/manifests/scan.js';
import { loadSettings } from '../../src/settings.js';
import { Workspace } from '../../src/workspace.js';
import { yamlValues } from '../../src/yaml/data.js';
import { scratchDir } from '../registry/harness.js';

/** A map of distinct keys, just under `bytes` long, after `head`. */
function distinctKeys(head: string, bytes: number): string {
  const lines = [head.trimEnd()];
  let size = head.length;
  for (let key = 0; size < bytes - 64; key++) {
    const line = `k${key}: v`;
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

const mib = 1024 * 1024;
/** Far above what the linear readers take here, far below what the quadratic check took (minutes). */
const bound = { timeout: 60_000 };

function sandbox(files: Record<string, string>): { workspace: string; home: string } {
  const root = scratchDir('yaml');
  const workspace = path.join(root, 'workspace');
  const home = path.join(root, 'home');
  for (const [name, text] of Object.entries(files)) {
    const file = name.startsWith('~/') ? path.join(home, name.slice(2)) : path.join(workspace, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  mkdirSync(workspace, { recursive: true });
  mkdirSync(home, { recursive: true });
  return { workspace, home };
}

describe('YAML read as data, bounded', () => {
  it('a 1 MiB skaffold.yaml of distinct keys is read, and its insecure registries found', bound, () => {
    const { workspace, home } = sandbox({
      'skaffold.yaml': distinctKeys('apiVersion: skaffold/v4beta11\nkind: Config\nbuild:\n  insecureRegistries: [big.example]\n', mib),
    });
    const settings = loadSettings({ HOME: home, GITHUB_WORKSPACE: workspace });
    assert.deepEqual(settings.insecureRegistries, ['big.example']);
  });

  it('a 1 MiB Skaffold global config of distinct keys is read', bound, () => {
    const { workspace, home } = sandbox({
      '~/.skaffold/config': distinctKeys('global:\n  default-repo: registry.example/global\n', mib),
    });
    assert.equal(loadSettings({ HOME: home, GITHUB_WORKSPACE: workspace }).defaultRepo, 'registry.example/global');
  });

  it("a 1 MiB Chart.yaml of distinct keys gives its appVersion to a values file's empty tag", bound, async () => {
    const { workspace } = sandbox({
      'chart/Chart.yaml': distinctKeys('apiVersion: v2\nname: app\nappVersion: "2.4.1"\n', mib - 1024),
      'chart/values.yaml': 'image:\n  repository: acme/app\n  tag: ""\n',
    });
    const scan = await scanManifests({
      files: new Workspace(workspace, workspace),
      maxManifestBytes: 2 * mib,
      patterns: ['chart/values.yaml'],
      imageKeys: ['image'],
      exclude: [],
    });
    assert.deepEqual(
      scan.manifests.flatMap((manifest) => manifest.fields.map((field) => field.value)),
      ['acme/app:2.4.1'],
    );
  });

  it('a lock with a 1 MiB map of distinct keys is read', bound, () => {
    const text = distinctKeys(
      'apiVersion: kbld.k14s.io/v1alpha1\nkind: Config\noverrides:\n- image: nginx:1.25\n  newImage: registry.example/nginx:1.25\n',
      mib,
    );
    assert.deepEqual([...parseLock('big.lock.yml', text).overrides], [['nginx:1.25', 'registry.example/nginx:1.25']]);
  });

  it('a manifest on the yaml library’s path (%YAML 2.0, a NUL in a quoted scalar) is read in linear time', bound, () => {
    for (const head of ['%YAML 2.0\n---\nimage: nginx:1.25\n', 'image: nginx:1.25\nnul: "a\0b"\n']) {
      const located = locateImageFields('big.yaml', distinctKeys(head, mib), { imageKeys: new Set(['image']) });
      assert.deepEqual(
        located.fields.map((field) => field.value),
        ['nginx:1.25'],
      );
    }
  });

  it('a key given twice is still refused, on every path, with its line', () => {
    assert.throws(() => yamlValues('a: 1\nb: 2\na: 3\n'), /Map keys must be unique/);
    assert.throws(
      () => parseLock('l.yml', 'apiVersion: kbld.k14s.io/v1alpha1\nkind: Config\nkind: Config\n'),
      /^Error: l\.yml:3:1: not valid YAML: Map keys must be unique/,
    );
    assert.throws(
      () => locateImageFields('f.yaml', '%YAML 2.0\n---\na: 1\na: 2\n', { imageKeys: new Set(['image']) }),
      (error: Error & { line?: number }) => {
        assert.match(error.message, /Map keys must be unique/);
        assert.equal(error.line, 4);
        return true;
      },
    );
  });

  it('an alias bomb is the same value many times over, not a copy each time', () => {
    const levels = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]'];
    for (let level = 1; level < 10; level++) {
      levels.push(
        `${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + level)}`)
          .join(', ')}]`,
      );
    }
    const [data] = yamlValues(`${levels.join('\n')}\n`) as [Record<string, unknown[]>];
    assert.equal(data.j?.length, 10);
    assert.equal(data.j?.[0], data.i);
  });
});

describe('the yaml library path has a cap of its own', () => {
  it('a manifest only the yaml library could read is refused past 2 MiB, with the reason js-yaml gave', () => {
    const text = distinctKeys('%YAML 2.0\n---\nimage: nginx:1.25\n', 3 * mib);
    assert.throws(
      () => locateImageFields('big.yaml', text, { imageKeys: new Set(['image']) }),
      (error: Error) => {
        assert.match(error.message, /^big\.yaml:2:1: not valid YAML: unacceptable YAML version of the document$/);
        return true;
      },
    );
  });
});

describe('aliases cost once', () => {
  it('a manifest the yaml library reads, with a hundred thousand aliases, is read in linear time', { timeout: 30_000 }, () => {
    const text = `# \0\nimage: &a nginx:1.25\nl:\n${'- *a\n'.repeat(100_000)}`;
    const located = locateImageFields('aliases.yaml', text, { imageKeys: new Set(['image']) });
    assert.deepEqual(
      located.fields.map((field) => field.value),
      ['nginx:1.25'],
    );
  });

  it('a lock whose entries are aliases of one large entry reads it once', { timeout: 30_000 }, () => {
    const keys = Array.from({ length: 20_000 }, (_, n) => `k${n}: 1`).join(', ');
    const text = `apiVersion: kbld.k14s.io/v1alpha1\nkind: Config\noverrides:\n- &m {${keys}, image: a, newImage: registry.example/a:1}\n${'- *m\n'.repeat(20_000)}`;
    assert.deepEqual([...parseLock('aliases.lock.yml', text).overrides], [['a', 'registry.example/a:1']]);
  });
});
