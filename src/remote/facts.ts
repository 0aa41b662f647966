// What a run learns about each registry as it reads and writes: whether it has the referrers API (the
// first answer decides for the registry), each repository's tags, whether it hides what does not
// exist behind a 403; and the referrers of a manifest read the two ways the distribution spec allows.
import type { Descriptor } from '../oci/descriptor.js';
import { toDescriptor } from '../oci/manifest.js';
import { Repository } from '../oci/repository.js';
import { digestTag } from '../copy/endpoint.js';
import { RegistryError } from '../registry/errors.js';
import type { RegistryReader } from '../registry/mirrors.js';

function notFound(error: unknown): undefined {
  if (error instanceof RegistryError && error.status === 404) return undefined;
  throw error;
}

/**
 * For a manifest ferry asks about without knowing it exists (a digest tag, a referrers schema tag, an
 * image at its destination), a 403 is "not there": registries that hide what does not exist
 * (Artifactory, some Harbor and Nexus set-ups) answer 403 where others answer 404. Said once per
 * registry. A 403 for a source image stays an error: that one must exist.
 */
export function notThere(client: RegistryReader, reference: string): (error: unknown) => undefined {
  return (error) => {
    if (error instanceof RegistryError && error.status === 403) {
      const known = factsOf(client);
      if (!known.hidesMissing) {
        known.hidesMissing = true;
        client.notice(
          `${client.registry} answered 403 for ${reference}, which ferry asks about without knowing it exists: read as "not there" (registries that hide what does not exist answer 403), here and for the rest of the run`,
        );
      }
      return undefined;
    }
    return notFound(error);
  };
}

/** What a run learned about each registry: whether it has the referrers API, each repository's tags. */
interface RegistryFacts {
  /** Settled by the first referrers request, which the others wait for: one 404 tells for the registry. */
  referrersApi?: Promise<boolean | undefined>;
  readonly tags: Map<string, Promise<ReadonlySet<string>>>;
  /** Whether the registry answered 403 for an artifact that is not there (said once). */
  hidesMissing?: boolean;
}
const facts = new WeakMap<RegistryReader, RegistryFacts>();
export function factsOf(client: RegistryReader): RegistryFacts {
  let known = facts.get(client);
  if (known === undefined) {
    known = { tags: new Map() };
    facts.set(client, known);
  }
  return known;
}

/**
 * The referrers API's answer for `digest`, undefined when the registry has no API. The first request
 * to a registry decides for it, and the others wait for that answer; a failed first request decides
 * nothing (its caller sees the error, the next request decides).
 */
export async function referrersApi(client: RegistryReader, repository: string, digest: string): Promise<Descriptor[] | undefined> {
  const known = factsOf(client);
  const settled = known.referrersApi === undefined ? undefined : await known.referrersApi;
  if (settled === false) return undefined;
  if (settled === true) return client.referrers(repository, digest);
  const first = client.referrers(repository, digest);
  known.referrersApi = first.then(
    (listed) => listed !== undefined,
    () => {
      known.referrersApi = undefined;
      return undefined;
    },
  );
  return first;
}

/** The referrers a registry lists for `digest`: the API first, then (no API) the tag schema. */
export async function listReferrers(
  client: RegistryReader,
  repository: string,
  digest: string,
  tags: (() => Promise<ReadonlySet<string>>) | undefined,
): Promise<Descriptor[]> {
  const listed = await referrersApi(client, repository, digest);
  if (listed !== undefined) return listed;
  const tag = digestTag(digest);
  // With the repository's tags at hand, a missing schema tag costs no request.
  if (tags !== undefined && !(await tags()).has(tag)) return [];
  const index = await client.getManifestAtOwner(repository, tag).catch(notThere(client, `${repository}:${tag}`));
  if (index === undefined) return [];
  const list = index.json.manifests;
  const where = new Repository(client.registry, repository).withTag(tag);
  if (!Array.isArray(list)) throw new Error(`${where} is not an index of referrers`);
  return list.map((item) => toDescriptor(item, where));
}
