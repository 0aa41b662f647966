// A plan for a GitHub Actions matrix: every image pinned to its digest, measured from its manifests,
// and put in a shard so that shards carry about the same bytes (a blob that images of one shard share
// counts once there). The plan file is what a shard job reads to know its images.
import type { ImageEntry } from './images.js';

export interface PlannedImage {
  /** The string as found in the YAML (or named by the lock). */
  readonly image: string;
  /** What is fetched, pinned: `name[:tag]@digest`. */
  readonly source: string;
  readonly digest: string;
  /** Every blob of the image, its platforms together, counted once. */
  readonly bytes: number;
  /** 1-based. */
  readonly shard: number;
  /** A Helm chart, named with its chart name last. */
  readonly chart?: true;
}

export interface ShardTotal {
  readonly shard: number;
  readonly images: number;
  /** Bytes the shard moves: each blob once, however many of its images share it. */
  readonly bytes: number;
}

export interface PlanFile {
  readonly version: 1;
  readonly shards: readonly ShardTotal[];
  readonly images: readonly PlannedImage[];
}

export interface MeasuredImage {
  readonly entry: ImageEntry;
  readonly source: string;
  readonly digest: string;
  /** Every blob (config, layer, child manifest) by digest, with its size. */
  readonly blobs: ReadonlyMap<string, number>;
}

const sum = (sizes: Iterable<number>): number => [...sizes].reduce((total, size) => total + size, 0);

/** How many shards `auto` makes: the bytes of the whole set over the target size of a shard. */
export function shardCount(images: readonly MeasuredImage[], shardBytes: number): number {
  const all = new Map<string, number>();
  for (const image of images) for (const [digest, size] of image.blobs) all.set(digest, size);
  return Math.max(1, Math.min(images.length, Math.ceil(sum(all.values()) / shardBytes)));
}

/**
 * Largest image first, each into the shard its blobs would grow least (its shared blobs are free
 * there), ties to the shard with the fewest bytes, then the fewest images.
 */
export function balance(images: readonly MeasuredImage[], count: number): PlanFile {
  const shards = Array.from({ length: count }, () => ({ blobs: new Map<string, number>(), images: 0 }));
  const order = [...images].sort((a, b) => sum(b.blobs.values()) - sum(a.blobs.values()) || (a.entry.image < b.entry.image ? -1 : 1));
  const placed = new Map<MeasuredImage, number>();
  for (const image of order) {
    let best = 0;
    let bestKey: [number, number, number] | undefined;
    shards.forEach((shard, index) => {
      const added = sum([...image.blobs].filter(([digest]) => !shard.blobs.has(digest)).map(([, size]) => size));
      const key: [number, number, number] = [sum(shard.blobs.values()) + added, added, shard.images];
      if (
        bestKey === undefined ||
        key[0] < bestKey[0] ||
        (key[0] === bestKey[0] && (key[1] < bestKey[1] || (key[1] === bestKey[1] && key[2] < bestKey[2])))
      ) {
        best = index;
        bestKey = key;
      }
    });
    const shard = shards[best];
    if (shard === undefined) continue;
    for (const [digest, size] of image.blobs) shard.blobs.set(digest, size);
    shard.images++;
    placed.set(image, best + 1);
  }
  return {
    version: 1,
    shards: shards.map((shard, index) => ({ shard: index + 1, images: shard.images, bytes: sum(shard.blobs.values()) })),
    images: [...images]
      .sort((a, b) => (a.entry.image < b.entry.image ? -1 : a.entry.image > b.entry.image ? 1 : 0))
      .map((image) => ({
        image: image.entry.image,
        source: image.source,
        digest: image.digest,
        bytes: sum(image.blobs.values()),
        shard: placed.get(image) ?? 1,
        ...(image.entry.fields.some((field) => field.kind === 'chart') ? { chart: true as const } : {}),
      })),
  };
}

/** The plan file's images, checked; `where` names the file in errors. */
export function readPlan(where: string, text: string): PlanFile {
  let plan: PlanFile;
  try {
    plan = JSON.parse(text) as PlanFile;
  } catch {
    throw new Error(`${where}: not a ferry plan (not JSON)`);
  }
  if (plan?.version !== 1 || !Array.isArray(plan.images) || !Array.isArray(plan.shards)) {
    throw new Error(`${where}: not a ferry plan (version 1, with images and shards)`);
  }
  for (const image of plan.images) {
    if (
      typeof image?.image !== 'string' ||
      typeof image.source !== 'string' ||
      typeof image.digest !== 'string' ||
      !Number.isInteger(image.shard)
    ) {
      throw new Error(`${where}: an image of the plan lacks image, source, digest or shard`);
    }
  }
  return plan;
}

/** The `strategy.matrix` a workflow takes through fromJSON: one entry per shard. */
/** Each shard's share of the bytes, and the balance: the largest shard over the mean (1.00 is even). */
export function shardShares(shards: readonly ShardTotal[]): { shares: { shard: ShardTotal; share: number }[]; balance: number } {
  const total = sum(shards.map((shard) => shard.bytes));
  const mean = shards.length === 0 ? 0 : total / shards.length;
  const largest = Math.max(0, ...shards.map((shard) => shard.bytes));
  return {
    shares: shards.map((shard) => ({ shard, share: total === 0 ? 0 : shard.bytes / total })),
    balance: mean === 0 ? 1 : largest / mean,
  };
}

export function matrixOf(plan: PlanFile): string {
  return JSON.stringify({ include: plan.shards.map(({ shard, images, bytes }) => ({ shard, images, bytes })) });
}
