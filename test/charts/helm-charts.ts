// Helm charts made the way `helm package` and `helm push` make them, with no Helm binary: a gzip tar
// of the chart's folder (Chart.yaml, values.yaml, templates, subcharts as folders or as .tgz under
// charts/), pushed as an OCI image manifest whose config is the Chart.yaml as JSON
// (application/vnd.cncf.helm.config.v1+json) and whose one layer is the archive.
import { gzipSync } from 'node:zlib';
import type { RegistryClient } from '../../src/registry/client.js';
import { type Pushed, ociManifest, pushBlob, pushManifest } from '../registry/supply-chain.js';
import { type TarEntry, tarOf } from '../tar.js';

export const chartConfigType = 'application/vnd.cncf.helm.config.v1+json';
export const chartContentType = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';

export interface ChartSpec {
  readonly name: string;
  readonly version: string;
  readonly appVersion?: string;
  readonly values?: string;
  /** Chart.yaml annotations. */
  readonly annotations?: Record<string, string>;
  /** Subcharts packed as charts/<name>-<version>.tgz. */
  readonly packed?: readonly ChartSpec[];
  /** Subcharts kept as folders under charts/. */
  readonly folders?: readonly ChartSpec[];
  /** More entries, for hostile archives. */
  readonly extra?: readonly TarEntry[];
}

function chartYaml(spec: ChartSpec): string {
  const lines = [`apiVersion: v2`, `name: ${spec.name}`, `version: ${spec.version}`];
  if (spec.appVersion !== undefined) lines.push(`appVersion: "${spec.appVersion}"`);
  if (spec.annotations !== undefined) {
    lines.push('annotations:');
    for (const [key, value] of Object.entries(spec.annotations)) lines.push(`  ${key}: ${JSON.stringify(value)}`);
  }
  return `${lines.join('\n')}\n`;
}

async function entriesOf(spec: ChartSpec, dir: string): Promise<TarEntry[]> {
  const entries: TarEntry[] = [
    { name: `${dir}/Chart.yaml`, body: Buffer.from(chartYaml(spec)) },
    { name: `${dir}/templates/deployment.yaml`, body: Buffer.from('image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"\n') },
  ];
  if (spec.values !== undefined) entries.push({ name: `${dir}/values.yaml`, body: Buffer.from(spec.values) });
  for (const sub of spec.packed ?? [])
    entries.push({ name: `${dir}/charts/${sub.name}-${sub.version}.tgz`, body: await chartArchive(sub) });
  for (const sub of spec.folders ?? []) entries.push(...(await entriesOf(sub, `${dir}/charts/${sub.name}`)));
  return entries;
}

/** The chart as `helm package` writes it: `<name>/...` in a gzip tar. */
export async function chartArchive(spec: ChartSpec): Promise<Buffer> {
  return gzipSync(await tarOf([...(await entriesOf(spec, spec.name)), ...(spec.extra ?? [])]));
}

/** Pushes the chart as `helm push` does, tagged with its version (`+` written `_`); `content` replaces the archive. */
export async function pushChart(client: RegistryClient, repository: string, spec: ChartSpec, content?: Buffer): Promise<Pushed> {
  const config = await pushBlob(
    client,
    repository,
    Buffer.from(
      JSON.stringify({
        name: spec.name,
        version: spec.version,
        apiVersion: 'v2',
        ...(spec.appVersion ? { appVersion: spec.appVersion } : {}),
      }),
    ),
    chartConfigType,
  );
  const layer = await pushBlob(client, repository, content ?? (await chartArchive(spec)), chartContentType);
  return pushManifest(
    client,
    repository,
    {
      schemaVersion: 2,
      mediaType: ociManifest,
      config,
      layers: [layer],
      annotations: { 'org.opencontainers.image.title': spec.name, 'org.opencontainers.image.version': spec.version },
    },
    spec.version.replace(/\+/g, '_'),
  );
}
