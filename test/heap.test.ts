// The heap's bound: a process that makes many objects living a few turns of the event loop (as a run's
// requests do) keeps its young generation at the bound once boundHeap() has run, where V8's default
// lets it grow to several times that. Each case runs in a child, since the bound lasts a process.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { archiveSemiSpaceMiB, youngSemiSpaceFor, youngSemiSpaceMiB } from '../src/heap.js';

const heapModule = path.resolve(import.meta.dirname, '..', 'src', 'heap.ts');

/** The young generation's size in MiB after a churn of short-lived objects, with a bound (semi-spaces in MiB) or without. */
async function youngGenerationAfterChurn(bound: number | undefined): Promise<number> {
  const script = `
    import v8 from 'node:v8';
    import { boundHeap } from ${JSON.stringify(heapModule)};
    if (${bound !== undefined}) boundHeap(${bound});
    let alive = [];
    for (let turn = 0; turn < 150; turn++) {
      // Objects that live a few turns, like a request's state while it waits for its answer.
      for (let n = 0; n < 20000; n++) alive.push({ n, text: 'request ' + n, list: [n, n + 1] });
      if (alive.length > 60000) alive = alive.slice(20000);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const space = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    console.log(space.space_size / 2 ** 20);
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0);
  return Number(output.trim());
}

describe('the heap bound', () => {
  it("keeps the young generation's semi-spaces at the bound, where V8 alone grows them past it", async () => {
    const [unbounded, bounded] = await Promise.all([youngGenerationAfterChurn(undefined), youngGenerationAfterChurn(youngSemiSpaceMiB)]);
    assert.ok(unbounded > 2 * youngSemiSpaceMiB, `without the bound the young generation grew to ${unbounded} MiB`);
    assert.ok(bounded <= 2 * youngSemiSpaceMiB, `with the bound it grew to ${bounded} MiB`);
  });

  it('holds the archive modes to a young generation a few MiB large, where the others may grow it to 32 MiB', async () => {
    assert.equal(youngSemiSpaceFor('package'), archiveSemiSpaceMiB);
    assert.equal(youngSemiSpaceFor('unpackage'), archiveSemiSpaceMiB);
    assert.equal(youngSemiSpaceFor('relocate'), youngSemiSpaceMiB);
    assert.equal(youngSemiSpaceFor(undefined), youngSemiSpaceMiB);
    const archived = await youngGenerationAfterChurn(archiveSemiSpaceMiB);
    // V8 grows it a step or two before the bound holds: 2-4 MiB here, once 10 MiB while the rest of the
    // suite ran beside it. The others' bound lets it reach 32 MiB in this churn.
    assert.ok(archived <= 16, `the archive modes' young generation grew to ${archived} MiB`);
  });
});
