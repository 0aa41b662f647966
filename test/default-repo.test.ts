import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidReferenceError, rewriteImage } from '../src/lib.js';

const digest = 'sha256:81daf011d63b68cfa514ddab7741a1adddd59d3264118dfb0fd9266328bb8883';
const longImage =
  'gcr.io/herewehaveanincrediblylongregistryname/herewealsohaveanabnormallylongimagename/doubtyouveseenanimagethislong/butyouneverknowdoyouimeanpeopledosomecrazystuffoutthere/goodluckpushingthistoanyregistrymyfriend';

describe('rewriteImage: the four examples of the Skaffold default-repo documentation', () => {
  it('escapes, concatenates and truncates for a repo that is not gcr.io', () => {
    assert.equal(
      rewriteImage('gcr.io/k8s-skaffold/skaffold-example1', 'aws_account_id.dkr.ecr.region.amazonaws.com'),
      'aws_account_id.dkr.ecr.region.amazonaws.com/gcr_io_k8s-skaffold_skaffold-example1',
    );
  });
  it('concatenates on gcr.io when the prefix does not match', () => {
    assert.equal(
      rewriteImage('gcr.io/k8s-skaffold/skaffold-example1', 'gcr.io/myproject/myimage'),
      'gcr.io/myproject/myimage/gcr.io/k8s-skaffold/skaffold-example1',
    );
  });
  it('keeps a name whose prefix matches', () => {
    assert.equal(rewriteImage('gcr.io/k8s-skaffold/skaffold-example1', 'gcr.io/k8s-skaffold'), 'gcr.io/k8s-skaffold/skaffold-example1');
  });
  it('shares the registry/project prefix', () => {
    assert.equal(
      rewriteImage('gcr.io/k8s-skaffold/skaffold-example1', 'gcr.io/k8s-skaffold/myimage'),
      'gcr.io/k8s-skaffold/myimage/skaffold-example1',
    );
  });
});

// Skaffold's own table (default_repo_test.go) plus Artifact Registry and the multi-level setting.
describe('rewriteImage: Skaffold code', () => {
  const cases: [string, string, string, string, boolean?][] = [
    ['basic GCR concatenation', 'gcr.io/some/registry', 'gcr.io/default', 'gcr.io/default/gcr.io/some/registry'],
    ['no default repo set', 'gcr.io/some/registry', '', 'gcr.io/some/registry'],
    ['image has defaultRepo prefix', 'gcr.io/default/registry', 'gcr.io/default', 'gcr.io/default/registry'],
    ['image has defaultRepo eu prefix', 'eu.gcr.io/project/registry', 'eu.gcr.io/project', 'eu.gcr.io/project/registry'],
    ['shared prefix', 'gcr.io/default/example/registry', 'gcr.io/default/repository', 'gcr.io/default/repository/example/registry'],
    [
      'aws',
      'gcr.io/some/registry',
      'aws_account_id.dkr.ecr.region.amazonaws.com',
      'aws_account_id.dkr.ecr.region.amazonaws.com/gcr_io_some_registry',
    ],
    [
      'aws over 255 chars',
      longImage,
      'aws_account_id.dkr.ecr.region.amazonaws.com',
      'aws_account_id.dkr.ecr.region.amazonaws.com/gcr_io_herewehaveanincrediblylongregistryname_herewealsohaveanabnormallylongimagename_doubtyouveseenanimagethislong_butyouneverknowdoyouimeanpeopledosomecrazystuffoutthere_goodluckpushingthistoanyregistrymyfrien',
    ],
    ['numbers and dashes', 'gcr.io/k8s-skaffold/skaffold-example', 'gcr.io/k8s-skaffold', 'gcr.io/k8s-skaffold/skaffold-example'],
    ['keep tag', 'img:tag', 'gcr.io/default', 'gcr.io/default/img:tag'],
    ['keep digest', `img@${digest}`, 'gcr.io/default', `gcr.io/default/img@${digest}`],
    ['keep tag and digest', `img:tag@${digest}`, 'gcr.io/default', `gcr.io/default/img:tag@${digest}`],
    [
      'escape the tag separator out of the name only',
      'localhost:5000/a.b/c_d:1.0',
      'registry.example/team',
      'registry.example/team/localhost_5000_a_b_c_d:1.0',
    ],
    ['familiar names are taken as written', 'nginx:1.25', 'registry.example/team', 'registry.example/team/nginx:1.25'],
    [
      'Docker Hub names as written',
      'docker.io/library/nginx:1.25',
      'registry.example/team',
      'registry.example/team/docker_io_library_nginx:1.25',
    ],
    [
      'Artifact Registry is multi-level',
      'gcr.io/k8s-skaffold/app',
      'us-docker.pkg.dev/my-project/repo',
      'us-docker.pkg.dev/my-project/repo/gcr.io/k8s-skaffold/app',
    ],
    [
      'Artifact Registry shares the project',
      'us-docker.pkg.dev/my-project/other/app',
      'us-docker.pkg.dev/my-project/repo',
      'us-docker.pkg.dev/my-project/repo/other/app',
    ],
    [
      'gcr.io stays multi-level when the setting is false',
      'quay.io/org/app',
      'gcr.io/my-project',
      'gcr.io/my-project/quay.io/org/app',
      false,
    ],
    [
      'multi-level setting on another registry',
      'quay.io/org/app:v1',
      'registry.example/team',
      'registry.example/team/quay.io/org/app:v1',
      true,
    ],
    [
      'multi-level off on another registry',
      'quay.io/org/app:v1',
      'registry.example/team',
      'registry.example/team/quay_io_org_app:v1',
      false,
    ],
    [
      'a string prefix is kept, as Skaffold does',
      'registry.example/teamwork/app',
      'registry.example/team',
      'registry.example/teamwork/app',
    ],
    ['registry alone as default repo', 'quay.io/org/app@' + digest, 'localhost:5000', `localhost:5000/quay_io_org_app@${digest}`],
  ];
  for (const [description, image, defaultRepo, expected, multiLevel] of cases) {
    it(description, () => assert.equal(rewriteImage(image, defaultRepo, { multiLevel }), expected));
  }

  it("drops ko's scheme and lower-cases the name, not the tag, before parsing, as Skaffold's SanitizeImageName does", () => {
    assert.equal(rewriteImage('ko://github.com/Acme/App', 'registry.example/team'), 'registry.example/team/github_com_acme_app');
    assert.equal(rewriteImage('Registry.Example/Team/App:V1', 'other.example/x'), 'other.example/x/registry_example_team_app:V1');
    // Lower-cased, the name starts with the default repo, so it is kept.
    assert.equal(rewriteImage('Registry.Example/Team/App:V1', 'registry.example/team'), 'registry.example/team/app:V1');
    assert.equal(rewriteImage('Team/App:V1', 'gcr.io/project-one'), 'gcr.io/project-one/team/app:V1');
    // Without a default repo nothing is rewritten, placeholders included.
    assert.equal(rewriteImage('ko://github.com/Acme/App', ''), 'ko://github.com/Acme/App');
    assert.throws(() => rewriteImage('Bad Name:1', 'registry.example/team'), InvalidReferenceError);
  });
  it('refuses an invalid image', () => {
    assert.throws(() => rewriteImage('!!invalid!!', 'gcr.io/default'), InvalidReferenceError);
  });
  it('truncates to 255 characters before the tag', () => {
    const rewritten = rewriteImage(`${longImage}:v1`, 'registry.example/a-team-with-a-much-longer-name-here');
    assert.equal(rewritten.length, 255 + ':v1'.length);
    assert.ok(rewritten.endsWith(':v1'));
  });
});
