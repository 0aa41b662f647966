export const id = 280;
export const ids = [280,548];
export const modules = {

/***/ 9548:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  nA: () => (/* binding */ ArchiveFile),
  xR: () => (/* binding */ ArchivePlanner),
  commitArchive: () => (/* binding */ commitArchive)
});

// UNUSED EXPORTS: journalName

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
var oci_digest = __webpack_require__(8825);
// EXTERNAL MODULE: ./src/archive/spanned-file.ts
var spanned_file = __webpack_require__(6268);
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
    writer;
    layout;
    sizes;
    journal;
    cache;
    key;
    /** Blobs whose content is in place. */
    written = new Set();
    /** Blobs an earlier run of this archive wrote, found in place and checked by digest. */
    resumedBlobs = 0;
    resumedBytes = 0;
    constructor(file, writer, layout, sizes, journal, cache) {
        this.file = file;
        this.writer = writer;
        this.layout = layout;
        this.sizes = sizes;
        this.journal = journal;
        this.cache = cache;
        this.key = `archive:${file}`;
    }
    /** The archive's files once in place: the archive, or its parts. */
    get files() {
        return this.writer.files;
    }
    /**
     * Lays out the archive in partial files beside `file`: everything but the blobs' content. Partial
     * files an earlier run of the same archive left are kept, and each blob its journal says it wrote is
     * read back and checked against its digest: those that match are not fetched again.
     */
    static async create(file, contents, options = {}) {
        await (0,promises_.mkdir)(external_node_path_default().dirname(file), { recursive: true });
        const index = (0,layout_index/* layoutIndex */.vh)(contents.images, contents.artifacts);
        const layout = planLayout(contents.blobs, index.length, ociLayout.length);
        const files = (0,spanned_file/* spanNames */.x$)(file, layout.size, options.partSize);
        const free = await (0,store/* freeBytes */.g)(external_node_path_default().dirname(file));
        const kept = (await Promise.all(files.map((name) => (0,promises_.lstat)((0,spanned_file/* partialName */.t4)(name)).then((info) => info.size, () => 0)))).reduce((a, b) => a + b, 0);
        if (layout.size > free + kept)
            throw new Error(`${file}: the archive needs ${layout.size} bytes and only ${free} are free on the disk`);
        const writer = await spanned_file/* SpannedWriter */.lL.open(files, layout.size, options.partSize);
        const journalFile = journalName(file);
        let journal;
        try {
            const journaled = writer.resumed ? await readJournal(journalFile) : new Set();
            if (!writer.resumed)
                await (0,promises_.rm)(journalFile, { force: true });
            journal = await (0,promises_.open)(journalFile, external_node_fs_.constants.O_WRONLY | external_node_fs_.constants.O_APPEND | external_node_fs_.constants.O_CREAT | external_node_fs_.constants.O_NOFOLLOW, 0o644);
            const archive = new ArchiveFile(file, writer, layout, contents.blobs, journal, options.cache);
            for (const entry of layout.entries)
                await writer.writeAt(ustarHeader(entry.name, entry.size, entry.type), entry.offset);
            const content = (name) => (layout.entries.find((entry) => entry.name === name)?.offset ?? 0) + 512;
            await writer.writeAt(index, content('index.json'));
            await writer.writeAt(ociLayout, content('oci-layout'));
            // The closing blocks: zeros the earlier run may not have left.
            await writer.writeAt(Buffer.alloc(1024), layout.size - 1024);
            for (const [digest, bytes] of contents.manifests) {
                await writer.writeAt(bytes, archive.contentAt({ mediaType: '', digest, size: bytes.length }));
                archive.written.add(digest);
            }
            for (const digest of journaled)
                await archive.takeResumed(digest);
            return archive;
        }
        catch (error) {
            await journal?.close().catch(() => undefined);
            await writer.close();
            throw error;
        }
    }
    /** A blob an earlier run wrote, taken when its region holds exactly its bytes. */
    async takeResumed(digest) {
        const size = this.sizes.get(digest);
        const at = this.layout.contentAt.get(digest);
        if (size === undefined || at === undefined || this.written.has(digest) || !(0,oci_digest/* isDigest */.Bc)(digest))
            return;
        const check = new oci_digest/* DigestVerifier */.Do(digest, size, (reason) => new Error(reason));
        const chunk = Buffer.alloc(Math.min(size, 1024 * 1024));
        try {
            for (let done = 0; done < size;) {
                const length = Math.min(chunk.length, size - done);
                check.write(Buffer.from(await this.writer.readAt(length, at + done, chunk)));
                done += length;
            }
            await new Promise((resolve, reject) => {
                check.on('error', reject);
                check.on('finish', resolve);
                check.resume();
                check.end();
            });
        }
        catch {
            return; // not what it should be: fetched again
        }
        this.written.add(digest);
        this.resumedBlobs++;
        this.resumedBytes += size;
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
    /** A blob in place: noted in the journal, for a run that has to resume this archive. */
    async done(blob) {
        this.written.add(blob.digest);
        await this.journal.write(`${blob.digest}\n`);
    }
    /** Nothing is at the destination before the run: the walk always descends. */
    async resolve() {
        return undefined;
    }
    /** In place already (a manifest, a blob an earlier run wrote), or in the cache's blob store, from which it is copied into place. */
    async hasBlob(blob) {
        const start = this.contentAt(blob);
        if (this.written.has(blob.digest))
            return true;
        if (this.cache === undefined || !(await this.cache.hasBlob(blob)))
            return false;
        await (0,external_node_stream_promises_.pipeline)(this.cache.openBlob(blob), this.writer.writable(start));
        await this.done(blob);
        return true;
    }
    async putBlob(blob, openBlob) {
        const start = this.contentAt(blob);
        const verifier = new oci_digest/* DigestVerifier */.Do(blob.digest, blob.size, (reason) => new Error(`blob ${blob.digest}: ${reason}`));
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
            await (0,external_node_stream_promises_.pipeline)(openBlob(), verifier, this.writer.writable(start));
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
        await this.done(blob);
        return 'uploaded';
    }
    /** Manifests were written when the archive was laid out; the index lists referrers with their subjects. */
    async putManifest(descriptor) {
        if (!this.written.has(descriptor.digest))
            throw new Error(`${this.file}: manifest ${descriptor.digest} was not laid out`);
        return { listed: true };
    }
    /** Every blob in place: the archive is complete (it is put in place at the commit point). */
    missing() {
        return [...this.layout.contentAt.keys()].filter((digest) => !this.written.has(digest));
    }
    /** Closes the partial files, leaving what is in them for a run that resumes this archive. */
    async close() {
        await this.journal.close().catch(() => undefined);
        await this.writer.close();
    }
}
/** The journal of the blobs an archive's partial files hold, one digest a line: `.images.tar.partial-blobs`. */
function journalName(file) {
    return `${(0,spanned_file/* partialName */.t4)(file)}-blobs`;
}
/** A journal's digests; a torn last line (the run was killed while writing it) is no digest and is left out. */
async function readJournal(file) {
    const handle = await (0,promises_.open)(file, external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NOFOLLOW).catch(() => undefined);
    if (handle === undefined)
        return new Set();
    try {
        const info = await handle.stat();
        // A digest a line, one a blob: past 64 MiB it is no journal of ours.
        if (!info.isFile() || info.size > 64 * 1024 * 1024)
            return new Set();
        const text = (await handle.readFile()).toString('utf8');
        return new Set(text.split('\n').filter((line) => (0,oci_digest/* isDigest */.Bc)(line)));
    }
    finally {
        await handle.close();
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
/** The commit point's part: the complete archive's files, synced to disk, renamed into their places; its journal gone. */
async function commitArchive(file, files) {
    await (0,spanned_file/* commitSpans */.$V)(file, files);
    await (0,promises_.rm)(journalName(file), { force: true });
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

/***/ 6268:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $V: () => (/* binding */ commitSpans),
/* harmony export */   CI: () => (/* binding */ partsOf),
/* harmony export */   lL: () => (/* binding */ SpannedWriter),
/* harmony export */   t4: () => (/* binding */ partialName),
/* harmony export */   t8: () => (/* binding */ openParts),
/* harmony export */   x$: () => (/* binding */ spanNames)
/* harmony export */ });
/* unused harmony exports maxParts, partName */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_3__);
// One archive's bytes, in one file or in parts of at most a given size (`images.tar.001`, `.002`, ...,
// whose concatenation in name order is the archive), written at any offset and read back at any
// offset as if they were one file. While an archive is written its files are hidden partial files
// beside their places (`.images.tar.001.partial`), named the same by every run that writes that
// archive, so a run that was stopped leaves what it wrote for the next one to resume.




/** Parts are numbered with three digits, from 001. */
const maxParts = 999;
/** The name of part `n` (1-based) of `file`: `images.tar.001`. */
function partName(file, n) {
    return `${file}.${String(n).padStart(3, '0')}`;
}
/** Where a file is written before the commit point puts it in place. */
function partialName(file) {
    return node_path__WEBPACK_IMPORTED_MODULE_2___default().join(node_path__WEBPACK_IMPORTED_MODULE_2___default().dirname(file), `.${node_path__WEBPACK_IMPORTED_MODULE_2___default().basename(file)}.partial`);
}
/** The files an archive of `size` bytes is kept in: the archive itself, or its parts of `partSize` each. */
function spanNames(file, size, partSize) {
    if (partSize === undefined)
        return [file];
    const count = Math.max(1, Math.ceil(size / partSize));
    if (count > maxParts)
        throw new Error(`${file}: ${size} bytes in parts of ${partSize} would be ${count} parts, more than ${maxParts}: set a larger archive-part-size`);
    return Array.from({ length: count }, (_, at) => partName(file, at + 1));
}
/** The spans of `size` bytes over `files`, each `partSize` long but the last. */
function layOut(handles, size, partSize) {
    const length = partSize ?? size;
    return handles.map((handle, at) => ({ handle, start: at * length, length: Math.min(length, size - at * length) }));
}
/** Each piece of the range [position, position + length) in the span that holds it. */
function* pieces(spans, position, length) {
    let done = 0;
    while (done < length) {
        const where = position + done;
        const span = spans.find((candidate) => where >= candidate.start && where < candidate.start + candidate.length);
        if (span === undefined)
            throw new Error(`offset ${where} is past the end of the archive`);
        const piece = Math.min(length - done, span.start + span.length - where);
        yield { span, at: where - span.start, from: done, length: piece };
        done += piece;
    }
}
/** An archive being written, in its partial files. */
class SpannedWriter {
    files;
    partials;
    spans;
    resumed;
    constructor(
    /** The final names, and the partial files they are written in. */
    files, partials, spans, 
    /** Whether the partial files were there, of the right sizes, from a run that stopped. */
    resumed) {
        this.files = files;
        this.partials = partials;
        this.spans = spans;
        this.resumed = resumed;
    }
    /**
     * Opens the partial files of `files` (the final names) for an archive of `size` bytes: a run that
     * stopped left them at the sizes this archive has, so they are kept as they are (what is in them is
     * checked before it is used); else they are made anew, every byte a hole until it is written.
     */
    static async open(files, size, partSize) {
        const partials = files.map(partialName);
        const sizes = layOut(files.map(() => undefined), size, partSize).map((span) => span.length);
        // lstat: a link where a partial file goes is not one this run wrote, and is not followed.
        const found = await Promise.all(partials.map((file) => (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.lstat)(file).then((info) => (info.isFile() ? info.size : -1), () => -1)));
        const resumed = found.every((length, at) => length === sizes[at]);
        const handles = [];
        try {
            for (const [at, file] of partials.entries()) {
                // Anything else where a partial file goes is removed first: `wx` then makes a new file, and `r+` never follows a link.
                if (!resumed)
                    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(file, { force: true });
                const handle = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)(file, resumed ? node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_RDWR | node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_NOFOLLOW : 'wx');
                handles.push(handle);
                if (!resumed)
                    await handle.truncate(sizes[at]);
            }
        }
        catch (error) {
            await Promise.all(handles.map((handle) => handle.close().catch(() => undefined)));
            throw error;
        }
        return new SpannedWriter(files, partials, layOut(handles, size, partSize), resumed);
    }
    async writeAt(bytes, position) {
        for (const piece of pieces(this.spans, position, bytes.length)) {
            let written = 0;
            while (written < piece.length) {
                const { bytesWritten } = await piece.span.handle.write(bytes, piece.from + written, piece.length - written, piece.at + written);
                written += bytesWritten;
            }
        }
    }
    async readAt(length, position, into = Buffer.alloc(length)) {
        for (const piece of pieces(this.spans, position, length)) {
            let read = 0;
            while (read < piece.length) {
                const { bytesRead } = await piece.span.handle.read(into, piece.from + read, piece.length - read, piece.at + read);
                if (bytesRead === 0)
                    throw new Error(`${this.partials[0]}: ended early`);
                read += bytesRead;
            }
        }
        return into.subarray(0, length);
    }
    /** A stream that writes what it is given from `start` on, across parts. */
    writable(start) {
        let at = start;
        return new node_stream__WEBPACK_IMPORTED_MODULE_3__.Writable({
            write: (chunk, _encoding, done) => {
                const position = at;
                at += chunk.length;
                this.writeAt(chunk, position).then(() => done(), done);
            },
        });
    }
    async close() {
        await Promise.all(this.spans.map((span) => span.handle.close().catch(() => undefined)));
    }
    /** Writes everything to disk and closes. */
    async sync() {
        for (const span of this.spans)
            await span.handle.sync();
        await this.close();
    }
}
/**
 * The commit point's part: each partial file renamed into its place, and the files of an earlier
 * archive at this path that are no longer part of it removed (the single file when this one is in
 * parts, parts past its last), so that what is at the path is this archive and nothing else.
 */
async function commitSpans(file, files) {
    for (const name of files) {
        const handle = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)(partialName(name), node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_RDWR | node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_NOFOLLOW);
        try {
            await handle.sync();
        }
        finally {
            await handle.close();
        }
    }
    for (const name of files)
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rename)(partialName(name), name);
    const stale = [...(files.length === 1 && files[0] === file ? [] : [file])];
    for (let n = 1; n <= maxParts; n++)
        if (!files.includes(partName(file, n)))
            stale.push(partName(file, n));
    await Promise.all(stale.map((name) => (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(name, { force: true })));
}
/**
 * The parts of `file` there are, in order: `file.001` on, as long as they follow one another; none when
 * `file.001` is not there. A part missing between others is an error naming it.
 */
function partsOf(file) {
    const parts = [];
    while (parts.length < maxParts && (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(partName(file, parts.length + 1)))
        parts.push(partName(file, parts.length + 1));
    if (parts.length === 0)
        return parts;
    for (let n = parts.length + 2; n <= maxParts; n++)
        if ((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(partName(file, n)))
            throw new Error(`${partName(file, parts.length + 1)} is missing: the parts of ${file} go on at ${partName(file, n)}`);
    return parts;
}
/**
 * The parts (already checked to be regular files inside the boundary) read as one file. Every part but
 * the last is as long as the first, and the last no longer: a part cut short is an error naming it.
 */
async function openParts(parts) {
    const handles = [];
    try {
        for (const part of parts)
            handles.push(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)(part, node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_RDONLY | node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_NOFOLLOW));
        const sizes = await Promise.all(handles.map(async (handle) => (await handle.stat()).size));
        const first = sizes[0] ?? 0;
        sizes.forEach((size, at) => {
            const last = at === sizes.length - 1;
            if ((last && (size > first || size === 0)) || (!last && size !== first))
                throw new Error(`${parts[at]}: ${size} bytes, where every part but the last has the ${first} bytes of ${parts[0]} and the last no more: the part was cut short or is not of this archive`);
        });
        const spans = layOut(handles, sizes.reduce((sum, size) => sum + size, 0), first);
        const total = sizes.reduce((sum, size) => sum + size, 0);
        return {
            read: async (buffer, offset, length, position) => {
                const wanted = Math.max(0, Math.min(length, total - position));
                let done = 0;
                for (const piece of pieces(spans, position, wanted)) {
                    const { bytesRead } = await piece.span.handle.read(buffer, offset + piece.from, piece.length, piece.at);
                    done += bytesRead;
                    if (bytesRead < piece.length)
                        break;
                }
                return { bytesRead: done };
            },
            stat: async () => ({ size: total }),
            close: async () => {
                await Promise.all(handles.map((handle) => handle.close().catch(() => undefined)));
            },
        };
    }
    catch (error) {
        await Promise.all(handles.map((handle) => handle.close().catch(() => undefined)));
        throw error;
    }
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
        const reason = (0,_oci_digest_js__WEBPACK_IMPORTED_MODULE_6__/* .digestError */ .DD)(digest);
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
/* harmony import */ var _format_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(6264);
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
        const resolveDigest = (0,_resolver_js__WEBPACK_IMPORTED_MODULE_7__/* .digestResolver */ .D)(clients, { checkPinned: false });
        const resolved = await (0,_steps_js__WEBPACK_IMPORTED_MODULE_6__/* .settle */ .G9)(entries, async (entry) => [entry, await resolveDigest(entry.source)], settings);
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
        const planner = new _archive_archive_file_js__WEBPACK_IMPORTED_MODULE_1__/* .ArchivePlanner */ .xR(settings.archive, !settings.dryRun);
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
            archive = await _archive_archive_file_js__WEBPACK_IMPORTED_MODULE_1__/* .ArchiveFile */ .nA.create(settings.archive, { blobs: planner.blobs, manifests: planner.manifests, images: archived, artifacts }, {
                ...(cache === undefined ? {} : { cache }),
                ...(settings.archivePartSize === undefined ? {} : { partSize: settings.archivePartSize }),
            });
            const laidOut = archive;
            // Closed, never removed: what a stopped run wrote is there for the next run of this archive to resume.
            onCleanup(() => laidOut.close());
            if (archive.resumedBlobs > 0)
                log(`${settings.archive}: resumed: ${(0,_format_js__WEBPACK_IMPORTED_MODULE_9__/* .plural */ .L)(archive.resumedBlobs, 'blob')} (${(0,_format_js__WEBPACK_IMPORTED_MODULE_9__/* .bytes */ .e)(archive.resumedBytes)}) an earlier run wrote are in place, each checked against its digest`);
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
                ...(archive === undefined
                    ? {}
                    : {
                        archive: {
                            file: archive.file,
                            files: archive.files,
                            ...(archive.resumedBlobs === 0 ? {} : { resumed: { blobs: archive.resumedBlobs, bytes: archive.resumedBytes } }),
                        },
                    }),
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
