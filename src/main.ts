// run(): settings, the pipeline of the chosen mode, outputs. The one place that knows the modes.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { formatLock, parseLock } from './lock.js';
import { type Edit, applyEdits } from './manifests/edit.js';
import { type PendingWrite, commitFiles } from './manifests/files.js';
import type { ImageField } from './manifests/locate.js';
import { type Manifest, type Scan, scanManifests } from './manifests/scan.js';
import { type PlanEntry, planImages } from './plan.js';
import { defaultPullPolicy } from './pull-policy.js';
import { parseReferenceParts } from './reference.js';
import { CredentialStore, execHelper } from './registry/credentials.js';
import { Registries } from './registry/registries.js';
import { type Archive, readArchive } from './archive/read.js';
import { BlobStore } from './archive/store.js';
import { writeArchive } from './archive/write.js';
import {
  type ImageFailure,
  type ImageOutcome,
  packageImages,
  pinned,
  relocateImages,
  resolveImages,
  sourceDigests,
  unpackageImages,
} from './registry-work.js';
import * as report from './report.js';
import { type Settings, loadSettings } from './settings.js';

function describeSettings(settings: Settings): void {
  report.info(`mode: ${settings.mode}${settings.dryRun ? ' (dry run: nothing is written or pushed)' : ''}`);
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

function editsByFile(outcomes: readonly { entry: PlanEntry; newImage: string }[]): Map<string, Edit[]> {
  const edits = new Map<string, Edit[]>();
  for (const { entry, newImage } of outcomes) {
    for (const field of entry.fields) {
      if (field.value === newImage) continue;
      const list = edits.get(field.file) ?? [];
      list.push({ field, value: newImage });
      edits.set(field.file, list);
    }
  }
  return edits;
}

function openRegistries(settings: Settings): Registries {
  const credentials = new CredentialStore({
    dockerConfigDir: settings.dockerConfig,
    ...(settings.registryAuthFile === undefined ? {} : { authFile: settings.registryAuthFile }),
    onSecret: report.secret,
    runHelper: execHelper,
  });
  return new Registries({
    insecureRegistries: settings.insecureRegistries,
    caCertificates: settings.caCertificates,
    credentials,
    onSecret: report.secret,
    userAgent: 'ferry',
  });
}

async function scan(settings: Settings): Promise<Scan> {
  return report.group('Find image references', async () => {
    const result = await scanManifests({
      workspace: settings.workspace,
      patterns: settings.manifestPatterns,
      imageKeys: settings.imageKeys,
      exclude: [settings.lockFile, ...(settings.lock === undefined ? [] : [settings.lock])],
      excludeDirectory: settings.outputDir,
    });
    const count = result.manifests.reduce((sum, manifest) => sum + manifest.fields.length, 0);
    report.info(`${result.manifests.length} files, ${count} image fields`);
    if (result.manifests.length === 0 && result.errors.length === 0) {
      throw new Error(`manifests: no file matches ${settings.manifestPatterns.join(', ')} under ${settings.workspace}`);
    }
    return result;
  });
}

function failOnImageFailures(failures: readonly ImageFailure[], what: string): void {
  if (failures.length === 0) return;
  report.imageFailures(failures.map((failure) => ({ field: failure.entry.fields[0], message: failure.message })));
  throw new Error(
    `${failures.length} image${failures.length === 1 ? '' : 's'} failed to ${what}, no manifest was written; first: ${failures[0]?.message}`,
  );
}

const bytes = (count: number): string =>
  count >= 1024 * 1024 ? `${(count / 1024 / 1024).toFixed(1)} MiB` : count >= 1024 ? `${(count / 1024).toFixed(1)} KiB` : `${count} B`;

export async function run(): Promise<void> {
  try {
    const settings = loadSettings();
    describeSettings(settings);
    await pipeline(settings);
  } catch (error) {
    report.failed(error);
  }
}

interface Outcome {
  readonly entry: PlanEntry;
  readonly newImage: string;
  readonly digest?: string;
}

/** What a mode's registry or archive work gives the commit point. */
interface Work {
  readonly outcomes: readonly Outcome[];
  readonly copied: readonly ImageOutcome[];
  /** Whether the YAML is rewritten (package only records digests). */
  readonly edit: boolean;
  /** Done first at the commit point: tags, the archive. */
  readonly commit?: () => Promise<void>;
  /** Lock entries besides one per found string (unpackage maps the digest forms too). */
  readonly extraLock?: readonly { image: string; newImage: string }[];
  readonly archive?: string;
}

function tagsAtCommit(results: readonly ImageOutcome[]): () => Promise<void> {
  const tags = new Map(
    results.flatMap((result) =>
      result.tag ? [[`${result.copy?.destination}:${result.tag.tag}`, { ...result.tag, digest: result.digest }]] : [],
    ),
  );
  return async () => {
    await Promise.all([...tags.values()].map(({ sink, tag, digest }) => sink.tag(digest, tag)));
    for (const key of tags.keys()) report.info(`tagged ${key}`);
  };
}

async function registryWork(settings: Settings, entries: readonly PlanEntry[], cleanup: (() => Promise<void>)[]): Promise<Work> {
  if (settings.mode === 'rewrite')
    return { outcomes: entries.map((entry) => ({ entry, newImage: entry.newImage })), copied: [], edit: true };
  // An archive is read, checked whole, before any registry is contacted.
  let archive: Archive | undefined;
  if (settings.mode === 'unpackage') {
    const dir = await mkdtemp(path.join(settings.tempDir, 'ferry-unpack-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    archive = await report.group('Read the archive', async () => {
      const read = await readArchive(settings.archive, dir);
      report.info(`${settings.archive}: ${read.format}, ${read.images.length} images`);
      return read;
    });
  }
  const registries = openRegistries(settings);
  cleanup.push(() => registries.close());
  const options = {
    registries,
    concurrency: settings.concurrency,
    keepTags: settings.keepTags,
    dryRun: settings.dryRun,
    singleRepository: settings.repository !== '',
  };
  switch (settings.mode) {
    case 'resolve': {
      const { results, failures } = await report.group('Resolve', () => resolveImages(entries, options));
      failOnImageFailures(failures, 'resolve');
      return { outcomes: results, copied: [], edit: true };
    }
    case 'relocate': {
      const { results, failures } = await report.group('Relocate', () => relocateImages(entries, options));
      failOnImageFailures(failures, 'relocate');
      return { outcomes: results, copied: results, edit: true, commit: tagsAtCommit(results) };
    }
    case 'unpackage': {
      const { results, failures } = await report.group('Unpackage', () => unpackageImages(entries, archive as Archive, options));
      failOnImageFailures(failures, 'import');
      const extraLock = results.map(({ entry, digest, newImage }) => ({ image: pinned(entry.source, digest, false), newImage }));
      return { outcomes: results, copied: results, edit: true, commit: tagsAtCommit(results), extraLock };
    }
    case 'package': {
      const { digests, failures: unresolved } = await report.group('Resolve', () => sourceDigests(entries, options));
      failOnImageFailures(unresolved, 'resolve');
      // The cache client is large (the Azure SDK): loaded only when packaging.
      const { cacheKey, restoreBlobs, saveBlobs } = await import('./archive/cache.js');
      const storeDir = path.join(settings.tempDir, 'ferry-blobs');
      const key = cacheKey(digests.values());
      const restored = settings.dryRun ? 'unavailable' : await restoreBlobs(storeDir, key);
      if (settings.dryRun) report.info('dry run: the blob store cache is not used');
      else if (restored === 'unavailable') report.notice('The GitHub Actions cache is not available here: the blob store is not cached.');
      else report.info(`blob store cache ${key}: ${restored}`);
      const store = new BlobStore(storeDir);
      const { results, failures } = await report.group('Package', () => packageImages(entries, digests, store, options));
      failOnImageFailures(failures, 'package');
      return {
        outcomes: results,
        copied: results,
        edit: false,
        archive: settings.archive,
        commit: async () => {
          await writeArchive(
            settings.archive,
            store,
            store.touched,
            results.map((result) => result.archived),
          );
          report.info(`wrote ${settings.archive}`);
          if (restored !== 'unavailable' && restored !== 'restored')
            report.info(`blob store cache ${key}: ${await saveBlobs(storeDir, key)}`);
        },
      };
    }
  }
}

async function pipeline(settings: Settings): Promise<void> {
  const overrides = await readOverrides(settings);
  const found = await scan(settings);
  const pinnedInPlace = settings.mode === 'resolve' || settings.mode === 'package';
  const plan = planImages(
    found.manifests.flatMap((manifest) => manifest.fields),
    {
      defaultRepo: pinnedInPlace ? '' : settings.defaultRepo,
      multiLevel: settings.multiLevel,
      repository: pinnedInPlace ? '' : settings.repository,
      overrides,
      pinned: settings.mode !== 'rewrite',
    },
  );
  const errors = [...found.errors, ...plan.errors];
  if (errors.length > 0) {
    report.manifestErrors(errors);
    const [first] = errors;
    throw new Error(`${errors.length} manifest error${errors.length === 1 ? '' : 's'}, nothing was written; first: ${first?.message}`);
  }

  const cleanup: (() => Promise<void>)[] = [];
  try {
    const work = await registryWork(settings, plan.entries, cleanup);
    const { outcomes } = work;
    for (const { entry, newImage } of outcomes)
      report.info(entry.image === newImage ? `${entry.image} (kept)` : `${entry.image} -> ${newImage}`);

    // Every edit is made in memory before anything is written or tagged.
    const edits = work.edit ? editsByFile(outcomes) : new Map<string, Edit[]>();
    const writes: PendingWrite[] = [];
    let changed = false;
    for (const manifest of found.manifests) {
      const fileEdits = edits.get(manifest.name) ?? [];
      const text = fileEdits.length === 0 ? manifest.text : applyEdits(manifest.text, fileEdits);
      if (text !== manifest.text) changed = true;
      if (text !== manifest.text || settings.outputDir !== undefined)
        writes.push({ path: destinationOf(settings, manifest), text, modeFrom: manifest.path });
    }
    const lockEntries = outcomes.map(({ entry, newImage }) => ({ image: entry.image, newImage }));
    const foundImages = new Set(lockEntries.map(({ image }) => image));
    const lock = formatLock([...lockEntries, ...(work.extraLock ?? []).filter(({ image }) => !foundImages.has(image))]);

    if (!settings.dryRun) {
      await report.group('Commit', async () => {
        await work.commit?.();
        await commitFiles([...writes, { path: settings.lockFile, text: lock }]);
        for (const write of writes) report.info(`wrote ${write.path}`);
        report.info(`wrote ${settings.lockFile}`);
      });
    }

    const unpinned: { field: ImageField; image: string }[] = [];
    for (const { entry, newImage } of outcomes) {
      const written = work.edit ? newImage : entry.image;
      if (defaultPullPolicy(written) !== 'Always') continue;
      for (const field of entry.fields) if (!field.pullPolicySet) unpinned.push({ field, image: written });
    }
    report.alwaysPulled(unpinned);

    report.outputs({
      lockFile: settings.lockFile,
      lock,
      images: outcomes.map(({ entry, newImage }) => ({
        image: entry.image,
        newImage,
        digest: parseReferenceParts(newImage).digest ?? null,
      })),
      manifests: settings.dryRun ? [] : writes.map((write) => write.path),
      ...(work.archive === undefined || settings.dryRun ? {} : { archive: work.archive }),
      changed,
    });
    await summarize(settings, outcomes, work.copied);
  } finally {
    for (const step of cleanup.reverse()) await step();
  }
}

async function summarize(
  settings: Settings,
  outcomes: readonly { entry: PlanEntry; newImage: string }[],
  copied: readonly ImageOutcome[],
): Promise<void> {
  const dryRun = settings.dryRun ? ' (dry run)' : '';
  const notes = settings.dryRun ? ['Dry run: no file was written and nothing was pushed.'] : [];
  if (copied.length === 0) {
    await report.summary(
      `ferry: ${settings.mode}${dryRun}`,
      ['file', 'original', 'new'],
      outcomes.flatMap(({ entry, newImage }) => entry.fields.map((field) => [`${field.file}:${field.line}`, field.value, newImage])),
      notes,
    );
    return;
  }
  const total = { bytes: 0, foreign: 0 };
  const rows = copied.map(({ entry, digest, copy }) => {
    const stats = copy?.stats;
    total.bytes += stats?.bytesCopied ?? 0;
    total.foreign += stats?.foreignLayers ?? 0;
    return [
      entry.image,
      copy?.destination ?? '',
      digest,
      copy?.platforms.join(', ') || (copy?.present ? '(already there)' : 'single'),
      copy?.present ? 'already there' : bytes(stats?.bytesCopied ?? 0),
      String(stats?.blobsSkipped ?? 0),
      String(stats?.blobsMounted ?? 0),
    ];
  });
  notes.push(`${settings.dryRun ? 'Would copy' : 'Copied'} ${bytes(total.bytes)} in all.`);
  if (total.foreign > 0)
    notes.push(`${total.foreign} non-distributable (foreign) layers were left where they are, as Docker and the reference tools do.`);
  await report.summary(
    `ferry: ${settings.mode}${dryRun}`,
    ['source', 'destination', 'digest', 'platforms', 'bytes copied', 'blobs skipped', 'blobs mounted'],
    rows,
    notes,
  );
  for (const row of rows) report.info(`${row[0]} -> ${row[1]}@${row[2]}: ${row[4]}, ${row[5]} skipped, ${row[6]} mounted`);
}
