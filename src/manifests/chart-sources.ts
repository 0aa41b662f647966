// Helm charts in OCI registries, as the formats that deploy them name them: Flux (a HelmRepository of
// type oci and the HelmReleases that take a chart from it; an OCIRepository holding a chart), Argo CD
// (an Application's or an ApplicationSet template's sources), Helm (Chart.yaml dependencies) and
// kustomize (`helmCharts`). A chart is named by several fields, sometimes in two files: each file's
// parts are read as it is located, then joined across the workspace into chart fields.
import { type ChartField, type ChartShape, ManifestError, type Placeholder, type Position, type ScalarSpan, errorAt } from './field.js';
import { chartVersion } from './kinds/chart.js';
import { placeholderReason } from './placeholder.js';
import { mapSpan, scalarSpan } from './spans.js';
import { InvalidReferenceError, parseReference } from '../reference.js';
import { type MapNode, type YamlNode, mapGet, resolveAlias } from '../yaml/tree.js';

/** The media types a Helm chart is pushed with (Helm's registry client). */
export const chartConfigType = 'application/vnd.cncf.helm.config.v1+json';
export const chartContentType = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';

interface Named extends Position {
  readonly name: string;
  readonly namespace: string | undefined;
}

interface HelmRepositoryPart extends Named {
  readonly url: ScalarSpan | undefined;
  readonly oci: boolean;
}

interface OciRepositoryPart extends Named {
  readonly url: ScalarSpan;
  readonly ref: MapNode | undefined;
  readonly text: string;
  readonly isChart: boolean;
}

interface SourceName {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string | undefined;
}

interface ReleasePart extends Position {
  readonly namespace: string | undefined;
  readonly chart?: { readonly name: ScalarSpan; readonly version: ScalarSpan | undefined; readonly source: SourceName };
  readonly chartRef?: SourceName;
}

/** What one file says about charts; joined across files by joinCharts. */
export class ChartParts {
  readonly repositories: HelmRepositoryPart[] = [];
  readonly ociRepositories: OciRepositoryPart[] = [];
  readonly releases: ReleasePart[] = [];
  /** Releases whose chart or version is a template: their chart cannot be named. */
  readonly templated: (Position & { readonly source: SourceName })[] = [];
  readonly fields: ChartField[] = [];
  readonly placeholders: Placeholder[] = [];
  readonly errors: ManifestError[] = [];

  constructor(
    readonly file: string,
    private readonly text: string,
    private readonly at: (offset: number) => Position,
  ) {}

  private scalar(map: YamlNode | undefined, ...keys: string[]): ScalarSpan | undefined {
    let node = map;
    for (const key of keys) node = node === undefined || node.kind !== 'map' ? undefined : mapGet(node, key);
    return scalarSpan(node === undefined ? undefined : resolveAlias(node));
  }

  private map(node: YamlNode | undefined, ...keys: string[]): MapNode | undefined {
    let found = node === undefined ? undefined : resolveAlias(node);
    for (const key of keys) {
      const next = found?.kind === 'map' ? mapGet(found, key) : undefined;
      found = next === undefined ? undefined : resolveAlias(next);
    }
    return found?.kind === 'map' ? found : undefined;
  }

  /** False, with a notice, when any of the parts is a template. */
  private concrete(spans: readonly (ScalarSpan | undefined)[]): boolean {
    for (const span of spans) {
      const reason = span === undefined ? undefined : placeholderReason(span.value);
      if (span !== undefined && reason !== undefined) {
        this.placeholders.push({ ...this.at(span.start), value: span.value, reason });
        return false;
      }
    }
    return true;
  }

  /** A chart field, or an error at its position when the pieces do not compose to a reference. */
  add(
    shape: ChartShape,
    where: Position,
    url: ScalarSpan,
    chart: string | undefined,
    version: ScalarSpan | undefined,
    extra: Partial<Pick<ChartField, 'ref' | 'digest'>> = {},
  ): ChartField | undefined {
    const location = ociLocation(url.value, shape === 'Argo CD');
    if (location === undefined || !this.concrete([url])) return undefined;
    const name = chart === undefined ? location.path : `${location.path}/${chart}`;
    const parsed = version === undefined ? { range: '*' } : chartVersion(version.value);
    if ('error' in parsed) {
      this.errors.push(errorAt(where, `the chart ${name}: ${parsed.error}`));
      return undefined;
    }
    const pinned = extra.digest?.value;
    const value = pinned ? `${name}@${pinned}` : 'tag' in parsed ? `${name}:${parsed.tag}` : name;
    try {
      parseReference(value);
    } catch (error) {
      if (!(error instanceof InvalidReferenceError)) throw error;
      this.errors.push(
        errorAt(
          where,
          `the chart ${value}, composed from ${url.value}${chart === undefined ? '' : ` and ${chart}`}, is not an OCI reference: ${error.reason}`,
        ),
      );
      return undefined;
    }
    const field: ChartField = {
      kind: 'chart',
      shape,
      file: where.file,
      line: where.line,
      column: where.column,
      value,
      pullPolicyDefaulted: false,
      url,
      urlFile: this.file,
      urlIsChart: chart === undefined,
      scheme: location.scheme,
      ...('range' in parsed && pinned === undefined ? { range: parsed.range } : {}),
      ...extra,
    };
    this.fields.push(field);
    return field;
  }

  /** A document of a manifest: Flux's sources and releases, Argo CD's applications. */
  document(root: MapNode): void {
    const apiVersion = this.scalar(root, 'apiVersion')?.value ?? '';
    const kind = this.scalar(root, 'kind')?.value ?? '';
    const name = this.scalar(root, 'metadata', 'name')?.value ?? '';
    const namespace = this.scalar(root, 'metadata', 'namespace')?.value;
    const here = this.at(root.start);
    if (apiVersion.startsWith('source.toolkit.fluxcd.io/') && kind === 'HelmRepository') {
      const url = this.scalar(root, 'spec', 'url');
      const oci = this.scalar(root, 'spec', 'type')?.value === 'oci' || (url?.value.startsWith('oci://') ?? false);
      this.repositories.push({ ...here, name, namespace, url, oci });
    } else if (apiVersion.startsWith('source.toolkit.fluxcd.io/') && kind === 'OCIRepository') {
      const url = this.scalar(root, 'spec', 'url');
      const selected = this.scalar(root, 'spec', 'layerSelector', 'mediaType')?.value;
      if (url !== undefined)
        this.ociRepositories.push({
          ...here,
          name,
          namespace,
          url,
          ref: this.map(root, 'spec', 'ref'),
          text: this.text,
          isChart: selected === chartContentType,
        });
    } else if (apiVersion.startsWith('helm.toolkit.fluxcd.io/') && kind === 'HelmRelease') {
      this.release(root, namespace);
    } else if (apiVersion.startsWith('argoproj.io/') && (kind === 'Application' || kind === 'ApplicationSet')) {
      const spec = kind === 'Application' ? this.map(root, 'spec') : this.map(root, 'spec', 'template', 'spec');
      const sources = spec === undefined ? undefined : mapGet(spec, 'sources');
      const list =
        sources !== undefined && resolveAlias(sources).kind === 'seq' ? (resolveAlias(sources) as { items: YamlNode[] }).items : [];
      for (const source of [this.map(spec, 'source'), ...list.map((item) => this.map(item))])
        if (source !== undefined) this.argoSource(source);
    }
  }

  private release(root: MapNode, namespace: string | undefined): void {
    const spec = this.map(root, 'spec', 'chart', 'spec');
    const chartRef = this.map(root, 'spec', 'chartRef');
    const sourceName = (map: MapNode | undefined): SourceName | undefined => {
      const kind = this.scalar(map, 'kind')?.value;
      const name = this.scalar(map, 'name')?.value;
      return kind === undefined || name === undefined
        ? undefined
        : { kind, name, namespace: this.scalar(map, 'namespace')?.value ?? namespace };
    };
    const chart = this.scalar(spec, 'chart');
    const source = sourceName(this.map(spec, 'sourceRef'));
    const version = this.scalar(spec, 'version');
    if (chart !== undefined && source !== undefined) {
      if (this.concrete([chart, version]))
        this.releases.push({ ...this.at(chart.start), namespace, chart: { name: chart, version, source } });
      else this.templated.push({ ...this.at(chart.start), source });
    }
    const ref = sourceName(chartRef);
    if (ref !== undefined && chartRef !== undefined) this.releases.push({ ...this.at(chartRef.start), namespace, chartRef: ref });
  }

  private argoSource(source: MapNode): void {
    const url = this.scalar(source, 'repoURL');
    const chart = this.scalar(source, 'chart');
    const version = this.scalar(source, 'targetRevision');
    if (url === undefined || !this.concrete([url, chart, version])) return;
    // Without `chart`, only an `oci://` URL is an artifact (Argo CD's OCI sources); a git URL is not.
    if (chart === undefined && !url.value.startsWith('oci://')) return;
    this.add('Argo CD', this.at((chart ?? url).start), url, chart?.value, version);
  }

  /** `dependencies` of a Chart.yaml. */
  chartYaml(root: MapNode): void {
    this.listed(root, 'dependencies', 'repository', 'Chart.yaml');
  }

  /** `helmCharts` of a kustomization. */
  kustomization(root: MapNode): void {
    this.listed(root, 'helmCharts', 'repo', 'helmCharts');
  }

  /** A list of `{name, <url>, version}` maps, each an `oci://` chart: Chart.yaml's dependencies, kustomize's helmCharts. */
  private listed(root: MapNode, listKey: string, urlKey: string, shape: ChartShape): void {
    const list = mapGet(root, listKey);
    if (list === undefined || resolveAlias(list).kind !== 'seq') return;
    for (const item of (resolveAlias(list) as { items: YamlNode[] }).items) {
      const map = this.map(item);
      const url = this.scalar(map, urlKey);
      const name = this.scalar(map, 'name');
      const version = this.scalar(map, 'version');
      if (url === undefined || name === undefined || !url.value.startsWith('oci://')) continue;
      if (this.concrete([url, name, version])) this.add(shape, this.at(name.start), url, name.value, version);
    }
  }

  /** An OCIRepository as a chart field, its position and digest in its own file. */
  ociField(part: OciRepositoryPart): ChartField | undefined {
    const tag = this.scalar(part.ref, 'tag');
    const range = this.scalar(part.ref, 'semver');
    const digest = this.scalar(part.ref, 'digest');
    if (!this.concrete([part.url, tag, range, digest])) return undefined;
    const ref = part.ref === undefined ? undefined : mapSpan(part.ref, part.text);
    // Flux's order: a digest over a semver range over a tag.
    const version: ScalarSpan | undefined = range ?? tag ?? (digest === undefined ? { ...part.url, value: 'latest' } : undefined);
    return this.add('OCIRepository', this.at(part.url.start), part.url, undefined, version, {
      ...(ref === undefined ? {} : { ref }),
      ...(digest === undefined || digest.value === '' ? {} : { digest }),
    });
  }
}

/** Where an OCI chart URL points: `oci://host/path`, or (for Argo CD) a URL with no scheme at all. */
function ociLocation(url: string, schemeOptional: boolean): { path: string; scheme: boolean } | undefined {
  if (url.startsWith('oci://')) return { path: url.slice('oci://'.length).replace(/\/+$/, ''), scheme: true };
  if (!schemeOptional || /^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('git@')) return undefined;
  return { path: url.replace(/\/+$/, ''), scheme: false };
}

/** The one of `candidates` a reference names: same name, and the same namespace where both say one. */
function named<T extends Named>(candidates: readonly T[], wanted: SourceName): T[] {
  const byName = candidates.filter((candidate) => candidate.name === wanted.name);
  const exact = byName.filter((candidate) => candidate.namespace === wanted.namespace);
  return exact.length > 0 ? exact : byName.filter((candidate) => candidate.namespace === undefined || wanted.namespace === undefined);
}

/**
 * The chart fields of the workspace, each in the file its URL is in: a HelmRelease joined to the
 * HelmRepository (of type oci) its sourceRef names, an OCIRepository that a chartRef names or whose
 * layer selector is a chart's. A release that names no source in the workspace is an error at its line.
 */
export function joinCharts(files: readonly ChartParts[]): { fields: ChartField[]; placeholders: Placeholder[]; errors: ManifestError[] } {
  const repositories = files.flatMap((file) => file.repositories.map((part) => ({ ...part, parts: file })));
  const ociRepositories = files.flatMap((file) => file.ociRepositories.map((part) => ({ ...part, parts: file })));
  const errors: ManifestError[] = [];
  const charts = new Set(ociRepositories.filter((part) => part.isChart));
  const moved = new Set<ScalarSpan>();
  for (const file of files) {
    for (const release of file.releases) {
      const wanted = release.chart?.source ?? release.chartRef;
      if (wanted === undefined) continue;
      if (release.chartRef !== undefined) {
        if (wanted.kind !== 'OCIRepository') continue;
        const [found, other] = named(ociRepositories, wanted);
        if (found === undefined || other !== undefined)
          errors.push(
            errorAt(
              release,
              `this HelmRelease's chartRef names the OCIRepository ${wanted.name}, which ${found === undefined ? 'no file of the workspace holds' : 'the workspace holds twice'}: add it to the manifests, or set charts: false to leave chart references alone`,
            ),
          );
        else charts.add(found);
        continue;
      }
      if (wanted.kind !== 'HelmRepository' || release.chart === undefined) continue;
      const [found, other] = named(repositories, wanted);
      if (found === undefined || other !== undefined) {
        errors.push(
          errorAt(
            release,
            `this HelmRelease's sourceRef names the HelmRepository ${wanted.name}${wanted.namespace === undefined ? '' : ` in ${wanted.namespace}`}, which ${found === undefined ? 'no file of the workspace holds' : 'the workspace holds twice'}: add it to the manifests, or set charts: false to leave chart references alone`,
          ),
        );
        continue;
      }
      if (!found.oci || found.url === undefined) continue;
      // The release names the chart; its repository's URL, perhaps in another file, is what is edited.
      if (found.parts.add('HelmRepository', release, found.url, release.chart.name.value, release.chart.version) !== undefined)
        moved.add(found.url);
    }
  }
  // A repository that moves for some releases moves for all: one whose chart cannot be named would
  // then ask the new repository for a chart nobody copied there.
  for (const file of files) {
    for (const release of file.templated) {
      const [found] = release.source.kind === 'HelmRepository' ? named(repositories, release.source) : [];
      if (found?.url !== undefined && moved.has(found.url))
        errors.push(
          errorAt(
            release,
            `this HelmRelease's chart or version is a template, and the HelmRepository ${release.source.name} it shares with other releases moves with theirs: ferry cannot copy a chart it cannot name; give it a version, or set charts: false`,
          ),
        );
    }
  }
  for (const part of charts) part.parts.ociField(part);
  return {
    fields: files.flatMap((file) => file.fields),
    placeholders: files.flatMap((file) => file.placeholders),
    errors: [...files.flatMap((file) => file.errors), ...errors],
  };
}
