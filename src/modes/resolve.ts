// resolve: every image pinned to its digest in place, the name kept as written.
import { pinnedReference, tagOf } from '../reference.js';
import type { Mode } from './mode.js';
import { emptyResult, stopped, settle } from './steps.js';
import { preflight } from './importer.js';
import { digestResolver } from './resolver.js';

export const resolve: Mode = {
  async run(context) {
    const { entries, registries, settings } = context;
    const clients = registries();
    const resolveDigest = digestResolver(clients, { checkPinned: true });
    const { results, failures } = await settle(entries, async (entry) => ({ entry, digest: await resolveDigest(entry.source) }), settings);
    const empty = emptyResult();
    if (failures.length > 0) return stopped(context, failures);
    // A pre-flight gate: what would be pinned must verify.
    const gate = await preflight(context, results);
    if (gate !== undefined && gate.failures.length > 0) return stopped(context, gate.failures, gate.warnings);
    const outcomes = results.map(({ entry, digest }) => {
      const verified = gate?.verified.get(entry.image);
      return {
        image: entry.image,
        digest,
        tag: tagOf(entry.source),
        newImage: pinnedReference(entry.source, digest, settings.keepTags),
        ...(verified === undefined ? {} : { verified }),
      };
    });
    return { result: { ...empty, outcomes, failures: [], warnings: gate?.warnings ?? [] } };
  },
};
