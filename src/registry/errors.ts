// Errors that say which registry operation failed, on what, and why; whether trying again could help;
// and never a credential, whatever the registry sends back.
import { Repository } from '../oci/repository.js';
import { type Verdict, isRetriableStatus, isTransientError, permanentCodes } from './retry.js';

export interface RegistryErrorDetails {
  readonly registry: string;
  readonly repository?: string | undefined;
  /** What ferry was doing: `resolve nginx:1.25`, `upload blob sha256:...`. */
  readonly operation: string;
  readonly status?: number | undefined;
  /** The registry's error codes (OCI distribution spec), e.g. MANIFEST_UNKNOWN. */
  readonly codes?: readonly string[] | undefined;
  /** The server's Retry-After, in milliseconds. */
  readonly retryAfterMs?: number | undefined;
  /** Overrides the classification by status and codes (a transient connection failure, say). */
  readonly retriable?: boolean | undefined;
}

export class RegistryError extends Error {
  readonly registry: string;
  readonly repository: string | undefined;
  readonly operation: string;
  readonly status: number | undefined;
  readonly codes: readonly string[];
  /** The reason alone, without the operation and place. */
  readonly reason: string;
  readonly retryAfterMs: number | undefined;
  /** Whether the same operation, sent again, could succeed. */
  readonly retriable: boolean;

  constructor(details: RegistryErrorDetails, reason: string, options?: { cause?: unknown }) {
    const where = details.repository === undefined ? details.registry : new Repository(details.registry, details.repository).key;
    super(`${details.operation} at ${where}: ${reason}`, options);
    this.name = 'RegistryError';
    this.registry = details.registry;
    this.repository = details.repository;
    this.operation = details.operation;
    this.status = details.status;
    this.codes = details.codes ?? [];
    this.reason = reason;
    this.retryAfterMs = details.retryAfterMs;
    const permanent = this.codes.some((code) => permanentCodes.has(code));
    this.retriable = details.retriable ?? (details.status !== undefined && isRetriableStatus(details.status) && !permanent);
  }
}

/** How the retry loop reads a failure. */
export function verdictOf(error: unknown): Verdict {
  if (error instanceof RegistryError) {
    return { retriable: error.retriable, ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }) };
  }
  return { retriable: isTransientError(error) };
}

/** The most of an error body ferry reads: enough for any registry's message, never a flood. */
export const maxErrorBodyBytes = 64 * 1024;

/** Credentials as they travel in headers, in case a registry echoes a request back. */
const credentialPattern = /\b(Basic|Bearer)\s+[A-Za-z0-9._~+/=-]{6,}/gi;

/** Removes every known secret, and anything shaped like an Authorization value, from text a server sent. */
export class Redactor {
  private readonly secrets = new Set<string>();

  /** `also`: further secrets known elsewhere (a credential store's), consulted at each redaction. */
  constructor(private readonly also: Iterable<string> = []) {}

  add(secret: string): void {
    if (secret.length >= 4) this.secrets.add(secret);
  }

  redact(text: string): string {
    let clean = text.replace(credentialPattern, '$1 ***');
    for (const secret of [...this.secrets, ...this.also]) if (secret.length >= 4) clean = clean.split(secret).join('***');
    return clean;
  }
}

/** The error codes and messages of an OCI distribution error body, if it is one; the raw text, shortened, if not. */
export function describeErrorBody(text: string, redactor?: Redactor): { codes: string[]; message: string } {
  const redact = (value: string): string => (redactor === undefined ? value.replace(credentialPattern, '$1 ***') : redactor.redact(value));
  try {
    const body = JSON.parse(text) as { errors?: { code?: unknown; message?: unknown }[] };
    const errors = Array.isArray(body.errors) ? body.errors : [];
    const codes = errors.map((error) => String(error.code ?? '')).filter((code) => /^[A-Z_]{1,64}$/.test(code));
    const message = errors
      .slice(0, 5)
      .map((error) => [error.code, error.message].filter(Boolean).map(String).join(': '))
      .join('; ')
      .slice(0, 500);
    if (message !== '') return { codes, message: redact(message) };
  } catch {
    // not JSON: fall through to the raw text
  }
  return { codes: [], message: redact(text.trim().slice(0, 300)) };
}
