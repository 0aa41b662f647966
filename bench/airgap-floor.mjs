// The floor of the air-gapped path on this machine: what no correct packager or importer can beat
// through the same registry and disk, nothing checked (no digest, no HEAD, no referrers), in Node over
// undici as ferry is.
//   package:   every image's index and manifests read, every blob's GET body written into one file as
//              undici hands it over, each at its own offset in writes of 256 KiB, as many in flight as
//              ferry's default allows;
//   package-socket: the same, the blobs' GETs sent over plain sockets with no HTTP library (each
//              connection reading into one buffer it reuses, each read written at once at its offset):
//              what Node itself costs to move the bytes, below what any client built on undici can do;
//   unpackage: every blob read back from that file and sent in a monolithic POST + PUT, then the
//              manifests put.
// Usage: node airgap-floor.mjs package|package-socket|unpackage <registry host> <repository prefix> <images> <concurrency> <file>
import { Buffer } from 'node:buffer';
import { writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import net from 'node:net';
import { URL } from 'node:url';
import v8 from 'node:v8';
import pLimit from 'p-limit';

// The young generation kept at the size V8 starts it with (1 MiB semi-spaces), before anything else is
// loaded: the 64 KiB buffers undici reads into are then freed by the scavenges, young, instead of piling
// up until the full collections that external memory starts. Packaging takes 0.3 s and 0.4 CPU-s less
// so (1.48 s against 1.77 s, medians of seven alternating runs here), and the floor is the least work.
// Set once undici is loaded, the bound would hold the young generation at what loading grew it to.
v8.setFlagsFromString('--semi-space-growth-factor=1');
const { Agent, request } = await import('undici');

const [mode, host, prefix, imageCount, concurrencyText, file] = process.argv.slice(2);
const images = Number(imageCount);
const limit = pLimit(Number(concurrencyText));
const dispatcher = new Agent({ keepAliveTimeout: 30_000 });
const accept = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

async function call(url, options = {}) {
  const response = await request(url, { dispatcher, ...options });
  if (response.statusCode >= 300)
    throw new Error(`${options.method ?? 'GET'} ${url}: ${response.statusCode} ${await response.body.text()}`);
  return response;
}

/** Every manifest of `app-<n>:v1` under `repositoryPrefix`, top first, and every blob with its size. */
async function walk(repository) {
  const manifests = [];
  const blobs = new Map();
  const visit = async (reference) => {
    const response = await call(`http://${host}/v2/${repository}/manifests/${reference}`, { headers: { accept } });
    const body = Buffer.from(await response.body.arrayBuffer());
    const type = String(response.headers['content-type']);
    const json = JSON.parse(body.toString());
    manifests.push({ reference, type, body });
    for (const child of json.manifests ?? []) await visit(child.digest);
    for (const blob of [json.config, ...(json.layers ?? [])].filter(Boolean)) blobs.set(blob.digest, blob.size);
  };
  await visit('v1');
  return { manifests, blobs };
}

/**
 * A blob's body into `handle` from `at` on, as undici hands it over (its dispatch handler: no stream
 * between the socket and the file), its 64 KiB reads gathered into writes of 256 KiB, the connection
 * paused while two writes are under way.
 */
function fetchInto(handle, path, at) {
  return new Promise((resolve, reject) => {
    let held = [];
    let heldBytes = 0;
    let writing = 0;
    let ended = false;
    let controller;
    const flush = () => {
      const [chunks, length, position] = [held, heldBytes, at];
      held = [];
      heldBytes = 0;
      at += length;
      writing++;
      handle.writev(chunks, position).then(() => {
        writing--;
        if (writing > 0) return;
        if (ended) resolve();
        else controller.resume();
      }, reject);
    };
    dispatcher.dispatch(
      { origin: `http://${host}`, path, method: 'GET' },
      {
        onRequestStart: (started) => (controller = started),
        onResponseStart: (_controller, statusCode) => {
          if (statusCode >= 300) reject(new Error(`GET ${path}: ${statusCode}`));
        },
        onResponseData: (_controller, chunk) => {
          held.push(chunk);
          heldBytes += chunk.length;
          if (heldBytes < 256 * 1024) return;
          flush();
          if (writing > 1) controller.pause();
        },
        onResponseEnd: () => {
          ended = true;
          if (heldBytes > 0) flush();
          else if (writing === 0) resolve();
        },
        onResponseError: (_controller, error) => reject(error),
      },
    );
  });
}

/**
 * Every blob's GET over `concurrency` keep-alive sockets, one request at a time on each: the response
 * read into the socket's one buffer (`onread`, no buffer made per read), its body written from there
 * into `fd` at the blob's offset as it arrives. Only a 200 with a Content-Length is taken.
 */
function socketFetchAll(fd, placed, concurrency) {
  const [hostname, port] = host.split(':');
  let next = 0;
  const connection = () =>
    new Promise((resolve, reject) => {
      let blob;
      let head;
      let at;
      let left;
      const take = (bytes) => {
        writeSync(fd, bytes, 0, bytes.length, at);
        at += bytes.length;
        left -= bytes.length;
        if (left === 0) ask();
      };
      const socket = net.connect({
        host: hostname,
        port: Number(port),
        onread: {
          buffer: Buffer.allocUnsafe(256 * 1024),
          callback: (length, buffer) => {
            if (head === undefined) return void take(buffer.subarray(0, length));
            head = Buffer.concat([head, buffer.subarray(0, length)]);
            const end = head.indexOf('\r\n\r\n');
            if (end < 0) return;
            const lines = head.subarray(0, end).toString('latin1');
            const declared = /^content-length: *([0-9]+)\r?$/im.exec(lines);
            if (!lines.startsWith('HTTP/1.1 200') || declared === null || Number(declared[1]) !== blob.size)
              return void socket.destroy(new Error(`GET ${blob.digest}: ${lines.split('\r\n')[0]}`));
            const body = head.subarray(end + 4);
            head = undefined;
            if (body.length > 0) take(body);
            else if (left === 0) ask();
          },
        },
      });
      const ask = () => {
        if (next >= placed.length) {
          socket.end();
          resolve();
          return;
        }
        blob = placed[next++];
        [head, at, left] = [Buffer.alloc(0), blob.at, blob.size];
        socket.write(`GET /v2/${blob.repository}/blobs/${blob.digest} HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
      };
      socket.on('connect', ask);
      socket.on('error', reject);
    });
  return Promise.all(Array.from({ length: concurrency }, connection));
}

if (mode === 'package' || mode === 'package-socket') {
  const walked = await Promise.all(Array.from({ length: images }, (_, n) => walk(`bench/app-${n}`)));
  const blobs = new Map();
  walked.forEach(({ blobs: found }, n) => {
    for (const [digest, size] of found) if (!blobs.has(digest)) blobs.set(digest, { size, repository: `bench/app-${n}` });
  });
  let offset = 0;
  const placed = [...blobs].map(([digest, blob]) => {
    const at = offset;
    offset += blob.size;
    return { digest, ...blob, at };
  });
  const handle = await open(file, 'w');
  await handle.truncate(offset);
  if (mode === 'package-socket') await socketFetchAll(handle.fd, placed, Number(concurrencyText));
  else await Promise.all(placed.map((blob) => limit(() => fetchInto(handle, `/v2/${blob.repository}/blobs/${blob.digest}`, blob.at))));
  await handle.close();
  // What unpackage needs besides the file: every manifest and where each blob is.
  const { writeFileSync } = await import('node:fs');
  writeFileSync(
    `${file}.json`,
    JSON.stringify({ placed, manifests: walked.map(({ manifests }) => manifests.map((m) => ({ ...m, body: m.body.toString('base64') }))) }),
  );
} else {
  const { readFileSync } = await import('node:fs');
  const { placed, manifests } = JSON.parse(readFileSync(`${file}.json`, 'utf8'));
  const handle = await open(file, 'r');
  const repositoryOf = (n) => `${prefix}/app-${n}`;
  // Each blob into every repository whose image holds it: the first image that names it, as ferry would mount the rest.
  await Promise.all(
    placed.map((blob) =>
      limit(async () => {
        const repository = repositoryOf(Number(blob.repository.split('-').pop()));
        const started = await call(`http://${host}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
        await started.body.dump();
        const location = new URL(String(started.headers.location), `http://${host}`);
        location.searchParams.set('digest', blob.digest);
        const body = Buffer.alloc(blob.size);
        await handle.read(body, 0, blob.size, blob.at);
        const put = await call(location.toString(), {
          method: 'PUT',
          headers: { 'content-type': 'application/octet-stream', 'content-length': String(blob.size) },
          body,
        });
        await put.body.dump();
      }),
    ),
  );
  await handle.close();
  await Promise.all(
    manifests.map((list, n) =>
      limit(async () => {
        // Children first, the top (tagged) last.
        for (const manifest of [...list].reverse()) {
          const response = await call(`http://${host}/v2/${repositoryOf(n)}/manifests/${manifest.reference}`, {
            method: 'PUT',
            headers: { 'content-type': manifest.type },
            body: Buffer.from(manifest.body, 'base64'),
          });
          await response.body.dump();
        }
      }),
    ),
  );
}
await dispatcher.close();
