// How an Action input is read: as the runner passes it (INPUT_NAME), trimmed, as a list, a boolean, a
// whole number, a size or a duration, or the file it names; each refusal a SettingsError naming the input.
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { BoundaryError, type Workspace, readRegularFile } from '../workspace.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** A rejected setting; `input` names the action input (or the file) the value came from. */
export class SettingsError extends Error {
  readonly input: string;
  constructor(input: string, message: string) {
    super(`${input}: ${message}`);
    this.name = 'SettingsError';
    this.input = input;
  }
}

// The runner passes input `name` as INPUT_NAME (spaces to underscores, upper case, hyphens kept),
// exactly as @actions/core reads it.
export function input(env: Env, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

export function listInput(env: Env, name: string): string[] {
  return input(env, name)
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

export function booleanInput(env: Env, name: string, fallback: boolean): boolean {
  const value = input(env, name);
  if (value === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new SettingsError(name, `${JSON.stringify(value)} is not a boolean: use true or false`);
}

export function wholeNumber(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new SettingsError(name, `${JSON.stringify(text)} is not a whole number from ${min} to ${max}`);
  }
  return value;
}

const sizeUnits: Record<string, number> = {
  '': 1,
  B: 1,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
};

const durationUnits: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `30m`, `1h30m`, `90s`, `500ms`: a duration, as Go and GitHub write them. */
export function parseDuration(inputName: string, text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  const total = parts.reduce((sum, [, value, unit]) => sum + Number(value) * (durationUnits[unit ?? ''] ?? NaN), 0);
  if (parts.length === 0 || parts.map(([part]) => part).join('') !== text || !Number.isFinite(total) || total <= 0) {
    throw new SettingsError(inputName, `${JSON.stringify(text)} is not a duration: write it like 30m, 1h30m or 90s`);
  }
  return total;
}

/** `10MiB`, `50GiB`, `1048576`: a byte count. */
export function parseSize(inputName: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([KMGT]i?B|B)?$/.exec(text);
  const unit = sizeUnits[match?.[2] ?? ''];
  const value = match === null || unit === undefined ? NaN : Number(match[1]) * unit;
  if (!Number.isFinite(value) || value < 1) {
    throw new SettingsError(inputName, `${JSON.stringify(text)} is not a size: write bytes, or a number with KiB, MiB, GiB or TiB`);
  }
  return Math.floor(value);
}

/** Workspace-relative globs, one per line (and, where `commas`, comma-separated too), checked to stay inside. */
export function patternsInput(env: Env, name: string, fallback: readonly string[], commas = false): string[] {
  const given = input(env, name)
    .split(commas ? /[\n,]/ : '\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const patterns = given.length === 0 ? [...fallback] : given;
  for (const pattern of patterns) {
    const body = pattern.replace(/^!+/, '');
    if (body === '') throw new SettingsError(name, `${JSON.stringify(pattern)} is not a glob`);
    if (path.isAbsolute(body) || body.split(/[\\/]/).includes('..')) {
      throw new SettingsError(name, `${JSON.stringify(pattern)} must be relative to the workspace and stay inside it`);
    }
  }
  return patterns;
}

/** A path inside the workspace (or RUNNER_TEMP), refused naming its input otherwise. */
export function within<T>(inputName: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof BoundaryError) throw new SettingsError(inputName, error.message.replace(`${error.what}: `, ''));
    throw error;
  }
}

/** Configuration files (skaffold.yaml, Skaffold's config, kubeconfig, CA files, keys, roots) are small; larger ones are refused. */
export const maxInputFileBytes = 1024 * 1024;

/** A file an input names (a CA bundle, a key, a trusted root), read whole within `maxBytes`; a refusal names the input. */
export function readInputFile(name: string, file: string, maxBytes: number): string {
  try {
    return readRegularFile(file, maxBytes, name).toString('utf8');
  } catch (error) {
    throw new SettingsError(name, (error as Error).message.replace(new RegExp(`^${name}: `), ''));
  }
}

/** Whether a file an input names lies in the checkout, where a pull request can change it. */
export function inCheckout(files: Workspace, file: string): boolean {
  return existsSync(file) && files.contains(realpathSync(file));
}
