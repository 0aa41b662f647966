// What dist/ holds of undici: the agent and `request` ferry sends with, never undici's index, whose
// fetch, WebSocket, caches and mocks cost every start-up 50 ms (src/registry/undici.ts). Every file of
// the bundle is read, the chunks loaded later too: the index's lib/global.js, which installs undici's
// global dispatcher under a symbol of its own, is in none of them.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { distEntry } from './action.js';

describe('the bundle', () => {
  it("holds undici's agent and not its index, for ferry's code and its libraries' alike", () => {
    const dist = path.dirname(distEntry);
    const files = readdirSync(dist).filter((name) => name.endsWith('.js'));
    const holding = (text: string): string[] => files.filter((name) => readFileSync(path.join(dist, name), 'utf8').includes(text));
    assert.deepEqual(holding('undici.globalDispatcher'), []);
    // Its agent is there, in the entry (a message of undici's Agent alone), for the check above to mean anything.
    assert.ok(holding('maxOrigins must be a number greater than 0').includes('index.js'));
  });
});
