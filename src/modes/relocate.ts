// relocate: every image copied whole from its source registry to its destination name, pinned there.
import { parseReference } from '../reference.js';
import { RegistrySource } from '../copy/registry.js';
import { importerFor, location } from './importer.js';
import { type Mode, settle } from './mode.js';
import { digestResolver } from './resolver.js';

export const relocate: Mode = {
  keepsNames: false,
  pins: true,
  needsImages: true,
  async run({ entries, registries, settings, budget, progress }) {
    const clients = registries();
    const digestOf = digestResolver(clients, settings.concurrency);
    const importer = importerFor(clients, settings, budget, (count) => progress.moved(count));
    const { results, failures } = await settle(
      entries,
      async (entry) => {
        // A pinned source needs no lookup: the copy reads it by digest, or finds it at the destination.
        const digest = parseReference(entry.source).digest ?? (await digestOf(entry.source));
        return importer.import(entry, new RegistrySource(clients, location(entry.source)), digest);
      },
      progress,
    );
    return {
      result: { outcomes: results, failures, tags: [...importer.tags.values()], edit: true, extraLock: [] },
      tagger: importer.tagger,
    };
  },
};
