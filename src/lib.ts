// The names other tools and tests import from ferry by name: keep them stable.
export { InvalidReferenceError, familiarName, parseReference } from './reference.js';
export type { ImageReference } from './reference.js';
export { rewriteImage } from './default-repo.js';
export type { RewriteOptions } from './default-repo.js';
export { defaultPullPolicy } from './pull-policy.js';
export type { PullPolicy } from './pull-policy.js';
export { matchCredentials } from './registry/credential-keys.js';
