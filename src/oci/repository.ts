// A registry's repository as a value, the way every module names one: its key (`registry/path`) and the
// references inside it. Docker Hub's other names are spelled here once.

/** Docker Hub as references name it. */
export const dockerHub = 'docker.io';
/** The host older references and Docker's config name Docker Hub by. */
export const dockerHubLegacy = 'index.docker.io';
/** The host that answers Docker Hub's registry API. */
export const dockerHubApi = 'registry-1.docker.io';
/** The key Docker's config.json keeps Docker Hub's credentials under. */
export const dockerHubConfigKey = 'https://index.docker.io/v1/';

/** A registry host as references name it: Docker Hub's aliases are `docker.io`. */
export function canonicalRegistry(host: string): string {
  return host === dockerHubLegacy || host === dockerHubApi ? dockerHub : host;
}

/** The host that answers a registry's API (Docker Hub's is not `docker.io`). */
export function apiHostOf(registry: string): string {
  return registry === dockerHub ? dockerHubApi : registry;
}

export class Repository {
  /** `registry/repository`: what identifies the repository in maps and messages. */
  readonly key: string;
  constructor(
    readonly registry: string,
    /** The path inside the registry, `library/nginx` for `nginx`. */
    readonly repository: string,
  ) {
    this.key = `${registry}/${repository}`;
  }
  static of(where: { readonly registry: string; readonly repository: string }): Repository {
    return where instanceof Repository ? where : new Repository(where.registry, where.repository);
  }
  withTag(tag: string): string {
    return `${this.key}:${tag}`;
  }
  withDigest(digest: string): string {
    return `${this.key}@${digest}`;
  }
}
