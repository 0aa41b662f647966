// The real-repository fixture through dist/index.js in rewrite mode: byte-for-byte expected files, the
// kustomize oracle, placeholders and templates left alone with notices, locks never edited.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runAction, snapshot } from './action.js';
import { kustomizations, renderedImages, repoFixture, repoWorkspace } from './repo.js';

const expectedDir = path.resolve(import.meta.dirname, '..', 'fixtures', 'repo.rewrite-expected');

describe('a repository shaped like real ones', () => {
  it('kubectl is here to judge kustomize output', () => {
    assert.match(execFileSync('kubectl', ['version', '--client'], { encoding: 'utf8' }), /Kustomize Version: v5/);
  });

  it('rewrites every kind of field byte for byte, and kustomize renders what ferry reports', async () => {
    const workspace = repoWorkspace();
    const before = snapshot(workspace);
    const run = await runAction(workspace, { mode: 'rewrite', 'default-repo': 'registry.example/team' });
    assert.equal(run.code, 0, run.stdout);
    const after = snapshot(workspace);
    for (const [file, text] of after) {
      if (file === 'ferry.lock.yml') continue;
      const expected = path.join(expectedDir, file);
      if (process.env.UPDATE_FIXTURES === '1' && text !== before.get(file)) {
        mkdirSync(path.dirname(expected), { recursive: true });
        writeFileSync(expected, text, 'latin1');
      }
      const wanted = existsSync(expected) ? readFileSync(expected, 'latin1') : before.get(file);
      assert.equal(text, wanted, `${file} byte for byte`);
    }
    // Templates, placeholders and locks are left exactly as they were.
    for (const file of ['chart/templates/deployment.yaml', 'locks/kbld.lock.yml', 'locks/images.lock.yml'])
      assert.equal(after.get(file), before.get(file), file);
    assert.match(
      run.stdout,
      /::notice title=ferry%3A not a manifest,file=chart\/templates\/deployment\.yaml::skipped: a Helm chart's template/,
    );
    assert.match(
      run.stdout,
      /::notice [^\n]*file=compose\/docker-compose\.yml,line=3,col=12::"\$\{WEB_IMAGE:-app:1\}" is left as it is: a shell or compose variable/,
    );
    assert.match(
      run.stdout,
      /::notice [^\n]*file=ko\/config\/deployment\.yaml,line=10,col=18::"ko:\/\/github\.com\/acme\/ko-app\/cmd\/server" is left as it is: a ko build placeholder/,
    );
    // No Kubernetes pull-policy warning: none of these containers is pulled with Always.
    assert.doesNotMatch(run.stdout, /::warning/);

    // What the roots deploy is what ferry reports: the base is no root (both overlays include it).
    const reported = new Set((JSON.parse(run.outputs.images ?? '[]') as { newImage: string }[]).map((image) => image.newImage));
    for (const dir of kustomizations.filter((dir) => dir !== 'k8s/base')) {
      const images = renderedImages(path.join(workspace, dir));
      assert.ok(images.length >= 3, dir);
      for (const image of images) assert.ok(reported.has(image), `${dir} renders ${image}, which ferry does not report`);
    }
    assert.deepEqual(renderedImages(path.join(workspace, 'k8s/overlays/prod')), [
      'registry.example/team/registry_source_test_library_redis:7.2',
      'registry.example/team/registry_source_test_storefront_migrate:2.4.1',
      'registry.example/team/registry_source_test_storefront_web-hardened:2.0',
    ]);
  });

  it('renders the same images from the untouched fixture, moved onto the default repo', () => {
    // The oracle's other half: what kustomize rendered before ferry, name for name.
    const images = renderedImages(path.join(repoFixture, 'k8s/overlays/staging'));
    assert.deepEqual(images, [
      'registry.source.test/library/nginx:1.26',
      'registry.source.test/library/redis:7',
      'registry.source.test/storefront/migrate:2.4.1',
    ]);
  });
});
