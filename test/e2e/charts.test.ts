// Helm charts in OCI registries travel with the deployment, through dist/index.js: charts that Flux
// (a HelmRepository shared by two releases, one of them a version range; an OCIRepository), Argo CD,
// a Chart.yaml and a kustomization's helmCharts name are copied whole (digests unchanged, skopeo reads
// them back), each reference rewritten so that it composes to the copy, the images in each chart's
// values and subcharts relocated, locked and written to a values file; package and unpackage carry
// them; a chart that is missing or is not a chart fails the run at the line naming it, nothing pushed.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import type { RegistryClient } from '../../src/registry/client.js';
import { type RunningRegistry, anonymousRegistries, scratchDir, sha256, skopeoRaw, startRegistry } from '../registry/harness.js';
import { pushIndex } from '../registry/supply-chain.js';
import { type ChartSpec, pushChart } from '../charts/helm-charts.js';
import { runAction } from './action.js';

describe('dist/index.js: Helm charts as OCI artifacts', () => {
  let source: RunningRegistry;
  let destination: RunningRegistry;
  let clients: ReturnType<typeof anonymousRegistries>;
  const client = (host: string): RegistryClient => clients.client(host);
  const chartDigests = new Map<string, string>();

  const web = (version: string, src: string): ChartSpec => ({
    name: 'web',
    version,
    appVersion: '1.0',
    values: `image:\n  registry: ${src}\n  repository: acme/web\n  tag: ""\n  digest: ""\nsidecar:\n  image: ${src}/acme/sidecar:2\n`,
    packed: [{ name: 'redis', version: '7.0.0', values: `image:\n  repository: ${src}/acme/redis\n  tag: "7"\n` }],
  });

  before(async () => {
    [source, destination] = await Promise.all([startRegistry(), startRegistry()]);
    clients = anonymousRegistries([source.host, destination.host]);
    const src = source.host;
    for (const [repository, tag] of [
      ['acme/web', '1.0'],
      ['acme/sidecar', '2'],
      ['acme/redis', '7'],
      ['acme/api', '3'],
      ['team/app', 'v1'],
    ] as const)
      await pushIndex(client(src), repository, tag);
    for (const version of ['1.2.0', '1.2.3', '1.3.0']) {
      const pushed = await pushChart(client(src), 'charts/web', web(version, src));
      chartDigests.set(`web:${version}`, pushed.digest);
    }
    const api = await pushChart(client(src), 'charts/api', {
      name: 'api',
      version: '0.1.0',
      annotations: { 'helm.sh/images': `- name: api\n  image: ${src}/acme/api:3\n` },
    });
    chartDigests.set('api:0.1.0', api.digest);
    // Not a chart: an image under a chart's name; and a chart whose content is not a gzip tar.
    await pushIndex(client(src), 'charts/notachart', '1.0.0');
    await pushChart(client(src), 'charts/broken', { name: 'broken', version: '1.0.0' }, Buffer.from('not a gzip tar'));
  });
  after(async () => {
    await clients.close();
    await Promise.all([source.stop(), destination.stop()]);
  });

  function workspace(extra: Record<string, string> = {}): string {
    const src = source.host;
    const dir = scratchDir('charts-ws');
    const files: Record<string, string> = {
      'flux/sources.yaml': `apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\n  namespace: flux-system\nspec:\n  type: oci\n  url: oci://${src}/charts\n`,
      'flux/web.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\n  namespace: flux-system\nspec:\n  chart:\n    spec:\n      chart: web\n      version: "~1.2"\n      sourceRef:\n        kind: HelmRepository\n        name: charts\n`,
      'flux/web-old.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web-old\n  namespace: flux-system\nspec:\n  chart:\n    spec:\n      chart: web\n      version: 1.2.0\n      sourceRef:\n        kind: HelmRepository\n        name: charts\n`,
      'flux/api.yaml': `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: api\nspec:\n  url: oci://${src}/charts/api\n  ref:\n    tag: 0.1.0\n  layerSelector:\n    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip\n`,
      'argo/web.yaml': `apiVersion: argoproj.io/v1alpha1\nkind: Application\nspec:\n  source:\n    repoURL: ${src}/charts\n    chart: web\n    targetRevision: 1.3.0\n`,
      'chart/Chart.yaml': `apiVersion: v2\nname: umbrella\nversion: 0.1.0\ndependencies:\n  - name: api\n    version: 0.1.0\n    repository: oci://${src}/charts\n`,
      'k8s/app.yaml': `kind: Pod\nspec:\n  containers:\n    - name: app\n      image: ${src}/team/app:v1\n`,
      ...extra,
    };
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    return dir;
  }

  const inputs = (): Record<string, string> => ({
    manifests: '**/*.yaml',
    'insecure-registries': `${source.host}\n${destination.host}`,
    concurrency: '4',
  });
  const escaped = (): string => `${source.host.replace(/[.:]/g, '_')}_charts`;

  it('relocates every chart whole with its images, rewrites each reference to compose to the copy, and writes values files', async () => {
    const dir = workspace();
    const run = await runAction(dir, { ...inputs(), 'default-repo': `${destination.host}/team` });
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /charts\/web:1\.2\.3 \(~1\.2 resolved to 1\.2\.3\): 3 images in its values and annotations/);
    const newRepo = `${destination.host}/team/${escaped()}`;
    // The charts, whole and with their digests.
    for (const [name, digest] of chartDigests) {
      const raw = await skopeoRaw(`${newRepo}/${name}`, {});
      assert.equal(sha256(raw), digest, name);
    }
    // Each reference composes to its copy.
    const read = (name: string): string => readFileSync(path.join(dir, name), 'utf8');
    assert.match(read('flux/sources.yaml'), new RegExp(`url: oci://${newRepo.replace(/\./g, '\\.')}\\n`));
    assert.match(read('flux/web.yaml'), /version: "~1\.2"/);
    assert.match(
      read('flux/api.yaml'),
      new RegExp(
        `url: oci://${newRepo.replace(/\./g, '\\.')}/api\\n  ref:\\n    tag: 0\\.1\\.0\\n    digest: ${chartDigests.get('api:0.1.0')}\\n`,
      ),
    );
    assert.match(
      read('argo/web.yaml'),
      new RegExp(`repoURL: ${newRepo.replace(/\./g, '\\.')}\\n    chart: web\\n    targetRevision: 1\\.3\\.0\\n`),
    );
    assert.match(read('chart/Chart.yaml'), new RegExp(`repository: oci://${newRepo.replace(/\./g, '\\.')}\\n`));
    // The images inside the charts: copied, locked, and in each chart's values file.
    const lock = read('ferry.lock.yml');
    for (const image of ['acme/web:1.0', 'acme/sidecar:2', 'acme/redis:7', 'acme/api:3'])
      assert.match(lock, new RegExp(`image: ${source.host.replace(/\./g, '\\.')}/${image}\\n`), image);
    const charts = JSON.parse(run.outputs.charts ?? '[]') as {
      chart: string;
      newChart: string;
      digest: string;
      images: string[];
      values?: string;
      resolved?: { version: string };
    }[];
    assert.equal(charts.length, 4);
    const ranged = charts.find((chart) => chart.resolved !== undefined);
    assert.equal(ranged?.resolved?.version, '1.2.3');
    assert.equal(ranged?.digest, chartDigests.get('web:1.2.3'));
    assert.deepEqual(ranged?.images, [`${source.host}/acme/redis:7`, `${source.host}/acme/sidecar:2`, `${source.host}/acme/web:1.0`]);
    const values = parse(read(ranged?.values ?? 'missing')) as {
      image: Record<string, string>;
      sidecar: { image: string };
      redis: { image: Record<string, string> };
    };
    const images = JSON.parse(run.outputs.images ?? '[]') as { image: string; newImage: string }[];
    const newOf = (image: string): string => images.find((entry) => entry.image === `${source.host}/${image}`)?.newImage ?? 'missing';
    assert.equal(values.sidecar.image, newOf('acme/sidecar:2'));
    assert.equal(`${values.image.registry}/${values.image.repository}@${values.image.digest}`, newOf('acme/web:1.0'));
    assert.equal(values.image.tag, '1.0');
    // A map without a digest key is pinned after its tag, as ferry pins such a map in the workspace.
    const [redisName, redisDigest] = newOf('acme/redis:7').split('@');
    assert.deepEqual(values.redis.image, { repository: redisName, tag: `7@${redisDigest}` });
    for (const image of ['acme/web:1.0', 'acme/sidecar:2', 'acme/redis:7', 'acme/api:3']) {
      const raw = await skopeoRaw(`${newOf(image)}`, {});
      assert.equal(sha256(raw), newOf(image).split('@')[1], image);
    }
    assert.match(
      run.summary,
      /<h3>Charts<\/h3>\n<table><tr><th>Chart<\/th>[\s\S]*&#126;1\.2 → 1\.2\.3<\/td><td><span title="[^"]*">3 images<\/span><\/td><td><code>ferry-charts\/web-1\.2\.3\.values\.yaml<\/code>/,
    );
  });

  it('resolve pins chart references where the format can, rewrite moves them with no registry, a dry run reports them', async () => {
    const pinned = workspace();
    const resolved = await runAction(pinned, { ...inputs(), mode: 'resolve' });
    assert.equal(resolved.code, 0, resolved.stdout);
    const read = (dir: string, name: string): string => readFileSync(path.join(dir, name), 'utf8');
    assert.match(
      read(pinned, 'flux/api.yaml'),
      new RegExp(`url: oci://${source.host}/charts/api\\n  ref:\\n    tag: 0\\.1\\.0\\n    digest: ${chartDigests.get('api:0.1.0')}\\n`),
    );
    assert.match(read(pinned, 'flux/sources.yaml'), new RegExp(`url: oci://${source.host}/charts\\n`));
    assert.match(
      read(pinned, 'ferry.lock.yml'),
      new RegExp(`image: ${source.host}/acme/sidecar:2\\n  newImage: ${source.host}/acme/sidecar@sha256:`),
    );

    const moved = workspace();
    const rewritten = await runAction(moved, { ...inputs(), mode: 'rewrite', 'default-repo': `${destination.host}/team` });
    assert.equal(rewritten.code, 0, rewritten.stdout);
    assert.match(read(moved, 'argo/web.yaml'), new RegExp(`repoURL: ${destination.host}/team/${escaped()}\\n`));
    assert.doesNotMatch(rewritten.stdout, /Read charts/);

    const dry = workspace();
    const before = read(dry, 'flux/sources.yaml');
    const dryRun = await runAction(dry, { ...inputs(), 'default-repo': `${destination.host}/dry`, 'dry-run': 'true' });
    assert.equal(dryRun.code, 0, dryRun.stdout);
    assert.equal(read(dry, 'flux/sources.yaml'), before);
    const charts = JSON.parse(dryRun.outputs.charts ?? '[]') as { newChart: string }[];
    assert.equal(charts.length, 4);
    assert.ok(
      charts.every((chart) => chart.newChart.startsWith(`${destination.host}/dry/${escaped()}/`)),
      dryRun.outputs.charts,
    );
  });

  it('packages charts with their images, and unpackages them with no source', async () => {
    const dir = workspace();
    const packaged = await runAction(
      dir,
      { ...inputs(), mode: 'package', archive: 'release.tar' },
      { RUNNER_TEMP: scratchDir('runner-temp') },
    );
    assert.equal(packaged.code, 0, packaged.stdout);
    const site = await runAction(
      dir,
      {
        ...inputs(),
        mode: 'unpackage',
        archive: 'release.tar',
        'default-repo': `${destination.host}/site`,
        'insecure-registries': destination.host,
      },
      { RUNNER_TEMP: scratchDir('runner-temp') },
    );
    assert.equal(site.code, 0, site.stdout);
    const newRepo = `${destination.host}/site/${escaped()}`;
    const raw = await skopeoRaw(`${newRepo}/web:1.3.0`, {});
    assert.equal(sha256(raw), chartDigests.get('web:1.3.0'));
    const charts = JSON.parse(site.outputs.charts ?? '[]') as { images: string[]; values?: string }[];
    assert.equal(charts.length, 4);
    assert.ok(charts.every((chart) => chart.values === undefined || existsSync(path.join(dir, chart.values))));
    const images = JSON.parse(site.outputs.images ?? '[]') as { image: string; newImage: string }[];
    const redis = images.find((entry) => entry.image === `${source.host}/acme/redis:7`);
    assert.ok(redis !== undefined, site.stdout);
    const copied = await skopeoRaw(`${redis.newImage}`, {});
    assert.equal(sha256(copied), redis.newImage.split('@')[1]);
  });

  it('imports a delta whose charts the base carried: each chart read from where the site holds it', async () => {
    const dir = workspace();
    const run = (at: string, extra: Record<string, string>) =>
      runAction(at, { ...inputs(), ...extra }, { RUNNER_TEMP: scratchDir('runner-temp') });
    assert.equal((await run(dir, { mode: 'package', archive: 'base.tar' })).code, 0);
    const delta = await run(dir, { mode: 'package', archive: 'delta.tar', since: 'base.tar' });
    assert.equal(delta.code, 0, delta.stdout);
    assert.match(delta.stdout, /a delta against base\.tar: \d+ blobs \(.*\) left out, which the site holds/);
    // At the site, each import into a checkout of its own (unpackage rewrites the YAML in place).
    const site = (archive: string, defaultRepo?: string): Promise<Awaited<ReturnType<typeof runAction>>> => {
      const checkout = workspace();
      copyFileSync(path.join(dir, archive), path.join(checkout, archive));
      return run(checkout, { mode: 'unpackage', archive, ...(defaultRepo === undefined ? {} : { 'default-repo': defaultRepo }) });
    };
    for (const defaultRepo of [`${destination.host}/delta-site`, undefined]) {
      // Without a default repo, each image goes back under its own name: the source registry is the site.
      const base = await site('base.tar', defaultRepo);
      assert.equal(base.code, 0, base.stdout);
      const imported = await site('delta.tar', defaultRepo);
      assert.equal(imported.code, 0, imported.stdout);
      assert.match(imported.stdout, /delta\.tar: a delta: \d+ blobs it left out are at the destination, where base\.tar put them/);
      assert.match(imported.stdout, /charts\/web:1\.3\.0.*3 images in its values and annotations/);
    }
  });

  for (const [what, extra, error] of [
    [
      'a chart the registry does not have',
      {
        'flux/web.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\n  namespace: flux-system\nspec:\n  chart:\n    spec:\n      chart: missing\n      version: 1.0.0\n      sourceRef:\n        kind: HelmRepository\n        name: charts\n`,
      },
      /flux\/web\.yaml:9:\d+: the chart .*charts\/missing:1\.0\.0: /,
    ],
    [
      'an image under a chart reference',
      {
        'argo/web.yaml': `apiVersion: argoproj.io/v1alpha1\nkind: Application\nspec:\n  source:\n    repoURL: SRC/charts\n    chart: notachart\n    targetRevision: 1.0.0\n`,
      },
      /argo\/web\.yaml:6:\d+: the chart .*notachart:1\.0\.0: .* is not a Helm chart: its manifest is an index/,
    ],
    [
      'a chart whose archive is not a gzip tar',
      {
        'argo/web.yaml': `apiVersion: argoproj.io/v1alpha1\nkind: Application\nspec:\n  source:\n    repoURL: SRC/charts\n    chart: broken\n    targetRevision: 1.0.0\n`,
      },
      /file=argo\/web\.yaml,line=6,col=\d+::the chart .*broken:1\.0\.0: .*broken:1\.0\.0's chart archive is not a gzip file/,
    ],
    [
      'a release whose repository is not in the workspace',
      { 'flux/sources.yaml': 'kind: ConfigMap\n' },
      /file=flux\/web\.yaml,line=9,col=\d+::this HelmRelease's sourceRef names the HelmRepository charts in flux-system, which no file of the workspace holds/,
    ],
  ] as const) {
    it(`fails at the line for ${what}, with nothing written or pushed`, async () => {
      const dir = workspace(Object.fromEntries(Object.entries(extra).map(([name, text]) => [name, text.replace('SRC', source.host)])));
      const before = readFileSync(path.join(dir, 'k8s/app.yaml'), 'utf8');
      const run = await runAction(dir, { ...inputs(), 'default-repo': `${destination.host}/refused` });
      assert.equal(run.code, 1, run.stdout);
      assert.match(run.stdout, error);
      assert.equal(readFileSync(path.join(dir, 'k8s/app.yaml'), 'utf8'), before);
      assert.equal(existsSync(path.join(dir, 'ferry.lock.yml')), false);
      const catalog = ((await (await fetch(`http://${destination.host}/v2/_catalog`)).json()) as { repositories: string[] }).repositories;
      assert.ok(!catalog.some((name) => name.startsWith('refused/')), catalog.join(', '));
    });
  }
});
