// relocate: every image copied whole from its source registry to its destination name, pinned there.
// Every digest is resolved first, then (when the run verifies) every image checked, then (with
// `platforms`) every image found to have them, and only then is anything copied: an image that fails
// any step stops the run with nothing pushed.
import { importerFor, sharedSources } from './importer.js';
import type { Mode } from './mode.js';
import { emptyResult, stopped, settle, verifyGate } from './steps.js';
import { digestResolver } from './resolver.js';
import type { ReadOnceSource } from '../copy/read-once.js';
import { parseReference } from '../reference.js';
import { dockerHub } from '../oci/repository.js';

export const relocate: Mode = {
  async run(context) {
    const { entries, registries, settings, budget, progress } = context;
    const clients = registries();
    const resolveDigest = digestResolver(clients, { checkPinned: false });
    const byTag = new Map<string, Promise<string>>();
    const resolveForCopy = (reference: string, source: ReadOnceSource): Promise<string> => {
      const parsed = parseReference(reference);
      // Docker Hub counts a manifest GET against its pull limit and a HEAD not: a re-run, whose
      // images are all at the destination, must not spend the limit, so there the tag is HEADed.
      if (parsed.digest !== undefined || parsed.registry === dockerHub) return resolveDigest(reference);
      const key = parsed.toString();
      let pending = byTag.get(key);
      if (pending === undefined) {
        pending = source.resolveTag(parsed.tag ?? 'latest').then((digest) => digest ?? resolveDigest(reference));
        byTag.set(key, pending);
      }
      return pending;
    };
    const empty = emptyResult();
    const sourceOf = sharedSources(clients);
    const importer = importerFor(clients, settings, budget, (count) => progress.moved(count));
    const resolved = await settle(
      entries,
      async (entry) => {
        const source = sourceOf(entry.source);
        // A pinned source needs no lookup: the copy reads it by digest, or finds it at the destination.
        // A tag is resolved by reading its manifest, which the copy needs next anyway.
        const lookup = resolveForCopy(entry.source, source);
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
