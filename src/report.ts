// Everything the user sees: log groups, annotations, the job summary, step outputs, secrets.
import * as core from '@actions/core';
import type { ImageField } from './manifests/locate.js';
import { ManifestError } from './manifests/locate.js';

/** GitHub shows a limited number of annotations; past these, ferry says how many more there were. */
const maxAnnotations = 50;
const maxSummaryRows = 500;

export function group<T>(name: string, work: () => Promise<T>): Promise<T> {
  return core.group(name, work);
}

export const info = (message: string): void => core.info(message);
export const notice = (message: string): void => core.notice(message);

/** Registers a credential or token with the runner so that it is masked in every later log line. */
export function secret(value: string): void {
  if (value !== '') core.setSecret(value);
}

export function manifestErrors(errors: readonly ManifestError[]): void {
  errors
    .slice(0, maxAnnotations)
    .forEach((error) => core.error(error.reason, { title: 'ferry', file: error.file, startLine: error.line, startColumn: error.column }));
  if (errors.length > maxAnnotations) core.error(`${errors.length - maxAnnotations} more errors not shown`);
}

/** Fields Kubernetes would pull on every start because they are `:latest` or untagged (seed: avoid in production). */
export function alwaysPulled(fields: readonly { field: ImageField; image: string }[]): void {
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

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"]/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[character] ?? character);

export async function summary(
  title: string,
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  notes: readonly string[],
): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  const table = [
    headers.map((data) => ({ data, header: true })),
    ...rows
      .slice(0, maxSummaryRows)
      .map((row) => row.map((cell, index) => (index === 0 ? escapeHtml(cell) : `<code>${escapeHtml(cell)}</code>`))),
  ];
  const text = core.summary.addHeading(title, 2).addTable(table);
  if (rows.length > maxSummaryRows) text.addRaw(`<p>${rows.length - maxSummaryRows} more rows not listed.</p>`, true);
  for (const note of notes) text.addRaw(`<p>${escapeHtml(note)}</p>`, true);
  await text.write();
}

/** Images whose registry work failed, annotated at the first place each is used. */
export function imageFailures(failures: readonly { field: ImageField | undefined; message: string }[]): void {
  failures
    .slice(0, maxAnnotations)
    .forEach(({ field, message }) =>
      core.error(
        message,
        field === undefined ? { title: 'ferry' } : { title: 'ferry', file: field.file, startLine: field.line, startColumn: field.column },
      ),
    );
  if (failures.length > maxAnnotations) core.error(`${failures.length - maxAnnotations} more failures not shown`);
}

export interface Outputs {
  readonly lockFile: string;
  readonly lock: string;
  readonly images: readonly { image: string; newImage: string; digest: string | null }[];
  readonly manifests: readonly string[];
  readonly archive?: string;
  readonly changed: boolean;
}

export function outputs(values: Outputs): void {
  core.setOutput('lock-file', values.lockFile);
  core.setOutput('lock', values.lock);
  core.setOutput('images', JSON.stringify(values.images));
  core.setOutput('manifests', values.manifests.join('\n'));
  if (values.archive !== undefined) core.setOutput('archive', values.archive);
  core.setOutput('changed', String(values.changed));
}

export function failed(error: unknown): void {
  core.setFailed(error instanceof Error ? error.message : String(error));
}
