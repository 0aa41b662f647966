// Everything the user sees: log groups, annotations, the job summary, step outputs, secrets.
import { artifactCounts } from './copy/artifacts.js';
import { type ModeName, modes } from './modes/catalog.js';
import { type SummaryInput, failureText, summaryText } from './summary.js';
import { bytes, plural } from './format.js';
import * as core from '@actions/core';
import type { ManifestError, Placeholder, Position } from './manifests/field.js';
import type { SkippedFile } from './manifests/scan.js';
import { type CopySummary, type WorkResult, distinctCopies, moved, pushedUntagged } from './result.js';
import { type ShardTotal, shardShares } from './shards.js';
import type { Settings } from './settings.js';
import { logText, quoted } from './untrusted-text.js';
import type { Outputs } from './outputs.js';
import { maskableToken } from './secret-text.js';

/** GitHub shows a limited number of annotations; past these, ferry says how many more there were. */
const maxAnnotations = 50;

export function group<T>(name: string, work: () => Promise<T>): Promise<T> {
  return core.group(name, work);
}

/** A log line: untrusted text in it is escaped (untrusted-text.ts); annotations and notices are workflow commands @actions/core escapes. */
export const info = (message: string): void => core.info(logText(message));
export const notice = (message: string): void => core.notice(message);

/** Registers a credential with the runner so that it is masked in every later log line. */
export function secret(value: string): void {
  if (value === '' || masked.has(value)) return;
  masked.add(value);
  core.setSecret(value);
}

/**
 * Registers a secret's text and each line of it (a line of a PEM block may be written alone), before
 * anything reads it.
 */
export function maskSecret(text: string): void {
  const value = text.trim();
  if (value === '') return;
  secret(value);
  for (const line of value.split(/\r?\n/)) if (line.trim().length >= 16 && !line.trim().startsWith('-----')) secret(line.trim());
}

/** The inputs that hold secrets (the attest-key), whatever form they take: masked before settings read them. */
export function maskSecretInputs(env: NodeJS.ProcessEnv): void {
  maskSecret(env['INPUT_ATTEST-KEY'] ?? '');
}

/**
 * Registers a token a registry handed out, unless it would mask the run's own text instead (a word,
 * a digest, a fragment of the outputs: secret-text.ts).
 */
export function tokenSecret(value: string): void {
  if (maskableToken(value)) secret(value);
}

/** Each secret is registered once: the runner masks it for the rest of the job. */
const masked = new Set<string>();

export function manifestErrors(errors: readonly ManifestError[]): void {
  errors
    .slice(0, maxAnnotations)
    .forEach((error) => core.error(error.reason, { title: 'ferry', file: error.file, startLine: error.line, startColumn: error.column }));
  if (errors.length > maxAnnotations) core.error(`${errors.length - maxAnnotations} more errors not shown`);
}

/** Values left alone because they are not references yet: one notice each, at the value. */
export function placeholders(found: readonly Placeholder[]): void {
  found.slice(0, maxAnnotations).forEach((placeholder) =>
    core.notice(`${quoted(placeholder.value)} is left as it is: ${placeholder.reason}`, {
      title: 'ferry: not an image reference yet',
      file: placeholder.file,
      startLine: placeholder.line,
      startColumn: placeholder.column,
    }),
  );
  if (found.length > maxAnnotations) core.notice(`${found.length - maxAnnotations} more placeholders left as they are`);
}

/** Files that are templates rather than YAML, left alone. */
export function skippedFiles(files: readonly SkippedFile[]): void {
  files.slice(0, maxAnnotations).forEach(({ file, reason }) => core.notice(`skipped: ${reason}`, { title: 'ferry: not a manifest', file }));
  if (files.length > maxAnnotations) core.notice(`${files.length - maxAnnotations} more template files skipped`);
}

/** Fields Kubernetes would pull on every start because they are `:latest` or untagged (Kubernetes' advice: avoid in production). */
export function alwaysPulled(fields: readonly { field: Position; image: string }[]): void {
  fields
    .slice(0, maxAnnotations)
    .forEach(({ field, image }) =>
      core.warning(
        `${image} is pulled with imagePullPolicy Always because it is :latest or has no tag: pin a tag or digest so every node runs the same code`,
        { title: 'ferry: unpinned image', file: field.file, startLine: field.line, startColumn: field.column },
      ),
    );
  if (fields.length > maxAnnotations) core.warning(`${fields.length - maxAnnotations} more unpinned images not annotated`);
}

/**
 * The images that failed: each an annotation at its own field (the first place it is used), so every
 * refused image is marked where a person reads it; a reason several images share is said once more in
 * the log with the images it held back.
 */
export function imageFailures(failures: readonly { field: Position | undefined; image: string; message: string }[]): void {
  failures
    .slice(0, maxAnnotations)
    .forEach(({ field, message }) =>
      core.error(
        message,
        field === undefined ? { title: 'ferry' } : { title: 'ferry', file: field.file, startLine: field.line, startColumn: field.column },
      ),
    );
  if (failures.length > maxAnnotations) core.error(`${failures.length - maxAnnotations} more failures not shown`);
  const byReason = new Map<string, string[]>();
  for (const { image, message } of failures) {
    const reason = message.startsWith(`${image}: `) ? message.slice(image.length + 2) : message;
    byReason.set(reason, [...(byReason.get(reason) ?? []), image]);
  }
  for (const [reason, images] of byReason)
    if (images.length > 1) info(`${images.length} images failed for one reason: ${reason} (${images.join(', ')})`);
}

/** verify-mode warn: each image that did not verify, a warning at the first place it is used; the run goes on. */
export function unverified(warnings: readonly { field: Position | undefined; message: string }[]): void {
  warnings
    .slice(0, maxAnnotations)
    .forEach(({ field, message }) =>
      core.warning(
        message,
        field === undefined
          ? { title: 'ferry: not verified' }
          : { title: 'ferry: not verified', file: field.file, startLine: field.line, startColumn: field.column },
      ),
    );
  if (warnings.length > maxAnnotations) core.warning(`${warnings.length - maxAnnotations} more unverified images not annotated`);
}

export function outputs(values: Outputs): void {
  if (values.lockFile !== undefined) core.setOutput('lock-file', values.lockFile);
  if (values.lock !== undefined) core.setOutput('lock', values.lock);
  for (const [name, value] of Object.entries(values.extra ?? {})) core.setOutput(name, value);
  core.setOutput('images', JSON.stringify(values.images));
  if (values.attestations !== undefined) core.setOutput('attestations', JSON.stringify(values.attestations));
  // A JSON list: a file name cannot forge an entry the way it could in a newline-separated one.
  core.setOutput('manifests', JSON.stringify(values.manifests));
  if (values.archive !== undefined) core.setOutput('archive', values.archive);
  if (values.archiveFiles !== undefined) core.setOutput('archive-files', JSON.stringify(values.archiveFiles));
  core.setOutput('changed', String(values.changed));
}

export function phaseTitle(mode: ModeName, dryRun: boolean): string {
  return `${modes[mode].title}${dryRun ? ' (dry run)' : ''}`;
}

/**
 * What moved for one image, in words: copied, skipped, mounted, or already there. A blob an archive
 * did not fetch was written by an earlier run, or copied from the blob store, or left out of a delta.
 */
function copyWords(copy: CopySummary, dryRun: boolean, archive = false): string {
  if (copy.present) return 'already there';
  const parts = [`${dryRun ? 'would copy' : 'copied'} ${plural(copy.blobsCopied, 'blob')} (${bytes(copy.bytesCopied)})`];
  if (copy.blobsSkipped > 0) parts.push(`${copy.blobsSkipped} ${archive ? 'not fetched' : 'already there'}`);
  if (copy.blobsMounted > 0) parts.push(`${copy.blobsMounted} mounted`);
  if (copy.foreignLayers > 0) parts.push(`${copy.foreignLayers} foreign left where they are`);
  return parts.join(', ');
}

/** What travelled with an image, in words, for its log line. */
function travelWords(copy: CopySummary): string {
  const travelled = artifactCounts(copy.artifacts);
  return travelled === '' ? '' : `; with it ${travelled}`;
}

/** A platform filter changes the digest: signatures made for the source's index do not cover the new one. */
function filterWarning(image: string, copy: CopySummary): void {
  if (copy.filteredFrom === undefined) return;
  core.warning(
    logText(
      `${image}: the platforms input gives ${copy.platforms.join(', ')} of ${copy.filteredFrom}, under a new digest; signatures and attestations made for ${copy.filteredFrom} do not cover it`,
    ),
    { title: 'ferry: platform filter' },
  );
}

/** One line per image for its phase: what happened to it. */
export function imageLines(mode: ModeName, result: WorkResult, dryRun: boolean): void {
  for (const outcome of result.outcomes) {
    const { image, newImage, digest, copy } = outcome;
    if (copy === undefined) {
      if (!modes[mode].pins) info(image === newImage ? `${image}: kept` : `${image} -> ${newImage}`);
      else info(`${image}: pinned to ${digest ?? newImage}`);
    } else if (copy.destination === 'archive') {
      info(
        `${image}: ${digest}, ${copy.present ? 'in the archive already' : copyWords(copy, dryRun, true).replace(/^(would copy|copied)/, dryRun ? 'would archive' : 'archived')}${travelWords(copy)}`,
      );
      filterWarning(image, copy);
    } else {
      info(`${image} -> ${copy.destination}@${digest}: ${copyWords(copy, dryRun)}${travelWords(copy)}`);
      filterWarning(image, copy);
    }
  }
  for (const failure of result.failures) info(`${failure.image}: failed`);
}

/** plan mode: a line per shard (images, bytes, share of the total) and the balance. */
export function shardLines(shards: readonly ShardTotal[] | undefined): void {
  if (shards === undefined || shards.length === 0) return;
  const { shares, balance } = shardShares(shards);
  for (const { shard, share } of shares)
    info(`shard ${shard.shard}: ${plural(shard.images, 'image')}, ${bytes(shard.bytes)} (${(share * 100).toFixed(0)}% of the bytes)`);
  info(`balance: the largest shard is ${balance.toFixed(2)}x the mean`);
}

/** The totals line: images, blobs and bytes that crossed the wire (a blob shared by two references once), and time. */
export function totals(mode: ModeName, result: WorkResult, seconds: number, dryRun: boolean, images: number): void {
  const failed = result.failures.length > 0 ? `, ${result.failures.length} failed` : '';
  const total = moved(result.outcomes);
  // Only what happened: an archive has nothing "already there" or mounted; its blob store serves what it holds.
  const archive = modes[mode].writesArchive;
  const parts = [
    `${plural(total.blobsCopied, 'blob')} (${bytes(total.bytesCopied)}) ${dryRun ? 'would be ' : ''}${archive ? 'archived' : 'copied'}`,
  ];
  if (total.blobsSkipped > 0)
    parts.push(
      archive
        ? `${total.blobsSkipped} not fetched (in the blob store, written by a stopped run, or held by the site)`
        : `${total.blobsSkipped} already there`,
    );
  if (total.blobsMounted > 0) parts.push(`${total.blobsMounted} mounted`);
  if (total.imagesPresent > 0) parts.push(`${plural(total.imagesPresent, 'image')} already there`);
  const words = distinctCopies(result.outcomes).length === 0 ? '' : `: ${parts.join(', ')}`;
  // Every image in play, failed ones and those a failure held back included, as the summary's "1 image of 8" counts them.
  const inPlay = Math.max(images, result.outcomes.length + result.failures.length);
  info(`${mode}: ${plural(inPlay, 'image')}${failed}${words}, in ${seconds.toFixed(1)} s`);
}

/**
 * After a failed run: the images that are complete at their destination, pushed by digest and left
 * untagged because the commit point was not reached. A re-run skips them and finishes the set.
 */
export function completeUntagged(settings: Settings, result: WorkResult): void {
  const pushed = pushedUntagged(result.outcomes);
  if (pushed.length === 0 || settings.dryRun) return;
  const list = pushed.map((outcome) => `${outcome.image} -> ${outcome.copy?.destination}@${outcome.digest}`);
  core.notice(
    `${pushed.length} image${pushed.length === 1 ? ' is' : 's are'} complete at the destination, pushed by digest and untagged (the commit point was not reached): ${list.join(', ')}. A re-run skips them and finishes the set.`,
    { title: 'ferry: complete, untagged' },
  );
}

/**
 * Fails the step. A failure that came before the summary was written (a setting, a manifest, no image
 * at all) is written there too: a person opening the run's page sees why, not an empty summary.
 */
export async function failed(error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  core.setFailed(message);
  if (!summaryWritten && process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(failureText(message), true).write();
}

/** Whether this run wrote its job summary already. */
let summaryWritten = false;

/** Writes the job summary (GitHub renders it on the run's page). */
export async function writeSummary(input: SummaryInput): Promise<void> {
  summaryWritten = true;
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(summaryText(input), true).write();
}

/** What the run is about to do, as the settings say it: the log's first lines, and the notices of settings. */
export function describeSettings(settings: Settings): void {
  info(`mode: ${settings.mode}${settings.dryRun ? ' (dry run: nothing is written or pushed)' : ''}`);
  info(`workspace: ${settings.workspace}`);
  info(`manifests: ${settings.manifestPatterns.join(', ')}`);
  if (settings.repository !== '') info(`repository: ${settings.repository} (every image into this one repository)`);
  if (settings.repository !== '' && settings.defaultRepo !== '')
    info(`default-repo ${settings.defaultRepo} (from ${settings.defaultRepoSource}) is not used: repository takes precedence`);
  else if (settings.defaultRepo !== '') info(`default-repo: ${settings.defaultRepo} (from ${settings.defaultRepoSource})`);
  else info('default-repo: none, names are kept');
  if (settings.multiLevel !== undefined) info(`multi-level-repo: ${settings.multiLevel}`);
  if (settings.insecureRegistries.length > 0) info(`insecure registries: ${settings.insecureRegistries.join(', ')}`);
  for (const [registry, mirrors] of settings.registryMirrors) info(`${registry} is read through ${mirrors.join(', then ')} first`);
  for (const message of settings.notices) notice(message);
  if (settings.insecureFromCheckout !== undefined) {
    const { file, registries } = settings.insecureFromCheckout;
    notice(
      `${file} in the checkout lists ${registries.join(', ')} as insecure (TLS unverified, plain HTTP allowed); ferry refuses that for a registry it has credentials for, unless the insecure-registries input names it`,
    );
  }
}

/**
 * Where a run reports: the log, annotations, step outputs, the summary and the runner's masking. The
 * runner's is `runnerReport`; a test implements its own to record what a run says.
 */
export interface Report {
  /** The job's OIDC token for `audience` (keyless signing): the runner's, through @actions/core. */
  readonly idToken: (audience: string) => Promise<string>;
  readonly info: (message: string) => void;
  readonly notice: (message: string) => void;
  readonly group: typeof group;
  readonly secret: typeof secret;
  readonly tokenSecret: typeof tokenSecret;
  readonly manifestErrors: typeof manifestErrors;
  readonly placeholders: typeof placeholders;
  readonly skippedFiles: typeof skippedFiles;
  readonly alwaysPulled: typeof alwaysPulled;
  readonly imageFailures: typeof imageFailures;
  readonly unverified: typeof unverified;
  readonly imageLines: typeof imageLines;
  readonly shardLines: typeof shardLines;
  readonly totals: typeof totals;
  readonly completeUntagged: typeof completeUntagged;
  readonly outputs: typeof outputs;
  readonly writeSummary: typeof writeSummary;
}

/** The runner's report: workflow commands through @actions/core. */
export const runnerReport: Report = {
  idToken: (audience) => core.getIDToken(audience),
  info,
  notice,
  group,
  secret,
  tokenSecret,
  manifestErrors,
  placeholders,
  skippedFiles,
  alwaysPulled,
  imageFailures,
  unverified,
  imageLines,
  shardLines,
  totals,
  completeUntagged,
  outputs,
  writeSummary,
};
