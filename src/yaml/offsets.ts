// Where a node's characters end, as the yaml library counts them, for what js-yaml's events leave out:
// a flow collection's closing bracket, a block scalar's header, and where a block scalar ends.
import { CHOMPING_MODE, type ScalarEvent } from 'js-yaml';

/** The offset just after a flow collection's closing bracket, searched from after its last child. */
export function closingBracket(text: string, from: number, bracket: string): number {
  for (let at = from; at < text.length; at++) {
    const char = text[at];
    if (char === bracket) return at + 1;
    if (char === '#') {
      const lineEnd = text.indexOf('\n', at);
      if (lineEnd === -1) break;
      at = lineEnd;
    }
  }
  return from;
}

/** Where a block scalar's header (`|`, `>`) is: the first one after what precedes it, past comments. */
export function blockHeader(text: string, from: number, contentStart: number): number {
  for (let at = from; at < contentStart; at++) {
    const char = text[at];
    if (char === '|' || char === '>') return at;
    if (char === '#') {
      const lineEnd = text.indexOf('\n', at);
      if (lineEnd === -1 || lineEnd >= contentStart) break;
      at = lineEnd;
    }
  }
  return contentStart;
}

/**
 * Where a block scalar's characters end, as the yaml library counts them: with clip and strip
 * chomping, trailing lines that hold no more than the indentation are not part of it.
 */
export function blockEnd(text: string, event: ScalarEvent): number {
  let end = event.valueEnd;
  if (event.chomping === CHOMPING_MODE.KEEP) return end;
  while (end > event.valueStart) {
    const lineStart = text.lastIndexOf('\n', end - 2) + 1;
    if (lineStart < event.valueStart) break;
    const line = text.slice(lineStart, end).replace(/\r?\n$/, '');
    if (line.length > Math.max(event.indent, 0) || !/^ *$/.test(line)) break;
    end = lineStart;
  }
  return end;
}
