// Attesting a run's copies (input attest): a statement signed for each image the mode put at a
// destination, before the commit point (a run that cannot sign fails with nothing written), its
// referrer pushed at the commit point before the tags. What the run reports: each image's attestation
// in its outcome (the lock's comment, the outputs, the summary's Attested column) and a log line.
import type { ModeFacts } from './modes/catalog.js';
import { platformText } from './oci/manifest.js';
import type { ImageEntry } from './images.js';
import type { Registries } from './registry/registries.js';
import type { Report } from './report.js';
import type { WorkResult } from './result.js';
import type { Settings } from './settings.js';

/** The GitHub variables a statement names the run by. */
const runVariables = ['GITHUB_SERVER_URL', 'GITHUB_REPOSITORY', 'GITHUB_RUN_ID', 'GITHUB_RUN_ATTEMPT', 'GITHUB_WORKFLOW_REF', 'GITHUB_SHA'];

export interface Attested {
  /** The result with each attested image's attestation digest. */
  readonly result: WorkResult;
  /** Pushes the referrers: the commit point runs it before it puts the tags. */
  readonly push: () => Promise<void>;
}

export async function attestRun(
  settings: Settings,
  mode: ModeFacts,
  result: WorkResult,
  entries: readonly ImageEntry[],
  registries: () => Registries,
  report: Report,
  origins?: ReadonlyMap<string, { readonly file: string; readonly digest: string }>,
): Promise<Attested | undefined> {
  const policy = settings.attest;
  if (policy === undefined || !mode.pushes || settings.dryRun || result.outcomes.length === 0) return undefined;
  return report.group('Attest', async () => {
    const [{ statementSigner }, { attestCopies, listings, pushAttestations }, { default: pLimit }] = await Promise.all([
      import('./attest/signing.js'),
      import('./attest/attester.js'),
      import('p-limit'),
    ]);
    const github = Object.fromEntries(runVariables.map((name) => [name, process.env[name] ?? '']));
    // One token for a few minutes of signing, not one request per image; GitHub's last about ten.
    let token: { value: Promise<string>; at: number } | undefined;
    const signer = statementSigner(
      policy,
      () => {
        if (token === undefined || performance.now() - token.at > 4 * 60_000) {
          const value = report.idToken('sigstore').then((text) => {
            report.secret(text);
            return text;
          });
          value.catch(() => (token = undefined));
          token = { value, at: performance.now() };
        }
        return token.value;
      },
      github.GITHUB_WORKFLOW_REF || github.GITHUB_REPOSITORY || 'this workflow',
    );
    const limit = pLimit(settings.concurrency);
    const sourceOf = new Map(entries.map((entry) => [entry.image, entry.source]));
    const clients = registries();
    const attestations = await attestCopies(result.outcomes, {
      signer,
      run: {
        mode: settings.mode,
        defaultRepo: settings.defaultRepo,
        repository: settings.repository,
        platforms: settings.platforms?.map(platformText),
        artifacts: settings.artifacts,
        github,
      },
      registries: clients,
      sourceOf: (image) => sourceOf.get(image) ?? image,
      ...(origins === undefined ? {} : { archiveOf: (image: string) => origins.get(image) }),
      limit,
    });
    for (const pending of attestations.pending)
      report.info(
        `${pending.destination.withDigest(pending.subject.digest)}: provenance signed by ${signer.label}, ${pending.descriptor.digest}, pushed at the commit point`,
      );
    if (attestations.existing.size > 0)
      report.info(`${attestations.existing.size} already attested by ${signer.label} from the same sources: no new attestation`);
    return {
      result: {
        ...result,
        // Listed in the tag schema (where the registry has no referrers API) with the run's other referrers.
        tags: [...result.tags, ...listings(attestations.pending)],
        outcomes: result.outcomes.map((outcome) => {
          const attestation = attestations.byImage.get(outcome.image);
          return attestation === undefined ? outcome : { ...outcome, attestation };
        }),
      },
      push: () => pushAttestations(attestations.pending, clients, limit),
    };
  });
}
