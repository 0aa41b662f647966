// Untrusted text on its way to a person: the log, where the runner reads workflow commands (both of its
// parsers, test/runner-commands.ts); the job summary, where GitHub renders markdown; and messages that
// quote a value. Generated hostile strings are thrown at every report function a name reaches.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { marked } from 'marked';
import { ManifestError } from '../src/manifests/field.js';
import type { CopySummary, WorkResult } from '../src/result.js';
import * as report from '../src/report.js';
import { summaryText } from '../src/summary.js';
import { htmlText, logText, quoted } from '../src/untrusted-text.js';
import { runnerCommand, runnerCommands, runnerLines } from './runner-commands.js';
import { printed } from './stdout.js';

/** Fragments the runner, markdown and terminals give meaning to, mixed with arbitrary text. */
const fragments = [
  '::',
  '##[',
  ']',
  'stop-commands',
  'add-mask',
  'warning',
  'error title=x',
  'set-output name=a',
  ' ',
  '\t',
  '\n',
  '\r',
  '\r\n',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\u3000',
  '\ufeff',
  '\u001b[31m',
  '%0A',
  '%25',
  '\n\n# heading\n\n',
  '[phish](https://evil.example)',
  '![pixel](https://evil.example/p.png)',
  '<img src=x>',
  '</li></ul>',
  '<script>',
  '`',
  '*',
  '_',
  '|',
];
const hostile = fc
  .array(fc.oneof(fc.constantFrom(...fragments), fc.string({ unit: 'binary', maxLength: 8 })), { maxLength: 12 })
  .map((parts) => parts.join(''));

/** The commands read from `output`: only those named, each from the `::` form @actions/core writes. */
function assertOnly(output: string, allowed: readonly string[]): void {
  for (const command of runnerCommands(output)) {
    assert.equal(command.parser, 'v2', `a legacy command was read: ${JSON.stringify(command)} in ${JSON.stringify(output)}`);
    assert.ok(allowed.includes(command.name), `${command.name} was read from ${JSON.stringify(output)}`);
  }
}

const copy = (destination: string): CopySummary => ({
  destination,
  mediaType: 'application/vnd.oci.image.index.v1+json',
  size: 1,
  platforms: ['linux/amd64'],
  attestationManifests: 0,
  artifacts: [],
  present: false,
  blobsCopied: 1,
  bytesCopied: 2,
  blobsSkipped: 0,
  blobsMounted: 0,
  foreignLayers: 0,
});

const result = (name: string): WorkResult => ({
  outcomes: [
    { image: name, newImage: `${name}@sha256:${'a'.repeat(64)}`, tag: undefined, digest: `sha256:${'a'.repeat(64)}`, copy: copy(name) },
    { image: `${name}-2`, newImage: name, tag: undefined },
  ],
  failures: [{ image: name, message: `${name} failed: ${name}` }],
  tags: [],

  extraLock: [],
});

describe('untrusted text in the log', () => {
  it('logText leaves no command for either of the runner’s parsers, on one line', () => {
    fc.assert(
      fc.property(hostile, hostile, (before, name) => {
        const line = logText(`${before}${name}: a kbld or imgpkg lock, never edited`);
        assert.equal(runnerLines(line).length, 1, JSON.stringify(line));
        assert.equal(runnerCommand(line), undefined, JSON.stringify(line));
      }),
      { numRuns: 2000 },
    );
  });

  it('the two names the runner would have obeyed are printed as text', () => {
    for (const name of ['x ##[stop-commands]t.yaml', '::warning title=forged::approve.yaml', ' \u00a0::add-mask::x', '##[add-mask]x']) {
      const line = logText(`${name}: a kbld or imgpkg lock, never edited`);
      assert.equal(runnerCommand(line), undefined, line);
      // The text a person reads is still the name, with a visible escape.
      assert.match(line, /stop-commands|warning|add-mask/);
    }
    assert.equal(logText('registry.example/team/app:1.0 -> [::1]:5000/app'), 'registry.example/team/app:1.0 -> [::1]:5000/app');
  });

  it('every report function a name reaches prints no command but its own', () => {
    fc.assert(
      fc.property(hostile, (name) => {
        const at = { file: name, line: 1, column: 1 };
        assertOnly(
          printed(() => report.info(`${name}: a kbld or imgpkg lock, never edited`)),
          [],
        );
        assertOnly(
          printed(() => report.imageLines('relocate', result(name), false)),
          [],
        );
        assertOnly(
          printed(() => report.imageLines('rewrite', result(name), false)),
          [],
        );
        assertOnly(
          printed(() => report.totals('relocate', result(name), 1, false, 1)),
          [],
        );
        assertOnly(
          printed(() => report.placeholders([{ ...at, value: name, reason: name }])),
          ['notice'],
        );
        assertOnly(
          printed(() => report.skippedFiles([{ file: name, reason: name }])),
          ['notice'],
        );
        assertOnly(
          printed(() => report.manifestErrors([new ManifestError(name, 1, 1, name)])),
          ['error'],
        );
        assertOnly(
          printed(() => report.imageFailures([{ field: at, image: name, message: name }])),
          ['error'],
        );
        assertOnly(
          printed(() => report.alwaysPulled([{ field: at, image: name }])),
          ['warning'],
        );
        assertOnly(
          printed(() => report.notice(name)),
          ['notice'],
        );
      }),
      { numRuns: 300 },
    );
  });

  it('a secret is registered with the runner once, however often it is read', () => {
    const output = printed(() => {
      for (let n = 0; n < 8; n++) report.secret('registry-password-read-eight-times');
    });
    assert.equal(runnerCommands(output).filter((command) => command.name === 'add-mask').length, 1);
  });

  it('a quoted value is cut to a few hundred characters, its length said', () => {
    const huge = 'a'.repeat(10 * 1024 * 1024);
    const text = quoted(huge);
    assert.ok(text.length < 300, `${text.length} characters`);
    assert.match(text, /\(10485760 characters\)$/);
    assert.equal(quoted('nginx:1.25'), '"nginx:1.25"');
  });
});

/** The text a browser shows for HTML character references. */
function decodeEntities(html: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };
  return html.replace(/&(#\d+|[a-z]+);/g, (_, name: string) =>
    name.startsWith('#') ? String.fromCharCode(Number(name.slice(1))) : (named[name] ?? `&${name};`),
  );
}

describe('untrusted text in the job summary', () => {
  const render = (markdown: string): string => marked.parse(markdown, { async: false });

  it('htmlText renders as the text it is: no element, link, image or heading of its own', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const html = render(`<ul><li>${htmlText(text)}</li></ul>\n`);
        assert.doesNotMatch(html, /<(?!\/?(?:ul|li)>)/, html);
        assert.doesNotMatch(html, /<h\d|<a |<img|<em>|<strong>|<code>/, html);
      }),
      { numRuns: 1000 },
    );
  });

  it('a registry message with blank lines stays inside its list item', () => {
    const message = 'blob unknown\n\n# Action required\n\n[Sign in again](https://phish.example) ![](https://track.example/p.png)';
    const text = summaryText({
      settings: { mode: 'relocate', dryRun: false, defaultRepo: 'registry.example/team', repository: '', archive: 'images.tar' },
      result: { ...result('registry.example/app'), failures: [{ image: 'app', message }] },
      seconds: 1,
      failed: {},
    });
    const html = render(text);
    assert.doesNotMatch(html, /<h1|href=|<img/, html);
    // What a person sees in the item: the message, its blank lines shown as \n.
    const shown = /<li>([^<]*)<\/li>/.exec(html)?.[1] ?? '';
    assert.equal(decodeEntities(shown), message.replaceAll('\n', '\\n'));
  });
});
