import { InvalidReferenceError, parseReference } from './reference.js';

export type PullPolicy = 'Always' | 'IfNotPresent';

/**
 * What Kubernetes sets when a container omits imagePullPolicy: Always for `:latest`, or for no tag and
 * no digest (the kubelet then assumes `latest`), IfNotPresent otherwise. Like Kubernetes' defaulting,
 * a reference that does not parse is left to validation and gets IfNotPresent.
 */
export function defaultPullPolicy(image: string): PullPolicy {
  let tag: string | undefined;
  try {
    const reference = parseReference(image);
    tag = reference.tag ?? (reference.digest === undefined ? 'latest' : undefined);
  } catch (error) {
    if (!(error instanceof InvalidReferenceError)) throw error;
  }
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}
