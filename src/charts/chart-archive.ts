// A Helm chart's content (`helm package`'s gzip tar) read as untrusted input: unzipped and read in
// memory within bounds, every entry a regular file or folder under the chart's own folder (no link, no
// absolute path, no `..`), and only what finding its images needs kept: each chart's Chart.yaml and
// values.yaml, and its subcharts (folders under charts/, and charts/*.tgz, read the same way).
import { gunzipSync } from 'node:zlib';
import { readTar, TarError } from '../archive/tar-reader.js';
import type { ByteReader } from '../archive/spanned-file.js';
import { yamlValues } from '../yaml/data.js';
import { hasControlCharacters, quoted } from '../untrusted-text.js';

/** A chart's gzip tar, at most: real charts are kilobytes, the largest public ones a few MiB. */
export const maxChartBytes = 20 * 1024 * 1024;
/** What a chart unzips to, at most, its subcharts' archives included. */
const maxUnzippedBytes = 100 * 1024 * 1024;
/** Chart.yaml or values.yaml of one chart, at most. */
const maxChartFileBytes = 4 * 1024 * 1024;
/** Subcharts inside subcharts, at most this deep. */
const maxDepth = 5;
/** Charts in one chart archive, subcharts included. */
const maxCharts = 200;

export interface ChartContent {
  /** The chart's name as its Chart.yaml says, else its folder's. */
  readonly name: string;
  /** Where it is: `podinfo`, `podinfo/charts/redis`. */
  readonly path: string;
  /** Its Chart.yaml as data (name, appVersion, annotations, ...); empty when it has none. */
  readonly chart: Readonly<Record<string, unknown>>;
  readonly values: string | undefined;
  readonly subcharts: readonly ChartContent[];
}

export class ChartArchiveError extends Error {}

function bufferReader(bytes: Buffer): ByteReader {
  return {
    async read(buffer, offset, length, position) {
      const end = Math.min(bytes.length, position + length);
      const count = Math.max(0, end - position);
      bytes.copy(buffer, offset, position, position + count);
      return { bytesRead: count };
    },
    async stat() {
      return { size: bytes.length };
    },
    async close() {},
  };
}

/** A name inside the archive, checked: relative, no `..`, no empty or `.` parts past the first. */
function entryPath(name: string): string {
  const parts = name.replace(/\/+$/, '').split('/');
  if (name.startsWith('/') || parts.some((part) => part === '..') || name.includes('\\') || name.includes('\0'))
    throw new ChartArchiveError(`the entry ${quoted(name, 200)} leaves the chart's folder`);
  return parts.filter((part) => part !== '.' && part !== '').join('/');
}

/** The files of a chart tar that matter, by path. */
async function chartFiles(tar: Buffer): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  let root: string | undefined;
  await readTar(bufferReader(tar), (entry) => {
    if (entry.type !== 'file' && entry.type !== 'directory')
      throw new ChartArchiveError(`the entry ${quoted(entry.name, 200)} is a ${entry.type}, which a chart never holds`);
    // A name is shown in messages and the log: one that could break a line or a command is refused.
    if (hasControlCharacters(entry.name))
      throw new ChartArchiveError(`an entry's name holds control characters: ${quoted(entry.name, 200)}`);
    const name = entryPath(entry.name);
    const [top] = name.split('/');
    if (top === undefined || top === '') return undefined;
    if (root === undefined) root = top;
    else if (top !== root)
      throw new ChartArchiveError(`the entries are in two folders (${quoted(root, 100)}, ${quoted(top, 100)}); a chart is in one`);
    if (entry.type !== 'file') return undefined;
    const wanted = /(?:^|\/)(?:Chart\.yaml|values\.yaml)$/.test(name) || /\/charts\/[^/]+\.tgz$/.test(name);
    if (!wanted) return undefined;
    if (entry.size > (name.endsWith('.tgz') ? maxChartBytes : maxChartFileBytes))
      throw new ChartArchiveError(`${quoted(name, 200)} is ${entry.size} bytes, more than a chart file ferry reads`);
    const chunks: Buffer[] = [];
    return {
      update: (chunk) => void chunks.push(Buffer.from(chunk)),
      end: () => void files.set(name, Buffer.concat(chunks)),
    };
  });
  return files;
}

interface Budget {
  charts: number;
  bytes: number;
}

function unzip(bytes: Buffer, what: string, budget: Budget): Buffer {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) throw new ChartArchiveError(`${what} is not a gzip file`);
  try {
    const unzipped = gunzipSync(bytes, { maxOutputLength: Math.max(1, maxUnzippedBytes - budget.bytes) });
    budget.bytes += unzipped.length;
    return unzipped;
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new ChartArchiveError(
      code === 'ERR_BUFFER_TOO_LARGE' ? `${what} unzips to more than ${maxUnzippedBytes} bytes` : `${what} is not a valid gzip file`,
    );
  }
}

/** A Chart.yaml as data: its first document, a map (anything else reads as an empty one). */
function chartYamlOf(text: string | undefined, what: string): Record<string, unknown> {
  if (text === undefined) return {};
  let chart: unknown;
  try {
    [chart] = yamlValues(text);
  } catch (error) {
    throw new ChartArchiveError(`${what} is not YAML: ${(error as Error).message}`);
  }
  return typeof chart === 'object' && chart !== null && !Array.isArray(chart) ? (chart as Record<string, unknown>) : {};
}

/** A chart and its subcharts from the files under `dir`. */
async function chartAt(files: Map<string, Buffer>, dir: string, depth: number, budget: Budget): Promise<ChartContent> {
  if (++budget.charts > maxCharts) throw new ChartArchiveError(`more than ${maxCharts} charts and subcharts`);
  const text = (name: string): string | undefined => files.get(`${dir}/${name}`)?.toString('utf8');
  const chart = chartYamlOf(text('Chart.yaml'), `${dir}/Chart.yaml`);
  const folderName = dir.slice(dir.lastIndexOf('/') + 1);
  const declared = typeof chart.name === 'string' && /^[A-Za-z0-9_.-]{1,250}$/.test(chart.name) ? chart.name : undefined;
  const subcharts: ChartContent[] = [];
  const prefix = `${dir}/charts/`;
  if (depth < maxDepth) {
    const folders = new Set<string>();
    for (const name of files.keys()) {
      if (!name.startsWith(prefix)) continue;
      const rest = name.slice(prefix.length);
      if (!rest.includes('/') && rest.endsWith('.tgz')) {
        const inner = await readChartTgz(files.get(name) as Buffer, quoted(`${dir}/charts/${rest}`, 200), depth + 1, budget);
        subcharts.push({ ...inner, path: `${dir}/charts/${inner.name}` });
      } else if (rest.endsWith('/Chart.yaml') && rest.split('/').length === 2) folders.add(rest.split('/')[0] as string);
    }
    for (const folder of [...folders].sort()) subcharts.push(await chartAt(files, `${prefix}${folder}`, depth + 1, budget));
  }
  return { name: declared ?? folderName, path: dir, chart, values: text('values.yaml'), subcharts };
}

async function readChartTgz(bytes: Buffer, what: string, depth: number, budget: Budget): Promise<ChartContent> {
  let files: Map<string, Buffer>;
  try {
    files = await chartFiles(unzip(bytes, what, budget));
  } catch (error) {
    if (error instanceof TarError) throw new ChartArchiveError(`${what} is not a tar: ${error.message}`);
    throw error;
  }
  const roots = new Set([...files.keys()].map((name) => name.split('/')[0] as string));
  const [root] = roots;
  if (root === undefined || !files.has(`${root}/Chart.yaml`)) throw new ChartArchiveError(`${what} holds no Chart.yaml in its folder`);
  return chartAt(files, root, depth, budget);
}

/** The chart a chart archive holds (`helm package`'s .tgz), with its subcharts; throws ChartArchiveError for anything else. */
export function readChartArchive(bytes: Buffer, what = 'the chart archive'): Promise<ChartContent> {
  if (bytes.length > maxChartBytes) throw new ChartArchiveError(`${what} is ${bytes.length} bytes, more than ${maxChartBytes}`);
  return readChartTgz(bytes, what, 0, { charts: 0, bytes: 0 });
}
