export const id = 280;
export const ids = [280];
export const modules = {

/***/ 66055:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BlobStore: () => (/* binding */ BlobStore),
/* harmony export */   freeBytes: () => (/* binding */ freeBytes)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(46466);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(node_stream_promises__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var _oci_limits_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(64593);
/* harmony import */ var _registry_digest_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(35035);
/* harmony import */ var _oci_media_types_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(29217);
/* harmony import */ var _reference_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(98286);
// A folder of blobs by digest (`blobs/<algorithm>/<hex>`, as an OCI layout keeps them): the sink that
// packaging fills from registries, and the source that unpackaging reads an extracted archive from.









/** Free bytes on the file system holding `dir` (the nearest existing folder on the way). */
async function freeBytes(dir) {
    for (let current = dir;; current = node_path__WEBPACK_IMPORTED_MODULE_3___default().dirname(current)) {
        try {
            const info = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.statfs)(current);
            return info.bavail * info.bsize;
        }
        catch (error) {
            if (error.code !== 'ENOENT' || node_path__WEBPACK_IMPORTED_MODULE_3___default().dirname(current) === current)
                throw error;
        }
    }
}
/**
 * A restored cache can hold links where the store's folders should be (`blobs/sha256 -> /elsewhere`):
 * every write and removal would go through them. Such a link (or file) is removed, so the folders are
 * created anew, real, on the first write.
 */
function replaceLinkedFolders(dir) {
    for (const folder of [
        dir,
        node_path__WEBPACK_IMPORTED_MODULE_3___default().join(dir, 'blobs'),
        ...['sha256', 'sha384', 'sha512'].map((algorithm) => node_path__WEBPACK_IMPORTED_MODULE_3___default().join(dir, 'blobs', algorithm)),
    ]) {
        let found;
        try {
            found = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.lstatSync)(folder);
        }
        catch {
            continue; // not there
        }
        if (!found.isDirectory())
            (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.unlinkSync)(folder);
    }
}
class BlobStore {
    dir;
    describe;
    key;
    /** Every blob the walk touched, manifests included, with its size: what an archive must hold. */
    touched = new Map();
    /** Blobs found in the store whose content this run has hashed: a planted file is not trusted by its name. */
    verifiedBlobs = new Set();
    constructor(dir, describe = dir) {
        this.dir = dir;
        this.describe = describe;
        this.key = `store:${dir}`;
        replaceLinkedFolders(dir);
    }
    path(digest) {
        const reason = (0,_reference_js__WEBPACK_IMPORTED_MODULE_7__/* .digestError */ .DD)(digest);
        if (reason !== undefined)
            throw new Error(`${this.describe}: ${digest} is not a digest: ${reason}`);
        const [algorithm = '', hex = ''] = digest.split(':');
        return node_path__WEBPACK_IMPORTED_MODULE_3___default().join(this.dir, 'blobs', algorithm, hex);
    }
    async size(digest) {
        try {
            return (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.stat)(this.path(digest))).size;
        }
        catch {
            return undefined;
        }
    }
    /** The walk always descends, so every blob of every image is touched: nothing here is "present". */
    async resolve() {
        return undefined;
    }
    /** Whether the store holds the blob: the right size, and (once per run) the right content. */
    async hasBlob(blob) {
        if ((await this.size(blob.digest)) !== blob.size)
            return false;
        if (!this.verifiedBlobs.has(blob.digest)) {
            const verifier = new _registry_digest_js__WEBPACK_IMPORTED_MODULE_5__/* .DigestVerifier */ .Do(blob.digest, blob.size, (reason) => new Error(reason));
            try {
                await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_4__.pipeline)((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createReadStream)(this.path(blob.digest)), verifier, async (chunks) => {
                    for await (const chunk of chunks)
                        void chunk;
                });
            }
            catch {
                // Planted or corrupt: not ours. It is replaced by the real blob.
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.unlink)(this.path(blob.digest)).catch(() => undefined);
                return false;
            }
            this.verifiedBlobs.add(blob.digest);
        }
        this.touched.set(blob.digest, blob.size);
        return true;
    }
    /**
     * A fresh name beside a blob's path, for a write that is renamed into place once complete. The store
     * may be a restored cache, which is input too: a write opens a new file (`wx`), never a file or a
     * link planted under the blob's own name.
     */
    temporaryPath(digest) {
        return `${this.path(digest)}.${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(6).toString('hex')}.partial`;
    }
    /** Bytes already verified, written under their digest: into a fresh temporary file, then renamed into place. */
    async writeBytes(digest, bytes) {
        const target = this.path(digest);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.mkdir)(node_path__WEBPACK_IMPORTED_MODULE_3___default().dirname(target), { recursive: true });
        const temporary = this.temporaryPath(digest);
        try {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.writeFile)(temporary, bytes, { flag: 'wx' });
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rename)(temporary, target);
        }
        catch (error) {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.unlink)(temporary).catch(() => undefined);
            throw error;
        }
    }
    async putBlob(blob, open) {
        const target = this.path(blob.digest);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.mkdir)(node_path__WEBPACK_IMPORTED_MODULE_3___default().dirname(target), { recursive: true });
        const free = await freeBytes(this.dir);
        if (blob.size > free) {
            throw new Error(`${this.describe}: blob ${blob.digest} declares ${blob.size} bytes and only ${free} are free on the disk`);
        }
        const temporary = this.temporaryPath(blob.digest);
        try {
            await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_4__.pipeline)(open(), new _registry_digest_js__WEBPACK_IMPORTED_MODULE_5__/* .DigestVerifier */ .Do(blob.digest, blob.size, (reason) => new Error(`blob ${blob.digest}: ${reason}`)), (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createWriteStream)(temporary, { flags: 'wx' }));
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rename)(temporary, target);
        }
        catch (error) {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.unlink)(temporary).catch(() => undefined);
            throw error;
        }
        this.verifiedBlobs.add(blob.digest);
        this.touched.set(blob.digest, blob.size);
        return 'uploaded';
    }
    /** An archive lists referrers in its index.json, with their subject: nothing to add at the commit point. */
    async putManifest(descriptor, bytes) {
        await this.writeBytes(descriptor.digest, bytes);
        this.touched.set(descriptor.digest, bytes.length);
        return { listed: true };
    }
    /** A bare store knows of no referrers; an archive's index does (`ArchiveSource`). */
    async referrers() {
        return [];
    }
    async digestTags() {
        return [];
    }
    async getManifest(digest, mediaType) {
        const size = await this.size(digest);
        if (size === undefined)
            throw new Error(`${this.describe} lacks the manifest ${digest}`);
        if (size > _oci_limits_js__WEBPACK_IMPORTED_MODULE_8__/* .maxManifestBytes */ .r)
            throw new Error(`${this.describe}: manifest ${digest} is ${size} bytes, more than the ${_oci_limits_js__WEBPACK_IMPORTED_MODULE_8__/* .maxManifestBytes */ .r} ferry reads`);
        const bytes = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.readFile)(this.path(digest));
        const actual = (0,_registry_digest_js__WEBPACK_IMPORTED_MODULE_5__/* .digestOf */ .ol)(bytes, digest.slice(0, digest.indexOf(':')));
        if (actual !== digest)
            throw new Error(`${this.describe}: manifest ${digest} holds ${actual}`);
        let json;
        try {
            json = JSON.parse(bytes.toString('utf8'));
        }
        catch {
            throw new Error(`${this.describe}: manifest ${digest} is not JSON`);
        }
        const type = typeof json.mediaType === 'string' ? json.mediaType : (mediaType ?? '');
        if ((0,_oci_media_types_js__WEBPACK_IMPORTED_MODULE_6__/* .isSchema1 */ .Pr)(type) || json.schemaVersion === 1)
            throw new Error(`${this.describe}: ${_oci_media_types_js__WEBPACK_IMPORTED_MODULE_6__/* .schema1Refusal */ .Jx}`);
        if (type === '')
            throw new Error(`${this.describe}: manifest ${digest} has no media type`);
        return { descriptor: { mediaType: type, digest, size: bytes.length }, bytes, json };
    }
    openBlob(blob) {
        const verifier = new _registry_digest_js__WEBPACK_IMPORTED_MODULE_5__/* .DigestVerifier */ .Do(blob.digest, blob.size, (reason) => new Error(`${this.describe}: blob ${blob.digest}: ${reason}`));
        return (0,_registry_digest_js__WEBPACK_IMPORTED_MODULE_5__/* .verified */ .zr)((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createReadStream)(this.path(blob.digest)), verifier);
    }
}


/***/ }),

/***/ 16280:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   packageMode: () => (/* binding */ packageMode)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _archive_store_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(66055);
/* harmony import */ var _reference_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(98286);
/* harmony import */ var _copy_walker_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(37484);
/* harmony import */ var _result_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(51666);
/* harmony import */ var _importer_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(1905);
/* harmony import */ var _mode_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(93805);
/* harmony import */ var _resolver_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(2724);
// package: every image copied whole into a blob store, then written as one deterministic archive at the
// commit point. The YAML is left alone; the lock records the digests.








/** The full pinned form kept in an archive: `registry/repository[:tag]@digest`. */
function pinnedSource(reference, digest) {
    const parsed = (0,_reference_js__WEBPACK_IMPORTED_MODULE_2__/* .parseReference */ .F2)(reference);
    return (0,_reference_js__WEBPACK_IMPORTED_MODULE_2__/* .referenceText */ .n5)(parsed.name, parsed.tag, digest);
}
const packageMode = {
    keepsNames: true,
    pins: true,
    needsImages: true,
    async run(context) {
        const { entries, registries, settings, budget, log, notice, progress } = context;
        const clients = registries();
        const digestOf = (0,_resolver_js__WEBPACK_IMPORTED_MODULE_6__/* .digestResolver */ .D)(clients, settings.concurrency);
        const resolved = await (0,_mode_js__WEBPACK_IMPORTED_MODULE_5__/* .settle */ .G9)(entries, async (entry) => [entry, (0,_reference_js__WEBPACK_IMPORTED_MODULE_2__/* .parseReference */ .F2)(entry.source).digest ?? (await digestOf(entry.source))]);
        const empty = { outcomes: [], tags: [], edit: false, extraLock: [] };
        if (resolved.failures.length > 0)
            return { result: { ...empty, failures: resolved.failures } };
        const digests = new Map(resolved.results);
        const sourceOf = (0,_importer_js__WEBPACK_IMPORTED_MODULE_4__/* .sharedSources */ .ih)(clients);
        const gate = await (0,_mode_js__WEBPACK_IMPORTED_MODULE_5__/* .verifyGate */ .VN)(context, entries.map((entry) => ({ entry, source: sourceOf(entry.source).forGate(), digest: digests.get(entry) ?? '' })));
        if (gate !== undefined && gate.failures.length > 0)
            return { result: { ...empty, failures: gate.failures, warnings: gate.warnings } };
        // The cache client is large (the Azure SDK): loaded only when packaging.
        const { cacheKey, restoreBlobs, saveBlobs } = await Promise.all(/* import() */[__webpack_require__.e(830), __webpack_require__.e(996), __webpack_require__.e(532)]).then(__webpack_require__.bind(__webpack_require__, 75532));
        const storeDir = node_path__WEBPACK_IMPORTED_MODULE_0___default().join(settings.tempDir, 'ferry-blobs');
        const key = cacheKey(digests.values());
        const restored = settings.dryRun ? 'unavailable' : await restoreBlobs(storeDir, key);
        if (settings.dryRun)
            log('dry run: the blob store cache is not used');
        else if (restored === 'unavailable')
            notice('The GitHub Actions cache is not available here: the blob store is not cached.');
        else
            log(`blob store cache ${key}: ${restored}`);
        const store = new _archive_store_js__WEBPACK_IMPORTED_MODULE_1__.BlobStore(storeDir);
        const copier = new _copy_walker_js__WEBPACK_IMPORTED_MODULE_3__/* .Copier */ .T((0,_importer_js__WEBPACK_IMPORTED_MODULE_4__/* .copierOptions */ .NT)({ ...settings, budget, onMoved: (count) => progress.moved(count) }));
        const copies = new Map();
        const archived = [];
        const artifacts = [];
        const { results, failures } = await (0,_mode_js__WEBPACK_IMPORTED_MODULE_5__/* .settle */ .G9)(entries, async (entry) => {
            const digest = digests.get(entry) ?? '';
            let copy = copies.get(digest);
            if (copy === undefined) {
                copy = copier.copy({ source: sourceOf(entry.source), sink: store, digest });
                copies.set(digest, copy);
            }
            const result = await copy;
            archived.push({
                descriptor: { mediaType: result.mediaType, digest: result.digest, size: result.size },
                refName: entry.image,
                // What it was packaged from: the source's own digest, before any platform filter.
                source: pinnedSource(entry.source, digest),
            });
            for (const artifact of result.artifacts) {
                const { mediaType, size, artifactType } = artifact;
                artifacts.push({
                    descriptor: { mediaType, digest: artifact.digest, size, ...(artifactType === undefined ? {} : { artifactType }) },
                    subject: artifact.subject,
                    ...(artifact.tag === undefined ? {} : { tag: artifact.tag }),
                });
            }
            return {
                image: entry.image,
                digest: result.digest,
                tag: (0,_reference_js__WEBPACK_IMPORTED_MODULE_2__/* .tagOf */ .cO)(entry.source),
                newImage: (0,_reference_js__WEBPACK_IMPORTED_MODULE_2__/* .pinnedReference */ .ct)(entry.source, result.digest, settings.keepTags),
                copy: (0,_result_js__WEBPACK_IMPORTED_MODULE_7__/* .copySummary */ .GU)(result, 'archive'),
                ...(gate?.verified.has(entry.image) ? { verified: gate.verified.get(entry.image) } : {}),
            };
        }, progress);
        return {
            result: {
                ...empty,
                outcomes: results,
                failures,
                warnings: gate?.warnings ?? [],
                archive: { file: settings.archive, storeDir, blobs: [...store.touched], images: archived, artifacts },
            },
            finish: async () => {
                if (restored !== 'unavailable' && restored !== 'restored')
                    log(`blob store cache ${key}: ${await saveBlobs(storeDir, key)}`);
            },
        };
    },
};


/***/ }),

/***/ 2724:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D: () => (/* binding */ digestResolver)
/* harmony export */ });
/* harmony import */ var p_limit__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(70370);
/* harmony import */ var _reference_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(98286);
// Which digest a reference names: its own when pinned (checked to exist), else its tag resolved, each
// distinct reference once per run.


function digestResolver(registries, concurrency) {
    const limit = (0,p_limit__WEBPACK_IMPORTED_MODULE_1__/* ["default"] */ .A)(concurrency);
    const cache = new Map();
    return (reference) => {
        const parsed = (0,_reference_js__WEBPACK_IMPORTED_MODULE_0__/* .parseReference */ .F2)(reference);
        const key = parsed.toString();
        let pending = cache.get(key);
        if (pending === undefined) {
            const client = registries.reader(parsed.registry);
            pending = limit(async () => (await client.resolve(parsed.repository, parsed.digest ?? parsed.tag ?? 'latest')).digest);
            cache.set(key, pending);
        }
        return pending;
    };
}


/***/ })

};
