// run(): settings -> find images -> the mode's work -> the commit point -> report. The one place that
// knows the order of things; what each mode does is in src/modes/.
import { kindCounts } from './copy/artifacts.js';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { type CommitPlan, commit, lockText, planCommit } from './commit.js';
import { type ImageEntry, type ImageSet, collectImages, destinationName } from './images.js';
import { mergeLocks, parseLock } from './lock.js';
import { inputFiles } from './manifests/files.js';
import { readPlan } from './shards.js';
import type { ImageField } from './manifests/field.js';
import type { Target } from './manifests/kinds/target.js';
import { type Scan, scanManifests } from './manifests/scan.js';
import { KustomizeTree } from './manifests/kustomize-render.js';
import { loadMode } from './modes/index.js';
import type { Mode } from './modes/mode.js';
import type { WorkResult } from './result.js';
import { defaultPullPolicy } from './pull-policy.js';
import { parseReferenceParts, pinnedReference, tagOf } from './reference.js';
import type { MirrorUse } from './registry/mirrors.js';
import type { Registries } from './registry/registries.js';
import { type Deadline, deadlineIn } from './registry/retry.js';
import { ManifestBudget } from './copy/budget.js';
import { Progress } from './progress.js';
import { plural } from './format.js';
import { addPublicText } from './secret-text.js';
import * as reporter from './report.js';
import { type Settings, SettingsError, loadSettings } from './settings.js';

function describeSettings(settings: Settings, report: Report): void {
  report.info(`mode: ${settings.mode}${settings.dryRun ? ' (dry run: nothing is written or pushed)' : ''}`);
  report.info(`workspace: ${settings.workspace}`);
  report.info(`manifests: ${settings.manifestPatterns.join(', ')}`);
  if (settings.repository !== '') report.info(`repository: ${settings.repository} (every image into this one repository)`);
  if (settings.repository !== '' && settings.defaultRepo !== '')
    report.info(`default-repo ${settings.defaultRepo} (from ${settings.defaultRepoSource}) is not used: repository takes precedence`);
  else if (settings.defaultRepo !== '') report.info(`default-repo: ${settings.defaultRepo} (from ${settings.defaultRepoSource})`);
  else report.info('default-repo: none, names are kept');
  if (settings.multiLevel !== undefined) report.info(`multi-level-repo: ${settings.multiLevel}`);
  if (settings.insecureRegistries.length > 0) report.info(`insecure registries: ${settings.insecureRegistries.join(', ')}`);
  for (const [registry, mirrors] of settings.registryMirrors) report.info(`${registry} is read through ${mirrors.join(', then ')} first`);
  for (const notice of settings.notices) report.notice(notice);
  if (settings.insecureFromCheckout !== undefined) {
    const { file, registries } = settings.insecureFromCheckout;
    report.notice(
      `${file} in the checkout lists ${registries.join(', ')} as insecure (TLS unverified, plain HTTP allowed); ferry refuses that for a registry it has credentials for, unless the insecure-registries input names it`,
    );
  }
}

/** The `lock` input's files (paths or globs), read and merged; and their real paths, never manifests. */
async function readOverrides(settings: Settings, report: Report): Promise<{ overrides: Map<string, string>; files: string[] }> {
  if (settings.lock.length === 0) return { overrides: new Map(), files: [] };
  const files = await inputFiles(settings.files, 'lock', settings.lock);
  const locks = files.map((file) => ({
    name: file.name,
    overrides: parseLock(file.name, settings.files.read('lock', file.real, settings.maxManifestBytes).toString('utf8')),
  }));
  if (locks.length > 1) report.info(`lock: ${locks.length} files merged (${locks.map(({ name }) => name).join(', ')})`);
  return { overrides: mergeLocks(locks), files: files.flatMap((file) => [file.path, file.real]) };
}

/** A shard run's images: those the plan puts in that shard, pinned as planned; no manifest is touched. */
function shardEntries(settings: Settings, mode: Mode, planFile: { file: string; shard: number }): ImageEntry[] {
  const name = path.relative(settings.workspace, planFile.file) || planFile.file;
  const planned = readPlan(name, settings.files.read('plan', planFile.file, settings.maxManifestBytes).toString('utf8'));
  if (!planned.shards.some((shard) => shard.shard === planFile.shard)) {
    throw new Error(`shard: ${planFile.shard} is not a shard of ${name} (it has ${planned.shards.length})`);
  }
  const naming = {
    defaultRepo: mode.keepsNames ? '' : settings.defaultRepo,
    multiLevel: settings.multiLevel,
    repository: mode.keepsNames ? '' : settings.repository,
  };
  return planned.images
    .filter((image) => image.shard === planFile.shard)
    .map((image) => ({ image: image.image, source: image.source, newImage: destinationName(image.source, naming), fields: [] }));
}

const noScan: Scan = { manifests: [], kustomize: new KustomizeTree(new Map()), errors: [], placeholders: [], skipped: [], locks: [] };

async function scan(settings: Settings, lockFiles: readonly string[], report: Report): Promise<Scan> {
  return report.group('Find image references', async () => {
    const result = await scanManifests({
      files: settings.files,
      maxManifestBytes: settings.maxManifestBytes,
      patterns: settings.manifestPatterns,
      imageKeys: settings.imageKeys,
      exclude: [settings.lockFile, settings.planFile, ...lockFiles],
      excludeDirectory: settings.outputDir,
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
function fail(errors: readonly { message: string }[], what: string): never {
  const [first] = errors;
  throw new Error(`${what}, nothing was written; first: ${first?.message}`);
}

/** The target each image's fields are asked to give: from the mode's outcomes, or (before any registry work) as planned. */
function targetsOf(outcomes: readonly { image: string; newImage: string; tag: string | undefined }[]): Map<string, Target> {
  return new Map(outcomes.map(({ image, newImage, tag }) => [image, { image: newImage, tag }]));
}

/**
 * What the commit would be if every image pinned to a digest of its own: catches a name no field can
 * hold, and a field two kustomize roots need to become two things, before any push.
 */
function trialCommit(settings: Settings, mode: Mode, set: ImageSet, scanned: Scan): CommitPlan {
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

/** Where a run reports (the log, annotations, outputs, the summary) and how it opens its registries. */
export interface PipelineDependencies {
  readonly report: Report;
  /** The registries' opener; unset, the runner's (loaded only by modes that talk to registries). */
  readonly openRegistries?: OpenRegistries;
  /** How often long work says how far it is (10 s on the runner). */
  readonly progressIntervalMs?: number;
}

type Report = typeof reporter;
type OpenRegistries = (settings: Settings, deadline: Deadline, report: Report, onRetry?: () => void) => Registries;

const onTheRunner: PipelineDependencies = { report: reporter };

export async function run(): Promise<void> {
  try {
    const settings = loadSettings();
    describeSettings(settings, reporter);
    await pipeline(settings);
  } catch (error) {
    await reporter.failed(error);
  }
}

/** One run: find the images, the mode's work, the commit point, the report. Throws what fails the step. */
export async function pipeline(settings: Settings, dependencies: PipelineDependencies = onTheRunner): Promise<void> {
  const { report } = dependencies;
  refuseNoOp(settings);
  const deadline = deadlineIn(settings.timeoutMs, `timeout ${settings.timeoutText}`);
  // Each mode, and the registry client, is loaded when a run needs it: rewrite loads neither.
  const mode = await loadMode(settings.mode);
  const open =
    dependencies.openRegistries ?? (settings.mode === 'rewrite' ? undefined : (await import('./open-registries.js')).openRegistries);
  const { overrides, files: lockFiles } = await readOverrides(settings, report);
  if (settings.plan !== undefined)
    report.info(`plan: ${settings.plan.file}, shard ${settings.plan.shard}: its images only, no manifest is written`);
  const scanned = settings.plan === undefined ? await scan(settings, lockFiles, report) : noScan;
  const planned = settings.plan === undefined ? undefined : shardEntries(settings, mode, settings.plan);
  const collected = collectImages(
    scanned.manifests.flatMap((manifest) => manifest.fields),
    {
      defaultRepo: mode.keepsNames ? '' : settings.defaultRepo,
      multiLevel: settings.multiLevel,
      repository: mode.keepsNames ? '' : settings.repository,
      overrides,
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
    ...(set.errors.length === 0 && settings.mode !== 'rewrite' ? trialCommit(settings, mode, set, scanned).errors : []),
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

  let registries: Registries | undefined;
  const cleanup: (() => Promise<void>)[] = [];
  try {
    const started = performance.now();
    const progress = new Progress(set.entries.length, report.info, dependencies.progressIntervalMs);
    if (settings.mode === 'relocate' || settings.mode === 'package' || settings.mode === 'unpackage') progress.start();
    cleanup.push(async () => progress.stop());
    const told = new Set<string>();
    const work = await report.group(report.phaseTitle(settings.mode, settings.dryRun), async () => {
      const done = await mode.run({
        settings,
        entries: set.entries,
        registries: () => {
          if (registries === undefined) {
            if (open === undefined) throw new Error(`${settings.mode} mode reads no registry`);
            registries = open(settings, deadline, report, () => progress.retried());
            const opened = registries;
            cleanup.push(() => opened.close());
          }
          return registries;
        },
        onCleanup: (step) => cleanup.push(step),
        budget: new ManifestBudget(settings.maxManifests),
        log: report.info,
        notice: report.notice,
        progress,
        deadline: deadline.signal,
        // An image's line is printed as it is done: the order follows completion, the summary stays sorted.
        onImage: (outcome) => {
          told.add(outcome.image);
          report.imageLines(settings.mode, { ...emptyResult, outcomes: [outcome] }, settings.dryRun);
        },
      });
      progress.stop();
      report.imageLines(
        settings.mode,
        { ...done.result, outcomes: done.result.outcomes.filter((outcome) => !told.has(outcome.image)) },
        settings.dryRun,
      );
      report.shardLines(done.result.shards);
      for (const use of registries?.mirrorUses() ?? []) report.info(mirrorLine(use));
      report.totals(settings.mode, done.result, (performance.now() - started) / 1000, settings.dryRun, set.entries.length);
      return done;
    });
    const { result } = work;
    const seconds = (performance.now() - started) / 1000;
    const fieldOf = new Map(set.entries.map((entry) => [entry.image, entry.fields[0]]));
    if (result.warnings !== undefined && result.warnings.length > 0)
      report.unverified(result.warnings.map((warning) => ({ field: fieldOf.get(warning.image), message: warning.message })));
    if (result.failures.length > 0) {
      report.imageFailures(
        result.failures.map((failure) => ({ field: fieldOf.get(failure.image), image: failure.image, message: failure.message })),
      );
      if (deadline.signal.aborted)
        report.notice(`The run's deadline (${deadline.describe}) passed before its commit point: nothing was written or tagged.`);
      report.completeUntagged(settings, result);
      await report.writeSummary({
        settings,
        result,
        seconds,
        failed: deadline.signal.aborted ? { deadline: deadline.describe } : {},
        images: set.entries.length,
      });
      fail(result.failures, `${plural(result.failures.length, 'image')} failed to ${settings.mode}`);
    }

    const plan = planCommit(scanned.manifests, result.edit ? targetsOf(result.outcomes) : new Map(), {
      outputDir: settings.outputDir,
      kustomize: scanned.kustomize,
    });
    if (plan.errors.length > 0) {
      report.manifestErrors(plan.errors);
      fail(plan.errors, plural(plan.errors.length, 'manifest error'));
    }
    const lock = lockText(result);
    const writesLock = mode.writesLock !== false;
    if (!settings.dryRun) {
      await report.group('Commit', async () => {
        const done = await commit(
          plan,
          result,
          writesLock ? { file: settings.lockFile, text: lock } : undefined,
          work.tagger,
          settings.files,
        );
        const tagged = done.tags.map((put) => `${put.registry}/${put.repository}:${put.tag}`).sort();
        for (const name of tagged) report.info(`tagged ${name}`);
        if (result.archive !== undefined) report.info(`wrote ${result.archive.file}`);
        for (const file of done.files) report.info(`wrote ${file}`);
        if (writesLock) report.info(`wrote ${settings.lockFile}`);
      });
      await work.finish?.();
    }

    warnAlwaysPulled(result, set.entries, report);
    report.outputs({
      // A dry run names no lock file it did not write; the lock's text is what it would hold.
      ...(writesLock ? { lock, ...(settings.dryRun ? {} : { lockFile: settings.lockFile }) } : {}),
      ...(result.outputs === undefined ? {} : { extra: result.outputs }),
      images: result.outcomes.map(({ image, newImage, copy, verified }) => ({
        image,
        newImage,
        digest: parseReferenceParts(newImage).digest ?? null,
        ...(copy === undefined ? {} : { artifacts: kindCounts(copy.artifacts) }),
        ...(copy?.filteredFrom === undefined ? {} : { filteredFrom: copy.filteredFrom }),
        ...(verified === undefined
          ? {}
          : {
              verified: {
                by: verified.by,
                kind: verified.kind,
                ...(verified.predicateType === undefined ? {} : { predicateType: verified.predicateType }),
              },
            }),
      })),
      manifests: settings.dryRun ? [] : plan.writes.map((write) => write.path),
      ...(result.archive === undefined || settings.dryRun ? {} : { archive: result.archive.file }),
      changed: plan.changed,
    });
    await report.writeSummary({ settings, result, plan, seconds, mirrors: registries?.mirrorUses() ?? [] });
  } finally {
    for (const step of cleanup.reverse()) await step();
  }
}

const emptyResult: WorkResult = { outcomes: [], failures: [], tags: [], edit: false, extraLock: [] };

/** Relocating onto the names images already have copies nothing: that is resolve, and a setting is missing. */
function refuseNoOp(settings: Settings): void {
  if (settings.mode === 'relocate' && settings.defaultRepo === '' && settings.repository === '' && settings.lock.length === 0) {
    throw new SettingsError(
      'default-repo',
      "relocate needs a destination: set default-repo or repository (or SKAFFOLD_DEFAULT_REPO, or a default repo in Skaffold's global config), or name a lock whose images to copy onto the names in the manifests; to pin tags to digests in place, use mode: resolve",
    );
  }
}

/** What came through a mirror, as a log line. */
function mirrorLine(use: MirrorUse): string {
  return `${use.registry} through ${use.mirror}: ${use.repositories.join(', ')}`;
}

/** Containers whose image Kubernetes would pull on every start (`:latest` or untagged, no imagePullPolicy). */
function warnAlwaysPulled(result: WorkResult, entries: readonly ImageEntry[], report: Report): void {
  const byImage = new Map(entries.map((entry) => [entry.image, entry]));
  const unpinned: { field: ImageField; image: string }[] = [];
  for (const { image, newImage } of result.outcomes) {
    const written = result.edit ? newImage : image;
    if (defaultPullPolicy(written) !== 'Always') continue;
    for (const field of byImage.get(image)?.fields ?? []) if (field.pullPolicyDefaulted) unpinned.push({ field, image: written });
  }
  report.alwaysPulled(unpinned);
}
