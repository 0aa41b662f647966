// WWW-Authenticate (RFC 7235): one or more challenges, each a scheme with auth-params.

export interface Challenge {
  /** Lower-case scheme: `basic`, `bearer`. */
  readonly scheme: string;
  /** Parameter names lower-cased; values unquoted. */
  readonly params: Readonly<Record<string, string>>;
}

const token = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;

/**
 * Parses every challenge of one or more WWW-Authenticate header values. Quoted values may hold
 * commas and escaped quotes; several challenges may share one header, separated by commas.
 */
export function parseChallenges(headers: string | readonly string[] | undefined): Challenge[] {
  const values = headers === undefined ? [] : typeof headers === 'string' ? [headers] : headers;
  const challenges: Challenge[] = [];
  for (const value of values) {
    let rest = value;
    let current: { scheme: string; params: Record<string, string> } | undefined;
    while (rest.length > 0) {
      rest = rest.replace(/^[\s,]+/, '');
      const name = token.exec(rest)?.[0];
      if (name === undefined) break;
      const after = rest.slice(name.length);
      const param = /^\s*=\s*/.exec(after);
      if (param === null || current === undefined) {
        // A token not followed by '=' starts a new challenge.
        current = { scheme: name.toLowerCase(), params: {} };
        challenges.push(current);
        rest = after;
        continue;
      }
      rest = after.slice(param[0].length);
      let paramValue: string;
      if (rest.startsWith('"')) {
        let index = 1;
        paramValue = '';
        while (index < rest.length && rest[index] !== '"') {
          if (rest[index] === '\\' && index + 1 < rest.length) index++;
          paramValue += rest[index];
          index++;
        }
        rest = rest.slice(index + 1);
      } else {
        paramValue = /^[^,\s]*/.exec(rest)?.[0] ?? '';
        rest = rest.slice(paramValue.length);
      }
      current.params[name.toLowerCase()] = paramValue;
    }
  }
  return challenges;
}
