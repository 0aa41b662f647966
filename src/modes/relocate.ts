// relocate: every image copied whole from its source registry to its destination name, pinned there.
// Every digest is resolved first, then (when the run verifies) every image checked, then (with
// `platforms`) every image found to have them, and only then is anything copied: an image that fails
// any step stops the run with nothing pushed.
import { importerFor, sharedSources } from './importer.js';
import type { Mode } from './mode.js';
import { emptyResult, stopped, settle, verifyGate } from './steps.js';
import { readingResolver } from './resolver.js';

export const relocate: Mode = {
  async run(context) {
    const { entries, registries, settings, budget, progress } = context;
    const clients = registries();
    const empty = emptyResult();
    const sourceOf = sharedSources(clients);
    const resolveDigest = readingResolver(clients, sourceOf);
    const importer = importerFor(clients, settings, budget, (count) => progress.moved(count));
    const resolved = await settle(
      entries,
      async (entry) => {
        const source = sourceOf(entry.source);
        // A pinned source needs no lookup: the copy reads it by digest, or finds it at the destination.
        const lookup = resolveDigest(entry.source);
        // Beside the lookup and while the other images resolve, the first questions of this one's copy
        // are asked already (not in a dry run, whose sink answers differently).
        if (!settings.dryRun) importer.lookAhead(entry, source, lookup);
        return { entry, source, digest: await lookup };
      },
      settings,
    );
    if (resolved.failures.length > 0) return stopped(context, resolved.failures);
    const gate = await verifyGate(
      context,
      resolved.results.map(({ entry, source, digest }) => ({ entry, digest, source: source.forGate() })),
    );
    if (gate !== undefined && gate.failures.length > 0) return stopped(context, gate.failures, gate.warnings);
    // Every image has the platforms asked for, before the first push: a set that cannot be copied whole is not copied in part.
    const lacking = await settle(resolved.results, ({ source, digest }) => importer.checkPlatforms(source, digest), settings);
    if (lacking.failures.length > 0) return stopped(context, lacking.failures, gate?.warnings);
    const { results, failures } = await settle(
      resolved.results,
      async ({ entry, source, digest }) => {
        const outcome = await importer.import(entry, source, digest);
        const verified = gate?.verified.get(entry.image);
        return verified === undefined ? outcome : { ...outcome, verified };
      },
      { ...settings, progress, onResult: context.onImage },
    );
    return {
      result: { ...empty, outcomes: results, failures, tags: [...importer.tags.values()], warnings: gate?.warnings ?? [] },
      tagger: importer.tagger,
    };
  },
};
