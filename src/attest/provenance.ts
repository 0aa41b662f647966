// The provenance of one copy: an in-toto Statement v1 whose subject is the image at its destination
// and whose predicate is SLSA provenance v1, with a build type of ferry's own (docs/provenance.md): what
// was asked (the mode, the destination naming, platforms, artifacts), where the image came from (the
// source references and their digest, or the archive and its index), the verification it passed, and
// the workflow run that did it.
import type { ModeName } from '../modes/catalog.js';
import { parseReference, referenceText } from '../reference.js';
import type { Verification } from '../result.js';

export const statementType = 'https://in-toto.io/Statement/v1';
export const provenanceType = 'https://slsa.dev/provenance/v1';
export const inTotoPayloadType = 'application/vnd.in-toto+json';
/** ferry's build type: a relocation of container images (docs/provenance.md defines its parameters). */
export const relocationBuildType = 'urn:ferry:relocation:v1';

export interface CopyFacts {
  /** The destination repository (`registry/path`) and the image's digest there. */
  readonly destination: string;
  readonly digest: string;
  /** The references the image was found as, each as fetched. */
  readonly sources: readonly string[];
  /** The digest the source had: the destination's, unless a platform filter made a new index of it. */
  readonly sourceDigest: string;
  /** The archive it was imported from (unpackage): its file name and the digest the image had there. */
  readonly archive?: { readonly file: string; readonly digest: string };
  readonly verified?: Verification;
}

export interface RunFacts {
  readonly mode: ModeName;
  readonly defaultRepo: string;
  readonly repository: string;
  readonly platforms: readonly string[] | undefined;
  readonly artifacts: string;
  /** GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT, GITHUB_WORKFLOW_REF, GITHUB_SHA. */
  readonly github: Readonly<Record<string, string>>;
}

/** A reference as a policy matches it: its registry and full path (`docker.io/library/nginx:1.25`), its tag, no digest. */
function fullName(reference: string): string {
  try {
    const parsed = parseReference(reference);
    return referenceText(parsed.name, parsed.tag, undefined);
  } catch {
    return reference.split('@')[0] ?? reference;
  }
}

const hexOf = (digest: string): Record<string, string> => {
  const [algorithm = 'sha256', hex = ''] = digest.split(':');
  return { [algorithm]: hex };
};

/** The statement's bytes: what the DSSE envelope carries. */
export function provenanceStatement(copy: CopyFacts, run: RunFacts): Buffer {
  const { github } = run;
  const server = github.GITHUB_SERVER_URL || 'https://github.com';
  const repository = github.GITHUB_REPOSITORY || '';
  // From an archive, the archive is what the image came from; the references it was found as are its names.
  const dependencies = [
    ...(copy.archive !== undefined
      ? []
      : copy.sources.map((source) => ({ uri: `oci://${fullName(source)}`, digest: hexOf(copy.sourceDigest) }))),
    ...(copy.archive === undefined
      ? []
      : [{ uri: `file:${copy.archive.file}`, digest: hexOf(copy.archive.digest), name: copy.sources.join(' ') }]),
  ];
  const statement = {
    _type: statementType,
    subject: [{ name: copy.destination, digest: hexOf(copy.digest) }],
    predicateType: provenanceType,
    predicate: {
      buildDefinition: {
        buildType: relocationBuildType,
        externalParameters: {
          mode: run.mode,
          ...(run.defaultRepo === '' ? {} : { defaultRepo: run.defaultRepo }),
          ...(run.repository === '' ? {} : { repository: run.repository }),
          platforms: run.platforms ?? 'all',
          artifacts: run.artifacts,
        },
        internalParameters: {
          github: {
            repository,
            sha: github.GITHUB_SHA ?? '',
            workflowRef: github.GITHUB_WORKFLOW_REF ?? '',
          },
        },
        resolvedDependencies: dependencies,
      },
      runDetails: {
        builder: { id: `${server}/${github.GITHUB_WORKFLOW_REF || repository}` },
        metadata: {
          invocationId: `${server}/${repository}/actions/runs/${github.GITHUB_RUN_ID ?? ''}/attempts/${github.GITHUB_RUN_ATTEMPT || '1'}`,
        },
        ...(copy.verified === undefined
          ? {}
          : {
              byproducts: [
                {
                  name: 'verification',
                  annotations: {
                    kind: copy.verified.kind,
                    by: copy.verified.by,
                    ...(copy.verified.predicateType === undefined ? {} : { predicateType: copy.verified.predicateType }),
                  },
                },
              ],
            }),
      },
    },
  };
  return Buffer.from(JSON.stringify(statement));
}
