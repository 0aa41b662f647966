// The floor of a copy between two registries on this machine: every image's index and manifests read,
// every blob streamed from a GET into a monolithic POST + PUT, then the manifests put, with as many blob
// bodies in flight as ferry's default allows and nothing checked (no digest, no HEAD, no referrers).
// What no correct copier can beat through the same links: the wan bench prints ferry against it.
// Usage: node raw-copy.mjs <source host> <destination host> <repository prefix> <images> <concurrency>
import { Buffer } from 'node:buffer';
import { URL } from 'node:url';
import pLimit from 'p-limit';
import { Agent, request } from 'undici';

const [source, destination, prefix, imageCount, concurrencyText] = process.argv.slice(2);
const images = Number(imageCount);
const concurrency = Number(concurrencyText);
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

async function getManifest(repository, reference) {
  const response = await call(`http://${source}/v2/bench/${repository}/manifests/${reference}`, { headers: { accept } });
  return { type: String(response.headers['content-type']), body: Buffer.from(await response.body.arrayBuffer()) };
}

async function putManifest(repository, reference, { type, body }) {
  const response = await call(`http://${destination}/v2/${prefix}/${repository}/manifests/${reference}`, {
    method: 'PUT',
    headers: { 'content-type': type },
    body,
  });
  await response.body.dump();
}

const limited = pLimit(concurrency);

async function copyBlob(repository, { digest, size }) {
  const started = await call(`http://${destination}/v2/${prefix}/${repository}/blobs/uploads/`, { method: 'POST' });
  await started.body.dump();
  const location = new URL(String(started.headers.location), `http://${destination}`);
  location.searchParams.set('digest', digest);
  await limited(async () => {
    const blob = await call(`http://${source}/v2/bench/${repository}/blobs/${digest}`);
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
  const index = await getManifest(repository, 'v1');
  const children = JSON.parse(index.body.toString()).manifests;
  await Promise.all(
    children.map(async ({ digest }) => {
      const child = await getManifest(repository, digest);
      const { config, layers } = JSON.parse(child.body.toString());
      await Promise.all([config, ...layers].map((blob) => copyBlob(repository, blob)));
      await putManifest(repository, digest, child);
    }),
  );
  await putManifest(repository, 'v1', index);
}

await Promise.all(Array.from({ length: images }, (_, image) => copyImage(image)));
await dispatcher.close();
