// Credential helpers (`docker-credential-<name> get`) as Docker runs them: the server URL on stdin, a
// JSON answer on stdout, and whatever they print treated as a secret.
import { getExecOutput } from '@actions/exec';

/**
 * Runs `docker-credential-<helper> get` with the server URL on stdin; undefined when it has none.
 * Whatever it prints may be the secret, so `onSecret` is told of it before anything else reads it.
 */
export type HelperRunner = (
  helper: string,
  serverUrl: string,
  onSecret: (secret: string) => void,
) => Promise<{ Username: string; Secret: string } | undefined>;

/** Lines shorter than this are not masked one by one: a mask of "error" would hide that word in every later line. */
const minMaskedLine = 6;

/** A helper's output, masked whole and line by line: what it printed could be the secret whatever the format. */
function maskOutput(text: string, onSecret: (secret: string) => void): void {
  const whole = text.trim();
  if (whole === '') return;
  onSecret(whole);
  for (const line of whole.split(/\r?\n/)) if (line.trim().length >= minMaskedLine) onSecret(line.trim());
}

/**
 * Runs a real `docker-credential-*` program; "credentials not found" is no credential, not an error.
 * Its output is never quoted in a message: a helper that printed its secret outside JSON, or beside an
 * error, would otherwise have it in the log.
 */
export const execHelper: HelperRunner = async (helper, serverUrl, onSecret) => {
  const program = `docker-credential-${helper}`;
  const result = await getExecOutput(program, ['get'], { input: Buffer.from(serverUrl), silent: true, ignoreReturnCode: true });
  maskOutput(result.stdout, onSecret);
  if (result.exitCode !== 0) {
    if (/credentials not found/i.test(result.stdout + result.stderr)) return undefined;
    throw new Error(
      `${program} get ${serverUrl} failed (exit ${result.exitCode}); what it printed is not shown, since a helper's output can hold its secret`,
    );
  }
  let answer: unknown;
  try {
    answer = JSON.parse(result.stdout);
  } catch {
    answer = undefined;
  }
  const { Username, Secret } = (typeof answer === 'object' && answer !== null ? answer : {}) as { Username?: unknown; Secret?: unknown };
  const bad = (value: unknown): boolean => value !== undefined && typeof value !== 'string';
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer) || bad(Username) || bad(Secret)) {
    throw new Error(
      `${program} get ${serverUrl} printed ${result.stdout.length} characters that are not a credential (a JSON object with Username and Secret); they are not shown, since a helper's output can hold its secret`,
    );
  }
  return { Username: (Username as string | undefined) ?? '', Secret: (Secret as string | undefined) ?? '' };
};
