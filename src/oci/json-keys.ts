// Keys a JSON object repeats. JSON.parse keeps the last of a repeated key alone; Go's decoding
// (registries, containerd, skopeo, docker load) decodes each into the same field, so a repeated
// object merges into one: `{"rootfs":{"diff_ids":[A]},"rootfs":{"type":"layers"}}` is an image of one
// layer to Go and of none to JSON.parse. No encoder writes a key twice, so a document that does is
// read two ways by design, and refused. (Keys spelled two ways, `rootfs` and `RootFS`, are the
// respelled fields of descriptor.ts: only the fields Go folds together are refused there, since a
// map's keys, annotations, are compared exactly.)

import { quoted } from '../untrusted-text.js';

/** Why a document that repeats `key` is refused, for a message; `readers` names who reads it with Go. */
export const repeatedKeyReason = (key: string, readers: string): string =>
  `repeats the key ${quoted(key, 100)}, which Go's JSON decoding (${readers}) reads otherwise than JSON.parse`;

/** The first key an object in `text` (valid JSON) repeats exactly, or undefined. Linear in the text. */
export function repeatedKey(text: string): string | undefined {
  // One entry per open object (its keys so far) or array (null), and whether the next string is a key.
  const open: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let at = 0; at < text.length; at++) {
    const char = text.charCodeAt(at);
    if (char === 0x22 /* " */) {
      let end = at + 1;
      while (end < text.length && text.charCodeAt(end) !== 0x22) end += text.charCodeAt(end) === 0x5c /* \ */ ? 2 : 1;
      const keys = open.at(-1);
      if (expectKey && keys) {
        const key = JSON.parse(text.slice(at, end + 1)) as string;
        if (keys.has(key)) return key;
        keys.add(key);
        expectKey = false;
      }
      at = end;
    } else if (char === 0x7b /* { */) {
      open.push(new Set());
      expectKey = true;
    } else if (char === 0x5b /* [ */) {
      open.push(null);
      expectKey = false;
    } else if (char === 0x7d /* } */ || char === 0x5d /* ] */) {
      open.pop();
      expectKey = false;
    } else if (char === 0x2c /* , */) {
      expectKey = open.at(-1) instanceof Set;
    }
  }
  return undefined;
}
