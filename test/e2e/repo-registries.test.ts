// The real-repository fixture through dist/index.js against real registries, in every mode that talks
// to one: resolve, relocate, package then unpackage. kustomize judges the overlays afterwards, skopeo
// reads back what was pushed, and every mode that fails before its commit point leaves the files as they were.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RunningRegistry, ociLayout, settledLog, sha256, skopeoCopy, skopeoRaw, startRegistry } from '../registry/harness.js';
import { runAction, snapshot } from './action.js';
import { fixtureImages, kustomizations, renderedImages, repoWorkspace } from './repo.js';

interface ReportedImage {
  readonly image: string;
  readonly newImage: string;
  readonly digest: string | null;
}

const reported = (outputs: Record<string, string>): ReportedImage[] => JSON.parse(outputs.images ?? '[]') as ReportedImage[];

describe('a repository shaped like real ones, against real registries', () => {
  let source: RunningRegistry;
  let destination: RunningRegistry;
  const digests = new Map<string, string>();

  before(async () => {
    [source, destination] = await Promise.all([startRegistry(), startRegistry()]);
    for (const image of fixtureImages(source.host)) {
      await skopeoCopy(ociLayout([300 + digests.size]).reference, image, {});
      digests.set(image, sha256(await skopeoRaw(image, {})));
    }
  });
  after(async () => {
    await Promise.all([source.stop(), destination.stop()]);
  });

  const inputs = (extra: Record<string, string>): Record<string, string> => ({
    'insecure-registries': `${source.host},${destination.host}`,
    concurrency: '4',
    ...extra,
  });

  /**
   * The images the workspace deploys: every fixture image but the base's nginx:1.25, which no root
   * renders as it is (both overlays, the roots, change it).
   */
  const deployed = (): number => [...digests.keys()].filter((image) => !image.endsWith('/library/nginx:1.25')).length;

  /** Every image the roots (the overlays) render is pinned, and is one ferry reports. */
  function assertKustomizeAgrees(workspace: string, images: readonly ReportedImage[]): void {
    const newImages = new Set(images.map((image) => image.newImage));
    for (const dir of kustomizations.filter((dir) => dir !== 'k8s/base')) {
      for (const image of renderedImages(path.join(workspace, dir))) {
        assert.match(image, /@sha256:[a-f0-9]{64}$/, `${dir} renders ${image} unpinned`);
        assert.ok(newImages.has(image), `${dir} renders ${image}, which ferry does not report`);
      }
    }
  }

  it('resolve pins every kind of field in place, and kustomize renders the pinned images', async () => {
    const workspace = repoWorkspace(source.host);
    const run = await runAction(workspace, inputs({ mode: 'resolve' }));
    assert.equal(run.code, 0, run.stdout);
    const images = reported(run.outputs);
    assert.equal(images.length, deployed());
    for (const image of images) assert.equal(image.digest, digests.get(image.image), image.image);
    assertKustomizeAgrees(workspace, images);

    const app = digests.get(`${source.host}/storefront/app:3.1.0`);
    const postgres = digests.get(`${source.host}/bitnami/postgresql:16.2.0`);
    const exporter = digests.get(`${source.host}/prometheus/exporter:1.58`);
    const values = readFileSync(path.join(workspace, 'chart/values.yaml'), 'utf8');
    // An empty tag is the chart's appVersion; with no digest key the digest goes after the tag.
    assert.match(values, new RegExp(`\n  tag: "?3\\.1\\.0@${app}"? # defaults to the chart's appVersion\n`));
    // Bitnami's map has a digest key: the digest goes there and the tag stays.
    assert.match(values, new RegExp(`\n    tag: 16\\.2\\.0\n    digest: "?${postgres}"?\n`));
    // A numeric tag is read as the chart renders it and written back as a string.
    assert.match(
      values,
      new RegExp(`image: \\{repository: ${source.host.replace(/\./g, '\\.')}/prometheus/exporter, tag: 1\\.58@${exporter}\\}`),
    );

    const staging = readFileSync(path.join(workspace, 'k8s/overlays/staging/kustomization.yaml'), 'utf8');
    const nginx126 = digests.get(`${source.host}/library/nginx:1.26`);
    assert.equal(
      staging,
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../../base\nimages:\n  - name: ${source.host}/library/nginx\n    digest: ${nginx126}\n`,
    );
  });

  it('relocate copies the effective image of every field and kustomize renders the copies', async () => {
    const workspace = repoWorkspace(source.host);
    const run = await runAction(workspace, inputs({ mode: 'relocate', 'default-repo': `${destination.host}/mirror` }));
    assert.equal(run.code, 0, run.stdout);
    const images = reported(run.outputs);
    assert.equal(images.length, deployed());
    for (const image of images) {
      assert.ok(image.newImage.startsWith(`${destination.host}/mirror/`), image.newImage);
      assert.equal(sha256(await skopeoRaw(image.newImage, {})), digests.get(image.image), `${image.newImage} at the destination`);
    }
    assertKustomizeAgrees(workspace, images);
  });

  it('package then unpackage carry the images the Helm maps and kustomize entries name', async () => {
    const workspace = repoWorkspace(source.host);
    const packaged = await runAction(workspace, inputs({ mode: 'package', archive: 'release.tar' }));
    assert.equal(packaged.code, 0, packaged.stdout);
    assert.equal(reported(packaged.outputs).length, deployed());

    const imported = await runAction(
      workspace,
      inputs({ mode: 'unpackage', archive: 'release.tar', 'default-repo': `${destination.host}/site` }),
    );
    assert.equal(imported.code, 0, imported.stdout);
    const images = reported(imported.outputs);
    assert.equal(images.length, deployed());
    for (const image of images) assert.equal(sha256(await skopeoRaw(image.newImage, {})), digests.get(image.image), image.newImage);
    assertKustomizeAgrees(workspace, images);
  });

  it('package takes its images from a lock alone, and refuses an empty set', async () => {
    const workspace = repoWorkspace(source.host);
    const pinnedRedis = `${source.host}/library/redis@${digests.get(`${source.host}/library/redis:7`)}`;
    writeFileSync(
      path.join(workspace, 'only.lock.yml'),
      `apiVersion: imgpkg.carvel.dev/v1alpha1\nkind: ImagesLock\nimages:\n- image: ${pinnedRedis}\n  annotations:\n    kbld.carvel.dev/id: not-in-any-manifest:1\n`,
    );
    const run = await runAction(
      workspace,
      inputs({ mode: 'package', manifests: 'locks/*.yml', lock: 'only.lock.yml', archive: 'lock.tar' }),
    );
    assert.equal(run.code, 0, run.stdout);
    assert.deepEqual(
      reported(run.outputs).map((image) => [image.image, image.newImage]),
      [['not-in-any-manifest:1', pinnedRedis]],
    );

    const empty = await runAction(workspace, inputs({ mode: 'package', manifests: 'locks/*.yml', archive: 'empty.tar' }));
    assert.equal(empty.code, 1);
    assert.match(empty.stdout, /::error::no image to package: the manifests \(2 files\) hold no image reference/);
  });

  it('every mode that fails before its commit point leaves every file byte-identical and asks no registry', async () => {
    const askedBefore = (await settledLog(source)).split('\n').filter((line) => line.includes('"ferry"')).length;
    const cases: [string, Record<string, string>, RegExp][] = [
      // A multi-level default repo keeps the source's host:port in the path, which no reference allows.
      [
        'rewrite',
        { 'default-repo': 'gcr.io/my-project' },
        /keeps the source registry 127\.0\.0\.1:\d+ in the path, and a port cannot be part of a repository path/,
      ],
      ['relocate', { 'default-repo': 'gcr.io/my-project' }, /keeps the source registry/],
      ['unpackage', { 'default-repo': 'gcr.io/my-project', archive: 'none.tar' }, /keeps the source registry/],
      // A Helm map with no tag, no digest key and no appVersion cannot be pinned.
      ['resolve', {}, /cannot pin this Helm image: the map has no tag and no digest key/],
      ['package', {}, /cannot pin this Helm image/],
    ];
    for (const [mode, extra, reason] of cases) {
      const workspace = repoWorkspace(source.host);
      if (mode === 'resolve' || mode === 'package') {
        writeFileSync(path.join(workspace, 'chart/Chart.yaml'), 'apiVersion: v2\nname: storefront\nversion: 0.4.0\n');
      }
      const before = snapshot(workspace);
      const run = await runAction(workspace, inputs({ mode, ...extra }));
      assert.equal(run.code, 1, `${mode}: ${run.stdout}`);
      assert.match(run.stdout, /::error title=ferry,file=[^,]+,line=\d+,col=\d+::/, mode);
      assert.match(run.stdout, reason, mode);
      assert.match(run.stdout, /manifest errors?, nothing was written/, mode);
      assert.deepEqual(snapshot(workspace), before, `${mode} left files as they were`);
    }
    const askedAfter = (await settledLog(source)).split('\n').filter((line) => line.includes('"ferry"')).length;
    assert.equal(askedAfter, askedBefore, 'no registry was asked anything');
  });
});
