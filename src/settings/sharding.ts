// The sharding slice: how plan mode splits a catalogue (shards, shard-bytes), and which shard of which
// plan a matrix job works on (plan, shard).
import path from 'node:path';
import { type ModeName, modes, modesWhere } from '../modes/catalog.js';
import type { Workspace } from '../workspace.js';
import { type Env, SettingsError, input, parseSize, within } from './inputs.js';

export interface ShardSettings {
  /** plan mode: how many shards (undefined: from shardBytes). */
  readonly shards: number | undefined;
  readonly shardBytes: number;
  /** A plan to work from, and the 1-based shard of it to work on. */
  readonly plan: { readonly file: string; readonly shard: number } | undefined;
}

export function shardSettings(env: Env, files: Workspace, mode: ModeName): ShardSettings {
  const shardsText = input(env, 'shards') || 'auto';
  if (shardsText !== 'auto' && !/^[1-9][0-9]{0,3}$/.test(shardsText)) {
    throw new SettingsError('shards', `${JSON.stringify(shardsText)} is not auto or a whole number from 1 to 9999`);
  }
  const planText = input(env, 'plan');
  const shardText = input(env, 'shard');
  if ((planText === '') !== (shardText === ''))
    throw new SettingsError(
      planText === '' ? 'shard' : 'plan',
      'plan and shard go together: the plan file, and the 1-based shard of it to work on',
    );
  if (shardText !== '' && !/^[1-9][0-9]{0,3}$/.test(shardText))
    throw new SettingsError('shard', `${JSON.stringify(shardText)} is not a 1-based shard number`);
  if (planText !== '' && !modes[mode].shardable) {
    throw new SettingsError('plan', `a shard of a plan is worked on in ${modesWhere((facts) => facts.shardable)} mode, not ${mode}`);
  }
  return {
    shards: shardsText === 'auto' ? undefined : Number(shardsText),
    shardBytes: parseSize('shard-bytes', input(env, 'shard-bytes') || '20GiB'),
    plan:
      planText === ''
        ? undefined
        : { file: within('plan', () => files.realFile('plan', path.resolve(files.root, planText))), shard: Number(shardText) },
  };
}
