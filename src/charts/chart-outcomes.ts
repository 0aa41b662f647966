// What a run did with each chart, once its images are where they go: where the chart went, its
// digest, the images it yielded, and a values file that points them at their new homes, written at
// the commit point beside the lock.
import path from 'node:path';
import type { ChartOutcome, Outcome, WorkResult } from '../result.js';
import type { ChartRead } from './read-charts.js';
import { valuesFileText } from './values-file.js';
import { chartName } from '../manifests/kinds/chart.js';
import { parseReferenceParts } from '../reference.js';

export interface ChartFiles {
  readonly charts: readonly ChartOutcome[];
  readonly files: readonly { readonly path: string; readonly text: string }[];
}

/** Where the values files go: a folder beside the lock, which no run reads as manifests. */
export const valuesFolderOf = (lockFile: string): string => path.join(path.dirname(lockFile), 'ferry-charts');

/**
 * Each chart's outcome and values file. `folder` is where values files go (absolute), `workspace`
 * what their paths are said relative to.
 */
export function chartFiles(charts: readonly ChartRead[], outcomes: readonly Outcome[], folder: string, workspace: string): ChartFiles {
  const byImage = new Map(outcomes.map((outcome) => [outcome.image, outcome]));
  const names = new Set<string>();
  const files: { path: string; text: string }[] = [];
  const results = charts.flatMap((chart): ChartOutcome[] => {
    const outcome = byImage.get(chart.entry.image);
    if (outcome === undefined) return [];
    const images = [...new Set(chart.images.map((image) => image.image))].sort();
    const version = chart.resolved?.version ?? parseReferenceParts(chart.entry.source).tag ?? outcome.digest ?? 'latest';
    const stem = `${chartName(chart.entry.source)}-${version}`.replace(/[^A-Za-z0-9_.+-]/g, '_');
    let base = stem;
    for (let n = 2; names.has(base); n++) base = `${stem}-${n}`;
    names.add(base);
    const text = valuesFileText(
      chart.images,
      (image) => byImage.get(image)?.newImage,
      `Values that point the images of ${outcome.newImage} at where ferry put them.\nWritten by ferry: helm install -f this file, or a HelmRelease's valuesFrom.`,
    );
    const file = path.join(folder, `${base}.values.yaml`);
    if (text !== undefined) files.push({ path: file, text });
    return [
      {
        chart: chart.entry.image,
        newChart: outcome.newImage,
        digest: outcome.digest ?? null,
        ...(chart.resolved === undefined ? {} : { resolved: chart.resolved }),
        images,
        ...(text === undefined ? {} : { values: path.relative(workspace, file).split(path.sep).join('/') }),
      },
    ];
  });
  return { charts: results, files };
}

/**
 * The mode's result with its charts: each chart's outcome, the values files among the files the
 * commit writes (where the mode writes the lock), and the `charts` output.
 */
export function withCharts(
  result: WorkResult,
  charts: readonly ChartRead[],
  settings: { lockFile: string; workspace: string },
  writesFiles: boolean,
): WorkResult {
  const done = chartFiles(charts, result.outcomes, valuesFolderOf(settings.lockFile), settings.workspace);
  return {
    ...result,
    charts: done.charts,
    files: [...(result.files ?? []), ...(writesFiles ? done.files : [])],
    outputs: {
      ...result.outputs,
      charts: JSON.stringify(writesFiles ? done.charts : done.charts.map(({ values: _values, ...rest }) => rest)),
    },
  };
}
