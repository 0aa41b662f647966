import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidReferenceError, defaultPullPolicy, familiarName, parseReference } from '../src/lib.js';
import { parseReferenceParts, repositoryNameError } from '../src/reference.js';

const hex64 = 'f'.repeat(64);
const sha256 = `sha256:${hex64}`;

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof InvalidReferenceError, `expected InvalidReferenceError, got ${String(error)}`);
    return error.reason;
  }
  assert.fail('expected an error');
}

// Cases from the distribution project's reference_test.go (TestReferenceParse), through Parse.
describe('parseReferenceParts (distribution Parse)', () => {
  const valid: [string, string | undefined, string, string | undefined, string | undefined][] = [
    ['test_com', undefined, 'test_com', undefined, undefined],
    ['test.com:tag', undefined, 'test.com', 'tag', undefined],
    ['test.com:5000', undefined, 'test.com', '5000', undefined],
    ['test.com/repo:tag', 'test.com', 'repo', 'tag', undefined],
    ['test:5000/repo', 'test:5000', 'repo', undefined, undefined],
    ['test:5000/repo:tag', 'test:5000', 'repo', 'tag', undefined],
    [`test:5000/repo@${sha256}`, 'test:5000', 'repo', undefined, sha256],
    [`test:5000/repo:tag@${sha256}`, 'test:5000', 'repo', 'tag', sha256],
    ['lowercase:Uppercase', undefined, 'lowercase', 'Uppercase', undefined],
    ['sub-dom1.foo.com/bar/baz/quux', 'sub-dom1.foo.com', 'bar/baz/quux', undefined, undefined],
    ['sub-dom1.foo.com/bar/baz/quux:some-long-tag', 'sub-dom1.foo.com', 'bar/baz/quux', 'some-long-tag', undefined],
    ['b.gcr.io/test.example.com/my-app:test.example.com', 'b.gcr.io', 'test.example.com/my-app', 'test.example.com', undefined],
    ['xn--n3h.com/myimage:xn--n3h.com', 'xn--n3h.com', 'myimage', 'xn--n3h.com', undefined],
    [`xn--7o8h.com/myimage:xn--7o8h.com@sha512:${'f'.repeat(128)}`, 'xn--7o8h.com', 'myimage', 'xn--7o8h.com', `sha512:${'f'.repeat(128)}`],
    ['a/b--c__d.e', 'a', 'b--c__d.e', undefined, undefined],
    ['foo_bar.com:8080', undefined, 'foo_bar.com', '8080', undefined],
    ['foo/foo_bar.com:8080', 'foo', 'foo_bar.com', '8080', undefined],
    ['192.168.1.1', undefined, '192.168.1.1', undefined, undefined],
    ['192.168.1.1:tag', undefined, '192.168.1.1', 'tag', undefined],
    ['192.168.1.1:5000', undefined, '192.168.1.1', '5000', undefined],
    ['192.168.1.1/repo', '192.168.1.1', 'repo', undefined, undefined],
    ['192.168.1.1:5000/repo', '192.168.1.1:5000', 'repo', undefined, undefined],
    ['192.168.1.1:5000/repo:5050', '192.168.1.1:5000', 'repo', '5050', undefined],
    ['[2001:db8::1]/repo', '[2001:db8::1]', 'repo', undefined, undefined],
    ['[2001:db8:1:2:3:4:5:6]/repo:tag', '[2001:db8:1:2:3:4:5:6]', 'repo', 'tag', undefined],
    ['[2001:db8::1]:5000/repo', '[2001:db8::1]:5000', 'repo', undefined, undefined],
    [`[2001:db8::1]:5000/repo:tag@${sha256}`, '[2001:db8::1]:5000', 'repo', 'tag', sha256],
    ['[2001:db8::]:5000/repo', '[2001:db8::]:5000', 'repo', undefined, undefined],
    ['[::1]:5000/repo', '[::1]:5000', 'repo', undefined, undefined],
    [`${'a/'.repeat(127)}a:tag-puts-this-over-max`, 'a', `${'a/'.repeat(126)}a`, 'tag-puts-this-over-max', undefined],
  ];
  for (const [text, domain, path, tag, digest] of valid) {
    it(`parses ${text.slice(0, 60)}`, () => {
      assert.deepEqual(parseReferenceParts(text), { domain, path, tag, digest });
    });
  }

  const invalid: [string, string][] = [
    ['', 'repository name must have at least one component'],
    [':justtag', 'invalid reference format'],
    [`@${sha256}`, 'invalid reference format'],
    [`repo@sha256:${'f'.repeat(63)}`, 'invalid checksum digest length'],
    [`repo@sha256:${'F'.repeat(64)}`, 'invalid checksum digest format'],
    [`repo@sha256:${'f'.repeat(65)}`, 'invalid checksum digest length'],
    [`validname@invaliddigest:${hex64}`, 'unsupported digest algorithm'],
    ['Uppercase:tag', 'repository name must be lowercase'],
    ['test:5000/Uppercase/lowercase:tag', 'repository name must be lowercase'],
    [`${'a/'.repeat(129)}a:tag`, 'repository name must not be more than 255 characters'],
    ['aa/asdf$$^/aa', 'invalid reference format'],
    ['[2001:db8::1]', 'invalid reference format'],
    ['[2001:db8::1]:5000', 'invalid reference format'],
    ['[2001:db8::1]:tag', 'invalid reference format'],
    ['[fe80::1%eth0]:5000/repo', 'invalid reference format'],
    ['[fe80::1%@invalidzone]:5000/repo', 'invalid reference format'],
    [`repo:${'t'.repeat(129)}`, 'invalid reference format'],
    ['repo:-tag', 'invalid reference format'],
    ['a..b/c', 'invalid reference format'],
    ['a/b_-c', 'invalid reference format'],
  ];
  for (const [text, expected] of invalid) {
    it(`refuses ${JSON.stringify(text.slice(0, 60))}: ${expected}`, () => {
      assert.equal(
        reason(() => parseReferenceParts(text)),
        expected,
      );
    });
  }
});

// Cases from distribution's normalize_test.go (TestParseNormalizedNamed, TestParseRepositoryInfo).
describe('parseReference (normalized)', () => {
  const cases: [string, string, string, string | undefined, string | undefined, string][] = [
    ['nginx', 'docker.io', 'library/nginx', undefined, undefined, 'nginx'],
    ['nginx:1.25', 'docker.io', 'library/nginx', '1.25', undefined, 'nginx:1.25'],
    ['docker.io/nginx', 'docker.io', 'library/nginx', undefined, undefined, 'nginx'],
    ['index.docker.io/library/nginx:latest', 'docker.io', 'library/nginx', 'latest', undefined, 'nginx:latest'],
    ['fooo/bar', 'docker.io', 'fooo/bar', undefined, undefined, 'fooo/bar'],
    ['library/ubuntu', 'docker.io', 'library/ubuntu', undefined, undefined, 'ubuntu'],
    ['nonlibrary/ubuntu', 'docker.io', 'nonlibrary/ubuntu', undefined, undefined, 'nonlibrary/ubuntu'],
    ['docker.io/library/foo/bar', 'docker.io', 'library/foo/bar', undefined, undefined, 'library/foo/bar'],
    ['localhost/foo', 'localhost', 'foo', undefined, undefined, 'localhost/foo'],
    ['localhost:5000/foo:v1', 'localhost:5000', 'foo', 'v1', undefined, 'localhost:5000/foo:v1'],
    ['127.0.0.1:5000/ubuntu', '127.0.0.1:5000', 'ubuntu', undefined, undefined, '127.0.0.1:5000/ubuntu'],
    ['Foo/bar', 'Foo', 'bar', undefined, undefined, 'Foo/bar'],
    [
      'gcr.io/k8s-skaffold/skaffold-example1',
      'gcr.io',
      'k8s-skaffold/skaffold-example1',
      undefined,
      undefined,
      'gcr.io/k8s-skaffold/skaffold-example1',
    ],
    [`nginx:1.25@${sha256}`, 'docker.io', 'library/nginx', '1.25', sha256, `nginx:1.25@${sha256}`],
    [`[::1]:5000/repo@${sha256}`, '[::1]:5000', 'repo', undefined, sha256, `[::1]:5000/repo@${sha256}`],
  ];
  for (const [text, registry, repository, tag, digest, familiar] of cases) {
    it(`normalizes ${text.slice(0, 60)}`, () => {
      const ref = parseReference(text);
      assert.equal(ref.registry, registry);
      assert.equal(ref.repository, repository);
      assert.equal(ref.tag, tag);
      assert.equal(ref.digest, digest);
      assert.equal(ref.toString(), `${registry}/${repository}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`);
      assert.equal(familiarName(ref), familiar);
    });
  }

  const invalid: [string, string][] = [
    ['Uppercase:tag', 'repository name must be lowercase'],
    ['docker.io/Foo/bar', 'repository name must be lowercase'],
    [hex64, 'cannot specify 64-byte hexadecimal strings'],
    ['https://github.com/docker/docker', 'invalid reference format'],
    ['docker/Docker', 'repository name must be lowercase'],
    ['-docker', 'invalid reference format'],
    ['docker///docker', 'invalid reference format'],
    ['docker.io/docker/Docker', 'repository name must be lowercase'],
    ['docker:80/docker:', 'invalid reference format'],
    ['', 'repository name must have at least one component'],
    ['nginx\n', 'invalid reference format'],
  ];
  for (const [text, expected] of invalid) {
    it(`refuses ${JSON.stringify(text)}`, () => {
      assert.equal(
        reason(() => parseReference(text)),
        expected,
      );
    });
  }

  it('names the text in the error message', () => {
    assert.throws(() => parseReference('Nginx'), /invalid image reference "Nginx": repository name must be lowercase/);
  });
});

describe('defaultPullPolicy (Kubernetes defaults)', () => {
  const cases: [string, string][] = [
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['gcr.io/p/app:latest', 'Always'],
    ['nginx:1.25', 'IfNotPresent'],
    ['nginx:Latest', 'IfNotPresent'],
    [`nginx@${sha256}`, 'IfNotPresent'],
    [`nginx:latest@${sha256}`, 'Always'],
    ['localhost:5000/app', 'Always'],
    ['Invalid!', 'IfNotPresent'],
  ];
  for (const [image, policy] of cases) {
    it(`${image.slice(0, 40)} -> ${policy}`, () => assert.equal(defaultPullPolicy(image), policy));
  }
});

describe('repositoryNameError', () => {
  const cases: [string, string | undefined][] = [
    ['gcr.io/my-project', undefined],
    ['localhost:5000', undefined],
    ['aws_account_id.dkr.ecr.region.amazonaws.com', 'invalid reference format'],
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com', undefined],
    ['[::1]:5000/team', undefined],
    ['registry.example/Team', 'repository name must be lowercase'],
    ['registry.example/team:tag', 'invalid reference format'],
    ['registry.example/team@sha256:abc', 'invalid reference format'],
    ['', 'repository name must have at least one component'],
    ['https://registry.example', 'invalid reference format'],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text)} -> ${expected ?? 'valid'}`, () => assert.equal(repositoryNameError(text), expected));
  }
});
