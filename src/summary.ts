// The job summary: what a person opening the run wants to read first. A headline sentence (what moved
// where, how much crossed the wire, how long it took), then one table row per image with the columns
// that mean something in the mode, and after a failure what was done, what sits at the destination
// untagged, and how to continue. Built as text (HTML that GitHub's markdown renderer passes through,
// every untrusted value escaped) so tests read what a person reads.
import path from 'node:path';
import { modes } from './modes/catalog.js';
import type { CommitPlan } from './commit.js';
import { artifactCounts } from './copy/artifacts.js';
import { type CopySummary, type Failure, type Verification, type WorkResult, distinctCopies, moved, pushedUntagged } from './result.js';
import type { Settings } from './settings.js';
import { shardShares } from './shards.js';
import { partialName } from './archive/span-names.js';
import { bytes, plural } from './format.js';
import { htmlText, shortened } from './untrusted-text.js';
import { verificationText } from './verify/verification.js';

const maxRows = 500;
const maxFailures = 50;

/** `sha256:` and 12 hex digits: enough to tell images apart on a page; the outputs and the lock hold the whole digest. */
const shortDigest = (digest: string | undefined): string => (digest === undefined ? '' : `${digest.slice(0, digest.indexOf(':') + 13)}…`);

export interface SummaryInput {
  readonly settings: Pick<Settings, 'mode' | 'dryRun' | 'defaultRepo' | 'repository' | 'archive'> & {
    readonly workspace?: string;
    readonly verify?: Settings['verify'];
  };
  readonly result: WorkResult;
  /** The commit's plan, on success; what each field became. */
  readonly plan?: Pick<CommitPlan, 'changes' | 'writes'>;
  readonly seconds: number;
  /** What came through registry mirrors. */
  readonly mirrors?: readonly { readonly registry: string; readonly mirror: string; readonly repositories: readonly string[] }[];
  /** Set when the run failed before its commit point. */
  readonly failed?: { readonly deadline?: string };
  /** The images in play, those a failure held back included. */
  readonly images?: number;
}

function where(input: SummaryInput): string {
  const { settings } = input;
  const archive = settings.workspace ? path.relative(settings.workspace, settings.archive) || settings.archive : settings.archive;
  const facts = modes[settings.mode];
  const destination = settings.repository || settings.defaultRepo;
  if (facts.writesArchive) return ` into ${archive}`;
  if (facts.readsArchive) return ` from ${archive}${destination ? ` into ${destination}` : ''}`;
  if (facts.pushes) return destination ? ` to ${destination}` : ' to their destinations';
  return '';
}

/** The headline: what moved where, how much crossed the wire, how long it took. */
export function headline(input: SummaryInput): string {
  const { settings, result, seconds } = input;
  const facts = modes[settings.mode];
  const { done, todo } = facts;
  const references = result.outcomes.length;
  const distinct = new Set(result.outcomes.map((outcome) => outcome.digest ?? outcome.newImage)).size;
  const fields = input.plan?.changes.length ?? 0;
  const images =
    facts.countsFields && fields > 0
      ? `${plural(fields, 'image field')}${fields === references ? '' : ` (${plural(references, 'image')})`}`
      : `${plural(distinct, 'image')}${references === distinct ? '' : ` (${references} references)`}`;
  const time = `in ${seconds.toFixed(1)} s`;
  if (input.failed !== undefined) {
    const failures = result.failures.length;
    const inPlay = Math.max(input.images ?? 0, failures + references);
    // An archive's writer keeps what it wrote in hidden partial files for a re-run: nothing is in its place.
    const consequence = facts.writesArchive
      ? `no file was put in its place${result.archive === undefined ? '' : ` (what the archive got is kept for a run on this machine to resume)`}`
      : 'nothing was tagged and no file was written';
    return `${todo[0]?.toUpperCase()}${todo.slice(1)} failed: ${plural(failures, 'image')} of ${inPlay} could not be done${input.failed.deadline ? ` before the deadline (${input.failed.deadline})` : ''}, so ${consequence}.`;
  }
  const copies = distinctCopies(result.outcomes);
  if (copies.length === 0) {
    const files = input.plan?.writes.length ?? 0;
    // A plan writes its plan file, not manifests.
    if (facts.writesPlan) return `${done} ${images} ${time}.`;
    if (settings.dryRun) return `Dry run: would ${todo} ${images} in ${plural(files, 'file')}; nothing was written.`;
    return files === 0
      ? `Nothing to ${todo}: every one of ${images} is as it should be.`
      : `${done} ${images} in ${plural(files, 'file')} ${time}.`;
  }
  const total = moved(result.outcomes);
  const parts = [
    `${bytes(total.bytesCopied)} ${settings.dryRun ? 'would cross' : 'crossed'} the wire (${plural(total.blobsCopied, 'blob')})`,
  ];
  if (total.blobsMounted > 0) parts.push(`${plural(total.blobsMounted, 'blob')} mounted within the registry`);
  if (total.imagesPresent > 0) parts.push(`${plural(total.imagesPresent, 'image')} already there`);
  const travelled = artifactCounts(copies.flatMap((copy) => copy.artifacts));
  const withThem = travelled === '' ? '' : `; with them ${travelled}`;
  const verb = settings.dryRun ? `Dry run: would ${todo}` : done;
  return `${verb} ${images}${where(input)} ${time}: ${parts.join(', ')}${withThem}.`;
}

/** A space that does not break: a number stays with its unit, so a narrow cell wraps between facts, not inside one. */
const nb = (text: string): string => text.replace(/ /g, '\u00a0');

/** The platforms, as a count (the list in the title a pointer shows): a list of ten would fill the row. */
function platformsCell(copy: CopySummary): string {
  // An image found at its destination was not read: what it holds is not known here.
  if (copy.present && copy.platforms.length === 0) return '';
  const count =
    copy.platforms.length === 0
      ? 'single platform'
      : copy.platforms.length === 1
        ? (copy.platforms[0] as string)
        : plural(copy.platforms.length, 'platform');
  const attestations = copy.attestationManifests > 0 ? `, ${nb(plural(copy.attestationManifests, 'attestation'))}` : '';
  const filtered = copy.filteredFrom === undefined ? '' : ` of ${shortDigest(copy.filteredFrom)}`;
  const text = `${nb(count)}${attestations}${filtered}`;
  return copy.platforms.length < 2 ? cell(text) : `<span title="${htmlText(copy.platforms.join(', '))}">${htmlText(text)}</span>`;
}

/** What crossed for one image, on at most two lines: what was sent, then what was not (there, mounted, foreign). */
function sentCell(copy: CopySummary, archive: boolean): string {
  if (copy.present) return cell('already there');
  const kept: string[] = [];
  // An archive's: written by an earlier run, from the blob store, or left out of a delta (said above the table).
  if (copy.blobsSkipped > 0) kept.push(`${copy.blobsSkipped} ${archive ? 'not fetched' : 'there'}`);
  if (copy.blobsMounted > 0) kept.push(`${copy.blobsMounted} mounted`);
  if (copy.foreignLayers > 0) kept.push(`${copy.foreignLayers} foreign`);
  return lines([`${plural(copy.blobsCopied, 'blob')}, ${bytes(copy.bytesCopied)}`, kept.join(', ')]);
}

/** Short facts as lines of their own, each kept whole: a cell as wide as its longest line, never wider. */
function lines(texts: readonly string[]): string {
  return texts
    .filter((text) => text !== '')
    .map((text) => htmlText(nb(text)))
    .join('<br>');
}

const cell = (text: string, code = false): string => (code ? `<code>${htmlText(text)}</code>` : htmlText(text));

/** How many characters of a name a table cell shows: long names are cut in the middle, the whole in `title`. */
const maxNameCharacters = 28;

/** A name as code, cut in the middle past `max` characters, its full text in a `title` a pointer shows. */
function nameCell(text: string, max = maxNameCharacters): string {
  if (text.length <= max) return cell(text, true);
  const head = text.slice(0, Math.ceil((max - 1) * 0.55));
  const tail = text.slice(text.length - Math.floor((max - 1) * 0.45));
  return `<code title="${htmlText(text)}">${htmlText(head)}…${htmlText(tail)}</code>`;
}

/**
 * A reference as two lines: its name (cut like any name) and its digest's first 12 hex digits, each a
 * code of its own, so that a wrap never breaks a code's background and a person can compare digests.
 */
function pinnedCell(reference: string, digest: string | undefined, max = maxNameCharacters): string {
  const at = reference.indexOf('@');
  const name = at < 0 ? reference : reference.slice(0, at);
  const pinned = digest ?? (at < 0 ? undefined : reference.slice(at + 1));
  return pinned === undefined ? nameCell(name, max) : `${nameCell(name, max)}<br>${cell(`@${shortDigest(pinned)}`, true)}`;
}

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = `<tr>${headers.map((header) => `<th>${htmlText(header)}</th>`).join('')}</tr>`;
  const body = rows.slice(0, maxRows).map((row) => `<tr>${row.map((data) => `<td>${data}</td>`).join('')}</tr>`);
  const more = rows.length > maxRows ? `\n<p>${rows.length - maxRows} more rows not listed.</p>` : '';
  return `<table>${head}${body.join('')}</table>${more}`;
}

/** One row per image reference, the columns the mode gives meaning to. */
function imageTable(input: SummaryInput): string {
  const { settings, result } = input;
  const archive = modes[settings.mode].writesArchive;
  const verifying = settings.verify !== undefined;
  const seen = new Set<string>();
  const copied = result.outcomes.filter((outcome) => outcome.copy !== undefined);
  if (copied.length > 0) {
    const attesting = copied.some((outcome) => outcome.attestation !== undefined);
    const rows = copied.map(({ image, newImage, digest, copy, verified, attestation }) => {
      const summary = copy as CopySummary;
      // The same copy under another reference: its numbers are counted once, in the row above.
      const key = summary.copied ?? `${summary.destination}@${digest}`;
      const repeat = seen.has(key);
      seen.add(key);
      // Two kinds a line: what travelled stays as narrow as the facts beside it.
      const kinds = artifactCounts(summary.artifacts).split(', ').filter(Boolean);
      const travelled = kinds.length === 0 ? cell('—') : lines([kinds.slice(0, 2).join(', '), kinds.slice(2).join(', ')]);
      return [
        // The image, and under it its platforms: a column of its own would push the table past the page.
        [nameCell(image), platformsCell(summary)].filter(Boolean).join('<br>'),
        archive ? cell(shortDigest(digest), true) : pinnedCell(newImage, digest),
        repeat ? cell('same image as above') : sentCell(summary, archive),
        repeat ? '' : travelled,
        ...(verifying ? [verifiedCell(verified)] : []),
        ...(attesting ? [attestation === undefined ? cell('—') : cell(`@${shortDigest(attestation)}`, true)] : []),
      ];
    });
    return table(
      [
        'Image',
        archive ? 'Digest' : settings.dryRun ? 'Would be at' : 'Now at',
        archive ? 'Into the archive' : settings.dryRun ? 'Would send' : 'Sent',
        'Travelled with it',
        ...(verifying ? ['Verified'] : []),
        ...(attesting ? ['Attested'] : []),
      ],
      rows,
    );
  }
  const changes = input.plan?.changes ?? [];
  const verifiedOf = new Map(result.outcomes.map((outcome) => [outcome.image, outcome.verified]));
  if (changes.length > 0) {
    return table(
      ['Where', 'Was', settings.dryRun ? 'Would be' : 'Now', ...(verifying ? ['Verified'] : [])],
      changes.map(({ field, rendered }) => [
        nameCell(`${field.file}:${field.line}`, 28),
        pinnedCell(field.value, undefined, verifying ? 30 : 40),
        pinnedCell(rendered, undefined, verifying ? 30 : 40),
        ...(verifying ? [verifiedCell(verifiedOf.get(field.value))] : []),
      ]),
    );
  }
  if (result.outcomes.length > 0) {
    const sharded = result.outcomes.some((outcome) => outcome.shard !== undefined);
    return table(
      ['Image', modes[settings.mode].newColumn, ...(sharded ? ['Shard'] : []), ...(verifying ? ['Verified'] : [])],
      result.outcomes.map((outcome) => [
        nameCell(outcome.image, 40),
        pinnedCell(outcome.newImage, outcome.digest, 40),
        ...(sharded ? [cell(String(outcome.shard ?? '—'))] : []),
        ...(verifying ? [verifiedCell(outcome.verified)] : []),
      ]),
    );
  }
  return '';
}

/** What vouched for the image: its kind, the whole (`signature by key sha256:…`) in the title; or that nothing did (verify-mode warn). */
function verifiedCell(verified: Verification | undefined): string {
  if (verified === undefined) return cell('not verified');
  return `<span title="${htmlText(verificationText(verified))}">${htmlText(`${verified.kind} ✓`)}</span>`;
}

/** plan mode: the split, before the images: each shard's images, bytes and share, and the balance. */
function shardTable(input: SummaryInput): string {
  const shards = input.result.shards;
  if (shards === undefined || shards.length === 0) return '';
  const { shares, balance } = shardShares(shards);
  const rows = shares.map(({ shard, share }) => [
    cell(String(shard.shard)),
    cell(String(shard.images)),
    cell(bytes(shard.bytes)),
    cell(`${(share * 100).toFixed(0)}%`),
  ]);
  return `${table(['Shard', 'Images', 'Bytes', 'Share'], rows)}\n<p>${htmlText(`Balance: the largest shard is ${balance.toFixed(2)}x the mean (1.00 is even).`)}</p>\n`;
}

/** The Helm charts: each chart, where it went, its version when a range chose it, the images it yielded and its values file. */
function chartTable(input: SummaryInput): string {
  const charts = input.result.charts ?? [];
  if (charts.length === 0) return '';
  const rows = charts.map((chart) => [
    nameCell(chart.chart),
    pinnedCell(chart.newChart, chart.digest ?? undefined),
    cell(chart.resolved === undefined ? '' : `${chart.resolved.range} → ${chart.resolved.version}`),
    chart.images.length === 0
      ? cell('none in its values')
      : `<span title="${htmlText(chart.images.join(', '))}">${htmlText(plural(chart.images.length, 'image'))}</span>`,
    chart.values === undefined ? cell('') : nameCell(chart.values, 40),
  ]);
  return `\n<h3>Charts</h3>\n${table(['Chart', 'Now at', 'Version', 'Images', 'Values file'], rows)}\n`;
}

function failureSection(input: SummaryInput): string {
  const { result, settings } = input;
  const lines = result.failures.slice(0, maxFailures).map((failure: Failure) => `<li>${htmlText(shortened(failure.message, 1000))}</li>`);
  const more = result.failures.length > maxFailures ? `<li>${result.failures.length - maxFailures} more</li>` : '';
  const parts = [`<h3>What failed</h3>\n<ul>${lines.join('')}${more}</ul>`];
  const pushed = pushedUntagged(result.outcomes);
  if (pushed.length > 0 && !settings.dryRun) {
    parts.push(
      `<h3>At the destination, untagged</h3>\n<p>This run pushed these images, complete, by digest; their tags were not put because the run stopped before its commit point.</p>\n${imageTable({ ...input, result: { ...result, outcomes: pushed } })}`,
    );
  }
  const archive = result.archive;
  const resume = modes[settings.mode].writesArchive
    ? `Fix what failed and re-run the job with the same inputs: ${
        archive === undefined
          ? 'the archive is written'
          : `the blobs the archive got are kept in its hidden partial files (${path.basename(partialName(archive.files[0] ?? archive.file))}${archive.files.length > 1 ? ' and on' : ''}), which a run on this machine resumes (each blob checked against its digest, not fetched again; a fresh machine fetches them again), and it is put in place`
      } once every image is in it, with the lock.`
    : 'Fix what failed and re-run the job: images already at the destination are skipped at the cost of one request each, and the tags, the lock and the manifests are written once every image is there.';
  parts.push(`<h3>How to continue</h3>\n<p>${htmlText(resume)}</p>`);
  return parts.join('\n');
}

/** The summary as the text written to GITHUB_STEP_SUMMARY. */
export function summaryText(input: SummaryInput): string {
  const title = `<h2>ferry ${htmlText(input.settings.mode)}${input.settings.dryRun ? ' (dry run)' : ''}</h2>`;
  const lead = `<p><strong>${htmlText(headline(input))}</strong></p>`;
  const notes: string[] = [];
  const foreign = moved(input.result.outcomes).foreignLayers;
  if (foreign > 0)
    notes.push(`${foreign} non-distributable (foreign) layers were left where they are, as Docker and the reference tools do.`);
  for (const use of input.mirrors ?? [])
    notes.push(`Read through the mirror ${use.mirror} instead of ${use.registry}: ${use.repositories.join(', ')}.`);
  const archive = input.failed === undefined ? input.result.archive : undefined;
  if (archive !== undefined && archive.files.length > 1)
    notes.push(
      `Written in ${archive.files.length} parts, ${path.basename(archive.files[0] ?? '')} to ${path.basename(archive.files.at(-1) ?? '')}: joined in name order (cat), they are the archive.`,
    );
  if (archive?.delta !== undefined)
    notes.push(
      `A delta against ${archive.delta.since.join(', ') || 'its since input'}: ${plural(archive.delta.blobs, 'blob')} (${bytes(archive.delta.bytes)}) left out, which the site holds; unpackage takes them from where those were imported.`,
    );
  if (archive?.resumed !== undefined)
    notes.push(
      `Resumed: ${plural(archive.resumed.blobs, 'blob')} (${bytes(archive.resumed.bytes)}) a stopped run had written were found in place, each checked against its digest, and not fetched again.`,
    );
  if (input.settings.dryRun) notes.push('Dry run: no file was written and nothing was pushed.');
  const body = input.failed === undefined ? shardTable(input) + imageTable(input) + chartTable(input) : failureSection(input);
  return [title, lead, body, ...notes.map((note) => `<p>${htmlText(note)}</p>`)].filter(Boolean).join('\n') + '\n';
}

/** The summary of a run that failed before it wrote one (a setting, a manifest, no image): why, as the error says it. */
export function failureText(message: string): string {
  return [`<h2>ferry</h2>`, `<p><strong>The step failed.</strong></p>`, `<p>${htmlText(shortened(message, 4000))}</p>`].join('\n') + '\n';
}
