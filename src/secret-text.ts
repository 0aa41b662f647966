// Which values ferry registers with the runner as secrets. The runner masks a secret wherever it
// appears in the log, and drops a job output that contains it: a token server answering with a word
// (`{"token":"sha256"}`, `shard`) would otherwise mask every digest in the log or drop the matrix
// output. So a value is registered only when it is long enough to be a secret, is not made of a
// digest's characters, and occurs in none of the text the run's own outputs are made of.
import { lockApiVersion, lockKind, minimumRequiredVersion } from './lock.js';

/** Shorter values are not registered: a mask of a short word hides that word in every later line. */
export const minSecretLength = 8;

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

/** Whether `value` may be registered as a secret without masking what the run itself writes. */
export function maskable(value: string): boolean {
  if (value.length < minSecretLength || digestLike.test(value)) return false;
  return value.length > longestPublic || !publicText.includes(value);
}
