// Which tokens ferry registers with the runner as secrets. The runner masks a secret wherever it
// appears in the log, and drops a job output that contains it: a token server answering with a word
// (`{"token":"sha256"}`, `shard`) or a fragment of ferry's own text (`"newImage":"`, `@sha256:`)
// would otherwise mask every digest in the log or drop the outputs. So a token a registry hands out is
// registered only when it looks like one (RFC 6750's token characters, long enough), is not made of a
// digest's characters, and occurs in none of the text the run's own outputs are made of. Credentials
// the workflow gives (config.json, helpers) are the user's own and are always registered.
import { lockApiVersion, lockKind, minimumRequiredVersion } from './lock.js';

/** Shorter tokens are not registered: a mask of a short word hides that word in every later line. */
export const minTokenLength = 16;

/** A bearer token's characters (RFC 6750 b64token): no quote, colon, `@` or space of ferry's own text. */
const tokenCharacters = /^[A-Za-z0-9._~+/-]+=*$/;

/** A digest, its hex, or a part of it (the summary shows 12 hex digits): masked, it would hide digests. */
const digestLike = /^(?:(?:sha256|sha384|sha512)[:-]?)?[0-9a-f]*$/i;

/** The words of ferry's outputs themselves: the lock's constants and keys, the JSON outputs' keys and values. */
const outputWords = [
  lockApiVersion,
  lockKind,
  minimumRequiredVersion,
  'apiVersion',
  'minimumRequiredVersion',
  'overrides',
  'newImage',
  'preresolved',
  'filteredFrom',
  'artifacts',
  'signatures',
  'attestations',
  'predicateType',
  'verified',
  'include',
  'images',
  'manifests',
  'unpackage',
  'relocate',
];

/** The run's public text (image references, names, paths), known before any registry is asked. */
let publicText = outputWords.join('\n');
let longestPublic = Math.max(...outputWords.map((word) => word.length));

/** Adds text the run's outputs are made of: no value found inside it is registered as a secret. */
export function addPublicText(values: Iterable<string>): void {
  for (const value of values) {
    if (value === '') continue;
    publicText += `\n${value}`;
    longestPublic = Math.max(longestPublic, value.length);
  }
}

/** Whether a token may be registered as a secret without masking what the run itself writes. */
export function maskableToken(value: string): boolean {
  if (value.length < minTokenLength || !tokenCharacters.test(value) || digestLike.test(value)) return false;
  return value.length > longestPublic || !publicText.includes(value);
}
