// A repository shaped like real ones (test/fixtures/repo): a kustomize base with two overlays, a Helm
// chart with values, values-prod and templates, compose with variables, a ko app and stray locks. Its
// images live at `registry.source.test`, which a test may swap for a real registry's host.
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { scratchDir } from '../registry/harness.js';

export const repoFixture = path.resolve(import.meta.dirname, '..', 'fixtures', 'repo');
export const fixtureRegistry = 'registry.source.test';
export const kustomizations = ['k8s/base', 'k8s/overlays/staging', 'k8s/overlays/prod'];

function files(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
}

/** A fresh copy of the fixture, its images moved to `registry` when given. */
export function repoWorkspace(registry = fixtureRegistry): string {
  const dir = scratchDir('repo');
  cpSync(repoFixture, dir, { recursive: true });
  if (registry !== fixtureRegistry) {
    for (const file of files(dir)) {
      const full = path.join(dir, file);
      writeFileSync(full, readFileSync(full, 'utf8').replaceAll(fixtureRegistry, registry));
    }
  }
  return dir;
}

/** Every image string of the fixture that names a real image (placeholders and locks aside), with `registry` as its host. */
export function fixtureImages(registry: string): string[] {
  const names = [
    'bitnami/postgresql:16.2.0',
    'envoyproxy/envoy:v1.30',
    'library/busybox:1.36',
    'library/nginx:1.25',
    'library/nginx:1.26',
    'library/postgres:16',
    'library/redis:7',
    'library/redis:7.2',
    'prometheus/exporter:1.58',
    'storefront/app:3.0.2',
    'storefront/app:3.1.0',
    'storefront/migrate:2.4.1',
    'storefront/web-hardened:2.0',
  ];
  return names.map((name) => `${registry}/${name}`);
}

/** The images `kubectl kustomize dir` renders: kustomize itself is the judge of kustomize output. */
export function renderedImages(dir: string): string[] {
  const output = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', timeout: 60_000 });
  return [...output.matchAll(/^\s*-?\s*image: (\S+)$/gm)].map((match) => (match[1] ?? '').replace(/^"|"$/g, '')).sort();
}
