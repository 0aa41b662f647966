// The image reference grammar of the distribution project (github.com/distribution/reference),
// with Docker's normalization of familiar names (docker.io, library/).

import { digestError, digestPattern } from './oci/digest.js';
import { Repository, dockerHub, dockerHubLegacy } from './oci/repository.js';
import { quoted } from './untrusted-text.js';

const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const domainNameComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const ipv6Address = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainName = `${domainNameComponent}(?:\\.${domainNameComponent})*`;
const host = `(?:${domainName}|${ipv6Address})`;
/** A registry host with an optional port, as the distribution grammar defines `domain`. */
export const domainAndPort = `${host}(?::[0-9]+)?`;
const tag = '[\\w][\\w.-]{0,127}';
/** A tag, nothing else. */
export const anchoredTag = new RegExp(`^${tag}$`);
const remoteName = `${pathComponent}(?:/${pathComponent})*`;
const namePattern = `(?:${domainAndPort}/)?${remoteName}`;

const referencePattern = new RegExp(`^(${namePattern})(?::(${tag}))?(?:@(${digestPattern}))?$`);
const caseInsensitiveReference = new RegExp(referencePattern.source, 'i');
const anchoredName = new RegExp(`^(?:(${domainAndPort})/)?(${remoteName})$`);
const anchoredIdentifier = /^[a-f0-9]{64}$/;
/** `host[:port]`, nothing else. */
export const anchoredDomain = new RegExp(`^${domainAndPort}$`);
/** One or more path components, as they may follow a registry. */
export const anchoredRemoteName = new RegExp(`^${remoteName}$`);

/** `name[:tag][@digest]`: the one way ferry spells a reference from its parts. */
export function referenceText(name: string, tag: string | undefined, digest: string | undefined): string {
  return name + (tag ? `:${tag}` : '') + (digest ? `@${digest}` : '');
}

/** The name of a reference's parts as written: `domain/path`, or the path alone. */
export function nameText(parts: { readonly domain: string | undefined; readonly path: string }): string {
  return parts.domain === undefined ? parts.path : `${parts.domain}/${parts.path}`;
}

/** A reference pinned to `digest`, its name as written: `name@digest`, or `name:tag@digest` keeping its tag. */
export function pinnedReference(reference: string, digest: string, keepTag: boolean): string {
  const parts = parseReferenceParts(reference);
  return referenceText(nameText(parts), keepTag ? parts.tag : undefined, digest);
}

/** The tag a reference carries, if any. */
export function tagOf(reference: string): string | undefined {
  return parseReferenceParts(reference).tag;
}

/**
 * The tag a reference means: its own, or `latest` for a name with neither tag nor digest (what a
 * container runtime pulls for it). A reference pinned by digest alone means no tag.
 */
export function impliedTag(reference: string): string | undefined {
  const parts = parseReferenceParts(reference);
  return parts.tag ?? (parts.digest === undefined ? 'latest' : undefined);
}

/** The longest repository path the distribution project accepts. */
export const maxPathLength = 255;

const officialRepoPrefix = 'library/';

/** Thrown for text that is not an image reference; `reason` is the distribution project's wording. */
export class InvalidReferenceError extends Error {
  readonly reference: string;
  readonly reason: string;
  constructor(reference: string, reason: string) {
    super(`invalid image reference ${quoted(reference)}: ${reason}`);
    this.name = 'InvalidReferenceError';
    this.reference = reference;
    this.reason = reason;
  }
}

export interface ImageReference {
  /** The registry host and port; `docker.io` for Docker Hub. */
  readonly registry: string;
  /** The path inside the registry, `library/nginx` for `nginx`. */
  readonly repository: string;
  readonly tag: string | undefined;
  readonly digest: string | undefined;
  /** `registry/repository`, without tag or digest. */
  readonly name: string;
  /** The normalized reference: `docker.io/library/nginx:1.25`. */
  toString(): string;
}

class Reference implements ImageReference {
  constructor(
    readonly registry: string,
    readonly repository: string,
    readonly tag: string | undefined,
    readonly digest: string | undefined,
  ) {}

  get name(): string {
    return `${this.registry}/${this.repository}`;
  }

  toString(): string {
    return referenceText(this.name, this.tag, this.digest);
  }
}

/** The parts of a reference as written, before any normalization (the distribution `Parse`). */
export interface ReferenceParts {
  /** The registry as written, or undefined when the name has none. */
  readonly domain: string | undefined;
  readonly path: string;
  readonly tag: string | undefined;
  readonly digest: string | undefined;
}

/** The distribution project's `Parse`: the grammar alone, no default registry. */
export function parseReferenceParts(text: string): ReferenceParts {
  const match = referencePattern.exec(text);
  if (match === null) {
    if (text === '') throw new InvalidReferenceError(text, 'repository name must have at least one component');
    if (referencePattern.test(text.toLowerCase())) throw new InvalidReferenceError(text, 'repository name must be lowercase');
    throw new InvalidReferenceError(text, 'invalid reference format');
  }
  const [, name = '', tagText, digest] = match;
  const nameMatch = anchoredName.exec(name);
  const domain = nameMatch?.[1];
  const path = nameMatch?.[2] ?? name;
  if (path.length > maxPathLength) {
    throw new InvalidReferenceError(text, `repository name must not be more than ${maxPathLength} characters`);
  }
  if (digest !== undefined) {
    const reason = digestError(digest);
    if (reason !== undefined) throw new InvalidReferenceError(text, reason);
  }
  return { domain, path, tag: tagText, digest };
}

/**
 * The name of a reference lower-cased and its tag left as written, when the text is a reference but
 * for case; anything else is returned as it is (Skaffold's SanitizeImageName).
 */
export function lowerCaseName(text: string): string {
  const name = caseInsensitiveReference.exec(text)?.[1];
  return name === undefined ? text : text.replace(name, name.toLowerCase());
}

/** Docker's split of a familiar name into registry and the rest (distribution's splitDockerDomain). */
function splitDockerDomain(text: string): [string, string] {
  const slash = text.indexOf('/');
  let domain: string;
  let remainder: string;
  const first = slash === -1 ? '' : text.slice(0, slash);
  if (slash === -1 || (!/[.:]/.test(first) && first !== 'localhost' && first.toLowerCase() === first)) {
    domain = dockerHub;
    remainder = text;
  } else {
    domain = first;
    remainder = text.slice(slash + 1);
  }
  if (domain === dockerHubLegacy) domain = dockerHub;
  if (domain === dockerHub && !remainder.includes('/')) remainder = officialRepoPrefix + remainder;
  return [domain, remainder];
}

/**
 * Parses an image reference the way Docker and Kubernetes do (distribution's ParseNormalizedNamed):
 * a first component with `.` or `:`, or `localhost`, is a registry; otherwise the image is on Docker Hub.
 */
export function parseReference(text: string): ImageReference {
  if (text === '') throw new InvalidReferenceError(text, 'repository name must have at least one component');
  if (anchoredIdentifier.test(text)) {
    throw new InvalidReferenceError(text, 'cannot specify 64-byte hexadecimal strings');
  }
  const [domain, remainder] = splitDockerDomain(text);
  const colon = remainder.indexOf(':');
  const remote = colon === -1 ? remainder : remainder.slice(0, colon);
  if (remote.toLowerCase() !== remote) throw new InvalidReferenceError(text, 'repository name must be lowercase');
  let parts: ReferenceParts;
  try {
    parts = parseReferenceParts(`${domain}/${remainder}`);
  } catch (error) {
    if (error instanceof InvalidReferenceError) throw new InvalidReferenceError(text, error.reason);
    throw error;
  }
  return new Reference(parts.domain ?? domain, parts.path, parts.tag, parts.digest);
}

/** Whether text is an image reference (a name an archive or a lock gives, read as untrusted). */
export function isReference(text: string): boolean {
  try {
    parseReference(text);
    return true;
  } catch {
    return false;
  }
}

/** The short form Docker shows: `nginx:1.25` for `docker.io/library/nginx:1.25`. */
export function familiarName(reference: ImageReference): string {
  let name = reference.name;
  if (reference.registry === dockerHub) {
    name = reference.repository;
    if (name.startsWith(officialRepoPrefix) && !name.slice(officialRepoPrefix.length).includes('/')) {
      name = name.slice(officialRepoPrefix.length);
    }
  }
  return referenceText(name, reference.tag, reference.digest);
}

/**
 * Checks a repository name with no tag or digest, such as a default repo (`gcr.io/project`) or a
 * registry alone (`localhost:5000`), and returns why it is not one, or undefined.
 */
export function repositoryNameError(text: string): string | undefined {
  if (text === '') return 'repository name must have at least one component';
  const slash = text.indexOf('/');
  const first = slash === -1 ? text : text.slice(0, slash);
  const rest = slash === -1 ? '' : text.slice(slash + 1);
  if (!anchoredDomain.test(first)) return 'invalid reference format';
  if (slash === -1) return undefined;
  if (!anchoredRemoteName.test(rest)) {
    return anchoredRemoteName.test(rest.toLowerCase()) ? 'repository name must be lowercase' : 'invalid reference format';
  }
  if (rest.length > maxPathLength) return `repository name must not be more than ${maxPathLength} characters`;
  return undefined;
}

/** The repository a reference names. */
export function repositoryOf(reference: string): Repository {
  const { registry, repository } = parseReference(reference);
  return new Repository(registry, repository);
}
