// The images a chart names without being rendered: in its values (image strings, `images:` lists,
// Helm values maps composed as ferry composes them in the workspace, with the chart's appVersion), in
// its subcharts' values (under the subchart's key, as Helm passes them), and in the images annotations
// (`helm.sh/images`, `artifacthub.io/images`, Bitnami's `images`). Templates that build names in other
// ways are not rendered: there is no Helm here.
import { composeHelm } from '../manifests/kinds/helm.js';
import { placeholderReason } from '../manifests/placeholder.js';
import { InvalidReferenceError, parseReference } from '../reference.js';
import { yamlValues } from '../yaml/data.js';
import type { ChartContent } from './chart-archive.js';

/** How an image is written in the chart's values, to write the new one the same way. */
export type ValuesShape =
  | { readonly kind: 'string'; readonly path: readonly (string | number)[] }
  | { readonly kind: 'list'; readonly path: readonly (string | number)[]; readonly items: readonly unknown[] }
  | {
      readonly kind: 'map';
      readonly path: readonly (string | number)[];
      readonly registry: boolean;
      readonly digest: boolean;
      /** The tag the chart renders (its own, else the appVersion), which a pin keeps. */
      readonly tag: string | undefined;
    };

export interface ChartImage {
  readonly image: string;
  /** Where the chart names it: `podinfo/values.yaml image.repository`, `podinfo/Chart.yaml annotation helm.sh/images`. */
  readonly where: string;
  /** How the values write it; undefined for an annotation, which no values file changes. */
  readonly values?: ValuesShape;
}

export interface ChartSkipped {
  readonly where: string;
  readonly value: string;
  readonly reason: string;
}

const annotationKeys = ['helm.sh/images', 'artifacthub.io/images', 'images'];

function data(text: string | undefined, what: string): unknown {
  if (text === undefined) return undefined;
  try {
    return yamlValues(text)[0];
  } catch (error) {
    throw new Error(`${what} is not YAML: ${(error as Error).message}`, { cause: error });
  }
}

const isMap = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const scalarText = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;

/** Images one chart may name, its subcharts' included: past this, the chart is refused. */
export const maxChartImages = 10_000;

class Finder {
  readonly images: ChartImage[] = [];
  readonly skipped: ChartSkipped[] = [];
  /** Each map or list walked once: an alias (YAML's `*name`) reaches one node by many paths, and a bomb by millions. */
  private readonly walked = new WeakSet<object>();
  constructor(private readonly imageKeys: ReadonlySet<string>) {}

  private add(value: string, where: string, values?: ValuesShape): void {
    if (this.images.length + this.skipped.length >= maxChartImages)
      throw new Error(`the chart names more than ${maxChartImages} images and placeholders`);
    const reason = placeholderReason(value);
    if (reason !== undefined) {
      this.skipped.push({ where, value, reason });
      return;
    }
    try {
      parseReference(value);
    } catch (error) {
      if (!(error instanceof InvalidReferenceError)) throw error;
      this.skipped.push({ where, value, reason: `not an image reference: ${error.reason}` });
      return;
    }
    this.images.push({ image: value, where, ...(values === undefined ? {} : { values }) });
  }

  /** `own`: how much of `path` is the subchart's key in its parents' values, which its own file does not write. */
  values(node: unknown, path: (string | number)[], file: string, appVersion: string | undefined, own = path.length, depth = 0): void {
    if (depth > 100 || typeof node !== 'object' || node === null || this.walked.has(node)) return;
    this.walked.add(node);
    if (Array.isArray(node)) {
      node.forEach((item, index) => this.values(item, [...path, index], file, appVersion, own, depth + 1));
      return;
    }
    if (!isMap(node)) return;
    for (const [key, value] of Object.entries(node)) {
      const at = [...path, key];
      const where = `${file} ${at.slice(own).join('.')}`;
      if (this.imageKeys.has(key) && typeof value === 'string') this.add(value, where, { kind: 'string', path: at });
      else if (this.imageKeys.has(key) && isMap(value) && typeof value.repository === 'string') {
        const registry = scalarText(value.registry);
        const tag = scalarText(value.tag) || appVersion;
        const digest = scalarText(value.digest) || undefined;
        this.add(composeHelm(registry, value.repository, tag, digest), where, {
          kind: 'map',
          path: at,
          registry: registry !== undefined,
          digest: 'digest' in value,
          tag,
        });
        continue;
      } else if (key === 'images' && Array.isArray(value)) {
        value.forEach((item, index) => {
          if (typeof item === 'string') this.add(item, `${where}.${index}`, { kind: 'list', path: at, items: value });
        });
      }
      this.values(value, at, file, appVersion, own, depth + 1);
    }
  }

  annotations(chart: Readonly<Record<string, unknown>>, file: string): void {
    const annotations = isMap(chart.annotations) ? chart.annotations : {};
    for (const key of annotationKeys) {
      const text = annotations[key];
      if (typeof text !== 'string') continue;
      const list = data(text, `${file} annotation ${key}`);
      if (!Array.isArray(list)) continue;
      for (const item of list) {
        const image = isMap(item) ? item.image : undefined;
        if (typeof image === 'string') this.add(image, `${file} annotation ${key}`);
      }
    }
  }
}

/** The images a chart and its subcharts name, and the values that look like images but are not yet. */
export function chartImages(chart: ChartContent, imageKeys: ReadonlySet<string>): { images: ChartImage[]; skipped: ChartSkipped[] } {
  const finder = new Finder(imageKeys);
  const visit = (content: ChartContent, path: string[]): void => {
    const appVersion = scalarText(content.chart.appVersion) || undefined;
    finder.values(data(content.values, `${content.path}/values.yaml`), [...path], `${content.path}/values.yaml`, appVersion);
    finder.annotations(content.chart, `${content.path}/Chart.yaml`);
    for (const sub of content.subcharts) visit(sub, [...path, sub.name]);
  };
  visit(chart, []);
  return finder;
}
