// Blob streaming registry to registry: one large blob copied by ferry's client and by `skopeo copy`
// of an image holding it, between the same two loopback registries, in the same run.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip, constants } from 'node:zlib';
import { anonymousRegistries, scratchDir, startRegistry } from '../test/registry/harness.js';
import { measure } from './measure.js';

const mebibytes = Number(process.env.FERRY_BENCH_BLOB_MIB ?? 1024);

/** A gzip stream (stored, level 0, so it is quick and skopeo copies it as it is) of random bytes. */
async function writeLayer(file: string): Promise<{ digest: string; size: number }> {
  async function* random(): AsyncGenerator<Buffer> {
    for (let written = 0; written < mebibytes; written += 16) yield randomBytes(16 * 1024 * 1024);
  }
  await pipeline(random, createGzip({ level: constants.Z_NO_COMPRESSION }), createWriteStream(file));
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { digest: `sha256:${hash.digest('hex')}`, size };
}

export async function benchBlob(): Promise<void> {
  const scratch = scratchDir('bench-blob');
  const [source, destination] = await Promise.all([startRegistry(), startRegistry()]);
  try {
    const layerFile = path.join(scratch, 'layer.gz');
    const layer = await writeLayer(layerFile);
    const registries = anonymousRegistries([source.host, destination.host]);
    const client = registries.client(source.host);
    await client.uploadBlob('bench/big', layer.digest, layer.size, () => createReadStream(layerFile));
    const config = Buffer.from(
      JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [layer.digest] } }),
    );
    await client.uploadBlob('bench/big', `sha256:${createHash('sha256').update(config).digest('hex')}`, config.length, config);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: {
          mediaType: 'application/vnd.oci.image.config.v1+json',
          digest: `sha256:${createHash('sha256').update(config).digest('hex')}`,
          size: config.length,
        },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
      }),
    );
    await client.putManifest('bench/big', 'v1', manifest, 'application/vnd.oci.image.manifest.v1+json');
    await registries.close();
    rmSync(layerFile);

    // Bundled like dist/, so the figure is ferry's and not a TypeScript loader's.
    const root = path.resolve(import.meta.dirname, '..');
    const bundle = path.join(scratch, 'copy-blob');
    execFileSync(
      path.join(root, 'node_modules', '.bin', 'ncc'),
      ['build', path.join(root, 'bench', 'copy-blob.ts'), '-o', bundle, '--quiet'],
      { stdio: 'ignore' },
    );
    const ferry = await measure({
      label: 'ferry client (getBlob -> uploadBlob)',
      argv: [process.execPath, path.join(bundle, 'index.js'), source.host, destination.host, 'bench/big', layer.digest, String(layer.size)],
    });
    const skopeo = await measure({
      label: 'skopeo copy',
      argv: [
        'skopeo',
        '--insecure-policy',
        'copy',
        '--quiet',
        '--src-tls-verify=false',
        '--dest-tls-verify=false',
        '--preserve-digests',
        `docker://${source.host}/bench/big:v1`,
        `docker://${destination.host}/bench/skopeo:v1`,
      ],
    });
    const rate = (seconds: number): string => `${(layer.size / 1024 / 1024 / seconds).toFixed(0)} MiB/s`;
    console.log(`blob: one ${(layer.size / 1024 / 1024).toFixed(0)} MiB blob between two loopback registries (plain HTTP)`);
    console.log(`  ferry client            ${ferry.seconds.toFixed(2)} s, ${rate(ferry.seconds)}, peak ${ferry.peakMiB?.toFixed(0)} MiB`);
    console.log(
      `  skopeo copy             ${skopeo.seconds.toFixed(2)} s, ${rate(skopeo.seconds)}, peak ${skopeo.peakMiB?.toFixed(0)} MiB`,
    );
    console.log(
      `  ferry/skopeo: throughput ${(skopeo.seconds / ferry.seconds).toFixed(2)}x, peak memory ${((ferry.peakMiB ?? 0) / (skopeo.peakMiB ?? 1)).toFixed(2)}x`,
    );
  } finally {
    await Promise.all([source.stop(), destination.stop()]);
    rmSync(scratch, { recursive: true, force: true });
  }
}
