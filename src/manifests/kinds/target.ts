// What an image field is asked to become, and what writing it gives.
import type { Edit } from '../edit.js';

export interface Target {
  /** The new reference as a string field gets it: `name@digest`, `name:tag@digest` or `name:tag`. */
  readonly image: string;
  /** The tag the image carries, for kinds that keep a tag beside the digest (a Helm map). */
  readonly tag: string | undefined;
}

export interface Written {
  readonly edits: readonly Edit[];
  /** The reference the field gives once the edits are made: what kustomize or the chart renders. */
  readonly rendered: string;
}
