// Helm charts in OCI registries as Flux, Argo CD, Chart.yaml and kustomize name them: found at the
// line that names the chart, composed into one reference, named onto a default repo with the chart's
// name last, and written back so that each format composes to the new name.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { planCommit } from '../../src/commit.js';
import { rewriteChart } from '../../src/default-repo.js';
import { collectImages } from '../../src/images.js';
import type { ChartField } from '../../src/manifests/field.js';
import { chartVersion } from '../../src/manifests/kinds/chart.js';
import { scanManifests } from '../../src/manifests/scan.js';
import { Workspace } from '../../src/workspace.js';
import { scratchDir } from '../registry/harness.js';

const digest = `sha256:${'d'.repeat(64)}`;

async function scan(files: Record<string, string>, charts = true) {
  const workspace = scratchDir('chart-sources');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true });
    writeFileSync(path.join(workspace, name), text);
  }
  return scanManifests({
    files: new Workspace(workspace, workspace),
    maxManifestBytes: 1 << 20,
    patterns: ['**/*.yaml'],
    imageKeys: ['image'],
    exclude: [],
    charts,
  });
}

const flux = {
  'sources/repo.yaml':
    'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\n  namespace: flux-system\nspec:\n  type: oci\n  url: oci://ghcr.io/acme/charts\n',
  'apps/podinfo.yaml':
    'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\nspec:\n  chart:\n    spec:\n      chart: podinfo\n      version: 6.5.0\n      sourceRef:\n        kind: HelmRepository\n        name: charts\n        namespace: flux-system\n',
  'apps/redis.yaml':
    'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: redis\nspec:\n  chart:\n    spec:\n      chart: redis\n      version: "~18.1"\n      sourceRef:\n        kind: HelmRepository\n        name: charts\n        namespace: flux-system\n',
};

/** The run's images from what was scanned, named as `naming` says (no default repo, no pinning, unless given). */
function imagesOf(scanned: Awaited<ReturnType<typeof scan>>, naming: { defaultRepo?: string; repository?: string; pinned?: boolean }) {
  return collectImages(
    scanned.manifests.flatMap((manifest) => manifest.fields),
    {
      defaultRepo: naming.defaultRepo ?? '',
      multiLevel: undefined,
      repository: naming.repository ?? '',
      overrides: new Map(),
      includeLocked: false,
      pinned: naming.pinned ?? false,
    },
  );
}

function charts(scanned: Awaited<ReturnType<typeof scan>>): ChartField[] {
  return scanned.manifests.flatMap((manifest) => manifest.fields).filter((field): field is ChartField => field.kind === 'chart');
}

describe('chart references', () => {
  it('joins a HelmRelease to the HelmRepository it names, at the release line, edited where the URL is', async () => {
    const scanned = await scan(flux);
    assert.deepEqual(scanned.errors, []);
    const found = charts(scanned).sort((a, b) => a.value.localeCompare(b.value));
    assert.deepEqual(
      found.map((field) => [field.value, `${field.file}:${field.line}`, field.urlFile, field.range]),
      [
        ['ghcr.io/acme/charts/podinfo:6.5.0', 'apps/podinfo.yaml:8', 'sources/repo.yaml', undefined],
        ['ghcr.io/acme/charts/redis', 'apps/redis.yaml:8', 'sources/repo.yaml', '~18.1'],
      ],
    );
    // Both releases move their shared repository to one URL: one edit, not an overlap.
    const set = imagesOf(scanned, { defaultRepo: 'registry.example/team' });
    assert.deepEqual(set.errors, []);
    const targets = new Map(set.entries.map((entry) => [entry.image, { image: entry.newImage, tag: undefined }]));
    const plan = planCommit(scanned.manifests, targets, { outputDir: undefined, kustomize: scanned.kustomize });
    assert.deepEqual(plan.errors, []);
    assert.equal(plan.writes.length, 1);
    assert.match(plan.writes[0]?.text ?? '', /\n {2}url: oci:\/\/registry\.example\/team\/ghcr_io_acme_charts\n/);
    assert.deepEqual(plan.changes.map((change) => change.rendered).sort(), [
      'registry.example/team/ghcr_io_acme_charts/podinfo:6.5.0',
      'registry.example/team/ghcr_io_acme_charts/redis',
    ]);
  });

  it('refuses a release whose source is not in the workspace, at its line', async () => {
    const scanned = await scan({ 'apps/podinfo.yaml': flux['apps/podinfo.yaml'] });
    assert.equal(scanned.errors.length, 1);
    assert.match(
      scanned.errors[0]?.message ?? '',
      /^apps\/podinfo\.yaml:8:\d+: this HelmRelease's sourceRef names the HelmRepository charts in flux-system, which no file of the workspace holds/,
    );
  });

  it('leaves chart references alone with charts: false', async () => {
    const scanned = await scan({ 'apps/podinfo.yaml': flux['apps/podinfo.yaml'] }, false);
    assert.deepEqual(scanned.errors, []);
    assert.deepEqual(charts(scanned), []);
  });

  it('finds Argo CD sources, Chart.yaml dependencies, kustomize helmCharts and OCIRepositories', async () => {
    const scanned = await scan({
      'argo/app.yaml':
        'apiVersion: argoproj.io/v1alpha1\nkind: Application\nspec:\n  sources:\n    - repoURL: ghcr.io/acme/charts\n      chart: web\n      targetRevision: 1.2.3\n    - repoURL: https://github.com/acme/config.git\n      path: x\n    - repoURL: https://charts.example/stable\n      chart: classic\n      targetRevision: 1.0.0\n',
      'argo/set.yaml':
        'apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nspec:\n  template:\n    spec:\n      source:\n        repoURL: oci://ghcr.io/acme/charts/api\n        targetRevision: "{{ .version }}"\n',
      'chart/Chart.yaml':
        'apiVersion: v2\nname: umbrella\nversion: 0.1.0\ndependencies:\n  - name: db\n    version: 2.0.0+build.1\n    repository: oci://registry.example:5000/charts\n  - name: cache\n    version: 1.0.0\n    repository: https://charts.example\n',
      'kustomize/kustomization.yaml':
        'helmCharts:\n  - name: ingress\n    repo: oci://ghcr.io/acme/charts\n    version: 4.0.0\n    releaseName: ingress\n',
      'flux/oci.yaml':
        'apiVersion: source.toolkit.fluxcd.io/v1beta2\nkind: OCIRepository\nmetadata:\n  name: podinfo\nspec:\n  url: oci://ghcr.io/acme/charts/podinfo\n  ref:\n    semver: ">=6.0.0"\n  layerSelector:\n    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip\n    operation: copy\n---\napiVersion: source.toolkit.fluxcd.io/v1beta2\nkind: OCIRepository\nmetadata:\n  name: manifests\nspec:\n  url: oci://ghcr.io/acme/manifests\n  ref:\n    tag: latest\n',
    });
    assert.deepEqual(scanned.errors, []);
    assert.deepEqual(
      charts(scanned)
        .map((field) => `${field.shape} ${field.value} ${field.file}:${field.line}${field.range ? ` ${field.range}` : ''}`)
        .sort(),
      [
        'Argo CD ghcr.io/acme/charts/web:1.2.3 argo/app.yaml:6',
        'Chart.yaml registry.example:5000/charts/db:2.0.0_build.1 chart/Chart.yaml:5',
        'OCIRepository ghcr.io/acme/charts/podinfo flux/oci.yaml:6 >=6.0.0',
        'helmCharts ghcr.io/acme/charts/ingress:4.0.0 kustomize/kustomization.yaml:2',
      ],
    );
    assert.deepEqual(
      scanned.placeholders.map((placeholder) => `${placeholder.file}:${placeholder.line} ${placeholder.value}`),
      ['argo/set.yaml:8 {{ .version }}'],
    );
  });

  it('pins an OCIRepository by digest in its ref, and keeps Argo CD without a scheme', async () => {
    const scanned = await scan({
      'flux/oci.yaml':
        'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: podinfo\nspec:\n  url: oci://ghcr.io/acme/charts/podinfo\n  ref:\n    tag: 6.5.0\n---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\nspec:\n  chartRef:\n    kind: OCIRepository\n    name: podinfo\n',
      'argo/app.yaml':
        'apiVersion: argoproj.io/v1alpha1\nkind: Application\nspec:\n  source:\n    repoURL: ghcr.io/acme/charts\n    chart: web\n    targetRevision: 1.2.3\n',
    });
    assert.deepEqual(scanned.errors, []);
    const targets = new Map([
      ['ghcr.io/acme/charts/podinfo:6.5.0', { image: `registry.example/ghcr_io_acme_charts/podinfo@${digest}`, tag: '6.5.0' }],
      ['ghcr.io/acme/charts/web:1.2.3', { image: `registry.example/ghcr_io_acme_charts/web@${digest}`, tag: '1.2.3' }],
    ]);
    const plan = planCommit(scanned.manifests, targets, { outputDir: undefined, kustomize: scanned.kustomize });
    assert.deepEqual(plan.errors, []);
    const text = (name: string) => plan.writes.find((write) => write.path.endsWith(name))?.text ?? '';
    assert.match(
      text('oci.yaml'),
      /url: oci:\/\/registry\.example\/ghcr_io_acme_charts\/podinfo\n {2}ref:\n {4}tag: 6\.5\.0\n {4}digest: sha256:d{64}\n/,
    );
    assert.match(text('app.yaml'), /repoURL: registry\.example\/ghcr_io_acme_charts\n {4}chart: web\n {4}targetRevision: 1\.2\.3\n/);
  });

  it('refuses charts in the one-repository layout, naming the line', async () => {
    const scanned = await scan(flux);
    const set = imagesOf(scanned, { repository: 'registry.example/all', pinned: true });
    assert.equal(set.errors.length, 2);
    assert.match(set.errors[0]?.message ?? '', /^apps\/podinfo\.yaml:8:\d+: a Helm chart cannot go into one repository/);
  });

  it("takes an OCIRepository's semver over its tag, as Flux does", async () => {
    const scanned = await scan({
      'flux/oci.yaml':
        'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: podinfo\nspec:\n  url: oci://ghcr.io/acme/charts/podinfo\n  ref:\n    tag: 6.5.0\n    semver: ">=6.7.0"\n  layerSelector:\n    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip\n',
    });
    assert.deepEqual(
      charts(scanned).map((field) => [field.value, field.range]),
      [['ghcr.io/acme/charts/podinfo', '>=6.7.0']],
    );
  });

  it('refuses a templated release whose repository moves with the other releases', async () => {
    const scanned = await scan({
      ...flux,
      'apps/templated.yaml': flux['apps/podinfo.yaml']
        .replace('name: podinfo', 'name: templated')
        .replace('version: 6.5.0', 'version: ${WEB_VERSION}'),
    });
    assert.equal(scanned.errors.length, 1);
    assert.match(
      scanned.errors[0]?.message ?? '',
      /^apps\/templated\.yaml:8:\d+: this HelmRelease's chart or version is a template, and the HelmRepository charts it shares/,
    );
  });

  it('refuses a copy whose tag is not the version the format asks for', async () => {
    const scanned = await scan({ 'flux/repo.yaml': flux['sources/repo.yaml'], 'apps/podinfo.yaml': flux['apps/podinfo.yaml'] });
    const plan = planCommit(
      scanned.manifests,
      new Map([['ghcr.io/acme/charts/podinfo:6.5.0', { image: `registry.example/ghcr_io_acme_charts/podinfo@${digest}`, tag: '6.5.1' }]]),
      { outputDir: undefined, kustomize: scanned.kustomize },
    );
    assert.equal(plan.writes.length, 0);
    assert.match(
      plan.errors[0]?.message ?? '',
      /^apps\/podinfo\.yaml:8:\d+: the chart's copy is tagged 6\.5\.1, and HelmRepository asks for 6\.5\.0/,
    );
  });
});

describe('chart naming and versions', () => {
  it("keeps the chart's name last under every default-repo strategy", () => {
    assert.equal(
      rewriteChart('ghcr.io/acme/charts/podinfo:6.5.0', 'registry.example/team'),
      'registry.example/team/ghcr_io_acme_charts/podinfo:6.5.0',
    );
    assert.equal(
      rewriteChart('ghcr.io/acme/charts/podinfo:6.5.0', 'registry.example/team', { multiLevel: true }),
      'registry.example/team/ghcr.io/acme/charts/podinfo:6.5.0',
    );
    assert.equal(rewriteChart('registry.example/team/x/podinfo:1.0.0', 'registry.example/team'), 'registry.example/team/x/podinfo:1.0.0');
  });

  it('tells exact versions (tags) from ranges', () => {
    assert.deepEqual(chartVersion('6.5.0'), { tag: '6.5.0' });
    assert.deepEqual(chartVersion('1.0.0+meta'), { tag: '1.0.0_meta' });
    assert.deepEqual(chartVersion('~1.2'), { range: '~1.2' });
    assert.deepEqual(chartVersion('>=6.0.0 <7'), { range: '>=6.0.0 <7' });
    assert.deepEqual(chartVersion('latest'), { tag: 'latest' });
    assert.ok('error' in chartVersion('not a version!'));
    // The checkout's text, quoted as one line: a line separator in it is escaped.
    assert.deepEqual(chartVersion('1.0\u2028::warning::x'), {
      error: '"1.0\\u2028::warning::x" is neither a version, a version range nor an OCI tag',
    });
  });
});
