// The registry's origin, and every URL it hands back (redirects, upload Locations): a request to
// another origin carries no Authorization, and `http://` is refused unless that host is listed as
// insecure. Each decision is told once, so the log shows where data went without repeating it.

export interface OriginDecision {
  /** The URL's origin is the registry's own. */
  readonly sameOrigin: boolean;
  readonly headers: Readonly<Record<string, string>>;
}

export class OriginPolicy {
  private readonly told = new Set<string>();

  constructor(
    readonly registry: string,
    private readonly insecureHosts: readonly string[],
    private readonly onDecision: (message: string) => void = () => undefined,
  ) {}

  private tell(key: string, message: string): void {
    if (this.told.has(key)) return;
    this.told.add(key);
    this.onDecision(message);
  }

  /**
   * What a request to `url` may carry, given the registry's own origin. Throws for plain HTTP to a
   * host that is not listed as insecure.
   */
  decide(url: URL, registryOrigin: string, headers: Readonly<Record<string, string>>, why: string): OriginDecision {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new Error(`${this.registry} ${why} to ${url.protocol} ${url.host}: only HTTPS (or HTTP to an insecure registry) is followed`);
    }
    if (url.protocol === 'http:' && !this.insecureHosts.includes(url.host)) {
      throw new Error(
        `${this.registry} ${why} to http://${url.host}, which is not listed in insecure-registries: ferry does not send data or credentials there in the clear`,
      );
    }
    if (url.origin === registryOrigin) return { sameOrigin: true, headers };
    const kept = Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'));
    this.tell(`${why} ${url.origin}`, `${this.registry} ${why} to another origin, ${url.origin}: requests there carry no credentials`);
    return { sameOrigin: false, headers: kept };
  }
}
