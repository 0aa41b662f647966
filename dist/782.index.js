export const id = 782;
export const ids = [782];
export const modules = {

/***/ 64593:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BM: () => (/* binding */ maxManifestsPerImage),
/* harmony export */   Mw: () => (/* binding */ maxDepth),
/* harmony export */   rq: () => (/* binding */ maxManifestBytes),
/* harmony export */   vk: () => (/* binding */ maxReferrers)
/* harmony export */ });
// How large a manifest may be, wherever it is read from (a registry, an archive, the blob store):
// distribution refuses manifests over 4 MiB, and so does ferry, before reading further.
const maxManifestBytes = 4 * 1024 * 1024;
/** What travels with one manifest, at most (its referrers, or its referrers and digest tags): a source answering more is refused, not followed. */
const maxReferrers = 1000;
/** Bounds on what one image may hold, what travels with it included, against a source that never ends: indexes nested this deep. */
const maxDepth = 8;
/** Manifests one image holds, and artifacts that travel with it, at most. */
const maxManifestsPerImage = 10_000;


/***/ }),

/***/ 51782:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  openRegistries: () => (/* binding */ openRegistries)
});

// EXTERNAL MODULE: ./node_modules/@actions/exec/lib/exec.js + 3 modules
var exec = __webpack_require__(27187);
;// CONCATENATED MODULE: ./src/registry/credential-helper.ts
// Credential helpers (`docker-credential-<name> get`) as Docker runs them: the server URL on stdin, a
// JSON answer on stdout, and whatever they print treated as a secret.

/** Lines shorter than this are not masked one by one: a mask of "error" would hide that word in every later line. */
const minMaskedLine = 6;
/** A helper's output, masked whole and line by line: what it printed could be the secret whatever the format. */
function maskOutput(text, onSecret) {
    const whole = text.trim();
    if (whole === '')
        return;
    onSecret(whole);
    for (const line of whole.split(/\r?\n/))
        if (line.trim().length >= minMaskedLine)
            onSecret(line.trim());
}
/**
 * Runs a real `docker-credential-*` program; "credentials not found" is no credential, not an error.
 * Its output is never quoted in a message: a helper that printed its secret outside JSON, or beside an
 * error, would otherwise have it in the log.
 */
const execHelper = async (helper, serverUrl, onSecret) => {
    const program = `docker-credential-${helper}`;
    const result = await (0,exec/* getExecOutput */.H)(program, ['get'], { input: Buffer.from(serverUrl), silent: true, ignoreReturnCode: true });
    maskOutput(result.stdout, onSecret);
    if (result.exitCode !== 0) {
        if (/credentials not found/i.test(result.stdout + result.stderr))
            return undefined;
        throw new Error(`${program} get ${serverUrl} failed (exit ${result.exitCode}); what it printed is not shown, since a helper's output can hold its secret`);
    }
    let answer;
    try {
        answer = JSON.parse(result.stdout);
    }
    catch {
        answer = undefined;
    }
    const { Username, Secret } = (typeof answer === 'object' && answer !== null ? answer : {});
    const bad = (value) => value !== undefined && typeof value !== 'string';
    if (typeof answer !== 'object' || answer === null || Array.isArray(answer) || bad(Username) || bad(Secret)) {
        throw new Error(`${program} get ${serverUrl} printed ${result.stdout.length} characters that are not a credential (a JSON object with Username and Secret); they are not shown, since a helper's output can hold its secret`);
    }
    return { Username: Username ?? '', Secret: Secret ?? '' };
};

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/oci/repository.ts
var repository = __webpack_require__(40405);
// EXTERNAL MODULE: ./src/reference.ts
var src_reference = __webpack_require__(98286);
;// CONCATENATED MODULE: ./src/registry/glob.ts
// Go's path.Match for one DNS label (no separators occur in a label): `*`, `?`, `[...]` with `^` and
// ranges, `\` escapes. A malformed pattern matches nothing, as the kubelet ignores Match's error.
/** One character of a class, escapes resolved; `-` and `]` must be escaped there (Go's getEsc). */
function classCharacter(pattern, index) {
    let character = pattern[index];
    if (character === undefined || character === '-' || character === ']')
        return undefined;
    if (character === '\\') {
        character = pattern[index + 1];
        if (character === undefined)
            return undefined;
        index++;
    }
    return [character, index + 1];
}
const escapeClass = (character) => `\\u{${character.codePointAt(0)?.toString(16)}}`;
function classToRegExp(pattern, start) {
    let index = start + 1;
    const negated = pattern[index] === '^';
    if (negated)
        index++;
    let body = '';
    for (let ranges = 0;; ranges++) {
        if (pattern[index] === ']' && ranges > 0)
            return [`[${negated ? '^' : ''}${body}]`, index + 1];
        const low = classCharacter(pattern, index);
        if (low === undefined)
            return undefined;
        index = low[1];
        let high = low;
        if (pattern[index] === '-') {
            const end = classCharacter(pattern, index + 1);
            if (end === undefined)
                return undefined;
            high = end;
            index = end[1];
        }
        // Go accepts a reversed range and it matches nothing; a regular expression would refuse it.
        body += high[0] < low[0] ? '' : `${escapeClass(low[0])}-${escapeClass(high[0])}`;
    }
}
function globToRegExp(pattern) {
    let source = '';
    for (let index = 0; index < pattern.length;) {
        const character = pattern[index];
        if (character === '*') {
            source += '.*';
            index++;
        }
        else if (character === '?') {
            source += '.';
            index++;
        }
        else if (character === '[') {
            const converted = classToRegExp(pattern, index);
            if (converted === undefined)
                return undefined;
            source += converted[0];
            index = converted[1];
        }
        else {
            let literal = character;
            if (character === '\\') {
                literal = pattern[index + 1] ?? '';
                if (literal === '')
                    return undefined;
                index++;
            }
            source += literal.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
            index++;
        }
    }
    return new RegExp(`^${source}$`, 'su');
}
function globMatches(pattern, text) {
    return globToRegExp(pattern)?.test(text) ?? false;
}

;// CONCATENATED MODULE: ./src/registry/credential-keys.ts
// Which keys of a config.json `auths` map apply to an image: the kubelet's rules (glob hosts, path
// prefixes, the most specific first) and Docker's (the key's host is the registry's).



/** `host[:port]` and path of a schemeless URL, as Go's url.Parse("https://" + text) splits them. */
function splitSchemeless(text) {
    const slash = text.indexOf('/');
    return slash === -1 ? { host: text, path: '' } : { host: text.slice(0, slash), path: text.slice(slash) };
}
/** The kubelet's key for a config.json entry: scheme dropped, `/v1/` and `/v2/` equal to the host alone. */
function kubeletKey(key) {
    const { host, path: keyPath } = splitSchemeless(key.replace(/^https?:\/\//, ''));
    const effective = keyPath.startsWith('/v2/') || keyPath.startsWith('/v1/') ? keyPath.slice(3) : keyPath;
    return effective.length > 0 && effective !== '/' ? host + effective : host;
}
function splitHostPort(host) {
    const bracketed = /^\[([^\]]*)\](?::(\d*))?$/.exec(host);
    if (bracketed)
        return { labels: [bracketed[1] ?? ''], port: bracketed[2] ?? '' };
    const colon = host.lastIndexOf(':');
    const hasPort = colon !== -1 && host.indexOf(':') === colon;
    return hasPort ? { labels: host.slice(0, colon).split('.'), port: host.slice(colon + 1) } : { labels: host.split('.'), port: '' };
}
/** The kubelet's URLsMatch: same port, same number of labels each matching its glob, path a prefix. */
function kubeletKeyMatches(key, image) {
    const glob = splitSchemeless(key);
    const target = splitSchemeless(image);
    const globHost = splitHostPort(glob.host);
    const targetHost = splitHostPort(target.host);
    if (globHost.port !== targetHost.port || globHost.labels.length !== targetHost.labels.length)
        return false;
    if (!target.path.startsWith(glob.path))
        return false;
    return globHost.labels.every((label, index) => globMatches(label, targetHost.labels[index] ?? ''));
}
/**
 * The keys of a config.json `auths` map whose credentials apply to `image`, in the order the kubelet
 * tries them: the image normalized (`nginx` is `docker.io/library/nginx`), keys reverse-sorted so the
 * most specific path comes first, and Docker Hub's `index.docker.io` key as the fallback for Hub images.
 */
function matchCredentials(auths, image) {
    const target = (0,src_reference/* parseReference */.F2)(image).name;
    const byKey = new Map();
    for (const original of Object.keys(auths)) {
        const key = kubeletKey(original);
        byKey.set(key, [...(byKey.get(key) ?? []), original]);
    }
    const index = [...byKey.keys()].sort().reverse();
    const matched = index.filter((key) => kubeletKeyMatches(key, target)).flatMap((key) => byKey.get(key) ?? []);
    if (matched.length > 0)
        return matched;
    const firstComponent = target.split('/')[0];
    const isHubImage = firstComponent === repository/* dockerHub */.UD || firstComponent === repository/* dockerHubLegacy */.x3;
    return isHubImage ? (byKey.get(repository/* dockerHubLegacy */.x3) ?? []) : [];
}
/** Docker's ResolveAuthConfig: keys whose host (scheme and path dropped) is the registry's. */
function dockerHostKeys(auths, registry) {
    const wanted = registry === repository/* dockerHub */.UD ? repository/* dockerHubLegacy */.x3 : registry;
    return Object.keys(auths).filter((key) => splitSchemeless(key.replace(/^https?:\/\//, '')).host === wanted);
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: ./src/workspace.ts
var workspace = __webpack_require__(63338);
;// CONCATENATED MODULE: ./src/registry/docker-config.ts
// Docker's config.json (and podman's auth.json) read as untrusted files: bounded, never quoted in a
// message (it holds passwords), and what each part of it means.



/** A credentials file is small; a larger one (or a link to /dev/zero) is refused. */
const maxDockerConfigBytes = 1024 * 1024;
/**
 * Where JSON.parse stopped, as line and column: its own message quotes the text around the error,
 * which in a credentials file is a password, so only the position is kept.
 */
function jsonErrorPosition(text, error) {
    const offset = Number(/position (\d+)/.exec(String(error.message))?.[1]);
    if (!Number.isFinite(offset))
        return 'not valid JSON';
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    return `not valid JSON at line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}
function readConfig(file) {
    if (!(0,external_node_fs_.existsSync)(file))
        return undefined;
    const text = (0,workspace/* readRegularFile */.XF)(file, maxDockerConfigBytes, 'docker config').toString('utf8');
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch (error) {
        // No cause on purpose: JSON.parse's message quotes the file's text, passwords included.
        // eslint-disable-next-line preserve-caught-error
        throw new Error(`${file}: ${jsonErrorPosition(text, error)}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error(`${file}: not a Docker config.json (not an object)`);
    return parsed;
}
/** The user and password inside an `auth` value (base64 of user:password), if it holds them. */
function decodeAuth(auth) {
    const decoded = Buffer.from(auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon === -1 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
/** The credential helper config.json names for a registry (Docker Hub also under its legacy host). */
function helperFor(config, registry) {
    return config.credHelpers?.[registry] ?? (registry === repository/* dockerHub */.UD ? config.credHelpers?.[repository/* dockerHubLegacy */.x3] : undefined);
}
/** The server URL a credential helper is asked about for a registry (Docker Hub's is its legacy URL). */
function serverUrlOf(registry) {
    return registry === repository/* dockerHub */.UD ? repository/* dockerHubConfigKey */.$X : registry;
}

;// CONCATENATED MODULE: ./src/registry/credentials.ts
// Registry credentials the way Docker and Kubernetes read them: config.json `auths` (exact host keys
// and the kubelet's glob and path-prefix keys), credential helpers, and podman's REGISTRY_AUTH_FILE.



class CredentialStore {
    sources = [];
    cache = new Map();
    /** Every secret this store has read, so that text a registry sends back can be cleaned of them. */
    secrets = new Set();
    options;
    constructor(given) {
        this.options = {
            ...given,
            onSecret: (secret) => {
                this.secrets.add(secret);
                given.onSecret(secret);
            },
        };
        const options = this.options;
        const dockerFile = external_node_path_default().join(options.dockerConfigDir, 'config.json');
        const docker = readConfig(dockerFile);
        if (docker)
            this.sources.push({ name: dockerFile, config: docker });
        const auth = options.authFile === undefined ? undefined : readConfig(options.authFile);
        if (auth && options.authFile)
            this.sources.push({ name: options.authFile, config: auth });
        for (const { config } of this.sources) {
            for (const entry of Object.values(config.auths ?? {})) {
                if (typeof entry !== 'object' || entry === null)
                    continue;
                const password = typeof entry.auth === 'string' ? decodeAuth(entry.auth)?.password : undefined;
                for (const secret of [entry.auth, password, entry.password, entry.identitytoken, entry.registrytoken])
                    if (typeof secret === 'string' && secret !== '')
                        options.onSecret(secret);
            }
        }
    }
    fromEntry(source, entry) {
        let { username, password } = entry;
        if (entry.auth) {
            const decoded = decodeAuth(entry.auth);
            if (decoded === undefined)
                throw new Error(`${source}: auth is not base64 of user:password`);
            ({ username, password } = decoded);
        }
        const credential = {
            source,
            ...(username ? { username } : {}),
            ...(password ? { password } : {}),
            ...(entry.identitytoken ? { identityToken: entry.identitytoken } : {}),
            ...(entry.registrytoken ? { registryToken: entry.registrytoken } : {}),
        };
        return Object.keys(credential).length > 1 ? credential : undefined;
    }
    async fromHelper(helper, serverUrl) {
        const answer = await this.options.runHelper(helper, serverUrl, this.options.onSecret);
        if (answer === undefined || answer.Secret === '')
            return undefined;
        this.options.onSecret(answer.Secret);
        const source = `docker-credential-${helper} (${serverUrl})`;
        return answer.Username === '<token>'
            ? { source, identityToken: answer.Secret }
            : { source, username: answer.Username, password: answer.Secret };
    }
    /** Every credential for any repository of a registry: helpers, and `auths` keys whose host is the registry's. */
    anyFor(registry) {
        return this.collect(registry, (auths) => Object.keys(auths).filter((key) => kubeletKeyMatches(splitSchemeless(kubeletKey(key)).host, registry)), false);
    }
    /** Every credential that applies to a repository, in the order they are tried; empty means anonymous. */
    lookup(registry, repository) {
        const cacheKey = `${registry}/${repository}`;
        let found = this.cache.get(cacheKey);
        if (found === undefined) {
            found = this.collect(registry, (auths) => matchCredentials(auths, cacheKey), true);
            this.cache.set(cacheKey, found);
        }
        return found;
    }
    /**
     * Each config's credentials for a registry, as Docker tries them: its helper, the `auths` keys that
     * `keysOf` picks and those whose host is the registry's (with `storePerKey`, the credsStore asked
     * for a key that holds none, as Docker does for a pull), and the credsStore when nothing else names
     * the registry.
     */
    async collect(registry, keysOf, storePerKey) {
        const credentials = [];
        const add = (credential) => {
            if (credential !== undefined)
                credentials.push(credential);
        };
        const serverUrl = serverUrlOf(registry);
        for (const { name, config } of this.sources) {
            const helper = helperFor(config, registry);
            if (helper)
                add(await this.fromHelper(helper, serverUrl));
            const auths = config.auths ?? {};
            const keys = keysOf(auths);
            for (const key of dockerHostKeys(auths, registry))
                if (!keys.includes(key))
                    keys.push(key);
            for (const key of keys) {
                const credential = this.fromEntry(`${name} auths["${key}"]`, auths[key] ?? {});
                if (credential === undefined && storePerKey && config.credsStore)
                    add(await this.fromHelper(config.credsStore, key));
                else
                    add(credential);
            }
            if (keys.length === 0 && !helper && config.credsStore)
                add(await this.fromHelper(config.credsStore, serverUrl));
        }
        return credentials;
    }
}

// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(41692);
// EXTERNAL MODULE: ./src/registry/undici.ts
var undici = __webpack_require__(90199);
;// CONCATENATED MODULE: ./src/registry/challenge.ts
// WWW-Authenticate (RFC 7235): one or more challenges, each a scheme with auth-params.
const token = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;
/**
 * Parses every challenge of one or more WWW-Authenticate header values. Quoted values may hold
 * commas and escaped quotes; several challenges may share one header, separated by commas.
 */
function parseChallenges(headers) {
    const values = headers === undefined ? [] : typeof headers === 'string' ? [headers] : headers;
    const challenges = [];
    for (const value of values) {
        let rest = value;
        let current;
        while (rest.length > 0) {
            rest = rest.replace(/^[\s,]+/, '');
            const name = token.exec(rest)?.[0];
            if (name === undefined)
                break;
            const after = rest.slice(name.length);
            const param = /^\s*=\s*/.exec(after);
            if (param === null || current === undefined) {
                // A token not followed by '=' starts a new challenge.
                current = { scheme: name.toLowerCase(), params: {} };
                challenges.push(current);
                rest = after;
                continue;
            }
            rest = after.slice(param[0].length);
            let paramValue;
            if (rest.startsWith('"')) {
                let index = 1;
                paramValue = '';
                while (index < rest.length && rest[index] !== '"') {
                    if (rest[index] === '\\' && index + 1 < rest.length)
                        index++;
                    paramValue += rest[index];
                    index++;
                }
                rest = rest.slice(index + 1);
            }
            else {
                paramValue = /^[^,\s]*/.exec(rest)?.[0] ?? '';
                rest = rest.slice(paramValue.length);
            }
            current.params[name.toLowerCase()] = paramValue;
        }
    }
    return challenges;
}

// EXTERNAL MODULE: ./src/registry/errors.ts
var errors = __webpack_require__(6764);
;// CONCATENATED MODULE: ./src/registry/exchange.ts

function header(response, name) {
    const value = response.headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
}
/** Rejects as soon as `signal` aborts, whatever `work` is waiting for (undici does not abort a TLS handshake). */
function untilAborted(work, signal) {
    if (signal === undefined)
        return work;
    if (signal.aborted) {
        work.catch(() => undefined);
        return Promise.reject(signal.reason);
    }
    return new Promise((resolve, reject) => {
        const abort = () => reject(signal.reason);
        signal.addEventListener('abort', abort, { once: true });
        work.then((value) => {
            signal.removeEventListener('abort', abort);
            resolve(value);
        }, (error) => {
            signal.removeEventListener('abort', abort);
            reject(error);
        });
    });
}
async function exchange(req, dispatcher, userAgent) {
    const pending = (0,undici/* request */.Em)(req.url, {
        method: req.method,
        headers: { 'user-agent': userAgent, ...req.headers },
        body: req.body?.(),
        dispatcher,
        // undici closes the connection after every HEAD unless told otherwise (against servers that send a
        // body after all), and a re-run is mostly HEADs: each would pay a new connection, a round trip more
        // (three with TLS). Registries answer HEAD as HTTP says; should one not, its stray bytes either
        // arrive on an idle connection (undici drops it) or spoil the next answer on it, which fails as
        // unparsable and is sent again on a new connection (retry.ts).
        ...(req.method === 'HEAD' ? { reset: false } : {}),
        ...(req.signal === undefined ? {} : { signal: req.signal }),
    });
    const response = await untilAborted(pending, req.signal);
    return { status: response.statusCode, headers: response.headers, body: response.body, url: req.url };
}
/** The body, up to `limit` bytes; more (declared or sent) fails without reading further. */
async function readBody(response, limit, fail) {
    const declared = Number(header(response, 'content-length'));
    if (Number.isFinite(declared) && declared > limit) {
        response.body.destroy();
        throw fail(`${declared} bytes is more than the ${limit} ferry reads`);
    }
    const chunks = [];
    let total = 0;
    for await (const chunk of response.body) {
        total += chunk.length;
        if (total > limit) {
            response.body.destroy();
            throw fail(`more than the ${limit} bytes ferry reads`);
        }
        chunks.push(chunk);
    }
    return Buffer.concat(chunks);
}
/** The start of a body as text (an error message), never more than `limit` bytes of it. */
async function readText(response, limit) {
    const chunks = [];
    let total = 0;
    try {
        for await (const chunk of response.body) {
            const buffer = chunk;
            chunks.push(buffer.subarray(0, Math.max(0, limit - total)));
            total += buffer.length;
            if (total >= limit)
                break;
        }
    }
    catch {
        // what arrived is what there is
    }
    finally {
        response.body.destroy();
    }
    return Buffer.concat(chunks).toString('utf8');
}
/** Discards a body without reading an endless one. */
async function discard(response) {
    await response.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
}

// EXTERNAL MODULE: ./src/registry/retry.ts + 1 modules
var retry = __webpack_require__(88300);
;// CONCATENATED MODULE: ./src/registry/auth.ts
// Answers a registry's 401: Basic credentials, or Bearer tokens from the realm it names (anonymous,
// with basic credentials, or by OAuth2 refresh token), cached per credential and scope. Each
// credential that applies is tried in turn before ferry gives up.




function scopeText(scope) {
    return `repository:${scope.repository}:${scope.actions.join(',')}`;
}
const clientId = 'ferry';
/** A token answer is small; a larger one is refused without reading it. */
const maxTokenBytes = 1024 * 1024;
/** A token is taken to end this long before it says: a tenth of its life, at most 10 s (a 1 s token is still used for 0.9 s). */
const expiryMarginMs = (lifetimeMs) => Math.min(10_000, lifetimeMs / 10);
function basic(username, password) {
    return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}
class Authenticator {
    options;
    tokens = new Map();
    challenge;
    constructor(options) {
        this.options = options;
    }
    /** Whether a 401 has told ferry how this registry wants to be authenticated. */
    get challenged() {
        return this.challenge !== undefined;
    }
    /** The Authorization header to send with a credential, from the cache or fetched; undefined for none. */
    async authorization(credential, scopes, refresh = false) {
        const challenge = this.challenge;
        if (challenge === undefined)
            return undefined;
        if (challenge.scheme === 'basic') {
            if (credential?.username === undefined || credential.password === undefined)
                return undefined;
            return basic(credential.username, credential.password);
        }
        if (challenge.scheme !== 'bearer') {
            throw new errors/* RegistryError */.gl({ registry: this.options.host.registry, operation: 'authenticate' }, `unsupported auth scheme ${challenge.scheme}`);
        }
        if (credential?.registryToken !== undefined)
            return `Bearer ${credential.registryToken}`;
        const key = `${credential?.source ?? 'anonymous'}\n${scopes.map(scopeText).join(' ')}`;
        const cached = this.tokens.get(key);
        if (!refresh && cached !== undefined && cached.expires > Date.now())
            return `Bearer ${cached.value}`;
        const token = await this.fetchToken(challenge, credential, scopes);
        this.tokens.set(key, token);
        return `Bearer ${token.value}`;
    }
    /** Takes the challenge of a 401 answer; true when it is one ferry can answer. */
    takeChallenge(wwwAuthenticate) {
        const challenges = parseChallenges(wwwAuthenticate);
        const chosen = challenges.find((challenge) => challenge.scheme === 'bearer') ?? challenges.find((challenge) => challenge.scheme === 'basic');
        if (chosen === undefined)
            return false;
        this.challenge = chosen;
        return true;
    }
    realmUrl(challenge, scopes) {
        const registry = this.options.host.registry;
        const realm = challenge.params.realm;
        if (!realm)
            throw new errors/* RegistryError */.gl({ registry, operation: 'authenticate' }, 'the Bearer challenge names no realm');
        let url;
        try {
            url = new URL(realm);
        }
        catch {
            throw new errors/* RegistryError */.gl({ registry, operation: 'authenticate' }, 'the Bearer challenge names a realm that is not a URL');
        }
        if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.options.insecureRegistries.includes(url.host))) {
            throw new errors/* RegistryError */.gl({ registry, operation: 'authenticate' }, `the token realm ${url.origin} is not HTTPS: list ${url.host} in insecure-registries if credentials may be sent to it in the clear`);
        }
        if (challenge.params.service)
            url.searchParams.set('service', challenge.params.service);
        for (const scope of scopes)
            url.searchParams.append('scope', scopeText(scope));
        return url;
    }
    async fetchToken(challenge, credential, scopes) {
        const registry = this.options.host.registry;
        const url = this.realmUrl(challenge, scopes);
        const host = this.options.host;
        let response;
        if (credential?.identityToken !== undefined) {
            const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credential.identityToken, client_id: clientId });
            if (challenge.params.service)
                form.set('service', challenge.params.service);
            if (scopes.length > 0)
                form.set('scope', scopes.map(scopeText).join(' '));
            response = await host.sendToRealm({
                method: 'POST',
                url: `${url.origin}${url.pathname}`,
                headers: { 'content-type': 'application/x-www-form-urlencoded' },
                body: () => Buffer.from(form.toString()),
            });
            if (response.status === 404 || response.status === 405) {
                // Not every token server speaks OAuth2; the GET form works on all of them.
                await discard(response);
                response = undefined;
            }
        }
        if (response === undefined) {
            const headers = {};
            if (credential?.username !== undefined && credential.password !== undefined)
                headers.authorization = basic(credential.username, credential.password);
            else if (credential?.identityToken !== undefined)
                headers.authorization = basic('<token>', credential.identityToken);
            response = await host.sendToRealm({ method: 'GET', url: url.toString(), headers });
        }
        if (response.status !== 200) {
            const text = await readText(response, errors/* maxErrorBodyBytes */.W2);
            const retryAfter = (0,retry/* parseRetryAfter */.mu)([response.headers['retry-after']].flat()[0]);
            throw new errors/* RegistryError */.gl({ registry, operation: 'get token', status: response.status, retryAfterMs: retryAfter }, `the token server refused ${credential?.source ?? 'anonymous access'} (${response.status}: ${(0,errors/* describeErrorBody */.ut)(text, this.options.redactor).message || 'no reason given'})`);
        }
        const bytes = await readBody(response, maxTokenBytes, (reason) => new errors/* RegistryError */.gl({ registry, operation: 'get token' }, `the token answer is too large: ${reason}`));
        let body;
        try {
            body = JSON.parse(bytes.toString('utf8'));
        }
        catch {
            throw new errors/* RegistryError */.gl({ registry, operation: 'get token' }, 'the token server answered with something that is not JSON');
        }
        const value = typeof body.token === 'string' ? body.token : typeof body.access_token === 'string' ? body.access_token : undefined;
        if (!value)
            throw new errors/* RegistryError */.gl({ registry, operation: 'get token' }, 'the token server answered without a token');
        this.options.onSecret(value);
        const lifetimeMs = (typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 60) * 1000;
        return { value, expires: Date.now() + lifetimeMs - expiryMarginMs(lifetimeMs) };
    }
}

;// CONCATENATED MODULE: ./src/registry/authorize.ts


class Authorizer {
    host;
    auth;
    credentials;
    guard;
    /** The credential that last worked, per repository, so the next request starts with it. */
    working = new Map();
    guarded;
    constructor(host, auth, credentials, 
    /** Runs once before the first request; its refusal fails every operation. */
    guard) {
        this.host = host;
        this.auth = auth;
        this.credentials = credentials;
        this.guard = guard;
    }
    static scopes(repository, actions, mountFrom) {
        const scopes = [{ repository, actions }];
        if (mountFrom !== undefined && mountFrom !== repository)
            scopes.push({ repository: mountFrom, actions: ['pull'] });
        return scopes;
    }
    error(operation, repository, reason, status, cause) {
        return new errors/* RegistryError */.gl({ registry: this.host.registry, repository, operation, status, retriable: false }, reason, cause === undefined ? undefined : { cause });
    }
    async send(operation, scopes, request) {
        if (this.guard !== undefined)
            await (this.guarded ??= this.guard());
        const repository = scopes[0]?.repository ?? '';
        const candidates = await this.credentials.lookup(this.host.registry, repository);
        if (candidates.length === 0)
            candidates.push(undefined);
        if (!this.auth.challenged)
            this.auth.takeChallenge((await this.host.base()).challenge);
        let index = Math.min(this.working.get(repository) ?? 0, candidates.length - 1);
        let refresh = false;
        let refused = 'anonymous access';
        for (let round = 0; round < 2 * candidates.length + 2; round++) {
            const credential = candidates[index];
            const challenged = this.auth.challenged;
            let authorization;
            try {
                authorization = await this.auth.authorization(credential, scopes, refresh);
            }
            catch (error) {
                // The token server refused this credential: the next one may do.
                if (!(error instanceof errors/* RegistryError */.gl) || (error.status !== 401 && error.status !== 403))
                    throw error;
                if (index + 1 >= candidates.length)
                    throw this.error(operation, repository, `authentication failed: ${error.reason}`, error.status, error);
                index++;
                refresh = false;
                continue;
            }
            const response = await this.host.send({ ...request, headers: { ...request.headers, ...(authorization ? { authorization } : {}) } });
            if (response.status !== 401) {
                this.working.set(repository, index);
                return response;
            }
            await discard(response);
            // A challenge counts only from the registry's own origin: a redirect target (a CDN, or a host a
            // hostile registry names) that answers 401 would otherwise choose where the credentials go.
            const registryOrigin = new URL((await this.host.base()).base).origin;
            const answered = new URL(response.url).origin;
            if (answered !== registryOrigin) {
                throw this.error(operation, repository, `401 from ${new URL(response.url).host}, where ${this.host.registry} redirected the request: a challenge counts only from the registry itself, so no credential was sent there`, 401);
            }
            if (!this.auth.takeChallenge(response.headers['www-authenticate'])) {
                throw this.error(operation, repository, '401 without a challenge ferry can answer', 401);
            }
            refused = credential?.source ?? 'anonymous access';
            if (!challenged)
                continue;
            if (authorization !== undefined && !refresh) {
                refresh = true;
                continue;
            }
            if (index + 1 >= candidates.length)
                break;
            index++;
            refresh = false;
        }
        throw this.error(operation, repository, `authentication failed: the registry refused ${refused}`, 401);
    }
}

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: ./src/oci/digest.ts
var oci_digest = __webpack_require__(68825);
;// CONCATENATED MODULE: ./src/registry/blob-read.ts
// A blob read from a registry: a stream verified against its digest (and size) as it passes, a
// connection lost mid-body or a body that stalls picked up where it stopped with a Range request; and
// the HEAD that asks whether a repository has a blob.





const defaultProgressRule = { bytes: 16 * 1024, windowMs: 30_000 };
/** How far a cut try must have moved the body for the tries to be counted afresh. */
const progressResetBytes = 1024 * 1024;
/**
 * Fails a body that trickles: less than `rule.bytes` in any `rule.windowMs`. A window in which the
 * reader held the body (it had enough for now) is not counted: the server was not the slow one.
 */
class ProgressWatch {
    moved = 0;
    held = false;
    timer;
    constructor(rule, stall, holding) {
        this.timer = setInterval(() => {
            if (this.moved < rule.bytes && !this.held && !holding())
                stall();
            this.moved = 0;
            this.held = false;
        }, rule.windowMs);
        this.timer.unref();
    }
    add(bytes) {
        this.moved += bytes;
    }
    hold() {
        this.held = true;
    }
    stop() {
        clearInterval(this.timer);
    }
}
class BlobReader {
    api;
    rule;
    constructor(api, rule = defaultProgressRule) {
        this.api = api;
        this.rule = rule;
    }
    /** The blob's size when the repository has it, undefined when it does not. */
    async head(repository, digest) {
        const operation = `check blob ${digest}`;
        this.api.checkPath(operation, repository, digest);
        return this.api.retry(async () => {
            const response = await this.api.send(operation, this.api.pull(repository), {
                method: 'HEAD',
                url: `/v2/${repository}/blobs/${digest}`,
                followRedirects: true,
            });
            await discard(response);
            if (response.status === 404)
                return undefined;
            if (response.status !== 200)
                throw await this.api.failure(operation, repository, response);
            return Number(header(response, 'content-length'));
        });
    }
    /**
     * A blob's bytes as a stream, verified against its digest (and size, when known) as they pass. A
     * connection lost mid-body, or a body that stalls, is picked up where it stopped with a Range request.
     */
    read(repository, digest, size) {
        this.api.checkPath(`get blob ${digest}`, repository, digest);
        return new BlobStream(this.api, this.rule, repository, digest, size);
    }
}
/**
 * One blob's GETs as one stream: each try's body is read straight into it and checked as it passes,
 * with no stage between the socket and the reader (a blob's bytes are most of what a run moves).
 */
class BlobStream extends external_node_stream_.Readable {
    api;
    rule;
    repository;
    operation;
    check;
    /** The try under way's body, once it answers. */
    body;
    /** How far the blob has been passed on. */
    offset = 0;
    /** Why the blob is refused as it passes (more bytes than its size): no try mends that. */
    refused;
    /** Ends the request under way, or the wait for the next, when the reader leaves. */
    cancel = new AbortController();
    constructor(api, rule, repository, digest, size) {
        super();
        this.api = api;
        this.rule = rule;
        this.repository = repository;
        this.operation = `get blob ${digest}`;
        this.check = new oci_digest/* DigestCheck */.FL(digest, size);
        // The GET starts as the stream is made, as much as fits in it read before a reader comes: an upload
        // opens its blob while its session opens. A failure before then is kept for the reader, who finds the
        // stream errored; the listener only keeps it from ending the process while no one listens yet.
        this.on('error', () => undefined);
        this.tries().then(() => {
            if (this.destroyed)
                return;
            const reason = this.check.end();
            if (reason === undefined)
                this.push(null);
            else
                this.destroy(this.api.error(this.operation, this.repository, reason));
        }, (error) => this.destroy(error));
    }
    _read() {
        this.body?.resume();
    }
    _destroy(error, callback) {
        this.cancel.abort();
        this.body?.destroy();
        callback(error);
    }
    /** Tries until the body has been read to its end; throws why no further try is made. */
    async tries() {
        const { api, operation, repository, rule } = this;
        for (let attempt = 1; !this.destroyed; attempt++) {
            // A try that moves the body on is progress: the next one, if any, starts the count afresh.
            const startedAt = this.offset;
            let response;
            try {
                response = await api.send(operation, api.pull(repository), {
                    method: 'GET',
                    url: `/v2/${repository}/blobs/${this.check.digest}`,
                    headers: startedAt > 0 ? { range: `bytes=${startedAt}-` } : {},
                    followRedirects: true,
                    signal: this.cancel.signal,
                });
                if (response.status !== 200 && response.status !== 206)
                    throw await api.failure(operation, repository, response);
            }
            catch (error) {
                if (this.destroyed)
                    return;
                await (0,retry/* waitOut */.ak)((0,retry/* nextWait */.B4)(api.policy, api.deadline, error, (0,errors/* verdictOf */.Vj)(error), attempt), api.deadline, error, this.cancel.signal);
                continue;
            }
            if (this.destroyed) {
                // The reader left while the registry was answering: the body it would have read is not fetched
                // (undici fails a body cut short, and no one is left to hear it).
                response.body.on('error', () => undefined).destroy();
                return;
            }
            const watch = new ProgressWatch(rule, () => {
                const stalled = Object.assign(new Error(`less than ${rule.bytes} bytes in ${rule.windowMs / 1000} s`), {
                    code: 'FERRY_TOO_SLOW',
                });
                response.body.destroy(stalled);
            }, () => response.body.isPaused());
            try {
                // A server that ignores Range sends everything again: skip what was already passed on.
                await this.pass(response.body, response.status === 200 ? startedAt : 0, watch);
                return;
            }
            catch (error) {
                if (this.destroyed)
                    return;
                if (this.refused !== undefined)
                    throw this.refused;
                // The failure that ends the read: the deadline, or why no further try is made (a wait past the deadline).
                const failed = (final) => {
                    const reason = api.deadline.signal.aborted
                        ? `stopped at the run's deadline (${api.deadline.describe})`
                        : final.message;
                    return api.error(operation, repository, `the connection failed after ${this.offset} bytes: ${reason}`, {
                        cause: error,
                        retriable: final === error && (0,errors/* verdictOf */.Vj)(error).retriable,
                    });
                };
                let wait;
                try {
                    // A body cut mid-way carries no Retry-After: the wait is the back-off alone, and none at all
                    // when this try moved the body on (it is picked up at once where it stopped).
                    wait = (0,retry/* nextWait */.B4)(api.policy, api.deadline, error, { retriable: (0,errors/* verdictOf */.Vj)(error).retriable }, attempt);
                }
                catch (final) {
                    throw failed(final);
                }
                if (this.offset > startedAt) {
                    // A megabyte on is progress worth a fresh count of tries; a trickle is not (a server
                    // sending a byte per connection would otherwise never run out of them).
                    if (this.offset - startedAt >= progressResetBytes)
                        attempt = 0;
                    continue;
                }
                await (0,retry/* waitOut */.ak)(wait, api.deadline, error, this.cancel.signal).catch((final) => {
                    throw failed(final);
                });
            }
            finally {
                this.body = undefined;
                watch.stop();
            }
        }
    }
    /** One try's body into the stream, `skip` bytes first dropped; settles when the body ends or fails. */
    pass(body, skip, watch) {
        this.body = body;
        return new Promise((resolve, reject) => {
            body.on('data', (chunk) => {
                watch.add(chunk.length);
                let buffer = chunk;
                if (skip > 0) {
                    const dropped = Math.min(skip, buffer.length);
                    buffer = buffer.subarray(dropped);
                    skip -= dropped;
                }
                // Only the try under way passes bytes on, and only into a stream still read.
                if (buffer.length === 0 || this.body !== body || this.destroyed)
                    return;
                const reason = this.check.update(buffer);
                if (reason !== undefined) {
                    this.refused = this.api.error(this.operation, this.repository, reason);
                    body.destroy(this.refused);
                    return;
                }
                this.offset += buffer.length;
                if (!this.push(buffer)) {
                    body.pause();
                    watch.hold();
                }
            });
            (0,external_node_stream_.finished)(body, (error) => (error === undefined || error === null ? resolve() : reject(error)));
        });
    }
}

// EXTERNAL MODULE: ./src/oci/limits.ts
var limits = __webpack_require__(64593);
// EXTERNAL MODULE: ./src/oci/media-types.ts
var media_types = __webpack_require__(29217);
// EXTERNAL MODULE: ./src/untrusted-text.ts
var untrusted_text = __webpack_require__(38521);
;// CONCATENATED MODULE: ./src/registry/api.ts
// The distribution API of one registry as every operation uses it: a request sent with the scopes it
// needs (authorization, the limiter, the origin policy and redirects below), retried as a whole under
// the run's deadline, its failures as RegistryErrors naming the registry, repository and operation,
// and its JSON read with a bound. Manifests, blob reads, uploads and listings are built on this alone.







class RegistryApi {
    host;
    authorizer;
    redactor;
    registry;
    constructor(host, authorizer, redactor) {
        this.host = host;
        this.authorizer = authorizer;
        this.redactor = redactor;
        this.registry = host.registry;
    }
    /** The host that answers the API (Docker Hub's is not docker.io). */
    get apiHost() {
        return this.host.apiHost;
    }
    get policy() {
        return this.host.policy;
    }
    get deadline() {
        return this.host.deadline;
    }
    /** The base URL and first challenge, from the registry's ping. */
    async ping() {
        await this.host.base();
    }
    /**
     * What this run learned the registry does not do (a cross-repository mount, a manifest HEAD), each
     * said once and not asked of it again.
     */
    refused = new Set();
    refuses(what) {
        return this.refused.has(what);
    }
    /** Remembers that the registry refuses `what` for the rest of the run, and says so once (when there is something to say). */
    refuse(what, message) {
        if (this.refused.has(what))
            return;
        this.refused.add(what);
        if (message !== undefined)
            this.host.notice(message);
    }
    /** Tells the run something about this registry. */
    notice(message) {
        this.host.notice(message);
    }
    /** One request, authorized for `scopes`. */
    send(operation, scopes, request) {
        return this.authorizer.send(operation, scopes, request);
    }
    /** Runs `operation` again from the start while its failures are retriable, as the policy and deadline allow. */
    retry(operation) {
        return this.host.retry(operation);
    }
    pull(repository) {
        return Authorizer.scopes(repository, ['pull']);
    }
    error(operation, repository, reason, details = {}) {
        return new errors/* RegistryError */.gl({ registry: this.registry, repository, operation, status: details.status, codes: details.codes, retriable: details.retriable }, reason, details.cause === undefined ? undefined : { cause: details.cause });
    }
    /**
     * Refuses a repository, tag or digest that is not one before it is put into a URL: a manifest may
     * name anything (`sha256:../../v2/other/manifests/latest?x=`), and the registry would be asked for it.
     */
    checkPath(operation, repository, reference) {
        // The operation names what was asked for, which is what is refused here: one line of it.
        if (!src_reference/* anchoredRemoteName */.MB.test(repository) || repository.length > src_reference/* maxPathLength */.Op) {
            throw this.error((0,untrusted_text/* shortened */.vI)((0,untrusted_text/* oneLine */.TN)(operation), 200), undefined, `${(0,untrusted_text/* quoted */.TL)(repository, 100)} is not a repository name`);
        }
        if (reference === undefined)
            return;
        const reason = (0,oci_digest/* namesDigest */.zU)(reference) ? (0,oci_digest/* digestError */.DD)(reference) : src_reference/* anchoredTag */.xZ.test(reference) ? undefined : 'not a tag';
        if (reason !== undefined)
            throw this.error((0,untrusted_text/* shortened */.vI)((0,untrusted_text/* oneLine */.TN)(operation), 200), repository, `${(0,untrusted_text/* quoted */.TL)(reference, 100)} is not a tag or digest (${reason})`);
    }
    /** The registry's answer as an error: status, error codes, message (bounded, credentials removed) and Retry-After. */
    async failure(operation, repository, response) {
        const text = response.status === 204 ? '' : await readText(response, errors/* maxErrorBodyBytes */.W2);
        const { codes, message } = (0,errors/* describeErrorBody */.ut)(text, this.redactor);
        const retryAfterMs = (0,retry/* parseRetryAfter */.mu)(header(response, 'retry-after'));
        return new errors/* RegistryError */.gl({ registry: this.registry, repository, operation, status: response.status, codes, retryAfterMs }, `${response.status}${message ? ` ${message}` : ''}`);
    }
    /** A JSON body of at most `limit` bytes, and its bytes; a body that is not JSON is a RegistryError saying `what` it is not. */
    async readJson(operation, repository, response, limit, what) {
        const bytes = await readBody(response, limit, (reason) => this.error(operation, repository, reason));
        try {
            return { json: JSON.parse(bytes.toString('utf8')), bytes };
        }
        catch (error) {
            throw this.error(operation, repository, `${what} is not JSON`, { cause: error });
        }
    }
}

// EXTERNAL MODULE: ./src/oci/manifest.ts
var manifest = __webpack_require__(32060);
;// CONCATENATED MODULE: ./src/registry/listing.ts






const maxTagPages = 10_000;
/** Tags of one repository, at most: a registry paging on without end is refused, not followed. */
const maxTags = 1_000_000;
const maxReferrerPages = 100;
/** The next page a `Link` header names, kept on the registry: a path, or a URL the origin policy checks. */
function nextLink(link) {
    const next = /<([^>]+)>\s*;\s*rel="?next"?/.exec(link ?? '')?.[1];
    return next === undefined ? undefined : next.startsWith('/') || /^https?:/.test(next) ? next : `/${next}`;
}
class Listings {
    api;
    constructor(api) {
        this.api = api;
    }
    /**
     * The manifests whose subject is `digest`, through the referrers API (distribution spec v1.1), every
     * page; undefined when the registry has no referrers API (404), so the caller falls back to the tag schema.
     */
    async referrers(repository, digest) {
        const operation = `list referrers of ${digest}`;
        this.api.checkPath(operation, repository, digest);
        const found = [];
        const tooMany = () => this.api.error(operation, repository, `more than ${limits/* maxReferrers */.vk} referrers, the most ferry carries with one manifest`);
        const pages = new Set();
        let url = `/v2/${repository}/referrers/${digest}`;
        for (let page = 0; url !== undefined && page < maxReferrerPages; page++) {
            // A Link back to a page already read ends the list: a registry cannot make ferry read it forever.
            if (pages.has(url))
                break;
            pages.add(url);
            const pageUrl = url;
            const answer = await this.api.retry(async () => {
                const response = await this.api.send(operation, this.api.pull(repository), {
                    method: 'GET',
                    url: pageUrl,
                    headers: { accept: media_types/* ociIndex */.KP },
                });
                // No API: a 404 without an image index in it (the spec forbids a 404 from a registry that has
                // one; some answered 404 with an empty index), or a method or route refused.
                if (response.status === 404 || response.status === 405) {
                    const text = await readText(response, errors/* maxErrorBodyBytes */.W2);
                    let body;
                    try {
                        body = JSON.parse(text);
                    }
                    catch {
                        body = undefined;
                    }
                    if (response.status === 404 && typeof body === 'object' && body !== null && Array.isArray(body.manifests)) {
                        if (body.manifests.length > limits/* maxReferrers */.vk)
                            throw tooMany();
                        return { descriptors: body.manifests.map((item) => (0,manifest/* toDescriptor */.RU)(item, `the referrers of ${digest}`)), next: undefined };
                    }
                    return undefined;
                }
                if (response.status !== 200)
                    throw await this.api.failure(operation, repository, response);
                const body = (await this.api.readJson(operation, repository, response, limits/* maxManifestBytes */.rq, 'the referrers answer')).json;
                if (typeof body !== 'object' || body === null || !Array.isArray(body.manifests))
                    throw this.api.error(operation, repository, 'the referrers answer is not an image index');
                if (found.length + body.manifests.length > limits/* maxReferrers */.vk)
                    throw tooMany();
                const descriptors = body.manifests.map((item) => (0,manifest/* toDescriptor */.RU)(item, `the referrers of ${digest}`));
                return { descriptors, next: nextLink(header(response, 'link')) };
            });
            if (answer === undefined)
                return page === 0 ? undefined : found;
            found.push(...answer.descriptors);
            url = answer.next;
        }
        return found;
    }
    /** Whether the repository exists: one page of one tag (404, NAME_UNKNOWN, when it does not). */
    async hasRepository(repository) {
        const operation = 'list tags';
        this.api.checkPath(operation, repository);
        return this.api.retry(async () => {
            const response = await this.api.send(operation, this.api.pull(repository), { method: 'GET', url: `/v2/${repository}/tags/list?n=1` });
            if (response.status === 404) {
                await discard(response);
                return false;
            }
            if (response.status !== 200)
                throw await this.api.failure(operation, repository, response);
            await discard(response);
            return true;
        });
    }
    /**
     * The tags of a repository, following the Link header's pages; only those `keep` accepts are kept
     * (every tag without it), and `onKept` is told how many of each page before the next is asked for,
     * so a run-wide bound holds as pages arrive. A repository that does not exist, or has no tags, answers
     * 404 (NAME_UNKNOWN) on most registries: that is an empty list.
     */
    async listTags(repository, options = {}) {
        const operation = 'list tags';
        this.api.checkPath(operation, repository);
        const tags = [];
        const pages = new Set();
        let seen = 0;
        let url = `/v2/${repository}/tags/list${options.pageSize === undefined ? '' : `?n=${options.pageSize}`}`;
        for (let page = 0; url !== undefined && page < maxTagPages; page++) {
            if (pages.has(url))
                break;
            pages.add(url);
            const pageUrl = url;
            const answer = await this.api.retry(async () => {
                const response = await this.api.send(operation, this.api.pull(repository), { method: 'GET', url: pageUrl });
                if (response.status === 404 && page === 0) {
                    await discard(response);
                    return undefined;
                }
                if (response.status !== 200)
                    throw await this.api.failure(operation, repository, response);
                const body = (await this.api.readJson(operation, repository, response, limits/* maxManifestBytes */.rq, 'the tag list')).json;
                const listed = Array.isArray(body?.tags) ? body.tags : [];
                if (seen + listed.length > maxTags)
                    throw this.api.error(operation, repository, `more than ${maxTags} tags, the most ferry reads of one repository`);
                // Only tags: a 4 MiB string is no tag, and is not kept; nor is what the caller has no use for.
                const names = listed.filter((tag) => typeof tag === 'string' && src_reference/* anchoredTag */.xZ.test(tag) && (options.keep?.(tag) ?? true));
                return { names, count: listed.length, next: nextLink(header(response, 'link')) };
            });
            if (answer === undefined)
                break;
            seen += answer.count;
            options.onKept?.(answer.names.length);
            tags.push(...answer.names);
            url = answer.next;
        }
        return tags;
    }
}

;// CONCATENATED MODULE: ./src/registry/origin.ts
// The registry's origin, and every URL it hands back (redirects, upload Locations): a request to
// another origin carries no Authorization, and `http://` is refused unless that host is listed as
// insecure. Each decision is told once, so the log shows where data went without repeating it.
class OriginPolicy {
    registry;
    insecureHosts;
    onDecision;
    told = new Set();
    constructor(registry, insecureHosts, onDecision = () => undefined) {
        this.registry = registry;
        this.insecureHosts = insecureHosts;
        this.onDecision = onDecision;
    }
    tell(key, message) {
        if (this.told.has(key))
            return;
        this.told.add(key);
        this.onDecision(message);
    }
    /**
     * What a request to `url` may carry, given the registry's own origin. Throws for plain HTTP to a
     * host that is not listed as insecure.
     */
    decide(url, registryOrigin, headers, why) {
        if (url.protocol !== 'https:' && url.protocol !== 'http:') {
            throw new Error(`${this.registry} ${why} to ${url.protocol} ${url.host}: only HTTPS (or HTTP to an insecure registry) is followed`);
        }
        if (url.protocol === 'http:' && !this.insecureHosts.includes(url.host)) {
            throw new Error(`${this.registry} ${why} to http://${url.host}, which is not listed in insecure-registries: ferry does not send data or credentials there in the clear`);
        }
        if (url.origin === registryOrigin)
            return { sameOrigin: true, headers };
        const kept = Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'));
        this.tell(`${why} ${url.origin}`, `${this.registry} ${why} to another origin, ${url.origin}: requests there carry no credentials`);
        return { sameOrigin: false, headers: kept };
    }
}

;// CONCATENATED MODULE: ./src/registry/ping.ts
// Which base URL a registry answers on, and how it wants to be authenticated: one GET of /v2/.
// HTTPS verified, or, only for a registry listed as insecure, HTTPS unverified and else plain HTTP:
// both asked at once (the plain answer is taken only once HTTPS has failed), so that the fallback
// costs no round trips of its own.
// A 200 or 401 is an answer; anything else (a 5xx from a load balancer, say) is a failure.



const plainHttpSymptoms = /wrong version number|packet length too long|EPROTO|ERR_SSL_|http request|unknown protocol/i;
function describeConnectionError(error) {
    const parts = [];
    for (let current = error; current instanceof Error; current = current.cause) {
        const code = current.code;
        parts.push(typeof code === 'string' && !current.message.includes(code) ? `${current.message} (${code})` : current.message);
    }
    return (parts.join(': ') || String(error)).replace(/\s+/g, ' ').trim();
}
function isTlsVerificationError(error) {
    for (let current = error; current instanceof Error; current = current.cause) {
        const code = String(current.code ?? '');
        if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|UNABLE_TO_GET_ISSUER/.test(code))
            return true;
    }
    return false;
}
/** The code of the TLS refusal, in words a user can act on, without OpenSSL's own text. */
function tlsReason(error) {
    for (let current = error; current instanceof Error; current = current.cause) {
        const code = String(current.code ?? '');
        if (/SELF_SIGNED/.test(code))
            return 'its certificate is self-signed';
        if (/UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code))
            return 'its certificate is signed by a CA ferry does not trust';
        if (/ALTNAME/.test(code))
            return 'its certificate is not for this host name';
        if (/EXPIRED/.test(code))
            return 'its certificate has expired';
    }
    return 'its certificate could not be verified';
}
async function ping(registry, apiHost, insecure, get) {
    const attempt = async (base, signal) => {
        const response = await get(`${base}/v2/`, signal);
        await discard(response);
        if (response.status === 200 || response.status === 401) {
            return { base, challenge: response.status === 401 ? response.headers['www-authenticate'] : undefined };
        }
        const retryAfter = (0,retry/* parseRetryAfter */.mu)([response.headers['retry-after']].flat()[0]);
        throw new errors/* RegistryError */.gl({
            registry,
            operation: 'ping /v2/',
            status: response.status,
            retriable: (0,retry/* isRetriableStatus */.DM)(response.status),
            retryAfterMs: retryAfter,
        }, `${response.status}: the registry's /v2/ endpoint did not answer as a Docker Registry v2 / OCI distribution API (200 or 401)`);
    };
    // Plain HTTP, asked beside HTTPS where it may be the answer, and called off when HTTPS answers.
    const plainCancel = insecure ? new AbortController() : undefined;
    const plain = plainCancel && attempt(`http://${apiHost}`, plainCancel.signal);
    plain?.catch(() => undefined);
    try {
        const secure = await attempt(`https://${apiHost}`);
        plainCancel?.abort();
        return secure;
    }
    catch (error) {
        if (error instanceof errors/* RegistryError */.gl) {
            plainCancel?.abort();
            throw error;
        }
        if (plain !== undefined) {
            try {
                return await plain;
            }
            catch (second) {
                if (second instanceof errors/* RegistryError */.gl)
                    throw second;
                throw new errors/* RegistryError */.gl({ registry, operation: 'connect', retriable: (0,retry/* isTransientError */.bV)(second) }, `${describeConnectionError(second)}${unreachableHint(second, registry)}`, { cause: second });
            }
        }
        const reason = describeConnectionError(error);
        if (isTlsVerificationError(error)) {
            throw new errors/* RegistryError */.gl({ registry, operation: 'connect', retriable: false }, `TLS verification failed: ${tlsReason(error)}; add its CA to registry-ca-certs, or list ${registry} in insecure-registries`, { cause: error });
        }
        if (plainHttpSymptoms.test(reason)) {
            throw new errors/* RegistryError */.gl({ registry, operation: 'connect', retriable: false }, `the registry answers in plain HTTP, not HTTPS; ferry never downgrades on its own: list ${registry} in insecure-registries if it is meant to be reached over HTTP`, { cause: error });
        }
        throw new errors/* RegistryError */.gl({ registry, operation: 'connect', retriable: (0,retry/* isTransientError */.bV)(error) }, `${reason}${unreachableHint(error, registry)}`, {
            cause: error,
        });
    }
}
/** What to check when a registry cannot be reached at all: where its name came from. */
function unreachableHint(error, registry) {
    if (!(0,retry/* isUnreachable */.R0)(error))
        return '';
    return `; nothing answers at ${registry}: check the registry's host and port where it is named (an image in the manifests, default-repo or repository, registry-mirrors), and that the registry is running`;
}

;// CONCATENATED MODULE: ./src/registry/host.ts






/** Bodies larger than this hold a body slot while they stream; smaller ones are light requests. */
const bodyLaneBytes = 256 * 1024;
function laneOf(req) {
    return req.body !== undefined && Number(req.headers?.['content-length'] ?? 0) > bodyLaneBytes ? 'body' : 'light';
}
const maxRedirects = 5;
/** A wait before another try longer than this gets a line in the log: the run is not stuck, it waits. */
const loggedWaitMs = 2000;
class RegistryHost {
    options;
    registry;
    /** The host that answers the API (Docker Hub's API is not at docker.io). */
    apiHost;
    pinged;
    /** Retries of refused connections said so far: a host down mid-run fills no log. */
    refusedLines = 0;
    origin;
    constructor(options) {
        this.options = options;
        this.registry = options.registry;
        this.apiHost = (0,repository/* apiHostOf */.gz)(options.registry);
        this.origin = new OriginPolicy(options.registry, options.insecureHosts, options.onNotice);
    }
    get limiter() {
        return this.options.limiter;
    }
    get deadline() {
        return this.options.deadline;
    }
    get policy() {
        return this.options.retry;
    }
    /** Tells the run something about this registry once (the caller keeps it to once). */
    notice(message) {
        this.options.onNotice(message);
    }
    /** Runs `operation` again from the start while its failures are retriable, as the policy and deadline allow. */
    retry(operation) {
        return (0,retry/* retryOperation */.Uq)({
            policy: this.options.retry,
            deadline: this.options.deadline,
            verdict: errors/* verdictOf */.Vj,
            onRetry: (error, waitMs, attempt) => {
                this.options.onRetry?.();
                // A long wait is said, and so are the retries of a host that refuses connections, numbered from
                // the first: those of its ping (which stays failed for the run), at most a try's worth a host.
                const refused = (0,retry/* isRefused */.H0)(error) && this.refusedLines < this.options.retry.attempts - 1;
                if (refused)
                    this.refusedLines++;
                if (waitMs > loggedWaitMs || refused)
                    this.options.onLog?.(`${error.message}: retry ${attempt} of ${this.options.retry.attempts - 1} in ${(waitMs / 1000).toFixed(1)} s`);
            },
        }, operation);
    }
    /**
     * The base URL and first challenge, from one ping (retried as the policy allows), decided once per
     * run. A registry that could not be pinged stays failed for the run: every operation fails at once
     * with that reason, rather than each retrying the ping as many times again.
     */
    base() {
        this.pinged ??= this.retry(() => ping(this.registry, this.apiHost, this.options.insecure, (url, signal) => this.limited(() => exchange({
            method: 'GET',
            url,
            signal: (0,retry/* deadlineOr */.GI)(this.options.deadline, signal),
        }, this.options.agent, this.options.userAgent)))).catch((error) => {
            if (!(error instanceof errors/* RegistryError */.gl))
                throw error;
            throw new errors/* RegistryError */.gl({ registry: error.registry, operation: error.operation, status: error.status, codes: error.codes, retriable: false }, error.reason, {
                cause: error,
            });
        });
        return this.pinged;
    }
    limited(send, lane = 'light') {
        return this.options.limiter.run(send, (response) => ({
            status: response.status,
            retryAfter: header(response, 'retry-after') !== undefined,
        }), lane);
    }
    failure(method, url, error) {
        if (this.options.deadline.signal.aborted) {
            return new errors/* RegistryError */.gl({ registry: this.registry, operation: `${method} ${url.pathname}`, retriable: false }, `stopped at the run's deadline (${this.options.deadline.describe})`, {
                cause: error,
            });
        }
        return new errors/* RegistryError */.gl({ registry: this.registry, operation: `${method} ${url.pathname}`, retriable: (0,retry/* isTransientError */.bV)(error) }, describeConnectionError(error), { cause: error });
    }
    /** One request to the registry (or a URL it handed back), following redirects when asked. */
    async send(req) {
        const { base } = await this.base();
        const registryOrigin = new URL(base).origin;
        let url = new URL(req.url.startsWith('/') ? base + req.url : req.url);
        let why = 'handed back a URL';
        for (let redirects = 0;; redirects++) {
            let decision;
            try {
                decision = this.origin.decide(url, registryOrigin, req.headers ?? {}, why);
            }
            catch (error) {
                throw new errors/* RegistryError */.gl({ registry: this.registry, operation: `${req.method} ${url.pathname}`, retriable: false }, error.message);
            }
            const request = {
                method: req.method,
                url: url.toString(),
                headers: decision.headers,
                ...(req.body ? { body: req.body } : {}),
                signal: (0,retry/* deadlineOr */.GI)(this.options.deadline, req.signal),
            };
            let response;
            try {
                response = decision.sameOrigin
                    ? await this.limited(() => exchange(request, this.options.agent, this.options.userAgent), laneOf(req))
                    : await exchange(request, this.options.external, this.options.userAgent);
            }
            catch (error) {
                throw this.failure(req.method, url, error);
            }
            const location = header(response, 'location');
            if (!req.followRedirects || ![301, 302, 303, 307, 308].includes(response.status) || location === undefined)
                return response;
            await discard(response);
            if (redirects >= maxRedirects) {
                throw new errors/* RegistryError */.gl({ registry: this.registry, operation: `${req.method} ${url.pathname}`, retriable: false }, `more than ${maxRedirects} redirects`);
            }
            url = new URL(location, url);
            why = 'redirected';
        }
    }
    /** A request to a token realm the registry named: the credentials given go there, over TLS (or to a listed insecure host). */
    async sendToRealm(req) {
        const url = new URL(req.url);
        const { base } = await this.base();
        const agent = url.origin === new URL(base).origin ? this.options.agent : this.options.external;
        try {
            return await exchange({ ...req, signal: this.options.deadline.signal }, agent, this.options.userAgent);
        }
        catch (error) {
            throw this.failure(req.method, url, error);
        }
    }
    /** Ends every connection: at the end of a run nothing is left to wait for (an aborted connect would hold close()). */
    async close() {
        await this.options.agent.destroy();
    }
}

;// CONCATENATED MODULE: ./src/registry/upload.ts
// A blob put into a repository: mounted from another repository of the same registry when it can be,
// else one POST and a streaming PUT (a small blob read whole first), or, for a registry that refuses
// that, one PATCH and a PUT. The unit is retried whole: a check whether the blob arrived after all, a
// new session, the body anew. A small blob ferry made itself is offered whole in one POST first, where
// the registry takes that.






/** What api.refuses() remembers of a registry that will not mount. */
const mountRefusal = 'mount';
/** What api.refuses() remembers of a registry that takes no blob in a single POST. */
const singlePostRefusal = 'single POST';
/** A blob in memory up to this size is offered in one POST; a registry that declines gets it again in the PUT. */
const singlePostBytes = 64 * 1024;
const bodyFactory = (body) => (Buffer.isBuffer(body) ? () => body : body);
class Uploader {
    api;
    blobs;
    /** The first mount tried on this registry, until it answered. */
    firstMount;
    constructor(api, blobs) {
        this.api = api;
        this.blobs = blobs;
    }
    /**
     * Puts a blob into a repository, retried as a unit: mounted from `mountFrom` in the same registry
     * when it can be, else one POST and a streaming PUT, or, for a registry that refuses that, one PATCH
     * and a PUT. The requests that are safe to repeat (the check, the POST) are retried on their own; a
     * failed PUT starts the unit again: a check whether the blob arrived after all, a new session, the
     * body opened anew.
     */
    async upload(repository, digest, size, body, mountFrom) {
        const operation = `upload blob ${digest}`;
        this.api.checkPath(operation, repository, digest);
        if (mountFrom !== undefined)
            this.api.checkPath(operation, mountFrom);
        return this.unit({ operation, repository, digest, size, body, ...(mountFrom === undefined ? {} : { mountFrom }) });
    }
    /**
     * Puts a small blob held in memory (an attestation's bundle, OCI's empty config): whole in one POST,
     * the distribution spec's single-POST upload, one request where the registry takes it (201). A
     * registry that opens a session instead (202, the body dropped, as docker-registry does) gets the
     * bytes again in that session's PUT, and a registry that declines either way is not offered a single
     * POST again this run.
     */
    async uploadSmall(repository, digest, bytes) {
        const operation = `upload blob ${digest}`;
        this.api.checkPath(operation, repository, digest);
        if (bytes.length > singlePostBytes || this.api.refuses(singlePostRefusal))
            return this.unit({ operation, repository, digest, size: bytes.length, body: bytes });
        const scopes = Authorizer.scopes(repository, ['pull', 'push']);
        // Anything but a 201 (a session instead, a refusal of the request's shape, an error its retries did
        // not cure) declines it: the usual upload follows, and reports what the registry says to that.
        const answer = await this.api
            .retry(async () => {
            const response = await this.api.send(operation, scopes, {
                method: 'POST',
                url: `/v2/${repository}/blobs/uploads/?${new URLSearchParams({ digest }).toString()}`,
                headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) },
                body: () => bytes,
            });
            if (response.status !== 201 && response.status !== 202 && ![400, 404, 405, 413, 415, 501].includes(response.status))
                throw await this.api.failure(operation, repository, response);
            await discard(response);
            return {
                status: response.status,
                location: header(response, 'location'),
                range: header(response, 'range'),
                stored: header(response, 'docker-content-digest'),
            };
        })
            .catch(() => undefined);
        if (answer?.status === 201) {
            if (answer.stored !== undefined && answer.stored !== digest)
                throw this.api.error(operation, repository, `the registry stored ${answer.stored.slice(0, 80)} for a blob of ${digest}`);
            return 'uploaded';
        }
        this.api.refuse(singlePostRefusal);
        // A session whose Range says it kept the POST's bytes would take them twice: a fresh one then.
        const session = answer?.status === 202 && (answer.range === undefined || answer.range === '0-0') ? answer.location : undefined;
        return this.unit({ operation, repository, digest, size: bytes.length, body: bytes }, session);
    }
    /** One upload retried as a unit; `session` is an upload session already open for the first try. */
    unit(blob, session) {
        return this.api.retry(async (attempt) => {
            if (attempt > 1 && (await this.blobs.head(blob.repository, blob.digest)) === blob.size)
                return 'uploaded';
            return this.uploadOnce(blob, attempt === 1 ? session : undefined);
        });
    }
    async uploadOnce(blob, session) {
        const { operation, repository, digest, size, body } = blob;
        let { mountFrom } = blob;
        let location = session;
        // The first mount to a registry decides whether it mounts at all; the others wait for its answer.
        if (mountFrom !== undefined && this.firstMount !== undefined)
            await this.firstMount;
        if (mountFrom !== undefined && this.api.refuses(mountRefusal))
            mountFrom = undefined;
        if (mountFrom !== undefined) {
            const attempt = this.mount(operation, repository, digest, mountFrom);
            if (this.firstMount === undefined) {
                this.firstMount = attempt.then(() => undefined, () => {
                    this.firstMount = undefined; // an error decides nothing: the next mount asks again
                });
            }
            const mounted = await attempt;
            if (mounted === 'mounted')
                return mounted;
            // A refused mount is a plain upload, with the scopes of one: a registry may refuse a token that names the other repository.
            if (mounted === 'refused')
                mountFrom = undefined;
            else
                location = mounted.location;
        }
        const scopes = Authorizer.scopes(repository, ['pull', 'push'], mountFrom);
        const open = bodyFactory(body);
        // Without a mount to try, the body is opened while the session opens: a blob read from another
        // registry is on its way a round trip sooner. Whatever is not handed to the PUT is closed.
        let early = location === undefined && mountFrom === undefined ? open() : undefined;
        // A body small enough to go as a light request is read whole while the session opens, and put from
        // memory: a PUT holding a slot of the registry's light lane never waits on a read that may need one
        // (a source in the same registry, read again after a cut, would wait behind the PUTs waiting for it).
        const whole = early instanceof external_node_stream_.Readable && size <= bodyLaneBytes ? (0,oci_digest/* readWhole */.oD)(early, { digest, size }) : undefined;
        whole?.catch(() => undefined);
        let put;
        try {
            location ??= await this.startUpload(operation, repository, scopes);
            const bytes = await whole;
            put = await this.api.send(operation, scopes, {
                method: 'PUT',
                url: this.uploadUrl(location, digest),
                headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
                body: () => {
                    const opened = bytes ?? early ?? open();
                    early = undefined;
                    return opened;
                },
            });
        }
        finally {
            if (early instanceof external_node_stream_.Readable)
                early.destroy();
        }
        if (put.status === 201) {
            await discard(put);
            return 'uploaded';
        }
        if (put.status === 405 || put.status === 416 || put.status === 501) {
            await discard(put);
            await this.uploadChunked(blob, scopes);
            return 'uploaded';
        }
        throw await this.api.failure(operation, repository, put);
    }
    /**
     * Tries a cross-repository mount: mounted (201), an upload session opened instead (202, with or
     * without a mount), or refused. Registries refuse mounts in their own ways (Harbor 401 across
     * projects; others 403, 404 or 405): a refusal is remembered for the run, and the blob is uploaded.
     */
    async mount(operation, repository, digest, mountFrom) {
        const query = new URLSearchParams({ mount: digest, from: mountFrom });
        const refused = (status) => {
            this.api.refuse(mountRefusal, `${this.api.registry} refused a cross-repository mount (${status}, from ${mountFrom}): blobs are uploaded to it instead for the rest of the run`);
            return 'refused';
        };
        let response;
        try {
            response = await this.api.send(`mount blob ${digest} from ${mountFrom}`, Authorizer.scopes(repository, ['pull', 'push'], mountFrom), {
                method: 'POST',
                url: `/v2/${repository}/blobs/uploads/?${query}`,
            });
        }
        catch (error) {
            // The authorizer's last word on a 401 it could not answer.
            if (error instanceof errors/* RegistryError */.gl && (error.status === 401 || error.status === 403))
                return refused(error.status);
            throw error;
        }
        if (response.status === 201) {
            await discard(response);
            return 'mounted';
        }
        if ([401, 403, 404, 405].includes(response.status)) {
            await discard(response);
            return refused(response.status);
        }
        if (response.status !== 202)
            throw await this.api.failure(operation, repository, response);
        await discard(response);
        return { location: header(response, 'location') };
    }
    /** Opens an upload session (a POST, safe to repeat: a session never used expires). */
    startUpload(operation, repository, scopes) {
        return this.api.retry(async () => {
            const response = await this.api.send(operation, scopes, { method: 'POST', url: `/v2/${repository}/blobs/uploads/` });
            if (response.status !== 202)
                throw await this.api.failure(operation, repository, response);
            await discard(response);
            const location = header(response, 'location');
            if (location === undefined)
                throw this.api.error(operation, repository, 'the upload started without a Location');
            return location;
        });
    }
    /** The upload URL the registry handed back, with the digest; relative ones stay on the registry. */
    uploadUrl(location, digest) {
        const url = new URL(location, `https://${this.api.apiHost}`);
        if (digest !== undefined)
            url.searchParams.set('digest', digest);
        return location.startsWith('/') ? `${url.pathname}${url.search}` : url.toString();
    }
    async uploadChunked(blob, scopes) {
        const { operation, repository, digest, size, body } = blob;
        const location = await this.startUpload(operation, repository, scopes);
        const patch = await this.api.send(operation, scopes, {
            method: 'PATCH',
            url: this.uploadUrl(location),
            headers: {
                'content-type': 'application/octet-stream',
                'content-length': String(size),
                'content-range': `0-${Math.max(0, size - 1)}`,
            },
            body: bodyFactory(body),
        });
        if (patch.status !== 202)
            throw await this.api.failure(operation, repository, patch);
        await discard(patch);
        const next = header(patch, 'location') ?? location;
        const put = await this.api.send(operation, scopes, {
            method: 'PUT',
            url: this.uploadUrl(next, digest),
            headers: { 'content-length': '0' },
        });
        if (put.status !== 201)
            throw await this.api.failure(operation, repository, put);
        await discard(put);
    }
}

;// CONCATENATED MODULE: ./src/registry/client.ts









/** What api.refuses() remembers of a registry that does not answer HEAD on manifests. */
const headRefusal = 'manifest HEAD';
class RegistryClient {
    registry;
    api;
    blobs;
    uploads;
    listings;
    constructor(options) {
        this.api = new RegistryApi(options.host, options.authorizer, options.redactor);
        this.registry = this.api.registry;
        this.blobs = new BlobReader(this.api, options.progress);
        this.uploads = new Uploader(this.api, this.blobs);
        this.listings = new Listings(this.api);
    }
    /** Whether the registry refused a cross-repository mount this run (then a blob is asked about before it is sent). */
    get refusesMounts() {
        return this.api.refuses(mountRefusal);
    }
    /** Tells the run something about this registry. */
    notice(message) {
        this.api.notice(message);
    }
    /** Checks that the registry answers the v2 API (200, or 401 asking for credentials). */
    ping() {
        return this.api.ping();
    }
    /** The descriptor a tag or digest points at: HEAD first (no pull counted), GET when HEAD gives no digest. */
    async resolve(repository, reference) {
        const operation = `resolve ${reference}`;
        this.api.checkPath(operation, repository, reference);
        const found = await this.api.retry(async () => {
            if (this.api.refuses(headRefusal))
                return undefined;
            const response = await this.api.send(operation, this.api.pull(repository), {
                method: 'HEAD',
                url: `/v2/${repository}/manifests/${reference}`,
                headers: { accept: media_types/* manifestAccept */.K },
            });
            await discard(response);
            if (response.status === 404)
                throw this.api.error(operation, repository, 'manifest unknown (404)', { status: 404, codes: ['MANIFEST_UNKNOWN'] });
            // Some registries and front ends do not answer HEAD on manifests: GET answers the same question.
            if (response.status === 405 || response.status === 400 || response.status === 501) {
                this.api.refuse(headRefusal, `${this.registry} answers ${response.status} to HEAD on a manifest: ferry reads manifests with GET there for the rest of the run`);
                return undefined;
            }
            if (response.status !== 200)
                throw await this.api.failure(operation, repository, response);
            const mediaType = (header(response, 'content-type') ?? '').split(';')[0]?.trim() ?? '';
            if ((0,media_types/* isSchema1 */.Pr)(mediaType))
                throw this.api.error(operation, repository, media_types/* schema1Refusal */.Jx);
            const digest = header(response, 'docker-content-digest');
            const size = Number(header(response, 'content-length'));
            if (digest === undefined || (0,oci_digest/* digestError */.DD)(digest) !== undefined || !Number.isSafeInteger(size) || size < 0 || mediaType === '')
                return undefined;
            return { mediaType, digest, size };
        });
        if (found === undefined)
            return (await this.getManifest(repository, reference)).descriptor;
        if ((0,oci_digest/* namesDigest */.zU)(reference) && found.digest !== reference) {
            throw this.api.error(operation, repository, `the registry answered ${found.digest} for ${reference}`);
        }
        return found;
    }
    /**
     * A tag that names what travels with an image (a digest tag, a referrers schema tag), resolved at the
     * registry that owns it. Here that is this registry; a reader through mirrors asks the registry first.
     */
    resolveAtOwner(repository, tag) {
        return this.resolve(repository, tag);
    }
    /** The manifest such a tag names, read at the registry that owns it (see resolveAtOwner). */
    getManifestAtOwner(repository, tag) {
        return this.getManifest(repository, tag);
    }
    /** A manifest or index, its size bounded and its bytes checked against the digest asked for or announced. */
    async getManifest(repository, reference) {
        const operation = `get manifest ${reference}`;
        this.api.checkPath(operation, repository, reference);
        return this.api.retry(async () => {
            const response = await this.api.send(operation, this.api.pull(repository), {
                method: 'GET',
                url: `/v2/${repository}/manifests/${reference}`,
                headers: { accept: media_types/* manifestAccept */.K },
            });
            if (response.status !== 200)
                throw await this.api.failure(operation, repository, response);
            const read = await this.api.readJson(operation, repository, response, limits/* maxManifestBytes */.rq, 'the manifest');
            const { bytes } = read;
            const json = read.json;
            if (typeof json !== 'object' || json === null || Array.isArray(json))
                throw this.api.error(operation, repository, 'the manifest is not a JSON object');
            const headerType = (header(response, 'content-type') ?? '').split(';')[0]?.trim() ?? '';
            const mediaType = typeof json.mediaType === 'string' ? json.mediaType : headerType;
            if ((0,media_types/* isSchema1 */.Pr)(mediaType) || (0,media_types/* isSchema1 */.Pr)(headerType) || json.schemaVersion === 1)
                throw this.api.error(operation, repository, media_types/* schema1Refusal */.Jx);
            const announced = (0,oci_digest/* namesDigest */.zU)(reference) ? reference : header(response, 'docker-content-digest');
            const algorithm = announced !== undefined && (0,oci_digest/* digestError */.DD)(announced) === undefined ? announced.slice(0, announced.indexOf(':')) : 'sha256';
            const digest = (0,oci_digest/* digestOf */.ol)(bytes, algorithm);
            if (announced !== undefined && digest !== announced) {
                throw this.api.error(operation, repository, `digest mismatch: expected ${announced}, got ${digest}`);
            }
            return { descriptor: { mediaType, digest, size: bytes.length }, bytes, json };
        });
    }
    /** The blob's size when the repository has it, undefined when it does not. */
    headBlob(repository, digest) {
        return this.blobs.head(repository, digest);
    }
    /** A blob's bytes as a stream, verified as they pass, resumed where a connection stopped. */
    getBlob(repository, digest, size) {
        return this.blobs.read(repository, digest, size);
    }
    /** Puts a blob into a repository: mounted from `mountFrom` in the same registry when it can be, else uploaded. */
    uploadBlob(repository, digest, size, body, mountFrom) {
        return this.uploads.upload(repository, digest, size, body, mountFrom);
    }
    /** Puts a small blob held in memory, in one POST where the registry takes that (see Uploader.uploadSmall). */
    uploadSmallBlob(repository, digest, bytes) {
        return this.uploads.uploadSmall(repository, digest, bytes);
    }
    /** The manifests whose subject is `digest`; undefined when the registry has no referrers API. */
    referrers(repository, digest) {
        return this.listings.referrers(repository, digest);
    }
    /** Puts a manifest under a tag or its digest; returns its digest. */
    async putManifest(repository, reference, bytes, mediaType) {
        return (await this.pushManifest(repository, reference, bytes, mediaType)).digest;
    }
    /**
     * Puts a manifest; `subjectAware` is whether the registry answered with `OCI-Subject`, i.e. keeps
     * the referrers of the manifest's subject itself (else the client maintains the tag schema).
     */
    async pushManifest(repository, reference, bytes, mediaType) {
        const operation = `put manifest ${reference}`;
        this.api.checkPath(operation, repository, reference);
        const digest = (0,oci_digest/* digestOf */.ol)(bytes);
        return this.api.retry(async () => {
            const response = await this.api.send(operation, Authorizer.scopes(repository, ['pull', 'push']), {
                method: 'PUT',
                url: `/v2/${repository}/manifests/${reference}`,
                headers: { 'content-type': mediaType },
                body: () => bytes,
            });
            if (response.status !== 201 && response.status !== 200)
                throw await this.api.failure(operation, repository, response);
            await discard(response);
            const announced = header(response, 'docker-content-digest');
            if (announced !== undefined && announced.startsWith('sha256:') && announced !== digest) {
                throw this.api.error(operation, repository, `the registry stored ${announced}, not ${digest}`);
            }
            return { digest, subjectAware: header(response, 'oci-subject') !== undefined };
        });
    }
    /** Whether the repository exists. */
    hasRepository(repository) {
        return this.listings.hasRepository(repository);
    }
    /** Every tag of a repository. */
    listTags(repository, options) {
        return this.listings.listTags(repository, options);
    }
}

;// CONCATENATED MODULE: ./src/registry/limiter.ts
// Requests in flight to one registry, adaptive: the limit is cut in half when the registry pushes back
// (a 429 that says nothing of when to come back, or most answers of a second asking to wait: an
// isolated Retry-After paces the request it answers, and is not also a reason to slow every other
// one), at most once a second however many answers say so at once (as
// TCP halves once per round trip, not per loss), and grows by one after as many successes as it
// allows, back up to the ceiling `concurrency` sets (additive increase, multiplicative decrease). A
// 503 without Retry-After is a failing back end, not throttling: retried, not slowed for. A slot is
// held until the response's status arrives, so a download's body never holds one.
/** Answers within this long of a cut are the same episode of pushing back; answers are counted in windows this long. */
const cutWindowMs = 1000;
const now = () => Date.now();
/** Light requests in flight per body slot. */
const lightPerBodySlot = 4;
class HostLimiter {
    ceiling;
    events;
    limit;
    active = { body: 0, light: 0 };
    successes = 0;
    lastCut = Number.NEGATIVE_INFINITY;
    waiting = { body: [], light: [] };
    /** The lowest limit reached (for tests and the report). */
    lowest;
    constructor(ceiling, events = {}) {
        this.ceiling = ceiling;
        this.events = events;
        this.limit = ceiling;
        this.lowest = ceiling;
    }
    /** The limit of body requests in flight (light ones may be `lightPerBodySlot` times as many). */
    get current() {
        return this.limit;
    }
    limitOf(lane) {
        return lane === 'body' ? this.limit : this.limit * lightPerBodySlot;
    }
    async acquire(lane) {
        if (this.active[lane] < this.limitOf(lane)) {
            this.active[lane]++;
            return;
        }
        await new Promise((resolve) => this.waiting[lane].push(resolve));
    }
    release(lane) {
        const next = this.active[lane] <= this.limitOf(lane) ? this.waiting[lane].shift() : undefined;
        if (next === undefined)
            this.active[lane]--;
        else
            next();
    }
    /** Answers of the current window, and how many of them pushed back. */
    window = { start: Number.NEGATIVE_INFINITY, answers: 0, pushedBack: 0 };
    count(pushedBack, at) {
        if (at - this.window.start >= cutWindowMs)
            this.window = { start: at, answers: 0, pushedBack: 0 };
        this.window.answers++;
        if (pushedBack)
            this.window.pushedBack++;
    }
    /** Most answers of the window pushed back, enough of them to tell. */
    storming() {
        return this.window.answers >= 4 && this.window.pushedBack * 2 > this.window.answers;
    }
    /** The registry pushed back: halve the limit, once per window. */
    throttled(reason, now = Date.now()) {
        this.successes = 0;
        if (now - this.lastCut < cutWindowMs)
            return;
        this.lastCut = now;
        const cut = Math.max(1, Math.floor(this.limit / 2));
        if (cut < this.limit) {
            this.limit = cut;
            this.lowest = Math.min(this.lowest, cut);
            this.events.onSlowDown?.(cut, reason);
        }
    }
    succeeded() {
        if (this.limit >= this.ceiling)
            return;
        this.successes++;
        if (this.successes >= this.limit) {
            this.successes = 0;
            this.limit++;
            // Room for more: wake waiters.
            for (const lane of ['body', 'light']) {
                while (this.active[lane] < this.limitOf(lane)) {
                    const next = this.waiting[lane].shift();
                    if (next === undefined)
                        break;
                    this.active[lane]++;
                    next();
                }
            }
        }
    }
    /** Runs `send` in a slot; `outcome` reads the status and whether the answer asks to wait (Retry-After). */
    async run(send, outcome, lane = 'light') {
        await this.acquire(lane);
        try {
            const result = await send();
            const { status, retryAfter } = outcome(result);
            const pushedBack = status === 429 || retryAfter;
            this.count(pushedBack, now());
            // A Retry-After paces the request it answers already: an isolated one is not also a reason to slow
            // every other request. A 429 without one, or most answers of the last second pushing back (a
            // storm), is: the limit is halved.
            if ((status === 429 && !retryAfter) || (pushedBack && this.storming()))
                this.throttled(`the registry answered ${status}${retryAfter ? ' with Retry-After' : ''}`);
            else if (!pushedBack && status < 500)
                this.succeeded();
            return result;
        }
        finally {
            this.release(lane);
        }
    }
}

;// CONCATENATED MODULE: ./src/registry/mirrors.ts
// Registry mirrors, with containerd's hosts semantics: reads of a registry try each of its mirrors in
// order, then the registry itself, moving on when a mirror does not have what is asked (404), fails
// (5xx) or cannot be reached. Only reads go to a mirror; names stay the registry's own. What a mirror
// serves is verified against its digest like anything else, so a mirror cannot change an image's
// content (it does answer what an image's tag names, as a pull-through cache does: pin by digest to
// rule that out). What travels with an image is the registry's to say: its referrers, tag lists and
// digest tags are asked of the registry, and of a mirror only when the registry cannot be reached
// (said once); the manifests they name are then read by digest, from a mirror first.



/** Whether a mirror's failure sends the read on to the next mirror (or the registry): missing, failing, unreachable. */
function movesOn(error) {
    return error instanceof errors/* RegistryError */.gl && (error.status === undefined || error.status === 404 || error.status >= 500);
}
/**
 * Whether a failure says the registry cannot answer at all: no connection, a connection that kept
 * failing, or a server error past its retries. An answer ferry refused (not JSON, a digest that does
 * not match, the run's deadline) is the registry's answer, and no mirror stands in for it.
 */
function unreachable(error) {
    if (!(error instanceof errors/* RegistryError */.gl))
        return false;
    if (error.status !== undefined)
        return error.status >= 500;
    return (0,retry/* isUnreachable */.R0)(error) || (0,retry/* isTransientError */.bV)(error);
}
class MirroredReader {
    upstream;
    mirrors;
    registry;
    served = new Map();
    /** Whether the run was told that the registry's own lists came through a mirror. */
    toldFallback = false;
    constructor(upstream, mirrors) {
        this.upstream = upstream;
        this.mirrors = mirrors;
        this.registry = upstream.registry;
    }
    /** The repositories each mirror served, for the log and the summary. */
    get uses() {
        return [...this.served].map(([mirror, repositories]) => ({ registry: this.registry, mirror, repositories: [...repositories].sort() }));
    }
    async read(repository, operation) {
        for (const mirror of this.mirrors) {
            try {
                const answer = await operation(mirror);
                this.note(mirror, repository);
                return answer;
            }
            catch (error) {
                if (!movesOn(error))
                    throw error;
            }
        }
        return operation(this.upstream);
    }
    /**
     * What only the registry can say (its lists, its digest tags): asked of the registry; of each mirror
     * in turn only when the registry cannot be reached, which the run is told once.
     */
    async owned(repository, operation) {
        try {
            return await operation(this.upstream);
        }
        catch (error) {
            if (!unreachable(error))
                throw error;
            for (const mirror of this.mirrors) {
                try {
                    const answer = await operation(mirror);
                    this.note(mirror, repository);
                    if (!this.toldFallback) {
                        this.toldFallback = true;
                        this.upstream.notice(`${this.registry} could not be reached (${error.message}): what travels with its images (referrers, tag lists, digest tags) is read through the mirror ${mirror.registry} instead`);
                    }
                    return answer;
                }
                catch (mirrorError) {
                    if (!movesOn(mirrorError))
                        throw mirrorError;
                }
            }
            throw error;
        }
    }
    note(mirror, repository) {
        let repositories = this.served.get(mirror.registry);
        if (repositories === undefined) {
            repositories = new Set();
            this.served.set(mirror.registry, repositories);
        }
        repositories.add(repository);
    }
    resolve(repository, reference) {
        return this.read(repository, (client) => client.resolve(repository, reference));
    }
    getManifest(repository, reference) {
        return this.read(repository, (client) => client.getManifest(repository, reference));
    }
    headBlob(repository, digest) {
        return this.read(repository, async (client) => {
            const size = await client.headBlob(repository, digest);
            if (size === undefined && client !== this.upstream)
                throw new errors/* RegistryError */.gl({ registry: client.registry, status: 404, operation: 'check blob' }, 'not in the mirror');
            return size;
        });
    }
    resolveAtOwner(repository, tag) {
        return this.owned(repository, (client) => client.resolve(repository, tag));
    }
    getManifestAtOwner(repository, tag) {
        return this.owned(repository, (client) => client.getManifest(repository, tag));
    }
    referrers(repository, digest) {
        return this.owned(repository, (client) => client.referrers(repository, digest));
    }
    listTags(repository, options) {
        return this.owned(repository, (client) => client.listTags(repository, options));
    }
    hasRepository(repository) {
        return this.upstream.hasRepository(repository);
    }
    notice(message) {
        this.upstream.notice(message);
    }
    /** A blob from the first mirror that starts sending it, else from the registry; verified as it passes, wherever it comes from. */
    getBlob(repository, digest, size) {
        const clients = [...this.mirrors, this.upstream];
        const note = (client) => this.note(client, repository);
        const upstream = this.upstream;
        async function* chunks() {
            for (const client of clients) {
                let started = false;
                try {
                    for await (const chunk of client.getBlob(repository, digest, size)) {
                        if (!started && client !== upstream)
                            note(client);
                        started = true;
                        yield chunk;
                    }
                    return;
                }
                catch (error) {
                    // Once bytes have passed, the read is the mirror's: its failure is the read's.
                    if (started || client === upstream || !movesOn(error))
                        throw error;
                }
            }
        }
        return external_node_stream_.Readable.from(chunks(), { objectMode: false });
    }
}

;// CONCATENATED MODULE: ./src/registry/registries.ts
// One client per registry for a run, the layers stacked in one place: an undici exchange with time-outs
// sized for registries, the per-host limiter, the origin policy and redirects, the ping, authorization,
// and whole-operation retries under the run's deadline. Closed at the end of the run.











const defaultTimeouts = {
    connectMs: 10_000,
    headersMs: 60_000,
    bodyIdleMs: 30_000,
    progress: defaultProgressRule,
};
class Registries {
    options;
    clients = new Map();
    readers = new Map();
    external;
    timeouts;
    /** Removes every secret seen (tokens, and the credential store's) from what registries send back. */
    redactor;
    constructor(options) {
        this.options = options;
        this.redactor = new errors/* Redactor */.pO(options.credentials.secrets);
        this.timeouts = { ...defaultTimeouts, ...options.timeouts };
        this.external = this.agent(false);
    }
    agent(insecure) {
        const ca = this.options.caCertificates.length > 0 ? [...external_node_tls_.rootCertificates, ...this.options.caCertificates] : undefined;
        return new undici/* Agent */.g6({
            connect: { timeout: this.timeouts.connectMs, ...(insecure ? { rejectUnauthorized: false } : ca ? { ca } : {}) },
            headersTimeout: this.timeouts.headersMs,
            bodyTimeout: this.timeouts.bodyIdleMs,
            keepAliveTimeout: 30_000,
        });
    }
    onSecret(secret) {
        this.redactor.add(secret);
        this.options.onSecret(secret);
    }
    client(registry) {
        let entry = this.clients.get(registry);
        if (entry === undefined) {
            const notice = this.options.onNotice ?? (() => undefined);
            const limiter = new HostLimiter(this.options.concurrency ?? 8, {
                onSlowDown: (limit, reason) => notice(`${registry} pushes back (${reason}): at most ${limit} requests in flight to it for now`),
            });
            const host = new RegistryHost({
                registry,
                insecure: this.options.insecureRegistries.includes(registry),
                insecureHosts: this.options.insecureRegistries,
                agent: this.agent(this.options.insecureRegistries.includes(registry)),
                external: this.external,
                userAgent: this.options.userAgent ?? 'ferry',
                limiter,
                retry: this.options.retry ?? retry/* defaultRetryPolicy */.ur,
                deadline: this.options.deadline ?? retry/* noDeadline */.Wf,
                onNotice: notice,
                ...(this.options.onLog === undefined ? {} : { onLog: this.options.onLog }),
                ...(this.options.onRetry === undefined ? {} : { onRetry: this.options.onRetry }),
            });
            const authenticator = new Authenticator({
                host,
                insecureRegistries: this.options.insecureRegistries,
                onSecret: (secret) => this.onSecret(secret),
                redactor: this.redactor,
            });
            const fromCheckout = this.options.insecureFromCheckout;
            const guard = fromCheckout !== undefined && fromCheckout.registries.includes(registry)
                ? () => this.refuseInsecureWithCredentials(registry, fromCheckout.file)
                : undefined;
            const authorizer = new Authorizer(host, authenticator, this.options.credentials, guard);
            entry = { host, client: new RegistryClient({ host, authorizer, redactor: this.redactor, progress: this.timeouts.progress }) };
            this.clients.set(registry, entry);
        }
        return entry.client;
    }
    /**
     * What a source reads of `registry`: its client, or, where the registry-mirrors input names mirrors
     * for it, its mirrors first and then the registry.
     */
    reader(registry) {
        const mirrors = this.options.mirrors?.get(registry);
        if (mirrors === undefined || mirrors.length === 0)
            return this.client(registry);
        let reader = this.readers.get(registry);
        if (reader === undefined) {
            reader = new MirroredReader(this.client(registry), mirrors.map((mirror) => this.client(mirror)));
            this.readers.set(registry, reader);
        }
        return reader;
    }
    /** What came through each mirror this run. */
    mirrorUses() {
        return [...this.readers.values()].flatMap((reader) => reader.uses);
    }
    /** The limiter of a registry this run has talked to (for tests and the report). */
    limiter(registry) {
        return this.clients.get(registry)?.host.limiter;
    }
    /** The checkout may make a registry insecure only where no credential could be sent in the clear. */
    async refuseInsecureWithCredentials(registry, file) {
        const [found] = await this.options.credentials.anyFor(registry);
        if (found === undefined)
            return;
        throw new errors/* RegistryError */.gl({ registry, operation: 'connect', retriable: false }, `${file} in the checkout lists ${registry} as insecure, and ferry has credentials for it (${found.source}); credentials are never sent without TLS on the checkout's word: list ${registry} in the insecure-registries input to allow it`);
    }
    async close() {
        await Promise.all([...this.clients.values()].map(({ host }) => host.close()));
        await this.external.destroy();
    }
}

;// CONCATENATED MODULE: ./src/open-registries.ts
// The registries a run talks to: the registry client configured from the run's settings, with the
// credentials Docker and Kubernetes would use. Loaded only by modes that talk to registries.



/** The registries a run talks to, with the credentials Docker and Kubernetes would use. */
function openRegistries(settings, deadline, report, onRetry) {
    const credentials = new CredentialStore({
        dockerConfigDir: settings.dockerConfig,
        ...(settings.registryAuthFile === undefined ? {} : { authFile: settings.registryAuthFile }),
        onSecret: report.secret,
        runHelper: execHelper,
    });
    return new Registries({
        insecureRegistries: settings.insecureRegistries,
        caCertificates: settings.caCertificates,
        credentials,
        // What Registries registers itself is the tokens registries hand out.
        onSecret: report.tokenSecret,
        userAgent: 'ferry',
        concurrency: settings.concurrency,
        deadline,
        onNotice: report.notice,
        onLog: report.info,
        ...(onRetry === undefined ? {} : { onRetry }),
        mirrors: settings.registryMirrors,
        ...(settings.insecureFromCheckout === undefined ? {} : { insecureFromCheckout: settings.insecureFromCheckout }),
    });
}


/***/ }),

/***/ 6764:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Vj: () => (/* binding */ verdictOf),
/* harmony export */   W2: () => (/* binding */ maxErrorBodyBytes),
/* harmony export */   gl: () => (/* binding */ RegistryError),
/* harmony export */   pO: () => (/* binding */ Redactor),
/* harmony export */   ut: () => (/* binding */ describeErrorBody)
/* harmony export */ });
/* harmony import */ var _oci_repository_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(40405);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(88300);
// Errors that say which registry operation failed, on what, and why; whether trying again could help;
// and never a credential, whatever the registry sends back.


class RegistryError extends Error {
    registry;
    repository;
    operation;
    status;
    codes;
    /** The reason alone, without the operation and place. */
    reason;
    retryAfterMs;
    /** Whether the same operation, sent again, could succeed. */
    retriable;
    constructor(details, reason, options) {
        const where = details.repository === undefined ? details.registry : new _oci_repository_js__WEBPACK_IMPORTED_MODULE_1__/* .Repository */ .LN(details.registry, details.repository).key;
        super(`${details.operation} at ${where}: ${reason}`, options);
        this.name = 'RegistryError';
        this.registry = details.registry;
        this.repository = details.repository;
        this.operation = details.operation;
        this.status = details.status;
        this.codes = details.codes ?? [];
        this.reason = reason;
        this.retryAfterMs = details.retryAfterMs;
        const permanent = this.codes.some((code) => _retry_js__WEBPACK_IMPORTED_MODULE_0__/* .permanentCodes */ .fF.has(code));
        this.retriable = details.retriable ?? (details.status !== undefined && (0,_retry_js__WEBPACK_IMPORTED_MODULE_0__/* .isRetriableStatus */ .DM)(details.status) && !permanent);
    }
}
/** How the retry loop reads a failure. */
function verdictOf(error) {
    if (error instanceof RegistryError) {
        return { retriable: error.retriable, ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }) };
    }
    return { retriable: (0,_retry_js__WEBPACK_IMPORTED_MODULE_0__/* .isTransientError */ .bV)(error) };
}
/** The most of an error body ferry reads: enough for any registry's message, never a flood. */
const maxErrorBodyBytes = 64 * 1024;
/** Credentials as they travel in headers, in case a registry echoes a request back. */
const credentialPattern = /\b(Basic|Bearer)\s+[A-Za-z0-9._~+/=-]{6,}/gi;
/** Removes every known secret, and anything shaped like an Authorization value, from text a server sent. */
class Redactor {
    also;
    secrets = new Set();
    /** `also`: further secrets known elsewhere (a credential store's), consulted at each redaction. */
    constructor(also = []) {
        this.also = also;
    }
    add(secret) {
        if (secret.length >= 4)
            this.secrets.add(secret);
    }
    redact(text) {
        let clean = text.replace(credentialPattern, '$1 ***');
        for (const secret of [...this.secrets, ...this.also])
            if (secret.length >= 4)
                clean = clean.split(secret).join('***');
        return clean;
    }
}
/** The error codes and messages of an OCI distribution error body, if it is one; the raw text, shortened, if not. */
function describeErrorBody(text, redactor) {
    const redact = (value) => (redactor === undefined ? value.replace(credentialPattern, '$1 ***') : redactor.redact(value));
    try {
        const body = JSON.parse(text);
        const errors = Array.isArray(body.errors) ? body.errors : [];
        const codes = errors.map((error) => String(error.code ?? '')).filter((code) => /^[A-Z_]{1,64}$/.test(code));
        const message = errors
            .slice(0, 5)
            .map((error) => [error.code, error.message].filter(Boolean).map(String).join(': '))
            .join('; ')
            .slice(0, 500);
        if (message !== '')
            return { codes, message: redact(message) };
    }
    catch {
        // not JSON: fall through to the raw text
    }
    return { codes: [], message: redact(text.trim().slice(0, 300)) };
}


/***/ })

};
