// A chart's archive read as untrusted input, the images its values, subcharts and annotations name,
// and the values file that points them at their new homes.
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { readChartArchive } from '../../src/charts/chart-archive.js';
import { chartImages } from '../../src/charts/chart-images.js';
import { valuesFileText } from '../../src/charts/values-file.js';
import { tarOf } from '../tar.js';
import { chartArchive } from './helm-charts.js';

const digest = `sha256:${'e'.repeat(64)}`;
const imageKeys = new Set(['image']);

const web = {
  name: 'web',
  version: '1.2.3',
  appVersion: '2.0',
  values:
    'image:\n  registry: ghcr.io\n  repository: acme/web\n  tag: ""\n  digest: ""\nsidecar:\n  image: docker.io/library/busybox:1.36\nextra:\n  images:\n    - quay.io/acme/a:1\n    - quay.io/acme/b:2\nplaceholder:\n  image: "{{ .Values.global.image }}"\n',
  annotations: { 'artifacthub.io/images': '- name: tool\n  image: ghcr.io/acme/tool:3\n' },
  packed: [{ name: 'redis', version: '18.1.0', values: 'image:\n  repository: docker.io/bitnami/redis\n  tag: 7.2.4\n' }],
  folders: [{ name: 'metrics', version: '0.1.0', appVersion: '0.9', values: 'image:\n  repository: ghcr.io/acme/metrics\n' }],
};

describe('chart archives', () => {
  it('finds the images of the values, the subcharts (packed and as folders) and the annotations', async () => {
    const chart = await readChartArchive(await chartArchive(web));
    assert.equal(chart.name, 'web');
    assert.deepEqual(
      chart.subcharts.map((sub) => sub.path),
      ['web/charts/redis', 'web/charts/metrics'],
    );
    const found = chartImages(chart, imageKeys);
    assert.deepEqual(
      found.images.map((image) => `${image.image} @ ${image.where}`),
      [
        'ghcr.io/acme/web:2.0 @ web/values.yaml image',
        'docker.io/library/busybox:1.36 @ web/values.yaml sidecar.image',
        'quay.io/acme/a:1 @ web/values.yaml extra.images.0',
        'quay.io/acme/b:2 @ web/values.yaml extra.images.1',
        'ghcr.io/acme/tool:3 @ web/Chart.yaml annotation artifacthub.io/images',
        'docker.io/bitnami/redis:7.2.4 @ web/charts/redis/values.yaml image',
        'ghcr.io/acme/metrics:0.9 @ web/charts/metrics/values.yaml image',
      ],
    );
    assert.deepEqual(
      found.skipped.map((skipped) => skipped.where),
      ['web/values.yaml placeholder.image'],
    );
    // The values file: each image at its new home, in the chart's shape, subcharts under their names.
    const text = valuesFileText(found.images, (image) => `registry.example/${image.split('/').slice(1).join('/')}@${digest}`, 'header');
    assert.match(text ?? '', /^# header\n/);
    const values = parse(text ?? '') as {
      image: unknown;
      sidecar: { image: string };
      extra: { images: string[] };
      redis: { image: unknown };
      metrics: { image: unknown };
    };
    assert.deepEqual(values.image, { registry: 'registry.example', repository: 'acme/web', digest, tag: '2.0' });
    assert.equal(values.sidecar.image, `registry.example/library/busybox:1.36@${digest}`);
    assert.deepEqual(values.extra.images, [`registry.example/acme/a:1@${digest}`, `registry.example/acme/b:2@${digest}`]);
    assert.deepEqual(values.redis.image, { repository: 'registry.example/bitnami/redis', tag: `7.2.4@${digest}` });
    assert.deepEqual(values.metrics.image, { repository: 'registry.example/acme/metrics', tag: `0.9@${digest}` });
  });

  const hostile: [string, () => Promise<Buffer>, RegExp][] = [
    [
      'a symbolic link',
      async () =>
        gzipSync(
          await tarOf([
            { name: 'x/Chart.yaml', body: Buffer.from('name: x\n') },
            { name: 'x/values.yaml', type: 'symlink', linkname: '/etc/passwd' },
          ]),
        ),
      /is a symlink, which a chart never holds/,
    ],
    [
      'a path out of the folder',
      async () =>
        gzipSync(
          await tarOf([
            { name: 'x/Chart.yaml', body: Buffer.from('name: x\n') },
            { name: 'x/../../values.yaml', body: Buffer.from('a: 1\n') },
          ]),
        ),
      /leaves the chart's folder/,
    ],
    [
      'an absolute path',
      async () => gzipSync(await tarOf([{ name: '/x/Chart.yaml', body: Buffer.from('name: x\n') }])),
      /leaves the chart's folder/,
    ],
    [
      'two folders',
      async () =>
        gzipSync(
          await tarOf([
            { name: 'x/Chart.yaml', body: Buffer.from('name: x\n') },
            { name: 'y/Chart.yaml', body: Buffer.from('name: y\n') },
          ]),
        ),
      /in two folders/,
    ],
    ['no Chart.yaml', async () => gzipSync(await tarOf([{ name: 'x/values.yaml', body: Buffer.from('a: 1\n') }])), /holds no Chart\.yaml/],
    ['not gzip', async () => tarOf([{ name: 'x/Chart.yaml', body: Buffer.from('name: x\n') }]), /is not a gzip file/],
    ['gzip of no tar', async () => gzipSync(Buffer.alloc(1024, 7)), /is not a tar/],
    ['a gzip bomb', async () => gzipSync(Buffer.alloc(101 * 1024 * 1024)), /unzips to more than/],
    [
      'a values file too large',
      async () => chartArchive({ name: 'x', version: '1.0.0', values: `a: "${'x'.repeat(5 * 1024 * 1024)}"\n` }),
      /"x\/values\.yaml" is \d+ bytes, more than a chart file ferry reads/,
    ],
    [
      'a bad subchart',
      async () =>
        chartArchive({ name: 'x', version: '1.0.0', extra: [{ name: 'x/charts/evil-1.0.0.tgz', body: Buffer.from('not gzip') }] }),
      /"x\/charts\/evil-1\.0\.0\.tgz" is not a gzip file/,
    ],
  ];
  for (const [what, make, error] of hostile) {
    it(`refuses ${what}`, async () => {
      await assert.rejects(async () => readChartArchive(await make()), error);
    });
  }
});

describe('chart values as untrusted input', () => {
  it('never writes through a key JavaScript gives a meaning to', async () => {
    const chart = await readChartArchive(
      await chartArchive({
        name: 'x',
        version: '1.0.0',
        values: '__proto__:\n  polluted:\n    image: nginx:1.25\nconstructor:\n  image: nginx:1.26\n',
      }),
    );
    const found = chartImages(chart, imageKeys);
    const text = valuesFileText(found.images, (image) => `registry.example/${image}`, 'header');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.doesNotMatch(text ?? '', /polluted|constructor/);
  });

  it('walks an aliased node once, so a bomb of aliases names its image once', async () => {
    const levels = ['a: &a {image: nginx:1.25}'];
    for (let level = 1; level <= 8; level++) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(`${name}: &${name} [${Array.from({ length: 10 }, () => `*${previous}`).join(', ')}]`);
    }
    const chart = await readChartArchive(await chartArchive({ name: 'x', version: '1.0.0', values: `${levels.join('\n')}\n` }));
    assert.equal(chartImages(chart, imageKeys).images.length, 1);
  });

  it('refuses an entry whose name could break a log line', async () => {
    const tar = await tarOf([
      { name: 'x/Chart.yaml', body: Buffer.from('name: x\n') },
      { name: 'x/\u2028::error::evil', body: Buffer.from('') },
    ]);
    await assert.rejects(async () => readChartArchive(gzipSync(tar)), /holds control characters: "x\/\\u2028::error::evil"/);
  });
});
