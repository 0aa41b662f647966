// Which base URL a registry answers on, and how it wants to be authenticated: one GET of /v2/.
// HTTPS verified, or, only for a registry listed as insecure, HTTPS unverified and else plain HTTP:
// both asked at once (the plain answer is taken only once HTTPS has failed), so that the fallback
// costs no round trips of its own.
// A 200 or 401 is an answer; anything else (a 5xx from a load balancer, say) is a failure.
import { RegistryError } from './errors.js';
import { type HttpResponse, discard } from './exchange.js';
import { isRetriableStatus, isUnreachable, isTransientError, parseRetryAfter } from './retry.js';

export interface Ping {
  /** `https://host` or `http://host`. */
  readonly base: string;
  /** The WWW-Authenticate of a 401, so the first real request can carry credentials. */
  readonly challenge: string | string[] | undefined;
}

const plainHttpSymptoms = /wrong version number|packet length too long|EPROTO|ERR_SSL_|http request|unknown protocol/i;

export function describeConnectionError(error: unknown): string {
  const parts: string[] = [];
  for (let current = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    parts.push(typeof code === 'string' && !current.message.includes(code) ? `${current.message} (${code})` : current.message);
  }
  return (parts.join(': ') || String(error)).replace(/\s+/g, ' ').trim();
}

function isTlsVerificationError(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    const code = String((current as { code?: unknown }).code ?? '');
    if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|UNABLE_TO_GET_ISSUER/.test(code)) return true;
  }
  return false;
}

/** The code of the TLS refusal, in words a user can act on, without OpenSSL's own text. */
function tlsReason(error: unknown): string {
  for (let current = error; current instanceof Error; current = current.cause) {
    const code = String((current as { code?: unknown }).code ?? '');
    if (/SELF_SIGNED/.test(code)) return 'its certificate is self-signed';
    if (/UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code)) return 'its certificate is signed by a CA ferry does not trust';
    if (/ALTNAME/.test(code)) return 'its certificate is not for this host name';
    if (/EXPIRED/.test(code)) return 'its certificate has expired';
  }
  return 'its certificate could not be verified';
}

export async function ping(
  registry: string,
  apiHost: string,
  insecure: boolean,
  get: (url: string, signal?: AbortSignal) => Promise<HttpResponse>,
): Promise<Ping> {
  const attempt = async (base: string, signal?: AbortSignal): Promise<Ping> => {
    const response = await get(`${base}/v2/`, signal);
    await discard(response);
    if (response.status === 200 || response.status === 401) {
      return { base, challenge: response.status === 401 ? response.headers['www-authenticate'] : undefined };
    }
    const retryAfter = parseRetryAfter([response.headers['retry-after']].flat()[0]);
    throw new RegistryError(
      {
        registry,
        operation: 'ping /v2/',
        status: response.status,
        retriable: isRetriableStatus(response.status),
        retryAfterMs: retryAfter,
      },
      `${response.status}: the registry's /v2/ endpoint did not answer as a Docker Registry v2 / OCI distribution API (200 or 401)`,
    );
  };
  // Plain HTTP, asked beside HTTPS where it may be the answer, and called off when HTTPS answers.
  const plainCancel = insecure ? new AbortController() : undefined;
  const plain = plainCancel && attempt(`http://${apiHost}`, plainCancel.signal);
  plain?.catch(() => undefined);
  try {
    const secure = await attempt(`https://${apiHost}`);
    plainCancel?.abort();
    return secure;
  } catch (error) {
    if (error instanceof RegistryError) {
      plainCancel?.abort();
      throw error;
    }
    if (plain !== undefined) {
      try {
        return await plain;
      } catch (second) {
        if (second instanceof RegistryError) throw second;
        throw new RegistryError(
          { registry, operation: 'connect', retriable: isTransientError(second) },
          `${describeConnectionError(second)}${unreachableHint(second, registry)}`,
          { cause: second },
        );
      }
    }
    const reason = describeConnectionError(error);
    if (isTlsVerificationError(error)) {
      throw new RegistryError(
        { registry, operation: 'connect', retriable: false },
        `TLS verification failed: ${tlsReason(error)}; add its CA to registry-ca-certs, or list ${registry} in insecure-registries`,
        { cause: error },
      );
    }
    if (plainHttpSymptoms.test(reason)) {
      throw new RegistryError(
        { registry, operation: 'connect', retriable: false },
        `the registry answers in plain HTTP, not HTTPS; ferry never downgrades on its own: list ${registry} in insecure-registries if it is meant to be reached over HTTP`,
        { cause: error },
      );
    }
    throw new RegistryError(
      { registry, operation: 'connect', retriable: isTransientError(error) },
      `${reason}${unreachableHint(error, registry)}`,
      {
        cause: error,
      },
    );
  }
}

/** What to check when a registry cannot be reached at all: where its name came from. */
function unreachableHint(error: unknown, registry: string): string {
  if (!isUnreachable(error)) return '';
  return `; nothing answers at ${registry}: check the registry's host and port where it is named (an image in the manifests, default-repo or repository, registry-mirrors), and that the registry is running`;
}
