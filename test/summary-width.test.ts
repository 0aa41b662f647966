// The job summary as a browser lays it out: headless Chromium (Debian's chromium) renders the summary of
// every mode at 1,000 px, in the table style GitHub's markdown uses (a table as wide as its content, at
// most the page, scrolling beyond). Every table must fit without scrolling; for names under 60
// characters no cell may take more than two lines; every digest shown has at least 12 hex digits.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { marked } from 'marked';
import type { ImageField } from '../src/manifests/field.js';
import type { CopySummary, Outcome, WorkResult } from '../src/result.js';
import { type SummaryInput, summaryText } from '../src/summary.js';
import type { Verification } from '../src/result.js';
import { scratchDir } from './registry/harness.js';

const digest = `sha256:${'7'.repeat(64)}`;

function copy(destination: string, platforms = ['linux/amd64', 'linux/arm64', 'linux/arm/v7']): CopySummary {
  return {
    destination,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    size: 2000,
    platforms,
    attestationManifests: platforms.length,
    artifacts: [
      { kind: 'signature', digest, mediaType: 'x/y', size: 1, subject: digest, tag: 'sha256-7.sig' },
      { kind: 'attestation', digest, mediaType: 'x/y', size: 1, subject: digest, tag: 'sha256-7.att' },
      { kind: 'sbom', digest, mediaType: 'x/y', size: 1, subject: digest },
    ],
    present: false,
    blobsCopied: 124,
    bytesCopied: 1_234_567_890,
    blobsSkipped: 17,
    blobsMounted: 12,
    foreignLayers: 0,
  };
}

interface Layout {
  readonly tables: { scroll: number; client: number }[];
  /** Each cell's text and the lines it takes. */
  readonly cells: { text: string; lines: number }[];
}

/** How Chromium lays the summary out: each table's widths, and the lines of each cell. */
function layout(html: string): Layout {
  const dir = scratchDir('summary-width');
  const page = path.join(dir, 'summary.html');
  writeFileSync(
    page,
    `<!doctype html><html><head><meta charset="utf-8"><style>
      body { margin: 0; padding: 0 32px; font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
      table { display: block; width: max-content; max-width: 100%; overflow: auto; border-spacing: 0; border-collapse: collapse; }
      th, td { padding: 6px 13px; border: 1px solid #d0d7de; }
      code { font: 85% ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; padding: .2em .4em; }
    </style></head><body>${html}<script>
      const tables = [...document.querySelectorAll('table')].map((table) => ({ scroll: table.scrollWidth, client: table.clientWidth }));
      // A cell's lines: the distinct tops of its text's boxes (a code's padding moves a box by a pixel or two).
      const cells = [...document.querySelectorAll('td')].map((td) => {
        const range = document.createRange();
        range.selectNodeContents(td);
        const tops = [...range.getClientRects()].map((rect) => rect.top).sort((a, b) => a - b);
        const lines = tops.filter((top, at) => at === 0 || top - tops[at - 1] > 8).length;
        return { text: td.textContent, lines };
      });
      document.title = btoa(unescape(encodeURIComponent(JSON.stringify({ tables, cells }))));
    </script></body></html>`,
  );
  const dom = execFileSync(
    'chromium',
    ['--headless', '--no-sandbox', '--disable-gpu', '--window-size=1000,900', '--dump-dom', `file://${page}`],
    { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const encoded = /<title>([^<]+)<\/title>/.exec(dom)?.[1];
  assert.ok(encoded !== undefined, dom.slice(0, 500));
  return JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as Layout;
}

const settings = (mode: string, extra: Partial<SummaryInput['settings']> = {}): SummaryInput['settings'] => ({
  mode: mode as SummaryInput['settings']['mode'],
  dryRun: false,
  defaultRepo: 'registry.internal.example.com/production',
  repository: '',
  archive: 'images.tar',
  ...extra,
});

const result = (outcomes: Outcome[]): WorkResult => ({ outcomes, failures: [], tags: [], extraLock: [] });
const verified: Verification = { kind: 'signature', by: `key ${digest.slice(0, 19)}…`, perPlatform: true } as Verification;

/** Names under 60 characters, as real deployments name images. */
const names = [
  'us-central1-docker.pkg.dev/acme-prod/shop/cartservice:v0.10.1',
  'ghcr.io/example-organisation/payments-gateway:2024.06.1',
  '123456789012.dkr.ecr.eu-west-1.amazonaws.com/otel:0.101.0',
].map((name) => name.slice(0, 59));

function relocated(dryRun: boolean): SummaryInput {
  const outcomes: Outcome[] = names.map((image) => {
    const destination = `registry.internal.example.com/production/${image.replace(/[/.:]/g, '_').slice(0, 40)}`;
    return { image, newImage: `${destination}@${digest}`, tag: undefined, digest, verified, copy: { ...copy(destination), copied: image } };
  });
  return { settings: settings('relocate', { dryRun, verify: {} as never }), result: result(outcomes), seconds: 94.2 };
}

const summaries: Record<string, SummaryInput> = {
  relocate: relocated(false),
  'relocate, dry run': relocated(true),
  package: {
    settings: settings('package'),
    result: result(
      names.map((image) => ({ image, newImage: `${image}@${digest}`, tag: undefined, digest, copy: copy('archive', ['linux/arm64']) })),
    ),
    seconds: 12,
  },
  rewrite: {
    settings: settings('rewrite'),
    result: result(
      names.map((image) => ({ image, newImage: `registry.internal.example.com/production/${image.slice(0, 30)}`, tag: undefined })),
    ),
    plan: {
      writes: [],
      changes: names.map((image, at) => ({
        field: {
          kind: 'string',
          file: `deploy/overlays/production-eu-west/services/app-${at}.yaml`,
          line: 120 + at,
          column: 16,
          value: image,
        } as ImageField,
        rendered: `registry.internal.example.com/production/${image.replace(/[/.:]/g, '_').slice(0, 30)}`,
      })),
    },
    seconds: 0.4,
  },
  resolve: {
    settings: settings('resolve', { verify: {} as never }),
    result: result(names.map((image) => ({ image, newImage: `${image.split(':')[0]}@${digest}`, tag: undefined, digest, verified }))),
    plan: {
      writes: [],
      changes: names.map((image, at) => ({
        field: { kind: 'string', file: `deploy/app-${at}.yaml`, line: 7, column: 16, value: image } as ImageField,
        rendered: `${image.split(':')[0]}@${digest}`,
      })),
    },
    seconds: 1.1,
  },
  plan: {
    settings: settings('plan'),
    result: {
      ...result(names.map((image, at) => ({ image, newImage: image, tag: undefined, digest, shard: at + 1 }))),
      shards: names.map((_, at) => ({ shard: at + 1, images: 1, bytes: 1_000_000 * (at + 1) })),
    },
    seconds: 3,
  },
};

describe('the job summary at 1,000 px', () => {
  for (const [mode, input] of Object.entries(summaries)) {
    it(`${mode}: every table fits, no cell takes over two lines, digests show 12 hex digits`, () => {
      const html = marked.parse(summaryText(input), { async: false });
      const { tables, cells } = layout(html);
      assert.ok(tables.length >= 1, html);
      for (const { scroll, client } of tables) assert.ok(scroll <= client, `${mode}: a table needs ${scroll} px and has ${client}`);
      for (const { text, lines } of cells) assert.ok(lines <= 2, `${mode}: ${JSON.stringify(text)} takes ${lines} lines`);
      for (const match of html.matchAll(/sha256:([0-9a-f]*)/g)) assert.ok((match[1] ?? '').length >= 12, `${mode}: ${match[0]}`);
    });
  }

  it('a long name is cut in the middle in its cell, and whole in its title', () => {
    const long = 'us-central1-docker.pkg.dev/google-samples/microservices-demo/recommendationservice:v0.10.1';
    const html = marked.parse(
      summaryText({
        settings: settings('relocate'),
        result: result([{ image: long, newImage: `r.example/x@${digest}`, tag: undefined, digest, copy: copy('r.example/x') }]),
        seconds: 1,
      }),
      { async: false },
    );
    assert.ok(html.includes(`title="${long}"`));
    const { tables } = layout(html);
    assert.ok((tables[0]?.scroll ?? 0) <= (tables[0]?.client ?? 0));
  });
});
