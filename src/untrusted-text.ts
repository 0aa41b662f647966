// How text ferry did not write (file names, YAML values, references, registry messages, helper output)
// is shown: in the log, where the runner reads workflow commands; in the job summary, where GitHub
// renders markdown and HTML; and quoted in a message, where a 10 MiB value must not be echoed whole.

/**
 * C0 and C1 controls, DEL, and the Unicode line and paragraph separators: each would let text start a
 * new line somewhere ferry writes it (the runner's log; YAML 1.1, which kbld reads, ends a line at NEL,
 * U+2028 and U+2029). The one class every writer of untrusted text uses.
 */
export const controlClass = '[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]';
const controls = new RegExp(controlClass, 'gu');

export function hasControlCharacters(text: string): boolean {
  return new RegExp(controlClass, 'u').test(text);
}

/** The text with each control character (the class above) replaced by a space: one line, whatever it held. */
export function oneLine(text: string): string {
  return text.replace(controls, ' ');
}

const named: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeControls(text: string): string {
  return text.replace(controls, (character) => named[character] ?? `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * What the runner's command parser trims before it looks for `::`: .NET's white space (JavaScript's
 * `\s` covers it, and U+FEFF besides).
 */
const leadingSpace = /^[\s\u0085]*/u;

/**
 * A log line that no workflow command can be read from: the runner reads a command from a line that
 * starts with `::` once trimmed, and (its legacy parser) from `##[` anywhere in a line. Controls are
 * escaped, so the text stays one line; `##[` becomes `##\[`; a leading `::` is led by a backslash.
 */
export function logText(text: string): string {
  const line = escapeControls(text).replaceAll('##[', '##\\[');
  const indent = leadingSpace.exec(line)?.[0].length ?? 0;
  return line.startsWith('::', indent) ? `${line.slice(0, indent)}\\${line.slice(indent)}` : line;
}

/** How much of an untrusted value a message quotes. */
export const maxQuotedCharacters = 200;

/**
 * A value quoted in a message: JSON-quoted, and cut in the middle (with its length said) past a few
 * hundred characters, so a 10 MiB `image:` value costs the log a line, not 10 MiB.
 */
export function quoted(value: string, max = maxQuotedCharacters): string {
  if (value.length <= max) return jsonText(value);
  const head = value.slice(0, Math.ceil((max * 3) / 4));
  const tail = value.slice(value.length - Math.floor(max / 4));
  return `${jsonText(head)}…${jsonText(tail)} (${value.length} characters)`;
}

/** JSON's quoting, with the controls it leaves as they are (DEL, C1, U+2028, U+2029) escaped too: still JSON, and one line anywhere. */
function jsonText(value: string): string {
  return escapeControls(JSON.stringify(value));
}

/** A message or name cut to `max` characters, with its length said: for text that is not quoted. */
export function shortened(text: string, max = 500): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}

const entities: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/**
 * Untrusted text inside the job summary's HTML: one line (controls escaped, so no blank line can end
 * the HTML block it stands in and let markdown take over), HTML escaped, and the characters markdown
 * reads as syntax written as character references, so it renders as the text it is.
 */
export function htmlText(text: string): string {
  return escapeControls(text).replace(/[&<>"'\\`*_[\]()#!|~]/gu, (character) => entities[character] ?? `&#${character.charCodeAt(0)};`);
}
