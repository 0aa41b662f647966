import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { SettingsError, loadSettings } from '../src/settings.js';
import { scratchDir } from './registry/harness.js';

function sandbox(files: Record<string, string> = {}): { home: string; workspace: string; env: Record<string, string> } {
  const root = scratchDir('settings');
  const home = path.join(root, 'home');
  const workspace = path.join(root, 'workspace');
  mkdirSync(home);
  mkdirSync(workspace);
  for (const [name, text] of Object.entries(files)) {
    const file = name.startsWith('~/') ? path.join(home, name.slice(2)) : path.join(workspace, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return { home, workspace, env: { HOME: home, GITHUB_WORKSPACE: workspace } };
}

const skaffoldConfig = `global:
  default-repo: global.example/team
  multi-level-repo: true
  insecure-registries: [global-insecure.example]
kubeContexts:
  - kube-context: dev-cluster
    default-repo: dev.example/team
    insecure-registries: [dev-insecure.example:5000]
  - kube-context: "prod-.*"
    insecure-registries: [prod-insecure.example]
`;

describe('loadSettings', () => {
  it('falls back to the defaults action.yml declares: every input given its declared default reads the same', () => {
    const action = parseYaml(readFileSync(path.join(import.meta.dirname, '..', 'action.yml'), 'utf8')) as {
      inputs: Record<string, { default?: unknown }>;
    };
    const { env } = sandbox();
    const declared = Object.fromEntries(
      Object.entries(action.inputs)
        .filter(([, input]) => input.default !== undefined && input.default !== '')
        .map(([name, input]) => [`INPUT_${name.toUpperCase()}`, String(input.default)]),
    );
    assert.ok(Object.keys(declared).length >= 10, 'action.yml declares defaults');
    const { files: unset, ...fromCode } = loadSettings(env);
    const { files: given, ...fromAction } = loadSettings({ ...env, ...declared });
    assert.equal(unset.root, given.root);
    assert.deepEqual(fromCode, fromAction);
  });

  it('has the defaults of action.yml', () => {
    const { env, workspace, home } = sandbox();
    const settings = loadSettings(env);
    assert.equal(settings.mode, 'relocate');
    assert.equal(settings.defaultRepo, '');
    assert.equal(settings.multiLevel, undefined);
    assert.deepEqual(settings.manifestPatterns, ['**/*.yaml', '**/*.yml', '**/Kustomization']);
    assert.deepEqual(settings.imageKeys, ['image']);
    assert.equal(settings.lockFile, path.join(workspace, 'ferry.lock.yml'));
    assert.equal(settings.archive, path.join(workspace, 'images.tar'));
    assert.equal(settings.dockerConfig, path.join(home, '.docker'));
    assert.equal(settings.registryAuthFile, undefined);
    assert.equal(settings.concurrency, 8);
    assert.equal(settings.keepTags, false);
    assert.equal(settings.dryRun, false);
    assert.equal(settings.maxManifests, 100_000);
  });

  it('reads max-manifests as a whole number, naming the input when it is not one', () => {
    const { env } = sandbox();
    assert.equal(loadSettings({ ...env, 'INPUT_MAX-MANIFESTS': '250000' }).maxManifests, 250_000);
    for (const bad of ['0', '1e5', '-3', 'many'])
      assert.throws(
        () => loadSettings({ ...env, 'INPUT_MAX-MANIFESTS': bad }),
        /^SettingsError: max-manifests: .* is not a whole number from 1 to 100000000/,
      );
  });

  describe('default-repo precedence', () => {
    const files = { '~/.skaffold/config': skaffoldConfig, '~/.kube/config': 'current-context: dev-cluster\n' };
    it('the input first', () => {
      const { env } = sandbox(files);
      const settings = loadSettings({ ...env, 'INPUT_DEFAULT-REPO': 'input.example/team', SKAFFOLD_DEFAULT_REPO: 'env.example/team' });
      assert.equal(settings.defaultRepo, 'input.example/team');
    });
    it('then SKAFFOLD_DEFAULT_REPO', () => {
      const { env } = sandbox(files);
      assert.equal(loadSettings({ ...env, SKAFFOLD_DEFAULT_REPO: 'env.example/team' }).defaultRepo, 'env.example/team');
    });
    it("then the current kube-context's section of Skaffold's global config", () => {
      const { env } = sandbox(files);
      const settings = loadSettings(env);
      assert.equal(settings.defaultRepo, 'dev.example/team');
      assert.match(settings.defaultRepoSource, /kube-context dev-cluster/);
    });
    it("then the global section, when the context's section has none", () => {
      const { env } = sandbox({ ...files, '~/.kube/config': 'current-context: prod-eu\n' });
      assert.equal(loadSettings(env).defaultRepo, 'global.example/team');
    });
    it('follows KUBECONFIG and SKAFFOLD_KUBE_CONTEXT', () => {
      const { env, home } = sandbox({
        ...files,
        '~/other-kubeconfig': 'current-context: dev-cluster\n',
        '~/.kube/config': 'current-context: x\n',
      });
      assert.equal(loadSettings({ ...env, KUBECONFIG: path.join(home, 'other-kubeconfig') }).defaultRepo, 'dev.example/team');
      assert.equal(loadSettings({ ...env, SKAFFOLD_KUBE_CONTEXT: 'elsewhere' }).defaultRepo, 'global.example/team');
    });
    it('none at all leaves names alone', () => {
      assert.equal(loadSettings(sandbox().env).defaultRepo, '');
    });
  });

  it('reads docker-config, DOCKER_CONFIG and REGISTRY_AUTH_FILE', () => {
    const { env, workspace } = sandbox({ 'ci/docker/config.json': '{}' });
    assert.equal(loadSettings({ ...env, DOCKER_CONFIG: '/etc/docker-config' }).dockerConfig, '/etc/docker-config');
    assert.equal(
      loadSettings({ ...env, DOCKER_CONFIG: '/x', 'INPUT_DOCKER-CONFIG': 'ci/docker' }).dockerConfig,
      path.join(workspace, 'ci/docker'),
    );
    assert.equal(loadSettings({ ...env, REGISTRY_AUTH_FILE: '/run/containers/auth.json' }).registryAuthFile, '/run/containers/auth.json');
  });

  it('refuses a docker-config input that names no folder, or a folder without config.json; the defaults may be absent', () => {
    const { env, workspace } = sandbox({ 'ci/empty/.keep': '' });
    assert.throws(
      () => loadSettings({ ...env, 'INPUT_DOCKER-CONFIG': 'ci/typo' }),
      new RegExp(`^SettingsError: docker-config: ${path.join(workspace, 'ci/typo')} does not exist$`),
    );
    assert.throws(() => loadSettings({ ...env, 'INPUT_DOCKER-CONFIG': 'ci/empty' }), /docker-config: .*ci\/empty holds no config\.json/);
    assert.equal(loadSettings({ ...env, DOCKER_CONFIG: '/nowhere' }).dockerConfig, '/nowhere');
  });

  it('takes multi-level-repo from the input, else from the global config', () => {
    const { env } = sandbox({ '~/.skaffold/config': skaffoldConfig });
    assert.equal(loadSettings(env).multiLevel, true);
    assert.equal(loadSettings({ ...env, 'INPUT_MULTI-LEVEL-REPO': 'false' }).multiLevel, false);
    assert.equal(loadSettings(sandbox().env).multiLevel, undefined);
  });

  it('joins insecure registries from every source, without duplicates', () => {
    const { env } = sandbox({
      '~/.skaffold/config': skaffoldConfig,
      '~/.kube/config': 'current-context: prod-us\n',
      'skaffold.yaml':
        'apiVersion: skaffold/v4beta11\nkind: Config\nbuild:\n  insecureRegistries: [yaml.example, input.example]\n---\napiVersion: skaffold/v4beta11\nkind: Config\nbuild:\n  insecureRegistries: [second-config.example]\n',
    });
    const settings = loadSettings({
      ...env,
      'INPUT_INSECURE-REGISTRIES': 'input.example\n127.0.0.1:5000, [::1]:5001',
      SKAFFOLD_INSECURE_REGISTRY: 'env1.example,env2.example:443',
    });
    assert.deepEqual(settings.insecureRegistries, [
      'input.example',
      '127.0.0.1:5000',
      '[::1]:5001',
      'env1.example',
      'env2.example:443',
      'yaml.example',
      'second-config.example',
      'prod-insecure.example',
      'global-insecure.example',
    ]);
  });

  describe('rejects bad values, naming the input', () => {
    const cases: [string, Record<string, string>, RegExp][] = [
      ['mode', { INPUT_MODE: 'copy' }, /^mode: unknown mode "copy": use one of rewrite, resolve, relocate, package, unpackage, plan$/],
      [
        'default-repo',
        { 'INPUT_DEFAULT-REPO': 'Registry.example/Team' },
        /^default-repo: "Registry\.example\/Team" is not a valid repository name: repository name must be lowercase$/,
      ],
      ['default-repo', { 'INPUT_DEFAULT-REPO': 'registry.example/team:v1' }, /^default-repo: .* invalid reference format$/],
      ['SKAFFOLD_DEFAULT_REPO', { SKAFFOLD_DEFAULT_REPO: 'https://registry.example' }, /^SKAFFOLD_DEFAULT_REPO: /],
      ['repository', { INPUT_REPOSITORY: 'r.example/a@sha256:x' }, /^repository: /],
      ['manifests', { INPUT_MANIFESTS: '../outside/*.yaml' }, /^manifests: "\.\.\/outside\/\*\.yaml" must be relative to the workspace/],
      ['manifests', { INPUT_MANIFESTS: '/etc/*.yaml' }, /^manifests: /],
      ['manifests', { INPUT_MANIFESTS: '!' }, /^manifests: "!" is not a glob$/],
      [
        'insecure-registries',
        { 'INPUT_INSECURE-REGISTRIES': 'http://registry.example' },
        /^insecure-registries: "http:\/\/registry\.example" is not a registry host\[:port\]$/,
      ],
      ['SKAFFOLD_INSECURE_REGISTRY', { SKAFFOLD_INSECURE_REGISTRY: 'a b' }, /^SKAFFOLD_INSECURE_REGISTRY: /],
      ['multi-level-repo', { 'INPUT_MULTI-LEVEL-REPO': 'yes' }, /^multi-level-repo: "yes" is not one of auto, true, false$/],
      ['concurrency', { INPUT_CONCURRENCY: '0' }, /^concurrency: "0" is not a whole number from 1 to 256$/],
      ['concurrency', { INPUT_CONCURRENCY: '2.5' }, /^concurrency: /],
      ['dry-run', { 'INPUT_DRY-RUN': 'yes' }, /^dry-run: "yes" is not a boolean: use true or false$/],
      ['keep-tags', { 'INPUT_KEEP-TAGS': '1' }, /^keep-tags: /],
      ['lock', { INPUT_LOCK: 'missing.lock.yml' }, /^lock: .*missing\.lock\.yml does not exist$/],
      ['output-dir', { 'INPUT_OUTPUT-DIR': '.' }, /^output-dir: must not be the workspace itself/],
      [
        'plan',
        { INPUT_MODE: 'unpackage', INPUT_PLAN: 'ferry.plan.json', INPUT_SHARD: '1' },
        /^plan: a shard of a plan is worked on in resolve, relocate or package mode, not unpackage$/,
      ],
      ['archive-part-size', { 'INPUT_ARCHIVE-PART-SIZE': 'big' }, /^archive-part-size: "big" is not a size/],
      ['archive-part-size', { 'INPUT_ARCHIVE-PART-SIZE': '100KiB' }, /^archive-part-size: 100KiB is less than 1MiB/],
    ];
    for (const [name, extra, message] of cases) {
      it(`${name}: ${Object.values(extra)[0]}`, () => {
        const { env } = sandbox();
        assert.throws(
          () => loadSettings({ ...env, ...extra }),
          (error: unknown) => error instanceof SettingsError && error.input === name && message.test(error.message),
        );
      });
    }
  });

  it('teaches what to write for a default repo with a scheme or a trailing slash, and for a folder in manifests', () => {
    const { env, workspace } = sandbox({ 'k8s/app.yaml': 'image: a\n' });
    assert.throws(
      () => loadSettings({ ...env, 'INPUT_DEFAULT-REPO': 'https://registry.example/team' }),
      /^SettingsError: default-repo: "https:\/\/registry\.example\/team" has a scheme: write it without "https:\/\/", as registry\.example\/team$/,
    );
    assert.throws(
      () => loadSettings({ ...env, 'INPUT_DEFAULT-REPO': 'registry.example/team/' }),
      /^SettingsError: default-repo: "registry\.example\/team\/" ends with "\/": write registry\.example\/team$/,
    );
    assert.throws(
      () => loadSettings({ ...env, INPUT_MANIFESTS: 'k8s' }),
      /^SettingsError: manifests: "k8s" is a folder, and the globs match files: write k8s\/\*\*\/\*\.yaml \(and k8s\/\*\*\/\*\.yml\)$/,
    );
    assert.ok(existsSync(path.join(workspace, 'k8s')));
  });

  it('says, naming the input, when keep-tags or multi-level-repo does nothing', () => {
    const { env } = sandbox();
    assert.deepEqual(
      loadSettings({ ...env, INPUT_MODE: 'relocate', INPUT_REPOSITORY: 'r.example/all', 'INPUT_KEEP-TAGS': 'true' }).notices,
      [
        'keep-tags: ignored with repository: every image goes into one repository, where tags would collide, so names are pinned by digest alone',
      ],
    );
    assert.deepEqual(loadSettings({ ...env, INPUT_MODE: 'resolve', 'INPUT_MULTI-LEVEL-REPO': 'true' }).notices, [
      'multi-level-repo: does nothing in resolve mode, which keeps names as written',
    ]);
    assert.deepEqual(loadSettings({ ...env, INPUT_MODE: 'rewrite', 'INPUT_MULTI-LEVEL-REPO': 'false' }).notices, [
      'multi-level-repo: does nothing without a default repo',
    ]);
    assert.deepEqual(
      loadSettings({ ...env, INPUT_MODE: 'relocate', 'INPUT_DEFAULT-REPO': 'r.example/team', 'INPUT_KEEP-TAGS': 'true' }).notices,
      [],
    );
  });

  it('refuses both repository and default-repo, and lets repository take precedence over the environment', () => {
    const { env } = sandbox();
    assert.throws(
      () => loadSettings({ ...env, INPUT_REPOSITORY: 'r.example/all', 'INPUT_DEFAULT-REPO': 'r.example/team' }),
      /^SettingsError: repository: both repository and default-repo are set/,
    );
    const settings = loadSettings({ ...env, INPUT_REPOSITORY: 'r.example/all', SKAFFOLD_DEFAULT_REPO: 'r.example/team' });
    assert.equal(settings.repository, 'r.example/all');
  });

  it('reads comma and newline lists and keeps image among the keys', () => {
    const { env } = sandbox();
    const settings = loadSettings({
      ...env,
      'INPUT_IMAGE-KEYS': 'builder\nimage, sidecarImage',
      INPUT_MANIFESTS: 'k8s/**/*.yaml\n# a comment\n!k8s/skip.yaml\n',
    });
    assert.deepEqual(settings.imageKeys, ['image', 'builder', 'sidecarImage']);
    assert.deepEqual(settings.manifestPatterns, ['k8s/**/*.yaml', '!k8s/skip.yaml']);
  });
});

describe('registry-ca-certs in the checkout', () => {
  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  it('gives a notice for a CA file inside the workspace, none for one outside', () => {
    const { env, home } = sandbox({ 'certs/ca.pem': pem, '~/ca.pem': pem });
    const inside = loadSettings({ ...env, 'INPUT_REGISTRY-CA-CERTS': 'certs/ca.pem' });
    assert.deepEqual(
      inside.notices.filter((notice) => notice.startsWith('registry-ca-certs')),
      [
        'registry-ca-certs: certs/ca.pem is in the checkout, so a pull request can change which certificates ferry trusts; keep CA files outside the workspace (a secret written to RUNNER_TEMP)',
      ],
    );
    const outside = loadSettings({ ...env, 'INPUT_REGISTRY-CA-CERTS': path.join(home, 'ca.pem') });
    assert.deepEqual(
      outside.notices.filter((notice) => notice.startsWith('registry-ca-certs')),
      [],
    );
  });
});
