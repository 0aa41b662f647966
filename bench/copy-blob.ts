// One blob from one registry to another through ferry's client, streamed: the process the blob
// benchmark measures. Arguments: source registry, destination registry, repository, digest, size.
import { CredentialStore } from '../src/registry/credentials.js';
import { Registries } from '../src/registry/registries.js';

const [source = '', destination = '', repository = '', digest = '', size = '0'] = process.argv.slice(2);
const credentials = new CredentialStore({ dockerConfigDir: '/nonexistent', onSecret: () => undefined, runHelper: async () => undefined });
const registries = new Registries({
  insecureRegistries: [source, destination],
  caCertificates: [],
  credentials,
  onSecret: () => undefined,
});
const from = registries.client(source);
const result = await registries
  .client(destination)
  .uploadBlob(repository, digest, Number(size), () => from.getBlob(repository, digest, Number(size)));
await registries.close();
if (result !== 'uploaded') throw new Error(`expected an upload, got ${result}`);
