// Reads every manifest and finds its image fields, collecting every error rather than the first, so a
// user fixes all of them in one go. Also joins what one file cannot know alone: the chart a values file
// belongs to, and what each root kustomization renders through its bases, overlays and components.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { yamlValues } from '../yaml/data.js';
import type { Workspace } from '../workspace.js';
import { type ImageField, type KustomizeEntry, type KustomizeField, ManifestError, type Placeholder, type RenderedField } from './field.js';
import { type ManifestFile, findManifests, readManifest } from './files.js';
import { joinCharts } from './chart-sources.js';
import { applyEntry } from './kinds/kustomize.js';
import { KustomizeTree, type Occurrence } from './kustomize-render.js';
import { type Located, locateImageFields } from './locate.js';
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
  /** The kustomizations, and what their roots render. */
  readonly kustomize: KustomizeTree;
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
  /** Folders whose files are never manifests: output-dir, the values files ferry writes for charts. */
  readonly excludeDirectories?: readonly string[];
  /** Whether Helm chart references in OCI registries are found (the `charts` input). */
  readonly charts?: boolean;
}

/** Chart.yaml files and templates are small; a larger one is not read. */
const maxChartBytes = 1024 * 1024;
/** Templates read from one chart, at most. */
const maxTemplates = 200;

/** The nearest folder at or above `dir`, inside the workspace, that holds a Chart.yaml. */
class Charts {
  private readonly roots = new Map<string, string | undefined>();
  private readonly versions = new Map<string, string | undefined>();
  private readonly suffixes = new Map<string, string | undefined>();
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

  /**
   * Where the chart's templates write something right after a tag (`{{ .Values.image.tag }}-alpine`),
   * as `templates/file.yaml:line`: a digest in the tag would end up before that text. The templates are
   * read bounded (their count and size), as any file of the checkout.
   */
  tagSuffixAt(root: string): string | undefined {
    if (!this.suffixes.has(root)) {
      let found: string | undefined;
      const dir = path.join(root, 'templates');
      let names: string[];
      try {
        names = readdirSync(dir)
          .filter((name) => /\.(ya?ml|tpl)$/.test(name))
          .sort()
          .slice(0, maxTemplates);
      } catch {
        names = [];
      }
      for (const name of names) {
        let text: string;
        try {
          text = this.files.read('chart template', path.join(dir, name), maxChartBytes).toString('utf8');
        } catch {
          continue;
        }
        const match = /\{\{[^}]*\.tag\b[^}]*\}\}[A-Za-z0-9_.-]/.exec(text);
        if (match !== null) {
          found = `${path.relative(this.workspace, path.join(dir, name)).split(path.sep).join('/')}:${text.slice(0, match.index).split('\n').length}`;
          break;
        }
      }
      this.suffixes.set(root, found);
    }
    return this.suffixes.get(root);
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

/**
 * An entry that matches no image any root renders (its resources are remote, or outside the globs):
 * it stands for the image it names, `newName` (else `name`) with its tag and digest.
 */
function unmatchedEntry(entry: KustomizeEntry): KustomizeField | undefined {
  const newName = entry.newName?.value || undefined;
  const newTag = entry.newTag?.value || undefined;
  const digest = entry.digest?.value || undefined;
  // An entry that changes nothing names no image: it is only a key.
  if (newName === undefined && newTag === undefined && digest === undefined) return undefined;
  return { ...entry, value: applyEntry(entry.name.value, newName, newTag, digest), matches: [] };
}

/** Each image a root renders, as a field at the last entry that changed it (else at the field it starts from). */
function renderedFields(occurrences: readonly Occurrence[]): RenderedField[] {
  const places = new Map<string, number>();
  return occurrences.map(({ root, source, chain, value }) => {
    const where = chain[chain.length - 1] ?? source;
    const at = places.get(root) ?? 0;
    places.set(root, at + 1);
    return {
      kind: 'rendered',
      file: where.file,
      line: where.line,
      column: where.column,
      value,
      pullPolicyDefaulted: source.pullPolicyDefaulted,
      root,
      at,
      source,
      chain,
    };
  });
}

export async function scanManifests(options: ScanOptions): Promise<Scan> {
  let files = await findManifests(options.files, options.patterns, options.exclude);
  for (const excluded of options.excludeDirectories ?? []) {
    const inside = (file: string): boolean => file.startsWith(excluded + path.sep);
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
      const tagSuffixAt = chart === undefined ? undefined : charts.tagSuffixAt(chart);
      read.push({
        file,
        text,
        located: locateImageFields(file.name, text, {
          imageKeys,
          ...(appVersion ? { appVersion } : {}),
          ...(tagSuffixAt ? { tagSuffixAt } : {}),
          ...(options.charts === true ? { charts: true } : {}),
        }),
      });
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
      if (error.reason.startsWith('not valid YAML') && isTemplateText(text)) {
        skipped.push({ file: file.name, reason: 'a template, not YAML: run ferry on its rendered output' });
      } else errors.push(error);
    }
  }

  const located = new Map(read.map(({ file, located: found }) => [file.name, found]));
  // kustomize as it renders: the images each root kustomization deploys; the string fields of the
  // files a kustomization includes are images only as the roots render them.
  const kustomize = new KustomizeTree(located);
  errors.push(...kustomize.errors);
  let rendered: RenderedField[] = [];
  try {
    rendered = renderedFields(kustomize.renderRoots());
  } catch (error) {
    errors.push(new ManifestError(kustomize.roots[0] ?? '.', 1, 1, (error as Error).message));
  }
  const matched = new Set(rendered.flatMap((field) => field.chain));
  // A chart is named by fields that may be in two files: joined here, each kept with the file its URL is in.
  const chartRefs = joinCharts(read.flatMap(({ located: found }) => (found.charts === undefined ? [] : [found.charts])));
  errors.push(...chartRefs.errors);
  const manifests = read.map(({ file, text, located: found }): Manifest => {
    const own = found.fields.filter((field) => field.kind !== 'string' || !kustomize.included.has(file.name));
    const entries = found.entries
      .filter((entry) => !matched.has(entry))
      .map(unmatchedEntry)
      .filter((entry) => entry !== undefined);
    const fields: ImageField[] = [
      ...own,
      ...entries,
      ...rendered.filter((field) => field.file === file.name),
      ...chartRefs.fields.filter((field) => field.urlFile === file.name),
    ].sort((a, b) => a.line - b.line || a.column - b.column);
    return { ...file, text, fields };
  });
  return {
    manifests,
    kustomize,
    errors,
    placeholders: [...read.flatMap(({ located: found }) => found.placeholders), ...chartRefs.placeholders],
    skipped,
    locks: read.filter(({ located: found }) => found.locks > 0).map(({ file }) => file.name),
  };
}
