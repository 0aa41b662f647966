// The light tree that the locator walks (js-yaml's events) against the yaml library's full Document,
// the reference: on every fixture and on a set of hard cases, both read the same structure, every
// scalar at the same characters with the same meaning, and both refuse the same broken texts.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { LineIndex, YamlSyntaxError, parseYamlDocuments } from '../../src/yaml/tree.js';
import { agree, referenceRefuses } from './agreement.js';

const fixtures = path.join(import.meta.dirname, '..', 'fixtures');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return yamlFiles(file);
    return /\.ya?ml$/.test(name) || name === 'Kustomization' ? [file] : [];
  });
}

const hardCases: Record<string, string> = {
  'quoting styles': `a: "x:1"\nb: 'it''s'\nc: "esc\\"aped \\u0041"\nd: plain # comment\ne: ""\nf: ''\n`,
  'block scalars': `a: |\n  lit\nb: >-\n  fold\n\nc: |+\n  keep\n\n\nd: |2\n   indented\ne: | # a | comment\n  x\nf: |\n\n  after blank\ng: |\nh: end\n`,
  'block scalars in a sequence': `- |\n  a\n- >\n  b\n- - |-\n    c\n`,
  properties: `a: !!str 12\nb: &anchor value\nc: *anchor\nd: !!str &both |\n  x\ne: &m {k: v}\nf: *m\ng: ! 12\nh: !custom 12\ni: !!int "7"\n`,
  'numbers, booleans, null': `a: 1.50\nb: 0x1F\nc: 0o17\nd: 1e3\ne: .inf\nf: true\ng: ~\nh:\ni: null\nj: 012\nk: +5\nl: -.5\nm: yes\nn: 1_000\no: False\np: n\nq: nullish\nr: Truer\n`,
  'YAML 1.1 document': `%YAML 1.1\n---\na: yes\nb: 0777\nc: on\nd: 1_000\ne: 2001-12-14\nf: N\ng: Off\nh: NULL\ni: y\nj: only\n`,
  'flow collections': `a: {b: c, d: [e, f], g: {}}\nh: [ ]\ni: { j: k , }\nl: [ m, # note ] here\n  n ]\no: {p: }\nq: [{r: s}, [t]]\n`,
  'flow oddities': `a: [b: c, d]\ne: {f, g: h}\ni:\n- ? j\n  : k\nl: {? m : n}\no: ["p", 'q', {r: [s]}]\n`,
  'multi-line scalars': `a: plain\n  continued\nb: "double\n  quoted"\nc: 'single\n\n  quoted'\n`,
  'explicit keys and odd keys': `? a\n: b\n? [x, y]\n: c\n"quoted key": d\n80: port\n"": empty\n`,
  documents: `%YAML 1.2\n---\na: 1\n...\n---\n# only a comment\n...\n--- |\n  root block\n--- plain root\n---\n- x\n`,
  CRLF: `a: "x"\r\nb: |-\r\n  lit\r\nc:\r\n  - d\r\n`,
  'byte order mark': `\ufeffa: "b"\n`,
  'tabs and spaces around values': `a:\tb\nc: d\t# tab before comment\n`,
  // js-yaml 5.5 refuses a tab after a comma in a flow sequence; the yaml library reads it, and its tree stands.
  'a tab in a flow sequence': `e: [f,\tg]\nimage: &i {repository: x}\nother: *i\n`,
  'deep and wide': `${Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i)}k${i}:\n`).join('')}${'  '.repeat(40)}image: x\n`,
  unicode: `name: "caf\u00e9 \ud83d\ude80"\nimage: "r\u00e9g/x:1"\nplain: \u00fcber\n`,
  'no final newline': `a: b`,
  'comment only': `# nothing\n`,
  'empty text': ``,
};

const broken: Record<string, string> = {
  'unclosed flow sequence': 'a: 1\nspec:\n  image: [nginx\n  x: y\n',
  'duplicate keys': 'image: a\nimage: b\n',
  'duplicate keys, differently quoted': 'image: a\n"image": b\n',
  'a tab as indentation': 'a:\n\tb: 1\n',
  'a key and a value on one line twice': 'a: b: c\n',
  'unclosed quote': 'a: "x\n',
  'bad indentation': 'a:\n  b: 1\n c: 2\n',
};

describe('the light YAML tree', () => {
  for (const file of yamlFiles(fixtures)) {
    const name = path.relative(fixtures, file);
    it(`reads ${name} as the yaml library does`, () => agree(readFileSync(file, 'utf8'), name));
  }
  for (const [name, text] of Object.entries(hardCases)) {
    it(`reads ${name} as the yaml library does`, () => agree(text, name));
  }
  for (const [name, text] of Object.entries(broken)) {
    it(`refuses ${name}, as the yaml library does`, () => {
      assert.ok(referenceRefuses(text), 'the reference refuses it');
      assert.throws(() => parseYamlDocuments(text), YamlSyntaxError);
    });
  }

  it('reads an alias to an anchor not defined before it as nothing, as the yaml library does', () => {
    // gcloud's resource files name anchors that its own loader defines in another file.
    const [document] = parseYamlDocuments('attributes:\n- *location\n- *location\n*key : 1\n*other : 2\n');
    const root = document?.root;
    assert.ok(root?.kind === 'map');
    const list = root.pairs[0]?.value;
    assert.ok(
      list?.kind === 'seq' && list.items.every((item) => item.kind === 'alias' && item.target.kind === 'scalar' && item.target.start < 0),
    );
  });

  it("gives the yaml library's message where both refuse a text", () => {
    assert.throws(
      () => parseYamlDocuments('a: 1\nspec:\n  image: [nginx\n  x: y\n'),
      (error: unknown) =>
        error instanceof YamlSyntaxError && /^Flow sequence in block collection must be sufficiently indented/.test(error.reason),
    );
  });

  it('refuses nesting deeper than 100 levels instead of walking it, on either path', () => {
    const nested = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    const tooDeep = (error: unknown): boolean => error instanceof YamlSyntaxError && error.reason === 'nested more than 100 levels deep';
    assert.throws(() => parseYamlDocuments(`${nested(150)}\n`), tooDeep);
    // Texts js-yaml refuses go to the yaml library, whose composer recurses: bounded there too.
    assert.throws(() => parseYamlDocuments(`e: [f,\tg]\nx: ${nested(150)}\n`), tooDeep);
    assert.throws(() => parseYamlDocuments(`e: [f,\tg]\nx: ${nested(200_000)}\n`), tooDeep);
    assert.doesNotThrow(() => parseYamlDocuments(`e: [f,\tg]\nx: ${nested(90)}\n`));
  });

  it('counts lines and columns as the yaml library does, CRLF and astral characters included', () => {
    const text = 'a: 1\r\n\ud83d\ude80: x\nlast';
    const lines = new LineIndex(text);
    assert.deepEqual(lines.position(0), { line: 1, column: 1 });
    assert.deepEqual(lines.position(6), { line: 2, column: 1 });
    assert.deepEqual(lines.position(10), { line: 2, column: 5 });
    assert.deepEqual(lines.position(text.length), { line: 3, column: 5 });
  });
});
