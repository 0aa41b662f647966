// A Helm values map: `image: {registry, repository, tag, digest}` (Bitnami) or `{repository, tag}`,
// composed as charts do: `registry/` + repository + `:tag` + `@digest`, an empty tag being the
// chart's appVersion. A new reference goes back into the same keys.
import type { Edit } from '../edit.js';
import type { HelmField, ScalarSpan } from '../field.js';
import { nameText, parseReferenceParts, referenceText } from '../../reference.js';
import type { Target, Written } from './target.js';

/** A reference a field's parts cannot hold; the caller names the field's position. */
export class UnwritableField extends Error {}

export function composeHelm(registry: string | undefined, repository: string, tag: string | undefined, digest: string | undefined): string {
  return referenceText(registry ? `${registry}/${repository}` : repository, tag, digest);
}

function setOrAdd(field: HelmField, scalar: ScalarSpan | undefined, key: string, value: string, edits: Edit[]): void {
  if (scalar === undefined) edits.push({ add: field.map, key, value });
  else if (scalar.value !== value || scalar.numeric) edits.push({ set: scalar, value });
}

export function writeHelm(field: HelmField, target: Target): Written {
  const parts = parseReferenceParts(target.image);
  const edits: Edit[] = [];
  let registry = field.registry?.value;
  let repository: string;
  if (field.registry !== undefined) {
    registry = parts.domain ?? '';
    repository = parts.path;
    if (registry !== field.registry.value) edits.push({ set: field.registry, value: registry });
  } else {
    repository = nameText(parts);
  }
  if (repository !== field.repository.value) edits.push({ set: field.repository, value: repository });

  const written = field.tag?.value ?? '';
  const effective = written || field.appVersion;
  const tag = parts.tag ?? target.tag ?? effective;
  let digest = field.digest?.value || undefined;
  let tagText = written;
  if (field.digest !== undefined) {
    digest = parts.digest;
    if ((parts.digest ?? '') !== field.digest.value) edits.push({ set: field.digest, value: parts.digest ?? '' });
    if (tag !== effective) tagText = tag ?? '';
  } else if (parts.digest !== undefined) {
    if (!tag) {
      throw new UnwritableField(
        'cannot pin this Helm image: the map has no tag and no digest key, and no Chart.yaml gives an appVersion; add `digest: ""` to the map',
      );
    }
    if (field.tagSuffixAt !== undefined) {
      throw new UnwritableField(
        `cannot pin this Helm image through its tag: the chart's template writes more right after the tag (${field.tagSuffixAt}), which a digest there would break; give the map a digest key the chart reads, or pin the chart's rendered output`,
      );
    }
    digest = undefined;
    tagText = `${tag}@${parts.digest}`;
  } else if (tag !== effective) {
    tagText = tag ?? '';
  }
  if (tagText !== written || (field.tag?.numeric && edits.length > 0)) setOrAdd(field, field.tag, 'tag', tagText, edits);
  return { edits, rendered: composeHelm(registry, repository, tagText || field.appVersion, digest) };
}
