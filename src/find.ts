// Finding the images of a run: the manifests scanned (or a shard of a plan read), the `lock` merged
// in, one entry per distinct image, and every new value tried before any registry is asked anything.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { type CommitPlan, planCommit } from './commit.js';
import { plural } from './format.js';
import { type ImageEntry, type ImageSet, collectImages, destinationName } from './images.js';
import { type LockEntries, mergeLocks, parseLock } from './lock.js';
import { inputFiles } from './manifests/files.js';
import type { Target } from './manifests/kinds/target.js';
import { KustomizeTree } from './manifests/kustomize-render.js';
import { type Scan, scanManifests } from './manifests/scan.js';
import type { ModeFacts } from './modes/catalog.js';
import { pinnedReference, tagOf } from './reference.js';
import type { Report } from './report.js';
import { addPublicText } from './secret-text.js';
import type { Settings } from './settings.js';
import { readPlan } from './shards.js';
import { valuesFolderOf } from './charts/chart-outcomes.js';
import type { Registries } from './registry/registries.js';
import type { ChartsFound } from './charts/read-charts.js';
import { quoted } from './untrusted-text.js';

/** The `lock` input's files (paths or globs), read and merged; and their real paths, never manifests. */
async function readOverrides(settings: Settings, report: Report): Promise<{ lock: LockEntries; files: string[] }> {
  if (settings.lock.length === 0) return { lock: { overrides: new Map(), at: new Map() }, files: [] };
  const files = await inputFiles(settings.files, 'lock', settings.lock);
  const locks = files.map((file) => ({
    name: file.name,
    lock: parseLock(file.name, settings.files.read('lock', file.real, settings.maxManifestBytes).toString('utf8')),
  }));
  if (locks.length > 1) report.info(`lock: ${locks.length} files merged (${locks.map(({ name }) => name).join(', ')})`);
  return { lock: mergeLocks(locks), files: files.flatMap((file) => [file.path, file.real]) };
}

/** How the run names images: a mode that keeps names (resolve, package) applies no default repo. */
function namingOf(settings: Settings, mode: ModeFacts): { defaultRepo: string; multiLevel: boolean | undefined; repository: string } {
  return {
    defaultRepo: mode.keepsNames ? '' : settings.defaultRepo,
    multiLevel: settings.multiLevel,
    repository: mode.keepsNames ? '' : settings.repository,
  };
}

/** A shard run's images: those the plan puts in that shard, pinned as planned; no manifest is touched. */
function shardEntries(settings: Settings, mode: ModeFacts, planFile: { file: string; shard: number }): ImageEntry[] {
  const name = path.relative(settings.workspace, planFile.file) || planFile.file;
  const planned = readPlan(name, settings.files.read('plan', planFile.file, settings.maxManifestBytes).toString('utf8'));
  if (!planned.shards.some((shard) => shard.shard === planFile.shard)) {
    throw new Error(`shard: ${planFile.shard} is not a shard of ${name} (it has ${planned.shards.length})`);
  }
  const naming = namingOf(settings, mode);
  return planned.images
    .filter((image) => image.shard === planFile.shard)
    .map((image) => ({
      image: image.image,
      source: image.source,
      newImage: destinationName(image.source, naming, image.chart === true),
      fields: [],
    }));
}

const noScan: Scan = { manifests: [], kustomize: new KustomizeTree(new Map()), errors: [], placeholders: [], skipped: [], locks: [] };

async function scan(settings: Settings, lockFiles: readonly string[], report: Report): Promise<Scan> {
  return report.group('Find image references', async () => {
    const result = await scanManifests({
      files: settings.files,
      maxManifestBytes: settings.maxManifestBytes,
      patterns: settings.manifestPatterns,
      imageKeys: settings.imageKeys,
      charts: settings.charts,
      exclude: [settings.lockFile, settings.planFile, ...lockFiles],
      // ferry's own output is never its input: output-dir, and the values files it writes beside the lock.
      excludeDirectories: [settings.outputDir, valuesFolderOf(settings.lockFile)].filter((dir) => dir !== undefined),
    });
    const fields = result.manifests.reduce((sum, manifest) => sum + manifest.fields.length, 0);
    report.info(`${plural(result.manifests.length, 'file')}, ${plural(fields, 'image field')}`);
    for (const file of result.locks) report.info(`${file}: a kbld or imgpkg lock, never edited`);
    report.skippedFiles(result.skipped);
    report.placeholders(result.placeholders);
    if (result.manifests.length === 0 && result.errors.length === 0 && result.skipped.length === 0) {
      throw new Error(`manifests: no file matches ${settings.manifestPatterns.join(', ')} under ${settings.workspace}`);
    }
    return result;
  });
}

/** Fails the run before its commit point: `what` says what went wrong with how many (`2 manifest errors`). */
export function fail(errors: readonly { message: string }[], what: string): never {
  const [first] = errors;
  throw new Error(`${what}, nothing was written; first: ${first?.message}`);
}

/** The target each image's fields are asked to give: from the mode's outcomes, or (before any registry work) as planned. */
export function targetsOf(outcomes: readonly { image: string; newImage: string; tag: string | undefined }[]): Map<string, Target> {
  return new Map(outcomes.map(({ image, newImage, tag }) => [image, { image: newImage, tag }]));
}

/**
 * What the commit would be if every image pinned to a digest of its own: catches a name no field can
 * hold, and a field two kustomize roots need to become two things, before any push.
 */
function trialCommit(settings: Settings, mode: ModeFacts, set: ImageSet, scanned: Scan): CommitPlan {
  const outcomes = set.entries.map((entry) => {
    const name = mode.keepsNames ? entry.source : entry.newImage;
    const someDigest = `sha256:${createHash('sha256').update(entry.image).digest('hex')}`;
    return {
      image: entry.image,
      newImage: mode.pins ? pinnedReference(name, someDigest, settings.keepTags && settings.repository === '') : name,
      tag: tagOf(name),
    };
  });
  return planCommit(scanned.manifests, targetsOf(outcomes), { outputDir: settings.outputDir, kustomize: scanned.kustomize });
}

/**
 * The images a run works on, and the manifests they were found in; throws, naming every field at its
 * line, when a field cannot hold what the run would write, and when a mode that needs images has none.
 */
export async function findImages(settings: Settings, mode: ModeFacts, report: Report): Promise<{ scanned: Scan; set: ImageSet }> {
  const { lock, files: lockFiles } = await readOverrides(settings, report);
  if (settings.plan !== undefined)
    report.info(`plan: ${settings.plan.file}, shard ${settings.plan.shard}: its images only, no manifest is written`);
  const scanned = settings.plan === undefined ? await scan(settings, lockFiles, report) : noScan;
  const planned = settings.plan === undefined ? undefined : shardEntries(settings, mode, settings.plan);
  const collected = collectImages(
    scanned.manifests.flatMap((manifest) => manifest.fields),
    {
      ...namingOf(settings, mode),
      overrides: lock.overrides,
      lockedAt: lock.at,
      includeLocked: mode.needsImages,
      pinned: mode.pins,
    },
  );
  const set: ImageSet = planned === undefined ? collected : { entries: planned, errors: [] };
  // What the outputs are made of is known now, before any registry answers with a token.
  addPublicText([
    ...set.entries.flatMap((entry) => [entry.image, entry.source, entry.newImage]),
    ...scanned.manifests.map((manifest) => manifest.name),
    settings.defaultRepo,
    settings.repository,
    settings.lockFile,
    settings.archive,
    settings.planFile,
  ]);
  const fieldErrors = [
    ...scanned.errors,
    ...set.errors,
    // The trial guards registry work; in rewrite mode nothing comes before the commit, whose own
    // planning checks every value, so the edits are not made twice.
    ...(set.errors.length === 0 && mode.readsRegistries ? trialCommit(settings, mode, set, scanned).errors : []),
  ];
  if (fieldErrors.length > 0) {
    report.manifestErrors(fieldErrors);
    fail(fieldErrors, plural(fieldErrors.length, 'manifest error'));
  }
  if (mode.needsImages && set.entries.length === 0) {
    throw new Error(
      settings.plan === undefined
        ? `no image to ${settings.mode}: the manifests (${scanned.manifests.length} files) hold no image reference${settings.lock.length === 0 ? '' : ' and the lock names none'}`
        : `no image to ${settings.mode}: shard ${settings.plan.shard} of the plan has none`,
    );
  }

  return { scanned, set };
}

/**
 * The images inside the run's Helm charts, read from the charts' registries (in the modes that read
 * sources), as more entries; undefined when the run has no chart to read. A chart that cannot be read
 * fails the run at the line that names it, before any copy.
 */
export async function findChartImages(
  settings: Settings,
  mode: ModeFacts,
  set: ImageSet,
  registries: () => Registries,
  report: Report,
): Promise<ChartsFound | undefined> {
  if (!settings.charts || !mode.readsRegistries || mode.readsArchive || settings.plan !== undefined) return undefined;
  if (!set.entries.some((entry) => entry.fields.some((field) => field.kind === 'chart'))) return undefined;
  return report.group('Read charts', async () => {
    const { chartLine, readCharts, registryChartSource } = await import('./charts/read-charts.js');
    const { default: pLimit } = await import('p-limit');
    const found = await readCharts(set.entries, registryChartSource(registries()), {
      imageKeys: settings.imageKeys,
      naming: namingOf(settings, mode),
      // A chart is read whole in memory (at most 20 MiB, unzipped 100 MiB): a few at once.
      limit: pLimit(Math.min(4, settings.concurrency)),
    });
    if (found.errors.length > 0) {
      report.manifestErrors(found.errors);
      fail(found.errors, plural(found.errors.length, 'chart error'));
    }
    addPublicText(found.entries.flatMap((entry) => [entry.image, entry.source, entry.newImage]));
    for (const chart of found.charts) report.info(chartLine(chart));
    for (const chart of found.charts)
      for (const skipped of chart.skipped)
        report.info(`${chart.entry.source}: ${skipped.where}: ${quoted(skipped.value)} left alone (${skipped.reason})`);
    return found;
  });
}
