// A kustomization's `images:` entry, read and written as kustomize's images transformer applies it
// (api/filters/imagetag and api/image): `name` matches an image of the included resources by name, with
// any tag and digest; `newName` replaces the name; `newTag` and `digest` replace both tag and digest.
import type { Edit } from '../edit.js';
import type { KustomizeField, ScalarSpan } from '../field.js';
import { nameText, parseReferenceParts, referenceText } from '../../reference.js';
import type { Target, Written } from './target.js';

/** kustomize's IsImageMatched: `name` (a regular expression, as kustomize uses it) then an optional tag and sha256 digest. */
export function kustomizeMatches(image: string, name: string): boolean {
  try {
    return new RegExp(`^${name}(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$`).test(image);
  } catch {
    return false;
  }
}

/** A reference's name, and the tag and digest that follow it (separators kept), as kustomize splits an image it matched. */
export function kustomizeSplit(image: string): { name: string; tail: string } {
  try {
    const parts = parseReferenceParts(image);
    return { name: nameText(parts), tail: referenceText('', parts.tag, parts.digest) };
  } catch {
    return { name: image, tail: '' };
  }
}

/** What kustomize makes of a matched image: the entry's name, tag and digest over the image's own. */
export function applyEntry(image: string, newName: string | undefined, newTag: string | undefined, digest: string | undefined): string {
  const split = kustomizeSplit(image);
  const name = newName || split.name;
  if (newTag || digest) return referenceText(name, newTag, digest);
  return name + split.tail;
}

export interface KustomizeContext {
  /** The entry's `name` once ferry has rewritten the images it matches, so that it still matches them. */
  readonly entryName: string;
  /** Those images as ferry writes them (empty when the included resources are not among the manifests). */
  readonly matchedImages: readonly string[];
}

function set(scalar: ScalarSpan, value: string, edits: Edit[]): void {
  if (scalar.value !== value) edits.push({ set: scalar, value });
}

export function writeKustomize(field: KustomizeField, target: Target, context: KustomizeContext): Written {
  const parts = parseReferenceParts(target.image);
  const newName = nameText(parts);
  const edits: Edit[] = [];
  set(field.name, context.entryName, edits);
  let writtenName = field.newName?.value;
  if (field.newName !== undefined) {
    set(field.newName, newName, edits);
    writtenName = newName;
  } else if (newName !== context.entryName) {
    edits.push({ add: field.entry, key: 'newName', value: newName });
    writtenName = newName;
  }

  let newTag = field.newTag?.value || undefined;
  let digest = field.digest?.value || undefined;
  const wantedTag = parts.tag;
  const wantedDigest = parts.digest;
  const fromBase = context.matchedImages[0] === undefined ? '' : kustomizeSplit(context.matchedImages[0]).tail;
  // Only what the entry must say is written: a tag or digest the base already gives stays the base's.
  const baseGives = !newTag && !digest && fromBase === referenceText('', wantedTag, wantedDigest);
  if (!baseGives) {
    if (wantedDigest !== digest) {
      if (field.digest !== undefined) set(field.digest, wantedDigest ?? '', edits);
      else if (wantedDigest !== undefined) edits.push({ add: field.entry, key: 'digest', value: wantedDigest });
      digest = wantedDigest;
    }
    if (wantedTag !== newTag) {
      if (field.newTag === undefined) edits.push({ add: field.entry, key: 'newTag', value: wantedTag ?? '' });
      else if (wantedTag === undefined && field.newTag.pair.ownLines) edits.push({ remove: field.newTag.pair });
      else set(field.newTag, wantedTag ?? '', edits);
      newTag = wantedTag;
    }
  }
  const base = context.matchedImages[0] ?? context.entryName;
  return { edits, rendered: applyEntry(base, writtenName, newTag, digest) };
}
