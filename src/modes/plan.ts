// plan: every image found and resolved (as resolve does), measured from its manifests, and split into
// shards balanced by bytes for a GitHub Actions matrix. Writes the plan file and nothing else; the
// plan pins digests, so every shard copies exactly what was planned even if tags move meanwhile.
import type { ManifestBudget } from '../copy/budget.js';
import { decodeManifest } from '../oci/manifest.js';
import { Repository } from '../oci/repository.js';
import { parseReference, pinnedReference } from '../reference.js';
import type { RegistryReader } from '../registry/mirrors.js';
import { foreignLayerTypes } from '../oci/media-types.js';
import { type MeasuredImage, balance, matrixOf, shardCount } from '../shards.js';
import type { Mode } from './mode.js';
import { emptyResult, stopped, settle } from './steps.js';
import { preflight } from './importer.js';
import { digestResolver } from './resolver.js';

/** Every blob of an image by digest (child manifests, configs, layers; not foreign layers), with its size. */
async function measure(
  client: RegistryReader,
  repository: string,
  digest: string,
  maxBlobBytes: number,
  budget: ManifestBudget,
): Promise<Map<string, number>> {
  const blobs = new Map<string, number>();
  const visit = async (reference: string, depth: number): Promise<void> => {
    if (depth > 8) throw new Error(`manifest ${reference}: indexes nested more than 8 deep`);
    budget.take(new Repository(client.registry, repository).withDigest(reference));
    const manifest = await client.getManifest(repository, reference);
    blobs.set(manifest.descriptor.digest, manifest.descriptor.size);
    // The walk's own reading of a manifest: what relocation will copy is what is measured.
    const decoded = decodeManifest(manifest, maxBlobBytes);
    for (const child of decoded.children) if (!blobs.has(child.digest)) await visit(child.digest, depth + 1);
    for (const blob of decoded.blobs) if (!foreignLayerTypes.test(blob.mediaType)) blobs.set(blob.digest, blob.size);
  };
  await visit(digest, 0);
  return blobs;
}

export const plan: Mode = {
  async run(context) {
    const { entries, registries, settings, budget } = context;
    const clients = registries();
    const resolveDigest = digestResolver(clients, { checkPinned: false });
    const { results, failures } = await settle(
      entries,
      async (entry): Promise<MeasuredImage> => {
        const parsed = parseReference(entry.source);
        const digest = await resolveDigest(entry.source);
        const blobs = await measure(clients.reader(parsed.registry), parsed.repository, digest, settings.maxBlobBytes, budget);
        return { entry, source: pinnedReference(entry.source, digest, true), digest, blobs };
      },
      settings,
    );
    const empty = emptyResult();
    if (failures.length > 0) return stopped(context, failures);
    // A pre-flight gate: the plan pins only what verifies.
    const gate = await preflight(context, results);
    if (gate !== undefined && gate.failures.length > 0) return stopped(context, gate.failures, gate.warnings);
    const planned = balance(results, settings.shards ?? shardCount(results, settings.shardBytes));
    const outcomes = planned.images.map((image) => {
      const verified = gate?.verified.get(image.image);
      return {
        image: image.image,
        newImage: image.source,
        tag: parseReference(image.source).tag,
        digest: image.digest,
        shard: image.shard,
        ...(verified === undefined ? {} : { verified }),
      };
    });
    return {
      result: {
        ...empty,
        outcomes,
        failures,
        warnings: gate?.warnings ?? [],
        files: [{ path: settings.planFile, text: `${JSON.stringify(planned, null, 2)}\n` }],
        shards: planned.shards,
        outputs: { plan: settings.planFile, matrix: matrixOf(planned) },
      },
    };
  },
};
