// The three kinds of image field, read and written on small texts: Helm values maps, kustomize images
// entries and plain strings, with the placeholders that are none of them yet.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planCommit } from '../../src/commit.js';
import { collectImages } from '../../src/images.js';
import { parseLock } from '../../src/lock.js';
import type { ImageField } from '../../src/manifests/field.js';
import type { Target } from '../../src/manifests/kinds/target.js';
import { locateImageFields } from '../../src/manifests/locate.js';
import { goNumberText, placeholderReason } from '../../src/manifests/placeholder.js';
import { scanManifests } from '../../src/manifests/scan.js';
import { scratchDir } from '../registry/harness.js';
import { Workspace } from '../../src/workspace.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const digest = `sha256:${'c'.repeat(64)}`;
const imageKeys = new Set(['image']);

function fields(text: string, appVersion?: string): ImageField[] {
  return locateImageFields('values.yaml', text, { imageKeys, ...(appVersion ? { appVersion } : {}) }).fields;
}

/** The file's text once every field with a target is written, and what each field then gives. */
function written(
  text: string,
  found: ImageField[],
  targets: Record<string, Target>,
): { text: string; rendered: string[]; errors: string[] } {
  const plan = planCommit([{ path: 'x.yaml', name: 'x.yaml', real: 'x.yaml', text, fields: found }], new Map(Object.entries(targets)), {
    outputDir: undefined,
  });
  return {
    text: plan.writes[0]?.text ?? text,
    rendered: plan.changes.map((change) => change.rendered),
    errors: plan.errors.map((error) => error.message),
  };
}

describe('Helm values maps', () => {
  it('composes registry/repository:tag@digest, an empty tag being the appVersion', () => {
    const text = [
      'image: {repository: r.example/app, tag: ""}',
      'db:',
      '  image:',
      '    registry: r.example',
      '    repository: bitnami/postgresql',
      '    tag: 16.2.0',
      `    digest: ${digest}`,
      'metrics:',
      '  image: {repository: quay.io/exporter, tag: 1.10}',
      '',
    ].join('\n');
    assert.deepEqual(
      fields(text, '3.1.0').map((field) => [field.kind, field.value, field.line]),
      [
        ['helm', 'r.example/app:3.1.0', 1],
        ['helm', `r.example/bitnami/postgresql:16.2.0@${digest}`, 4],
        // Helm reads values through JSON: 1.10 is the float 1.1.
        ['helm', 'quay.io/exporter:1.1', 9],
      ],
    );
  });

  it('writes the host into registry when the map has one, else into repository', () => {
    const text =
      'a:\n  image:\n    registry: docker.io\n    repository: bitnami/nginx\n    tag: "1.25"\nb:\n  image:\n    repository: nginx\n    tag: "1.25"\n';
    const found = fields(text);
    const result = written(text, found, {
      'docker.io/bitnami/nginx:1.25': { image: 'mirror.example/team/bitnami_nginx:1.25', tag: '1.25' },
      'nginx:1.25': { image: 'mirror.example/team/nginx:1.25', tag: '1.25' },
    });
    assert.equal(
      result.text,
      'a:\n  image:\n    registry: mirror.example\n    repository: team/bitnami_nginx\n    tag: "1.25"\nb:\n  image:\n    repository: mirror.example/team/nginx\n    tag: "1.25"\n',
    );
    assert.deepEqual(result.rendered, ['mirror.example/team/bitnami_nginx:1.25', 'mirror.example/team/nginx:1.25']);
  });

  it('pins into digest when the map has that key, else after the tag, adding the tag when the map has none', () => {
    const text =
      'a:\n  image:\n    repository: x/a\n    tag: 1.58\n    digest: ""\nb:\n  image:\n    repository: x/b\n    tag: 1.58\nc:\n  image:\n    repository: x/c\n';
    const found = fields(text, '2.0.0');
    const result = written(text, found, {
      'x/a:1.58': { image: `x/a@${digest}`, tag: '1.58' },
      'x/b:1.58': { image: `x/b@${digest}`, tag: '1.58' },
      'x/c:2.0.0': { image: `x/c@${digest}`, tag: '2.0.0' },
    });
    assert.equal(
      result.text,
      `a:\n  image:\n    repository: x/a\n    tag: "1.58"\n    digest: "${digest}"\nb:\n  image:\n    repository: x/b\n    tag: 1.58@${digest}\nc:\n  image:\n    repository: x/c\n    tag: 2.0.0@${digest}\n`,
    );
    assert.deepEqual(result.rendered, [`x/a:1.58@${digest}`, `x/b:1.58@${digest}`, `x/c:2.0.0@${digest}`]);
  });

  it('refuses to pin a map with no tag, no digest key and no appVersion, naming its position', () => {
    const text = 'image:\n  repository: x/c\n';
    const result = written(text, fields(text), { 'x/c': { image: `x/c@${digest}`, tag: undefined } });
    assert.deepEqual(result.errors, [
      'values.yaml:2:3: cannot pin this Helm image: the map has no tag and no digest key, and no Chart.yaml gives an appVersion; add `digest: ""` to the map',
    ]);
  });

  it('follows an alias in a part to its anchor, as Helm reads it, and writes there', () => {
    const text = 'versions:\n  app: &v "1.2"\nimage:\n  repository: acme/app\n  tag: *v\n';
    const found = fields(text);
    assert.deepEqual(
      found.map((field) => field.value),
      ['acme/app:1.2'],
    );
    const result = written(text, found, { 'acme/app:1.2': { image: 'registry.example/app:1.3', tag: '1.3' } });
    // The value moves where the chart reads it from; no second `tag` key is added beside the alias.
    assert.equal(result.text, 'versions:\n  app: &v "1.3"\nimage:\n  repository: registry.example/app\n  tag: *v\n');
  });

  it('reads numbers as Go prints the float64 a chart gets', () => {
    assert.deepEqual([1.58, 3, 1.1, 123456, 20230101, 0.00001, 1e21].map(goNumberText), [
      '1.58',
      '3',
      '1.1',
      '123456',
      '2.0230101e+07',
      '1e-05',
      '1e+21',
    ]);
  });
});

describe("Helm values and the chart's templates", () => {
  async function chart(template: string) {
    const workspace = scratchDir('helm-template');
    mkdirSync(path.join(workspace, 'chart', 'templates'), { recursive: true });
    writeFileSync(path.join(workspace, 'chart', 'Chart.yaml'), 'apiVersion: v2\nname: app\nversion: 1.0.0\nappVersion: "1.0"\n');
    writeFileSync(path.join(workspace, 'chart', 'templates', 'deployment.yaml'), template);
    writeFileSync(
      path.join(workspace, 'chart', 'values.yaml'),
      'image:\n  repository: r.example/app\n  tag: "1.0" # defaults to the appVersion\n',
    );
    const scan = await scanManifests({
      files: new Workspace(workspace, workspace),
      maxManifestBytes: 1024 * 1024,
      patterns: ['**/*.yaml'],
      imageKeys: ['image'],
      exclude: [],
    });
    return planCommit(scan.manifests, new Map([['r.example/app:1.0', { image: `r.example/app@${digest}`, tag: '1.0' }]]), {
      outputDir: undefined,
      kustomize: scan.kustomize,
    });
  }

  it('pins through the tag where the template ends the reference there, keeping the comment', async () => {
    const plan = await chart('image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"\n');
    assert.deepEqual(plan.errors, []);
    assert.equal(plan.writes[0]?.text, `image:\n  repository: r.example/app\n  tag: "1.0@${digest}" # defaults to the appVersion\n`);
  });

  it('refuses to put a digest in a tag the template writes more after, naming the template line', async () => {
    const plan = await chart('metadata:\n  name: app\nimage: "{{ .Values.image.repository }}:{{ .Values.image.tag }}-alpine"\n');
    assert.equal(plan.writes.length, 0);
    assert.match(
      plan.errors.map((error) => error.message).join('\n'),
      /^chart\/values\.yaml:2:3: cannot pin this Helm image through its tag: the chart's template writes more right after the tag \(chart\/templates\/deployment\.yaml:3\)/,
    );
  });
});

describe('kustomize images entries', () => {
  async function scanned(files: Record<string, string>) {
    const workspace = scratchDir('kustomize');
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true });
      writeFileSync(path.join(workspace, name), text);
    }
    return scanManifests({
      files: new Workspace(workspace, workspace),
      maxManifestBytes: 1024 * 1024,
      patterns: ['**/*.yaml', '**/Kustomization'],
      imageKeys: ['image'],
      exclude: [],
    });
  }

  const base = {
    'base/kustomization.yaml': 'resources: [app.yaml]\n',
    'base/app.yaml': 'spec:\n  containers:\n  - image: nginx:1.25\n  - image: nginx:1.26\n  - image: redis:7\n',
  };

  it('renders what the root renders, through its base: an entry is not an image by itself', async () => {
    const scan = await scanned({ ...base, 'overlay/Kustomization': 'resources: [../base]\nimages:\n- name: redis\n  newName: cache\n' });
    const fields = scan.manifests.flatMap((manifest) => manifest.fields);
    assert.deepEqual(
      fields.map((field) => `${field.kind} ${field.file}:${field.line} ${field.value}`),
      ['rendered base/app.yaml:3 nginx:1.25', 'rendered base/app.yaml:4 nginx:1.26', 'rendered overlay/Kustomization:3 cache:7'],
    );
  });

  it('pins each image an entry renames at the field it comes from, when the entry cannot hold two digests', async () => {
    const scan = await scanned({ ...base, 'overlay/kustomization.yaml': 'resources: [../base]\nimages:\n- name: nginx\n  newName: web\n' });
    const other = `sha256:${'b'.repeat(64)}`;
    const targets = new Map<string, Target>([
      ['web:1.25', { image: `web@${digest}`, tag: '1.25' }],
      ['web:1.26', { image: `web@${other}`, tag: '1.26' }],
    ]);
    const plan = planCommit(scan.manifests, targets, { outputDir: undefined, kustomize: scan.kustomize });
    assert.deepEqual(plan.errors, []);
    assert.equal(
      plan.writes.find((write) => write.path.endsWith('app.yaml'))?.text,
      `spec:\n  containers:\n  - image: nginx@${digest}\n  - image: nginx@${other}\n  - image: redis:7\n`,
    );
    assert.equal(plan.writes.length, 1, 'the entry is left as it is');
  });

  it('removes newTag on lines of its own when pinning by digest alone, and empties it where it shares a line', async () => {
    const text = 'images:\n- name: redis\n  newTag: "7.2" # next\n- {name: nginx, newTag: "1.26"}\n';
    const scan = await scanned({ ...base, 'overlay/kustomization.yaml': `resources: [../base]\n${text}` });
    const targets = new Map<string, Target>([
      ['redis:7.2', { image: `redis@${digest}`, tag: '7.2' }],
      ['nginx:1.26', { image: `nginx@${digest}`, tag: '1.26' }],
    ]);
    const plan = planCommit(scan.manifests, targets, { outputDir: undefined, kustomize: scan.kustomize });
    assert.deepEqual(plan.errors, []);
    assert.deepEqual(
      plan.writes.map((write) => write.text),
      [`resources: [../base]\nimages:\n- name: redis\n  digest: ${digest}\n- {name: nginx, newTag: "", digest: ${digest}}\n`],
    );
    assert.deepEqual(plan.changes.map((change) => change.rendered).sort(), [`nginx@${digest}`, `nginx@${digest}`, `redis@${digest}`]);
  });

  it('cannot keep matching in the single-repository layout', async () => {
    const scan = await scanned({
      ...base,
      'overlay/kustomization.yaml': 'resources: [../base]\nimages:\n- name: redis\n  newTag: "7.2"\n',
    });
    const set = collectImages(
      scan.manifests.flatMap((manifest) => manifest.fields),
      { defaultRepo: '', multiLevel: undefined, repository: 'r.example/all', overrides: new Map(), includeLocked: false, pinned: true },
    );
    assert.match(
      set.errors.map((error) => error.message).join('\n'),
      /cannot keep matching its base when every image goes into one repository/,
    );
  });
});

describe('placeholders and locks', () => {
  it('names templates, variables and ko placeholders, and nothing else', () => {
    assert.match(placeholderReason('{{ .Values.image }}') ?? '', /Go\/Helm template/);
    assert.match(placeholderReason('${WEB_IMAGE:-app:1}') ?? '', /shell or compose variable/);
    assert.match(placeholderReason('registry.example/$NAME:1') ?? '', /shell or compose variable/);
    assert.match(placeholderReason('ko://github.com/acme/app') ?? '', /ko build placeholder/);
    assert.equal(placeholderReason('nginx:1.25'), undefined);
    assert.equal(placeholderReason('registry.example:5000/app@sha256:' + 'a'.repeat(64)), undefined);
  });

  it('never takes a kbld or imgpkg lock for a manifest', () => {
    const kbld = 'apiVersion: kbld.k14s.io/v1alpha1\nkind: Config\noverrides:\n- image: nginx\n  newImage: nginx@' + digest + '\n';
    const imgpkg = 'apiVersion: imgpkg.carvel.dev/v1alpha1\nkind: ImagesLock\nimages:\n- image: nginx@' + digest + '\n';
    for (const text of [kbld, imgpkg, `${kbld}---\n${imgpkg}`]) {
      const located = locateImageFields('lock.yml', text, { imageKeys });
      assert.deepEqual(located.fields, []);
      assert.ok(located.locks > 0);
    }
    // Beside a manifest in the same file, the manifest's images are still found.
    assert.equal(locateImageFields('x.yml', `${kbld}---\nimage: redis\n`, { imageKeys }).fields.length, 1);
  });

  it('two images that the default repo would give one name fail, naming both fields, pinned or not', () => {
    const found = fields('a:\n  image: ghcr.io/acme/app:1.0\nb:\n  image: ghcr.io/acme.app:1.0\n');
    for (const pinned of [false, true]) {
      const set = collectImages(found, {
        defaultRepo: 'registry.example/team',
        multiLevel: undefined,
        repository: '',
        overrides: new Map(),
        includeLocked: false,
        pinned,
      });
      assert.deepEqual(
        set.errors.map((error) => error.message),
        [
          "values.yaml:2:10: ghcr.io/acme/app:1.0 and ghcr.io/acme.app:1.0 (values.yaml:4) would both become registry.example/team/ghcr_io_acme_app:1.0: the default repo's naming gives both one name: rename one at its source, or give one its own name with a lock override",
        ],
      );
    }
  });

  it('two digests under one tag that the default repo would give one name fail too: the tag would be shared', () => {
    const found = fields(
      `a:\n  image: ghcr.io/victim/app:1@sha256:${'a'.repeat(64)}\nb:\n  image: ghcr.io/victim_app:1@sha256:${'b'.repeat(64)}\n`,
    );
    const set = collectImages(found, {
      defaultRepo: 'registry.example/team',
      multiLevel: undefined,
      repository: '',
      overrides: new Map(),
      includeLocked: false,
      pinned: true,
    });
    assert.equal(set.errors.length, 1);
    assert.match(set.errors[0]?.message ?? '', /would both become registry\.example\/team\/ghcr_io_victim_app:1@sha256:b+/);
  });

  it('refuses, at its lock entry, an image only the lock names that cannot be imported, where it would otherwise be left out without a word', () => {
    const found = fields(`a:\n  image: registry.example/team/app:v1\n`);
    const digest = `sha256:${'c'.repeat(64)}`;
    const lock = parseLock(
      'site.lock.yml',
      [
        'apiVersion: kbld.k14s.io/v1alpha1',
        'kind: Config',
        'overrides:',
        `- {image: "registry.example/team/extra:v1", newImage: "registry.example/team/extra:v1@${digest}"}`,
        `- {image: "registry.example/team/extra2:v1", newImage: "registry.example/team/extra:v1@sha256:${'d'.repeat(64)}"}`,
        `- {image: "Team/Other:V1", newImage: "registry.example/team/other:v1@${digest}"}`,
        '',
      ].join('\n'),
    );
    const set = collectImages(found, {
      defaultRepo: 'site.example/mirror',
      multiLevel: undefined,
      repository: '',
      overrides: lock.overrides,
      lockedAt: lock.at,
      includeLocked: true,
      pinned: true,
    });
    assert.equal(set.errors.length, 2);
    assert.equal(
      set.errors[0]?.message,
      'site.lock.yml:6:38: "Team/Other:V1" is not an image reference: repository name must be lowercase',
    );
    assert.match(
      set.errors[1]?.message ?? '',
      /^site\.lock\.yml:4:55: registry\.example\/team\/extra:v1 and registry\.example\/team\/extra2:v1 \(site\.lock\.yml:5\) would both become site\.example\/mirror\/registry_example_team_extra:v1@sha256:c{64}: /,
    );
    assert.deepEqual(
      set.entries.map((entry) => entry.image),
      ['registry.example/team/app:v1', 'registry.example/team/extra2:v1'],
    );
  });

  it('a default repo over a file already rewritten is no collision', () => {
    const found = fields('a:\n  image: nginx:1.25\nb:\n  image: registry.example/team/nginx:1.25\n');
    const set = collectImages(found, {
      defaultRepo: 'registry.example/team',
      multiLevel: undefined,
      repository: '',
      overrides: new Map(),
      includeLocked: false,
      pinned: false,
    });
    assert.deepEqual(set.errors, []);
    assert.deepEqual(
      set.entries.map((entry) => entry.newImage),
      ['registry.example/team/nginx:1.25', 'registry.example/team/nginx:1.25'],
    );
  });
});
