import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { formatLock, mergeLocks, parseLock } from '../src/lock.js';

const digest = `sha256:${'e'.repeat(64)}`;

describe('formatLock', () => {
  it("writes kbld's Config, one override per found string, sorted", () => {
    const text = formatLock([
      { image: 'nginx:1.25', newImage: `registry.example/team/nginx@${digest}` },
      { image: 'haproxy', newImage: `registry.example/team/haproxy@${digest}` },
      { image: 'nginx:1.25', newImage: `registry.example/team/nginx@${digest}` },
    ]);
    assert.equal(
      text,
      `apiVersion: kbld.k14s.io/v1alpha1
kind: Config
minimumRequiredVersion: 0.30.0
overrides:
- image: haproxy
  newImage: registry.example/team/haproxy@${digest}
  preresolved: true
- image: nginx:1.25
  newImage: registry.example/team/nginx@${digest}
  preresolved: true
`,
    );
  });

  it('writes every value so that YAML 1.2 and 1.1 readers (kbld) read the same string back', () => {
    const values = [
      'nginx',
      'Registry.Example/App:1',
      '1e3',
      '2E10',
      '0x1F',
      '0o17',
      '0777',
      '1_000',
      '1:20',
      '123',
      '1.0',
      'null',
      'true',
      'no',
      'on',
      'y',
      '[::1]:5000/app:v1',
      'localhost:5000/a/b:c',
      `nginx@${digest}`,
      '1.2.3.4:5000/x',
      'café/x',
      '_private/x',
      'a#b',
      'x:',
      '2001-12-14',
      '2001-12-14t21:59:43.10-05:00',
      '1.2.3',
      '127.0.0.1:6002',
      '127.0.0.1:6002/team/app:1.0',
    ];
    const overrides = values.map((image, at) => ({ image, newImage: values[(at + 3) % values.length] ?? 'x' }));
    const text = formatLock(overrides);
    for (const version of ['1.1', '1.2'] as const) {
      const read = parse(text, { version }) as { overrides: { image: unknown; newImage: unknown }[] };
      assert.deepEqual(
        read.overrides.map((entry) => [entry.image, entry.newImage]),
        [...overrides].sort((a, b) => (a.image < b.image ? -1 : 1)).map((entry) => [entry.image, entry.newImage]),
        `YAML ${version}:\n${text}`,
      );
    }
    // The common values stay plain, as the lock was always written.
    assert.match(text, /\n- image: localhost:5000\/a\/b:c\n/);
    assert.match(text, new RegExp(`\n- image: nginx@${digest}\n`));
    assert.match(text, /\n- image: 1\.2\.3\.4:5000\/x\n/);
    // go-yaml drops underscores before it reads a number: these are numbers to kbld.
    for (const value of ['1e1_0', '0_x1f', '1_000'])
      assert.match(formatLock([{ image: value, newImage: 'x' }]), new RegExp(`- image: "${value}"`));
    // A registry's host and port is no number in either version: it stays plain too.
    assert.match(text, /\n- image: 127\.0\.0\.1:6002\n/);
  });

  it('keeps a note on its comment line for YAML 1.1 readers too: NEL and the Unicode separators end a line there', () => {
    const forged = 'copied\u0085- image: evil\u2028  newImage: evil\u2029\u009bend';
    const text = formatLock([{ image: 'nginx', newImage: `registry.example/nginx@${digest}`, note: forged }]);
    assert.doesNotMatch(text, /[\u0085\u2028\u2029\u009b]/u);
    assert.equal(text.split('\n').filter((line) => line.startsWith('#')).length, 1);
    assert.equal(
      text.split('\n').find((line) => line.startsWith('#')),
      '# copied - image: evil   newImage: evil  end',
    );
  });

  it('reads back what it writes', () => {
    const overrides = [
      { image: '[::1]:5000/app:v1', newImage: `registry.example/team/app@${digest}` },
      { image: 'nginx', newImage: 'registry.example/team/nginx' },
    ];
    assert.deepEqual(parseLock('ferry.lock.yml', formatLock(overrides)).overrides, new Map(overrides.map((o) => [o.image, o.newImage])));
  });
});

describe('parseLock', () => {
  it('reads an imgpkg ImagesLock: each image overrides the string kbld resolved it from, else itself', () => {
    const digest = `sha256:${'d'.repeat(64)}`;
    const text = `apiVersion: imgpkg.carvel.dev/v1alpha1\nkind: ImagesLock\nimages:\n- image: index.docker.io/library/nginx@${digest}\n  annotations:\n    kbld.carvel.dev/id: nginx:1.25\n- image: quay.io/a/b@${digest}\n`;
    assert.deepEqual(
      [...parseLock('images.yml', text).overrides],
      [
        ['nginx:1.25', `index.docker.io/library/nginx@${digest}`],
        [`quay.io/a/b@${digest}`, `quay.io/a/b@${digest}`],
      ],
    );
    assert.throws(
      () => parseLock('images.yml', 'apiVersion: imgpkg.carvel.dev/v1alpha1\nkind: ImagesLock\nimages:\n- annotations: {}\n'),
      /^Error: images\.yml:4:3: each ImagesLock entry needs a string image/,
    );
  });

  it("reads kbld's own lock output, ignoring its other sections", () => {
    const kbld = `apiVersion: kbld.k14s.io/v1alpha1
kind: Config
minimumRequiredVersion: 0.21.0
searchRules:
- keyMatcher: {name: image}
overrides:
- image: haproxy
  newImage: index.docker.io/library/haproxy@${digest}
  preresolved: true
`;
    assert.deepEqual(parseLock('kbld.lock.yml', kbld).overrides, new Map([['haproxy', `index.docker.io/library/haproxy@${digest}`]]));
  });

  const bad: [string, string, RegExp][] = [
    ['not YAML', 'overrides: [\n', /^l\.yml:2:1: not valid YAML/],
    ['another kind', 'apiVersion: v1\nkind: ConfigMap\n', /^l\.yml:1:1: not a kbld Config/],
    [
      'override without newImage',
      'apiVersion: kbld.k14s.io/v1alpha1\nkind: Config\noverrides:\n- image: a\n',
      /^l\.yml:4:3: each override needs string image and newImage/,
    ],
    [
      'invalid newImage',
      'apiVersion: kbld.k14s.io/v1alpha1\nkind: Config\noverrides:\n- image: a\n  newImage: Bad\n',
      /^l\.yml:5:13: the image locked for "a" is not an image reference: repository name must be lowercase/,
    ],
  ];
  for (const [description, text, message] of bad) {
    it(`refuses ${description} with its position`, () => assert.throws(() => parseLock('l.yml', text), { message }));
  }

  it('refuses a found string locked to two images in one file, naming both lines (kbld takes the first); one image twice is that image', () => {
    const head = 'apiVersion: kbld.k14s.io/v1alpha1\nkind: Config\noverrides:\n';
    const entry = (image: string, newImage: string): string => `- image: ${image}\n  newImage: ${newImage}\n  preresolved: true\n`;
    const [first, second] = [`registry.example/app@sha256:${'a'.repeat(64)}`, `registry.example/app@sha256:${'e'.repeat(64)}`];
    const message = new RegExp(
      `^l\\.yml:8:13: "app:v1" is locked to "registry\\.example/app@sha256:e{64}" here and to "registry\\.example/app@sha256:a{64}" at l\\.yml:5:13: one image for each found string \\(kbld would take the first\\)$`,
    );
    assert.throws(() => parseLock('l.yml', `${head}${entry('app:v1', first)}${entry('app:v1', second)}`), { message });
    // The same two in two documents of one file (two locks concatenated).
    assert.throws(
      () => parseLock('l.yml', `${head}${entry('app:v1', first)}---\n${head}${entry('app:v1', second)}`),
      /^Error: l\.yml:12:13: "app:v1" is locked to .*e{64}" here and to .*a{64}" at l\.yml:5:13/,
    );
    const twice = parseLock('l.yml', `${head}${entry('app:v1', first)}${entry('app:v1', first)}`);
    assert.deepEqual([...twice.overrides], [['app:v1', first]]);
    assert.deepEqual(twice.at.get('app:v1'), { file: 'l.yml', line: 5, column: 13 }, 'the first entry is where it is');
    // An alias is placed where it is written, not where its anchor is.
    const aliased = `${head}${entry('app:v1', first)}${entry('other:v1', `&e ${second}`)}${entry('app:v1', '*e')}`;
    assert.throws(
      () => parseLock('l.yml', aliased),
      /^Error: l\.yml:11:13: "app:v1" is locked to .*e{64}" here and to .*a{64}" at l\.yml:5:13/,
    );
    assert.deepEqual(parseLock('l.yml', `${head}${entry('other:v1', `&e ${second}`)}${entry('third:v1', '*e')}`).at.get('third:v1'), {
      file: 'l.yml',
      line: 8,
      column: 13,
    });
    // What a lock says is quoted where a message repeats it: a control character stays text, a long string is cut.
    assert.throws(
      () => parseLock('l.yml', `${head}${entry('"app\\u001b[8m"', first)}${entry('"app\\u001b[8m"', second)}`),
      /^Error: l\.yml:8:13: "app\\u001b\[8m" is locked to/,
    );
    // An ImagesLock's two entries for one kbld id are the same refusal.
    const images = (newImage: string): string => `- image: ${newImage}\n  annotations:\n    kbld.carvel.dev/id: app:v1\n`;
    assert.throws(
      () => parseLock('i.yml', `apiVersion: imgpkg.carvel.dev/v1alpha1\nkind: ImagesLock\nimages:\n${images(first)}${images(second)}`),
      /^Error: i\.yml:7:10: "app:v1" is locked to .*e{64}" here and to .*a{64}" at i\.yml:4:10/,
    );
  });

  it('merges locks of one release, and refuses one found string locked to two images in two files, naming both entries', () => {
    const lock = (newImage: string): string =>
      `apiVersion: kbld.k14s.io/v1alpha1\nkind: Config\noverrides:\n- image: db:1\n  newImage: registry.example/db@${digest}\n- image: app:v1\n  newImage: ${newImage}\n`;
    const [first, second] = [`registry.example/app@sha256:${'a'.repeat(64)}`, `registry.example/app@sha256:${'b'.repeat(64)}`];
    const merged = mergeLocks([
      { name: 'one.yml', lock: parseLock('one.yml', lock(first)) },
      { name: 'two.yml', lock: parseLock('two.yml', lock(first)) },
    ]);
    assert.deepEqual([...merged.overrides.keys()], ['db:1', 'app:v1']);
    assert.deepEqual(merged.at.get('app:v1'), { file: 'one.yml', line: 7, column: 13 });
    assert.throws(
      () =>
        mergeLocks([
          { name: 'one.yml', lock: parseLock('one.yml', lock(first)) },
          { name: 'two.yml', lock: parseLock('two.yml', lock(second)) },
        ]),
      /^Error: "app:v1" is locked to .*a{64}" in one\.yml:7:13 and to .*b{64}" in two\.yml:7:13: merge locks of one release only$/,
    );
  });
});
