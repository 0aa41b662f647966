// rewrite: names only, no network. Every image gets the name the default-repo strategy (or the single
// repository) gives it, tag and digest as they were.
import { tagOf } from '../reference.js';
import type { Mode } from './mode.js';
import { emptyResult } from './steps.js';

export const rewrite: Mode = {
  async run(context) {
    const outcomes = context.entries.map((entry) => ({ image: entry.image, newImage: entry.newImage, tag: tagOf(entry.newImage) }));
    return { result: { ...emptyResult(), outcomes } };
  },
};
