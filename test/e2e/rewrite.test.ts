import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runAction, snapshot } from './action.js';
import { renderedImages } from './repo.js';
import { scratchDir } from '../registry/harness.js';

const examples = path.resolve(import.meta.dirname, '..', '..', 'examples');
const digest = 'sha256:81daf011d63b68cfa514ddab7741a1adddd59d3264118dfb0fd9266328bb8883';

function copyOfExamples(): string {
  const workspace = scratchDir('e2e');
  cpSync(examples, workspace, { recursive: true });
  return workspace;
}

describe('dist/index.js in rewrite mode', () => {
  it('rewrites the examples onto the default repo and reports it', async () => {
    const workspace = copyOfExamples();
    const before = snapshot(workspace);
    const run = await runAction(workspace, { mode: 'rewrite', 'default-repo': 'registry.example/storefront' });
    assert.equal(run.code, 0, run.stdout);

    const deployment = readFileSync(path.join(workspace, 'app/deployment.yaml'), 'utf8');
    assert.equal(
      deployment,
      (before.get('app/deployment.yaml') ?? '')
        .replace('image: busybox:1.36 #', 'image: registry.example/storefront/busybox:1.36 #')
        .replace(
          '"gcr.io/k8s-skaffold/skaffold-example:v2.1.0"',
          '"registry.example/storefront/gcr_io_k8s-skaffold_skaffold-example:v2.1.0"',
        )
        .replace("'docker.io/fluent/fluent-bit:3.0'", "'registry.example/storefront/docker_io_fluent_fluent-bit:3.0'"),
    );
    assert.match(
      readFileSync(path.join(workspace, 'app/cronjob.yaml'), 'utf8'),
      new RegExp(`image: registry.example/storefront/quay_io_storefront_reporter:1.4@${digest}\n`),
    );

    const lock = readFileSync(path.join(workspace, 'ferry.lock.yml'), 'utf8');
    assert.equal(run.outputs.lock, lock);
    assert.equal(run.outputs['lock-file'], path.join(workspace, 'ferry.lock.yml'));
    assert.match(
      lock,
      /^apiVersion: kbld\.k14s\.io\/v1alpha1\nkind: Config\nminimumRequiredVersion: 0\.30\.0\noverrides:\n- image: alpine\n {2}newImage: registry\.example\/storefront\/alpine\n {2}preresolved: true\n/,
    );
    assert.equal(run.outputs.changed, 'true');

    const images = JSON.parse(run.outputs.images ?? '[]') as { image: string; newImage: string; digest: string | null }[];
    assert.equal(images.length, 11);
    assert.deepEqual(
      images.find((image) => image.image.startsWith('quay.io')),
      {
        image: `quay.io/storefront/reporter:1.4@${digest}`,
        newImage: `registry.example/storefront/quay_io_storefront_reporter:1.4@${digest}`,
        digest,
      },
    );
    assert.deepEqual(
      JSON.parse(run.outputs.manifests ?? '[]'),
      ['app/cronjob.yaml', 'app/database.yaml', 'app/deployment.yaml', 'app/docker-compose.yml', 'app/images.yaml'].map((name) =>
        path.join(workspace, name),
      ),
    );

    assert.match(
      run.summary,
      /<td><code>app\/deployment\.yaml:20<\/code><\/td><td><code>busybox:1\.36<\/code><\/td><td><code>registry\.example\/storefront\/busybox:1\.36<\/code><\/td>/,
    );
    // alpine is untagged and has no imagePullPolicy: Kubernetes would pull it with Always.
    assert.match(
      run.stdout,
      /::warning title=ferry%3A unpinned image,file=app\/database\.yaml,line=27,col=32::registry\.example\/storefront\/alpine is pulled with imagePullPolicy Always/,
    );
    assert.doesNotMatch(run.stdout, /::warning[^\n]*busybox/);
    // Workflow examples are under .github/ and are never manifests.
    assert.equal(readFileSync(path.join(workspace, '.github/workflows/deploy.yml'), 'latin1'), before.get('.github/workflows/deploy.yml'));
  });

  it('fails with file:line:column and leaves every file byte-identical when one image is invalid', async () => {
    const workspace = copyOfExamples();
    writeFileSync(path.join(workspace, 'app/broken.yaml'), 'spec:\n  containers:\n    - name: x\n      image: Nginx:1.25\n');
    const before = snapshot(workspace);
    const run = await runAction(workspace, { mode: 'rewrite', 'default-repo': 'registry.example/storefront' });
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      /::error title=ferry,file=app\/broken\.yaml,line=4,col=14::"Nginx:1\.25" is not an image reference: repository name must be lowercase/,
    );
    assert.match(run.stdout, /::error::1 manifest error, nothing was written; first: app\/broken\.yaml:4:14:/);
    assert.deepEqual(snapshot(workspace), before);
  });

  it('fails on a file that is not YAML, naming it, and writes nothing', async () => {
    const workspace = copyOfExamples();
    writeFileSync(path.join(workspace, 'app/broken.yaml'), 'spec:\n  image: [nginx\n  - broken\n');
    const before = snapshot(workspace);
    const run = await runAction(workspace, { mode: 'rewrite', 'default-repo': 'registry.example/storefront' });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /::error title=ferry,file=app\/broken\.yaml,line=\d+,col=\d+::not valid YAML/);
    assert.deepEqual(snapshot(workspace), before);
  });

  it('skips a file that is a template rather than YAML, with a notice, and rewrites the rest', async () => {
    const workspace = copyOfExamples();
    const template = 'spec:\n  image: {{ .Values.image }}\n  - broken\n';
    writeFileSync(path.join(workspace, 'app/template.yaml'), template);
    const run = await runAction(workspace, { mode: 'rewrite', 'default-repo': 'registry.example/storefront' });
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /::notice title=ferry%3A not a manifest,file=app\/template\.yaml::skipped: a template, not YAML/);
    assert.equal(readFileSync(path.join(workspace, 'app/template.yaml'), 'utf8'), template);
    assert.match(readFileSync(path.join(workspace, 'app/deployment.yaml'), 'utf8'), /registry\.example\/storefront\/busybox:1\.36/);
  });

  it('mirrors into output-dir, reads a lock as overrides, and writes nothing in place', async () => {
    const workspace = copyOfExamples();
    const pinned = `docker.io/library/nginx@sha256:${'b'.repeat(64)}`;
    writeFileSync(
      path.join(workspace, 'resolved.lock.yml'),
      `apiVersion: kbld.k14s.io/v1alpha1\nkind: Config\noverrides:\n- image: nginx:1.25\n  newImage: ${pinned}\n  preresolved: true\n`,
    );
    const before = snapshot(workspace);
    const run = await runAction(workspace, {
      mode: 'rewrite',
      'output-dir': 'rendered',
      lock: 'resolved.lock.yml',
      'lock-file': 'out.lock.yml',
    });
    assert.equal(run.code, 0, run.stdout);
    const after = snapshot(workspace);
    for (const [name, text] of before) assert.equal(after.get(name), text, `${name} unchanged`);
    // No default repo: only the lock's override changes a name.
    assert.equal(
      after.get('rendered/app/images.yaml'),
      before.get('app/images.yaml')?.replace('- image: nginx:1.25', `- image: ${pinned}`),
    );
    assert.equal(after.get('rendered/app/cronjob.yaml'), before.get('app/cronjob.yaml'));
    assert.ok(!after.has('rendered/resolved.lock.yml'), 'the lock read is not a manifest');
    assert.match(after.get('out.lock.yml') ?? '', new RegExp(`- image: nginx:1.25\n  newImage: ${pinned}\n`));
    assert.equal((JSON.parse(run.outputs.manifests ?? '[]') as string[]).length, 5);
  });

  it('writes nothing on a dry run but reports the plan', async () => {
    const workspace = copyOfExamples();
    const before = snapshot(workspace);
    const run = await runAction(workspace, { mode: 'rewrite', 'default-repo': 'registry.example/storefront', 'dry-run': 'true' });
    assert.equal(run.code, 0, run.stdout);
    assert.deepEqual(snapshot(workspace), before);
    assert.match(run.stdout, /busybox:1\.36 -> registry\.example\/storefront\/busybox:1\.36/);
    assert.equal(run.outputs.changed, 'true');
    assert.equal(run.outputs.manifests, '[]');
    // No lock file was written, so none is named; the lock's text is what it would hold.
    assert.equal(run.outputs['lock-file'], undefined);
    assert.match(run.outputs.lock ?? '', /^apiVersion: kbld\.k14s\.io\/v1alpha1\n/);
    assert.match(run.summary, /Dry run: no file was written/);
  });

  it('fails the step naming the input for a bad setting', async () => {
    const workspace = copyOfExamples();
    const run = await runAction(workspace, { mode: 'rewrite', 'default-repo': 'registry.example/Team' });
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      /::error::default-repo: "registry\.example\/Team" is not a valid repository name: repository name must be lowercase/,
    );
    // A person opening the run sees why in the job summary too.
    assert.match(run.summary, /<strong>The step failed\.<\/strong>/);
    assert.match(run.summary, /default-repo: &quot;registry\.example\/Team&quot; is not a valid repository name/);
  });

  it('a component that holds a token to replace with sed is left byte-identical with a notice; the real overlay is rewritten', async () => {
    const workspace = scratchDir('tokens');
    const image = 'us-central1-docker.pkg.dev/google-samples/microservices-demo/adservice';
    const files: Record<string, string> = {
      'kustomize/base/adservice.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: adservice\nspec:\n  template:\n    spec:\n      containers:\n        - name: server\n          image: ${image}:v0.10.0\n`,
      'kustomize/base/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - adservice.yaml\n',
      // As microservices-demo ships it: its README says to replace the token with sed.
      'kustomize/components/container-images-registry/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nimages:\n  - name: ${image}\n    newName: CONTAINER_IMAGES_REGISTRY/adservice\n`,
      'kustomize/overlay/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../base\nimages:\n  - name: ${image}\n    newTag: v0.10.1\n`,
      'deploy/todo.yaml': 'image: <your-image>\nother:\n  image: REPLACE_ME\n',
    };
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true });
      writeFileSync(path.join(workspace, name), text);
    }
    const component = 'kustomize/components/container-images-registry/kustomization.yaml';
    const run = await runAction(workspace, { mode: 'rewrite', 'default-repo': 'registry.example/team' });
    assert.equal(run.code, 0, run.stdout);
    assert.equal(readFileSync(path.join(workspace, component), 'utf8'), files[component]);
    assert.equal(readFileSync(path.join(workspace, 'deploy/todo.yaml'), 'utf8'), files['deploy/todo.yaml']);
    assert.match(
      run.stdout,
      new RegExp(
        `::notice title=ferry%3A not an image reference yet,file=${component.replace(/\./g, '\\.')},line=5,col=\\d+::"CONTAINER_IMAGES_REGISTRY/adservice" is left as it is: a token to replace`,
      ),
    );
    assert.match(run.stdout, /file=deploy\/todo\.yaml,line=1,col=\d+::"<your-image>" is left as it is/);
    assert.deepEqual(renderedImages(path.join(workspace, 'kustomize/overlay')), [
      'registry.example/team/us-central1-docker_pkg_dev_google-samples_microservices-demo_adservice:v0.10.1',
    ]);
  });
});
