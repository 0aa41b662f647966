// The job summary as a person reads it: the text GitHub's markdown renderer shows (marked renders the
// summary, tags are dropped), for each mode, a shared digest, a platform filter, a dry run and a failure.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { marked } from 'marked';
import type { CopySummary, Outcome, WorkResult } from '../src/result.js';
import { type SummaryInput, summaryText } from '../src/summary.js';
import { printed } from './stdout.js';

/** What a browser shows of rendered HTML: text only, cells apart, entities decoded. */
export function renderedText(markdown: string): string {
  const html = marked.parse(markdown, { async: false });
  return (
    html
      .replace(/<\/(t[hd])>/g, ' | ')
      .replace(/<br>/g, ' / ')
      .replace(/<\/(tr|p|h\d|li)>/g, '\n')
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
      .replace(/&amp;/g, '&')
      // A space that does not break reads as a space.
      .replace(/\u00a0/g, ' ')
      .replace(/ \| (?=\n|$)/g, '')
      .replace(/[ \t]+\n/g, '\n')
      .replace(/\n{2,}/g, '\n')
      .trim()
  );
}

const digestA = `sha256:${'a'.repeat(64)}`;
const digestB = `sha256:${'b'.repeat(64)}`;

function copy(extra: Partial<CopySummary> = {}): CopySummary {
  return {
    destination: 'dst.example/mirror/app',
    mediaType: 'application/vnd.oci.image.index.v1+json',
    size: 500,
    platforms: ['linux/amd64', 'linux/arm64'],
    attestationManifests: 1,
    artifacts: [
      { kind: 'signature', digest: digestB, mediaType: 'x/y', size: 1, subject: digestA, tag: 'sha256-aaa.sig' },
      { kind: 'sbom', digest: digestB, mediaType: 'x/y', size: 1, subject: digestA },
    ],
    present: false,
    blobsCopied: 5,
    bytesCopied: 3 * 1024 * 1024,
    blobsSkipped: 1,
    blobsMounted: 0,
    foreignLayers: 0,
    ...extra,
  };
}

const outcome = (image: string, digest: string, summary: CopySummary): Outcome => ({
  image,
  newImage: `${summary.destination}@${digest}`,
  tag: 'v1',
  digest,
  copy: summary,
});

const result = (outcomes: Outcome[], failures: WorkResult['failures'] = []): WorkResult => ({
  outcomes,
  failures,
  tags: [],

  extraLock: [],
});

const settings = (mode: string, extra: Partial<SummaryInput['settings']> = {}): SummaryInput['settings'] => ({
  mode: mode as SummaryInput['settings']['mode'],
  dryRun: false,
  defaultRepo: 'dst.example/mirror',
  repository: '',
  archive: '/work/images.tar',
  workspace: '/work',
  ...extra,
});

describe('the job summary, rendered', () => {
  it('relocate: a headline of what moved where, bytes counted once per image, what travelled', () => {
    const shared = copy();
    const text = renderedText(
      summaryText({
        settings: settings('relocate'),
        result: result([
          outcome('src.example/app:v1', digestA, shared),
          outcome('src.example/app:also', digestA, shared),
          outcome(
            'src.example/db:v2',
            digestB,
            copy({
              destination: 'dst.example/mirror/db',
              present: true,
              platforms: [],
              artifacts: [],
              blobsCopied: 0,
              bytesCopied: 0,
              blobsSkipped: 0,
            }),
          ),
        ]),
        seconds: 4.25,
      }),
    );
    assert.match(
      text,
      /^ferry relocate\nRelocated 2 images \(3 references\) to dst\.example\/mirror in 4\.3 s: 3\.0 MiB crossed the wire \(5 blobs\), 1 image already there; with them 1 signature, 1 SBOM\.\n/,
    );
    assert.match(text, /\nImage \| Now at \| Sent \| Travelled with it\n/);
    assert.match(
      text,
      /\nsrc\.example\/app:v1 \/ 2 platforms, 1 attestation \| dst\.example\/mirror\/app \/ @sha256:a{12}… \| 5 blobs, 3\.0 MiB \/ 1 there \| 1 signature, 1 SBOM\n/,
    );
    assert.match(text, /\nsrc\.example\/app:also \/ [^|]+ \| [^|]+ \| same image as above \|\s*\n/);
    assert.match(text, /\nsrc\.example\/db:v2 \| [^|]+ \| already there \| —/);
    assert.doesNotMatch(text, /single|1 files|blobs mounted/);
  });

  it('package: the archive, the digest, what went into it; a platform filter says from what', () => {
    const text = renderedText(
      summaryText({
        settings: settings('package'),
        result: result([
          outcome(
            'app:v1',
            digestA,
            copy({ destination: 'archive', platforms: ['linux/arm64'], attestationManifests: 0, filteredFrom: digestB }),
          ),
        ]),
        seconds: 2,
      }),
    );
    assert.match(text, /^ferry package\nPackaged 1 image into images\.tar in 2\.0 s: 3\.0 MiB crossed the wire/);
    assert.match(text, /\nImage \| Digest \| Into the archive \| Travelled with it\n/);
    assert.match(text, /\napp:v1 \/ linux\/arm64 of sha256:bbbbbbbbbbbb… \| sha256:a{12}… \| 5 blobs, 3\.0 MiB \/ 1 not fetched \|/);
  });

  it('a dry run says what would happen', () => {
    const text = renderedText(
      summaryText({ settings: settings('relocate', { dryRun: true }), result: result([outcome('app:v1', digestA, copy())]), seconds: 1 }),
    );
    assert.match(
      text,
      /^ferry relocate \(dry run\)\nDry run: would relocate 1 image to dst\.example\/mirror in 1\.0 s: 3\.0 MiB would cross the wire/,
    );
    assert.match(text, /\nImage \| Would be at \| Would send \| Travelled with it\n[^\n]*\| 5 blobs, 3\.0 MiB \/ 1 there \|/);
    assert.match(text, /\nDry run: no file was written and nothing was pushed\.$/);
  });

  it('a failed package: no file in its place, and a re-run resumes from the partial files it names; before the layout, nothing to resume', () => {
    const failure = [{ image: 'bad:v1', message: 'bad:v1: writing .images.tar.partial at 1024: ENOSPC' }];
    const laidOut = renderedText(
      summaryText({
        settings: settings('package', { archive: '/work/out/<b>images.tar' }),
        result: { ...result([], failure), archive: { file: '/work/out/<b>images.tar', files: ['/work/out/<b>images.tar'] } },
        seconds: 3,
        failed: {},
        images: 3,
      }),
    );
    assert.match(
      laidOut,
      /^ferry package\nPackage failed: 1 image of 3 could not be done, so no file was put in its place \(what the archive got is kept for a run on this machine to resume\)\.\n/,
    );
    assert.match(
      laidOut,
      /\nHow to continue\nFix what failed and re-run the job with the same inputs: the blobs the archive got are kept in its hidden partial files \(\.<b>images\.tar\.partial\), which a run on this machine resumes \(each blob checked against its digest, not fetched again; a fresh machine fetches them again\), and it is put in place once every image is in it, with the lock\.$/,
    );
    const inParts = renderedText(
      summaryText({
        settings: settings('package'),
        result: { ...result([], failure), archive: { file: '/work/images.tar', files: ['/work/images.tar.001', '/work/images.tar.002'] } },
        seconds: 3,
        failed: {},
      }),
    );
    assert.match(inParts, /hidden partial files \(\.images\.tar\.001\.partial and on\)/);
    const early = renderedText(summaryText({ settings: settings('package'), result: result([], failure), seconds: 1, failed: {} }));
    assert.match(early, /could not be done, so no file was put in its place\.\n/);
    assert.match(early, /re-run the job with the same inputs: the archive is written once every image is in it, with the lock\.$/);
  });

  it('a failure: what failed, what is at the destination untagged, how to continue; untrusted text stays text', () => {
    const text = renderedText(
      summaryText({
        settings: settings('relocate'),
        result: result(
          [outcome('app:v1', digestA, copy())],
          [{ image: 'bad:v1', message: 'bad:v1: 500 <script>alert(1)</script> | injected' }],
        ),
        seconds: 3,
        failed: {},
      }),
    );
    assert.match(
      text,
      /^ferry relocate\nRelocate failed: 1 image of 2 could not be done, so nothing was tagged and no file was written\.\n/,
    );
    assert.match(text, /\nWhat failed\nbad:v1: 500 <script>alert\(1\)<\/script> \| injected\n/);
    assert.match(text, /\nAt the destination, untagged\nThis run pushed these images[^\n]*by digest[^\n]*\nImage \| Now at/);
    assert.match(text, /\napp:v1 \/ 2 platforms, 1 attestation \| dst\.example\/mirror\/app \/ @sha256:a{12}… \|/);
    assert.match(text, /\nHow to continue\nFix what failed and re-run the job/);
  });

  it('a failed re-run lists only what this run pushed and could not tag, not what was there before it', async () => {
    const there = outcome('done:v1', digestA, copy({ present: true, destination: 'dst.example/mirror/done' }));
    const pushedNow = outcome('new:v1', digestA, copy({ destination: 'dst.example/mirror/new' }));
    const failed = [{ image: 'bad:v1', message: 'bad:v1: 500' }];
    const text = renderedText(
      summaryText({ settings: settings('relocate'), result: result([there, pushedNow], failed), seconds: 1, failed: {} }),
    );
    const section = text.slice(text.indexOf('At the destination, untagged'), text.indexOf('How to continue'));
    assert.match(section, /\nnew:v1 \//);
    assert.doesNotMatch(section, /done:v1/);
    const report = await import('../src/report.js');
    const notice = printed(() =>
      report.completeUntagged({ dryRun: false } as Parameters<typeof report.completeUntagged>[0], result([there, pushedNow], failed)),
    );
    assert.match(notice, /1 image is complete at the destination[^\n]*new:v1/);
    assert.doesNotMatch(notice, /done:v1/);
    // A re-run whose images were all there before pushed nothing: no such notice.
    assert.equal(
      printed(() => report.completeUntagged({ dryRun: false } as Parameters<typeof report.completeUntagged>[0], result([there], failed))),
      '',
    );
  });

  it('rewrite and resolve: where each field was and what it is now', () => {
    const field = { file: 'k8s/app.yaml', line: 7, value: 'busybox:1.36' };
    const text = renderedText(
      summaryText({
        settings: settings('rewrite'),
        result: result([{ image: 'busybox:1.36', newImage: 'dst.example/mirror/busybox:1.36', tag: '1.36' }]),
        plan: {
          changes: [{ field: field as never, rendered: 'dst.example/mirror/busybox:1.36' }],
          writes: [{ path: 'k8s/app.yaml', text: '', modeFrom: '' }],
        },
        seconds: 0.2,
      }),
    );
    assert.match(
      text,
      /^ferry rewrite\nRewrote 1 image field in 1 file in 0\.2 s\.\nWhere \| Was \| Now\nk8s\/app\.yaml:7 \| busybox:1\.36 \| dst\.example\/mirror\/busybox:1\.36/,
    );
  });
});

describe('plan mode shows the plan', () => {
  it('a row per shard with its images, bytes and share, and the balance, before the images', () => {
    const text = renderedText(
      summaryText({
        settings: { mode: 'plan', dryRun: false, defaultRepo: '', repository: '', archive: 'images.tar' },
        result: {
          outcomes: [{ image: 'a', newImage: `a@${digestA}`, tag: undefined }],
          failures: [],
          tags: [],

          extraLock: [],
          shards: [
            { shard: 1, images: 3, bytes: 3 * 1024 * 1024 },
            { shard: 2, images: 1, bytes: 1024 * 1024 },
          ],
        },
        seconds: 1,
      }),
    );
    assert.match(
      text,
      /Shard \| Images \| Bytes \| Share\n1 \| 3 \| 3\.0 MiB \| 75%\n2 \| 1 \| 1\.0 MiB \| 25%\nBalance: the largest shard is 1\.50x the mean/,
    );
    assert.ok(text.indexOf('Balance') < text.indexOf('Image |'), text);
  });
});

describe('plan mode logs the plan', () => {
  it('a line per shard and the balance', async () => {
    const report = await import('../src/report.js');
    const output = printed(() =>
      report.shardLines([
        { shard: 1, images: 2, bytes: 2048 },
        { shard: 2, images: 2, bytes: 2048 },
      ]),
    );
    assert.equal(
      output,
      'shard 1: 2 images, 2.0 KiB (50% of the bytes)\nshard 2: 2 images, 2.0 KiB (50% of the bytes)\nbalance: the largest shard is 1.00x the mean\n',
    );
  });
});

describe('totals that add up', () => {
  it('two references to one image: the headline is the sum of what each copy moved, as the rows are', () => {
    // Two tags, two copies of one image: the walk counted each blob in the copy that moved it.
    const first = copy({ blobsCopied: 16, bytesCopied: 16 * 1024 * 1024, blobsSkipped: 0, blobsMounted: 0, copied: 'dst@a:' });
    const second = copy({ blobsCopied: 2, bytesCopied: 2 * 1024 * 1024, blobsSkipped: 0, blobsMounted: 0, copied: 'dst@a:1.0' });
    const outcomes: Outcome[] = [
      { image: 'reg/shop/app', newImage: `dst.example/mirror/app@${digestA}`, tag: undefined, digest: digestA, copy: first },
      { image: 'reg/shop/app:1.0', newImage: `dst.example/mirror/app:1.0@${digestA}`, tag: '1.0', digest: digestA, copy: second },
    ];
    const text = renderedText(
      summaryText({
        settings: { mode: 'relocate', dryRun: false, defaultRepo: 'dst.example/mirror', repository: '', archive: 'images.tar' },
        result: { outcomes, failures: [], tags: [], extraLock: [] },
        seconds: 2,
      }),
    );
    assert.match(text, /18\.0 MiB crossed the wire \(18 blobs\)/);
    const rows = [...text.matchAll(/(\d+) blobs?, (\d+\.\d) MiB/g)].map((match) => Number(match[1]));
    assert.deepEqual(rows, [16, 2]);
  });
});

describe('refusals at their own lines', () => {
  it('each refused image gets its own annotation at its own field; a shared reason is said once more in the log', async () => {
    const report = await import('../src/report.js');
    const failures = ['a', 'b', 'c'].map((name, at) => ({
      field: { file: 'k8s/app.yaml', line: 3 + at * 2, column: 10 },
      image: `reg.example/${name}:1`,
      message: `reg.example/${name}:1: no signature by the key`,
    }));
    const lines = printed(() => report.imageFailures(failures)).split('\n');
    const errors = lines.filter((line) => line.startsWith('::error '));
    assert.deepEqual(
      errors.map((line) => /line=(\d+)/.exec(line)?.[1]),
      ['3', '5', '7'],
    );
    for (const [at, line] of errors.entries()) assert.match(line, new RegExp(`::reg\\.example/${'abc'[at]}:1: no signature by the key$`));
    assert.ok(
      lines.includes('3 images failed for one reason: no signature by the key (reg.example/a:1, reg.example/b:1, reg.example/c:1)'),
    );
  });
});

describe('totals in words that mean something', () => {
  it('package speaks of the archive and its blob store, relocate of what was there; counts are plural only when they are', async () => {
    const report = await import('../src/report.js');
    const archived = { ...copy({ destination: 'archive', blobsSkipped: 0, blobsMounted: 0 }) };
    const packaged = printed(() => report.totals('package', result([outcome('app:v1', digestA, archived)]), 1, false, 1));
    assert.equal(packaged, 'package: 1 image: 5 blobs (3.0 MiB) archived, in 1.0 s\n');
    const there = copy({ present: true, destination: 'dst.example/mirror/db', blobsCopied: 0, bytesCopied: 0, blobsSkipped: 0 });
    const relocated = printed(() =>
      report.totals('relocate', result([outcome('app:v1', digestA, copy()), outcome('db:v1', digestB, there)]), 1, false, 2),
    );
    assert.equal(relocated, 'relocate: 2 images: 5 blobs (3.0 MiB) copied, 1 already there, 1 image already there, in 1.0 s\n');
  });
});

describe('failed-run wording agrees with itself', () => {
  it('the totals line counts every image of the run, as the summary does', async () => {
    const report = await import('../src/report.js');
    const outcomes: Outcome[] = Array.from({ length: 7 }, (_, n) => ({ image: `app${n}`, newImage: `app${n}`, tag: undefined }));
    const output = printed(() =>
      report.totals('relocate', { outcomes, failures: [{ image: 'x', message: 'x: failed' }], tags: [], extraLock: [] }, 1, false, 8),
    );
    assert.equal(output, 'relocate: 8 images, 1 failed, in 1.0 s\n');
    // A verify gate that refuses five of seven images holds the other two back: seven in play, five failed.
    const refused = Array.from({ length: 5 }, (_, n) => ({ image: `bad${n}`, message: `bad${n}: not signed` }));
    const held = { outcomes: [], failures: refused, tags: [], extraLock: [] };
    assert.equal(
      printed(() => report.totals('relocate', held, 1, false, 7)),
      'relocate: 7 images, 5 failed, in 1.0 s\n',
    );
    assert.match(
      renderedText(
        summaryText({
          settings: { mode: 'relocate', dryRun: false, defaultRepo: 'r.example/x', repository: '', archive: 'images.tar' },
          result: held,
          seconds: 1,
          failed: {},
          images: 7,
        }),
      ),
      /5 images of 7 could not be done/,
    );
    const headline = renderedText(
      summaryText({
        settings: { mode: 'relocate', dryRun: false, defaultRepo: 'r.example/x', repository: '', archive: 'images.tar' },
        result: { outcomes, failures: [{ image: 'x', message: 'x: failed' }], tags: [], extraLock: [] },
        seconds: 1,
        failed: {},
      }),
    );
    assert.match(headline, /1 image of 8 could not be done/);
  });
});
