// The floor of a catalogue copy on this machine: for each single-layer image, the fewest requests a
// copy needs and nothing else: its manifest read, its config and layer each read and uploaded (a POST
// and a PUT), its manifest put under its tag. No HEAD, no digest check, no referrers, no retries;
// every image started at once, bounded as ferry bounds its requests by default: `concurrency` blob
// bodies in flight, and four times as many light requests (manifests, upload sessions) beside them.
// Usage: node catalogue-floor.mjs <source host> <destination host> <repository prefix> <images> <concurrency>
import { Buffer } from 'node:buffer';
import { URL } from 'node:url';
import pLimit from 'p-limit';
import { Agent, request } from 'undici';

const [source, destination, prefix, imageCount, concurrencyText] = process.argv.slice(2);
const images = Number(imageCount);
const bodies = pLimit(Number(concurrencyText));
const light = pLimit(4 * Number(concurrencyText));
const dispatcher = new Agent({ keepAliveTimeout: 30_000, connections: 64 });
const accept = 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json';

async function call(url, options = {}) {
  const response = await request(url, { dispatcher, ...options });
  if (response.statusCode >= 300)
    throw new Error(`${options.method ?? 'GET'} ${url}: ${response.statusCode} ${await response.body.text()}`);
  return response;
}

async function copyBlob(repository, { digest, size }) {
  const location = await light(async () => {
    const started = await call(`http://${destination}/v2/${prefix}/${repository}/blobs/uploads/`, { method: 'POST' });
    await started.body.dump();
    return new URL(String(started.headers.location), `http://${destination}`);
  });
  location.searchParams.set('digest', digest);
  await bodies(async () => {
    const blob = await call(`http://${source}/v2/catalogue/${repository}/blobs/${digest}`);
    const put = await call(location, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
      body: blob.body,
    });
    await put.body.dump();
  });
}

async function copyImage(image) {
  const repository = `app-${image}`;
  const manifest = await light(async () => {
    const response = await call(`http://${source}/v2/catalogue/${repository}/manifests/v1`, { headers: { accept } });
    return { type: String(response.headers['content-type']), body: Buffer.from(await response.body.arrayBuffer()) };
  });
  const { config, layers } = JSON.parse(manifest.body.toString());
  await Promise.all([config, ...layers].map((blob) => copyBlob(repository, blob)));
  await light(async () => {
    const put = await call(`http://${destination}/v2/${prefix}/${repository}/manifests/v1`, {
      method: 'PUT',
      headers: { 'content-type': manifest.type },
      body: manifest.body,
    });
    await put.body.dump();
  });
}

await Promise.all(Array.from({ length: images }, (_, image) => copyImage(image)));
await dispatcher.close();
