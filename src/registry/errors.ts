// Errors that say which registry operation failed, on what, and why.

export interface RegistryErrorDetails {
  readonly registry: string;
  readonly repository?: string;
  /** What ferry was doing: `resolve nginx:1.25`, `upload blob sha256:...`. */
  readonly operation: string;
  readonly status?: number;
  /** The registry's error codes (OCI distribution spec), e.g. MANIFEST_UNKNOWN. */
  readonly codes?: readonly string[];
}

export class RegistryError extends Error {
  readonly registry: string;
  readonly repository: string | undefined;
  readonly operation: string;
  readonly status: number | undefined;
  readonly codes: readonly string[];
  /** The reason alone, without the operation and place. */
  readonly reason: string;

  constructor(details: RegistryErrorDetails, reason: string, options?: { cause?: unknown }) {
    const where = details.repository === undefined ? details.registry : `${details.registry}/${details.repository}`;
    super(`${details.operation} at ${where}: ${reason}`, options);
    this.name = 'RegistryError';
    this.registry = details.registry;
    this.repository = details.repository;
    this.operation = details.operation;
    this.status = details.status;
    this.codes = details.codes ?? [];
    this.reason = reason;
  }
}

/** The error codes and messages of an OCI distribution error body, if it is one. */
export function describeErrorBody(text: string): { codes: string[]; message: string } {
  try {
    const body = JSON.parse(text) as { errors?: { code?: unknown; message?: unknown }[] };
    const errors = Array.isArray(body.errors) ? body.errors : [];
    const codes = errors.map((error) => String(error.code ?? '')).filter(Boolean);
    const message = errors.map((error) => [error.code, error.message].filter(Boolean).join(': ')).join('; ');
    if (message !== '') return { codes, message };
  } catch {
    // not JSON: fall through to the raw text
  }
  return { codes: [], message: text.trim().slice(0, 300) };
}
