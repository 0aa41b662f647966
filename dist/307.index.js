export const id = 307;
export const ids = [307,626];
export const modules = {

/***/ 3307:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   attestCopies: () => (/* binding */ attestCopies),
/* harmony export */   listings: () => (/* binding */ listings),
/* harmony export */   pushAttestations: () => (/* binding */ pushAttestations)
/* harmony export */ });
/* harmony import */ var _oci_digest_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(68825);
/* harmony import */ var _oci_media_types_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(29217);
/* harmony import */ var _reference_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(98286);
/* harmony import */ var _remote_facts_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(11317);
/* harmony import */ var _remote_sink_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(10687);
/* harmony import */ var _copy_endpoint_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(8344);
/* harmony import */ var _provenance_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(73134);
/* harmony import */ var _signing_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(84626);








const signerAnnotation = 'dev.ferry.attestation.signer';
const sourcesAnnotation = 'dev.ferry.attestation.sources';
/** OCI's empty config (`{}`), which an artifact manifest without a config of its own points at. */
const emptyConfigBytes = Buffer.from('{}');
const emptyConfigDescriptor = { mediaType: 'application/vnd.oci.empty.v1+json', digest: (0,_oci_digest_js__WEBPACK_IMPORTED_MODULE_0__/* .digestOf */ .ol)(emptyConfigBytes), size: 2 };
/** The distinct copies of a run: one per destination and digest, with every reference that names it. */
function copiesOf(outcomes, sourceOf) {
    const copies = new Map();
    for (const outcome of outcomes) {
        const { copy, digest } = outcome;
        if (copy === undefined || digest === undefined || copy.destination === 'archive')
            continue;
        const destination = (0,_reference_js__WEBPACK_IMPORTED_MODULE_2__/* .repositoryOf */ ._M)(outcome.newImage);
        const key = `${destination.key}@${digest}`;
        let found = copies.get(key);
        if (found === undefined) {
            found = {
                destination,
                subject: { mediaType: copy.mediaType, digest, size: copy.size },
                images: [],
                sources: [],
                present: copy.present,
                verified: outcome.verified,
                sourceDigest: copy.filteredFrom ?? digest,
            };
            copies.set(key, found);
        }
        found.images.push(outcome.image);
        const source = sourceOf(outcome.image);
        if (!found.sources.includes(source))
            found.sources.push(source);
    }
    return [...copies.values()];
}
/** The referrer manifest of a bundle about `subject`. */
function referrerOf(subject, bundle, annotations) {
    const manifest = Buffer.from(JSON.stringify({
        schemaVersion: 2,
        mediaType: _oci_media_types_js__WEBPACK_IMPORTED_MODULE_1__/* .ociManifest */ .F7,
        artifactType: _signing_js__WEBPACK_IMPORTED_MODULE_6__.bundleMediaType,
        config: emptyConfigDescriptor,
        layers: [{ mediaType: _signing_js__WEBPACK_IMPORTED_MODULE_6__.bundleMediaType, digest: (0,_oci_digest_js__WEBPACK_IMPORTED_MODULE_0__/* .digestOf */ .ol)(bundle), size: bundle.length }],
        subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
        annotations,
    }));
    return {
        manifest,
        descriptor: {
            mediaType: _oci_media_types_js__WEBPACK_IMPORTED_MODULE_1__/* .ociManifest */ .F7,
            digest: (0,_oci_digest_js__WEBPACK_IMPORTED_MODULE_0__/* .digestOf */ .ol)(manifest),
            size: manifest.length,
            artifactType: _signing_js__WEBPACK_IMPORTED_MODULE_6__.bundleMediaType,
            annotations,
        },
    };
}
/**
 * An attestation of the copy by this signer from these sources, already at the destination: its
 * annotations say so, and (with a key) its bundle's signature and statement are checked, since anyone
 * who can push there can write annotations. Anything unexpected is a reason to sign anew, never to fail.
 */
async function attestedBefore(copy, sourcesText, signer, registries) {
    try {
        const client = registries.client(copy.destination.registry);
        const referrers = await (0,_remote_facts_js__WEBPACK_IMPORTED_MODULE_3__/* .listReferrers */ .xt)(client, copy.destination.repository, copy.subject.digest, undefined);
        const candidates = referrers.filter((referrer) => referrer.artifactType === _signing_js__WEBPACK_IMPORTED_MODULE_6__.bundleMediaType &&
            referrer.annotations?.[signerAnnotation] === signer.label &&
            referrer.annotations?.[sourcesAnnotation] === sourcesText);
        for (const candidate of candidates.slice(0, 3)) {
            const manifest = await client.getManifest(copy.destination.repository, candidate.digest);
            const layer = manifest.json.layers?.[0];
            if (manifest.json.subject?.digest !== copy.subject.digest || typeof layer?.digest !== 'string')
                continue;
            if (typeof layer.size !== 'number' || layer.size > maxBundleBytes)
                continue;
            const bundle = await (0,_oci_digest_js__WEBPACK_IMPORTED_MODULE_0__/* .readWhole */ .oD)(client.getBlob(copy.destination.repository, layer.digest, layer.size), {
                digest: layer.digest,
                size: layer.size,
            });
            if (await signer.vouches(bundle, copy.destination.key, copy.subject.digest))
                return candidate;
        }
    }
    catch {
        // Not listed, not readable, not ours: a new attestation says what this run did.
    }
    return undefined;
}
/** A bundle larger than this is not one ferry wrote. */
const maxBundleBytes = 1024 * 1024;
/**
 * Signs a statement for each copy of `outcomes` (in parallel, bounded by `limit`); `sourceOf` gives
 * the reference an image was fetched as, `archive` the archive it came from (unpackage).
 */
async function attestCopies(outcomes, options) {
    const pending = [];
    const byImage = new Map();
    const existing = new Set();
    await Promise.all(copiesOf(outcomes, options.sourceOf).map((copy) => options.limit(async () => {
        const sources = [...copy.sources].sort();
        const sourcesText = sources.join(' ');
        // A re-run: the image was there; an attestation by the same signer of the same sources is enough.
        if (copy.present) {
            const same = await attestedBefore(copy, sourcesText, options.signer, options.registries);
            if (same !== undefined) {
                for (const image of copy.images) {
                    byImage.set(image, same.digest);
                    existing.add(image);
                }
                return;
            }
        }
        const archive = options.archiveOf?.(copy.images[0] ?? '');
        const statement = (0,_provenance_js__WEBPACK_IMPORTED_MODULE_5__/* .provenanceStatement */ .D2)({
            destination: copy.destination.key,
            digest: copy.subject.digest,
            sources,
            sourceDigest: copy.sourceDigest,
            ...(archive === undefined ? {} : { archive }),
            ...(copy.verified === undefined ? {} : { verified: copy.verified }),
        }, options.run);
        const bundle = await options.signer.sign(statement);
        const { manifest, descriptor } = referrerOf(copy.subject, bundle, {
            'dev.sigstore.bundle.content': 'dsse-envelope',
            'dev.sigstore.bundle.predicateType': _provenance_js__WEBPACK_IMPORTED_MODULE_5__/* .provenanceType */ .wy,
            [signerAnnotation]: options.signer.label,
            [sourcesAnnotation]: sourcesText,
        });
        pending.push({ images: copy.images, destination: copy.destination, subject: copy.subject, bundle, manifest, descriptor });
        for (const image of copy.images)
            byImage.set(image, descriptor.digest);
    })));
    return { pending, byImage, existing };
}
/**
 * Pushes the referrers (the commit point, before the tags): the bundle and OCI's empty config (once
 * per repository; each in one POST where the registry takes that), then the manifest. A registry
 * with the referrers API lists it by itself; elsewhere the tag schema index is the commit point's, with
 * the other referrers the run copied (`listings`).
 */
async function pushAttestations(pending, registries, limit) {
    const sinks = new Map();
    const sinkOf = (at) => {
        let sink = sinks.get(at.key);
        if (sink === undefined) {
            sink = new _remote_sink_js__WEBPACK_IMPORTED_MODULE_4__/* .RegistrySink */ .P(registries, at);
            sinks.set(at.key, sink);
        }
        return sink;
    };
    // OCI's empty config, put once into each repository the run attests in, before any manifest there.
    const configs = new Map();
    const configIn = (at) => {
        let put = configs.get(at.key);
        if (put === undefined) {
            put = sinkOf(at).putSmallBlob(emptyConfigDescriptor, emptyConfigBytes);
            configs.set(at.key, put);
        }
        return put;
    };
    await Promise.all(pending.map((attestation) => limit(async () => {
        const sink = sinkOf(attestation.destination);
        const layer = { mediaType: _signing_js__WEBPACK_IMPORTED_MODULE_6__.bundleMediaType, digest: (0,_oci_digest_js__WEBPACK_IMPORTED_MODULE_0__/* .digestOf */ .ol)(attestation.bundle), size: attestation.bundle.length };
        await Promise.all([configIn(attestation.destination), sink.putSmallBlob(layer, attestation.bundle)]);
        await sink.putManifest({ mediaType: _oci_media_types_js__WEBPACK_IMPORTED_MODULE_1__/* .ociManifest */ .F7, digest: attestation.descriptor.digest, size: attestation.manifest.length }, attestation.manifest);
    })));
}
/** The referrers tag schema listings of the attestations, for the commit point to make with the run's other tags. */
function listings(pending) {
    return pending.map(({ destination, subject, descriptor }) => ({
        registry: destination.registry,
        repository: destination.repository,
        tag: (0,_copy_endpoint_js__WEBPACK_IMPORTED_MODULE_7__/* .digestTag */ .t)(subject.digest),
        digest: descriptor.digest,
        referrer: { subject: subject.digest, descriptor },
    }));
}


/***/ }),

/***/ 73134:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D2: () => (/* binding */ provenanceStatement),
/* harmony export */   OY: () => (/* binding */ inTotoPayloadType),
/* harmony export */   wy: () => (/* binding */ provenanceType)
/* harmony export */ });
/* unused harmony exports statementType, relocationBuildType */
/* harmony import */ var _reference_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(98286);

const statementType = 'https://in-toto.io/Statement/v1';
const provenanceType = 'https://slsa.dev/provenance/v1';
const inTotoPayloadType = 'application/vnd.in-toto+json';
/** ferry's build type: a relocation of container images (docs/provenance.md defines its parameters). */
const relocationBuildType = 'urn:ferry:relocation:v1';
/** A reference as a policy matches it: its registry and full path (`docker.io/library/nginx:1.25`), its tag, no digest. */
function fullName(reference) {
    try {
        const parsed = (0,_reference_js__WEBPACK_IMPORTED_MODULE_0__/* .parseReference */ .F2)(reference);
        return (0,_reference_js__WEBPACK_IMPORTED_MODULE_0__/* .referenceText */ .n5)(parsed.name, parsed.tag, undefined);
    }
    catch {
        return reference.split('@')[0] ?? reference;
    }
}
const hexOf = (digest) => {
    const [algorithm = 'sha256', hex = ''] = digest.split(':');
    return { [algorithm]: hex };
};
/** The statement's bytes: what the DSSE envelope carries. */
function provenanceStatement(copy, run) {
    const { github } = run;
    const server = github.GITHUB_SERVER_URL || 'https://github.com';
    const repository = github.GITHUB_REPOSITORY || '';
    // From an archive, the archive is what the image came from; the references it was found as are its names.
    const dependencies = [
        ...(copy.archive !== undefined
            ? []
            : copy.sources.map((source) => ({ uri: `oci://${fullName(source)}`, digest: hexOf(copy.sourceDigest) }))),
        ...(copy.archive === undefined
            ? []
            : [{ uri: `file:${copy.archive.file}`, digest: hexOf(copy.archive.digest), name: copy.sources.join(' ') }]),
    ];
    const statement = {
        _type: statementType,
        subject: [{ name: copy.destination, digest: hexOf(copy.digest) }],
        predicateType: provenanceType,
        predicate: {
            buildDefinition: {
                buildType: relocationBuildType,
                externalParameters: {
                    mode: run.mode,
                    ...(run.defaultRepo === '' ? {} : { defaultRepo: run.defaultRepo }),
                    ...(run.repository === '' ? {} : { repository: run.repository }),
                    platforms: run.platforms ?? 'all',
                    artifacts: run.artifacts,
                },
                internalParameters: {
                    github: {
                        repository,
                        sha: github.GITHUB_SHA ?? '',
                        workflowRef: github.GITHUB_WORKFLOW_REF ?? '',
                    },
                },
                resolvedDependencies: dependencies,
            },
            runDetails: {
                builder: { id: `${server}/${github.GITHUB_WORKFLOW_REF || repository}` },
                metadata: {
                    invocationId: `${server}/${repository}/actions/runs/${github.GITHUB_RUN_ID ?? ''}/attempts/${github.GITHUB_RUN_ATTEMPT || '1'}`,
                },
                ...(copy.verified === undefined
                    ? {}
                    : {
                        byproducts: [
                            {
                                name: 'verification',
                                annotations: {
                                    kind: copy.verified.kind,
                                    by: copy.verified.by,
                                    ...(copy.verified.predicateType === undefined ? {} : { predicateType: copy.verified.predicateType }),
                                },
                            },
                        ],
                    }),
            },
        },
    };
    return Buffer.from(JSON.stringify(statement));
}


/***/ }),

/***/ 84626:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   bundleMediaType: () => (/* binding */ bundleMediaType),
/* harmony export */   statementSigner: () => (/* binding */ statementSigner)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _sigstore_bundle__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(61040);
/* harmony import */ var _sigstore_core__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(83917);
/* harmony import */ var _sigstore_core__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(_sigstore_core__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _sigstore_sign__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(15179);
/* harmony import */ var _provenance_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(73134);
// Signing a statement into a Sigstore bundle (v0.3, a DSSE envelope) with @sigstore/sign, the Sigstore
// project's own signer: with the attest-key (ECDSA P-256 over SHA-256, Node's crypto, the key's
// digest as its hint), or keyless (a Fulcio certificate for the job's OIDC token and a Rekor entry),
// as actions/attest-build-provenance signs.





const bundleMediaType = 'application/vnd.dev.sigstore.bundle.v0.3+json';
/** Signs with the policy's key, else keyless with `idToken` (the job's OIDC token for the audience `sigstore`). */
function statementSigner(policy, idToken, workflow) {
    const key = policy.key;
    const signer = key === undefined
        ? new _sigstore_sign__WEBPACK_IMPORTED_MODULE_3__/* .FulcioSigner */ .$o({ identityProvider: { getToken: idToken }, fulcioBaseURL: policy.fulcioUrl, retry: 2, timeout: 30_000 })
        : {
            sign: async (data) => ({
                signature: (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.sign)('sha256', data, key.privateKey),
                key: { $case: 'publicKey', publicKey: key.publicPem, hint: key.label.slice('key '.length) },
            }),
        };
    const builder = new _sigstore_sign__WEBPACK_IMPORTED_MODULE_3__/* .DSSEBundleBuilder */ .VV({
        signer,
        witnesses: key === undefined ? [new _sigstore_sign__WEBPACK_IMPORTED_MODULE_3__/* .RekorWitness */ .fU({ rekorBaseURL: policy.rekorUrl, entryType: 'dsse', retry: 2, timeout: 30_000 })] : [],
    });
    return {
        label: key?.label ?? `keyless ${workflow}`,
        async sign(statement) {
            try {
                const bundle = await builder.create({ data: statement, type: _provenance_js__WEBPACK_IMPORTED_MODULE_4__/* .inTotoPayloadType */ .OY });
                return Buffer.from(JSON.stringify((0,_sigstore_bundle__WEBPACK_IMPORTED_MODULE_1__.bundleToJSON)(bundle)));
            }
            catch (error) {
                // Sigstore's errors keep what went wrong in their cause: say all of it.
                const causes = [];
                for (let at = error; at instanceof Error && causes.length < 4; at = at.cause)
                    causes.push(at.message);
                throw new Error(`attest: signing failed: ${causes.join(': ')}`, { cause: error });
            }
        },
        async vouches(bundle, name, digest) {
            const parsed = JSON.parse(bundle.toString('utf8'));
            const envelope = parsed.dsseEnvelope;
            if (envelope?.payload === undefined || envelope.payloadType !== _provenance_js__WEBPACK_IMPORTED_MODULE_4__/* .inTotoPayloadType */ .OY)
                return false;
            const payload = Buffer.from(envelope.payload, 'base64');
            const statement = JSON.parse(payload.toString('utf8'));
            const [subject] = statement.subject ?? [];
            if (subject?.name !== name || `sha256:${subject.digest?.sha256 ?? ''}` !== digest)
                return false;
            if (key === undefined)
                return true;
            const signature = envelope.signatures?.[0]?.sig;
            return (signature !== undefined &&
                (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.verify)('sha256', _sigstore_core__WEBPACK_IMPORTED_MODULE_2__.dsse.preAuthEncoding(envelope.payloadType, payload), (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createPublicKey)(key.privateKey), Buffer.from(signature, 'base64')));
        },
    };
}


/***/ }),

/***/ 8344:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   o: () => (/* binding */ isDigestTagOf),
/* harmony export */   t: () => (/* binding */ digestTag)
/* harmony export */ });
/** The tag the referrers tag schema and cosign name after a digest: `<alg>-<hex>`, truncated as the spec says. */
function digestTag(digest) {
    const [algorithm = '', hex = ''] = digest.split(':');
    return `${algorithm.slice(0, 32)}-${hex.slice(0, 64)}`;
}
/**
 * Whether `tag` is one of cosign's digest tags of `subject` (`<alg>-<hex>.<suffix>`): the only tag an
 * artifact gets, from a registry or from an archive, so nothing that travels with an image can put
 * one of the images' own tags.
 */
function isDigestTagOf(tag, subject) {
    const prefix = `${digestTag(subject)}.`;
    return tag.length > prefix.length && tag.startsWith(prefix);
}


/***/ }),

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


/***/ }),

/***/ 11317:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ZY: () => (/* binding */ referrersApi),
/* harmony export */   _: () => (/* binding */ notThere),
/* harmony export */   xS: () => (/* binding */ factsOf),
/* harmony export */   xt: () => (/* binding */ listReferrers)
/* harmony export */ });
/* harmony import */ var _oci_manifest_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(32060);
/* harmony import */ var _oci_repository_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(40405);
/* harmony import */ var _copy_endpoint_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8344);
/* harmony import */ var _registry_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6764);




function notFound(error) {
    if (error instanceof _registry_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .RegistryError */ .gl && error.status === 404)
        return undefined;
    throw error;
}
/**
 * For a manifest ferry asks about without knowing it exists (a digest tag, a referrers schema tag, an
 * image at its destination), a 403 is "not there": registries that hide what does not exist
 * (Artifactory, some Harbor and Nexus set-ups) answer 403 where others answer 404. Said once per
 * registry. A 403 for a source image stays an error: that one must exist.
 */
function notThere(client, reference) {
    return (error) => {
        if (error instanceof _registry_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .RegistryError */ .gl && error.status === 403) {
            const known = factsOf(client);
            if (!known.hidesMissing) {
                known.hidesMissing = true;
                client.notice(`${client.registry} answered 403 for ${reference}, which ferry asks about without knowing it exists: read as "not there" (registries that hide what does not exist answer 403), here and for the rest of the run`);
            }
            return undefined;
        }
        return notFound(error);
    };
}
const facts = new WeakMap();
function factsOf(client) {
    let known = facts.get(client);
    if (known === undefined) {
        known = { tags: new Map() };
        facts.set(client, known);
    }
    return known;
}
/**
 * The referrers API's answer for `digest`, undefined when the registry has no API. The first request
 * to a registry decides for it, and the others wait for that answer; a failed first request decides
 * nothing (its caller sees the error, the next request decides).
 */
async function referrersApi(client, repository, digest) {
    const known = factsOf(client);
    const settled = known.referrersApi === undefined ? undefined : await known.referrersApi;
    if (settled === false)
        return undefined;
    if (settled === true)
        return client.referrers(repository, digest);
    const first = client.referrers(repository, digest);
    known.referrersApi = first.then((listed) => listed !== undefined, () => {
        known.referrersApi = undefined;
        return undefined;
    });
    return first;
}
/** The referrers a registry lists for `digest`: the API first, then (no API) the tag schema. */
async function listReferrers(client, repository, digest, tags) {
    const listed = await referrersApi(client, repository, digest);
    if (listed !== undefined)
        return listed;
    const tag = (0,_copy_endpoint_js__WEBPACK_IMPORTED_MODULE_2__/* .digestTag */ .t)(digest);
    // With the repository's tags at hand, a missing schema tag costs no request.
    if (tags !== undefined && !(await tags()).has(tag))
        return [];
    const index = await client.getManifestAtOwner(repository, tag).catch(notThere(client, `${repository}:${tag}`));
    if (index === undefined)
        return [];
    const list = index.json.manifests;
    const where = new _oci_repository_js__WEBPACK_IMPORTED_MODULE_3__/* .Repository */ .LN(client.registry, repository).withTag(tag);
    if (!Array.isArray(list))
        throw new Error(`${where} is not an index of referrers`);
    return list.map((item) => (0,_oci_manifest_js__WEBPACK_IMPORTED_MODULE_0__/* .toDescriptor */ .RU)(item, where));
}


/***/ }),

/***/ 10687:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  P: () => (/* binding */ RegistrySink)
});

// EXTERNAL MODULE: ./src/oci/repository.ts
var repository = __webpack_require__(40405);
// EXTERNAL MODULE: ./src/remote/facts.ts
var facts = __webpack_require__(11317);
// EXTERNAL MODULE: ./src/oci/media-types.ts
var media_types = __webpack_require__(29217);
// EXTERNAL MODULE: ./src/registry/errors.ts
var errors = __webpack_require__(6764);
;// CONCATENATED MODULE: ./src/remote/refusals.ts
// What a registry's refusal of a push means, said for the refusals users meet most: a repository the
// registry will not create (ECR), layers at external URLs, an index where only images are taken.


/** Whether a manifest has layers that live at URLs of their own (non-distributable, Windows base layers). */
function hasForeignLayers(bytes) {
    try {
        const json = JSON.parse(bytes.toString('utf8'));
        return (json.layers ?? []).some((layer) => media_types/* foreignLayerTypes */.b1.test(layer.mediaType ?? '') || (Array.isArray(layer.urls) && layer.urls.length > 0));
    }
    catch {
        return false;
    }
}
/** What a registry's refusal of a push means, for the refusals users meet most (ECR's, and foreign layers). */
function explainRefusal(error, mediaType, destination, foreignLayers = false) {
    if (!(error instanceof errors/* RegistryError */.gl))
        return error;
    const where = destination.key;
    const details = {
        registry: destination.registry,
        repository: destination.repository,
        operation: error.operation,
        status: error.status,
        codes: [...error.codes],
    };
    if (error.codes.includes('NAME_UNKNOWN')) {
        return new errors/* RegistryError */.gl(details, `${error.reason}: the repository ${where} does not exist and the registry does not create repositories on push (ECR does not): create it first`, { cause: error });
    }
    if (foreignLayers && (error.codes.includes('MANIFEST_INVALID') || error.codes.includes('MANIFEST_BLOB_UNKNOWN'))) {
        return new errors/* RegistryError */.gl({ ...details, retriable: false }, `${error.reason}: the image has non-distributable layers that point at external URLs (Windows base layers), and ${destination.registry} does not accept such URLs: allow them in the registry's configuration (the distribution registry: validation.manifests.urls.allow), or copy those layers with a tool that makes them distributable`, { cause: error });
    }
    if (media_types/* indexMediaTypes */.U8.has(mediaType) && (error.status === 400 || error.status === 415) && !error.codes.includes('DIGEST_INVALID')) {
        return new errors/* RegistryError */.gl(details, `${error.reason}: the registry refused a multi-platform image index (manifest list); registries that do not take indexes need a single-platform image instead`, { cause: error });
    }
    return error;
}

// EXTERNAL MODULE: ./src/oci/limits.ts
var limits = __webpack_require__(64593);
// EXTERNAL MODULE: ./src/copy/endpoint.ts
var endpoint = __webpack_require__(8344);
;// CONCATENATED MODULE: ./src/remote/schema-index.ts




class ReferrersSchema {
    client;
    repository;
    /** Updates of one referrers schema tag, one after another. */
    updates = new Map();
    /** The entries of each index this run pushed, by tag. */
    written = new Map();
    constructor(client, repository) {
        this.client = client;
        this.repository = repository;
    }
    /**
     * Lists `referrer` in the referrers tag schema index of `subject` (read, add, push, keeping what is
     * there), unless the registry keeps referrers itself. Updates of one index run one after another.
     */
    add(subject, referrer) {
        const tag = (0,endpoint/* digestTag */.t)(subject);
        const previous = this.updates.get(tag) ?? Promise.resolve();
        const next = previous.catch(() => undefined).then(() => this.update(subject, tag, referrer));
        this.updates.set(tag, next);
        return next;
    }
    async update(subject, tag, referrer) {
        const { client, repository } = this;
        const known = (0,facts/* factsOf */.xS)(client);
        const api = known.referrersApi === undefined ? undefined : await known.referrersApi;
        if (api === true)
            return;
        if (api === undefined && (await (0,facts/* referrersApi */.ZY)(client, repository, subject)) !== undefined)
            return;
        const list = this.written.get(tag) ?? (await this.read(tag));
        if (list.some((item) => item.digest === referrer.digest))
            return;
        const entry = {
            mediaType: referrer.mediaType,
            digest: referrer.digest,
            size: referrer.size,
            ...(referrer.artifactType === undefined ? {} : { artifactType: referrer.artifactType }),
            ...(referrer.annotations === undefined ? {} : { annotations: referrer.annotations }),
        };
        const index = { schemaVersion: 2, mediaType: media_types/* ociIndex */.KP, manifests: [...list, entry] };
        const bytes = Buffer.from(JSON.stringify(index));
        // Each entry carries its referrer's annotations: a few large ones would make an index no registry
        // takes, refused here by name rather than by the registry as it is put.
        if (bytes.length > limits/* maxManifestBytes */.rq)
            throw new Error(`${repository}:${tag}: listing ${referrer.digest} would make the referrers index of ${subject} ${bytes.length} bytes, more than the ${limits/* maxManifestBytes */.rq} a manifest may be`);
        await client.putManifest(repository, tag, bytes, media_types/* ociIndex */.KP);
        this.written.set(tag, index.manifests);
    }
    async read(tag) {
        const existing = await this.client.getManifest(this.repository, tag).catch((0,facts/* notThere */._)(this.client, `${this.repository}:${tag}`));
        return existing !== undefined && Array.isArray(existing.json.manifests) ? existing.json.manifests : [];
    }
}

;// CONCATENATED MODULE: ./src/remote/sink.ts




class RegistrySink {
    key;
    location;
    client;
    /** Manifests this run pushed, or read from the repository, so tagging one needs no (further) read. */
    held = new Map();
    schema;
    constructor(registries, where) {
        this.location = repository/* Repository */.LN.of(where);
        this.client = registries.client(where.registry);
        this.key = this.location.key;
        this.schema = new ReferrersSchema(this.client, where.repository);
    }
    /**
     * Whether the repository did not exist when this run first missed a manifest in it: then it holds no
     * blob and no manifest to ask about, but what this run put there.
     */
    fresh;
    /** Lookups started ahead of the walk (`lookAhead`), each answered once to the walk's first asking. */
    ahead = new Map();
    /** Starts the lookup of `reference` now; the walk's first `resolve` of it takes the answer. */
    lookAhead(reference) {
        let pending = this.ahead.get(reference);
        if (pending === undefined) {
            pending = this.lookUp(reference);
            this.ahead.set(reference, pending);
            pending.catch(() => this.ahead.delete(reference));
        }
        return pending;
    }
    async resolve(reference) {
        const ahead = this.ahead.get(reference);
        if (ahead !== undefined) {
            this.ahead.delete(reference);
            return ahead;
        }
        return this.lookUp(reference);
    }
    /** The repository's first lookup: the others wait for it, since a miss tells them all whether to ask. */
    first;
    async lookUp(reference) {
        if (this.fresh === undefined && this.first !== undefined)
            await this.first.catch(() => undefined);
        if (this.fresh !== undefined && (await this.fresh)) {
            const known = this.held.get(reference);
            return known === undefined ? undefined : { mediaType: known.mediaType, digest: reference, size: known.bytes.length };
        }
        const lookup = this.client
            .resolve(this.location.repository, reference)
            .catch((0,facts/* notThere */._)(this.client, `${this.location.repository}@${reference}`));
        this.first ??= lookup;
        const found = await lookup;
        // A miss: learn, beside the rest of the walk, whether the repository exists at all.
        if (found === undefined)
            this.fresh ??= this.repositoryMissing();
        return found;
    }
    async repositoryMissing() {
        // Not known (an error): every blob is asked about, as before.
        return !(await this.client.hasRepository(this.location.repository).catch(() => true));
    }
    async hasBlob(blob, mountFrom) {
        // In one registry the mount answers both questions in one request; a HEAD first would be one more.
        if (mountFrom?.registry === this.location.registry && mountFrom.repository !== this.location.repository && !this.client.refusesMounts)
            return false;
        if (this.fresh !== undefined && (await this.fresh))
            return false;
        return (await this.client.headBlob(this.location.repository, blob.digest)) !== undefined;
    }
    putBlob(blob, open, mountFrom) {
        const mount = mountFrom?.registry === this.location.registry ? mountFrom.repository : undefined;
        return this.client.uploadBlob(this.location.repository, blob.digest, blob.size, open, mount).catch(this.refusalOf(blob));
    }
    /** Puts a small blob this run made (an attestation's), in one request where the registry takes that. */
    putSmallBlob(blob, bytes) {
        return this.client.uploadSmallBlob(this.location.repository, blob.digest, bytes).catch(this.refusalOf(blob));
    }
    /** A failed blob upload, explained where the registry refused what the blob is. */
    refusalOf(blob) {
        return (error) => {
            throw explainRefusal(error, blob.mediaType, this.location);
        };
    }
    async putManifest(descriptor, bytes) {
        const pushed = await this.client
            .pushManifest(this.location.repository, descriptor.digest, bytes, descriptor.mediaType)
            .catch((error) => {
            throw explainRefusal(error, descriptor.mediaType, this.location, hasForeignLayers(bytes));
        });
        this.held.set(descriptor.digest, { bytes, mediaType: descriptor.mediaType });
        if (pushed.subjectAware)
            (0,facts/* factsOf */.xS)(this.client).referrersApi = Promise.resolve(true);
        return { listed: pushed.subjectAware };
    }
    /**
     * A manifest the repository holds: the bytes this run pushed there, or read from it (checked against
     * its digest) and kept for its tag.
     */
    async heldManifest(digest) {
        const known = this.held.get(digest);
        if (known !== undefined)
            return {
                descriptor: { mediaType: known.mediaType, digest, size: known.bytes.length },
                bytes: known.bytes,
                json: JSON.parse(known.bytes.toString('utf8')),
            };
        const fetched = await this.client.getManifest(this.location.repository, digest);
        this.held.set(digest, { bytes: fetched.bytes, mediaType: fetched.descriptor.mediaType });
        return fetched;
    }
    /** Puts the tag on a manifest that is already there (the commit point of relocation). */
    async tag(digest, tag) {
        let manifest = this.held.get(digest);
        if (manifest === undefined) {
            const fetched = await this.client.getManifest(this.location.repository, digest);
            manifest = { bytes: fetched.bytes, mediaType: fetched.descriptor.mediaType };
        }
        await this.client.putManifest(this.location.repository, tag, manifest.bytes, manifest.mediaType);
    }
    /**
     * Lists `referrer` in the referrers tag schema index of `subject`, unless the registry keeps
     * referrers itself (see ReferrersSchema).
     */
    addReferrer(subject, referrer) {
        return this.schema.add(subject, referrer);
    }
}


/***/ })

};
