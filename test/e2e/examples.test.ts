// Every shipped example workflow, run as a team that copied it would run it: the jobs and steps of
// examples/.github/workflows through a stand-in runner (./workflow.ts), the Action through
// dist/index.js against real registries (a source, a destination with basic auth behind
// docker/login-action, an air-gapped site on TLS with a CA the test makes), the workspace the
// repository fixture. What the next step consumes is checked: the overlay `kubectl apply -k` would
// apply (kustomize renders it; there is no cluster, so `kubectl apply -k` is answered by a wrapper
// that renders and keeps it), the release's assets (the GitHub CLI is a stand-in keeping them), the
// artifacts a later job downloads.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  type Certificates,
  type RunningRegistry,
  anonymousRegistries,
  makeCertificates,
  ociLayout,
  scratchDir,
  sha256,
  skopeoCopy,
  skopeoRaw,
  startRegistry,
} from '../registry/harness.js';
import { keyPair, keySigner, pushCosignSignature } from '../verify/signing.js';
import { fixtureImages, repoWorkspace } from './repo.js';
import { pushChart } from '../charts/helm-charts.js';
import { type WorkflowContext, type WorkflowEvent, type WorkflowRun, runWorkflow } from './workflow.js';

const workflows = path.resolve(import.meta.dirname, '..', '..', 'examples', '.github', 'workflows');
const user = 'ci';
const password = 'release-s3cret';
const pinned = /^(.+)@(sha256:[a-f0-9]{64})$/;
const releaseKey = keyPair('ecdsa-p256');
const attestKey = keyPair('ecdsa-p256');

/** The `image:` values of a rendered manifest stream. */
const imagesIn = (yaml: string): string[] =>
  [...yaml.matchAll(/^\s*-?\s*image: (\S+)$/gm)].map((match) => (match[1] ?? '').replace(/^"|"$/g, '')).sort();

describe('the example workflows, run end to end', () => {
  let source: RunningRegistry;
  let destination: RunningRegistry;
  let site: RunningRegistry;
  let certificates: Certificates;
  let commit: string;
  let tools: string;
  let github: string;
  const digests = new Map<string, string>();
  // The release key's public half as the site's runner keeps it, outside any checkout.
  const siteKeyFile = path.join(scratchDir('site-keys'), 'release-cosign.pub');
  writeFileSync(siteKeyFile, releaseKey.publicPem);
  const runs = new Map<string, WorkflowRun>();
  let chartDigest = '';

  before(async () => {
    certificates = makeCertificates();
    [source, destination, site] = await Promise.all([
      startRegistry(),
      startRegistry({ htpasswd: { [user]: password } }),
      startRegistry({ tls: certificates }),
    ]);
    // Each image signed by the release key, as the air-gapped example checks where it packages and imports.
    const signing = anonymousRegistries([source.host]);
    for (const image of fixtureImages(source.host)) {
      await skopeoCopy(ociLayout([400 + digests.size]).reference, image, {});
      const digest = sha256(await skopeoRaw(image, {}));
      digests.set(image, digest);
      const repository = image.slice(source.host.length + 1).replace(/[:@].*$/, '');
      await pushCosignSignature(signing.client(source.host), repository, digest, keySigner(releaseKey));
    }
    await signing.close();
    // The commit the workflows check out: the repository fixture, and a small catalogue of its images.
    commit = repoWorkspace(source.host);
    mkdirSync(path.join(commit, 'catalogue'));
    for (const [n, image] of fixtureImages(source.host).entries())
      writeFileSync(path.join(commit, 'catalogue', `app-${n}.yaml`), `name: app-${n}\nimage: ${image}\n`);

    // A Flux release and an Argo CD application of one chart, whose values name a fixture image.
    const [chartImage = ''] = fixtureImages(source.host);
    const charting = anonymousRegistries([source.host]);
    const chartRepository = chartImage.slice(source.host.length + 1).replace(/[:@].*$/, '');
    const chart = await pushChart(charting.client(source.host), 'charts/web', {
      name: 'web',
      version: '1.2.3',
      values: `image:\n  repository: ${source.host}/${chartRepository}\n  tag: "${chartImage.slice(chartImage.lastIndexOf(':') + 1)}"\n`,
    });
    chartDigest = chart.digest;
    await charting.close();
    const files: Record<string, string> = {
      'clusters/production/sources.yaml': `apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\n  namespace: flux-system\nspec:\n  type: oci\n  url: oci://${source.host}/charts\n`,
      'clusters/production/web.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\n  namespace: flux-system\nspec:\n  chart:\n    spec:\n      chart: web\n      version: "1.2.x"\n      sourceRef:\n        kind: HelmRepository\n        name: charts\n  valuesFrom:\n    - kind: ConfigMap\n      name: web-images\n`,
      'argocd/web.yaml': `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\nspec:\n  source:\n    repoURL: ${source.host}/charts\n    chart: web\n    targetRevision: 1.2.3\n`,
    };
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(commit, name)), { recursive: true });
      writeFileSync(path.join(commit, name), text);
    }

    // What no test reaches: a cluster (`kubectl apply -k` renders the overlay and keeps it) and the
    // GitHub API (`gh run list` answers from the runs this test made, `gh release create` keeps the assets).
    tools = scratchDir('tools');
    github = scratchDir('github');
    const kubectl = execFileSync('bash', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim();
    writeFileSync(
      path.join(tools, 'kubectl'),
      `#!/bin/bash\nif [ "$1" = apply ] && [ "$2" = -k ]; then exec ${kubectl} kustomize "$3" > ${github}/applied.yaml; fi\nif [ "$1" = apply ]; then echo "no cluster here" >&2; exit 1; fi\nexec ${kubectl} "$@"\n`,
    );
    writeFileSync(
      path.join(tools, 'gh'),
      [
        '#!/bin/bash',
        `if [ "$1 $2" = "run list" ]; then while [ $# -gt 0 ]; do [ "$1" = --commit ] && cat ${github}/runs/"$2" 2>/dev/null; shift; done; exit 0; fi`,
        `if [ "$1 $2" = "release create" ]; then dir=${github}/releases/"$3"; mkdir -p "$dir"; shift 3;`,
        '  for arg in "$@"; do case "$arg" in --*) ;; *) cp "$arg" "$dir/" ;; esac; done; exit 0; fi',
        'echo "gh stand-in: $*" >&2; exit 1',
        '',
      ].join('\n'),
    );
    for (const tool of ['kubectl', 'gh']) chmodSync(path.join(tools, tool), 0o755);
  });
  after(async () => {
    await Promise.all([source.stop(), destination.stop(), site.stop()]);
  });

  const context = (event: WorkflowEvent, extra: Partial<WorkflowContext> = {}): WorkflowContext => ({
    commit,
    event,
    secrets: {
      REGISTRY_USER: user,
      REGISTRY_PASSWORD: password,
      RELEASE_COSIGN_PUBLIC_KEY: releaseKey.publicPem,
      RELEASE_ATTEST_KEY: attestKey.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    },
    substitutions: [
      ['registry.example', destination.host],
      ['registry.internal:5000', site.host],
      ['/etc/ssl/internal-ca.pem', certificates.caCert],
      ['/etc/ferry/release-cosign.pub', siteKeyFile],
    ],
    env: { SKAFFOLD_INSECURE_REGISTRY: `${source.host},${destination.host}` },
    tools,
    runs,
    ...extra,
  });
  const onMain: WorkflowEvent = { refType: 'branch', refName: 'main', sha: 'c0ffee' };
  const onTag: WorkflowEvent = { refType: 'tag', refName: 'v1.0.0', sha: 'c0ffee' };

  /** Each image is `repository@digest` under `prefix`, with the digest its source had at `digests`. */
  function assertPinnedCopies(images: readonly string[], prefix: string, expected: ReadonlyMap<string, string> = digests): void {
    assert.ok(images.length >= 3, `${images.length} images`);
    const sourceDigests = new Set(expected.values());
    for (const image of images) {
      const [, name = '', digest = ''] = pinned.exec(image) ?? [];
      assert.ok(name.startsWith(prefix), `${image} is not under ${prefix}`);
      assert.ok(sourceDigests.has(digest), `${image} is not a digest the source had`);
    }
  }

  it('deploy: relocates with the login the step before made, and apply -k gets the copies', async () => {
    const run = await runWorkflow(path.join(workflows, 'deploy.yml'), context(onMain));
    const applied = imagesIn(readFileSync(path.join(github, 'applied.yaml'), 'utf8'));
    assertPinnedCopies(applied, `${destination.host}/storefront/`);
    const [image = ''] = applied;
    const [, name, digest] = pinned.exec(image) ?? [];
    assert.equal(sha256(await skopeoRaw(`${name}@${digest}`, { creds: `${user}:${password}` })), digest);
    assert.equal(run.jobs.get('deploy')?.actionRuns.length, 1);
  });

  it('render: output-dir keeps the kustomizations, every overlay builds from the rewritten folder', async () => {
    const run = await runWorkflow(path.join(workflows, 'pass-manifests.yml'), context(onMain));
    const job = run.jobs.get('render');
    assert.ok(job);
    assert.match(job.stdout, new RegExp(`${source.host}/library/nginx:1\\.26 -> ${destination.host}/preview/`));
    const artifact = path.join(run.artifacts, 'preview-manifests');
    for (const overlay of ['prod', 'staging']) {
      const images = imagesIn(readFileSync(path.join(artifact, `${overlay}.yaml`), 'utf8'));
      assert.ok(images.length >= 3, overlay);
      for (const image of images) assert.ok(image.startsWith(`${destination.host}/preview/`), `${overlay} renders ${image}`);
    }
    assert.ok(existsSync(path.join(artifact, 'k8s', 'overlays', 'prod', 'kustomization.yaml')));
    // The checkout itself is left as it was.
    assert.equal(
      readFileSync(path.join(job.workspace, 'k8s/base/deployment.yaml'), 'utf8'),
      readFileSync(path.join(commit, 'k8s/base/deployment.yaml'), 'utf8'),
    );
  });

  it('build, then release: the digests main pinned are copied and published, though a tag moved since', async () => {
    const build = await runWorkflow(path.join(workflows, 'build.yml'), context(onMain));
    runs.set(build.id, build);
    assert.deepEqual(readdirSync(build.artifacts), ['image-lock']);
    mkdirSync(path.join(github, 'runs'), { recursive: true });
    writeFileSync(path.join(github, 'runs', onMain.sha), build.id);

    // Between the build and the tag, a tag the release renders moves to another image.
    const moved = `${source.host}/storefront/web-hardened:2.0`;
    await skopeoCopy(ociLayout([777]).reference, moved, {});
    const movedDigest = sha256(await skopeoRaw(moved, {}));
    assert.notEqual(movedDigest, digests.get(moved));

    await runWorkflow(path.join(workflows, 'release.yml'), context(onTag));
    const assets = path.join(github, 'releases', onTag.refName);
    assert.deepEqual(readdirSync(assets).sort(), ['ferry.lock.yml', 'storefront-prod.yaml']);
    const published = imagesIn(readFileSync(path.join(assets, 'storefront-prod.yaml'), 'utf8'));
    assertPinnedCopies(published, `${destination.host}/releases/`);
    const hardened = published.find((image) => image.includes('web-hardened'));
    assert.ok(hardened?.endsWith(`@${digests.get(moved)}`), `${hardened} keeps the build's digest`);
    // The copy is tagged as the source was at build time, not as it is now.
    const [, tagged = ''] = pinned.exec(hardened ?? '') ?? [];
    assert.match(tagged, /:2\.0$/);
    assert.equal(sha256(await skopeoRaw(tagged, { creds: `${user}:${password}` })), digests.get(moved));
    assert.match(readFileSync(path.join(assets, 'ferry.lock.yml'), 'utf8'), /^apiVersion: kbld\.k14s\.io\/v1alpha1\n/);
    // Each copy is attested: the lock says by which referrer, and the referrers tag schema lists it.
    const [, attestation = ''] = /attested: (sha256:[a-f0-9]{64})/.exec(readFileSync(path.join(assets, 'ferry.lock.yml'), 'utf8')) ?? [];
    assert.ok(attestation !== '');
    const [, hardenedName = '', hardenedDigest = ''] = pinned.exec(hardened ?? '') ?? [];
    const schema = JSON.parse(
      (
        await skopeoRaw(`${hardenedName.replace(/:[^:/]+$/, '')}:${hardenedDigest.replace(':', '-')}`, { creds: `${user}:${password}` })
      ).toString('utf8'),
    ) as { manifests: { artifactType?: string }[] };
    assert.ok(schema.manifests.some((manifest) => manifest.artifactType === 'application/vnd.dev.sigstore.bundle.v0.3+json'));
    // The moved tag is put back for the tests after this one.
    await skopeoCopy(`docker://${source.host}/storefront/web-hardened@${digests.get(moved)}`, moved, {}, [
      '--src-tls-verify=false',
      '--preserve-digests',
    ]);
    assert.equal(sha256(await skopeoRaw(moved, {})), digests.get(moved));
  });

  /** The chart's new folder under `prefix`, as the naming keeps the chart's name last. */
  const chartFolder = (prefix: string): string => `${prefix}/${source.host.replace(/[.:]/g, '_')}_charts`;

  it('flux charts: the HelmRepository moves to the copy of its chart, the range resolved, the values file points at the copied image', async () => {
    const run = await runWorkflow(path.join(workflows, 'flux-charts.yml'), context(onMain));
    const artifact = path.join(run.artifacts, 'flux-release');
    const folder = chartFolder(`${destination.host}/platform`);
    assert.match(readFileSync(path.join(artifact, 'clusters/production/sources.yaml'), 'utf8'), new RegExp(`url: oci://${folder}\\n`));
    assert.match(readFileSync(path.join(artifact, 'clusters/production/web.yaml'), 'utf8'), /version: "1\.2\.x"/);
    assert.equal(sha256(await skopeoRaw(`${folder}/web:1.2.3`, { creds: `${user}:${password}` })), chartDigest);
    const values = readFileSync(path.join(artifact, 'ferry-charts/web-1.2.3.values.yaml'), 'utf8');
    const [, repository = '', tag = ''] = /repository: (\S+)\n {2}tag: (\S+)\n/.exec(values) ?? [];
    const [, digest = ''] = /@(sha256:[a-f0-9]{64})/.exec(tag) ?? [];
    assert.ok(repository.startsWith(`${destination.host}/platform/`), values);
    assert.equal(sha256(await skopeoRaw(`${repository}@${digest}`, { creds: `${user}:${password}` })), digest);
    assert.ok(new Set(digests.values()).has(digest), values);
    assert.match(run.jobs.get('relocate')?.stdout ?? '', /charts moved: \[\{"chart":/);
  });

  it('argo cd charts: each Application points at the copy, its targetRevision kept', async () => {
    const run = await runWorkflow(path.join(workflows, 'argo-charts.yml'), context(onMain));
    const artifact = path.join(run.artifacts, 'argo-applications');
    const folder = chartFolder(`${destination.host}/platform`);
    assert.match(
      readFileSync(path.join(artifact, 'argocd/web.yaml'), 'utf8'),
      new RegExp(`repoURL: ${folder}\\n    chart: web\\n    targetRevision: 1\\.2\\.3\\n`),
    );
    assert.ok(existsSync(path.join(artifact, 'ferry-charts/web-1.2.3.values.yaml')));
    assert.match(readFileSync(path.join(artifact, 'ferry.lock.yml'), 'utf8'), new RegExp(`image: ${source.host}/charts/web:1\\.2\\.3\\n`));
  });

  it('catalogue: plan, a matrix of relocations, and a merge that pins the manifests from the partial locks', async () => {
    const run = await runWorkflow(path.join(workflows, 'catalogue.yml'), context(onMain));
    const legs = [...run.jobs.keys()].filter((name) => name.startsWith('relocate ('));
    assert.ok(legs.length >= 1);
    const merged = path.join(run.artifacts, 'relocated-manifests');
    const images = readdirSync(path.join(merged, 'catalogue')).flatMap((file) =>
      imagesIn(readFileSync(path.join(merged, 'catalogue', file), 'utf8')),
    );
    assert.equal(images.length, digests.size);
    assertPinnedCopies(images, `${destination.host}/catalogue/`);
    assert.ok(existsSync(path.join(merged, 'catalogue.lock.yml')));
  });

  it('air-gapped: the import pushes from the archive alone into the TLS site and pins what is applied', async () => {
    const run = await runWorkflow(
      path.join(workflows, 'air-gapped.yml'),
      context(onTag, {
        // Inside the site there is no route to the source: it is stopped before the import starts.
        beforeJob: async (job) => {
          if (job === 'import') await source.stop();
        },
      }),
    );
    assert.deepEqual(readdirSync(path.join(run.artifacts, 'release-images')), ['images.tar']);
    const applied = imagesIn(readFileSync(path.join(github, 'applied.yaml'), 'utf8'));
    assertPinnedCopies(applied, `${site.host}/releases/`);
    const [, name, digest] = pinned.exec(applied[0] ?? '') ?? [];
    assert.equal(sha256(await skopeoRaw(`${name}@${digest}`, { tls: certificates })), digest);
  });
});
