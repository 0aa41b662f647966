// The layout docs/developing.md draws, checked against the code: every import runs down the layers or
// stays in its layer, no import runs in a circle, the rules under the layers hold, every module of src/
// is named there, and no module grows past what one person reads in a sitting.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.join(import.meta.dirname, '..');
const src = path.join(root, 'src');

/** Every module of src/, as its path below src/ without `.ts` (`copy/walker`). */
function modules(dir = src): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return modules(full);
    return entry.name.endsWith('.ts') ? [path.relative(src, full).replace(/\.ts$/, '')] : [];
  });
}

/** The modules a module imports or re-exports from src/ (type imports too: they tie modules as well). */
function importsOf(module: string): string[] {
  const text = readFileSync(path.join(src, `${module}.ts`), 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+'(\.{1,2}\/[^']+)'/gms)) {
    const target = path.join(path.dirname(module), (match[1] as string).replace(/\.js$/, ''));
    found.push(path.normalize(target));
  }
  for (const match of text.matchAll(/\bimport\('(\.{1,2}\/[^']+)'\)/g)) {
    found.push(path.normalize(path.join(path.dirname(module), (match[1] as string).replace(/\.js$/, ''))));
  }
  return found;
}

/** The lines a layout entry (`src/copy/`) spans: its own and those indented under it. */
function entryText(text: string, entry: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`${entry} `));
  if (start < 0) return '';
  const end = lines.findIndex((line, at) => at > start && !line.startsWith(' '));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

interface Layout {
  /** Each module's layer: a module's own entry (`modes/catalog`) before its folder's (`modes/`). */
  layerOf(module: string): number | undefined;
  readonly never: { from: string[]; to: string[] }[];
  readonly text: string;
}

function readLayout(): Layout {
  const doc = readFileSync(path.join(root, 'docs', 'developing.md'), 'utf8');
  const block = /## Layout[\s\S]*?```\n([\s\S]*?)```/.exec(doc)?.[1];
  assert.ok(block, 'docs/developing.md has a layout block');
  const layers = new Map<string, number>();
  const never: { from: string[]; to: string[] }[] = [];
  for (const line of block.split('\n')) {
    const layer = /^(\d+)\s+(.+)$/.exec(line);
    if (layer) for (const entry of (layer[2] as string).split(/\s+/)) layers.set(entry, Number(layer[1]));
    const rule = /^never\s+(.+?)\s+->\s+(.+)$/.exec(line);
    if (rule) never.push({ from: (rule[1] as string).split(/\s+/), to: (rule[2] as string).split(/\s+/) });
  }
  return { layerOf: (module) => layers.get(module) ?? layers.get(`${module.split('/')[0]}/`), never, text: block };
}

const inEntry = (module: string, entry: string): boolean => (entry.endsWith('/') ? module.startsWith(entry) : module === entry);

/** What is wrong with `module` importing `targets`: an import up the layers, or one a rule forbids. */
function wrongImports(layout: Layout, module: string, targets: readonly string[]): string[] {
  const wrong: string[] = [];
  const layer = layout.layerOf(module) ?? 0;
  for (const target of targets) {
    const below = layout.layerOf(target) ?? 0;
    if (below > layer) wrong.push(`${module} (layer ${layer}) imports ${target} (layer ${below})`);
    for (const rule of layout.never)
      if (rule.from.some((entry) => inEntry(module, entry)) && rule.to.some((entry) => inEntry(target, entry)))
        wrong.push(`${module} imports ${target}: never ${rule.from.join(' ')} -> ${rule.to.join(' ')}`);
  }
  return wrong;
}

describe('the layout in docs/developing.md', () => {
  const all = modules();
  const layout = readLayout();

  it('puts every module of src/ in a layer and names it', () => {
    for (const module of all) {
      assert.notEqual(layout.layerOf(module), undefined, `${module} is in no layer`);
      const name = path.basename(module);
      const folder = path.dirname(module);
      const named =
        folder === '.'
          ? layout.text.includes(`src/${name}.ts`)
          : new RegExp(`(?:^|[\\s(/,])${name}(?:[\\s,):/]|$)`).test(
              entryText(layout.text, `src/${folder}/`) || entryText(layout.text, `src/${folder.split('/')[0]}/`),
            );
      assert.ok(named, `${module} is not named in the layout`);
    }
  });

  it('has every import run down the layers or within one, and never in a circle', () => {
    const wrong = all.flatMap((module) => {
      const targets = importsOf(module);
      for (const target of targets) assert.ok(all.includes(target), `${module} imports ${target}, which is not a module of src/`);
      return wrongImports(layout, module, targets);
    });
    assert.deepEqual(wrong, []);
    // A circle: a depth-first walk that meets a module still on its path.
    const state = new Map<string, 'open' | 'done'>();
    const circle = (module: string, trail: string[]): string[] | undefined => {
      if (state.get(module) === 'done') return undefined;
      if (state.get(module) === 'open') return [...trail.slice(trail.indexOf(module)), module];
      state.set(module, 'open');
      for (const target of importsOf(module)) {
        const found = circle(target, [...trail, module]);
        if (found) return found;
      }
      state.set(module, 'done');
      return undefined;
    };
    for (const module of all) assert.equal(circle(module, [])?.join(' -> '), undefined);
  });

  it('would catch an import up the layers, and one a rule forbids', () => {
    assert.equal(wrongImports(layout, 'once', ['main']).length, 1);
    assert.equal(wrongImports(layout, 'copy/walker', ['registry/client']).length, 1);
    assert.equal(wrongImports(layout, 'progress', ['summary']).length, 2);
    assert.deepEqual(wrongImports(layout, 'main', ['once', 'copy/walker']), []);
  });

  it('keeps every module under 400 lines, and main.ts under 200', () => {
    for (const module of all) {
      const lines = readFileSync(path.join(src, `${module}.ts`), 'utf8').split('\n').length;
      assert.ok(lines <= 400, `${module}.ts has ${lines} lines`);
      if (module === 'main') assert.ok(lines < 200, `main.ts has ${lines} lines`);
    }
  });
});
