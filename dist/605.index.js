export const id = 605;
export const ids = [605];
export const modules = {

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

/***/ 59605:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  verifyImages: () => (/* binding */ verifyImages)
});

// EXTERNAL MODULE: ./node_modules/p-limit/index.js + 1 modules
var p_limit = __webpack_require__(70370);
// EXTERNAL MODULE: ./src/copy/platforms.ts
var copy_platforms = __webpack_require__(48089);
// EXTERNAL MODULE: ./src/untrusted-text.ts
var untrusted_text = __webpack_require__(38521);
// EXTERNAL MODULE: ./src/oci/manifest.ts
var oci_manifest = __webpack_require__(32060);
// EXTERNAL MODULE: ./node_modules/@sigstore/bundle/dist/index.js
var dist = __webpack_require__(61040);
// EXTERNAL MODULE: ./src/copy/endpoint.ts
var endpoint = __webpack_require__(8344);
// EXTERNAL MODULE: ./src/oci/limits.ts
var limits = __webpack_require__(64593);
// EXTERNAL MODULE: ./src/oci/digest.ts
var digest = __webpack_require__(68825);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
;// CONCATENATED MODULE: ./src/verify/cosign.ts
// cosign's tag-scheme signatures and attestations (`sha256-<hex>.sig`, `.att`) as Sigstore bundles, so
// that one verifier checks every format. A layer of such a manifest is the signed content (the
// simple-signing payload, or a DSSE envelope); its annotations carry the signature, the certificate
// and chain, the Rekor entry (`dev.sigstore.cosign/bundle`: the signed entry timestamp and the entry)
// and an RFC 3161 timestamp. This is the mapping cosign and sigstore-go make themselves; every value
// is untrusted and checked for shape here, for meaning by @sigstore/verify.

const simpleSigningType = 'application/vnd.dev.cosign.simplesigning.v1+json';
const dsseEnvelopeType = 'application/vnd.dsse.envelope.v1+json';
const annotation = {
    signature: 'dev.cosignproject.cosign/signature',
    certificate: 'dev.sigstore.cosign/certificate',
    chain: 'dev.sigstore.cosign/chain',
    rekorBundle: 'dev.sigstore.cosign/bundle',
    timestamp: 'dev.sigstore.cosign/rfc3161timestamp',
};
/** The most an annotation ferry reads may hold: a certificate chain or a Rekor entry is a few KiB. */
const maxAnnotationCharacters = 64 * 1024;
/** An annotation's value, refused past its bound before anything parses it. */
function annotationValue(annotations, key) {
    const value = annotations[key];
    if (value !== undefined && value.length > maxAnnotationCharacters)
        throw new Error(`the ${key} annotation is ${value.length} characters, more than the ${maxAnnotationCharacters} ferry reads`);
    return value;
}
/** The DER bytes of each PEM certificate in `text`, base64. */
function certificates(text) {
    const blocks = [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/g)];
    return blocks.map((block) => Buffer.from((block[1] ?? '').replace(/\s+/g, ''), 'base64').toString('base64'));
}
function object(value, what) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new Error(`${what} is not an object`);
    return value;
}
function parse(text, what) {
    try {
        return object(JSON.parse(text), what);
    }
    catch (error) {
        throw new Error(`${what} is not JSON (${error.message})`, { cause: error });
    }
}
/** The Rekor entry of `dev.sigstore.cosign/bundle` as a bundle's transparency-log entry. */
function tlogEntry(text) {
    const rekor = parse(text, 'the Rekor bundle annotation');
    const payload = object(rekor.Payload, 'the Rekor bundle payload');
    const { body, integratedTime, logIndex, logID } = payload;
    if (typeof body !== 'string' || typeof logID !== 'string' || !/^[0-9a-f]+$/i.test(logID))
        throw new Error('the Rekor bundle annotation lacks its entry body or log ID');
    if (!Number.isSafeInteger(integratedTime) || !Number.isSafeInteger(logIndex))
        throw new Error('the Rekor bundle annotation lacks its integrated time or log index');
    if (typeof rekor.SignedEntryTimestamp !== 'string')
        throw new Error('the Rekor bundle annotation lacks its signed entry timestamp');
    const entry = parse(Buffer.from(body, 'base64').toString('utf8'), 'the Rekor entry body');
    if (typeof entry.kind !== 'string' || typeof entry.apiVersion !== 'string')
        throw new Error('the Rekor entry body names no kind');
    return {
        logIndex: String(logIndex),
        logId: { keyId: Buffer.from(logID, 'hex').toString('base64') },
        kindVersion: { kind: entry.kind, version: entry.apiVersion },
        integratedTime: String(integratedTime),
        inclusionPromise: { signedEntryTimestamp: rekor.SignedEntryTimestamp },
        inclusionProof: undefined,
        canonicalizedBody: body,
    };
}
function verificationMaterial(annotations) {
    const certificate = annotationValue(annotations, annotation.certificate);
    const chain = annotationValue(annotations, annotation.chain);
    const rekor = annotationValue(annotations, annotation.rekorBundle);
    const timestamp = annotationValue(annotations, annotation.timestamp);
    const signedTimestamp = timestamp === undefined ? undefined : parse(timestamp, 'the RFC 3161 timestamp annotation').SignedRFC3161Timestamp;
    if (timestamp !== undefined && typeof signedTimestamp !== 'string')
        throw new Error('the RFC 3161 timestamp annotation holds no timestamp');
    const chainCertificates = [
        ...(certificate === undefined ? [] : certificates(certificate)),
        ...(chain === undefined ? [] : certificates(chain)),
    ];
    if (certificate !== undefined && chainCertificates.length === 0)
        throw new Error('the certificate annotation holds no PEM certificate');
    return {
        ...(certificate === undefined
            ? { publicKey: { hint: '' } }
            : { x509CertificateChain: { certificates: chainCertificates.map((rawBytes) => ({ rawBytes })) } }),
        tlogEntries: rekor === undefined ? [] : [tlogEntry(rekor)],
        timestampVerificationData: { rfc3161Timestamps: typeof signedTimestamp === 'string' ? [{ signedTimestamp }] : [] },
    };
}
const bundleV01 = 'application/vnd.dev.sigstore.bundle+json;version=0.1';
/** A `.sig` layer: the simple-signing payload signed as a message. */
function simpleSigningBundle(payload, annotations) {
    const signature = annotationValue(annotations, annotation.signature);
    if (signature === undefined || signature === '')
        throw new Error(`the layer has no ${annotation.signature} annotation`);
    return {
        mediaType: bundleV01,
        verificationMaterial: verificationMaterial(annotations),
        messageSignature: {
            messageDigest: { algorithm: 'SHA2_256', digest: (0,external_node_crypto_.createHash)('sha256').update(payload).digest('base64') },
            signature,
        },
    };
}
/** A `.att` layer: a DSSE envelope. */
function envelopeBundle(envelopeText, annotations) {
    const envelope = parse(envelopeText.toString('utf8'), 'the DSSE envelope');
    const { payload, payloadType, signatures } = envelope;
    if (typeof payload !== 'string' || typeof payloadType !== 'string' || !Array.isArray(signatures))
        throw new Error('the DSSE envelope lacks its payload, payload type or signatures');
    return {
        mediaType: bundleV01,
        verificationMaterial: verificationMaterial(annotations),
        dsseEnvelope: {
            payload,
            payloadType,
            signatures: signatures.map((entry) => {
                const { sig, keyid } = object(entry, 'a DSSE signature');
                if (typeof sig !== 'string')
                    throw new Error('a DSSE signature has no sig');
                return { sig, keyid: typeof keyid === 'string' ? keyid : '' };
            }),
        },
    };
}
/** The digest a simple-signing payload says it signs (`critical.image.docker-manifest-digest`). */
function signedManifestDigest(payload) {
    const json = parse(payload.toString('utf8'), 'the simple-signing payload');
    const critical = object(json.critical, 'the simple-signing payload critical section');
    if (critical.type !== 'cosign container image signature')
        throw new Error('the payload is not a cosign container image signature');
    const digest = object(critical.image, 'the simple-signing payload image')['docker-manifest-digest'];
    if (typeof digest !== 'string')
        throw new Error('the payload names no docker-manifest-digest');
    return digest;
}

;// CONCATENATED MODULE: ./src/verify/evidence.ts
// What an image's source holds that could vouch for it: cosign's `.sig` and `.att` digest tags and
// Sigstore bundles stored as OCI referrers, each read into a bundle and what it claims to sign. Every
// read is bounded (how many candidates, how many layers, how large a layer) and every blob checked
// against its digest: the source is untrusted, and all it can do is fail to vouch.







const sigstoreBundleType = /^application\/vnd\.dev\.sigstore\.bundle(?:\.v0\.3\+json|\+json;version=0\.[1-3])$/;
/** Bounds against a source that answers without end. */
const maxCandidates = 32;
const maxLayers = 16;
async function readBlob(source, blob) {
    if (blob.size > limits/* maxManifestBytes */.rq)
        throw new Error(`${blob.digest} is ${blob.size} bytes, more than the ${limits/* maxManifestBytes */.rq} ferry reads as evidence`);
    return (0,digest/* readWhole */.oD)(source.openBlob(blob), blob);
}
function parseBundle(json) {
    try {
        return (0,dist.bundleFromJSON)(json);
    }
    catch (error) {
        throw new Error(`not a Sigstore bundle (${error.message})`, { cause: error });
    }
}
function claimOf(bundle, imageDigest) {
    if (bundle.content.$case === 'dsseEnvelope') {
        const { payload, payloadType } = bundle.content.dsseEnvelope;
        return { type: 'statement', payload, payloadType };
    }
    // A message signature stored as a referrer signs the image's manifest itself.
    return { type: 'image-signature', digest: imageDigest };
}
/** The evidence in one candidate manifest: one per layer. */
async function readCandidate(source, imageDigest, descriptor, origin, budget) {
    budget?.take(`${source.key}@${descriptor.digest}`);
    const manifest = await source.getManifest(descriptor.digest, descriptor.mediaType);
    const decoded = (0,oci_manifest/* decodeManifest */.MK)(manifest);
    const layers = decoded.kind === 'image' ? decoded.blobs.slice(1) : decoded.blobs;
    if (layers.length > maxLayers)
        return [{ origin, unreadable: `${layers.length} layers, more than the ${maxLayers} ferry reads` }];
    const found = [];
    for (const layer of layers) {
        const at = layers.length === 1 ? origin : `${origin} layer ${found.length + 1}`;
        try {
            const bytes = await readBlob(source, layer);
            const annotations = layer.annotations ?? {};
            if (layer.mediaType === simpleSigningType) {
                const bundle = parseBundle(simpleSigningBundle(bytes, annotations));
                found.push({ origin: at, bundle, artifact: bytes, claim: { type: 'image-signature', digest: signedManifestDigest(bytes) } });
            }
            else if (layer.mediaType === dsseEnvelopeType) {
                const bundle = parseBundle(envelopeBundle(bytes, annotations));
                found.push({ origin: at, bundle, claim: claimOf(bundle, imageDigest) });
            }
            else if (sigstoreBundleType.test(layer.mediaType)) {
                let json;
                try {
                    json = JSON.parse(bytes.toString('utf8'));
                }
                catch {
                    throw new Error('the bundle is not JSON');
                }
                const bundle = parseBundle(json);
                const claim = claimOf(bundle, imageDigest);
                const artifact = bundle.content.$case === 'messageSignature' ? (await source.getManifest(imageDigest)).bytes : undefined;
                found.push({ origin: at, bundle, ...(artifact === undefined ? {} : { artifact }), ...(claim === undefined ? {} : { claim }) });
            }
        }
        catch (error) {
            found.push({ origin: at, unreadable: (0,untrusted_text/* shortened */.vI)(error.message, 300) });
        }
    }
    return found;
}
/** Every piece of evidence the source holds for `digest`. */
async function readEvidence(source, digest, signaturesOnly, budget) {
    const [referrers, tagged] = await Promise.all([source.referrers(digest, signaturesOnly), source.digestTags(digest, signaturesOnly)]);
    const candidates = [
        ...tagged
            .filter(({ tag }) => tag === `${(0,endpoint/* digestTag */.t)(digest)}.sig` || tag === `${(0,endpoint/* digestTag */.t)(digest)}.att`)
            .map(({ tag, descriptor }) => ({ descriptor, origin: `tag ${tag}` })),
        ...referrers
            .filter((descriptor) => sigstoreBundleType.test(descriptor.artifactType ?? ''))
            .map((descriptor) => ({ descriptor, origin: `referrer ${descriptor.digest}` })),
    ];
    if (candidates.length > maxCandidates)
        return [{ origin: digest, unreadable: `${candidates.length} signatures and attestations, more than the ${maxCandidates} ferry reads` }];
    const found = await Promise.all(candidates.map(({ descriptor, origin }) => readCandidate(source, digest, descriptor, origin, budget).catch((error) => [
        { origin, unreadable: (0,untrusted_text/* shortened */.vI)(error.message, 300) },
    ])));
    return found.flat();
}

// EXTERNAL MODULE: ./node_modules/@sigstore/protobuf-specs/dist/index.js
var protobuf_specs_dist = __webpack_require__(19654);
// EXTERNAL MODULE: ./node_modules/@sigstore/verify/dist/index.js
var verify_dist = __webpack_require__(54187);
;// CONCATENATED MODULE: ./src/verify/verifier.ts
// Whether evidence vouches for an image under the run's policy, checked by the Sigstore project's own
// verifier (@sigstore/verify): the signature over the signed bytes, the key or the certificate chain to
// a trusted Fulcio CA with its SCT, every transparency-log entry's signed timestamp or inclusion proof,
// the certificate's validity at a verified time (a log entry's or a timestamp authority's), the
// identity and issuer. What ferry adds is what the verifier cannot know: that the signed content names
// this image's digest, and, for attestations, the predicate type.




/** The predicate type of cosign's own image signatures in the bundle format. */
const cosignSignPredicate = 'https://sigstore.dev/cosign/sign/v1';
const inTotoPayloadType = 'application/vnd.in-toto+json';
const emptyRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [],
    certificateAuthorities: [],
    ctlogs: [],
    timestampAuthorities: [],
};
/** Past these, a bundle is refused before it is checked: the verifier compares every pair of them. */
const maxLogEntries = 4;
const maxTimestamps = 4;
/** The in-toto statement's subjects' sha256 digests and its predicate type; undefined when it is not one. */
function statementOf(claim) {
    if (claim.payloadType !== inTotoPayloadType)
        return undefined;
    let json;
    try {
        json = JSON.parse(claim.payload.toString('utf8'));
    }
    catch {
        return undefined;
    }
    if (typeof json !== 'object' || json === null)
        return undefined;
    const { predicateType, subject } = json;
    if (typeof predicateType !== 'string' || !Array.isArray(subject))
        return undefined;
    const digests = subject.flatMap((item) => {
        const sha256 = item?.digest?.sha256;
        return typeof sha256 === 'string' ? [`sha256:${sha256.toLowerCase()}`] : [];
    });
    return { predicateType, digests };
}
class ImageVerifier {
    policy;
    trusts;
    constructor(policy, trusts) {
        this.policy = policy;
        this.trusts = trusts;
    }
    /** The verifier for a policy; keyless without a trusted root loads the public-good root through TUF (network). */
    static async create(policy, tufCache) {
        const rootJson = policy.trustedRoot === undefined ? undefined : JSON.parse(policy.trustedRoot);
        let root;
        if (rootJson !== undefined) {
            try {
                root = protobuf_specs_dist.TrustedRoot.fromJSON(rootJson);
                (0,verify_dist/* toTrustMaterial */.jO)(root);
            }
            catch (error) {
                throw new Error(`trusted-root: not a Sigstore trusted root (${error.message})`, { cause: error });
            }
        }
        else if (policy.issuer !== undefined) {
            const { getTrustedRoot } = await Promise.all(/* import() */[__webpack_require__.e(830), __webpack_require__.e(694)]).then(__webpack_require__.bind(__webpack_require__, 84423));
            root = await getTrustedRoot(tufCache === undefined ? {} : { cachePath: tufCache });
        }
        const trusts = policy.keys.map(({ key, label }) => ({
            label,
            verifier: new verify_dist/* Verifier */.BL(keyMaterial(policy.trustedRoot === undefined ? protobuf_specs_dist.TrustedRoot.fromJSON(emptyRoot) : root, key), {
                tlogThreshold: 0,
                ctlogThreshold: 0,
                timestampThreshold: 0,
            }),
            // Only a root the workflow names checks a key's log entries: the public-good root is for keyless.
            keyOnly: policy.trustedRoot === undefined,
            certificate: false,
            ed25519: key.asymmetricKeyType === 'ed25519',
        }));
        if (policy.issuer !== undefined && root !== undefined) {
            // A Fulcio certificate is valid for minutes: it counts only at a time a log entry or a timestamp authority vouches for.
            trusts.push({
                label: `${policy.identity ?? policy.identityPattern?.source ?? ''} (${policy.issuer})`,
                verifier: new verify_dist/* Verifier */.BL((0,verify_dist/* toTrustMaterial */.jO)(root), { ctlogThreshold: 1, tlogThreshold: 0, timestampThreshold: 1 }),
                keyOnly: false,
                certificate: true,
                ed25519: false,
            });
        }
        return new ImageVerifier(policy, trusts);
    }
    /** What the evidence claims, checked against the image's digest and the policy; a reason when it does not fit. */
    claimError(evidence, digest) {
        const { claim } = evidence;
        if (claim === undefined)
            return 'it claims nothing ferry can read';
        if (claim.type === 'image-signature') {
            if (this.policy.kind === 'attestation')
                return 'a signature, not an attestation';
            return claim.digest === digest ? undefined : `it signs ${(0,untrusted_text/* quoted */.TL)(claim.digest, 80)}, not ${digest}`;
        }
        const statement = statementOf(claim);
        if (statement === undefined)
            return 'its envelope holds no in-toto statement';
        const wanted = this.policy.kind === 'signature' ? cosignSignPredicate : this.policy.predicateType;
        if (statement.predicateType !== wanted)
            return `it attests ${(0,untrusted_text/* quoted */.TL)(statement.predicateType, 120)}, not ${wanted}`;
        if (!statement.digests.includes(digest))
            return `its subjects do not include ${digest}`;
        return undefined;
    }
    /** The first trust the evidence verifies under, or the reason it verifies under none. */
    check(evidence, digest) {
        if (evidence.unreadable !== undefined)
            return evidence.unreadable;
        const claimError = this.claimError(evidence, digest);
        if (claimError !== undefined)
            return claimError;
        let entity;
        try {
            entity = (0,verify_dist/* toSignedEntity */.DC)(evidence.bundle, evidence.artifact);
        }
        catch (error) {
            return `unusable bundle (${(0,untrusted_text/* shortened */.vI)(error.message, 300)})`;
        }
        if (entity.tlogEntries.length > maxLogEntries || entity.timestamps.length > maxLogEntries + maxTimestamps)
            return `${entity.tlogEntries.length} log entries and ${entity.timestamps.length} timestamps, more than ferry checks`;
        const reasons = [];
        for (const trust of this.trusts) {
            if ((entity.key.$case === 'certificate') !== trust.certificate) {
                reasons.push(trust.certificate ? 'signed with a key, not a certificate' : `not signed with ${trust.label}`);
                continue;
            }
            let checked = trust.keyOnly ? { ...entity, tlogEntries: [], timestamps: [] } : entity;
            const message = evidence.artifact;
            if (trust.ed25519 && message !== undefined && evidence.bundle?.content.$case === 'messageSignature') {
                const { signature } = entity;
                // The library's own content object, with only the signature check replaced (its other checks are methods of it).
                const pure = Object.create(signature, {
                    verifySignature: { value: (key) => (0,external_node_crypto_.verify)(null, message, key, signature.signature) },
                });
                checked = { ...checked, signature: pure };
            }
            try {
                const signer = trust.verifier.verify(checked, trust.certificate
                    ? {
                        // A pattern is matched by the library (anchored when it was read); an exact identity is
                        // compared here, since the library reads a string as an unanchored pattern.
                        ...(this.policy.identityPattern === undefined ? {} : { subjectAlternativeName: this.policy.identityPattern }),
                        extensions: { issuer: this.policy.issuer ?? '' },
                    }
                    : undefined);
                const identity = signer.identity?.subjectAlternativeName;
                if (trust.certificate && this.policy.identity !== undefined && identity !== this.policy.identity) {
                    reasons.push(`keyless: the certificate's identity is ${(0,untrusted_text/* quoted */.TL)(identity ?? '', 200)}, not ${this.policy.identity}`);
                    continue;
                }
                const statement = evidence.claim?.type === 'statement' ? statementOf(evidence.claim) : undefined;
                return {
                    by: trust.label,
                    kind: this.policy.kind,
                    ...(this.policy.kind === 'attestation' && statement !== undefined ? { predicateType: statement.predicateType } : {}),
                };
            }
            catch (error) {
                reasons.push(`${trust.certificate ? 'keyless' : trust.label}: ${(0,untrusted_text/* shortened */.vI)(sigstoreReason(error), 300)}`);
            }
        }
        return reasons.join('; ');
    }
}
/** A verifier's error as words: its code (`TLOG_INCLUSION_PROOF_ERROR`) says which check failed. */
function sigstoreReason(error) {
    const { code, message } = error;
    const check = typeof code === 'string' && /^[A-Z_]+$/.test(code) ? `${code.toLowerCase().replaceAll('_', ' ')}: ` : '';
    return `${check}${String(message)}`;
}
function keyMaterial(root, key) {
    return (0,verify_dist/* toTrustMaterial */.jO)(root, () => ({ publicKey: key, validFor: () => true }));
}

;// CONCATENATED MODULE: ./src/verify/gate.ts
// The gate every mode that moves or pins images passes before its first write: each distinct image
// checked once, its evidence read from its source (a registry, or the archive itself when importing),
// verified under the policy. An image verifies when evidence names its own digest; an index with none
// of its own verifies when every platform's image does (cosign signs each platform with --recursive).
// With `enforce`, an image that does not verify is a failure of the run; with `warn`, a warning.







/** At most this many reasons are named for one image. */
const reasonsNamed = 3;
async function verifyDigest(verifier, source, digest, signaturesOnly, budget) {
    const evidence = await readEvidence(source, digest, signaturesOnly, budget);
    if (evidence.length === 0)
        return 'no signature or attestation found';
    const reasons = [];
    for (const item of evidence) {
        const outcome = verifier.check(item, digest);
        if (typeof outcome !== 'string')
            return outcome;
        reasons.push(`${item.origin}: ${outcome}`);
    }
    const more = reasons.length > reasonsNamed ? `; and ${reasons.length - reasonsNamed} more` : '';
    return `${evidence.length} found, none verified (${reasons.slice(0, reasonsNamed).join('; ')}${more})`;
}
/** At most this many platforms of an index are verified one by one. */
const maxPlatforms = 64;
/**
 * Whether an index's child is buildx's attestation manifest of a sibling: `unknown/unknown`, naming a
 * sibling's digest. Only such a child may go unsigned; a child that merely says it is one could be
 * the image a platform filter picks.
 */
function attestsSibling(child, siblings) {
    const of = child.annotations?.['vnd.docker.reference.digest'];
    return ((0,oci_manifest/* isAttestationManifest */.gV)(child) &&
        child.platform?.os === 'unknown' &&
        child.platform.architecture === 'unknown' &&
        siblings.some((sibling) => sibling !== child && sibling.digest === of));
}
async function verifyImage(verifier, source, digest, signaturesOnly, budget, madeOf, filter) {
    const own = await verifyDigest(verifier, source, digest, signaturesOnly, budget);
    if (typeof own !== 'string')
        return own;
    if (madeOf !== undefined) {
        const origin = await verifyDigest(verifier, source, madeOf, signaturesOnly, budget);
        if (typeof origin !== 'string')
            return { ...origin, madeOf };
    }
    budget?.take(`${source.key}@${digest}`);
    const manifest = await source.getManifest(digest);
    // Under a platform filter, the platforms the copy keeps: what the filter makes of the index, which a
    // platform the run leaves behind does not need to be signed for. A filter that cannot be made (a
    // platform the index lacks) leaves every platform to verify, and the copy to say what is missing.
    const made = filter === undefined
        ? undefined
        : await (0,copy_platforms/* filterManifest */.y1)(manifest, filter, (at, mediaType) => source.getManifest(at, mediaType)).catch(() => undefined);
    const decoded = (0,oci_manifest/* decodeManifest */.MK)(made ?? manifest);
    const platforms = made !== undefined && decoded.kind !== 'index'
        ? [made.descriptor]
        : decoded.kind === 'index'
            ? decoded.children.filter((child) => !attestsSibling(child, decoded.children))
            : [];
    if (platforms.length === 0)
        return own;
    if (platforms.length > maxPlatforms)
        return `${own}; its ${platforms.length} platforms are more than the ${maxPlatforms} ferry verifies one by one`;
    const each = await Promise.all(platforms.map((child) => verifyDigest(verifier, source, child.digest, signaturesOnly, budget)));
    const failed = each.findIndex((outcome) => typeof outcome === 'string');
    if (failed >= 0)
        return `${own}; platform ${platforms[failed]?.digest}: ${each[failed]}`;
    const first = each[0];
    return { ...first, perPlatform: true };
}
async function verifyImages(policy, targets, options) {
    const verifier = await ImageVerifier.create(policy, options.tufCache);
    const limit = (0,p_limit["default"])(options.concurrency);
    const checks = new Map();
    const outcomes = await Promise.all(targets.map(async (target) => {
        const key = `${target.source.key}@${target.digest}@${target.madeOf ?? ''}`;
        let check = checks.get(key);
        if (check === undefined) {
            const { source, digest, madeOf } = target;
            check = limit(() => verifyImage(verifier, source, digest, options.signaturesOnly, options.budget, madeOf, options.platforms)).catch((error) => `its signatures could not be read (${error.message})`);
            checks.set(key, check);
        }
        return [target.entry.image, await check];
    }));
    const verified = new Map();
    const unverified = [];
    for (const [image, outcome] of outcomes) {
        if (typeof outcome === 'string')
            unverified.push({ image, message: `${image}: not verified (${policy.kind}): ${(0,untrusted_text/* shortened */.vI)(outcome, 1500)}` });
        else
            verified.set(image, outcome);
    }
    return policy.mode === 'enforce' ? { verified, failures: unverified, warnings: [] } : { verified, failures: [], warnings: unverified };
}


/***/ })

};
