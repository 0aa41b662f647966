export const id = 280;
export const ids = [280,548];
export const modules = {

/***/ 9548:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  n: () => (/* binding */ ArchiveFile),
  x: () => (/* binding */ ArchivePlanner),
  commitArchive: () => (/* binding */ commitArchive)
});

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(6466);
// EXTERNAL MODULE: ./src/oci/digest.ts
var digest = __webpack_require__(8825);
// EXTERNAL MODULE: ./src/archive/store.ts
var store = __webpack_require__(6055);
;// CONCATENATED MODULE: ./src/archive/tar-layout.ts
// Where every entry of an archive sits before a byte of it is written. The archive is an OCI image
// layout in a deterministic tar (sorted entries, zero times, uid/gid 0, no user names): every digest
// and size is known once the images' manifests are read, so each entry's offset is too, and each blob
// can be written once, in place, as it arrives. Headers are ustar, as tar-stream writes them (a test
// compares the two byte for byte).
const block = 512;
/** A ustar header for a regular file or a folder: the fields tar-stream's encoder writes, nothing else. */
function ustarHeader(name, size, type) {
    const header = Buffer.alloc(block);
    let full = type === 'directory' && !name.endsWith('/') ? `${name}/` : name;
    if (Buffer.byteLength(full) !== full.length)
        throw new Error(`${name}: not an ASCII tar name`);
    // Past 100 characters, the folders go into ustar's prefix field, as tar-stream splits them.
    let prefix = '';
    while (full.length > 100) {
        const slash = full.indexOf('/');
        if (slash < 0)
            break;
        prefix += prefix === '' ? full.slice(0, slash) : `/${full.slice(0, slash)}`;
        full = full.slice(slash + 1);
    }
    if (full.length > 100 || prefix.length > 155)
        throw new Error(`${name}: too long for a ustar header`);
    const octal = (value, digits) => `${value.toString(8).padStart(digits, '0')} `;
    header.write(full, 0, 'ascii');
    if (prefix !== '')
        header.write(prefix, 345, 'ascii');
    header.write(octal(type === 'directory' ? 0o755 : 0o644, 6), 100, 'ascii');
    header.write(octal(0, 6), 108, 'ascii');
    header.write(octal(0, 6), 116, 'ascii');
    if (size.toString(8).length > 11) {
        // Past 8 GiB: base-256, as tar-stream and GNU tar write it.
        header[124] = 0x80;
        let rest = size;
        for (let at = 11; at > 0; at--) {
            header[124 + at] = rest & 0xff;
            rest = Math.floor(rest / 0x100);
        }
    }
    else
        header.write(octal(size, 11), 124, 'ascii');
    header.write(octal(0, 11), 136, 'ascii');
    header[156] = type === 'directory' ? 0x35 : 0x30;
    header.write('ustar\0', 257, 'ascii');
    header.write('00', 263, 'ascii');
    header.write(octal(0, 6), 329, 'ascii');
    header.write(octal(0, 6), 337, 'ascii');
    let sum = 8 * 32;
    for (let at = 0; at < 148; at++)
        sum += header[at];
    for (let at = 156; at < block; at++)
        sum += header[at];
    header.write(octal(sum, 6), 148, 'ascii');
    return header;
}
const padded = (size) => Math.ceil(size / block) * block;
const byText = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
/** The layout of an archive holding `blobs` (by digest, with sizes), then `index.json` and `oci-layout`. */
function planLayout(blobs, indexSize, layoutSize) {
    const entries = [];
    const contentAt = new Map();
    let offset = 0;
    const add = (name, type, size) => {
        entries.push({ name, type, size, offset });
        const content = offset + block;
        offset = content + padded(size);
        return content;
    };
    add('blobs/', 'directory', 0);
    const digests = [...blobs.keys()].sort(byText);
    for (const algorithm of [...new Set(digests.map((digest) => digest.slice(0, digest.indexOf(':'))))].sort(byText))
        add(`blobs/${algorithm}/`, 'directory', 0);
    for (const digest of digests) {
        const [algorithm, hex] = digest.split(':');
        contentAt.set(digest, add(`blobs/${algorithm}/${hex}`, 'file', blobs.get(digest) ?? 0));
    }
    add('index.json', 'file', indexSize);
    add('oci-layout', 'file', layoutSize);
    return { entries, contentAt, size: offset + 2 * block };
}

// EXTERNAL MODULE: ./src/archive/layout-index.ts
var layout_index = __webpack_require__(6019);
;// CONCATENATED MODULE: ./src/archive/archive-file.ts
// The archive written in place: its layout is fixed before the first blob arrives (every digest and
// size is in the manifests a first walk read), so the headers, the manifests, index.json and oci-layout
// are written at once, and each blob is written once, at its offset, as it streams in from the
// registry, its digest verified on the way. The file is a temporary one beside the archive, renamed
// into place at the commit point. With the Actions cache, the blob store keeps a copy of each blob
// as it passes (and serves the blobs it already has), so a second packaging pulls nothing.









const ociLayout = Buffer.from('{"imageLayoutVersion":"1.0.0"}');
class ArchiveFile {
    file;
    temporary;
    layout;
    sizes;
    cache;
    key;
    /** Blobs whose content is in place. */
    written = new Set();
    constructor(file, temporary, layout, sizes, cache) {
        this.file = file;
        this.temporary = temporary;
        this.layout = layout;
        this.sizes = sizes;
        this.cache = cache;
        this.key = `archive:${file}`;
    }
    /** Lays out the archive in a temporary file beside `file`: everything but the blobs' content. */
    static async create(file, contents, cache) {
        await (0,promises_.mkdir)(external_node_path_default().dirname(file), { recursive: true });
        const index = (0,layout_index/* layoutIndex */.vh)(contents.images, contents.artifacts);
        const layout = planLayout(contents.blobs, index.length, ociLayout.length);
        const free = await (0,store/* freeBytes */.g)(external_node_path_default().dirname(file));
        if (layout.size > free)
            throw new Error(`${file}: the archive needs ${layout.size} bytes and only ${free} are free on the disk`);
        const temporary = external_node_path_default().join(external_node_path_default().dirname(file), `.${external_node_path_default().basename(file)}.${(0,external_node_crypto_.randomBytes)(6).toString('hex')}`);
        const archive = new ArchiveFile(file, temporary, layout, contents.blobs, cache);
        let handle;
        try {
            handle = await (0,promises_.open)(temporary, 'wx');
            // The whole size at once: the blobs' regions are holes until their content arrives.
            await handle.truncate(layout.size);
            for (const entry of layout.entries)
                await handle.write(ustarHeader(entry.name, entry.size, entry.type), 0, 512, entry.offset);
            const content = (name) => (layout.entries.find((entry) => entry.name === name)?.offset ?? 0) + 512;
            await handle.write(index, 0, index.length, content('index.json'));
            await handle.write(ociLayout, 0, ociLayout.length, content('oci-layout'));
            for (const [digest, bytes] of contents.manifests) {
                await handle.write(bytes, 0, bytes.length, archive.contentAt({ mediaType: '', digest, size: bytes.length }));
                archive.written.add(digest);
            }
        }
        catch (error) {
            await handle?.close().catch(() => undefined);
            await (0,promises_.rm)(temporary, { force: true });
            throw error;
        }
        await handle.close();
        return archive;
    }
    /** Where a blob's content goes; its size must be the one it was laid out with, so it cannot run past its region. */
    contentAt(blob) {
        const at = this.layout.contentAt.get(blob.digest);
        if (at === undefined)
            throw new Error(`${this.file}: ${blob.digest} was not among the blobs the archive was laid out for`);
        const planned = this.sizes.get(blob.digest);
        if (planned !== blob.size)
            throw new Error(`${this.file}: ${blob.digest} was laid out with ${planned} bytes, not ${blob.size}`);
        return at;
    }
    /** Nothing is at the destination before the run: the walk always descends. */
    async resolve() {
        return undefined;
    }
    /** In place already (a manifest), or in the cache's blob store, from which it is copied into place. */
    async hasBlob(blob) {
        const start = this.contentAt(blob);
        if (this.written.has(blob.digest))
            return true;
        if (this.cache === undefined || !(await this.cache.hasBlob(blob)))
            return false;
        await (0,external_node_stream_promises_.pipeline)(this.cache.openBlob(blob), (0,external_node_fs_.createWriteStream)(this.temporary, { flags: 'r+', start }));
        this.written.add(blob.digest);
        return true;
    }
    async putBlob(blob, openBlob) {
        const start = this.contentAt(blob);
        const verifier = new digest/* DigestVerifier */.Do(blob.digest, blob.size, (reason) => new Error(`blob ${blob.digest}: ${reason}`));
        const kept = this.cache?.keeper(blob);
        // The cache's copy is best effort: a failure there (a full disk) loses the copy, never the archive.
        let keeping = kept !== undefined;
        kept?.stream.on('error', () => {
            keeping = false;
            verifier.unpipe(kept.stream);
        });
        if (kept !== undefined)
            verifier.pipe(kept.stream);
        try {
            await (0,external_node_stream_promises_.pipeline)(openBlob(), verifier, (0,external_node_fs_.createWriteStream)(this.temporary, { flags: 'r+', start }));
            if (kept !== undefined && keeping)
                await (0,external_node_stream_promises_.finished)(kept.stream).catch(() => (keeping = false));
            if (kept !== undefined)
                await (keeping ? kept.done() : kept.discard());
        }
        catch (error) {
            kept?.stream.destroy();
            await kept?.discard();
            throw error;
        }
        this.written.add(blob.digest);
        return 'uploaded';
    }
    /** Manifests were written when the archive was laid out; the index lists referrers with their subjects. */
    async putManifest(descriptor) {
        if (!this.written.has(descriptor.digest))
            throw new Error(`${this.file}: manifest ${descriptor.digest} was not laid out`);
        return { listed: true };
    }
    /** Every blob in place: the archive is complete (it is renamed into place at the commit point). */
    missing() {
        return [...this.layout.contentAt.keys()].filter((digest) => !this.written.has(digest));
    }
    async discard() {
        await (0,promises_.rm)(this.temporary, { force: true });
    }
}
/**
 * The first walk's sink: it takes nothing and keeps what the archive will hold, every blob with its
 * size and every manifest's bytes. It says it has every blob, so the walk reads no blob; in a dry
 * run (`holds: false`) it says it has none, so the walk counts what packaging would move.
 */
class ArchivePlanner {
    holds;
    key;
    blobs = new Map();
    manifests = new Map();
    constructor(file, holds = true) {
        this.holds = holds;
        this.key = `plan:${file}`;
    }
    async resolve() {
        return undefined;
    }
    /** One size per digest: a source naming a blob with two sizes could otherwise write past its region. */
    record(digest, size) {
        const known = this.blobs.get(digest);
        if (known !== undefined && known !== size)
            throw new Error(`${digest} is named with two sizes, ${known} and ${size} bytes`);
        this.blobs.set(digest, size);
    }
    async hasBlob(blob) {
        this.record(blob.digest, blob.size);
        return this.holds;
    }
    async putBlob(blob) {
        this.record(blob.digest, blob.size);
        return 'uploaded';
    }
    async putManifest(descriptor, bytes) {
        this.record(descriptor.digest, bytes.length);
        this.manifests.set(descriptor.digest, bytes);
        return { listed: true };
    }
}
/** The commit point's part: the complete archive, synced to disk, renamed into its place. */
async function commitArchive(temporary, file) {
    const handle = await (0,promises_.open)(temporary, 'r+');
    try {
        await handle.sync();
    }
    finally {
        await handle.close();
    }
    await (0,promises_.rename)(temporary, file);
}


/***/ }),

/***/ 6019:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Kv: () => (/* binding */ subjectAnnotation),
/* harmony export */   my: () => (/* binding */ refNameAnnotation),
/* harmony export */   vh: () => (/* binding */ layoutIndex),
/* harmony export */   xi: () => (/* binding */ sourceAnnotation)
/* harmony export */ });
/* harmony import */ var _oci_media_types_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9217);

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

/***/ 6055:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   g: () => (/* binding */ freeBytes),
/* harmony export */   l: () => (/* binding */ BlobStore)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(6466);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_5___default = /*#__PURE__*/__webpack_require__.n(node_stream_promises__WEBPACK_IMPORTED_MODULE_5__);
/* harmony import */ var _oci_digest_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(8825);
/* harmony import */ var _reference_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(8286);
// A folder of blobs by digest (`blobs/<algorithm>/<hex>`, as an OCI layout keeps them): the blob store
// the Actions cache keeps between packaging runs. Packaging keeps a copy of each blob in it as the blob
// passes into the archive, and fills an archive from what it already holds.








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
    /** Blobs found in the store whose content this run has hashed: a planted file is not trusted by its name. */
    verifiedBlobs = new Set();
    constructor(dir, describe = dir) {
        this.dir = dir;
        this.describe = describe;
        replaceLinkedFolders(dir);
    }
    path(digest) {
        const reason = (0,_reference_js__WEBPACK_IMPORTED_MODULE_7__/* .digestError */ .DD)(digest);
        if (reason !== undefined)
            throw new Error(`${this.describe}: ${digest} is not a digest: ${reason}`);
        const [algorithm = '', hex = ''] = digest.split(':');
        return node_path__WEBPACK_IMPORTED_MODULE_3___default().join(this.dir, 'blobs', algorithm, hex);
    }
    /**
     * The blob's file, opened for reading when it is a regular file of the blob's size: a restored cache
     * can hold a link, a FIFO (whose read would wait for ever) or a device under a blob's name. It is
     * opened without following a link and without waiting for a writer, and checked on the open handle.
     */
    async openRegular(blob) {
        let handle;
        try {
            handle = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.open)(this.path(blob.digest), node_fs__WEBPACK_IMPORTED_MODULE_1__.constants.O_RDONLY | node_fs__WEBPACK_IMPORTED_MODULE_1__.constants.O_NOFOLLOW | node_fs__WEBPACK_IMPORTED_MODULE_1__.constants.O_NONBLOCK);
        }
        catch {
            return undefined;
        }
        const info = await handle.stat().catch(() => undefined);
        if (info?.isFile() === true && info.size === blob.size)
            return handle;
        await handle.close();
        return undefined;
    }
    /** Whether the store holds the blob: a regular file of the right size, and (once per run) the right content. */
    async hasBlob(blob) {
        const handle = await this.openRegular(blob);
        if (handle === undefined) {
            // Not a regular file of that size: whatever is there is not ours, and is replaced by the real blob.
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.unlink)(this.path(blob.digest)).catch(() => undefined);
            return false;
        }
        if (this.verifiedBlobs.has(blob.digest)) {
            await handle.close();
            return true;
        }
        const verifier = new _oci_digest_js__WEBPACK_IMPORTED_MODULE_6__/* .DigestVerifier */ .Do(blob.digest, blob.size, (reason) => new Error(reason));
        try {
            // The stream closes the handle when it ends or fails.
            await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_5__.pipeline)(handle.createReadStream(), verifier, async (chunks) => {
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
            },
            discard: () => (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.unlink)(temporary).catch(() => undefined),
        };
    }
    /** A blob `hasBlob` found: read again through a handle checked to be a regular file, verified as it passes. */
    openBlob(blob) {
        const verifier = new _oci_digest_js__WEBPACK_IMPORTED_MODULE_6__/* .DigestVerifier */ .Do(blob.digest, blob.size, (reason) => new Error(`${this.describe}: blob ${blob.digest}: ${reason}`));
        const openRegular = () => this.openRegular(blob);
        const content = node_stream__WEBPACK_IMPORTED_MODULE_4__.Readable.from((async function* () {
            // Opened when the first byte is asked for, and closed however the read ends.
            const handle = await openRegular();
            if (handle === undefined)
                throw new Error(`${blob.digest} is no longer a regular file of ${blob.size} bytes in the blob store`);
            try {
                yield* handle.createReadStream({ autoClose: false });
            }
            finally {
                await handle.close();
            }
        })(), { objectMode: false });
        return (0,_oci_digest_js__WEBPACK_IMPORTED_MODULE_6__/* .verified */ .zr)(content, verifier);
    }
}


/***/ }),

/***/ 6280:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   packageMode: () => (/* binding */ packageMode)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _archive_archive_file_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9548);
/* harmony import */ var _archive_store_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6055);
/* harmony import */ var _reference_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8286);
/* harmony import */ var _copy_walker_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8188);
/* harmony import */ var _result_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(1666);
/* harmony import */ var _importer_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(786);
/* harmony import */ var _steps_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(9503);
/* harmony import */ var _resolver_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(2724);
// package: every image copied whole into one deterministic archive, laid out before the first blob
// arrives and each blob written once, in place; renamed into place at the commit point. The YAML is
// left alone; the lock records the digests.









/** The full pinned form kept in an archive: `registry/repository[:tag]@digest`. */
function pinnedSource(reference, digest) {
    const parsed = (0,_reference_js__WEBPACK_IMPORTED_MODULE_3__/* .parseReference */ .F2)(reference);
    return (0,_reference_js__WEBPACK_IMPORTED_MODULE_3__/* .referenceText */ .n5)(parsed.name, parsed.tag, digest);
}
const packageMode = {
    async run(context) {
        const { entries, registries, settings, budget, log, notice, progress, onCleanup } = context;
        const clients = registries();
        const digestOf = (0,_resolver_js__WEBPACK_IMPORTED_MODULE_7__/* .digestResolver */ .D)(clients, { checkPinned: false });
        const resolved = await (0,_steps_js__WEBPACK_IMPORTED_MODULE_6__/* .settle */ .G9)(entries, async (entry) => [entry, await digestOf(entry.source)], settings);
        const empty = (0,_steps_js__WEBPACK_IMPORTED_MODULE_6__/* .emptyResult */ .$)(context);
        if (resolved.failures.length > 0)
            return (0,_steps_js__WEBPACK_IMPORTED_MODULE_6__/* .stopped */ .ce)(context, resolved.failures);
        const digests = new Map(resolved.results);
        const sourceOf = (0,_importer_js__WEBPACK_IMPORTED_MODULE_5__/* .sharedSources */ .ih)(clients);
        const gate = await (0,_steps_js__WEBPACK_IMPORTED_MODULE_6__/* .verifyGate */ .VN)(context, entries.map((entry) => ({ entry, source: sourceOf(entry.source).forGate(), digest: digests.get(entry) ?? '' })));
        if (gate !== undefined && gate.failures.length > 0)
            return (0,_steps_js__WEBPACK_IMPORTED_MODULE_6__/* .stopped */ .ce)(context, gate.failures, gate.warnings);
        // The cache client is large (the Azure SDK): loaded only when packaging.
        const { cacheKey, restoreBlobs, saveBlobs } = await Promise.all(/* import() */[__webpack_require__.e(830), __webpack_require__.e(996), __webpack_require__.e(532)]).then(__webpack_require__.bind(__webpack_require__, 5532));
        const storeDir = node_path__WEBPACK_IMPORTED_MODULE_0___default().join(settings.tempDir, 'ferry-blobs');
        const key = cacheKey(digests.values());
        const restored = settings.dryRun ? 'unavailable' : await restoreBlobs(storeDir, key);
        if (settings.dryRun)
            log('dry run: the blob store cache is not used');
        else if (restored === 'unavailable')
            notice('The GitHub Actions cache is not available here: the blob store is not cached.');
        else
            log(`blob store cache ${key}: ${restored}`);
        // The first walk reads every manifest (no blob) and lays the archive out; the second fills it, each
        // blob written once, in place, as it arrives. A dry run walks once and writes nothing.
        const cache = settings.dryRun || restored === 'unavailable' ? undefined : new _archive_store_js__WEBPACK_IMPORTED_MODULE_2__/* .BlobStore */ .l(storeDir);
        const copier = new _copy_walker_js__WEBPACK_IMPORTED_MODULE_4__/* .Copier */ .T((0,_importer_js__WEBPACK_IMPORTED_MODULE_5__/* .copierOptions */ .NT)({ ...settings, budget, onMoved: (count) => progress.moved(count) }));
        const planner = new _archive_archive_file_js__WEBPACK_IMPORTED_MODULE_1__/* .ArchivePlanner */ .x(settings.archive, !settings.dryRun);
        const outcomeOf = (entry, result) => {
            const verified = gate?.verified.get(entry.image);
            return {
                image: entry.image,
                digest: result.digest,
                tag: (0,_reference_js__WEBPACK_IMPORTED_MODULE_3__/* .tagOf */ .cO)(entry.source),
                newImage: (0,_reference_js__WEBPACK_IMPORTED_MODULE_3__/* .pinnedReference */ .ct)(entry.source, result.digest, settings.keepTags),
                copy: (0,_result_js__WEBPACK_IMPORTED_MODULE_8__/* .copySummary */ .GU)(result, 'archive'),
                ...(verified === undefined ? {} : { verified }),
            };
        };
        // The walk that is the run's work (filling the archive; planning it, in a dry run) tells of each image as it is done.
        const walk = (sink, tells) => {
            const copies = new Map();
            return async (entry) => {
                const digest = digests.get(entry) ?? '';
                let copy = copies.get(digest);
                if (copy === undefined) {
                    copy = copier.copy({ source: sourceOf(entry.source), sink, digest });
                    copies.set(digest, copy);
                }
                const result = await copy;
                if (tells)
                    context.onImage?.(outcomeOf(entry, result));
                return result;
            };
        };
        const planned = await (0,_steps_js__WEBPACK_IMPORTED_MODULE_6__/* .settle */ .G9)(entries, walk(planner, settings.dryRun), {
            ...settings,
            progress: settings.dryRun ? progress : undefined,
        });
        if (planned.failures.length > 0)
            return (0,_steps_js__WEBPACK_IMPORTED_MODULE_6__/* .stopped */ .ce)(context, planned.failures, gate?.warnings);
        // An index a platform filter cut goes into the archive beside what was made of it: unpackage checks
        // the derivation against its bytes before that copy may stand for a reference pinned to it.
        for (const [at, result] of planned.results.entries()) {
            if (result.filteredFrom === undefined)
                continue;
            const original = await sourceOf(entries[at].source).getManifest(result.filteredFrom);
            await planner.putManifest(original.descriptor, original.bytes);
        }
        const byEntry = new Map(entries.map((entry, at) => [entry, planned.results[at]]));
        const archived = entries.map((entry) => {
            const result = byEntry.get(entry);
            return {
                descriptor: { mediaType: result.mediaType, digest: result.digest, size: result.size },
                refName: entry.image,
                // What it was packaged from: the source's own digest, before any platform filter.
                source: pinnedSource(entry.source, digests.get(entry) ?? ''),
            };
        });
        const artifacts = planned.results.flatMap((result) => result.artifacts.map((artifact) => ({
            descriptor: {
                mediaType: artifact.mediaType,
                digest: artifact.digest,
                size: artifact.size,
                ...(artifact.artifactType === undefined ? {} : { artifactType: artifact.artifactType }),
            },
            subject: artifact.subject,
            ...(artifact.tag === undefined ? {} : { tag: artifact.tag }),
        })));
        let filled = planned;
        let archive;
        if (!settings.dryRun) {
            archive = await _archive_archive_file_js__WEBPACK_IMPORTED_MODULE_1__/* .ArchiveFile */ .n.create(settings.archive, { blobs: planner.blobs, manifests: planner.manifests, images: archived, artifacts }, cache);
            const laidOut = archive;
            onCleanup(() => laidOut.discard());
            filled = await (0,_steps_js__WEBPACK_IMPORTED_MODULE_6__/* .settle */ .G9)(entries, walk(archive, true), { ...settings, progress });
            const missing = archive.missing();
            if (filled.failures.length === 0 && missing.length > 0)
                throw new Error(`${settings.archive}: ${missing.length} blobs laid out were not written (${missing.slice(0, 3).join(', ')})`);
        }
        const outcomes = filled.results.map((result, at) => outcomeOf(entries[at], result));
        return {
            result: {
                ...empty,
                outcomes: filled.failures.length === 0 ? outcomes : [],
                failures: filled.failures,
                warnings: gate?.warnings ?? [],
                ...(archive === undefined ? {} : { archive: { file: archive.file, temporary: archive.temporary } }),
            },
            finish: async () => {
                if (cache !== undefined && restored !== 'restored')
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
/* harmony import */ var _reference_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8286);
// Which digest a reference names, each distinct reference once per run: its tag resolved, or a pinned
// reference's own digest. A mode that reads the image next (a copy, a measure) reads it by that digest,
// which checks it; a mode that only pins (resolve) asks the registry to check it first (`checkPinned`).
// Lookups are not limited here: the images under way (settle) and each registry's limiter bound them,
// and lookups are light requests, so a far registry answers 20 images' tags in a round trip or two
// rather than one per `concurrency` of them.

function digestResolver(registries, options) {
    const cache = new Map();
    return (reference) => {
        const parsed = (0,_reference_js__WEBPACK_IMPORTED_MODULE_0__/* .parseReference */ .F2)(reference);
        if (parsed.digest !== undefined && !options.checkPinned)
            return Promise.resolve(parsed.digest);
        const key = parsed.toString();
        let pending = cache.get(key);
        if (pending === undefined) {
            const client = registries.reader(parsed.registry);
            pending = client.resolve(parsed.repository, parsed.digest ?? parsed.tag ?? 'latest').then((found) => found.digest);
            cache.set(key, pending);
        }
        return pending;
    };
}


/***/ })

};
