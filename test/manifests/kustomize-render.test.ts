// kustomize as it renders, judged by kubectl kustomize: every root of a layout is rendered before and
// after ferry's edits, and each image it rendered must now render as its target (moved onto the
// default repo, or pinned to a digest), nothing else changed. Layouts that teams keep: a placeholder
// renamed in a base and retagged by an overlay, a placeholder only an overlay maps, overlays with
// their own tags over one base, an overlay that pins a digest, a component that renames, an overlay
// above an overlay, a base two roots share, and a field two roots need to become two things.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { planCommit } from '../../src/commit.js';
import { collectImages } from '../../src/images.js';
import type { Target } from '../../src/manifests/kinds/target.js';
import { scanManifests } from '../../src/manifests/scan.js';
import { pinnedReference, tagOf } from '../../src/reference.js';
import { Workspace } from '../../src/workspace.js';
import { scratchDir, sha256 } from '../registry/harness.js';

type Layout = Record<string, string>;
/** How the targets are made: moved (rewrite), pinned in place (resolve, with or without the tag), or both (relocate). */
type Mode = 'rewrite' | 'resolve' | 'resolve keeping tags' | 'relocate';

const defaultRepo = 'registry.example/team';

/** The `image:` values kubectl kustomize renders for a folder, in order. */
function rendered(dir: string): string[] {
  const text = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  return [...text.matchAll(/^\s*-?\s*image: (\S+)$/gm)].map((match) => (match[1] ?? '').replace(/^"|"$/g, ''));
}

const digestOf = (image: string): string => sha256(image);

function deployment(name: string, ...images: string[]): string {
  const containers = images.map((image, at) => `      - name: c${at}\n        image: ${image}\n`).join('');
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  template:\n    spec:\n      containers:\n${containers}`;
}

/** The workspace's manifests, scanned as a run scans them. */
const scanned = (workspace: string) =>
  scanManifests({
    files: new Workspace(workspace, workspace),
    maxManifestBytes: 1024 * 1024,
    patterns: ['**/*.yaml'],
    imageKeys: ['image'],
    exclude: [],
  });

/** Scans the layout, plans the commit for `mode`, and writes it; the roots' renders before and after, or the errors. */
async function relocate(layout: Layout, mode: Mode, roots: readonly string[]) {
  const workspace = scratchDir('kustomize-render');
  for (const [name, text] of Object.entries(layout)) {
    mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true });
    writeFileSync(path.join(workspace, name), text);
  }
  const before = new Map(roots.map((root) => [root, rendered(path.join(workspace, root))]));
  const scan = await scanned(workspace);
  assert.deepEqual(scan.errors, []);
  const set = collectImages(
    scan.manifests.flatMap((manifest) => manifest.fields),
    {
      defaultRepo: mode === 'rewrite' || mode === 'relocate' ? defaultRepo : '',
      multiLevel: undefined,
      repository: '',
      overrides: new Map(),
      includeLocked: false,
      pinned: mode !== 'rewrite',
    },
  );
  assert.deepEqual(set.errors, []);
  const targets = new Map<string, Target>(
    set.entries.map((entry) => {
      const image =
        mode === 'rewrite'
          ? entry.newImage
          : pinnedReference(mode === 'relocate' ? entry.newImage : entry.source, digestOf(entry.image), mode === 'resolve keeping tags');
      return [entry.image, { image, tag: tagOf(entry.source) }];
    }),
  );
  const plan = planCommit(scan.manifests, targets, { outputDir: undefined, kustomize: scan.kustomize });
  for (const write of plan.writes) writeFileSync(write.path, write.text);
  const after = new Map(roots.map((root) => [root, plan.errors.length > 0 ? [] : rendered(path.join(workspace, root))]));
  return { images: set.entries.map((entry) => entry.image), targets, before, after, errors: plan.errors.map((error) => error.message) };
}

/** Every root renders each image it rendered as that image's target. */
async function judge(layout: Layout, mode: Mode, roots: readonly string[]): Promise<Awaited<ReturnType<typeof relocate>>> {
  const run = await relocate(layout, mode, roots);
  assert.deepEqual(run.errors, []);
  for (const root of roots) {
    const expected = (run.before.get(root) ?? []).map((image) => run.targets.get(image)?.image ?? `(no target for ${image})`);
    assert.deepEqual(run.after.get(root), expected, `${mode}: ${root}`);
  }
  return run;
}

const layouts: Record<string, { layout: Layout; roots: string[]; images: string[] }> = {
  'a base that renames a placeholder, and an overlay that retags what the base renders': {
    layout: {
      'base/kustomization.yaml': 'resources: [deployment.yaml]\nimages:\n- name: web\n  newName: reg.example/app/web\n  newTag: "1.0"\n',
      'base/deployment.yaml': deployment('web', 'web'),
      'overlays/prod/kustomization.yaml': 'resources: [../../base]\nimages:\n- name: reg.example/app/web\n  newTag: "1.1"\n',
    },
    roots: ['overlays/prod'],
    images: ['reg.example/app/web:1.1'],
  },
  'a placeholder only an overlay maps': {
    layout: {
      'base/kustomization.yaml': 'resources: [deployment.yaml]\n',
      'base/deployment.yaml': deployment('web', 'web'),
      'overlays/prod/kustomization.yaml':
        'resources: [../../base]\nimages:\n- name: web\n  newName: reg.example/app/web\n  newTag: "1.1"\n',
    },
    roots: ['overlays/prod'],
    images: ['reg.example/app/web:1.1'],
  },
  'overlays with their own tags over one base, one renaming': {
    layout: {
      'base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
      'base/deployment.yaml': deployment('app', 'reg.example/library/nginx:1.25', 'reg.example/library/redis:7'),
      'overlays/staging/kustomization.yaml':
        'resources: [../../base]\nimages:\n  - name: reg.example/library/nginx\n    newTag: "1.26" # next\n',
      'overlays/prod/kustomization.yaml':
        'resources:\n- ../../base\nimages:\n- name: reg.example/library/nginx\n  newName: reg.example/storefront/web-hardened\n  newTag: "2.0"\n- {name: reg.example/library/redis, newTag: "7.2"}\n',
    },
    roots: ['overlays/prod', 'overlays/staging'],
    images: [
      'reg.example/library/nginx:1.26',
      'reg.example/library/redis:7',
      'reg.example/library/redis:7.2',
      'reg.example/storefront/web-hardened:2.0',
    ],
  },
  'an overlay that pins a digest': {
    layout: {
      'base/kustomization.yaml': 'resources: [deployment.yaml]\n',
      'base/deployment.yaml': deployment('app', 'reg.example/app:1.0'),
      'overlays/prod/kustomization.yaml': `resources: [../../base]\nimages:\n- name: reg.example/app\n  digest: sha256:${'c'.repeat(64)}\n`,
    },
    roots: ['overlays/prod'],
    images: [`reg.example/app@sha256:${'c'.repeat(64)}`],
  },
  'a component that renames, applied before the kustomization that uses it renames again': {
    layout: {
      'base/kustomization.yaml':
        'resources: [deployment.yaml]\ncomponents: [../mirror]\nimages:\n- name: mirror.example/app\n  newTag: "3.0"\n',
      'base/deployment.yaml': deployment('app', 'app:1.0', 'sidecar:2'),
      'mirror/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nimages:\n- name: app\n  newName: mirror.example/app\n',
    },
    roots: ['base'],
    images: ['mirror.example/app:3.0', 'sidecar:2'],
  },
  'an overlay above an overlay that renames': {
    layout: {
      'base/kustomization.yaml': 'resources: [deployment.yaml]\n',
      'base/deployment.yaml': deployment('app', 'app:1.0'),
      'overlays/eu/kustomization.yaml': 'resources: [../../base]\nimages:\n- name: app\n  newName: eu.example/app\n',
      'overlays/eu-prod/kustomization.yaml': 'resources: [../eu]\nimages:\n- name: eu.example/app\n  newTag: "1.1"\n',
    },
    roots: ['overlays/eu-prod'],
    images: ['eu.example/app:1.1'],
  },
  'an image kustomize does not transform (a Task step, a CR field) beside a container that it does': {
    layout: {
      'base/kustomization.yaml': 'resources: [deployment.yaml, task.yaml]\n',
      'base/deployment.yaml': deployment('app', 'myapp:1.0'),
      'base/task.yaml':
        'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: build\nspec:\n  steps:\n  - name: run\n    image: myapp:1.0\n',
      'overlays/prod/kustomization.yaml': 'resources: [../../base/]\nimages:\n- name: myapp\n  newTag: "1.1"\n',
    },
    roots: ['overlays/prod'],
    images: ['myapp:1.0', 'myapp:1.1'],
  },
  'one base rendered twice in one root, each time with its own tag': {
    layout: {
      'base/kustomization.yaml': 'resources: [deployment.yaml]\n',
      'base/deployment.yaml': deployment('app', 'app:1.0'),
      'blue/kustomization.yaml': 'namePrefix: blue-\nresources: [../base]\nimages:\n- name: app\n  newTag: "1.1"\n',
      'green/kustomization.yaml': 'namePrefix: green-\nresources: [../base]\nimages:\n- name: app\n  newTag: "1.2"\n',
      'both/kustomization.yaml': 'resources: [../blue, ../green]\n',
    },
    roots: ['both'],
    images: ['app:1.1', 'app:1.2'],
  },
  'a base two roots share, one of them leaving it as it is': {
    layout: {
      'shared/kustomization.yaml': 'resources: [deployment.yaml]\nimages:\n- name: app\n  newName: reg.example/app\n',
      'shared/deployment.yaml': deployment('app', 'app:1.0'),
      'dev/kustomization.yaml': 'resources: [../shared]\n',
      'prod/kustomization.yaml': 'resources: [../shared]\nimages:\n- name: reg.example/app\n  newTag: "1.2"\n',
    },
    roots: ['dev', 'prod'],
    images: ['reg.example/app:1.0', 'reg.example/app:1.2'],
  },
};

describe('kustomize as it renders, judged by kubectl kustomize', () => {
  for (const [name, { layout, roots, images }] of Object.entries(layouts)) {
    for (const mode of ['rewrite', 'resolve', 'resolve keeping tags', 'relocate'] as const) {
      it(`${mode}: ${name}`, async () => {
        const run = await judge(layout, mode, roots);
        // The images are what the roots render: a placeholder a rename keys is never one of them.
        assert.deepEqual(run.images, images);
      });
    }
  }

  it('refuses a local path it cannot follow, at its line: what the root renders would be a guess', async () => {
    const workspace = scratchDir('kustomize-unseen');
    mkdirSync(path.join(workspace, 'overlay'), { recursive: true });
    writeFileSync(
      path.join(workspace, 'overlay', 'kustomization.yaml'),
      'resources:\n- ../elsewhere\nimages:\n- name: app\n  newTag: "2"\n',
    );
    const scan = await scanned(workspace);
    assert.deepEqual(
      scan.errors.map((error) => error.message),
      [
        `overlay/kustomization.yaml:2:3: "../elsewhere" is not among the manifests ferry reads (outside the workspace or the manifests globs, or a folder with no kustomization): add it to manifests, so that what this kustomization renders is known`,
      ],
    );
  });

  it('keeps the name of an entry that also matches what a remote base renders, refusing an edit that needs it changed', async () => {
    const workspace = scratchDir('kustomize-remote');
    const files: Layout = {
      'base/kustomization.yaml': 'resources: [deployment.yaml]\nimages:\n- name: app\n  newName: reg.example/app\n',
      'base/deployment.yaml': deployment('app', 'app:1.0'),
      'prod/kustomization.yaml':
        'resources:\n- ../base\n- https://github.com/acme/infra//remote?ref=v1\nimages:\n- name: reg.example/app\n  newTag: "2"\n',
    };
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true });
      writeFileSync(path.join(workspace, name), text);
    }
    const scan = await scanned(workspace);
    assert.deepEqual(scan.errors, []);
    // Moved onto the default repo, the base's rename changes, and prod's entry would have to follow it.
    const targets = new Map<string, Target>([['reg.example/app:2', { image: 'registry.example/team/reg_example_app:2', tag: '2' }]]);
    const plan = planCommit(scan.manifests, targets, { outputDir: undefined, kustomize: scan.kustomize });
    assert.match(
      plan.errors.map((error) => error.message).join('\n'),
      /^prod\/kustomization\.yaml:5:3: this entry would need the name "registry\.example\/team\/reg_example_app" to keep matching, and it also matches what a remote resource below it renders/,
    );
    assert.deepEqual(
      plan.writes.filter((write) => write.text !== undefined && plan.errors.length === 0),
      [],
    );
  });

  it('refuses a field that two roots need to become two things, at its line, naming both roots', async () => {
    // `app:1.0` is rendered as it is by one root and through a shared component's rename by another:
    // pinned, the field must hold the digest of app:1.0 for one and of mirror.example/app:1.0 for the other.
    const layout: Layout = {
      'common/kustomization.yaml': 'resources: [deployment.yaml]\n',
      'common/deployment.yaml': deployment('app', 'app:1.0'),
      'plain/kustomization.yaml': 'resources: [../common]\n',
      'mirrored/kustomization.yaml': 'resources: [../common]\ncomponents: [../mirror]\n',
      'other/kustomization.yaml': 'resources: [deployment.yaml]\ncomponents: [../mirror]\n',
      'other/deployment.yaml': deployment('other', 'app:2.0'),
      'mirror/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nimages:\n- name: app\n  newName: mirror.example/app\n',
    };
    const roots = ['mirrored', 'other', 'plain'];
    const run = await relocate(layout, 'resolve', roots);
    assert.equal(run.errors.length, 1, run.errors.join('\n'));
    assert.match(
      run.errors[0] ?? '',
      /^common\/deployment\.yaml:\d+:\d+: (plain|mirrored) needs its tag and digest to become .* and (plain|mirrored) needs /,
    );
  });
});
