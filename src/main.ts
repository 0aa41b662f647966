// run(): settings -> find images -> the mode's work -> the commit point -> report, as phases. The one
// place that knows the order of things; finding the images is in find.ts, each mode in src/modes/, what
// the user sees in report.ts.
import { Repository } from './oci/repository.js';
import { commit, lockText, planCommit } from './commit.js';
import { holdingCancel } from './cancel.js';
import { withCharts } from './charts/chart-outcomes.js';
import { attestRun } from './attestation.js';
import { fail, findChartImages, findImages, targetsOf } from './find.js';
import { plural } from './format.js';
import type { ImageEntry } from './images.js';
import type { ImageField } from './manifests/field.js';
import { modes } from './modes/catalog.js';
import { loadMode } from './modes/index.js';
import type { WorkResult } from './result.js';
import { defaultPullPolicy } from './pull-policy.js';
import type { MirrorUse } from './registry/mirrors.js';
import type { Registries } from './registry/registries.js';
import { type Deadline, deadlineIn } from './registry/retry.js';
import { ManifestBudget } from './copy/budget.js';
import { Progress } from './progress.js';
import { type Report, describeSettings, failed, maskSecret, maskSecretInputs, phaseTitle, runnerReport } from './report.js';
import { outputsOf } from './outputs.js';
import { type Settings, loadSettings, refuseNoOp } from './settings.js';

/** Where a run reports (the log, annotations, outputs, the summary) and how it opens its registries. */
export interface PipelineDependencies {
  readonly report: Report;
  /** The registries' opener; unset, the runner's (loaded only by modes that talk to registries). */
  readonly openRegistries?: OpenRegistries;
  /** How often long work says how far it is (10 s on the runner). */
  readonly progressIntervalMs?: number;
}

type OpenRegistries = (settings: Settings, deadline: Deadline, report: Report, onRetry?: () => void) => Registries;

const onTheRunner: PipelineDependencies = { report: runnerReport };

export async function run(): Promise<void> {
  try {
    maskSecretInputs(process.env);
    const settings = loadSettings();
    // A key read from a file (or decoded) is masked as read, too.
    if (settings.attest?.key !== undefined) maskSecret(settings.attest.key.pem);
    describeSettings(settings);
    await pipeline(settings);
  } catch (error) {
    await failed(error);
  }
}

/** One run: find the images, the mode's work, the commit point, the report. Throws what fails the step. */
export async function pipeline(settings: Settings, dependencies: PipelineDependencies = onTheRunner): Promise<void> {
  const { report } = dependencies;
  refuseNoOp(settings);
  const deadline = deadlineIn(settings.timeoutMs, `timeout ${settings.timeoutText}`);
  // Each mode, and the registry client, is loaded when a run needs it: rewrite loads neither.
  const mode = await loadMode(settings.mode);
  const facts = modes[settings.mode];
  const open = dependencies.openRegistries ?? (facts.readsRegistries ? (await import('./open-registries.js')).openRegistries : undefined);
  const { scanned, set } = await findImages(settings, facts, report);

  let registries: Registries | undefined;
  const cleanup: (() => Promise<void>)[] = [];
  let progress: Progress | undefined;
  const registriesOf = (): Registries => {
    if (registries === undefined) {
      if (open === undefined) throw new Error(`${settings.mode} mode reads no registry`);
      registries = open(settings, deadline, report, () => progress?.retried());
      const opened = registries;
      cleanup.push(() => opened.close());
    }
    return registries;
  };
  try {
    const started = performance.now();
    const charts = await findChartImages(settings, facts, set, registriesOf, report);
    const entries = charts?.entries ?? set.entries;
    progress = new Progress(entries.length, report.info, dependencies.progressIntervalMs);
    if (facts.copies) progress.start();
    const shown = progress;
    cleanup.push(async () => shown.stop());
    const told = new Set<string>();
    const work = await report.group(phaseTitle(settings.mode, settings.dryRun), async () => {
      const done = await mode.run({
        settings,
        entries,
        registries: registriesOf,
        onCleanup: (step) => cleanup.push(step),
        budget: new ManifestBudget(settings.maxManifests),
        log: report.info,
        notice: report.notice,
        progress: shown,
        deadline: deadline.signal,
        // An image's line is printed as it is done: the order follows completion, the summary stays sorted.
        onImage: (outcome) => {
          told.add(outcome.image);
          report.imageLines(settings.mode, { ...emptyResult, outcomes: [outcome] }, settings.dryRun);
        },
      });
      shown.stop();
      report.imageLines(
        settings.mode,
        { ...done.result, outcomes: done.result.outcomes.filter((outcome) => !told.has(outcome.image)) },
        settings.dryRun,
      );
      report.shardLines(done.result.shards);
      for (const use of registries?.mirrorUses() ?? []) report.info(mirrorLine(use));
      report.totals(settings.mode, done.result, (performance.now() - started) / 1000, settings.dryRun, entries.length);
      return done;
    });
    const chartsRead = charts?.charts ?? work.charts;
    let result = chartsRead === undefined ? work.result : withCharts(work.result, chartsRead, settings, facts.writesLock);
    const seconds = (performance.now() - started) / 1000;
    const fieldOf = new Map(entries.map((entry) => [entry.image, entry.fields[0]]));
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
        images: entries.length,
      });
      fail(result.failures, `${plural(result.failures.length, 'image')} failed to ${settings.mode}`);
    }

    const plan = planCommit(scanned.manifests, facts.edits ? targetsOf(result.outcomes) : new Map(), {
      outputDir: settings.outputDir,
      kustomize: scanned.kustomize,
    });
    if (plan.errors.length > 0) {
      report.manifestErrors(plan.errors);
      fail(plan.errors, plural(plan.errors.length, 'manifest error'));
    }
    // Signed once nothing but the commit itself can fail: no certificate or log entry for a run that stops.
    const attested = await attestRun(settings, facts, result, entries, registriesOf, report, work.origins);
    result = attested?.result ?? result;
    const lock = lockText(result);
    const { writesLock } = facts;
    if (!settings.dryRun) {
      // A cancel that arrives now waits for the commit's last tag and file.
      await holdingCancel(
        () =>
          report.group('Commit', async () => {
            const done = await commit(
              plan,
              result,
              writesLock ? { file: settings.lockFile, text: lock } : undefined,
              work.tagger,
              settings.files,
              attested?.push,
            );
            const tagged = done.tags.map((put) => Repository.of(put).withTag(put.tag)).sort();
            for (const name of tagged) report.info(`tagged ${name}`);
            if (result.archive !== undefined) for (const file of result.archive.files) report.info(`wrote ${file}`);
            for (const file of done.files) report.info(`wrote ${file}`);
            if (writesLock) report.info(`wrote ${settings.lockFile}`);
          }),
        report.notice,
      );
      await work.finish?.();
    }

    warnAlwaysPulled(result, facts.edits, entries, report);
    report.outputs(outputsOf(settings, result, plan, writesLock ? lock : undefined));
    await report.writeSummary({ settings, result, plan, seconds, mirrors: registries?.mirrorUses() ?? [] });
  } finally {
    for (const step of cleanup.reverse()) await step();
  }
}

const emptyResult: WorkResult = { outcomes: [], failures: [], tags: [], extraLock: [] };

/** What came through a mirror, as a log line. */
function mirrorLine(use: MirrorUse): string {
  return `${use.registry} through ${use.mirror}: ${use.repositories.join(', ')}`;
}

/** Containers whose image Kubernetes would pull on every start (`:latest` or untagged, no imagePullPolicy). */
function warnAlwaysPulled(result: WorkResult, edits: boolean, entries: readonly ImageEntry[], report: Report): void {
  const byImage = new Map(entries.map((entry) => [entry.image, entry]));
  const unpinned: { field: ImageField; image: string }[] = [];
  for (const { image, newImage } of result.outcomes) {
    // What a field holds after the commit: the new name where the mode edits the manifests.
    const written = edits ? newImage : image;
    if (defaultPullPolicy(written) !== 'Always') continue;
    for (const field of byImage.get(image)?.fields ?? []) if (field.pullPolicyDefaulted) unpinned.push({ field, image: written });
  }
  report.alwaysPulled(unpinned);
}
