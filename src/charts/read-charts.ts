// The charts of a run, read from their registries before any copy: a version range resolved to the
// newest tag that satisfies it (as Flux and Helm resolve it), the manifest checked to be a Helm chart,
// its content read (bounded, as untrusted input) and the images its values and annotations name
// found. Each image becomes one more entry of the run, named and moved like any other; each chart
// keeps what it yielded, for its values file, the outputs and the summary.
import semver from 'semver';
import { type ImageEntry, destinationName } from '../images.js';
import { type ChartField, errorAt, type ManifestError } from '../manifests/field.js';
import { chartConfigType, chartContentType } from '../manifests/chart-sources.js';
import type { Descriptor } from '../oci/descriptor.js';
import { readWhole } from '../oci/digest.js';
import { decodeManifest } from '../oci/manifest.js';
import { impliedTag, nameText, parseReference, parseReferenceParts, referenceText } from '../reference.js';
import type { Registries } from '../registry/registries.js';
import { quoted } from '../untrusted-text.js';
import { ChartArchiveError, maxChartBytes, readChartArchive } from './chart-archive.js';
import { type ChartImage, type ChartSkipped, chartImages } from './chart-images.js';

/** Tags read to resolve one range, at most. */
const maxTags = 100_000;

export interface ChartRead {
  /** The chart's entry, its source resolved where the version was a range. */
  readonly entry: ImageEntry;
  /** A range and the version it resolved to. */
  readonly resolved?: { readonly range: string; readonly version: string };
  /** Whether the artifact is a Helm chart (an Argo CD `oci://` source may be another artifact). */
  readonly isChart: boolean;
  readonly images: readonly ChartImage[];
  readonly skipped: readonly ChartSkipped[];
}

/** Where an entry's chart is read from: a registry's manifests and blobs. */
export interface ChartSource {
  tags(reference: string): Promise<string[]>;
  manifest(reference: string): Promise<{ json: Record<string, unknown>; bytes: Buffer; digest: string; mediaType: string }>;
  /** The blob's bytes as they come: the reader checks their length and digest. */
  openBlob(reference: string, blob: Descriptor): AsyncIterable<unknown>;
}

export function registryChartSource(registries: Registries): ChartSource {
  return {
    async tags(reference) {
      const parsed = parseReference(reference);
      return registries.reader(parsed.registry).listTags(parsed.repository, {
        keep: (tag) => semver.valid(tag.replace(/_/g, '+')) !== null,
        onKept: (count) => {
          if (count > maxTags) throw new Error(`more than ${maxTags} version tags`);
        },
      });
    },
    async manifest(reference) {
      const parsed = parseReference(reference);
      const manifest = await registries.reader(parsed.registry).getManifest(parsed.repository, parsed.digest ?? parsed.tag ?? 'latest');
      return { json: manifest.json, bytes: manifest.bytes, digest: manifest.descriptor.digest, mediaType: manifest.descriptor.mediaType };
    },
    openBlob(reference, blob) {
      const parsed = parseReference(reference);
      return registries.reader(parsed.registry).getBlob(parsed.repository, blob.digest, blob.size);
    },
  };
}

export function chartFieldsOf(entry: ImageEntry): ChartField[] {
  return entry.fields.filter((field): field is ChartField => field.kind === 'chart');
}

/** The newest tag that satisfies `range`, as Helm writes versions in tags (`+` as `_`). */
async function resolveRange(source: ChartSource, name: string, range: string): Promise<string> {
  const versions = (await source.tags(name)).map((tag) => ({ tag, version: tag.replace(/_/g, '+') }));
  const best = semver.maxSatisfying(
    versions.map(({ version }) => version),
    range,
  );
  const found = versions.find(({ version }) => version === best);
  if (found === undefined) throw new Error(`no tag of ${name} satisfies ${range} (${versions.length} version tags there)`);
  return found.tag;
}

/** One chart: its range resolved, its manifest and content read, its images found. */
async function readChart(entry: ImageEntry, source: ChartSource, imageKeys: ReadonlySet<string>): Promise<ChartRead> {
  const [field] = chartFieldsOf(entry);
  const ranges = new Set(chartFieldsOf(entry).flatMap((chart) => (chart.range === undefined ? [] : [chart.range])));
  if (ranges.size > 1)
    throw new Error(
      `the chart is asked for in ${ranges.size} version ranges (${[...ranges].join(', ')}): give each the same range, or an exact version`,
    );
  const [range] = ranges;
  let resolved: ChartRead['resolved'];
  let reference = entry.source;
  if (range !== undefined && parseReference(entry.source).tag === undefined && parseReference(entry.source).digest === undefined) {
    const tag = await resolveRange(source, entry.source, range);
    resolved = { range, version: tag.replace(/_/g, '+') };
    reference = referenceText(parseReference(entry.source).name, tag, undefined);
  }
  const manifest = await source.manifest(reference);
  const decoded = decodeManifest({
    descriptor: { mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.bytes.length },
    bytes: manifest.bytes,
    json: manifest.json,
  });
  const config = decoded.kind === 'image' ? decoded.blobs[0] : undefined;
  const isChart = config?.mediaType === chartConfigType;
  const chartShaped = field !== undefined && !field.urlIsChart;
  // A resolved range is the version the chart is tagged with where it goes, too.
  const resolvedTag = parseReference(reference).tag;
  const updated =
    resolved === undefined || resolvedTag === undefined
      ? { ...entry, source: reference }
      : { ...entry, source: reference, newImage: referenceText(nameText(parseReferenceParts(entry.newImage)), resolvedTag, undefined) };
  if (!isChart) {
    if (chartShaped || field?.shape === 'OCIRepository')
      throw new Error(
        `${reference} is not a Helm chart: its ${decoded.kind === 'image' ? `config is ${quoted(config?.mediaType ?? '')}` : `manifest is ${decoded.kind === 'index' ? 'an index' : 'an artifact'}`}, not ${chartConfigType}`,
      );
    return { entry: updated, ...(resolved === undefined ? {} : { resolved }), isChart: false, images: [], skipped: [] };
  }
  const contents = decoded.blobs.filter((blob) => blob.mediaType === chartContentType);
  const [content] = contents;
  if (content === undefined || contents.length > 1)
    throw new Error(`${reference} has ${contents.length} chart content layers, where a chart has one`);
  if (content.size > maxChartBytes) throw new Error(`${reference}: its chart content is ${content.size} bytes, more than ${maxChartBytes}`);
  const tgz = await readWhole(source.openBlob(reference, content), content);
  let found;
  try {
    found = chartImages(await readChartArchive(tgz, `${reference}'s chart archive`), imageKeys);
  } catch (error) {
    if (error instanceof ChartArchiveError) throw new Error(error.message, { cause: error });
    throw new Error(`${reference}: ${(error as Error).message}`, { cause: error });
  }
  return { entry: updated, ...(resolved === undefined ? {} : { resolved }), isChart: true, images: found.images, skipped: found.skipped };
}

export interface ChartsFound {
  /** The run's entries: each chart's source resolved, and one more entry per image a chart names and no other entry is. */
  readonly entries: readonly ImageEntry[];
  readonly charts: readonly ChartRead[];
  readonly errors: readonly ManifestError[];
}

/** Reads every chart of the run; an error names the line that names the chart. */
export async function readCharts(
  entries: readonly ImageEntry[],
  source: ChartSource,
  options: {
    imageKeys: readonly string[];
    naming: Parameters<typeof destinationName>[1];
    limit: <T>(work: () => Promise<T>) => Promise<T>;
  },
): Promise<ChartsFound> {
  const imageKeys = new Set(options.imageKeys);
  const charted = entries.filter((entry) => chartFieldsOf(entry).length > 0);
  const errors: ManifestError[] = [];
  const charts: ChartRead[] = [];
  await Promise.all(
    charted.map((entry) =>
      options.limit(async () => {
        try {
          charts.push(await readChart(entry, source, imageKeys));
        } catch (error) {
          for (const field of chartFieldsOf(entry)) errors.push(errorAt(field, `the chart ${entry.source}: ${(error as Error).message}`));
        }
      }),
    ),
  );
  charts.sort((a, b) => (a.entry.image < b.entry.image ? -1 : a.entry.image > b.entry.image ? 1 : 0));
  const byImage = new Map(entries.map((entry) => [entry.image, entry]));
  for (const chart of charts) byImage.set(chart.entry.image, chart.entry);
  // Two different images must not get one name, from a chart as from the workspace: one would overwrite the other.
  // Keyed as the destination tags: name and tag, `latest` where none is written.
  const claim = (newImage: string): string => referenceText(nameText(parseReferenceParts(newImage)), impliedTag(newImage), undefined);
  const named = new Map([...byImage.values()].map((entry) => [claim(entry.newImage), entry.source]));
  for (const chart of charts) {
    for (const image of chart.images) {
      if (byImage.has(image.image)) continue;
      const newImage = destinationName(image.image, options.naming);
      const other = named.get(claim(newImage));
      if (other !== undefined && other !== image.image) {
        for (const field of chartFieldsOf(chart.entry))
          errors.push(
            errorAt(
              field,
              `the chart ${chart.entry.source} names ${image.image} (${quoted(image.where)}), which would become ${newImage} as ${other} does: give one its own name with a lock override`,
            ),
          );
        continue;
      }
      named.set(claim(newImage), image.image);
      byImage.set(image.image, { image: image.image, source: image.image, newImage, fields: [] });
    }
  }
  return { entries: [...byImage.values()], charts, errors };
}

/** What a chart yielded, as a log line. */
export function chartLine(chart: ChartRead): string {
  const version = chart.resolved === undefined ? '' : ` (${chart.resolved.range} resolved to ${chart.resolved.version})`;
  const images = [...new Set(chart.images.map((image) => image.image))];
  return chart.isChart
    ? `${chart.entry.source}${version}: ${images.length === 1 ? '1 image' : `${images.length} images`} in its values and annotations${images.length === 0 ? '' : `: ${images.join(', ')}`}`
    : `${chart.entry.source}${version}: an OCI artifact, not a Helm chart: copied whole, no images read from it`;
}
