// rewrite: names only, no network. Every image gets the name the default-repo strategy (or the single
// repository) gives it, tag and digest as they were.
import { tagOf } from '../reference.js';
import { type Mode } from './mode.js';

export const rewrite: Mode = {
  keepsNames: false,
  pins: false,
  needsImages: false,
  async run({ entries }) {
    const outcomes = entries.map((entry) => ({ image: entry.image, newImage: entry.newImage, tag: tagOf(entry.newImage) }));
    return { result: { outcomes, failures: [], tags: [], edit: true, extraLock: [] } };
  },
};
