// What a repository lists (listing.ts) against scripted registries: tags across Link pages (a page
// already read ends the list), a missing repository as an empty list, the referrers API told apart
// from its absence, and the caps checked as pages arrive.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sha256 } from './harness.js';
import { requestLines, scriptedSuite } from './scripted.js';

const subject = sha256(Buffer.from('a subject'));
const ociIndex = 'application/vnd.oci.image.index.v1+json';
const referrer = (n: number): object => ({
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: sha256(Buffer.from(`referrer ${n}`)),
  size: 100 + n,
  artifactType: 'application/spdx+json',
});

function json(response: import('node:http').ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): true {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  return true;
}

describe('listing a repository', () => {
  const suite = scriptedSuite();

  it('follows Link pages, relative and absolute, and stops at a page it has read', async () => {
    const registry = await suite.serve((request, response) => {
      const url = new URL(request.url, 'http://x');
      if (url.pathname !== '/v2/team/app/tags/list') return;
      const last = url.searchParams.get('last');
      if (last === null) return json(response, 200, { tags: ['a', 'b'] }, { link: '</v2/team/app/tags/list?last=b>; rel="next"' });
      if (last === 'b')
        return json(response, 200, { tags: ['c'] }, { link: `<http://${registry.host}/v2/team/app/tags/list?last=c>; rel="next"` });
      // The third page names the second again: a loop, which ends the list.
      return json(response, 200, { tags: ['d', 'not a tag!'] }, { link: '</v2/team/app/tags/list?last=b>; rel="next"' });
    });
    const { registries } = suite.registries([registry.host], {});
    const kept: number[] = [];
    const tags = await registries
      .client(registry.host)
      .listTags('team/app', { keep: (tag) => tag !== 'a', onKept: (count) => kept.push(count) });
    assert.deepEqual(tags, ['b', 'c', 'd']);
    assert.deepEqual(kept, [1, 1, 1], 'told of each page as it arrives, what keep refused and what is no tag left out');
    assert.equal(requestLines(registry).length, 3);
  });

  it('stops listing when onKept throws, before asking for the next page', async () => {
    const registry = await suite.serve((request, response) => {
      if (request.url.startsWith('/v2/team/app/tags/list'))
        return json(response, 200, { tags: ['x'] }, { link: `</v2/team/app/tags/list?page=${requestLines(registry).length}>; rel="next"` });
    });
    const { registries } = suite.registries([registry.host], {});
    let pages = 0;
    await assert.rejects(
      registries.client(registry.host).listTags('team/app', {
        onKept: () => {
          if (++pages === 3) throw new Error('enough');
        },
      }),
      /enough/,
    );
    assert.equal(requestLines(registry).length, 3);
  });

  it('reads a 404 on the first page as a repository with no tags, and says whether a repository exists', async () => {
    const registry = await suite.serve((request, response) => {
      if (request.url.startsWith('/v2/there/tags/list')) return json(response, 200, { tags: ['v1'] });
    });
    const { registries } = suite.registries([registry.host], {});
    const client = registries.client(registry.host);
    assert.deepEqual(await client.listTags('missing/app'), []);
    assert.equal(await client.hasRepository('missing/app'), false);
    assert.equal(await client.hasRepository('there'), true);
  });

  it('tells the referrers API from its absence: a plain 404 is none, a 404 holding an index is an empty answer', async () => {
    const withIndex = await suite.serve((request, response) => {
      if (request.url.includes('/referrers/')) return json(response, 404, { schemaVersion: 2, mediaType: ociIndex, manifests: [] });
    });
    const without = await suite.serve(() => undefined);
    const { registries } = suite.registries([withIndex.host, without.host], {});
    assert.deepEqual(await registries.client(withIndex.host).referrers('team/app', subject), []);
    assert.equal(await registries.client(without.host).referrers('team/app', subject), undefined);
  });

  it('reads every page of referrers, and refuses more than it carries with one manifest', async () => {
    let perPage = 2;
    const registry = await suite.serve((request, response) => {
      const url = new URL(request.url, 'http://x');
      if (!url.pathname.startsWith('/v2/team/app/referrers/')) return;
      const page = Number(url.searchParams.get('page') ?? '0');
      const manifests = Array.from({ length: perPage }, (_, n) => referrer(page * perPage + n));
      const next: Record<string, string> = page < 2 ? { link: `<${url.pathname}?page=${page + 1}>; rel="next"` } : {};
      return json(response, 200, { schemaVersion: 2, mediaType: ociIndex, manifests }, next);
    });
    const { registries } = suite.registries([registry.host], {});
    const client = registries.client(registry.host);
    const found = await client.referrers('team/app', subject);
    assert.equal(found?.length, 6);
    assert.equal(new Set(found?.map((descriptor) => descriptor.digest)).size, 6);
    perPage = 600;
    await assert.rejects(client.referrers('team/app', subject), /more than 1000 referrers, the most ferry carries with one manifest/);
  });

  it('refuses a referrers answer that is not an image index', async () => {
    const registry = await suite.serve((request, response) => {
      if (request.url.includes('/referrers/')) return json(response, 200, { manifests: 'many' });
    });
    const { registries } = suite.registries([registry.host], {});
    await assert.rejects(registries.client(registry.host).referrers('team/app', subject), /the referrers answer is not an image index/);
  });
});
