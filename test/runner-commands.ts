// The GitHub runner's two readers of workflow commands, as its ActionCommandManager applies them to
// each line a step prints: the `::name props::data` form after the line's leading white space is
// trimmed, and, where that finds nothing, the legacy `##[name props]data` form anywhere in the line.
// Only registered command names count (compared without case); a stop-commands token registers its own.

export const registeredCommands = [
  'stop-commands',
  'add-mask',
  'add-path',
  'set-env',
  'set-output',
  'save-state',
  'error',
  'warning',
  'notice',
  'debug',
  'group',
  'endgroup',
  'echo',
  'add-matcher',
  'remove-matcher',
];

export interface RunnerCommand {
  readonly name: string;
  readonly parser: 'v2' | 'legacy';
  readonly data: string;
}

/** .NET's String.TrimStart(): Char.IsWhiteSpace, which has U+0085 and not U+FEFF. */
function dotnetTrimStart(line: string): string {
  return line.replace(/^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*/u, '');
}

function registered(name: string, extra: readonly string[]): boolean {
  const lower = name.toLowerCase();
  return registeredCommands.includes(lower) || extra.some((token) => token.toLowerCase() === lower);
}

/** The command the runner reads from one line, if any. */
export function runnerCommand(line: string, extra: readonly string[] = []): RunnerCommand | undefined {
  if (line === '') return undefined;
  const trimmed = dotnetTrimStart(line);
  if (trimmed.startsWith('::')) {
    const end = trimmed.indexOf('::', 2);
    if (end >= 0) {
      const info = trimmed.slice(2, end);
      const space = info.indexOf(' ');
      const name = space < 0 ? info : info.slice(0, space);
      if (registered(name, extra)) return { name: name.toLowerCase(), parser: 'v2', data: trimmed.slice(end + 2) };
    }
  }
  const prefix = line.indexOf('##[');
  if (prefix < 0) return undefined;
  const bracket = line.indexOf(']', prefix);
  if (bracket < 0) return undefined;
  const info = line.slice(prefix + 3, bracket);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  return registered(name, extra) ? { name: name.toLowerCase(), parser: 'legacy', data: line.slice(bracket + 1) } : undefined;
}

/** The runner splits a step's output into lines at CR, LF and CRLF (.NET's ReadLine). */
export function runnerLines(output: string): string[] {
  return output.split(/\r\n|\r|\n/u);
}

/** Every command the runner reads from a step's output, with the stop-commands state it keeps. */
export function runnerCommands(output: string): RunnerCommand[] {
  const found: RunnerCommand[] = [];
  let stopToken: string | undefined;
  for (const line of runnerLines(output)) {
    const command = runnerCommand(line, stopToken === undefined ? [] : [stopToken]);
    if (command === undefined) continue;
    if (stopToken !== undefined) {
      if (command.name === stopToken.toLowerCase()) stopToken = undefined;
      found.push(command);
      continue;
    }
    if (command.name === 'stop-commands') stopToken = command.data;
    found.push(command);
  }
  return found;
}
