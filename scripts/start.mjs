// `npm start [default-repo]`: runs the built Action the way the runner does, in rewrite mode, on a
// temporary copy of examples/, and shows what a person would see: the runner's commands rendered
// (groups as headings, annotations as `file:line: level: message`, debug lines only with
// RUNNER_DEBUG=1), the rewritten YAML, the lock, the step outputs and the job summary's text.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const defaultRepo = process.argv[2] ?? 'registry.example/storefront';
// The argument is a repository name (the Action checks it fully); an obvious mistake gets one line.
if (process.argv.length > 3 || !/^[a-z0-9][a-z0-9._-]*(?::[0-9]+)?(?:\/[a-z0-9._-]+)*$/.test(defaultRepo)) {
  console.error(
    `npm start: ${JSON.stringify(process.argv.slice(2).join(' '))} is not a default repo; write one like registry.example/team`,
  );
  process.exit(2);
}

const unescape = (text) => text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');

/** One runner command line as a person reads it; undefined for what is hidden. */
function render(line) {
  const command = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
  if (command === null) return line;
  const [, name, properties = '', message] = command;
  if (name === 'debug') return process.env.RUNNER_DEBUG === '1' ? `debug: ${unescape(message)}` : undefined;
  if (name === 'group') return `\n== ${unescape(message)}`;
  if (name === 'endgroup') return undefined;
  if (['error', 'warning', 'notice'].includes(name)) {
    const props = Object.fromEntries(
      properties
        .split(',')
        .filter(Boolean)
        .map((pair) => pair.split('=').map(unescape)),
    );
    const where = props.file ? `${props.file}${props.line ? `:${props.line}` : ''}${props.col ? `:${props.col}` : ''}: ` : '';
    return `${where}${name}: ${unescape(message)}`;
  }
  if (name === 'add-mask') return undefined;
  return line;
}

/** The job summary's HTML as text: headings, table rows as `a | b | c`, paragraphs. */
function summaryText(html) {
  return html
    .replace(/<h\d>(.*?)<\/h\d>/g, '\n## $1\n')
    .replace(/<\/tr>/g, '\n')
    .replace(/<\/t[hd]>/g, ' | ')
    .replace(/<\/p>/g, '\n')
    .replace(/<li>/g, '- ')
    .replace(/<\/li>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/ \| \n/g, '\n')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, '&')
    .trim();
}

/** The runner's file-command format: `name<<DELIMITER\nvalue\nDELIMITER\n`. */
function outputs(text) {
  return [...text.matchAll(/^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2\n/gm)].map((match) => [match[1], match[3]]);
}

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const workspace = mkdtempSync(path.join(tmpdir(), 'ferry-start-'));
const runner = mkdtempSync(path.join(tmpdir(), 'ferry-runner-'));
try {
  cpSync(path.join(root, 'examples'), workspace, { recursive: true });
  const outputFile = path.join(runner, 'output');
  const summaryFile = path.join(runner, 'summary.md');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const result = spawnSync(process.execPath, [path.join(root, 'dist', 'index.js')], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env,
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      INPUT_MODE: 'rewrite',
      'INPUT_DEFAULT-REPO': defaultRepo,
    },
  });
  for (const line of (result.stdout ?? '').split('\n')) {
    const rendered = render(line);
    if (rendered !== undefined) console.log(rendered);
  }
  if (result.stderr) process.stderr.write(result.stderr);
  if (result.status === 0) {
    for (const name of readdirSync(path.join(workspace, 'app')).sort()) {
      console.log(`\n=== app/${name}`);
      process.stdout.write(readFileSync(path.join(workspace, 'app', name), 'utf8'));
    }
    console.log('\n=== ferry.lock.yml');
    process.stdout.write(readFileSync(path.join(workspace, 'ferry.lock.yml'), 'utf8'));
  }
  console.log('\n=== step outputs');
  for (const [name, value] of outputs(readFileSync(outputFile, 'utf8')))
    console.log(`${name}: ${value.length > 400 ? `${value.slice(0, 400)}...` : value}`);
  console.log('\n=== job summary');
  console.log(summaryText(readFileSync(summaryFile, 'utf8')) || '(none)');
  process.exitCode = result.status ?? 1;
} finally {
  rmSync(workspace, { recursive: true, force: true });
  rmSync(runner, { recursive: true, force: true });
}
