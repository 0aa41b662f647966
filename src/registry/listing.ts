// What a repository lists: its tags (paged with Link), whether it exists, and the referrers of a
// manifest (the OCI 1.1 API, paged). Every page is bounded, a page already read ends a list, and the
// caps are checked as each page arrives.
import type { Descriptor } from '../oci/descriptor.js';
import { toDescriptor } from '../oci/manifest.js';
import { ociIndex } from '../oci/media-types.js';
import { anchoredTag } from '../reference.js';
import type { RegistryApi } from './api.js';
import { RegistryError, maxErrorBodyBytes } from './errors.js';
import { discard, header, readText } from './exchange.js';
import { maxManifestBytes, maxReferrers } from '../oci/limits.js';

const maxTagPages = 10_000;
/** Tags of one repository, at most: a registry paging on without end is refused, not followed. */
const maxTags = 1_000_000;
const maxReferrerPages = 100;

/** The next page a `Link` header names, kept on the registry: a path, or a URL the origin policy checks. */
function nextLink(link: string | undefined): string | undefined {
  const next = /<([^>]+)>\s*;\s*rel="?next"?/.exec(link ?? '')?.[1];
  return next === undefined ? undefined : next.startsWith('/') || /^https?:/.test(next) ? next : `/${next}`;
}

export class Listings {
  constructor(private readonly api: RegistryApi) {}

  /**
   * The manifests whose subject is `digest`, through the referrers API (distribution spec v1.1), every
   * page; undefined when the registry has no referrers API (404), so the caller falls back to the tag schema.
   */
  async referrers(repository: string, digest: string): Promise<Descriptor[] | undefined> {
    const operation = `list referrers of ${digest}`;
    this.api.checkPath(operation, repository, digest);
    const found: Descriptor[] = [];
    const tooMany = (): RegistryError =>
      this.api.error(operation, repository, `more than ${maxReferrers} referrers, the most ferry carries with one manifest`);
    const pages = new Set<string>();
    let url: string | undefined = `/v2/${repository}/referrers/${digest}`;
    for (let page = 0; url !== undefined && page < maxReferrerPages; page++) {
      // A Link back to a page already read ends the list: a registry cannot make ferry read it forever.
      if (pages.has(url)) break;
      pages.add(url);
      const pageUrl: string = url;
      const answer = await this.api.retry(async () => {
        const response = await this.api.send(operation, this.api.pull(repository), {
          method: 'GET',
          url: pageUrl,
          headers: { accept: ociIndex },
        });
        // No API: a 404 without an image index in it (the spec forbids a 404 from a registry that has
        // one; some answered 404 with an empty index), or a method or route refused.
        if (response.status === 404 || response.status === 405) {
          const text = await readText(response, maxErrorBodyBytes);
          let body: { manifests?: unknown } | undefined;
          try {
            body = JSON.parse(text) as { manifests?: unknown };
          } catch {
            body = undefined;
          }
          if (response.status === 404 && typeof body === 'object' && body !== null && Array.isArray(body.manifests)) {
            if (body.manifests.length > maxReferrers) throw tooMany();
            return { descriptors: body.manifests.map((item) => toDescriptor(item, `the referrers of ${digest}`)), next: undefined };
          }
          return undefined;
        }
        if (response.status !== 200) throw await this.api.failure(operation, repository, response);
        const body = (await this.api.readJson(operation, repository, response, maxManifestBytes, 'the referrers answer')).json as {
          manifests?: unknown;
        } | null;
        if (typeof body !== 'object' || body === null || !Array.isArray(body.manifests))
          throw this.api.error(operation, repository, 'the referrers answer is not an image index');
        if (found.length + body.manifests.length > maxReferrers) throw tooMany();
        const descriptors = body.manifests.map((item) => toDescriptor(item, `the referrers of ${digest}`));
        return { descriptors, next: nextLink(header(response, 'link')) };
      });
      if (answer === undefined) return page === 0 ? undefined : found;
      found.push(...answer.descriptors);
      url = answer.next;
    }
    return found;
  }

  /** Whether the repository exists: one page of one tag (404, NAME_UNKNOWN, when it does not). */
  async hasRepository(repository: string): Promise<boolean> {
    const operation = 'list tags';
    this.api.checkPath(operation, repository);
    return this.api.retry(async () => {
      const response = await this.api.send(operation, this.api.pull(repository), { method: 'GET', url: `/v2/${repository}/tags/list?n=1` });
      if (response.status === 404) {
        await discard(response);
        return false;
      }
      if (response.status !== 200) throw await this.api.failure(operation, repository, response);
      await discard(response);
      return true;
    });
  }

  /**
   * The tags of a repository, following the Link header's pages; only those `keep` accepts are kept
   * (every tag without it), and `onKept` is told how many of each page before the next is asked for,
   * so a run-wide bound holds as pages arrive. A repository that does not exist, or has no tags, answers
   * 404 (NAME_UNKNOWN) on most registries: that is an empty list.
   */
  async listTags(repository: string, options: ListOptions = {}): Promise<string[]> {
    const operation = 'list tags';
    this.api.checkPath(operation, repository);
    const tags: string[] = [];
    const pages = new Set<string>();
    let seen = 0;
    let url: string | undefined = `/v2/${repository}/tags/list${options.pageSize === undefined ? '' : `?n=${options.pageSize}`}`;
    for (let page = 0; url !== undefined && page < maxTagPages; page++) {
      if (pages.has(url)) break;
      pages.add(url);
      const pageUrl: string = url;
      const answer = await this.api.retry(async () => {
        const response = await this.api.send(operation, this.api.pull(repository), { method: 'GET', url: pageUrl });
        if (response.status === 404 && page === 0) {
          await discard(response);
          return undefined;
        }
        if (response.status !== 200) throw await this.api.failure(operation, repository, response);
        const body = (await this.api.readJson(operation, repository, response, maxManifestBytes, 'the tag list')).json as {
          tags?: unknown;
        } | null;
        const listed = Array.isArray(body?.tags) ? body.tags : [];
        if (seen + listed.length > maxTags)
          throw this.api.error(operation, repository, `more than ${maxTags} tags, the most ferry reads of one repository`);
        // Only tags: a 4 MiB string is no tag, and is not kept; nor is what the caller has no use for.
        const names = listed.filter(
          (tag): tag is string => typeof tag === 'string' && anchoredTag.test(tag) && (options.keep?.(tag) ?? true),
        );
        return { names, count: listed.length, next: nextLink(header(response, 'link')) };
      });
      if (answer === undefined) break;
      seen += answer.count;
      options.onKept?.(answer.names.length);
      tags.push(...answer.names);
      url = answer.next;
    }
    return tags;
  }
}

export interface ListOptions {
  /** Tags asked for a page (`n`); the registry's own page size when unset. */
  readonly pageSize?: number;
  /** Which tags to keep; every tag when unset. */
  readonly keep?: (tag: string) => boolean;
  /** Told how many tags of each page were kept, before the next page is asked for; may throw to stop the listing. */
  readonly onKept?: (count: number) => void;
}
