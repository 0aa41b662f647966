// The job summary as a browser lays it out: headless Chromium (Debian's chromium) renders the relocate
// summary of long, real-world names at 1,000 px, in the table style GitHub's markdown uses (a table as
// wide as its content, at most the page, scrolling beyond), and the table must not scroll.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { marked } from 'marked';
import type { CopySummary, Outcome } from '../src/result.js';
import { summaryText } from '../src/summary.js';
import { scratchDir } from './registry/harness.js';

const digest = `sha256:${'7'.repeat(64)}`;

function copy(destination: string): CopySummary {
  return {
    destination,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    size: 2000,
    platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
    attestationManifests: 3,
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

/** The widths Chromium gives the summary's table: what it needs, and what the page gives it. */
function tableWidths(html: string): { scroll: number; client: number } {
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
      const table = document.querySelector('table');
      document.title = table.scrollWidth + ' ' + table.clientWidth;
    </script></body></html>`,
  );
  const dom = execFileSync(
    'chromium',
    ['--headless', '--no-sandbox', '--disable-gpu', '--window-size=1000,900', '--dump-dom', `file://${page}`],
    { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const [scroll, client] = (/<title>(\d+) (\d+)<\/title>/.exec(dom)?.slice(1) ?? []).map(Number);
  assert.ok(scroll !== undefined && client !== undefined, dom.slice(0, 500));
  return { scroll, client };
}

describe('the job summary at 1,000 px', () => {
  it('the relocate table of long real-world names fits without scrolling; each name whole in its title', () => {
    const names = [
      'us-central1-docker.pkg.dev/google-samples/microservices-demo/recommendationservice:v0.10.1',
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com/platform/observability/otel-collector-contrib:0.101.0',
      'ghcr.io/example-organisation/a-rather-long-service-name-for-payments:2024.06.1',
    ];
    const outcomes: Outcome[] = names.map((image) => {
      const destination = `registry.internal.example.com/production/${image.replace(/[/.:]/g, '_').slice(0, 60)}`;
      return { image, newImage: `${destination}@${digest}`, tag: undefined, digest, copy: { ...copy(destination), copied: image } };
    });
    const markdown = summaryText({
      settings: {
        mode: 'relocate',
        dryRun: false,
        defaultRepo: 'registry.internal.example.com/production',
        repository: '',
        archive: 'images.tar',
      },
      result: { outcomes, failures: [], tags: [], edit: true, extraLock: [] },
      seconds: 94.2,
    });
    const html = marked.parse(markdown, { async: false });
    for (const name of names) assert.ok(html.includes(`title="${name}"`), name);
    const { scroll, client } = tableWidths(html);
    assert.ok(scroll <= client, `the table needs ${scroll} px and has ${client}`);
  });
});
