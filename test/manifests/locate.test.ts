import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { planCommit } from '../../src/commit.js';
import { collectImages } from '../../src/images.js';
import { applyEdits } from '../../src/manifests/edit.js';
import { ManifestError, type StringField } from '../../src/manifests/field.js';
import { locateImageFields as locate } from '../../src/manifests/locate.js';

const fixtures = path.join(import.meta.dirname, '..', 'fixtures', 'edits');
const keys = new Set(['image']);
const options = {
  defaultRepo: 'registry.example/team',
  multiLevel: undefined,
  repository: '',
  overrides: new Map<string, string>(),
  includeLocked: false,
  pinned: false,
};

/** The string fields of a file, as the scan finds them. */
function locateImageFields(name: string, text: string, imageKeys: ReadonlySet<string>): StringField[] {
  return locate(name, text, { imageKeys }).fields.filter((field): field is StringField => field.kind === 'string');
}

function rewrite(name: string, text: string): { text: string; map: Map<string, string> } {
  const fields = locateImageFields(name, text, keys);
  const set = collectImages(fields, options);
  assert.deepEqual(set.errors, []);
  const targets = new Map(set.entries.map((entry) => [entry.image, { image: entry.newImage, tag: undefined }]));
  const plan = planCommit([{ path: name, name, real: name, text, fields }], targets, { outputDir: undefined });
  assert.deepEqual(plan.errors, []);
  return { text: plan.writes[0]?.text ?? text, map: new Map(set.entries.map((entry) => [entry.image, entry.newImage])) };
}

/** The documents as data, with every located image value replaced as the plan says. */
function expectedData(text: string, map: Map<string, string>): unknown[] {
  const documents = parseAllDocuments(text);
  const fields = locateImageFields('x', text, keys);
  const starts = new Set(fields.map((field) => field.scalar.start));
  return (Array.isArray(documents) ? documents : []).map((document) => {
    // Replace in the node tree (so aliases follow their anchors), then convert.
    const visit = (node: unknown): void => {
      if (node && typeof node === 'object') {
        const scalar = node as { value?: unknown; range?: [number, number, number] };
        if (typeof scalar.value === 'string' && scalar.range && starts.has(scalar.range[0])) {
          scalar.value = map.get(scalar.value) ?? scalar.value;
        }
        for (const child of Object.values(node)) if (child && typeof child === 'object' && child !== node) visit(child);
      }
    };
    visit(document.contents);
    return document.toJS({ maxAliasCount: -1 });
  });
}

const data = (text: string): unknown[] => {
  const documents = parseAllDocuments(text);
  return (Array.isArray(documents) ? documents : []).map((document) => document.toJS({ maxAliasCount: -1 }));
};

describe('editing manifests keeps every other byte', () => {
  for (const input of readdirSync(fixtures).filter((file) => file.endsWith('.input.yaml'))) {
    const expectedFile = path.join(fixtures, input.replace('.input.', '.expected.'));
    it(input, () => {
      const text = readFileSync(path.join(fixtures, input), 'utf8');
      const result = rewrite(input, text);
      if (process.env.UPDATE_FIXTURES === '1' || !existsSync(expectedFile)) writeFileSync(expectedFile, result.text);
      assert.equal(result.text, readFileSync(expectedFile, 'utf8'), 'byte-for-byte fixture');
      // The edited file means what the original meant, with only the image values changed.
      assert.deepEqual(data(result.text), expectedData(text, result.map));
      // And ferry finds the new values where it wrote them.
      const again = locateImageFields(input, result.text, keys).map((field) => field.value);
      assert.deepEqual(
        again,
        locateImageFields(input, text, keys).map((field) => result.map.get(field.value) ?? field.value),
      );
    });
  }
});

describe('locateImageFields', () => {
  it('reports 1-based line and column of each value, and the style', () => {
    const fields = locateImageFields('a.yaml', 'spec:\n  image: "nginx"\n  x:\n  - image: redis\n', keys);
    assert.deepEqual(
      fields.map(({ line, column, value, scalar }) => ({ line, column, value, style: scalar.style })),
      [
        { line: 2, column: 10, value: 'nginx', style: 'QUOTE_DOUBLE' },
        { line: 4, column: 12, value: 'redis', style: 'PLAIN' },
      ],
    );
  });

  it('takes extra keys and string items of images lists', () => {
    const text = 'builder: gcr.io/b/builder:1\nimages: [a, b]\nimage: c\nnot: d\n';
    assert.deepEqual(
      locateImageFields('a.yaml', text, new Set(['image', 'builder'])).map((field) => field.value),
      ['gcr.io/b/builder:1', 'a', 'b', 'c'],
    );
  });

  it('marks containers whose pull policy Kubernetes defaults, and nothing else', () => {
    const text = [
      'spec:',
      '  containers:',
      '  - image: a',
      '    imagePullPolicy: Always',
      '  - image: b',
      '  initContainers: [{image: c}]',
      '  ephemeralContainers:',
      '  - image: d',
      'services:',
      '  web: {image: e}',
      'images: [f]',
      'other:',
      '- image: g',
      '',
    ].join('\n');
    assert.deepEqual(
      locateImageFields('a.yaml', text, keys).map((field) => [field.value, field.pullPolicyDefaulted]),
      [
        ['a', false],
        ['b', true],
        ['c', true],
        ['d', true],
        ['e', false],
        ['f', false],
        ['g', false],
      ],
    );
  });

  it('fails with file, line and column for invalid YAML', () => {
    assert.throws(
      () => locateImageFields('bad.yaml', 'a: 1\nspec:\n  image: [nginx\n  x: y\n', keys),
      (error: unknown) =>
        error instanceof ManifestError &&
        error.file === 'bad.yaml' &&
        error.line >= 3 &&
        /^bad\.yaml:\d+:\d+: not valid YAML/.test(error.message),
    );
  });

  it('fails on duplicate keys, as Kubernetes does', () => {
    assert.throws(
      () => locateImageFields('dup.yaml', 'image: a\nimage: b\n', keys),
      /dup\.yaml:2:1: not valid YAML: Map keys must be unique/,
    );
  });
});

describe('collectImages', () => {
  it('names every invalid value with its position', () => {
    const fields = locateImageFields('a.yaml', 'x:\n  image: Nginx:1\ny:\n  image: "nginx:"\n', keys);
    const plan = collectImages(fields, options);
    assert.deepEqual(
      plan.errors.map((error) => error.message),
      [
        'a.yaml:2:10: "Nginx:1" is not an image reference: repository name must be lowercase',
        'a.yaml:4:10: "nginx:" is not an image reference: invalid reference format',
      ],
    );
  });

  it('uses an override from the lock as the source', () => {
    const fields = locateImageFields('a.yaml', 'image: nginx:1.25\n', keys);
    const digest = `sha256:${'a'.repeat(64)}`;
    const plan = collectImages(fields, {
      ...options,
      defaultRepo: '',
      overrides: new Map([['nginx:1.25', `docker.io/library/nginx@${digest}`]]),
    });
    assert.equal(plan.entries[0]?.newImage, `docker.io/library/nginx@${digest}`);
  });

  it('refuses two images that would share one name in a single repository', () => {
    const fields = locateImageFields('a.yaml', '- image: nginx:1\n- image: redis:1\n- image: docker.io/library/nginx:1\n', keys);
    const plan = collectImages(fields, { ...options, repository: 'registry.example/all' });
    assert.equal(plan.errors.length, 1);
    assert.match(
      plan.errors[0]?.message ?? '',
      /a\.yaml:2:10: redis:1 and nginx:1 \(a\.yaml:1\) would both become registry\.example\/all:1/,
    );
  });

  it('quotes a value that would not read back as a string when plain', () => {
    const text = 'image: nginx\n';
    const [field] = locateImageFields('a.yaml', text, keys);
    assert.ok(field);
    const set = field.scalar;
    assert.equal(applyEdits(text, [{ set, value: '[::1]:5000/nginx' }]), 'image: "[::1]:5000/nginx"\n');
    assert.equal(applyEdits(text, [{ set, value: '0x1f' }]), 'image: "0x1f"\n');
    assert.equal(applyEdits(text, [{ set, value: 'true' }]), 'image: "true"\n');
    assert.equal(applyEdits(text, [{ set, value: 'r.example/true' }]), 'image: r.example/true\n');
    // An exponent makes a float for both YAML 1.2 and 1.1 readers (a Helm tag `1e3` would render 1000).
    assert.equal(applyEdits(text, [{ set, value: '1e3' }]), 'image: "1e3"\n');
    // A trailing colon would make the value a key.
    assert.equal(applyEdits(text, [{ set, value: 'r.example/x:' }]), 'image: "r.example/x:"\n');
  });
});
