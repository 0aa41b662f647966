// Go's path.Match for one DNS label (no separators occur in a label): `*`, `?`, `[...]` with `^` and
// ranges, `\` escapes. A malformed pattern matches nothing, as the kubelet ignores Match's error.

/** One character of a class, escapes resolved; `-` and `]` must be escaped there (Go's getEsc). */
function classCharacter(pattern: string, index: number): [string, number] | undefined {
  let character = pattern[index];
  if (character === undefined || character === '-' || character === ']') return undefined;
  if (character === '\\') {
    character = pattern[index + 1];
    if (character === undefined) return undefined;
    index++;
  }
  return [character, index + 1];
}

const escapeClass = (character: string): string => `\\u{${character.codePointAt(0)?.toString(16)}}`;

function classToRegExp(pattern: string, start: number): [string, number] | undefined {
  let index = start + 1;
  const negated = pattern[index] === '^';
  if (negated) index++;
  let body = '';
  for (let ranges = 0; ; ranges++) {
    if (pattern[index] === ']' && ranges > 0) return [`[${negated ? '^' : ''}${body}]`, index + 1];
    const low = classCharacter(pattern, index);
    if (low === undefined) return undefined;
    index = low[1];
    let high = low;
    if (pattern[index] === '-') {
      const end = classCharacter(pattern, index + 1);
      if (end === undefined) return undefined;
      high = end;
      index = end[1];
    }
    // Go accepts a reversed range and it matches nothing; a regular expression would refuse it.
    body += high[0] < low[0] ? '' : `${escapeClass(low[0])}-${escapeClass(high[0])}`;
  }
}

export function globToRegExp(pattern: string): RegExp | undefined {
  let source = '';
  for (let index = 0; index < pattern.length;) {
    const character = pattern[index] as string;
    if (character === '*') {
      source += '.*';
      index++;
    } else if (character === '?') {
      source += '.';
      index++;
    } else if (character === '[') {
      const converted = classToRegExp(pattern, index);
      if (converted === undefined) return undefined;
      source += converted[0];
      index = converted[1];
    } else {
      let literal = character;
      if (character === '\\') {
        literal = pattern[index + 1] ?? '';
        if (literal === '') return undefined;
        index++;
      }
      source += literal.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      index++;
    }
  }
  return new RegExp(`^${source}$`, 'su');
}

export function globMatches(pattern: string, text: string): boolean {
  return globToRegExp(pattern)?.test(text) ?? false;
}
