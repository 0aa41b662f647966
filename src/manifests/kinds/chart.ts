// A Helm chart reference: a URL that names the chart's repository (or the chart itself), beside a chart
// name and a version that stay as written. A new reference goes into the URL, and, where the format
// can say it (an OCIRepository's `spec.ref.digest`), the digest pins it.
import semver from 'semver';
import type { Edit } from '../edit.js';
import type { ChartField } from '../field.js';
import { anchoredTag, nameText, parseReferenceParts, referenceText } from '../../reference.js';
import { UnwritableField } from './helm.js';
import type { Target, Written } from './target.js';
import { quoted } from '../../untrusted-text.js';

/** How a chart's version is written: an exact version is its tag (Helm writes `+` as `_` in OCI tags), a range is resolved against the tags. */
export type ChartVersion = { readonly tag: string } | { readonly range: string } | { readonly error: string };

export function chartVersion(text: string): ChartVersion {
  const version = text.trim();
  if (semver.valid(version, { loose: false }) !== null && !version.startsWith('=')) {
    const tag = version.replace(/\+/g, '_');
    return anchoredTag.test(tag) ? { tag } : { error: `the version ${version} cannot be an OCI tag` };
  }
  if (version !== '' && semver.validRange(version) !== null) return { range: version };
  if (anchoredTag.test(version)) return { tag: version };
  return { error: `${quoted(version)} is neither a version, a version range nor an OCI tag` };
}

/** The chart's name: the last part of its repository. */
export function chartName(reference: string): string {
  const name = nameText(parseReferenceParts(reference));
  return name.slice(name.lastIndexOf('/') + 1);
}

export function writeChart(field: ChartField, target: Target): Written {
  const parts = parseReferenceParts(target.image);
  const name = nameText(parts);
  const found = parseReferenceParts(field.value);
  const cut = name.lastIndexOf('/');
  if (!field.urlIsChart && (cut < 0 || name.slice(cut + 1) !== chartName(field.value))) {
    throw new UnwritableField(
      `the chart's new name ${name} does not end in its chart name ${chartName(field.value)}, which ${field.shape} joins to the repository URL`,
    );
  }
  // Where the format names the version, the copy must carry that tag: else the cluster would ask the
  // new place for a version that is not there, or one an earlier run left.
  const tagged = parts.tag ?? target.tag;
  if (
    found.tag !== undefined &&
    field.digest === undefined &&
    tagged !== found.tag &&
    !(field.ref !== undefined && parts.digest !== undefined)
  )
    throw new UnwritableField(
      `the chart's copy is tagged ${tagged ?? '(no tag)'}, and ${field.shape} asks for ${found.tag}: a lock override may not change a chart's version; change the version where the chart is named`,
    );
  const url = `${field.scheme ? 'oci://' : ''}${field.urlIsChart ? name : name.slice(0, cut)}`;
  const edits: Edit[] = [];
  if (url !== field.url.value) edits.push({ set: field.url, value: url });
  let digest: string | undefined;
  if (field.ref !== undefined && parts.digest !== undefined) {
    digest = parts.digest;
    if (field.digest === undefined) edits.push({ add: field.ref, key: 'digest', value: digest });
    else if (field.digest.value !== digest) edits.push({ set: field.digest, value: digest });
  } else if (field.digest !== undefined) digest = field.digest.value;
  return { edits, rendered: referenceText(name, digest === undefined ? found.tag : undefined, digest) };
}
