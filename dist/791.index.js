export const id = 791;
export const ids = [791];
export const modules = {

/***/ 26019:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Kv: () => (/* binding */ subjectAnnotation),
/* harmony export */   my: () => (/* binding */ refNameAnnotation),
/* harmony export */   vh: () => (/* binding */ layoutIndex),
/* harmony export */   xi: () => (/* binding */ sourceAnnotation)
/* harmony export */ });
/* harmony import */ var _oci_media_types_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(29217);

const refNameAnnotation = 'org.opencontainers.image.ref.name';
/** The reference an image was packaged from, pinned: `registry/repository[:tag]@digest`. */
const sourceAnnotation = 'io.github.ferry.source';
/** The manifest an artifact in the archive belongs to (a referrer's subject, a digest tag's digest). */
const subjectAnnotation = 'io.github.ferry.subject';
const byText = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
function layoutIndex(images, artifacts = []) {
    const byName = new Map(images.map((image) => [image.refName, image]));
    const manifests = [...byName.values()]
        .sort((a, b) => byText(a.refName, b.refName))
        .map(({ descriptor, refName, source }) => ({
        mediaType: descriptor.mediaType,
        digest: descriptor.digest,
        size: descriptor.size,
        annotations: { [refNameAnnotation]: refName, [sourceAnnotation]: source },
    }));
    const byKey = new Map(artifacts.map((artifact) => [`${artifact.subject} ${artifact.tag ?? ''} ${artifact.descriptor.digest}`, artifact]));
    for (const key of [...byKey.keys()].sort(byText)) {
        const { descriptor, subject, tag } = byKey.get(key);
        manifests.push({
            mediaType: descriptor.mediaType,
            digest: descriptor.digest,
            size: descriptor.size,
            ...(descriptor.artifactType === undefined ? {} : { artifactType: descriptor.artifactType }),
            annotations: { ...(tag === undefined ? {} : { [refNameAnnotation]: tag }), [subjectAnnotation]: subject },
        });
    }
    return Buffer.from(`${JSON.stringify({ schemaVersion: 2, mediaType: _oci_media_types_js__WEBPACK_IMPORTED_MODULE_0__/* .ociIndex */ .KP, manifests }, null, 2)}\n`);
}


/***/ }),

/***/ 66055:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   g: () => (/* binding */ freeBytes),
/* harmony export */   l: () => (/* binding */ BlobStore)
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
    /**
     * A copy of a blob kept as it passes on its way elsewhere (already verified there): written to a
     * fresh temporary file, renamed into place by `done`, removed by `discard`.
     */
    keeper(blob) {
        const target = this.path(blob.digest);
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.mkdirSync)(node_path__WEBPACK_IMPORTED_MODULE_3___default().dirname(target), { recursive: true });
        const temporary = this.temporaryPath(blob.digest);
        return {
            stream: (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createWriteStream)(temporary, { flags: 'wx' }),
            done: async () => {
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rename)(temporary, target);
                this.verifiedBlobs.add(blob.digest);
                this.touched.set(blob.digest, blob.size);
            },
            discard: () => (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.unlink)(temporary).catch(() => undefined),
        };
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

/***/ 88791:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  unpackage: () => (/* binding */ unpackage)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(46466);
// EXTERNAL MODULE: ./node_modules/tar-stream/index.js
var tar_stream = __webpack_require__(56118);
// EXTERNAL MODULE: ./src/reference.ts
var src_reference = __webpack_require__(98286);
// EXTERNAL MODULE: ./src/oci/descriptor.ts
var descriptor = __webpack_require__(47592);
// EXTERNAL MODULE: ./src/oci/limits.ts
var limits = __webpack_require__(64593);
// EXTERNAL MODULE: ./src/registry/digest.ts
var registry_digest = __webpack_require__(35035);
// EXTERNAL MODULE: ./src/copy/budget.ts
var copy_budget = __webpack_require__(6408);
// EXTERNAL MODULE: ./src/copy/walker.ts + 2 modules
var copy_walker = __webpack_require__(37484);
// EXTERNAL MODULE: ./src/archive/store.ts
var archive_store = __webpack_require__(66055);
// EXTERNAL MODULE: ./src/archive/layout-index.ts
var layout_index = __webpack_require__(26019);
;// CONCATENATED MODULE: ./src/archive/read.ts
// Reads an archive into a blob store in a temporary folder, refusing anything hostile before a single
// push: paths that climb out or are absolute, links, devices, duplicate names, blobs whose content is
// not their name, oversized JSON, truncated tars, and indexes that point at blobs the archive lacks.
// Reads ferry's OCI layout tars and the tars of `kbld pkg` / `imgpkg copy --to-tar`.















class ArchiveError extends Error {
    constructor(file, reason) {
        super(`${file}: ${reason}; nothing was pushed`);
        this.name = 'ArchiveError';
    }
}
const jsonFiles = new Set(['index.json', 'oci-layout', 'manifest.json']);
const ociBlob = /^blobs\/(sha256|sha384|sha512)\/([a-f0-9]+)$/;
const kbldLayer = /^(sha256|sha384|sha512)-([a-f0-9]+)\.tar\.gz$/;
/** An entry's name, normalized, or the reason it is refused. */
function entryName(raw) {
    const name = raw.replace(/^\.\//, '').replace(/\/+$/, '');
    if (name === '' || name === '.')
        return { refused: 'an entry with no name' };
    if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw))
        return { refused: `an absolute path (${raw})` };
    if (name.split('/').some((part) => part === '..' || part === '') || raw.includes('\\'))
        return { refused: `a path outside the archive (${raw})` };
    return name;
}
class HashingFile extends external_node_stream_.Writable {
    hash;
    file;
    constructor(target, algorithm) {
        super();
        this.hash = (0,external_node_crypto_.createHash)(algorithm);
        this.file = (0,external_node_fs_.createWriteStream)(target, { flags: 'wx' });
    }
    _write(chunk, _encoding, callback) {
        this.hash.update(chunk);
        this.file.write(chunk, callback);
    }
    _final(callback) {
        this.file.end(callback);
    }
}
async function collect(stream, limit, fail) {
    const chunks = [];
    let total = 0;
    for await (const chunk of stream) {
        total += chunk.length;
        if (total > limit)
            throw fail();
        chunks.push(chunk);
    }
    return Buffer.concat(chunks);
}
/** Extracts the entries ferry knows into `dir`, checking each; returns the JSON files read. */
async function extract(file, store, maxBlobBytes) {
    const json = new Map();
    const seen = new Set();
    const extractor = tar_stream.extract();
    const done = (async () => {
        for await (const entry of extractor) {
            const { header } = entry;
            const name = entryName(header.name);
            if (typeof name !== 'string')
                throw new ArchiveError(file, `the archive holds ${name.refused}`);
            if (seen.has(name))
                throw new ArchiveError(file, `the archive holds ${name} twice`);
            seen.add(name);
            if (header.type === 'directory') {
                entry.resume();
                continue;
            }
            if (header.type !== 'file' && header.type !== 'contiguous-file') {
                throw new ArchiveError(file, `the archive holds a ${header.type} (${header.name}); only files and folders are accepted`);
            }
            const blob = ociBlob.exec(name) ?? kbldLayer.exec(name);
            if ((header.size ?? 0) > maxBlobBytes) {
                throw new ArchiveError(file, `${name} is ${header.size} bytes, more than the ${maxBlobBytes} ferry accepts (max-blob-bytes)`);
            }
            if (jsonFiles.has(name)) {
                json.set(name, await collect(entry, limits/* maxManifestBytes */.r, () => new ArchiveError(file, `${name} is larger than ${limits/* maxManifestBytes */.r} bytes`)));
            }
            else if (blob !== null) {
                const digest = `${blob[1]}:${blob[2]}`;
                if ((0,src_reference/* digestError */.DD)(digest) !== undefined)
                    throw new ArchiveError(file, `${name} is not named by a digest`);
                const target = store.path(digest);
                await (0,promises_.mkdir)(external_node_path_default().dirname(target), { recursive: true });
                // Into a fresh file, renamed into place once its content matches its name: never through a link planted there.
                const temporary = store.temporaryPath(digest);
                try {
                    const sink = new HashingFile(temporary, blob[1] ?? 'sha256');
                    await (0,external_node_stream_promises_.pipeline)(entry, sink);
                    const actual = `${blob[1]}:${sink.hash.digest('hex')}`;
                    if (actual !== digest)
                        throw new ArchiveError(file, `${name} holds ${actual}: its content does not match its name`);
                    await (0,promises_.rename)(temporary, target);
                }
                catch (error) {
                    await (0,promises_.unlink)(temporary).catch(() => undefined);
                    throw error;
                }
            }
            else {
                entry.resume();
            }
        }
    })();
    try {
        await Promise.all([(0,external_node_stream_promises_.pipeline)((0,external_node_fs_.createReadStream)(file), extractor), done]);
    }
    catch (error) {
        if (error instanceof ArchiveError)
            throw error;
        throw new ArchiveError(file, `not a complete tar archive (${error.message})`);
    }
    return json;
}
function parseJson(file, name, bytes) {
    if (bytes === undefined)
        throw new ArchiveError(file, `the archive has no ${name}`);
    try {
        return JSON.parse(bytes.toString('utf8'));
    }
    catch {
        throw new ArchiveError(file, `${name} is not JSON`);
    }
}
/** kbld/imgpkg keep manifests and configs inline in manifest.json: store them as blobs, verified. */
async function storeKbldRaw(file, store, digest, raw) {
    const bytes = Buffer.from(raw, 'utf8');
    const actual = (0,registry_digest/* digestOf */.ol)(bytes, digest.slice(0, digest.indexOf(':')));
    if (actual !== digest)
        throw new ArchiveError(file, `manifest.json holds ${actual} where it names ${digest}`);
    await store.writeBytes(digest, bytes);
    return { mediaType: '', digest, size: bytes.length };
}
async function readKbld(file, store, manifest) {
    const entries = parseJson(file, 'manifest.json', manifest);
    if (!Array.isArray(entries))
        throw new ArchiveError(file, 'manifest.json is not a list of images');
    const storeImage = async (image) => {
        if (!image.Manifest || !image.Config)
            throw new ArchiveError(file, 'manifest.json has an image without Manifest or Config');
        await storeKbldRaw(file, store, image.Config.Digest, image.Config.Raw);
        const stored = await storeKbldRaw(file, store, image.Manifest.Digest, image.Manifest.Raw);
        return { mediaType: image.Manifest.MediaType, digest: stored.digest, size: stored.size };
    };
    const storeIndex = async (index) => {
        for (const child of index.Indexes ?? [])
            await storeIndex(child);
        for (const child of index.Images ?? [])
            await storeImage(child);
        const stored = await storeKbldRaw(file, store, index.Digest, index.Raw);
        return { mediaType: index.MediaType, digest: stored.digest, size: stored.size };
    };
    const images = [];
    for (const entry of entries) {
        if (entry.ImageIndex)
            images.push({ descriptor: await storeIndex(entry.ImageIndex), sources: entry.ImageIndex.Refs ?? [] });
        else if (entry.Image)
            images.push({ descriptor: await storeImage(entry.Image), sources: entry.Image.Refs ?? [] });
        else
            throw new ArchiveError(file, 'manifest.json has an entry that is neither Image nor ImageIndex');
    }
    return images;
}
function readLayout(file, json) {
    const layout = parseJson(file, 'oci-layout', json.get('oci-layout'));
    if (typeof layout.imageLayoutVersion !== 'string')
        throw new ArchiveError(file, 'oci-layout names no imageLayoutVersion');
    const index = parseJson(file, 'index.json', json.get('index.json'));
    if (!Array.isArray(index.manifests))
        throw new ArchiveError(file, 'index.json lists no manifests');
    const images = [];
    const artifacts = [];
    for (const entry of index.manifests) {
        if (typeof entry !== 'object' ||
            entry === null ||
            typeof entry.digest !== 'string' ||
            (0,src_reference/* digestError */.DD)(entry.digest) !== undefined ||
            typeof entry.mediaType !== 'string' ||
            typeof entry.size !== 'number') {
            throw new ArchiveError(file, 'index.json has an entry without a valid mediaType, digest and size');
        }
        const refName = entry.annotations?.[layout_index/* refNameAnnotation */.my];
        const source = entry.annotations?.[layout_index/* sourceAnnotation */.xi];
        const subject = entry.annotations?.[layout_index/* subjectAnnotation */.Kv];
        const descriptor = {
            mediaType: entry.mediaType,
            digest: entry.digest,
            size: entry.size,
            ...(typeof entry.artifactType === 'string' ? { artifactType: entry.artifactType } : {}),
        };
        if (subject !== undefined) {
            if ((0,src_reference/* digestError */.DD)(subject) !== undefined)
                throw new ArchiveError(file, `index.json names a subject that is not a digest`);
            if (refName !== undefined && !src_reference/* anchoredTag */.xZ.test(refName))
                throw new ArchiveError(file, `index.json names an artifact tag that is not a tag`);
            artifacts.push({ descriptor, subject, ...(refName === undefined ? {} : { tag: refName }) });
        }
        else {
            images.push({ descriptor, ...(refName === undefined ? {} : { refName }), sources: source === undefined ? [] : [source] });
        }
    }
    return { images, artifacts };
}
/** An unpacked archive as a source: its blob store, and what its index says travels with each manifest. */
class ArchiveSource {
    store;
    artifacts;
    key;
    constructor(store, artifacts) {
        this.store = store;
        this.artifacts = artifacts;
        this.key = store.key;
    }
    getManifest(digest, mediaType) {
        return this.store.getManifest(digest, mediaType);
    }
    openBlob(blob) {
        return this.store.openBlob(blob);
    }
    async referrers(digest) {
        return this.artifacts
            .filter((artifact) => artifact.subject === digest && artifact.tag === undefined)
            .map((artifact) => artifact.descriptor);
    }
    async digestTags(digest, signaturesOnly) {
        return this.artifacts
            .filter((artifact) => artifact.subject === digest && artifact.tag !== undefined && (!signaturesOnly || artifact.tag.endsWith('.sig')))
            .map((artifact) => ({ tag: artifact.tag, descriptor: artifact.descriptor }));
    }
}
/** Fails on the first blob an image needs that the store lacks (or holds at another size). */
class CompletenessCheck {
    file;
    store;
    key = 'completeness-check';
    constructor(file, store) {
        this.file = file;
        this.store = store;
    }
    async resolve() {
        return undefined;
    }
    async hasBlob(blob) {
        if (!(await this.store.hasBlob(blob)))
            throw new ArchiveError(this.file, `the archive lacks ${blob.digest} (${blob.size} bytes), which an image needs`);
        return true;
    }
    async putBlob() {
        throw new Error('a completeness check writes nothing');
    }
    async putManifest() {
        return { listed: true };
    }
}
async function readArchive(file, dir, maxBlobBytes = descriptor/* defaultMaxBlobBytes */.k, budget = new copy_budget/* ManifestBudget */.D()) {
    const store = new archive_store/* BlobStore */.l(dir, file);
    const json = await extract(file, store, maxBlobBytes);
    const format = json.has('manifest.json') && !json.has('index.json') ? 'kbld' : 'oci-layout';
    const { images, artifacts } = format === 'kbld' ? { images: await readKbld(file, store, json.get('manifest.json')), artifacts: [] } : readLayout(file, json);
    const source = new ArchiveSource(store, artifacts);
    // Walk every image, and all that travels with it, as unpackaging will, before anything is pushed.
    const check = new CompletenessCheck(file, store);
    const walker = new copy_walker/* Copier */.T({ concurrency: 4, maxBlobBytes, artifacts: 'all', budget });
    for (const image of images) {
        try {
            await walker.copy({ source, sink: check, digest: image.descriptor.digest, mediaType: image.descriptor.mediaType });
        }
        catch (error) {
            throw error instanceof ArchiveError ? error : new ArchiveError(file, error.message);
        }
        const top = await store.getManifest(image.descriptor.digest, image.descriptor.mediaType);
        if (top.bytes.length !== image.descriptor.size) {
            throw new ArchiveError(file, `the index gives ${image.descriptor.digest} ${image.descriptor.size} bytes; it has ${top.bytes.length}`);
        }
    }
    return { store, source, images, artifacts, format };
}

// EXTERNAL MODULE: ./src/manifests/files.ts
var manifests_files = __webpack_require__(53529);
// EXTERNAL MODULE: ./src/modes/importer.ts + 1 modules
var modes_importer = __webpack_require__(1905);
// EXTERNAL MODULE: ./src/modes/mode.ts
var mode = __webpack_require__(93805);
;// CONCATENATED MODULE: ./src/modes/unpackage.ts
// unpackage: every image imported from an archive into its destination, with no source registry; the
// archive is read and checked whole before any registry is contacted.







/** The archive image an entry names: by ref name, by digest, or by the one image of its repository. */
function findInArchive(entry, archive) {
    const source = (0,src_reference/* parseReference */.F2)(entry.source);
    // A name is the archive's word; a digest the manifests pin is the workflow's, and the name must agree with it.
    const holds = (image, digest) => image.descriptor.digest === digest || image.sources.some((reference) => (0,src_reference/* parseReference */.F2)(reference).digest === digest);
    const byName = archive.images.find((image) => image.refName === entry.image && (source.digest === undefined || holds(image, source.digest)));
    if (byName)
        return byName;
    if (source.digest !== undefined) {
        // By its own digest, or by the digest it was packaged from (before a platform filter).
        const pinned = source.digest;
        const byDigest = archive.images.find((image) => holds(image, pinned));
        if (byDigest)
            return byDigest;
    }
    else {
        const sameRepository = archive.images.filter((image) => image.sources.some((reference) => {
            const parsed = (0,src_reference/* parseReference */.F2)(reference);
            return parsed.name === source.name && (parsed.tag === undefined || source.tag === undefined || parsed.tag === source.tag);
        }));
        if (sameRepository.length === 1 && sameRepository[0])
            return sameRepository[0];
    }
    return undefined;
}
/** The first archive of the set that holds the entry's image. */
function findInArchives(entry, archives) {
    for (const archive of archives) {
        const image = findInArchive(entry, archive);
        if (image !== undefined)
            return { archive, image };
    }
    const count = archives.reduce((sum, archive) => sum + archive.images.length, 0);
    throw new Error(`not in the archive${archives.length === 1 ? '' : 's'} (${count} images there; package it, or pin the reference by digest)`);
}
const unpackage = {
    keepsNames: false,
    pins: true,
    needsImages: true,
    async run(context) {
        const { entries, registries, settings, onCleanup, budget, log, progress } = context;
        const archives = await (async () => {
            const files = await (0,manifests_files/* inputFiles */.ul)(settings.files, 'archive', settings.archives, true).catch((error) => {
                // A path that is not there: say so plainly (a glob that matches nothing says it itself).
                if (settings.archives.length === 1 && !/[*?[]/.test(settings.archives[0] ?? '')) {
                    settings.files.regularFileSize('archive', settings.archive, true);
                }
                throw error;
            });
            const read = [];
            for (const file of files) {
                settings.files.regularFileSize('archive', file.real, true);
                const dir = await (0,promises_.mkdtemp)(external_node_path_default().join(settings.tempDir, 'ferry-unpack-'));
                onCleanup(() => (0,promises_.rm)(dir, { recursive: true, force: true }));
                const archive = await readArchive(file.real, dir, settings.maxBlobBytes, budget);
                log(`${file.name}: ${archive.format}, ${archive.images.length} images`);
                read.push(archive);
            }
            return read;
        })();
        // Every image is found in the archives before the first push: a set that cannot be imported whole
        // is not imported in part.
        const missing = [];
        for (const entry of entries) {
            try {
                findInArchives(entry, archives);
            }
            catch (error) {
                missing.push({ image: entry.image, message: `${entry.image}: ${error.message}` });
            }
        }
        const empty = { outcomes: [], tags: [], edit: true, extraLock: [] };
        if (missing.length > 0)
            return { result: { ...empty, failures: missing } };
        // Verified from what the archive holds, offline, before the first push; trust comes only from the inputs.
        const gate = await (0,mode/* verifyGate */.VN)(context, entries.map((entry) => {
            const { archive, image } = findInArchives(entry, archives);
            return { entry, source: archive.source, digest: image.descriptor.digest };
        }));
        if (gate !== undefined && gate.failures.length > 0)
            return { result: { ...empty, failures: gate.failures, warnings: gate.warnings } };
        const importer = (0,modes_importer/* importerFor */.UE)(registries(), settings, budget, (count) => progress.moved(count));
        const { results, failures } = await (0,mode/* settle */.G9)(entries, async (entry) => {
            const { archive, image } = findInArchives(entry, archives);
            const outcome = await importer.import(entry, archive.source, image.descriptor.digest, image.descriptor.mediaType);
            const verified = gate?.verified.get(entry.image);
            return verified === undefined ? outcome : { ...outcome, verified };
        }, progress);
        const bySource = new Map(entries.map((entry) => [entry.image, entry.source]));
        const extraLock = results.map(({ image, digest, newImage }) => ({
            image: (0,src_reference/* pinnedReference */.ct)(bySource.get(image) ?? image, digest ?? '', false),
            newImage,
        }));
        return {
            result: { ...empty, outcomes: results, failures, tags: [...importer.tags.values()], extraLock, warnings: gate?.warnings ?? [] },
            tagger: importer.tagger,
        };
    },
};


/***/ })

};
