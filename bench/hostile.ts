// Hostile input costs bounded work: what an archive or a registry built to cost can make a run spend.
// dist/index.js (and FERRY_BENCH_BASELINE, another build's index.js, beside it) in unpackage mode on
// archives built to cost, and in relocate mode against a registry whose tag lists are long, each beside
// its floor (the least work that reads the same input once: `cat` of the archive, a client that only
// receives and parses the tag pages) and skopeo where it reads the same archive:
// - annotations: index.json names one 4 MiB manifest of 390,000 tiny annotations 2,000 times;
// - repeated: index.json names one small image 20,000 times (a valid archive);
// - zeros: a valid archive followed by 1 GiB of zeros (read and checked to the end);
// - tags: four repositories whose tag lists hold 1,000,000 tags of 128 characters each.
// A build that does not bound its work is cut off at 120 s (its figure then a lower bound).
import { createHash } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer, request } from 'node:http';
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { listenLocal, ociLayout, scratchDir, skopeoCopy, startRegistry } from '../test/registry/harness.js';
import { tarOf } from '../test/tar.js';
import { type Command, type Measurement, measure } from './measure.js';

const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const cutOff = 120;

function blob(bytes: Buffer, mediaType: string): { name: string; body: Buffer; descriptor: object } {
  return { name: `blobs/sha256/${sha(bytes)}`, body: bytes, descriptor: { mediaType, digest: `sha256:${sha(bytes)}`, size: bytes.length } };
}

/** An OCI layout tar of one image, its index naming that image's manifest `times` times, as `app:1`, `app:2`, ... */
async function layoutNaming(times: number, annotations: number): Promise<Buffer> {
  const config = blob(
    Buffer.from('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}'),
    'application/vnd.oci.image.config.v1+json',
  );
  const layer = blob(Buffer.alloc(1024, 7), 'application/vnd.oci.image.layer.v1.tar');
  const keys = Object.fromEntries(Array.from({ length: annotations }, (_, at) => [at.toString(36), '']));
  const manifest = blob(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: config.descriptor,
        layers: [layer.descriptor],
        ...(annotations > 0 ? { annotations: keys } : {}),
      }),
    ),
    'application/vnd.oci.image.manifest.v1+json',
  );
  const manifests = Array.from({ length: times }, (_, at) => ({
    ...manifest.descriptor,
    annotations: { 'org.opencontainers.image.ref.name': `app:${at + 1}` },
  }));
  return tarOf([
    config,
    layer,
    manifest,
    { name: 'index.json', body: Buffer.from(JSON.stringify({ schemaVersion: 2, manifests })) },
    { name: 'oci-layout', body: Buffer.from('{"imageLayoutVersion":"1.0.0"}') },
  ]);
}

/** A registry in front of `upstream` whose tag lists are `count` tags of 128 characters, 30,000 a page. */
async function longTagLists(upstream: string, count: number): Promise<{ host: string; stop: () => Promise<void> }> {
  const page = 30_000;
  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    const url = new URL(incoming.url ?? '/', 'http://registry');
    const list = /^\/v2\/(.+)\/tags\/list$/.exec(url.pathname);
    if (list !== null) {
      const from = Number(url.searchParams.get('last') ?? '0');
      const tags = Array.from(
        { length: Math.min(page, count - from) },
        (_, at) => `t${String(from + at).padStart(8, '0')}-${'x'.repeat(118)}`,
      );
      const next = from + page < count ? { link: `</v2/${list[1]}/tags/list?last=${from + page}>; rel="next"` } : {};
      outgoing.writeHead(200, { 'content-type': 'application/json', ...next }).end(JSON.stringify({ name: list[1], tags }));
      return;
    }
    const forward = request(
      `http://${upstream}${incoming.url ?? '/'}`,
      { method: incoming.method, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    incoming.pipe(forward);
  });
  return listenLocal(server);
}

function ferry(entry: string, label: string, workspace: string, scratch: string, inputs: Record<string, string>): Command {
  return {
    label,
    argv: [process.execPath, entry],
    refuses: true,
    timeoutSeconds: cutOff,
    env: {
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: path.join(scratch, 'output'),
      GITHUB_STEP_SUMMARY: path.join(scratch, 'summary'),
      RUNNER_TEMP: path.join(scratch, 'runner-temp'),
      ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])),
    },
    before: () => {
      writeFileSync(path.join(scratch, 'output'), '');
      writeFileSync(path.join(scratch, 'summary'), '');
    },
  };
}

const shown = (result: Measurement): string =>
  `${result.cutOff ? '>' : ''}${result.seconds.toFixed(2)} s${result.peakMiB === undefined ? '' : `, peak ${result.peakMiB.toFixed(0)} MiB`}`;

export async function benchHostile(): Promise<void> {
  const builds: [string, string][] = [['ferry', path.join(path.resolve(import.meta.dirname, '..'), 'dist', 'index.js')]];
  if (process.env.FERRY_BENCH_BASELINE) builds.push(['ferry (baseline build)', path.resolve(process.env.FERRY_BENCH_BASELINE)]);
  const destination = await startRegistry();
  const scratch = scratchDir('bench-hostile');
  const workspace = path.join(scratch, 'workspace');
  mkdirSync(workspace);
  mkdirSync(path.join(scratch, 'runner-temp'));
  try {
    console.log(`hostile input: each run cut off at ${cutOff} s`);
    const archives: [string, Buffer, number][] = [
      ['annotations (a 4 MiB manifest named 2,000 times)', await layoutNaming(2_000, 390_000), 0],
      ['repeated (one image named 20,000 times)', await layoutNaming(20_000, 0), 0],
      ['zeros (1 GiB after the end of the tar)', await layoutNaming(1, 0), 1024 ** 3],
    ];
    for (const [name, bytes, zeros] of archives) {
      const file = path.join(workspace, 'images.tar');
      writeFileSync(file, bytes);
      if (zeros > 0) truncateSync(file, bytes.length + zeros);
      writeFileSync(path.join(workspace, 'app.yaml'), 'image: app:1\n');
      const floor = await measure({ label: 'floor', argv: ['sh', '-c', `cat '${file}' > /dev/null`] });
      const peer = await measure({
        label: 'skopeo',
        argv: ['skopeo', 'inspect', '--raw', `oci-archive:${file}:app:1`],
        refuses: true,
        timeoutSeconds: cutOff,
      });
      const figures = [`floor (cat the file once) ${shown(floor)}`, `skopeo inspect ${shown(peer)}`];
      for (const [label, entry] of builds) {
        const run = await measure(
          ferry(entry, label, workspace, scratch, {
            mode: 'unpackage',
            archive: 'images.tar',
            'default-repo': `${destination.host}/hostile`,
            'insecure-registries': destination.host,
            'dry-run': 'true',
            timeout: '5m',
          }),
        );
        figures.push(`${label} ${shown(run)} (${(run.seconds / floor.seconds).toFixed(1)}x the floor)`);
      }
      console.log(`  ${name}: ${figures.join('; ')}`);
    }

    // Tag lists: four small images behind a registry whose tag lists are a million long tags each.
    const source = await startRegistry();
    const tags = await longTagLists(source.host, 1_000_000);
    try {
      const repositories = ['a', 'b', 'c', 'd'];
      for (const repository of repositories) await skopeoCopy(ociLayout([512]).reference, `${source.host}/tags/${repository}:v1`, {});
      writeFileSync(
        path.join(workspace, 'app.yaml'),
        repositories.map((repository) => `- image: ${tags.host}/tags/${repository}:v1\n`).join(''),
      );
      const floor = await measure({
        label: 'floor',
        argv: [
          process.execPath,
          '-e',
          `(async()=>{for(const r of ['a','b','c','d']){let u='/v2/tags/'+r+'/tags/list';while(u){const a=await fetch('http://${tags.host}'+u);JSON.parse(await a.text());u=/<([^>]+)>/.exec(a.headers.get('link')??'')?.[1]}}})()`,
        ],
      });
      const figures = [`floor (receive and parse every page) ${shown(floor)}`];
      for (const [label, entry] of builds) {
        const run = await measure(
          ferry(entry, label, workspace, scratch, {
            mode: 'relocate',
            'default-repo': `${destination.host}/tags`,
            'insecure-registries': `${tags.host},${destination.host}`,
            'dry-run': 'true',
          }),
        );
        figures.push(`${label} ${shown(run)}`);
      }
      console.log(`  tags (4 repositories, 1,000,000 tags of 128 characters each): ${figures.join('; ')}`);
    } finally {
      await tags.stop();
      await source.stop();
    }
  } finally {
    await destination.stop();
  }
}
