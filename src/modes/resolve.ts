// resolve: every image pinned to its digest in place, the name kept as written.
import { pinnedReference, tagOf } from '../reference.js';
import { type Mode, settle } from './mode.js';
import { digestResolver } from './resolver.js';

export const resolve: Mode = {
  keepsNames: true,
  pins: true,
  needsImages: true,
  async run({ entries, registries, settings }) {
    const digestOf = digestResolver(registries(), settings.concurrency);
    const { results, failures } = await settle(entries, async (entry) => {
      const digest = await digestOf(entry.source);
      return { image: entry.image, digest, tag: tagOf(entry.source), newImage: pinnedReference(entry.source, digest, settings.keepTags) };
    });
    return { result: { outcomes: results, failures, tags: [], edit: true, extraLock: [] } };
  },
};
