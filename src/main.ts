// run(): settings, the pipeline of the chosen mode, outputs. The one place that knows the modes.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { formatLock, parseLock } from './lock.js';
import { type Edit, applyEdits } from './manifests/edit.js';
import { type PendingWrite, commitFiles } from './manifests/files.js';
import type { ImageField } from './manifests/locate.js';
import { type Manifest, scanManifests } from './manifests/scan.js';
import { type PlanEntry, planImages } from './plan.js';
import { defaultPullPolicy } from './pull-policy.js';
import { parseReferenceParts } from './reference.js';
import * as report from './report.js';
import { type Settings, loadSettings } from './settings.js';

/** Not yet built: these modes need the registry client (issues 3 to 5). */
const registryModes = new Set(['resolve', 'relocate', 'package', 'unpackage']);

function describeSettings(settings: Settings): void {
  report.info(`mode: ${settings.mode}${settings.dryRun ? ' (dry run: nothing is written)' : ''}`);
  report.info(`workspace: ${settings.workspace}`);
  report.info(`manifests: ${settings.manifestPatterns.join(', ')}`);
  if (settings.repository !== '') report.info(`repository: ${settings.repository} (every image into this one repository)`);
  else if (settings.defaultRepo !== '') report.info(`default-repo: ${settings.defaultRepo} (from ${settings.defaultRepoSource})`);
  else report.info('default-repo: none, names are kept');
  if (settings.multiLevel !== undefined) report.info(`multi-level-repo: ${settings.multiLevel}`);
  if (settings.insecureRegistries.length > 0) report.info(`insecure registries: ${settings.insecureRegistries.join(', ')}`);
}

async function readOverrides(settings: Settings): Promise<Map<string, string>> {
  if (settings.lock === undefined) return new Map();
  const name = path.relative(settings.workspace, settings.lock) || settings.lock;
  return parseLock(name, await readFile(settings.lock, 'utf8'));
}

/** Where a manifest's new text goes: in place, or mirrored under output-dir. */
function destinationOf(settings: Settings, manifest: Manifest): string {
  return settings.outputDir === undefined ? manifest.path : path.join(settings.outputDir, ...manifest.name.split('/'));
}

function editsByFile(entries: readonly PlanEntry[]): Map<string, Edit[]> {
  const edits = new Map<string, Edit[]>();
  for (const entry of entries) {
    for (const field of entry.fields) {
      if (field.value === entry.newImage) continue;
      const list = edits.get(field.file) ?? [];
      list.push({ field, value: entry.newImage });
      edits.set(field.file, list);
    }
  }
  return edits;
}

export async function run(): Promise<void> {
  try {
    const settings = loadSettings();
    describeSettings(settings);
    if (registryModes.has(settings.mode)) {
      throw new Error(`mode ${settings.mode} needs ferry's registry client, which this version does not have yet: use mode rewrite`);
    }
    await rewrite(settings);
  } catch (error) {
    report.failed(error);
  }
}

async function rewrite(settings: Settings): Promise<void> {
  const overrides = await readOverrides(settings);
  const scan = await report.group('Find image references', async () => {
    const result = await scanManifests({
      workspace: settings.workspace,
      patterns: settings.manifestPatterns,
      imageKeys: settings.imageKeys,
      exclude: [settings.lockFile, ...(settings.lock === undefined ? [] : [settings.lock])],
      excludeDirectory: settings.outputDir,
    });
    const count = result.manifests.reduce((sum, manifest) => sum + manifest.fields.length, 0);
    report.info(`${result.manifests.length} files, ${count} image fields`);
    return result;
  });
  if (scan.manifests.length === 0 && scan.errors.length === 0) {
    throw new Error(`manifests: no file matches ${settings.manifestPatterns.join(', ')} under ${settings.workspace}`);
  }

  const plan = planImages(
    scan.manifests.flatMap((manifest) => manifest.fields),
    { defaultRepo: settings.defaultRepo, multiLevel: settings.multiLevel, repository: settings.repository, overrides },
  );
  const errors = [...scan.errors, ...plan.errors];
  if (errors.length > 0) {
    report.manifestErrors(errors);
    const [first] = errors;
    throw new Error(`${errors.length} manifest error${errors.length === 1 ? '' : 's'}, nothing was written; first: ${first?.message}`);
  }
  for (const entry of plan.entries) {
    report.info(entry.image === entry.newImage ? `${entry.image} (kept)` : `${entry.image} -> ${entry.newImage}`);
  }

  // Every edit is made in memory before anything is written.
  const edits = editsByFile(plan.entries);
  const writes: PendingWrite[] = [];
  let changed = false;
  for (const manifest of scan.manifests) {
    const fileEdits = edits.get(manifest.name) ?? [];
    const text = fileEdits.length === 0 ? manifest.text : applyEdits(manifest.text, fileEdits);
    if (text !== manifest.text) changed = true;
    if (text !== manifest.text || settings.outputDir !== undefined) {
      writes.push({ path: destinationOf(settings, manifest), text, modeFrom: manifest.path });
    }
  }
  const lock = formatLock(plan.entries.map(({ image, newImage }) => ({ image, newImage })));

  if (!settings.dryRun) {
    await report.group('Write', async () => {
      await commitFiles([...writes, { path: settings.lockFile, text: lock }]);
      for (const write of writes) report.info(`wrote ${write.path}`);
      report.info(`wrote ${settings.lockFile}`);
    });
  }

  const unpinned: { field: ImageField; image: string }[] = [];
  for (const entry of plan.entries) {
    if (defaultPullPolicy(entry.newImage) !== 'Always') continue;
    for (const field of entry.fields) if (!field.pullPolicySet) unpinned.push({ field, image: entry.newImage });
  }
  report.alwaysPulled(unpinned);

  report.outputs({
    lockFile: settings.lockFile,
    lock,
    images: plan.entries.map(({ image, newImage }) => ({ image, newImage, digest: parseReferenceParts(newImage).digest ?? null })),
    manifests: settings.dryRun ? [] : writes.map((write) => write.path),
    changed,
  });
  await report.summary(
    settings.dryRun ? 'ferry: planned rewrite (dry run)' : 'ferry: rewritten images',
    plan.entries.flatMap((entry) =>
      entry.fields.map((field) => ({ file: field.file, line: field.line, original: field.value, newImage: entry.newImage })),
    ),
    settings.dryRun ? ['Dry run: no file was written.'] : [],
  );
}
