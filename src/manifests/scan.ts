// Reads every manifest and finds its image fields, collecting every error rather than the first, so a
// user fixes all of them in one go. Also joins what one file cannot know alone: the chart a values file
// belongs to, and the resources a kustomization's `images:` entries apply to.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { yamlValues } from '../yaml-data.js';
import type { Workspace } from '../workspace.js';
import { type ImageField, type KustomizeField, ManifestError, type Placeholder, type StringField } from './field.js';
import { type ManifestFile, findManifests, readManifest } from './files.js';
import { applyEntry, kustomizeMatches, kustomizeSplit } from './kinds/kustomize.js';
import { type KustomizeEntry, type Located, kustomizationNames, locateImageFields } from './locate.js';
import { isTemplateText } from './placeholder.js';

export interface Manifest extends ManifestFile {
  readonly text: string;
  readonly fields: readonly ImageField[];
}

export interface SkippedFile {
  readonly file: string;
  readonly reason: string;
}

export interface Scan {
  readonly manifests: readonly Manifest[];
  readonly errors: readonly ManifestError[];
  readonly placeholders: readonly Placeholder[];
  /** Files that are templates, not YAML: left alone. */
  readonly skipped: readonly SkippedFile[];
  /** Files holding kbld or imgpkg locks: never edited. */
  readonly locks: readonly string[];
}

export interface ScanOptions {
  readonly files: Workspace;
  /** The largest manifest read. */
  readonly maxManifestBytes: number;
  readonly patterns: readonly string[];
  readonly imageKeys: readonly string[];
  /** Files that are never manifests: ferry's lock, the lock it reads, files under output-dir. */
  readonly exclude: readonly string[];
  readonly excludeDirectory?: string;
}

/** Chart.yaml files are small; a larger one is not read. */
const maxChartBytes = 1024 * 1024;

/** The nearest folder at or above `dir`, inside the workspace, that holds a Chart.yaml. */
class Charts {
  private readonly roots = new Map<string, string | undefined>();
  private readonly versions = new Map<string, string | undefined>();
  private readonly workspace: string;
  constructor(private readonly files: Workspace) {
    this.workspace = files.root;
  }

  root(dir: string): string | undefined {
    if (this.roots.has(dir)) return this.roots.get(dir);
    let found: string | undefined;
    if (existsSync(path.join(dir, 'Chart.yaml'))) found = dir;
    else if (dir !== this.workspace && dir.startsWith(this.workspace + path.sep)) found = this.root(path.dirname(dir));
    this.roots.set(dir, found);
    return found;
  }

  appVersion(root: string): string | undefined {
    if (!this.versions.has(root)) {
      let version: string | undefined;
      try {
        const bytes = this.files.read('Chart.yaml', path.join(root, 'Chart.yaml'), maxChartBytes);
        const chart = yamlValues(bytes.toString('utf8'))[0] as { appVersion?: unknown } | null | undefined;
        const value = chart?.appVersion;
        version = typeof value === 'string' || typeof value === 'number' ? String(value) || undefined : undefined;
      } catch {
        version = undefined;
      }
      this.versions.set(root, version);
    }
    return this.versions.get(root);
  }
}

function isRemoteResource(resource: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(resource) ||
    resource.startsWith('git@') ||
    resource.includes('?ref=') ||
    /^github\.com\//.test(resource)
  );
}

/** The files a kustomization includes, following local resources, bases and components into their kustomizations. */
function includedFiles(start: string, located: ReadonlyMap<string, Located>): Set<string> {
  const files = new Set<string>();
  const visited = new Set<string>();
  const visit = (kustomization: string): void => {
    if (visited.has(kustomization) || visited.size > 1000) return;
    visited.add(kustomization);
    const dir = path.posix.dirname(kustomization);
    for (const resource of located.get(kustomization)?.resources ?? []) {
      if (isRemoteResource(resource)) continue;
      const target = path.posix.normalize(path.posix.join(dir, resource));
      if (located.has(target) && !kustomizationNames.has(path.posix.basename(target))) {
        files.add(target);
        continue;
      }
      for (const name of kustomizationNames) if (located.has(`${target}/${name}`)) visit(`${target}/${name}`);
    }
  };
  visit(start);
  return files;
}

/** An entry joined with the images it applies to; its value is the image kustomize renders for it. */
function completeEntry(entry: KustomizeEntry, candidates: readonly StringField[]): KustomizeField {
  const matches = candidates.filter((field) => kustomizeMatches(field.value, entry.name.value));
  const newName = entry.newName?.value || undefined;
  const newTag = entry.newTag?.value || undefined;
  const digest = entry.digest?.value || undefined;
  const tails = new Set(matches.map((field) => kustomizeSplit(field.value).tail));
  const [only] = tails;
  const base = tails.size === 1 && only !== undefined ? entry.name.value + only : entry.name.value;
  return { ...entry, value: applyEntry(base, newName, newTag, digest), matches };
}

export async function scanManifests(options: ScanOptions): Promise<Scan> {
  let files = await findManifests(options.files, options.patterns, options.exclude);
  const { excludeDirectory } = options;
  if (excludeDirectory !== undefined) {
    const inside = (file: string): boolean => file.startsWith(excludeDirectory + path.sep);
    files = files.filter((file) => !inside(file.path) && !inside(file.real));
  }
  const imageKeys = new Set(options.imageKeys);
  const charts = new Charts(options.files);
  const read: { file: ManifestFile; text: string; located: Located }[] = [];
  const errors: ManifestError[] = [];
  const skipped: SkippedFile[] = [];
  for (const file of files) {
    const dir = path.dirname(file.path);
    const chart = charts.root(dir);
    if (chart !== undefined && path.relative(chart, file.path).split(path.sep)[0] === 'templates') {
      skipped.push({ file: file.name, reason: "a Helm chart's template: run ferry on the output of `helm template`" });
      continue;
    }
    let text: string;
    try {
      text = readManifest(options.files, file, options.maxManifestBytes);
    } catch (error) {
      errors.push(new ManifestError(file.name, 1, 1, (error as Error).message));
      continue;
    }
    try {
      const appVersion = chart === undefined ? undefined : charts.appVersion(chart);
      read.push({ file, text, located: locateImageFields(file.name, text, { imageKeys, ...(appVersion ? { appVersion } : {}) }) });
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
      if (error.reason.startsWith('not valid YAML') && isTemplateText(text)) {
        skipped.push({ file: file.name, reason: 'a template, not YAML: run ferry on its rendered output' });
      } else errors.push(error);
    }
  }

  const located = new Map(read.map(({ file, located: found }) => [file.name, found]));
  const stringFields = new Map(
    read.map(({ file, located: found }) => [file.name, found.fields.filter((field) => field.kind === 'string')]),
  );
  const manifests = read.map(({ file, text, located: found }): Manifest => {
    const included =
      found.entries.length === 0 ? [] : [...includedFiles(file.name, located)].flatMap((name) => stringFields.get(name) ?? []);
    const entries = found.entries.map((entry) => completeEntry(entry, included));
    const fields: ImageField[] = [...found.fields, ...entries].sort((a, b) => a.line - b.line || a.column - b.column);
    return { ...file, text, fields };
  });
  return {
    manifests,
    errors,
    placeholders: read.flatMap(({ located: found }) => found.placeholders),
    skipped,
    locks: read.filter(({ located: found }) => found.locks > 0).map(({ file }) => file.name),
  };
}
