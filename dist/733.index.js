export const id = 733;
export const ids = [733,370];
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

/***/ 98188:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  T: () => (/* binding */ Copier)
});

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: ./node_modules/p-limit/index.js + 1 modules
var p_limit = __webpack_require__(70370);
// EXTERNAL MODULE: ./src/oci/manifest.ts
var oci_manifest = __webpack_require__(32060);
// EXTERNAL MODULE: ./src/oci/media-types.ts
var media_types = __webpack_require__(29217);
;// CONCATENATED MODULE: ./src/copy/copy-result.ts
function emptyStats() {
    return { blobsCopied: 0, bytesCopied: 0, blobsSkipped: 0, blobsMounted: 0, foreignLayers: 0, manifestsPushed: 0 };
}

// EXTERNAL MODULE: ./src/oci/limits.ts
var limits = __webpack_require__(64593);
// EXTERNAL MODULE: ./src/copy/artifacts.ts
var artifacts = __webpack_require__(38778);
// EXTERNAL MODULE: ./src/untrusted-text.ts
var untrusted_text = __webpack_require__(38521);
;// CONCATENATED MODULE: ./src/copy/travel.ts




/** What travels with one manifest, at most: a source answering more is refused, not followed. */
const maxArtifactsPerManifest = limits/* maxReferrers */.vk;
/**
 * What travels with the manifests `subjects`: their referrers and digest tags, each copied whole
 * after its subject, then what travels with those in turn (each subject once, which stops any loop).
 */
async function carry(steps, policy, source, sink, subjects, stats) {
    const artifacts = [];
    const tags = [];
    const referrerListings = [];
    if (policy === 'none')
        return { artifacts, tags, referrerListings };
    const signaturesOnly = policy === 'signatures';
    // Each subject is visited once and each artifact carried once, however many paths lead to it:
    // artifacts that name each other as subjects cost one visit each, not one per path. An OCI manifest
    // has one subject, so an artifact found under a second one (a loop, or a hostile index) is not
    // carried again.
    const own = new Set(subjects);
    const visited = new Set(subjects);
    const carried = new Set();
    const walk = { nodes: new Map() };
    const visit = async (subject, depth) => {
        if (depth > limits/* maxDepth */.Mw)
            return;
        const [referrers, tagged] = await Promise.all([
            steps.limit(() => source.referrers(subject, signaturesOnly)),
            steps.limit(() => source.digestTags(subject, signaturesOnly)),
        ]);
        const found = [
            ...referrers.map((descriptor) => ({ descriptor, tag: undefined })),
            ...tagged.map(({ tag, descriptor }) => ({ descriptor, tag: tag })),
        ];
        if (found.length > maxArtifactsPerManifest) {
            throw new Error(`${subject} has ${found.length} referrers and digest tags, more than the ${maxArtifactsPerManifest} ferry carries with one manifest: set artifacts to signatures or none`);
        }
        await Promise.all(found.map(async ({ descriptor, tag }) => {
            // The image's own manifests are not artifacts of anything.
            if (descriptor.digest === subject || own.has(descriptor.digest))
                return;
            if (carried.has(descriptor.digest))
                return;
            carried.add(descriptor.digest);
            if (artifacts.length >= limits/* maxManifestsPerImage */.BM) {
                throw new Error(`more than ${limits/* maxManifestsPerImage */.BM} artifacts travel with the image (${subject} adds more): set artifacts to signatures or none`);
            }
            const { listed, copy } = await carryOne(steps, source, sink, descriptor, subject, tag, signaturesOnly, stats, walk);
            if (copy === undefined)
                return;
            artifacts.push(copy);
            if (tag !== undefined)
                tags.push({ tag, digest: copy.digest });
            else if (!listed)
                referrerListings.push({ subject, referrer: referrerDescriptor(copy) });
            if (visited.has(copy.digest))
                return;
            visited.add(copy.digest);
            await visit(copy.digest, depth + 1);
        }));
    };
    await Promise.all(subjects.map((subject) => visit(subject, 0)));
    const order = (a, b) => a.subject.localeCompare(b.subject) || (a.tag ?? '').localeCompare(b.tag ?? '') || a.digest.localeCompare(b.digest);
    return { artifacts: artifacts.sort(order), tags, referrerListings };
}
/** One artifact copied whole (or found at the sink); undefined when the policy leaves it behind. */
async function carryOne(steps, source, sink, descriptor, subject, tag, signaturesOnly, stats, walk) {
    const existing = await steps.limit(() => sink.resolve(descriptor.digest));
    let artifactType = descriptor.artifactType;
    let annotations = descriptor.annotations;
    let listed = false;
    // The size of what was read, once it is: a listing's or a HEAD's is the registry's word.
    let readSize;
    // A referrer is read even when the destination has it, since it will be listed there: a listing (a
    // tag schema index anyone can write, an archive's index.json) that names it under a subject its
    // manifest does not is refused, and its type and annotations are the manifest's.
    if (existing === undefined || tag === undefined) {
        const manifest = await steps.read(source, descriptor.digest, descriptor.mediaType);
        const node = existing === undefined ? await steps.discover(source, manifest, 0, walk) : undefined;
        const decoded = node?.decoded ?? (0,oci_manifest/* decodeManifest */.MK)(manifest);
        readSize = manifest.bytes.length;
        if (tag === undefined && decoded.subject?.digest !== subject)
            throw new Error(`${descriptor.digest} is listed as a referrer of ${subject}, but its manifest ${decoded.subject === undefined ? 'names no subject' : `names ${decoded.subject.digest}`}: refused`);
        const notAnArtifact = tag === undefined ? undefined : imageUnderDigestTag(decoded);
        if (notAnArtifact !== undefined)
            throw new Error(`${descriptor.digest}, under ${subject}'s digest tag ${tag}, ${notAnArtifact}: a signature, attestation or SBOM holds no image, refused`);
        artifactType = decoded.artifactType;
        annotations = decoded.annotations;
        if (signaturesOnly && artifactKindOf(tag, artifactType) !== 'signature')
            return { listed };
        if (node !== undefined) {
            await steps.put(node, source, sink, stats);
            listed = steps.isListed(sink, descriptor.digest);
        }
    }
    else {
        if (signaturesOnly && artifactKindOf(tag, artifactType) !== 'signature')
            return { listed };
        // Held at the sink already: the commit point puts the tag on the sink's manifest, which must be
        // what the tag says as much as one copied would be (it reads it for the tag either way).
        const readHeld = sink.heldManifest?.bind(sink);
        const held = readHeld === undefined ? undefined : await steps.limit(() => readHeld(descriptor.digest));
        const notAnArtifact = held === undefined ? undefined : imageUnderDigestTag((0,oci_manifest/* decodeManifest */.MK)(held));
        if (notAnArtifact !== undefined)
            throw new Error(`${descriptor.digest}, under ${subject}'s digest tag ${tag}, ${notAnArtifact} (at the destination already): a signature, attestation or SBOM holds no image, refused`);
    }
    const found = existing ?? descriptor;
    return {
        listed,
        copy: {
            kind: artifactKindOf(tag, artifactType),
            digest: descriptor.digest,
            mediaType: found.mediaType || descriptor.mediaType,
            size: existing?.size ?? readSize ?? found.size,
            subject,
            ...(tag === undefined ? {} : { tag }),
            ...(artifactType === undefined ? {} : { artifactType }),
            ...(annotations === undefined ? {} : { annotations }),
        },
    };
}
/** A container image's layers: what a runtime unpacks into a file system. */
const filesystemLayer = /^application\/vnd\.(oci\.image\.layer|docker\.image\.rootfs)\./;
/**
 * Why a manifest under a digest tag (cosign's `sha256-<hex>.sig`, `.att`, `.sbom`) is an image a
 * runtime could run rather than what the tag says: an index, or a layer of a file system. Such a tag
 * is anyone's to push, and an archive's index.json anyone's to write, and what is under it travels
 * with a verified image unverified.
 */
function imageUnderDigestTag(decoded) {
    if (decoded.kind === 'index')
        return 'is an index';
    const layer = decoded.blobs.find((blob) => filesystemLayer.test(blob.mediaType));
    return layer === undefined ? undefined : `holds a file system layer (${(0,untrusted_text/* quoted */.TL)(layer.mediaType)})`;
}
function artifactKindOf(tag, artifactType) {
    return tag === undefined ? (0,artifacts/* kindOfType */.OF)(artifactType) : (0,artifacts/* kindOfTag */.Au)(tag);
}
function referrerDescriptor(copy) {
    return {
        mediaType: copy.mediaType,
        digest: copy.digest,
        size: copy.size,
        ...(copy.artifactType === undefined ? {} : { artifactType: copy.artifactType }),
        ...(copy.annotations === undefined ? {} : { annotations: copy.annotations }),
    };
}

// EXTERNAL MODULE: ./src/oci/descriptor.ts
var descriptor = __webpack_require__(47592);
// EXTERNAL MODULE: ./src/oci/json-keys.ts
var json_keys = __webpack_require__(20812);
;// CONCATENATED MODULE: ./src/copy/graph.ts


/** Every manifest of the graph once, the root first, then depth first in the order the indexes list them. */
function distinct(root) {
    const seen = new Set();
    const order = [];
    const stack = [root];
    while (stack.length > 0) {
        const node = stack.pop();
        if (seen.has(node.manifest.descriptor.digest))
            continue;
        seen.add(node.manifest.descriptor.digest);
        order.push(node);
        for (let at = node.children.length - 1; at >= 0; at--)
            stack.push(node.children[at]);
    }
    return order;
}
/** The digests of a manifest and every manifest it holds, each once. */
function manifestsOf(root) {
    return distinct(root).map((node) => node.manifest.descriptor.digest);
}
/** `os/architecture[/variant]` of each image of an index, nested indexes read once each; empty for a single image. */
function platformsOf(root) {
    const platforms = [];
    const entered = new Set();
    const visit = (node) => {
        node.decoded.children.forEach((child, at) => {
            if ((0,oci_manifest/* isAttestationManifest */.gV)(child))
                return;
            const nested = node.children[at];
            if (nested !== undefined && nested.decoded.kind === 'index') {
                if (entered.has(child.digest))
                    return;
                entered.add(child.digest);
                visit(nested);
                return;
            }
            const text = (0,oci_manifest/* platformText */.VQ)(child.platform);
            if (text !== '')
                platforms.push(text);
        });
    };
    visit(root);
    return platforms;
}
/** How many buildx attestation manifests the image's indexes list, each index counted once. */
function countAttestations(root) {
    return distinct(root).reduce((sum, node) => sum + node.decoded.children.filter(oci_manifest/* isAttestationManifest */.gV).length, 0);
}

// EXTERNAL MODULE: ./src/copy/platforms.ts
var copy_platforms = __webpack_require__(48089);
// EXTERNAL MODULE: ./src/copy/budget.ts
var budget = __webpack_require__(6408);
;// CONCATENATED MODULE: ./src/copy/dry-run.ts
/** A dry run is a sink that answers what the real one holds and writes nothing. */
class DryRunSink {
    sink;
    key;
    location;
    constructor(sink) {
        this.sink = sink;
        this.key = `dry-run:${sink.key}`;
        if (sink.location)
            this.location = sink.location;
    }
    resolve(reference) {
        return this.sink.resolve(reference);
    }
    async heldManifest(digest) {
        if (this.sink.heldManifest === undefined)
            throw new Error(`${this.sink.key} holds no manifest before the run: ${digest}`);
        return this.sink.heldManifest(digest);
    }
    /** No mount is tried in a dry run: the real sink is asked. */
    hasBlob(blob) {
        return this.sink.hasBlob(blob);
    }
    async putBlob() {
        return 'uploaded';
    }
    async putManifest() {
        return { listed: true };
    }
}

// EXTERNAL MODULE: ./src/once.ts
var once = __webpack_require__(78094);
;// CONCATENATED MODULE: ./src/copy/walker.ts
// The walk that copies whole images from a source to a sink: every manifest of an index (nested ones
// too), each manifest's blobs, digests unchanged; then what travels with each manifest (its referrers
// and cosign digest tags), recursively. An image's manifests are all read and checked before anything
// of it is written, so a manifest ferry cannot copy whole stops the image with nothing pushed. It does
// as little as it can: a blob the sink has is not sent, a blob in the same registry is mounted, a blob
// shared by several images is sent once per sink, and an image already there costs one request.














/** How many copy steps may be under way per request slot of a registry. */
const stepsPerRequestSlot = 4;
/** An image config larger than this is not read to check its platform: the image is refused under a platform filter. */
const maxImageConfigBytes = 4 * 1024 * 1024;
class Copier {
    options;
    limit;
    /** Reads per source, and writes per sink, each done once (failures forgotten, so a retry can succeed). */
    reads = new Map();
    blobs = new Map();
    manifests = new Map();
    sinks = new WeakMap();
    /** Manifests a sink said it lists among their subject's referrers by itself. */
    listed = new Set();
    budget;
    constructor(options) {
        this.options = options;
        this.budget = options.budget ?? new budget/* ManifestBudget */.D();
        // Steps, not requests: a step waiting out a retry holds no request. Each registry's own limiter
        // keeps the requests in flight to `concurrency`, so more steps may be under way than that.
        this.limit = (0,p_limit["default"])(options.concurrency * stepsPerRequestSlot);
    }
    target(sink) {
        if (!this.options.dryRun)
            return sink;
        let wrapped = this.sinks.get(sink);
        if (wrapped === undefined) {
            wrapped = new DryRunSink(sink);
            this.sinks.set(sink, wrapped);
        }
        return wrapped;
    }
    read(source, digest, mediaType) {
        const key = `${source.key}@${digest}`;
        return (0,once/* once */.O)(this.reads, key, async () => {
            this.budget.take(key);
            const manifest = await this.limit(() => source.getManifest(digest, mediaType));
            this.budget.takeBytes(key, manifest.bytes.length);
            return manifest;
        });
    }
    /**
     * Copies the image `digest` from `source` to `sink`, every manifest by digest (tags are put later,
     * at the commit point). When the sink has the image already (under `tag`, when given, else by
     * digest), that one request is all the image costs; what travels with it is still looked for.
     */
    async copy(request) {
        const { source, tag } = request;
        const sink = this.target(request.sink);
        const stats = emptyStats();
        let digest = request.digest;
        let top;
        let filteredFrom;
        const filtered = await this.filtered(source, digest, request.mediaType);
        if (filtered !== undefined) {
            top = filtered;
            if (top.descriptor.digest !== digest)
                filteredFrom = digest;
            digest = top.descriptor.digest;
        }
        // With a tag, one HEAD answers both questions: is the image there, and is the tag on it already.
        const tagged = tag === undefined ? undefined : await this.limit(() => sink.resolve(tag));
        const existing = tagged?.digest === digest ? tagged : await this.limit(() => sink.resolve(digest));
        let node;
        if (existing === undefined) {
            top ??= await this.read(source, digest, request.mediaType);
            node = await this.discover(source, top, 0, { nodes: new Map() });
            await this.put(node, source, sink, stats, false);
        }
        const descriptor = node?.manifest.descriptor ?? existing;
        const travelled = await carry(this.steps, this.options.artifacts ?? 'none', source, sink, [
            ...(node === undefined ? [digest] : manifestsOf(node)),
            ...(this.options.originTravels && filteredFrom !== undefined ? [filteredFrom] : []),
        ], stats);
        const platforms = node === undefined ? [] : platformsOf(node);
        // One platform chosen out of an index: the image is that child, and says which it is.
        if (filteredFrom !== undefined && platforms.length === 0)
            platforms.push(...(this.options.platforms ?? []).map(oci_manifest/* platformText */.VQ));
        return {
            digest,
            mediaType: descriptor.mediaType,
            size: descriptor.size,
            ...(filteredFrom === undefined ? {} : { filteredFrom }),
            platforms,
            attestationManifests: node === undefined ? 0 : countAttestations(node),
            present: existing !== undefined,
            tagged: existing !== undefined && tagged?.digest === digest,
            ...travelled,
            stats,
        };
    }
    /**
     * Under a platform filter, the part of the image `digest` the platforms ask for: an index's filter,
     * undefined for a single image (whose config must be one of them). Throws when a platform is missing;
     * reads, and writes nothing, so a set can be checked whole before its first push.
     */
    async filtered(source, digest, mediaType) {
        const { platforms } = this.options;
        if (platforms === undefined)
            return undefined;
        const original = await this.read(source, digest, mediaType);
        const decoded = (0,oci_manifest/* decodeManifest */.MK)(original, this.options.maxBlobBytes);
        if (decoded.kind === 'image')
            await this.checkPlatform(source, original, decoded);
        return (0,copy_platforms/* filterManifest */.y1)(original, platforms, (digest, mediaType) => this.read(source, digest, mediaType), this.options.maxBlobBytes);
    }
    /** A single image asked for by platform: its config must say it is one of them. */
    async checkPlatform(source, manifest, decoded) {
        const [config] = decoded.blobs;
        if (config === undefined)
            return;
        // Unread, it could be any platform (a config's history is free text, as long as anyone likes).
        if (config.size > maxImageConfigBytes)
            throw new Error(`${manifest.descriptor.digest} is a single image whose config (${config.size} bytes) is larger than the ${maxImageConfigBytes} ferry reads to check its platform: refused under the platforms input`);
        const chunks = [];
        for await (const chunk of source.openBlob(config))
            chunks.push(chunk);
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed;
        try {
            parsed = JSON.parse(text);
        }
        catch {
            return; // not an image config (an artifact): nothing to check
        }
        const repeated = (0,json_keys/* repeatedKey */.m)(text);
        if (repeated !== undefined)
            throw new Error(`${manifest.descriptor.digest}'s config ${(0,json_keys/* repeatedKeyReason */.k)(repeated, 'runtimes')}`);
        // Its platform as a runtime reads it (Go, which takes `OS` for `os`, the last spelling winning).
        const respelled = typeof parsed === 'object' && parsed !== null ? (0,descriptor/* respelledField */.vF)(parsed, descriptor/* platformFields */.vC) : undefined;
        if (respelled !== undefined)
            throw new Error(`${manifest.descriptor.digest}'s config: ${respelled}`);
        const platform = (0,oci_manifest/* platformOf */.tj)(parsed);
        if (platform === undefined)
            return;
        if (!(this.options.platforms ?? []).some((wanted) => (0,copy_platforms/* matches */.cK)(wanted, platform)))
            throw new Error(`${manifest.descriptor.digest} is a single ${(0,oci_manifest/* platformText */.VQ)(platform)} image, not ${(this.options.platforms ?? []).map(oci_manifest/* platformText */.VQ).join(' or ')}`);
    }
    /** Reads every manifest an image holds and checks every descriptor, before anything is written. */
    discover(source, manifest, depth, walk) {
        const { digest } = manifest.descriptor;
        let node = walk.nodes.get(digest);
        if (node === undefined) {
            if (walk.nodes.size >= limits/* maxManifestsPerImage */.BM)
                throw new Error(`the image holds more than ${limits/* maxManifestsPerImage */.BM} manifests`);
            node = this.discoverOnce(source, manifest, depth, walk);
            walk.nodes.set(digest, node);
        }
        return node;
    }
    async discoverOnce(source, manifest, depth, walk) {
        if (depth > limits/* maxDepth */.Mw)
            throw new Error(`manifest ${manifest.descriptor.digest}: indexes nested more than ${limits/* maxDepth */.Mw} deep`);
        const decoded = (0,oci_manifest/* decodeManifest */.MK)(manifest, this.options.maxBlobBytes);
        const children = await Promise.all(decoded.children.map(async (child) => this.discover(source, await this.read(source, child.digest, child.mediaType), depth + 1, walk)));
        return { manifest, decoded, children };
    }
    /** Writes a manifest's blobs and children, then the manifest: once per sink however many images share it. */
    put(node, source, sink, stats, check) {
        const { descriptor } = node.manifest;
        return (0,once/* once */.O)(this.manifests, `${sink.key}@${descriptor.digest}`, async () => {
            if (check && (await this.limit(() => sink.resolve(descriptor.digest))) !== undefined)
                return;
            await Promise.all([
                ...node.decoded.blobs.map((blob) => this.copyBlob(source, sink, blob, stats)),
                ...node.children.map((child) => this.put(child, source, sink, stats, true)),
            ]);
            const { listed } = await sink.putManifest(descriptor, node.manifest.bytes);
            if (listed)
                this.listed.add(`${sink.key}@${descriptor.digest}`);
            stats.manifestsPushed++;
        });
    }
    /**
     * A blob's stream, its bytes told to `onMoved` as they pass (a slow layer shows as it flows, not when
     * it ends). The stream may be opened before its reader comes (an upload opens it while its session
     * opens): nothing flows until then. A failed read fails the count; a reader that stops stops the read.
     */
    counted(stream) {
        const { onMoved } = this.options;
        if (onMoved === undefined)
            return stream;
        const counter = new external_node_stream_.Transform({
            transform(chunk, _encoding, done) {
                onMoved(chunk.length);
                done(null, chunk);
            },
        });
        // pipeline keeps an error listener on both ends until they close: a read that fails before its reader
        // comes fails the counter quietly, for the reader to find, instead of throwing with no one listening.
        return (0,external_node_stream_.pipeline)(stream, counter, () => undefined);
    }
    copyBlob(source, sink, blob, stats) {
        if (media_types/* foreignLayerTypes */.b1.test(blob.mediaType)) {
            stats.foreignLayers++;
            return Promise.resolve();
        }
        return (0,once/* once */.O)(this.blobs, `${sink.key}@${blob.digest}`, () => this.limit(async () => {
            const from = source.mountFrom?.(blob) ?? source.location;
            if (await sink.hasBlob(blob, from)) {
                stats.blobsSkipped++;
                return;
            }
            if ((await sink.putBlob(blob, () => this.counted(source.openBlob(blob)), from)) === 'mounted') {
                stats.blobsMounted++;
            }
            else {
                stats.blobsCopied++;
                stats.bytesCopied += blob.size;
            }
        }));
    }
    /** The walk's steps, for what travels with an image (travel.ts). */
    steps = {
        limit: (work) => this.limit(work),
        read: (source, digest, mediaType) => this.read(source, digest, mediaType),
        discover: (source, manifest, depth, walk) => this.discover(source, manifest, depth, walk),
        put: (node, source, sink, stats) => this.put(node, source, sink, stats, false),
        isListed: (sink, digest) => this.listed.has(`${sink.key}@${digest}`),
    };
}


/***/ }),

/***/ 43733:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  NT: () => (/* binding */ copierOptions),
  UE: () => (/* binding */ importerFor),
  Mz: () => (/* binding */ preflight),
  ih: () => (/* binding */ sharedSources)
});

// UNUSED EXPORTS: Importer

// EXTERNAL MODULE: ./src/reference.ts
var src_reference = __webpack_require__(98286);
// EXTERNAL MODULE: ./src/oci/repository.ts
var repository = __webpack_require__(40405);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: ./src/oci/manifest.ts
var oci_manifest = __webpack_require__(32060);
// EXTERNAL MODULE: ./src/once.ts
var once = __webpack_require__(78094);
;// CONCATENATED MODULE: ./src/copy/read-once.ts
// A source read once by two walks: the verify gate reads an image's signatures (the lists of referrers
// and digest tags, their manifests, their small blobs) before the copy walks the same things. Behind
// this wrapper the copy gets the answers the gate already had, so verifying costs no request the copy
// would make anyway. Only what the gate reads is kept: lists and manifests for the run, and each
// evidence blob until the copy has sent it on, within a bound.



/** Evidence blobs kept for the copy: each at most 4 MiB, all of them together at most 64 MiB. */
const maxKeptBlobBytes = 4 * 1024 * 1024;
const maxKeptBytes = 64 * 1024 * 1024;
/**
 * An index's children read ahead, at most, and the largest one read ahead: a manifest is a few KiB, and
 * the walk reads a larger one itself, counted by the run's budget.
 */
const maxWarmedChildren = 64;
const maxWarmedManifestBytes = 256 * 1024;
const quietly = (work) => void work.catch(() => undefined);
class ReadOnceSource {
    inner;
    key;
    location;
    manifests = new Map();
    referrerLists = new Map();
    tagLists = new Map();
    blobs = new Map();
    keptBytes = 0;
    constructor(inner) {
        this.inner = inner;
        this.key = inner.key;
        if (inner.location !== undefined)
            this.location = inner.location;
    }
    getManifest(digest, mediaType) {
        return (0,once/* once */.O)(this.manifests, digest, () => this.inner.getManifest(digest, mediaType));
    }
    /**
     * The digest a tag names, from its manifest read whole (where the source can): one request where a
     * lookup and the copy's read of the manifest would be two. The manifest is kept as a read of its
     * digest, which the copy (or the gate) asks for next.
     */
    async resolveTag(tag) {
        if (this.inner.getTagged === undefined)
            return undefined;
        const manifest = await this.inner.getTagged(tag);
        const { digest } = manifest.descriptor;
        if (!this.manifests.has(digest))
            this.manifests.set(digest, Promise.resolve(manifest));
        return digest;
    }
    /**
     * A blob the gate read is sent from memory, once, and then forgotten; any other is read from the source.
     * What the gate kept was checked against the size it was named with there: named here with another,
     * it is read from the source, which checks the digest and this size (one of the two sizes is false).
     */
    openBlob(blob) {
        const kept = this.blobs.get(blob.digest);
        if (kept === undefined)
            return this.inner.openBlob(blob);
        this.blobs.delete(blob.digest);
        this.keptBytes -= kept.length;
        return kept.length === blob.size ? external_node_stream_.Readable.from([kept]) : this.inner.openBlob(blob);
    }
    referrers(digest, signaturesOnly) {
        return (0,once/* once */.O)(this.referrerLists, `${signaturesOnly}@${digest}`, () => this.inner.referrers(digest, signaturesOnly));
    }
    digestTags(digest, signaturesOnly) {
        return (0,once/* once */.O)(this.tagLists, `${signaturesOnly}@${digest}`, () => this.inner.digestTags(digest, signaturesOnly));
    }
    prepareLists(signaturesOnly) {
        this.inner.prepareLists?.(signaturesOnly);
    }
    /**
     * Starts reading the lists of what travels with `digest`, which its copy asks whether or not the
     * destination has it already: nothing is awaited and a failure is forgotten (the copy asks again
     * and reports it).
     */
    warmLists(digest, artifacts) {
        if (artifacts === 'none')
            return;
        quietly(this.referrers(digest, artifacts === 'signatures'));
        quietly(this.digestTags(digest, artifacts === 'signatures'));
    }
    /**
     * Starts reading what the copy of `digest` will ask first (its manifest, an index's children, the
     * lists of what travels with them), while the run waits for its other images to resolve: nothing is
     * awaited and a failure is forgotten (the copy asks again and reports it).
     */
    warm(digest, artifacts) {
        this.warmLists(digest, artifacts);
        quietly(this.getManifest(digest).then((manifest) => {
            // The walk's own decoding: only descriptors it would accept are read ahead.
            const children = (0,oci_manifest/* decodeManifest */.MK)(manifest).children.filter((child) => child.size <= maxWarmedManifestBytes);
            for (const child of children.slice(0, maxWarmedChildren)) {
                quietly(this.getManifest(child.digest, child.mediaType));
                this.warmLists(child.digest, artifacts);
            }
        }));
    }
    /** The gate's view: the same answers, and the small blobs it reads kept for the copy. */
    forGate() {
        return {
            key: this.key,
            ...(this.location === undefined ? {} : { location: this.location }),
            getManifest: (digest, mediaType) => this.getManifest(digest, mediaType),
            referrers: (digest, signaturesOnly) => this.referrers(digest, signaturesOnly),
            digestTags: (digest, signaturesOnly) => this.digestTags(digest, signaturesOnly),
            openBlob: (blob) => this.keepWhileReading(blob),
        };
    }
    keepWhileReading(blob) {
        const kept = this.blobs.get(blob.digest);
        if (kept !== undefined)
            return kept.length === blob.size ? external_node_stream_.Readable.from([kept]) : this.inner.openBlob(blob);
        if (blob.size > maxKeptBlobBytes || this.keptBytes + blob.size > maxKeptBytes)
            return this.inner.openBlob(blob);
        const { inner } = this;
        const keep = (bytes) => {
            if (this.blobs.has(blob.digest) || this.keptBytes + bytes.length > maxKeptBytes)
                return;
            this.blobs.set(blob.digest, bytes);
            this.keptBytes += bytes.length;
        };
        // Passed on as it arrives, and kept once it has all arrived (the inner stream has verified it then).
        return external_node_stream_.Readable.from((async function* () {
            const chunks = [];
            for await (const chunk of inner.openBlob(blob)) {
                chunks.push(chunk);
                yield chunk;
            }
            keep(Buffer.concat(chunks));
        })());
    }
}

// EXTERNAL MODULE: ./src/remote/sink.ts + 2 modules
var remote_sink = __webpack_require__(10687);
// EXTERNAL MODULE: ./src/oci/limits.ts
var limits = __webpack_require__(64593);
// EXTERNAL MODULE: ./src/copy/endpoint.ts
var endpoint = __webpack_require__(8344);
// EXTERNAL MODULE: ./src/remote/facts.ts
var facts = __webpack_require__(11317);
;// CONCATENATED MODULE: ./src/remote/source.ts





/**
 * Digest tags kept from tag lists in one run, at most: only they matter (cosign's tags and the
 * referrers tag schema), and a hostile registry's lists of a million long tags per repository are
 * otherwise kept whole, repository after repository.
 */
const maxDigestTagsPerRun = 500_000;
/** A tag of the digest scheme: `<algorithm>-<hex>`, with a suffix or not (what `digestTag` makes). */
const digestShaped = /^[a-z0-9]{1,32}-[a-f0-9]{64}(?:\..+)?$/;
const keptPerRun = new WeakMap();
class RegistrySource {
    maxDigestTags;
    key;
    location;
    client;
    kept;
    constructor(registries, where, maxDigestTags = maxDigestTagsPerRun) {
        this.maxDigestTags = maxDigestTags;
        this.location = repository/* Repository */.LN.of(where);
        this.client = registries.reader(where.registry);
        this.key = this.location.key;
        let kept = keptPerRun.get(registries);
        if (kept === undefined) {
            kept = { count: 0 };
            keptPerRun.set(registries, kept);
        }
        this.kept = kept;
    }
    getManifest(digest) {
        return this.client.getManifest(this.location.repository, digest);
    }
    /** The manifest a tag names, read (and checked against the digest the registry gives) in one request. */
    getTagged(tag) {
        return this.client.getManifest(this.location.repository, tag);
    }
    openBlob(blob) {
        return this.client.getBlob(this.location.repository, blob.digest, blob.size);
    }
    /** The repository's tags, listed once per run. */
    tags() {
        const { repository } = this.location;
        const kept = this.kept;
        const onKept = (count) => {
            kept.count += count;
            if (kept.count > this.maxDigestTags)
                throw new Error(`${this.key}: the run has read more than ${this.maxDigestTags} digest tags from tag lists, the most it keeps: set artifacts to signatures or none`);
        };
        return (0,once/* once */.O)((0,facts/* factsOf */.xS)(this.client).tags, repository, async () => new Set(await this.client.listTags(repository, { keep: (tag) => digestShaped.test(tag), onKept })));
    }
    /** Every suffix is found in the repository's tags: their list is started now. Signatures only are asked by name. */
    prepareLists(signaturesOnly) {
        if (!signaturesOnly)
            this.tags().catch(() => undefined);
    }
    referrers(digest, signaturesOnly) {
        return (0,facts/* listReferrers */.xt)(this.client, this.location.repository, digest, signaturesOnly ? undefined : () => this.tags());
    }
    async digestTags(digest, signaturesOnly) {
        const names = signaturesOnly
            ? [`${(0,endpoint/* digestTag */.t)(digest)}.sig`]
            : [...(await this.tags())].filter((tag) => (0,endpoint/* isDigestTagOf */.o)(tag, digest)).sort();
        // Each is asked about: a repository with more than one manifest may carry is refused before a request.
        if (names.length > limits/* maxReferrers */.vk)
            throw new Error(`${this.key} has ${names.length} tags next to ${digest}, more than the ${limits/* maxReferrers */.vk} ferry carries with one manifest: set artifacts to signatures or none`);
        const found = await Promise.all(names.map(async (tag) => {
            const descriptor = await this.client
                .resolveAtOwner(this.location.repository, tag)
                .catch((0,facts/* notThere */._)(this.client, `${this.location.repository}:${tag}`));
            return descriptor === undefined ? undefined : { tag, descriptor };
        }));
        return found.filter((artifact) => artifact !== undefined);
    }
}

// EXTERNAL MODULE: ./src/copy/walker.ts + 4 modules
var walker = __webpack_require__(98188);
// EXTERNAL MODULE: ./src/result.ts
var src_result = __webpack_require__(51666);
// EXTERNAL MODULE: ./src/modes/steps.ts
var steps = __webpack_require__(89503);
;// CONCATENATED MODULE: ./src/modes/importer.ts









/**
 * The source of each reference's repository, one per repository and shared by the verify gate and the
 * copy, so the copy reuses what the gate read.
 */
function sharedSources(registries) {
    const sources = new Map();
    return (reference) => {
        const where = (0,src_reference/* repositoryOf */._M)(reference);
        const key = where.key;
        let source = sources.get(key);
        if (source === undefined) {
            source = new ReadOnceSource(new RegistrySource(registries, where));
            sources.set(key, source);
        }
        return source;
    };
}
/** The walk a run's settings ask for. */
function copierOptions(options) {
    return {
        budget: options.budget,
        ...(options.onMoved === undefined ? {} : { onMoved: options.onMoved }),
        concurrency: options.concurrency,
        dryRun: options.dryRun,
        maxBlobBytes: options.maxBlobBytes,
        artifacts: options.artifacts,
        ...(options.platforms === undefined ? {} : { platforms: options.platforms }),
    };
}
/** The importer a run's settings ask for. */
function importerFor(registries, settings, budget, onMoved) {
    return new Importer({
        budget,
        ...(onMoved === undefined ? {} : { onMoved }),
        registries,
        concurrency: settings.concurrency,
        keepTags: settings.keepTags,
        dryRun: settings.dryRun,
        singleRepository: settings.repository !== '',
        maxBlobBytes: settings.maxBlobBytes,
        artifacts: settings.artifacts,
        ...(settings.platforms === undefined ? {} : { platforms: settings.platforms }),
    });
}
class Importer {
    options;
    copier;
    sinks = new Map();
    copies = new Map();
    tags = new Map();
    constructor(options) {
        this.options = options;
        this.copier = new walker/* Copier */.T(copierOptions(options));
    }
    sink(destination) {
        const { key } = destination;
        let sink = this.sinks.get(key);
        if (sink === undefined) {
            sink = new remote_sink/* RegistrySink */.P(this.options.registries, destination);
            this.sinks.set(key, sink);
        }
        return sink;
    }
    /**
     * While the run waits for its other images to resolve: asks the destination whether this image is
     * there already (the walk's first question, answered once), and reads the source's lists of what
     * travels with it (which the walk asks either way); when the image is not there, starts reading
     * what its copy asks the source first. A re-run, whose images are all there, reads no manifest.
     */
    lookAhead(entry, source, digest) {
        const { artifacts } = this.options;
        const sink = this.sink((0,src_reference/* repositoryOf */._M)(entry.newImage));
        const tag = this.options.singleRepository ? undefined : (0,src_reference/* impliedTag */.RW)(entry.newImage);
        // A tag is asked about at once, beside the source's own lookup, as is the source repository's
        // list of tags; a digest once it is known, and the lists that name it.
        const found = tag === undefined ? digest.then((known) => sink.lookAhead(known)) : sink.lookAhead(tag);
        if (artifacts !== 'none')
            source.prepareLists(artifacts === 'signatures');
        // The walk under a platform filter reads only the children it keeps (and the index, read already
        // to resolve the tag) and asks about the index it makes: nothing is read ahead, since a registry
        // may count each manifest read as a pull.
        const filtered = this.options.platforms !== undefined;
        if (!filtered)
            void digest.then((known) => source.warmLists(known, artifacts)).catch(() => undefined);
        void Promise.all([found, digest])
            .then(([there, known]) => {
            if (there?.digest !== known && !filtered)
                source.warm(known, artifacts);
        })
            .catch(() => undefined);
    }
    /** Whether the image has every platform the run asks for: read, nothing written (see Copier.filtered). */
    async checkPlatforms(source, digest, mediaType) {
        await this.copier.filtered(source, digest, mediaType);
    }
    async import(entry, source, digest, mediaType) {
        const { options } = this;
        const destination = (0,src_reference/* repositoryOf */._M)(entry.newImage);
        const sink = this.sink(destination);
        const tag = options.singleRepository ? undefined : (0,src_reference/* impliedTag */.RW)(entry.newImage);
        const key = `${sink.key}@${digest}:${tag ?? ''}`;
        let copy = this.copies.get(key);
        if (copy === undefined) {
            copy = this.copier.copy({ source, sink, digest, ...(tag === undefined ? {} : { tag }), ...(mediaType ? { mediaType } : {}) });
            this.copies.set(key, copy);
        }
        const result = await copy;
        const { registry, repository } = destination;
        if (tag !== undefined)
            this.claim(destination.withTag(tag), 'image', entry.image);
        if (tag !== undefined && !result.tagged)
            this.tags.set(destination.withTag(tag), { registry, repository, tag, digest: result.digest });
        for (const put of result.tags) {
            if (!(0,endpoint/* isDigestTagOf */.o)(put.tag, result.digest) && !result.artifacts.some((artifact) => (0,endpoint/* isDigestTagOf */.o)(put.tag, artifact.subject)))
                throw new Error(`${sink.key}: ${put.tag} travels with ${result.digest} but is not a digest tag of anything in it: refused`);
            this.claim(destination.withTag(put.tag), 'artifact', entry.image);
            this.tags.set(destination.withTag(put.tag), { registry, repository, ...put, travels: true });
        }
        for (const { subject, referrer } of result.referrerListings) {
            const tag = (0,endpoint/* digestTag */.t)(subject);
            this.tags.set(`${destination.withTag(tag)}@${referrer.digest}`, {
                registry,
                repository,
                tag,
                digest: referrer.digest,
                referrer: { subject, descriptor: referrer },
            });
        }
        return {
            image: entry.image,
            digest: result.digest,
            tag: tag ?? (0,src_reference/* tagOf */.cO)(entry.newImage),
            newImage: (0,src_reference/* pinnedReference */.ct)(entry.newImage, result.digest, options.keepTags && !options.singleRepository),
            copy: (0,src_result/* copySummary */.GU)(result, sink.key, key),
        };
    }
    /** Who puts each tag: an image's own tag is never put by something that travels with another. */
    claims = new Map();
    claim(key, kind, image) {
        const held = this.claims.get(key);
        if (held !== undefined && held.kind !== kind)
            throw new Error(`${key} is the tag of ${held.kind === 'image' ? held.image : image} itself, and an artifact would put it too: refused`);
        if (held === undefined)
            this.claims.set(key, { kind, image });
    }
    /** Puts a tag through the sink that pushed the manifest, so a manifest this run pushed is not read back. */
    tagger = (put) => put.referrer === undefined
        ? this.sink(repository/* Repository */.LN.of(put)).tag(put.digest, put.tag)
        : this.sink(repository/* Repository */.LN.of(put)).addReferrer(put.referrer.subject, put.referrer.descriptor);
}
/** The gate for modes that pin or plan without copying (resolve, plan): each resolved image checked at its registry. */
function preflight(context, resolved) {
    if (context.settings.verify === undefined)
        return Promise.resolve(undefined);
    const sourceOf = sharedSources(context.registries());
    return (0,steps/* verifyGate */.VN)(context, resolved.map(({ entry, digest }) => ({ entry, digest, source: sourceOf(entry.source) })));
}


/***/ }),

/***/ 89503:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $: () => (/* binding */ emptyResult),
/* harmony export */   G9: () => (/* binding */ settle),
/* harmony export */   VN: () => (/* binding */ verifyGate),
/* harmony export */   ce: () => (/* binding */ stopped)
/* harmony export */ });
/* unused harmony export imagesPerRequestSlot */
/* harmony import */ var _verify_verification_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73934);

/** A result with nothing in it yet. */
function emptyResult() {
    return { outcomes: [], failures: [], tags: [], extraLock: [] };
}
/** A mode stopped before its first write: the failures (and what the gate warned of), nothing to commit. */
function stopped(context, failures, warnings = []) {
    return { result: { ...emptyResult(), failures, ...(warnings.length === 0 ? {} : { warnings }) } };
}
/**
 * Images under way at once, per request slot (`concurrency`): enough to keep every slot busy while an
 * image waits on its own chain of round trips, and few enough that what an image's work allocates is
 * still young when the work ends. Starting a catalogue's every image at once kept each one's promises
 * alive across collections, so they aged into the old generation and died there, and the heap grew to
 * several times what the run holds. (What an image starts without awaiting, relocate's look-ahead, is
 * bounded by the registries' limiters alone.)
 */
const imagesPerRequestSlot = 8;
/**
 * Runs `work` for every entry (or item holding one), a bounded number at once and in order, collecting
 * each result or failure in the items' order (one image failing does not stop the others).
 */
async function settle(items, work, options) {
    const settled = new Array(items.length);
    let next = 0;
    // Each lane takes the next item when its last one ends (a pool: nothing is made for an item before it starts).
    const lane = async () => {
        while (next < items.length) {
            const at = next++;
            try {
                const value = await work(items[at]);
                settled[at] = { status: 'fulfilled', value };
                options.onResult?.(value);
            }
            catch (reason) {
                settled[at] = { status: 'rejected', reason };
            }
            options.progress?.imageDone();
        }
    };
    const lanes = Math.min(items.length, Math.max(1, options.concurrency * imagesPerRequestSlot));
    await Promise.all(Array.from({ length: lanes }, lane));
    const results = [];
    const failures = [];
    settled.forEach((outcome, index) => {
        const item = items[index];
        const image = 'entry' in item ? item.entry.image : item.image;
        if (outcome.status === 'fulfilled')
            results.push(outcome.value);
        else
            failures.push({
                image,
                message: `${image}: ${outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason)}`,
            });
    });
    return { results, failures };
}
/**
 * The verify gate, when the run verifies (input verify): every target checked before the mode's first
 * write. The Sigstore libraries load here, only for runs that verify.
 */
async function verifyGate(context, targets) {
    const { settings } = context;
    if (settings.verify === undefined || targets.length === 0)
        return undefined;
    const { verifyImages } = await Promise.all(/* import() */[__webpack_require__.e(128), __webpack_require__.e(860), __webpack_require__.e(605)]).then(__webpack_require__.bind(__webpack_require__, 59605));
    const gate = await verifyImages(settings.verify, targets, {
        concurrency: settings.concurrency,
        // A signature check needs only `.sig` tags and referrers; what the copy lists anyway is listed once.
        signaturesOnly: settings.verify.kind === 'signature' && settings.artifacts !== 'all',
        tufCache: `${settings.tempDir}/ferry-sigstore-tuf`,
        budget: context.budget,
        ...(settings.platforms === undefined ? {} : { platforms: settings.platforms }),
    });
    const logged = new Set();
    for (const target of targets) {
        const verification = gate.verified.get(target.entry.image);
        if (verification === undefined || logged.has(target.entry.image))
            continue;
        logged.add(target.entry.image);
        context.log(`${target.entry.image}: ${target.digest} verified, ${(0,_verify_verification_js__WEBPACK_IMPORTED_MODULE_0__/* .verificationText */ .n)(verification)}`);
    }
    return gate;
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

/***/ 78094:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   O: () => (/* binding */ once)
/* harmony export */ });
// A piece of work done once per key however many ask for it, and asked again after it fails.
/** A promise per key, forgotten when it fails (a failed step is retried by whoever asks next). */
function once(memo, key, work) {
    let pending = memo.get(key);
    if (pending === undefined) {
        pending = work();
        memo.set(key, pending);
        pending.catch(() => {
            if (memo.get(key) === pending)
                memo.delete(key);
        });
    }
    return pending;
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


/***/ }),

/***/ 70370:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  "default": () => (/* binding */ pLimit),
  limitFunction: () => (/* binding */ limitFunction)
});

;// CONCATENATED MODULE: ./node_modules/yocto-queue/index.js
/*
How it works:
`this.#head` is an instance of `Node` which keeps track of its current value and nests another instance of `Node` that keeps the value that comes after it. When a value is provided to `.enqueue()`, the code needs to iterate through `this.#head`, going deeper and deeper to find the last value. However, iterating through every single item is slow. This problem is solved by saving a reference to the last value as `this.#tail` so that it can reference it to add a new value.
*/

class Node {
	value;
	next;

	constructor(value) {
		this.value = value;
	}
}

class Queue {
	#head;
	#tail;
	#size;

	constructor() {
		this.clear();
	}

	enqueue(value) {
		const node = new Node(value);

		if (this.#head) {
			this.#tail.next = node;
			this.#tail = node;
		} else {
			this.#head = node;
			this.#tail = node;
		}

		this.#size++;
	}

	dequeue() {
		const current = this.#head;
		if (!current) {
			return;
		}

		this.#head = this.#head.next;
		this.#size--;

		// Clean up tail reference when queue becomes empty
		if (!this.#head) {
			this.#tail = undefined;
		}

		return current.value;
	}

	peek() {
		if (!this.#head) {
			return;
		}

		return this.#head.value;

		// TODO: Node.js 18.
		// return this.#head?.value;
	}

	clear() {
		this.#head = undefined;
		this.#tail = undefined;
		this.#size = 0;
	}

	get size() {
		return this.#size;
	}

	* [Symbol.iterator]() {
		let current = this.#head;

		while (current) {
			yield current.value;
			current = current.next;
		}
	}

	* drain() {
		while (this.#head) {
			yield this.dequeue();
		}
	}
}

;// CONCATENATED MODULE: ./node_modules/p-limit/index.js


function pLimit(concurrency) {
	let rejectOnClear = false;

	if (typeof concurrency === 'object') {
		({concurrency, rejectOnClear = false} = concurrency);
	}

	validateConcurrency(concurrency);

	if (typeof rejectOnClear !== 'boolean') {
		throw new TypeError('Expected `rejectOnClear` to be a boolean');
	}

	const queue = new Queue();
	let activeCount = 0;

	const resumeNext = () => {
		// Process the next queued function if we're under the concurrency limit
		if (activeCount < concurrency && queue.size > 0) {
			activeCount++;
			queue.dequeue().run();
		}
	};

	const next = () => {
		activeCount--;
		resumeNext();
	};

	const run = async (function_, resolve, arguments_) => {
		// Execute the function and capture the result promise
		const result = (async () => function_(...arguments_))();

		// Resolve immediately with the promise (don't wait for completion)
		resolve(result);

		// Wait for the function to complete (success or failure)
		// We catch errors here to prevent unhandled rejections,
		// but the original promise rejection is preserved for the caller
		try {
			await result;
		} catch {}

		// Decrement active count and process next queued function
		next();
	};

	const enqueue = (function_, resolve, reject, arguments_) => {
		const queueItem = {reject};

		// Queue the internal resolve function instead of the run function
		// to preserve the asynchronous execution context.
		new Promise(internalResolve => { // eslint-disable-line promise/param-names
			queueItem.run = internalResolve;
			queue.enqueue(queueItem);
		}).then(run.bind(undefined, function_, resolve, arguments_)); // eslint-disable-line promise/prefer-await-to-then

		// Start processing immediately if we haven't reached the concurrency limit
		if (activeCount < concurrency) {
			resumeNext();
		}
	};

	const generator = (function_, ...arguments_) => new Promise((resolve, reject) => {
		enqueue(function_, resolve, reject, arguments_);
	});

	Object.defineProperties(generator, {
		activeCount: {
			get: () => activeCount,
		},
		pendingCount: {
			get: () => queue.size,
		},
		clearQueue: {
			value() {
				if (!rejectOnClear) {
					queue.clear();
					return;
				}

				const abortError = AbortSignal.abort().reason;

				while (queue.size > 0) {
					queue.dequeue().reject(abortError);
				}
			},
		},
		concurrency: {
			get: () => concurrency,

			set(newConcurrency) {
				validateConcurrency(newConcurrency);
				concurrency = newConcurrency;

				queueMicrotask(() => {
					// eslint-disable-next-line no-unmodified-loop-condition
					while (activeCount < concurrency && queue.size > 0) {
						resumeNext();
					}
				});
			},
		},
		map: {
			async value(iterable, function_) {
				const promises = [];

				try {
					Array.from(iterable, (value, index) => {
						const promise = generator(function_, value, index);
						promises.push(promise);
						return promise;
					});
				} catch (error) {
					// The iterable threw, so `Promise.all` never observes the already scheduled promises. Observe them here to avoid unhandled rejections.
					for (const promise of promises) {
						promise.catch(() => {}); // eslint-disable-line promise/prefer-await-to-then
					}

					throw error;
				}

				return Promise.all(promises);
			},
		},
	});

	return generator;
}

function limitFunction(function_, options) {
	const limit = pLimit(options);

	const limitedFunction = (...arguments_) => limit(() => function_(...arguments_));
	Object.defineProperty(limitedFunction, 'clearQueue', {
		value: limit.clearQueue,
	});

	return limitedFunction;
}

function validateConcurrency(concurrency) {
	if (!((Number.isInteger(concurrency) || concurrency === Number.POSITIVE_INFINITY) && concurrency > 0)) {
		throw new TypeError('Expected `concurrency` to be a number from 1 and up');
	}
}


/***/ })

};
