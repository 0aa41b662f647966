export const id = 752;
export const ids = [752,125];
export const modules = {

/***/ 47127:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   d: () => (/* binding */ ArchiveError),
/* harmony export */   q: () => (/* binding */ parseJson)
/* harmony export */ });
/* harmony import */ var _oci_json_keys_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(20812);
// What an archive that ferry refuses says: the file, the reason, and that nothing was pushed; and how its
// JSON files are read.

class ArchiveError extends Error {
    reason;
    constructor(file, reason, options) {
        super(`${file}: ${reason}; nothing was pushed`, options);
        this.reason = reason;
        this.name = 'ArchiveError';
    }
}
function parseJson(file, name, bytes) {
    if (bytes === undefined)
        throw new ArchiveError(file, `the archive has no ${name}`);
    const text = bytes.toString('utf8');
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch {
        throw new ArchiveError(file, `${name} is not JSON`);
    }
    const repeated = (0,_oci_json_keys_js__WEBPACK_IMPORTED_MODULE_0__/* .repeatedKey */ .m)(text);
    if (repeated !== undefined)
        throw new ArchiveError(file, `${name} ${(0,_oci_json_keys_js__WEBPACK_IMPORTED_MODULE_0__/* .repeatedKeyReason */ .k)(repeated, 'docker, skopeo, containerd')}`);
    return parsed;
}


/***/ }),

/***/ 84280:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   OR: () => (/* binding */ blobsOf),
/* harmony export */   RV: () => (/* binding */ deltaFile),
/* harmony export */   rl: () => (/* binding */ readDelta),
/* harmony export */   sz: () => (/* binding */ deltaBytes)
/* harmony export */ });
/* harmony import */ var _oci_digest_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(68825);
/* harmony import */ var _oci_limits_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(64593);
/* harmony import */ var _oci_manifest_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(32060);
/* harmony import */ var _reference_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(98286);
/* harmony import */ var _untrusted_text_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(38521);
/* harmony import */ var _archive_error_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(47127);
// A delta archive: package given `since` (archives the site has imported, or locks of images it holds)
// leaves out every blob those hold, and records in the archive (`ferry-delta.json`) each blob it left
// out and where the site holds it: which image of which base archive (named at the site as unpackage
// names it), or which repository a lock says. unpackage checks each is at the destination before its
// first push, and the copy mounts or reads it from there. The record is the archive's word, read as
// untrusted: bounded, every digest and name checked, and worth nothing until the destination agrees.






/** The file a delta archive records what it left out in, beside index.json. */
const deltaFile = 'ferry-delta.json';
/** Blobs one delta leaves out, at most. */
const maxLeftOut = 1_000_000;
/** Bases one record may name: a delta is against a few archives or locks, and each entry is checked against them. */
const maxBases = 10_000;
const maxNameLength = 1024;
/** The record as the archive keeps it: sorted, so the same delta is the same bytes. */
function deltaBytes(record) {
    const blobs = [...record.blobs].sort((a, b) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));
    return Buffer.from(`${JSON.stringify({ since: [...record.since].sort(), blobs }, null, 1)}\n`);
}
/** A name of the record: shown in messages, so no control character (an escape, a line separator) either. */
const text = (value) => typeof value === 'string' && value.length > 0 && value.length <= maxNameLength && !(0,_untrusted_text_js__WEBPACK_IMPORTED_MODULE_3__/* .hasControlCharacters */ .Kg)(value);
/** A delta record read from an archive, every field checked. */
function readDelta(file, bytes) {
    const parsed = (0,_archive_error_js__WEBPACK_IMPORTED_MODULE_4__/* .parseJson */ .q)(file, deltaFile, bytes);
    if (typeof parsed !== 'object' || parsed === null || !Array.isArray(parsed.since) || !parsed.since.every(text))
        throw new _archive_error_js__WEBPACK_IMPORTED_MODULE_4__/* .ArchiveError */ .d(file, `${deltaFile} names no bases (since)`);
    if (parsed.since.length > maxBases)
        throw new _archive_error_js__WEBPACK_IMPORTED_MODULE_4__/* .ArchiveError */ .d(file, `${deltaFile} names more than ${maxBases} bases`);
    if (!Array.isArray(parsed.blobs) || parsed.blobs.length > maxLeftOut)
        throw new _archive_error_js__WEBPACK_IMPORTED_MODULE_4__/* .ArchiveError */ .d(file, `${deltaFile} lists no blobs, or more than ${maxLeftOut}`);
    const since = parsed.since;
    const bases = new Set(since);
    const blobs = parsed.blobs.map((entry, at) => {
        const { digest, size, base, image, repository, chart } = (typeof entry === 'object' && entry !== null ? entry : {});
        const where = `${deltaFile} entry ${at + 1}`;
        if (typeof digest !== 'string' || (0,_oci_digest_js__WEBPACK_IMPORTED_MODULE_0__/* .digestError */ .DD)(digest) !== undefined)
            throw new _archive_error_js__WEBPACK_IMPORTED_MODULE_4__/* .ArchiveError */ .d(file, `${where} names no digest`);
        if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
            throw new _archive_error_js__WEBPACK_IMPORTED_MODULE_4__/* .ArchiveError */ .d(file, `${where} gives no size`);
        if (!text(base) || !bases.has(base))
            throw new _archive_error_js__WEBPACK_IMPORTED_MODULE_4__/* .ArchiveError */ .d(file, `${where} names a base that is not among its bases`);
        if ((image === undefined) === (repository === undefined) ||
            (image !== undefined && !text(image)) ||
            (repository !== undefined && !text(repository)))
            throw new _archive_error_js__WEBPACK_IMPORTED_MODULE_4__/* .ArchiveError */ .d(file, `${where} names neither one image nor one repository where the site holds it`);
        if (chart !== undefined && (chart !== true || image === undefined))
            throw new _archive_error_js__WEBPACK_IMPORTED_MODULE_4__/* .ArchiveError */ .d(file, `${where} says a chart in a way that is not \`"chart": true\` beside an image`);
        try {
            if (typeof image === 'string')
                (0,_reference_js__WEBPACK_IMPORTED_MODULE_2__/* .parseReference */ .F2)(image);
            if (typeof repository === 'string')
                (0,_reference_js__WEBPACK_IMPORTED_MODULE_2__/* .parseReference */ .F2)(repository);
        }
        catch (error) {
            if (error instanceof _reference_js__WEBPACK_IMPORTED_MODULE_2__/* .InvalidReferenceError */ .x_)
                throw new _archive_error_js__WEBPACK_IMPORTED_MODULE_4__/* .ArchiveError */ .d(file, `${where}: ${error.message}`);
            throw error;
        }
        return {
            digest,
            size,
            base,
            ...(typeof image === 'string' ? { image } : {}),
            ...(typeof repository === 'string' ? { repository } : {}),
            ...(chart === true ? { chart } : {}),
        };
    });
    return { since, blobs };
}
/**
 * The blobs (configs and layers, not manifests) an image holds, its index's children and nested indexes
 * included, each read through `read`: what a base holds of it. With `artifactsOf`, the blobs of what
 * travels with each manifest too (and with what travels).
 */
async function blobsOf(read, top, artifactsOf = async () => []) {
    const found = new Map();
    const seen = new Set();
    const visit = async (descriptor, depth) => {
        if (seen.has(descriptor.digest))
            return;
        seen.add(descriptor.digest);
        if (depth > _oci_limits_js__WEBPACK_IMPORTED_MODULE_5__/* .maxDepth */ .Mw)
            throw new Error(`manifest ${descriptor.digest}: indexes nested more than ${_oci_limits_js__WEBPACK_IMPORTED_MODULE_5__/* .maxDepth */ .Mw} deep`);
        const decoded = (0,_oci_manifest_js__WEBPACK_IMPORTED_MODULE_1__/* .decodeManifest */ .MK)(await read(descriptor.digest, descriptor.mediaType));
        for (const blob of decoded.blobs)
            found.set(blob.digest, blob);
        for (const child of decoded.children)
            await visit(child, depth + 1);
        for (const artifact of await artifactsOf(descriptor.digest))
            await visit(artifact, depth + 1);
    };
    await visit(top, 0);
    return [...found.values()];
}


/***/ }),

/***/ 3335:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Gc: () => (/* binding */ namesImage),
/* harmony export */   T4: () => (/* binding */ readLayout)
/* harmony export */ });
/* unused harmony export containerdNameAnnotation */
/* harmony import */ var _copy_endpoint_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(8344);
/* harmony import */ var _oci_descriptor_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(47592);
/* harmony import */ var _reference_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(98286);
/* harmony import */ var _oci_digest_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(68825);
/* harmony import */ var _untrusted_text_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(38521);
/* harmony import */ var _archive_error_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(47127);
/* harmony import */ var _layout_index_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(26019);
// What an archive's `index.json` says, read as untrusted: each image with the name it was found by and
// the reference it was packaged from, each artifact with its subject and (only) a digest tag of it.







/** The name containerd, nerdctl and `docker save` (Docker 25 on) give an image in index.json. */
const containerdNameAnnotation = 'io.containerd.image.name';
/**
 * Whether an index.json ref name names an image, not a tag alone: a tag holds neither `:` nor `/`
 * (the OCI spec's tag grammar), so one that does is a reference (`app:v1`, `registry.example/app`).
 */
const namesImage = (refName) => /[:/]/.test(refName);
/** An annotation of an index.json entry: a string, or absent; anything else is refused. */
function annotation(file, entry, key) {
    const annotations = entry.annotations;
    if (annotations === undefined)
        return undefined;
    if (typeof annotations !== 'object' || annotations === null)
        throw new _archive_error_js__WEBPACK_IMPORTED_MODULE_4__/* .ArchiveError */ .d(file, 'index.json has an entry whose annotations are not a map');
    const value = annotations[key];
    if (value !== undefined && typeof value !== 'string')
        throw new _archive_error_js__WEBPACK_IMPORTED_MODULE_4__/* .ArchiveError */ .d(file, `index.json has an entry whose ${key} is not a string`);
    return value;
}
function readLayout(file, json) {
    const layout = (0,_archive_error_js__WEBPACK_IMPORTED_MODULE_4__/* .parseJson */ .q)(file, 'oci-layout', json.get('oci-layout'));
    if (typeof layout !== 'object' || layout === null || typeof layout.imageLayoutVersion !== 'string')
        throw new _archive_error_js__WEBPACK_IMPORTED_MODULE_4__/* .ArchiveError */ .d(file, 'oci-layout names no imageLayoutVersion');
    const index = (0,_archive_error_js__WEBPACK_IMPORTED_MODULE_4__/* .parseJson */ .q)(file, 'index.json', json.get('index.json'));
    if (typeof index !== 'object' || index === null || !Array.isArray(index.manifests))
        throw new _archive_error_js__WEBPACK_IMPORTED_MODULE_4__/* .ArchiveError */ .d(file, 'index.json lists no manifests');
    // Its own fields spelled as the spec spells them: skopeo and containerd read it with Go, which takes
    // `Manifests` for `manifests`, the last spelling winning, and would import another list of images.
    const respelled = (0,_oci_descriptor_js__WEBPACK_IMPORTED_MODULE_0__/* .respelledField */ .vF)(index, _oci_descriptor_js__WEBPACK_IMPORTED_MODULE_0__/* .manifestFields */ .nz);
    if (respelled !== undefined)
        throw new _archive_error_js__WEBPACK_IMPORTED_MODULE_4__/* .ArchiveError */ .d(file, `index.json: ${respelled}`);
    // Each image and artifact once, however many times index.json repeats it.
    const images = new Map();
    const artifacts = new Map();
    for (const entry of index.manifests) {
        // Checked as any descriptor is (its digest, its size, and the spelling of its fields: skopeo and
        // containerd read index.json with Go, which takes `Digest`, `Annotations` or a platform's `OS`), with
        // a media type of its own.
        const refused = (0,_oci_descriptor_js__WEBPACK_IMPORTED_MODULE_0__/* .descriptorError */ .Am)(entry) ?? (typeof entry.mediaType === 'string' ? undefined : 'it has no mediaType');
        if (refused !== undefined)
            throw new _archive_error_js__WEBPACK_IMPORTED_MODULE_4__/* .ArchiveError */ .d(file, `index.json has an entry ferry refuses: ${refused}`);
        const refName = annotation(file, entry, _layout_index_js__WEBPACK_IMPORTED_MODULE_5__/* .refNameAnnotation */ .my);
        const source = annotation(file, entry, _layout_index_js__WEBPACK_IMPORTED_MODULE_5__/* .sourceAnnotation */ .xi);
        const containerdName = annotation(file, entry, containerdNameAnnotation);
        const subject = annotation(file, entry, _layout_index_js__WEBPACK_IMPORTED_MODULE_5__/* .subjectAnnotation */ .Kv);
        const descriptor = {
            mediaType: entry.mediaType,
            digest: entry.digest,
            size: entry.size,
            ...(typeof entry.artifactType === 'string' ? { artifactType: entry.artifactType } : {}),
        };
        if (subject !== undefined) {
            if ((0,_oci_digest_js__WEBPACK_IMPORTED_MODULE_2__/* .digestError */ .DD)(subject) !== undefined)
                throw new _archive_error_js__WEBPACK_IMPORTED_MODULE_4__/* .ArchiveError */ .d(file, `index.json names a subject that is not a digest`);
            // An artifact is tagged as from a registry, by a digest tag of its subject: never one of the images' own tags.
            if (refName !== undefined && !(_reference_js__WEBPACK_IMPORTED_MODULE_1__/* .anchoredTag */ .xZ.test(refName) && (0,_copy_endpoint_js__WEBPACK_IMPORTED_MODULE_6__/* .isDigestTagOf */ .o)(refName, subject)))
                throw new _archive_error_js__WEBPACK_IMPORTED_MODULE_4__/* .ArchiveError */ .d(file, `index.json gives the artifact ${entry.digest} the tag ${(0,_untrusted_text_js__WEBPACK_IMPORTED_MODULE_3__/* .quoted */ .TL)(refName)}, which is not a digest tag of its subject ${subject} (${(0,_copy_endpoint_js__WEBPACK_IMPORTED_MODULE_6__/* .digestTag */ .t)(subject)}.<suffix>)`);
            artifacts.set(`${subject} ${refName ?? ''} ${entry.digest}`, {
                descriptor,
                subject,
                ...(refName === undefined ? {} : { tag: refName }),
            });
        }
        else {
            const key = `${entry.digest} ${refName ?? ''} ${source ?? ''} ${containerdName ?? ''}`;
            // The names other tools give an image: containerd's full name, or a ref name that names an image
            // (skopeo's `oci-archive:file:app:v1` writes `app:v1`); a bare tag (what containerd, buildx and
            // Docker write there) names no repository.
            const names = [source, containerdName, refName !== undefined && namesImage(refName) ? refName : undefined].filter((name) => name !== undefined && (0,_reference_js__WEBPACK_IMPORTED_MODULE_1__/* .isReference */ .A_)(name));
            // ferry's own archive (it gives every image its source) says what its run imported the image by.
            const name = source === undefined ? undefined : (annotation(file, entry, _layout_index_js__WEBPACK_IMPORTED_MODULE_5__/* .nameAnnotation */ .hf) ?? refName);
            const importedAs = name !== undefined && (0,_reference_js__WEBPACK_IMPORTED_MODULE_1__/* .isReference */ .A_)(name) ? { importedAs: name } : {};
            if (!images.has(key))
                images.set(key, { descriptor, ...(refName === undefined ? {} : { refName }), sources: [...new Set(names)], ...importedAs });
        }
    }
    return { images: [...images.values()], artifacts: [...artifacts.values()] };
}


/***/ }),

/***/ 17953:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Lo: () => (/* binding */ readExactly),
/* harmony export */   PV: () => (/* binding */ AheadReader),
/* harmony export */   Zz: () => (/* binding */ passBuffers),
/* harmony export */   h8: () => (/* binding */ passReadSize),
/* harmony export */   mt: () => (/* binding */ TarError),
/* harmony export */   ut: () => (/* binding */ readPieces)
/* harmony export */ });
class TarError extends Error {
}
/** What the pass reads at a time, into two buffers it takes in turns. */
const passReadSize = 1024 * 1024;
/** `length` bytes of the file from `position`, into `into` when given (else a new buffer); a short file is a TarError. */
async function readExactly(handle, length, position, into) {
    // Not zeroed: every byte is read into before the buffer is handed on, or the read fails.
    const buffer = into === undefined ? Buffer.allocUnsafe(length) : into.subarray(0, length);
    let filled = 0;
    while (filled < length) {
        const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
        if (bytesRead === 0)
            throw new TarError('the tar ends in the middle of an entry');
        filled += bytesRead;
    }
    return buffer;
}
const passBuffers = () => [Buffer.allocUnsafe(passReadSize), Buffer.allocUnsafe(passReadSize)];
/**
 * `length` bytes of the file from `position`, handed to `take` a piece of up to `passReadSize` at a time
 * (valid only during the call), the next piece read while `take` has this one: reading and what is done
 * with the bytes (hashing, mostly) overlap, which takes a third off a pass here. A short file is a
 * TarError; the signal is checked before each piece is handed over. No read is under way once it settles.
 */
async function readPieces(handle, length, position, buffers, take, signal) {
    const file = new AheadReader(handle, position + length, signal, position, buffers);
    try {
        await file.take(length, take);
    }
    finally {
        await file.settle();
    }
}
/**
 * A file read front to back, from `from` to `end`, in pieces of `passReadSize` into two buffers in
 * turns, the next on its way while the caller works on this one: a tar's headers, extended headers and
 * contents all come out of it, where a read awaited for each header and each small content (an
 * image's manifests, configs) left the pass idle a quarter of its time. A skip past the piece on its
 * way starts reading afresh where it lands.
 */
class AheadReader {
    handle;
    end;
    signal;
    buffers;
    /** The bytes of the piece in hand not yet taken, and where the first of them is in the file. */
    piece = Buffer.alloc(0);
    at;
    /** The read of the next piece, into the buffer the piece in hand is not in, and where it starts. */
    next;
    nextAt = 0;
    nextLength = 0;
    turn = 0;
    constructor(handle, end, signal, from = 0, buffers = passBuffers()) {
        this.handle = handle;
        this.end = end;
        this.signal = signal;
        this.buffers = buffers;
        this.at = from;
        this.readFrom(from);
    }
    /** Where the next byte taken is in the file. */
    get position() {
        return this.at;
    }
    /** The next `length` bytes, copied: a header or an extended header's records. */
    async bytes(length) {
        const copy = Buffer.allocUnsafe(length);
        let filled = 0;
        await this.take(length, (chunk) => {
            filled += chunk.copy(copy, filled);
        });
        return copy;
    }
    /** The next `length` bytes, handed to `use` a piece at a time (each valid only during the call). */
    async take(length, use) {
        let left = length;
        while (left > 0) {
            if (this.piece.length === 0)
                await this.advance();
            const chunk = this.piece.subarray(0, Math.min(left, this.piece.length));
            this.piece = this.piece.subarray(chunk.length);
            this.at += chunk.length;
            left -= chunk.length;
            use(chunk);
        }
    }
    /**
     * Passes over `length` bytes: those in hand are dropped, and the piece on its way too when the skip
     * lands past it, where reading then starts afresh (once that read is done: one read at a time).
     */
    async skip(length) {
        let left = length;
        // Landing in the piece on its way: that piece is taken, and the skip ends inside it.
        if (left > this.piece.length && this.next !== undefined && this.at + left < this.nextAt + this.nextLength) {
            left -= this.piece.length;
            this.piece = Buffer.alloc(0);
            await this.advance();
        }
        if (left <= this.piece.length) {
            this.piece = this.piece.subarray(left);
            this.at += left;
            return;
        }
        const to = this.at + left;
        if (to > this.end)
            throw new TarError('the tar ends in the middle of an entry');
        await this.settle();
        this.piece = Buffer.alloc(0);
        this.at = to;
        this.readFrom(to);
    }
    /** Waits for a read still under way, which writes into a buffer: none is left running once the pass ends. */
    async settle() {
        await this.next?.catch(() => undefined);
    }
    readFrom(position) {
        this.nextAt = position;
        this.nextLength = Math.min(passReadSize, this.end - position);
        this.next = this.nextLength > 0 ? readExactly(this.handle, this.nextLength, position, this.buffers[this.turn]) : undefined;
        // A read that fails while the pass waits on something else (a visitor, a reader's end) is no
        // unhandled rejection: its failure comes back when it is awaited, or goes with the pass.
        this.next?.catch(() => undefined);
    }
    async advance() {
        const next = this.next;
        if (next === undefined)
            throw new TarError('the tar ends in the middle of an entry');
        const piece = await next;
        this.signal?.throwIfAborted();
        this.piece = piece;
        this.at = this.nextAt;
        this.turn = 1 - this.turn;
        this.readFrom(this.nextAt + piece.length);
    }
}


/***/ }),

/***/ 62125:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   mt: () => (/* reexport safe */ _tar_pieces_js__WEBPACK_IMPORTED_MODULE_0__.mt),
/* harmony export */   sB: () => (/* binding */ readTar)
/* harmony export */ });
/* unused harmony export tarLimits */
/* harmony import */ var _tar_pieces_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(17953);
/* harmony import */ var _untrusted_text_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(38521);



const block = 512;
/** PAX records and GNU long names are a few hundred bytes; past this they are refused. */
const maxExtensionBytes = 64 * 1024;
const tarLimits = { entries: 1_000_000, nameBytes: 128 * 1024 * 1024 };
const types = {
    '0': 'file',
    '\0': 'file',
    '7': 'file',
    '5': 'directory',
    '1': 'link',
    '2': 'symlink',
    '3': 'character-device',
    '4': 'block-device',
    '6': 'fifo',
};
/** Zeros to compare a block or a chunk with: one native comparison, not a JavaScript call per byte. */
const zeros = Buffer.alloc(_tar_pieces_js__WEBPACK_IMPORTED_MODULE_0__/* .passReadSize */ .h8);
const allZero = (bytes) => bytes.equals(zeros.subarray(0, bytes.length));
function text(header, start, length) {
    const field = header.subarray(start, start + length);
    const end = field.indexOf(0);
    return field.subarray(0, end < 0 ? length : end).toString('utf8');
}
/** A name as tar-stream reads it: up to the first NUL. */
const cut = (name) => {
    const end = name.indexOf('\0');
    return end < 0 ? name : name.slice(0, end);
};
/** Names longer than this are refused: no real archive needs them, and every name read is kept. */
const maxNameBytes = 4096;
function octal(header, start, length) {
    const field = header.subarray(start, start + length);
    // Base-256, for sizes past 8 GiB.
    if ((field[0] & 0x80) !== 0) {
        let value = field[0] & 0x7f;
        for (let at = 1; at < length; at++)
            value = value * 256 + field[at];
        return value;
    }
    const digits = octalDigits(field);
    if (digits === undefined)
        throw new _tar_pieces_js__WEBPACK_IMPORTED_MODULE_0__/* .TarError */ .mt(`a header field is not a number (${(0,_untrusted_text_js__WEBPACK_IMPORTED_MODULE_1__/* .quoted */ .TL)(text(header, start, length), 20)})`);
    return digits === '' ? 0 : parseInt(digits, 8);
}
/**
 * An octal field's digits as Go's archive/tar reads them (the reader of skopeo, docker and podman):
 * spaces and NULs trimmed from both ends, then cut at a NUL; undefined when that is no octal number.
 * A reader that cut at the first NUL would read `\0` `2000` as 0, and the entry's content as entries.
 */
function octalDigits(field) {
    const trimmed = field.toString('latin1').replace(/^[ \0]+|[ \0]+$/g, '');
    const end = trimmed.indexOf('\0');
    const digits = end < 0 ? trimmed : trimmed.slice(0, end);
    return /^[0-7]*$/.test(digits) ? digits : undefined;
}
/** Whether a numeric field is one as Go reads it: base-256, or octal digits. */
const isNumeric = (field) => (field[0] & 0x80) !== 0 || octalDigits(field) !== undefined;
function checksumOk(header) {
    let sum = 8 * 32;
    for (let at = 0; at < block; at++)
        if (at < 148 || at >= 156)
            sum += header[at];
    return octal(header, 148, 8) === sum;
}
/**
 * PAX records: `<length> <key>=<value>\n`, each, the length in decimal digits and the record ending in
 * its newline. A length in any other form (`0x1e`, `1e1`, `+12`) is refused, not read as some readers
 * would and others not: two tools must not see two names in one archive.
 */
function paxRecords(data) {
    const records = new Map();
    let at = 0;
    while (at < data.length) {
        const space = data.indexOf(0x20, at);
        const digits = space < 0 ? '' : data.subarray(at, space).toString('latin1');
        const length = Number(digits);
        if (!/^[0-9]{1,8}$/.test(digits) || length <= space + 1 - at || at + length > data.length || data[at + length - 1] !== 0x0a)
            throw new _tar_pieces_js__WEBPACK_IMPORTED_MODULE_0__/* .TarError */ .mt('a PAX header is malformed');
        const record = data.subarray(space + 1, at + length - 1).toString('utf8');
        const equals = record.indexOf('=');
        // Go's archive/tar refuses a record without a key; ferry reads no archive it cannot.
        if (equals <= 0)
            throw new _tar_pieces_js__WEBPACK_IMPORTED_MODULE_0__/* .TarError */ .mt('a PAX header is malformed');
        const key = record.slice(0, equals);
        // GNU's sparse files name and size their entry in these records, which Go's reader applies.
        if (key.startsWith('GNU.sparse.'))
            throw new _tar_pieces_js__WEBPACK_IMPORTED_MODULE_0__/* .TarError */ .mt('a GNU sparse file (its PAX records rename and resize the entry)');
        records.set(key, record.slice(equals + 1));
        at += length;
    }
    return records;
}
/**
 * Reads the tar open as `handle` once, front to back: each entry goes to `visit`, which returns a reader for
 * its content, or nothing to skip it. Throws TarError for what is not a complete tar, and the signal's
 * reason once it aborts (checked before every read, so a deadline holds however large the file).
 */
async function readTar(handle, visit, signal, limits = tarLimits) {
    const { size: fileSize } = await handle.stat();
    const file = new _tar_pieces_js__WEBPACK_IMPORTED_MODULE_0__/* .AheadReader */ .PV(handle, fileSize, signal);
    try {
        await readEntries(file, fileSize, handle.parts !== undefined, visit, signal, limits);
    }
    finally {
        await file.settle();
    }
}
async function readEntries(file, fileSize, inParts, visit, signal, limits) {
    let pax = new Map();
    let longName;
    let longLink;
    let entries = 0;
    let nameBytes = 0;
    for (;;) {
        signal?.throwIfAborted();
        const position = file.position;
        // The closing zero blocks may be missing, as some writers leave them out: the end of the file then
        // ends the tar. Not in an archive's parts, which ferry writes with them: a part is missing there.
        if (position === fileSize) {
            if (inParts)
                throw new _tar_pieces_js__WEBPACK_IMPORTED_MODULE_0__/* .TarError */ .mt('the tar ends without its closing blocks');
            return;
        }
        if (position + block > fileSize)
            throw new _tar_pieces_js__WEBPACK_IMPORTED_MODULE_0__/* .TarError */ .mt('the tar ends in the middle of a header');
        const header = await file.bytes(block);
        if (allZero(header)) {
            // The end: what follows must be zeros too (a reader that skips zero blocks would find entries there).
            let at = position + block;
            await file.take(fileSize - at, (rest) => {
                if (!allZero(rest))
                    throw new _tar_pieces_js__WEBPACK_IMPORTED_MODULE_0__/* .TarError */ .mt(`data after the end of the archive (byte ${at + rest.findIndex((byte) => byte !== 0)})`);
                at += rest.length;
            });
            return;
        }
        if (!checksumOk(header))
            throw new _tar_pieces_js__WEBPACK_IMPORTED_MODULE_0__/* .TarError */ .mt(`the header at byte ${position} is not a tar header`);
        if (++entries > limits.entries)
            throw new _tar_pieces_js__WEBPACK_IMPORTED_MODULE_0__/* .TarError */ .mt(`more than ${limits.entries} entries`);
        const flag = String.fromCharCode(header[156]);
        // The prefix field is ustar's alone (in the old GNU format those bytes are times), whatever its
        // version field says, as Go's archive/tar and GNU tar read it. star's ustar keeps times in the
        // prefix's last bytes and marks it at the block's end: a name read there would be another tool's.
        const ustar = header.subarray(257, 263).toString('latin1') === 'ustar\0';
        if (ustar && header.subarray(508, 512).toString('latin1') === 'tar\0')
            throw new _tar_pieces_js__WEBPACK_IMPORTED_MODULE_0__/* .TarError */ .mt(`the header at byte ${position} is star's`);
        // Go reads an old GNU header whose times are no numbers as an old Go writer's, with a ustar prefix
        // there; GNU tar reads no prefix: such a header is refused.
        const gnu = header.subarray(257, 265).toString('latin1') === 'ustar  \0';
        if (gnu && !(isNumeric(header.subarray(345, 357)) && isNumeric(header.subarray(357, 369))))
            throw new _tar_pieces_js__WEBPACK_IMPORTED_MODULE_0__/* .TarError */ .mt(`the header at byte ${position} is GNU's, with times that are no numbers`);
        const prefix = ustar ? text(header, 345, 155) : '';
        const headerName = prefix === '' ? text(header, 0, 100) : `${prefix}/${text(header, 0, 100)}`;
        const extension = flag === 'x' || flag === 'L' || flag === 'K';
        if (flag === 'g')
            throw new _tar_pieces_js__WEBPACK_IMPORTED_MODULE_0__/* .TarError */ .mt('a global extended header (ferry reads each entry by its own headers only)');
        // One of each kind before an entry (GNU writes a long link name and then a long name); the same kind twice is refused.
        if ((flag === 'x' && pax.size > 0) || (flag === 'L' && longName !== undefined) || (flag === 'K' && longLink !== undefined))
            throw new _tar_pieces_js__WEBPACK_IMPORTED_MODULE_0__/* .TarError */ .mt('an extended header follows another of its kind');
        const declared = octal(header, 124, 12);
        const paxSize = pax.get('size');
        if (paxSize !== undefined && !/^[0-9]{1,16}$/.test(paxSize))
            throw new _tar_pieces_js__WEBPACK_IMPORTED_MODULE_0__/* .TarError */ .mt('a PAX size is not a number');
        // A PAX size is the next entry's; an extended header of its own kind is always its declared size.
        const size = paxSize === undefined || extension ? declared : Number(paxSize);
        if (!Number.isSafeInteger(size) || size < 0)
            throw new _tar_pieces_js__WEBPACK_IMPORTED_MODULE_0__/* .TarError */ .mt(`an entry declares an invalid size`);
        const offset = position + block;
        const next = offset + Math.ceil(size / block) * block;
        if (next > fileSize)
            throw new _tar_pieces_js__WEBPACK_IMPORTED_MODULE_0__/* .TarError */ .mt('the tar ends in the middle of an entry');
        if (extension) {
            if (size > maxExtensionBytes)
                throw new _tar_pieces_js__WEBPACK_IMPORTED_MODULE_0__/* .TarError */ .mt(`an extended header of ${size} bytes`);
            const data = await file.bytes(size);
            await file.skip(next - offset - size);
            if (flag === 'x')
                pax = paxRecords(data);
            if (flag === 'L')
                longName = cut(data.toString('utf8'));
            if (flag === 'K')
                longLink = cut(data.toString('utf8'));
            continue;
        }
        const path = pax.get('path');
        const linkPath = pax.get('linkpath');
        // Readers differ on which wins (Go's archive/tar takes the GNU name, tar-stream the PAX one), and
        // on a NUL in a PAX name (Go refuses it): both are refused, so every reader sees one name or none.
        if ((path !== undefined && longName !== undefined) || (linkPath !== undefined && longLink !== undefined))
            throw new _tar_pieces_js__WEBPACK_IMPORTED_MODULE_0__/* .TarError */ .mt(`the entry at byte ${position} is named by a PAX record and by a GNU long name`);
        if (path?.includes('\0') || linkPath?.includes('\0'))
            throw new _tar_pieces_js__WEBPACK_IMPORTED_MODULE_0__/* .TarError */ .mt(`the entry at byte ${position} has a PAX name with a NUL in it`);
        const name = path ?? longName ?? headerName;
        const linkName = linkPath ?? longLink ?? text(header, 157, 100);
        // An old tar's regular file ('\0') named with a trailing slash is a folder, as Go and GNU tar read
        // it; any other file so named would be one name to ferry (which drops the slash) and another to Go.
        const type = flag === '\0' && name.endsWith('/') ? 'directory' : (types[flag] ?? 'unknown');
        if (type === 'file' && name.endsWith('/'))
            throw new _tar_pieces_js__WEBPACK_IMPORTED_MODULE_0__/* .TarError */ .mt(`the file at byte ${position} is named as a folder, with a trailing slash`);
        if (type !== 'file' && size !== 0)
            throw new _tar_pieces_js__WEBPACK_IMPORTED_MODULE_0__/* .TarError */ .mt(`a ${type} entry with ${size} bytes of content`);
        pax = new Map();
        longName = undefined;
        longLink = undefined;
        if (Buffer.byteLength(name) > maxNameBytes)
            throw new _tar_pieces_js__WEBPACK_IMPORTED_MODULE_0__/* .TarError */ .mt(`a name of ${Buffer.byteLength(name)} bytes`);
        const linked = type === 'link' || type === 'symlink';
        if (linked && Buffer.byteLength(linkName) > maxNameBytes)
            throw new _tar_pieces_js__WEBPACK_IMPORTED_MODULE_0__/* .TarError */ .mt(`a link name of ${Buffer.byteLength(linkName)} bytes`);
        nameBytes += Buffer.byteLength(name) + (linked ? Buffer.byteLength(linkName) : 0);
        if (nameBytes > limits.nameBytes)
            throw new _tar_pieces_js__WEBPACK_IMPORTED_MODULE_0__/* .TarError */ .mt(`names of more than ${limits.nameBytes} bytes in all`);
        const reader = await visit({ name, type: type, size, offset, ...(linked ? { linkName } : {}) });
        if (reader === undefined)
            await file.skip(next - offset);
        else {
            await file.take(size, (piece) => reader.update(piece));
            await reader.end();
            await file.skip(next - offset - size);
        }
    }
}


/***/ }),

/***/ 45371:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  U: () => (/* binding */ archiveInputs),
  y: () => (/* binding */ readArchiveInputs)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: ./src/oci/digest.ts
var oci_digest = __webpack_require__(68825);
// EXTERNAL MODULE: ./src/oci/limits.ts
var limits = __webpack_require__(64593);
// EXTERNAL MODULE: ./src/archive/archive-error.ts
var archive_error = __webpack_require__(47127);
// EXTERNAL MODULE: ./src/archive/delta.ts
var archive_delta = __webpack_require__(84280);
// EXTERNAL MODULE: ./src/archive/tar-pieces.ts
var tar_pieces = __webpack_require__(17953);
// EXTERNAL MODULE: ./src/untrusted-text.ts
var untrusted_text = __webpack_require__(38521);
;// CONCATENATED MODULE: ./src/archive/layout-dir.ts
// An OCI image layout as a folder (`skopeo copy ... oci:dir`, buildx's oci exporter unpacked, `ctr
// export` unpacked), read as untrusted as a tar is: oci-layout and index.json bounded, every file under
// blobs/ a regular file (no link, nothing that leads out), hashed once and checked against its name
// before anything is pushed, and read again, verified, as it is sent.










/** Files under blobs/, at most: as many entries as a tar may hold. */
const maxBlobs = 1_000_000;
/** Whether `dir` is an OCI image layout folder: a folder (not a link) holding an oci-layout file. */
async function isLayoutFolder(dir) {
    const info = await (0,promises_.lstat)(dir).catch(() => undefined);
    if (info === undefined || !info.isDirectory())
        return false;
    const marker = await (0,promises_.lstat)(external_node_path_default().join(dir, 'oci-layout')).catch(() => undefined);
    return marker?.isFile() === true;
}
/** A regular file of the folder, opened without following a link; anything else is refused, naming it. */
async function openRegular(dir, name) {
    const file = external_node_path_default().join(dir, name);
    let handle;
    try {
        handle = await (0,promises_.open)(file, external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NOFOLLOW | external_node_fs_.constants.O_NONBLOCK);
    }
    catch (error) {
        const code = error.code;
        throw new archive_error/* ArchiveError */.d(dir, code === 'ELOOP' ? `${name} is a link; only files and folders are accepted` : `${name} cannot be read (${code ?? 'error'})`);
    }
    if (!(await handle.stat()).isFile()) {
        await handle.close();
        throw new archive_error/* ArchiveError */.d(dir, `${name} is not a regular file`);
    }
    return handle;
}
/** A small JSON file of the layout (oci-layout, index.json), bounded. */
async function readSmall(dir, name) {
    if ((await (0,promises_.lstat)(external_node_path_default().join(dir, name)).catch(() => undefined)) === undefined)
        return undefined;
    const handle = await openRegular(dir, name);
    try {
        const { size } = await handle.stat();
        if (size > limits/* maxManifestBytes */.rq)
            throw new archive_error/* ArchiveError */.d(dir, `${name} is larger than ${limits/* maxManifestBytes */.rq} bytes`);
        return await handle.readFile();
    }
    finally {
        await handle.close();
    }
}
/**
 * Reads a layout folder into `store`: every blob hashed and checked against its name (a blob whose content
 * is not its name is refused), and the JSON files returned as a tar's pass returns them.
 */
async function indexLayoutFolder(dir, store, maxBlobBytes, signal) {
    const json = new Map();
    for (const name of ['oci-layout', 'index.json', archive_delta/* deltaFile */.RV]) {
        const bytes = await readSmall(dir, name);
        if (bytes !== undefined)
            json.set(name, bytes);
    }
    const blobsDir = external_node_path_default().join(dir, 'blobs');
    const blobsInfo = await (0,promises_.lstat)(blobsDir).catch(() => undefined);
    if (blobsInfo === undefined)
        return json;
    if (!blobsInfo.isDirectory())
        throw new archive_error/* ArchiveError */.d(dir, 'blobs is not a folder');
    let count = 0;
    // Two buffers for every file's content, as a tar's pass reads it.
    const buffers = (0,tar_pieces/* passBuffers */.Zz)();
    // A name the folder holds is shown in messages only once it is known to hold no control character
    // (an escape, a line separator), as a tar's entry names are.
    const plain = (name) => {
        if ((0,untrusted_text/* hasControlCharacters */.Kg)(name))
            throw new archive_error/* ArchiveError */.d(dir, `the folder holds a name with control characters (${(0,untrusted_text/* quoted */.TL)(name)})`);
        return name;
    };
    for (const algorithm of (await (0,promises_.readdir)(blobsDir)).map(plain)) {
        const algorithmDir = external_node_path_default().join(blobsDir, algorithm);
        const info = await (0,promises_.lstat)(algorithmDir);
        if (!info.isDirectory())
            throw new archive_error/* ArchiveError */.d(dir, `blobs/${algorithm} is not a folder`);
        for (const hex of await (0,promises_.readdir)(algorithmDir)) {
            signal?.throwIfAborted();
            plain(hex);
            if (++count > maxBlobs)
                throw new archive_error/* ArchiveError */.d(dir, `more than ${maxBlobs} blobs`);
            const name = `blobs/${algorithm}/${hex}`;
            const digest = `${algorithm}:${hex}`;
            if ((0,oci_digest/* digestError */.DD)(digest) !== undefined)
                throw new archive_error/* ArchiveError */.d(dir, `${name} is not named by a digest`);
            const handle = await openRegular(dir, name);
            try {
                const { size } = await handle.stat();
                if (size > maxBlobBytes)
                    throw new archive_error/* ArchiveError */.d(dir, `${name} is ${size} bytes, more than the ${maxBlobBytes} ferry accepts (max-blob-bytes)`);
                const hash = (0,external_node_crypto_.createHash)(algorithm);
                await (0,tar_pieces/* readPieces */.ut)(handle, size, 0, buffers, (piece) => hash.update(piece), signal).catch((error) => {
                    throw error instanceof tar_pieces/* TarError */.mt ? new archive_error/* ArchiveError */.d(dir, `${name} ended early`) : error;
                });
                const actual = `${algorithm}:${hash.digest('hex')}`;
                if (actual !== digest)
                    throw new archive_error/* ArchiveError */.d(dir, `${name} holds ${actual}: its content does not match its name`);
                store.located.set(digest, { path: external_node_path_default().join(dir, name), size });
            }
            finally {
                await handle.close();
            }
        }
    }
    return json;
}

// EXTERNAL MODULE: ./src/copy/endpoint.ts
var endpoint = __webpack_require__(8344);
// EXTERNAL MODULE: ./src/copy/budget.ts
var copy_budget = __webpack_require__(6408);
// EXTERNAL MODULE: ./src/copy/platforms.ts
var copy_platforms = __webpack_require__(48089);
// EXTERNAL MODULE: ./src/copy/walker.ts + 4 modules
var copy_walker = __webpack_require__(98188);
// EXTERNAL MODULE: ./src/oci/descriptor.ts
var descriptor = __webpack_require__(47592);
// EXTERNAL MODULE: ./src/oci/media-types.ts
var media_types = __webpack_require__(29217);
// EXTERNAL MODULE: ./src/reference.ts
var src_reference = __webpack_require__(98286);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(46466);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(38522);
var external_node_zlib_default = /*#__PURE__*/__webpack_require__.n(external_node_zlib_);
// EXTERNAL MODULE: ./src/oci/manifest.ts
var manifest = __webpack_require__(32060);
// EXTERNAL MODULE: ./src/once.ts
var once = __webpack_require__(78094);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: ./src/archive/tar-reader.ts
var tar_reader = __webpack_require__(62125);
;// CONCATENATED MODULE: ./src/archive/tar-blobs.ts
// An archive's blobs by digest, from one pass of its tar: every entry checked (no path that climbs out or
// is absolute, no device, no name twice; links kept by name for a docker-archive only), every blob
// verified against its name as the pass reads it, the JSON files kept. Nothing is extracted: each blob is
// later read from its byte range in the tar through the same handle, within the run's deadline (a
// manifest checked again; a layer checked by the registry it goes to).












const jsonFiles = new Set(['index.json', 'oci-layout', 'manifest.json', archive_delta/* deltaFile */.RV]);
const ociBlob = /^blobs\/(sha256|sha384|sha512)\/([a-f0-9]+)$/;
const kbldLayer = /^(sha256|sha384|sha512)-([a-f0-9]+)\.tar\.gz$/;
/**
 * An entry's name, normalized (leading `./` and trailing `/` dropped), `''` for the archive's root (the
 * `./` that `tar -C folder .` writes), or the reason it is refused. Any other spelling of a name (a `.`
 * or an empty part inside it) is refused: two spellings of one file are how two tools come to read
 * different files from one archive, and duplicates are refused by name.
 */
function entryName(raw) {
    // A name is shown in messages, where a control character (an escape, a line separator) would change the log.
    if ((0,untrusted_text/* hasControlCharacters */.Kg)(raw))
        return { refused: `a name with control characters (${(0,untrusted_text/* quoted */.TL)(raw)})` };
    if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw))
        return { refused: `an absolute path (${(0,untrusted_text/* quoted */.TL)(raw)})` };
    const name = raw.replace(/^(?:\.\/)+/, '').replace(/\/+$/, '');
    if (name === '' || name === '.')
        return '';
    const parts = name.split('/');
    if (parts.some((part) => part === '..') || raw.includes('\\'))
        return { refused: `a path outside the archive (${(0,untrusted_text/* quoted */.TL)(raw)})` };
    if (parts.some((part) => part === '.' || part === ''))
        return { refused: `a name not in its plain form (${(0,untrusted_text/* quoted */.TL)(raw)})` };
    return name;
}
/** The archive's blobs by digest: read from their byte ranges, never extracted. */
class TarBlobs {
    file;
    handle;
    signal;
    located = new Map();
    /** Every regular file by its name, and every link: what a docker-archive's manifest.json names. */
    files = new Map();
    links = new Map();
    /** Each manifest read and parsed once, however many entries and walks name it. */
    manifests = new Map();
    /** The media type the first descriptor naming a manifest gave it, for a read by digest alone. */
    descriptorTypes = new Map();
    /** The archive is opened once and read through this handle alone: what the pass checked is what is sent. */
    constructor(file, handle, signal) {
        this.file = file;
        this.handle = handle;
        this.signal = signal;
    }
    size(digest) {
        const found = this.located.get(digest);
        return found === undefined ? undefined : 'bytes' in found ? found.bytes.length : found.size;
    }
    getManifest(digest, mediaType) {
        // A manifest without a mediaType field of its own is of the type its descriptor gave when it was
        // first read (the walk reads every one so): a later read by digest alone (a verifier's) gets it too.
        if (mediaType === undefined)
            mediaType = this.descriptorTypes.get(digest);
        else if (!this.descriptorTypes.has(digest))
            this.descriptorTypes.set(digest, mediaType);
        const key = `${digest} ${mediaType ?? ''}`;
        let manifest = this.manifests.get(key);
        if (manifest === undefined) {
            manifest = this.readManifest(digest, mediaType);
            this.manifests.set(key, manifest);
        }
        return manifest;
    }
    async readManifest(digest, mediaType) {
        this.signal?.throwIfAborted();
        const found = this.located.get(digest);
        if (found === undefined)
            throw new Error(`${this.file} lacks the manifest ${digest}`);
        if (!('bytes' in found) && found.size > limits/* maxManifestBytes */.rq)
            throw new Error(`${this.file}: manifest ${digest} is ${found.size} bytes, more than the ${limits/* maxManifestBytes */.rq} ferry reads`);
        const bytes = 'bytes' in found
            ? found.bytes
            : await collect(this.openBlob({ mediaType: '', digest, size: found.size }), limits/* maxManifestBytes */.rq, () => new Error('too large'));
        if (!(0,oci_digest/* matchesDigest */._j)(bytes, digest))
            throw new Error(`${this.file}: manifest ${digest}: its bytes are not its digest`);
        let json;
        try {
            json = JSON.parse(bytes.toString('utf8'));
        }
        catch {
            throw new Error(`${this.file}: manifest ${digest} is not JSON`);
        }
        if (typeof json !== 'object' || json === null || Array.isArray(json))
            throw new Error(`${this.file}: manifest ${digest} is not a JSON object`);
        const type = typeof json.mediaType === 'string' ? json.mediaType : (mediaType ?? '');
        if ((0,media_types/* isSchema1 */.Pr)(type) || json.schemaVersion === 1)
            throw new Error(`${this.file}: ${media_types/* schema1Refusal */.Jx}`);
        if (type === '')
            throw new Error(`${this.file}: manifest ${digest} has no media type`);
        return { descriptor: { mediaType: type, digest, size: bytes.length }, bytes, json };
    }
    /** Bytes of the tar as they are, unverified: for reading a file the pass hashed (a config, a layer's first bytes). */
    openRange(offset, size) {
        return size === 0 ? external_node_stream_.Readable.from([]) : rangeOf(this.handle, offset, size, this.signal);
    }
    /** Keeps bytes made from the archive (a manifest for a docker-archive's image) as a blob of the store. */
    keep(bytes, mediaType) {
        const digest = (0,oci_digest/* digestOf */.ol)(bytes);
        this.located.set(digest, { bytes });
        return { mediaType, digest, size: bytes.length };
    }
    /**
     * A blob's bytes from the archive. A tar's range was hashed by the pass that read the archive whole,
     * through this same handle, before anything was pushed; it is read again unhashed, for a registry that
     * checks its digest as it arrives (a manifest ferry reads itself is checked again: readManifest). A
     * layout folder's file, or bytes made here, are verified as they pass. A range of another size than
     * the pass found is refused.
     */
    openBlob(blob) {
        const found = this.located.get(blob.digest);
        if (found === undefined)
            throw new Error(`${this.file} lacks ${blob.digest}`);
        const size = 'bytes' in found ? found.bytes.length : found.size;
        if (size !== blob.size)
            throw new Error(`${this.file}: blob ${blob.digest} is ${size} bytes, not ${blob.size}`);
        const verifier = new oci_digest/* DigestVerifier */.Do(blob.digest, blob.size, (reason) => new Error(`${this.file}: blob ${blob.digest}: ${reason}`));
        const content = 'bytes' in found
            ? external_node_stream_.Readable.from([found.bytes])
            : found.size === 0
                ? external_node_stream_.Readable.from([])
                : 'path' in found
                    ? fileOf(found.path, found.size, this.signal)
                    : rangeOf(this.handle, found.offset, found.size, this.signal);
        return 'offset' in found ? content : (0,oci_digest/* verified */.zr)(content, verifier);
    }
}
/**
 * What one read of a blob's range takes from the file at most. An upload holds a read or two in its
 * pipeline, eight uploads at once; each read is a new buffer, freed only when V8 collects the young
 * objects that held it, and a 64 KiB read keeps that garbage to a few MiB where 256 KiB reads let
 * import of large layers peak 25 MiB above one of small layers (docs/performance.md).
 */
const readSize = 64 * 1024;
/**
 * `size` bytes of a file from `offset`, read `readSize` at a time as the reader asks, one read ahead.
 * The file is a handle the archive holds, or one opened for this stream alone (a layout folder's blob
 * file, opened without following a link, closed when the stream ends). Not `handle.createReadStream`,
 * which leaves a listener on the handle for every stream it ever made: an archive of many blobs would
 * keep every stream alive until it is closed.
 */
class RangeStream extends external_node_stream_.Readable {
    file;
    signal;
    handle;
    at;
    end;
    constructor(file, offset, size, signal) {
        super({ highWaterMark: readSize });
        this.file = file;
        this.signal = signal;
        this.at = offset;
        this.end = offset + size;
    }
    _construct(callback) {
        if (typeof this.file !== 'function') {
            this.handle = this.file;
            callback();
            return;
        }
        this.file().then((handle) => {
            this.handle = handle;
            callback();
        }, (error) => callback(error));
    }
    _read() {
        if (this.at >= this.end) {
            this.push(null);
            return;
        }
        if (this.signal?.aborted) {
            this.destroy(this.signal.reason);
            return;
        }
        const length = Math.min(readSize, this.end - this.at);
        const at = this.at;
        this.at += length;
        (0,tar_pieces/* readExactly */.Lo)(this.handle, length, at).then((bytes) => this.push(bytes), (error) => this.destroy(error));
    }
    _destroy(error, callback) {
        const owned = typeof this.file === 'function' ? this.handle : undefined;
        if (owned === undefined) {
            callback(error);
            return;
        }
        owned.close().then(() => callback(error), () => callback(error));
    }
}
function rangeOf(handle, offset, size, signal) {
    return new RangeStream(handle, offset, size, signal);
}
/** A layout folder's blob file, opened without following a link, read as a range is, closed at its end. */
function fileOf(file, size, signal) {
    return new RangeStream(() => (0,promises_.open)(file, external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NOFOLLOW | external_node_fs_.constants.O_NONBLOCK), 0, size, signal);
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
/** Reads the archive once, checking every entry and verifying every blob; returns the JSON files read. */
async function index(file, blobs, maxBlobBytes) {
    const json = new Map();
    const seen = new Set();
    try {
        await (0,tar_reader/* readTar */.sB)(blobs.handle, (entry) => {
            const name = entryName(entry.name);
            if (typeof name !== 'string')
                throw new archive_error/* ArchiveError */.d(file, `the archive holds ${name.refused}`);
            if (name === '' && entry.type !== 'directory')
                throw new archive_error/* ArchiveError */.d(file, 'the archive holds an entry with no name');
            if (name === '')
                return undefined;
            if (seen.has(name))
                throw new archive_error/* ArchiveError */.d(file, `the archive holds ${name} twice`);
            seen.add(name);
            if (entry.type === 'directory')
                return undefined;
            // Links are kept by name, never followed here: only a docker-archive may use them, each resolved inside the archive.
            if (entry.type === 'link' || entry.type === 'symlink') {
                blobs.links.set(name, { type: entry.type, target: entry.linkName ?? '' });
                return undefined;
            }
            if (entry.type !== 'file')
                throw new archive_error/* ArchiveError */.d(file, `the archive holds a ${entry.type} (${name}); only files and folders are accepted`);
            if (entry.size > maxBlobBytes)
                throw new archive_error/* ArchiveError */.d(file, `${name} is ${entry.size} bytes, more than the ${maxBlobBytes} ferry accepts (max-blob-bytes)`);
            if (jsonFiles.has(name)) {
                if (entry.size > limits/* maxManifestBytes */.rq)
                    throw new archive_error/* ArchiveError */.d(file, `${name} is larger than ${limits/* maxManifestBytes */.rq} bytes`);
                const chunks = [];
                return { update: (chunk) => chunks.push(Buffer.from(chunk)), end: () => void json.set(name, Buffer.concat(chunks)) };
            }
            const blob = ociBlob.exec(name) ?? kbldLayer.exec(name);
            if (blob === null) {
                // Any other file is kept by name with its sha256: a docker-archive names its configs and layers so.
                const hash = (0,external_node_crypto_.createHash)('sha256');
                return {
                    update: (chunk) => hash.update(chunk),
                    end: () => void blobs.files.set(name, { offset: entry.offset, size: entry.size, digest: `sha256:${hash.digest('hex')}` }),
                };
            }
            const digest = `${blob[1]}:${blob[2]}`;
            if ((0,oci_digest/* digestError */.DD)(digest) !== undefined)
                throw new archive_error/* ArchiveError */.d(file, `${name} is not named by a digest`);
            const hash = (0,external_node_crypto_.createHash)(blob[1] ?? 'sha256');
            return {
                update: (chunk) => hash.update(chunk),
                end: () => {
                    const actual = `${blob[1]}:${hash.digest('hex')}`;
                    if (actual !== digest)
                        throw new archive_error/* ArchiveError */.d(file, `${name} holds ${actual}: its content does not match its name`);
                    blobs.located.set(digest, { offset: entry.offset, size: entry.size });
                    blobs.files.set(name, { offset: entry.offset, size: entry.size, digest });
                },
            };
        }, blobs.signal);
    }
    catch (error) {
        if (error instanceof archive_error/* ArchiveError */.d || blobs.signal?.aborted)
            throw error;
        throw new archive_error/* ArchiveError */.d(file, `not a complete tar archive (${error.message})`);
    }
    return json;
}

;// CONCATENATED MODULE: ./src/archive/docker-archive.ts
// What `docker save`, `podman save` and `skopeo copy docker-archive:` write: manifest.json listing each
// image's config and layers by their paths in the tar, with the names it had (RepoTags). There is no
// registry manifest in it, so each image gets an OCI manifest made here from its config and layers, in
// the order manifest.json gives them: its digest is new (the manifests are pinned to what is pushed,
// and the log says so). Links between duplicate layers (older `docker save` writes them) are followed
// by name inside the archive only, a few steps at most, never out of it.














/** Links followed from one name, at most: a chain longer than this is refused. */
const maxLinkSteps = 8;
/** Images in one manifest.json, and layers in one image, at most. */
const maxImages = 10_000;
const maxLayers = 1_000;
/** Layers listed in one manifest.json, all its images together, at most (each becomes a descriptor of a manifest made here). */
const maxLayerMentions = 200_000;
/** A manifest.json entry's fields, as Docker spells them. */
const dockerEntryFields = ['Config', 'RepoTags', 'Layers', 'Parent', 'LayerSources'];
/**
 * manifest.json's entries, every one checked before any is used: an object whose fields are spelled as
 * Docker spells them (docker and skopeo read it with Go, which takes `config` for `Config`), a Config
 * path, at most `maxLayers` Layers paths, and RepoTags that are image references.
 */
function dockerEntries(file, manifestJson) {
    const entries = (0,archive_error/* parseJson */.q)(file, 'manifest.json', manifestJson);
    if (!Array.isArray(entries) || entries.length > maxImages)
        throw new archive_error/* ArchiveError */.d(file, `manifest.json is not a list of at most ${maxImages} images`);
    return entries.map((entry, at) => {
        const where = `manifest.json entry ${at + 1}`;
        if (typeof entry !== 'object' || entry === null)
            throw new archive_error/* ArchiveError */.d(file, `${where} has no Config path and list of Layers paths`);
        const respelled = (0,descriptor/* respelledField */.vF)(entry, dockerEntryFields);
        if (respelled !== undefined)
            throw new archive_error/* ArchiveError */.d(file, `${where}: ${respelled}`);
        const { Config: config, Layers: layers, RepoTags } = entry;
        if (typeof config !== 'string' || !Array.isArray(layers) || layers.some((layer) => typeof layer !== 'string'))
            throw new archive_error/* ArchiveError */.d(file, `${where} has no Config path and list of Layers paths`);
        if (layers.length > maxLayers)
            throw new archive_error/* ArchiveError */.d(file, `${where} lists more than ${maxLayers} layers`);
        const tags = RepoTags === undefined || RepoTags === null ? [] : RepoTags;
        if (!Array.isArray(tags) || tags.some((tag) => typeof tag !== 'string'))
            throw new archive_error/* ArchiveError */.d(file, `${where} has RepoTags that are not names`);
        for (const tag of tags) {
            try {
                (0,src_reference/* parseReference */.F2)(tag);
            }
            catch {
                throw new archive_error/* ArchiveError */.d(file, `${where} names the image ${(0,untrusted_text/* quoted */.TL)(tag)}, which is not an image reference`);
            }
        }
        return { where, config, layers: layers, tags: tags };
    });
}
/** A manifest.json entry's fields as Go reads them: a docker-archive's, and kbld's (imgpkg's). */
const dockerShape = new Set(['config', 'layers', 'repotags']);
const kbldShape = new Set(['image', 'imageindex']);
/**
 * Whether manifest.json is a docker-archive's (entries with Config and Layers) rather than kbld's
 * (entries with Image or ImageIndex), its keys read as Go reads them (`layers` is `Layers` to docker
 * and skopeo). An entry with fields of both, or entries of both kinds, are refused: docker load would
 * read one image from it and imgpkg another.
 */
function isDockerManifest(file, bytes) {
    if (bytes === undefined)
        return false;
    let parsed;
    try {
        parsed = JSON.parse(bytes.toString('utf8'));
    }
    catch {
        return false;
    }
    if (!Array.isArray(parsed) || parsed.length === 0)
        return false;
    const shapes = parsed.map((entry, at) => {
        const keys = typeof entry === 'object' && entry !== null ? Object.keys(entry).map(descriptor/* goFold */.K_) : [];
        const docker = keys.some((key) => dockerShape.has(key));
        const kbld = keys.some((key) => kbldShape.has(key));
        if (docker && kbld)
            throw new archive_error/* ArchiveError */.d(file, `manifest.json entry ${at + 1} has a docker-archive's fields and kbld's: docker load and imgpkg would read different images from it`);
        return docker;
    });
    if (shapes.some((docker) => docker) && !shapes.every((docker) => docker))
        throw new archive_error/* ArchiveError */.d(file, "manifest.json mixes a docker-archive's entries with kbld's: refused, as no one tool reads them all");
    return shapes[0] === true;
}
/**
 * The regular file a name leads to: the file itself, or a link's target, followed by name inside the
 * archive, at most `steps` links (a layer's: older `docker save` links duplicate layers; a config's,
 * one symlink, as skopeo follows). A hard link must name a regular file: a hard link to a symlink is a
 * symlink where the hard link is once extracted, whose target `docker load` reads from there. A target
 * that climbs out of the archive, a chain that goes on or loops, and a name that leads nowhere are
 * refused, naming the link.
 */
function resolveEntry(file, store, name, steps = maxLinkSteps) {
    let current = external_node_path_default().posix.normalize(name.replace(/^\.\//, ''));
    for (let step = 0; step <= steps; step++) {
        const found = store.files.get(current);
        if (found !== undefined)
            return { ...found, name: current };
        const link = store.links.get(current);
        if (link === undefined)
            throw new archive_error/* ArchiveError */.d(file, `manifest.json names ${(0,untrusted_text/* quoted */.TL)(name)}, which the archive does not hold`);
        if (link.type !== 'symlink' && !store.files.has(external_node_path_default().posix.normalize(link.target)))
            throw new archive_error/* ArchiveError */.d(file, `${(0,untrusted_text/* quoted */.TL)(current)} is a ${link.type} to ${(0,untrusted_text/* quoted */.TL)(link.target)}, which is not a regular file of the archive`);
        const target = link.type === 'symlink' && !link.target.startsWith('/') ? external_node_path_default().posix.join(external_node_path_default().posix.dirname(current), link.target) : link.target;
        const normalized = external_node_path_default().posix.normalize(target);
        if (target.startsWith('/') || normalized === '..' || normalized.startsWith('../'))
            throw new archive_error/* ArchiveError */.d(file, `${(0,untrusted_text/* quoted */.TL)(current)} is a ${link.type} to ${(0,untrusted_text/* quoted */.TL)(link.target)}, outside the archive`);
        current = normalized;
    }
    throw new archive_error/* ArchiveError */.d(file, `${(0,untrusted_text/* quoted */.TL)(name)} is a chain of more than ${steps} ${steps === 1 ? 'link' : 'links'}`);
}
/** The fields of an image config as Docker spells them, and of its rootfs: another spelling is refused. */
const configFields = ['architecture', 'os', 'variant', 'config', 'rootfs', 'history', 'created', 'author'];
const rootfsFields = ['type', 'diff_ids'];
const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
/**
 * A config's diff IDs, read as docker load and skopeo read them (Go, which takes `RootFS` for `rootfs`):
 * the config an object, its rootfs an object, both spelled as Docker spells them; an image without layers
 * has none (Docker leaves `diff_ids` out, Go's omitempty, or writes null).
 */
function configDiffIds(file, what, config) {
    if (!isObject(config))
        throw new archive_error/* ArchiveError */.d(file, `${what} is not a JSON object`);
    const rootfs = config.rootfs;
    const respelled = (0,descriptor/* respelledField */.vF)(config, configFields) ?? (isObject(rootfs) ? (0,descriptor/* respelledField */.vF)(rootfs, rootfsFields) : undefined);
    if (respelled !== undefined)
        throw new archive_error/* ArchiveError */.d(file, `${what}: ${respelled}`);
    if (!isObject(rootfs))
        throw new archive_error/* ArchiveError */.d(file, `${what} has no rootfs, which skopeo refuses (rootFS is not set)`);
    const diffIds = rootfs.diff_ids ?? [];
    if (!Array.isArray(diffIds))
        throw new archive_error/* ArchiveError */.d(file, `${what} has no list of diff IDs (rootfs.diff_ids)`);
    return diffIds;
}
/** A layer's media type from its first bytes: gzip, zstd, or a plain tar. */
async function layerType(store, layer) {
    if (layer.size < 4)
        return 'application/vnd.oci.image.layer.v1.tar';
    const head = await collect(store.openRange(layer.offset, 4), 4, () => new Error('too large'));
    if (head[0] === 0x1f && head[1] === 0x8b)
        return 'application/vnd.oci.image.layer.v1.tar+gzip';
    if (head.readUInt32LE(0) === 0xfd2fb528)
        return 'application/vnd.oci.image.layer.v1.tar+zstd';
    return 'application/vnd.oci.image.layer.v1.tar';
}
/**
 * The digest of a compressed layer's tar, in the diff ID's algorithm: the layer read from the archive
 * through gzip or zstd, at most `maxBlobBytes` of it (a layer that decompresses to more is refused).
 */
async function uncompressedDigest(file, store, layer, mediaType, diffId, maxBlobBytes) {
    const algorithm = diffId.slice(0, diffId.indexOf(':'));
    const hash = (0,external_node_crypto_.createHash)(algorithm);
    let bytes = 0;
    try {
        await (0,external_node_stream_promises_.pipeline)(store.openRange(layer.offset, layer.size), mediaType.endsWith('+zstd') ? external_node_zlib_default().createZstdDecompress() : external_node_zlib_default().createGunzip(), async (tar) => {
            for await (const chunk of tar) {
                bytes += chunk.length;
                if (bytes > maxBlobBytes)
                    throw new Error(`it decompresses to more than the ${maxBlobBytes} bytes ferry accepts (max-blob-bytes)`);
                hash.update(chunk);
            }
        });
    }
    catch (error) {
        if (error instanceof archive_error/* ArchiveError */.d || store.signal?.aborted)
            throw error;
        throw new archive_error/* ArchiveError */.d(file, `layer ${layer.digest} cannot be decompressed: ${error.message}`);
    }
    return `${algorithm}:${hash.digest('hex')}`;
}
/**
 * The images of a docker-archive, each with an OCI manifest made from its config and layers (kept in the
 * store by digest, so the walk and the push read them as any other blob).
 */
async function readDockerArchive(file, store, manifestJson, maxBlobBytes) {
    const images = [];
    // Each config read and parsed once, however many entries name it; each layer's type and uncompressed
    // digest found once, however many images list it (a layer named a thousand times is not decompressed
    // a thousand times).
    const diffIdsOf = new Map();
    const layerTypes = new Map();
    const uncompressed = new Map();
    const entries = dockerEntries(file, manifestJson);
    const mentions = entries.reduce((sum, entry) => sum + entry.layers.length, 0);
    if (mentions > maxLayerMentions)
        throw new archive_error/* ArchiveError */.d(file, `manifest.json lists ${mentions} layers in all, more than the ${maxLayerMentions} ferry reads`);
    for (const entry of entries) {
        const { where, tags } = entry;
        const config = resolveEntry(file, store, entry.config, 1);
        if (config.size > limits/* maxManifestBytes */.rq)
            throw new archive_error/* ArchiveError */.d(file, `${where}: its config is larger than ${limits/* maxManifestBytes */.rq} bytes`);
        const diffIds = await (0,once/* once */.O)(diffIdsOf, config.name, async () => {
            const bytes = await collect(store.openRange(config.offset, config.size), limits/* maxManifestBytes */.rq, () => new Error('too large'));
            const what = `${where}: its config ${(0,untrusted_text/* quoted */.TL)(config.name)}`;
            return configDiffIds(file, what, (0,archive_error/* parseJson */.q)(file, what, bytes));
        });
        // A config without a diff ID for each layer describes no file system a runtime can check its layers
        // against: docker load and skopeo compare the counts.
        if (diffIds.length !== entry.layers.length)
            throw new archive_error/* ArchiveError */.d(file, `${where}: its config lists ${diffIds.length} layers and manifest.json ${entry.layers.length}`);
        const layers = [];
        for (const [index, layerPath] of entry.layers.entries()) {
            const layer = resolveEntry(file, store, layerPath);
            const diffId = diffIds[index];
            const reason = typeof diffId === 'string' ? (0,oci_digest/* digestError */.DD)(diffId) : 'not a string';
            if (typeof diffId !== 'string' || reason !== undefined)
                throw new archive_error/* ArchiveError */.d(file, `${where}: its config's diff ID for layer ${index + 1} is not a digest (${reason})`);
            const mediaType = await (0,once/* once */.O)(layerTypes, layer.name, () => layerType(store, layer));
            // A layer's diff ID is the digest of its tar (a plain layer's own, a compressed one's once
            // decompressed): one that is not is not the layer its config describes, which docker load and
            // skopeo refuse, and a runtime would at its pull.
            const actual = mediaType.endsWith('.tar')
                ? layer.digest
                : await (0,once/* once */.O)(uncompressed, `${layer.name}\n${diffId.slice(0, diffId.indexOf(':'))}`, () => uncompressedDigest(file, store, layer, mediaType, diffId, maxBlobBytes));
            if (actual !== diffId)
                throw new archive_error/* ArchiveError */.d(file, `${where}: layer ${(0,untrusted_text/* quoted */.TL)(layerPath)} is ${actual}${mediaType.endsWith('.tar') ? '' : ' decompressed'}, but its config gives that layer ${diffId}`);
            store.located.set(layer.digest, { offset: layer.offset, size: layer.size });
            layers.push({ mediaType, digest: layer.digest, size: layer.size });
        }
        store.located.set(config.digest, { offset: config.offset, size: config.size });
        const manifest = Buffer.from(JSON.stringify({
            schemaVersion: 2,
            mediaType: media_types/* ociManifest */.F7,
            config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config.digest, size: config.size },
            layers,
        }));
        const descriptor = store.keep(manifest, media_types/* ociManifest */.F7);
        images.push({
            descriptor,
            ...(tags[0] === undefined ? {} : { refName: tags[0] }),
            sources: [...tags],
            rebuilt: true,
        });
    }
    return images;
}
/** An image as a name gives it: its config's digest, then its layers' digests, in order. */
const imageKey = (digests) => digests.join(' ');
/**
 * `registry/repository:tag` of a name, however it is spelled (`app:v1` is docker.io/library/app:v1),
 * a name without a tag meaning `latest`, as the lookup reads it; undefined for a digest alone.
 */
function nameKey(reference) {
    try {
        const tag = (0,src_reference/* impliedTag */.RW)(reference);
        return tag === undefined ? undefined : `${(0,src_reference/* parseReference */.F2)(reference).name}:${tag}`;
    }
    catch {
        return undefined;
    }
}
/**
 * An OCI layout that also holds a docker-archive's manifest.json (`docker save` from Docker 25 on
 * writes both): classic `docker load` and skopeo's `docker-archive:` read manifest.json, containerd and
 * ferry read index.json. Every name either gives must be the same image in the other, its config and
 * layers (of the image index.json names, or of one of its platforms), or the archive is refused: what
 * one loader shows of it must be what ferry imports.
 */
async function checkDockerAgrees(file, store, manifestJson, images) {
    const docker = new Map();
    for (const { where, config, layers, tags } of dockerEntries(file, manifestJson)) {
        const key = imageKey([resolveEntry(file, store, config, 1), ...layers.map((name) => resolveEntry(file, store, name))].map(({ digest }) => digest));
        for (const tag of tags) {
            const name = nameKey(tag);
            if (name === undefined)
                throw new archive_error/* ArchiveError */.d(file, `${where} names the image ${(0,untrusted_text/* quoted */.TL)(tag)}, which is not an image reference with a tag`);
            if (docker.has(name) && docker.get(name) !== key)
                throw new archive_error/* ArchiveError */.d(file, `manifest.json names two images ${(0,untrusted_text/* quoted */.TL)(tag)}`);
            docker.set(name, key);
        }
    }
    const layout = new Map();
    for (const image of images) {
        // The images an entry stands for: itself, or each platform of an index it holds (one level down,
        // as Docker writes it), decoded as the walk decodes them.
        const top = (0,manifest/* decodeManifest */.MK)(await store.getManifest(image.descriptor.digest, image.descriptor.mediaType));
        const decoded = [top];
        for (const child of top.children)
            if (store.size(child.digest) !== undefined)
                decoded.push((0,manifest/* decodeManifest */.MK)(await store.getManifest(child.digest, child.mediaType)));
        const keys = new Set(decoded.filter((manifest) => manifest.kind === 'image').map((manifest) => imageKey(manifest.blobs.map((blob) => blob.digest))));
        for (const source of image.sources) {
            const name = nameKey(source);
            if (name === undefined)
                continue;
            const held = layout.get(name) ?? new Set();
            // Two entries of index.json under one name are refused later, as any ambiguity is.
            for (const key of keys)
                held.add(key);
            if (keys.size === 0)
                held.add('');
            layout.set(name, held);
        }
    }
    for (const name of new Set([...docker.keys(), ...layout.keys()])) {
        const key = docker.get(name);
        const held = layout.get(name);
        if (key === undefined || held === undefined)
            throw new archive_error/* ArchiveError */.d(file, `${key === undefined ? 'index.json' : 'manifest.json'} names ${(0,untrusted_text/* quoted */.TL)(name)} and ${key === undefined ? 'manifest.json' : 'index.json'} does not: docker load and containerd would load different images from it`);
        if (!held.has(key))
            throw new archive_error/* ArchiveError */.d(file, `manifest.json and index.json name different images ${(0,untrusted_text/* quoted */.TL)(name)}: docker load and containerd would load different images from it`);
    }
}

;// CONCATENATED MODULE: ./src/archive/kbld-format.ts
// The tarballs `kbld pkg` and `imgpkg copy --to-tar` write: `manifest.json` with each image's manifest and
// config inline (kept as blobs, each verified against its digest) and its layers as `<alg>-<hex>.tar.gz`.






/** kbld/imgpkg keep manifests and configs inline in manifest.json: kept as blobs, verified. */
async function storeKbldRaw(file, store, digest, raw) {
    if (typeof digest !== 'string' || (0,oci_digest/* digestError */.DD)(digest) !== undefined || typeof raw !== 'string')
        throw new archive_error/* ArchiveError */.d(file, 'manifest.json names a manifest or config without a valid Digest and Raw');
    const bytes = Buffer.from(raw, 'utf8');
    const actual = (0,oci_digest/* digestOf */.ol)(bytes, digest.slice(0, digest.indexOf(':')));
    if (actual !== digest)
        throw new archive_error/* ArchiveError */.d(file, `manifest.json holds ${actual} where it names ${digest}`);
    store.located.set(digest, { bytes });
    return { mediaType: '', digest, size: bytes.length };
}
/**
 * `value`, once no field of it is spelled otherwise than kbld spells it: kbld and imgpkg read
 * manifest.json with Go, which takes `refs` for `Refs`, the last spelling winning.
 */
function spelled(file, value, fields, where) {
    const respelled = typeof value === 'object' && value !== null ? (0,descriptor/* respelledField */.vF)(value, fields) : undefined;
    if (respelled !== undefined)
        throw new archive_error/* ArchiveError */.d(file, `${where}: ${respelled}`);
    return value;
}
/** A list manifest.json gives, or none; anything else is refused. */
function listOf(file, value, what) {
    if (value === undefined || value === null)
        return [];
    if (!Array.isArray(value))
        throw new archive_error/* ArchiveError */.d(file, `manifest.json gives ${what} that are not a list`);
    return value;
}
/** The names manifest.json gives an image: image references each, or the archive is refused. */
function refsOf(file, value, where) {
    const refs = listOf(file, value, 'Refs');
    for (const ref of refs)
        if (typeof ref !== 'string' || !(0,src_reference/* isReference */.A_)(ref))
            throw new archive_error/* ArchiveError */.d(file, `${where} names the image ${typeof ref === 'string' ? (0,untrusted_text/* quoted */.TL)(ref) : 'with no text'}, which is not an image reference`);
    return refs;
}
async function readKbld(file, store, manifest) {
    const entries = (0,archive_error/* parseJson */.q)(file, 'manifest.json', manifest);
    if (!Array.isArray(entries))
        throw new archive_error/* ArchiveError */.d(file, 'manifest.json is not a list of images');
    const storeImage = async (given) => {
        const image = spelled(file, given, ['Refs', 'Layers', 'Config', 'Manifest'], 'manifest.json has an image whose fields ferry refuses');
        spelled(file, image?.Config, ['Digest', 'Raw'], 'manifest.json has a Config whose fields ferry refuses');
        spelled(file, image?.Manifest, ['MediaType', 'Digest', 'Raw'], 'manifest.json has a Manifest whose fields ferry refuses');
        if (typeof image !== 'object' || image === null || !image.Manifest || !image.Config || typeof image.Manifest.MediaType !== 'string')
            throw new archive_error/* ArchiveError */.d(file, 'manifest.json has an image without Manifest or Config');
        await storeKbldRaw(file, store, image.Config.Digest, image.Config.Raw);
        const stored = await storeKbldRaw(file, store, image.Manifest.Digest, image.Manifest.Raw);
        return { mediaType: image.Manifest.MediaType, digest: stored.digest, size: stored.size };
    };
    // Nested as deep as an index may be: 4 MiB of brackets would otherwise run the reader out of stack.
    const storeIndex = async (given, depth) => {
        const index = spelled(file, given, ['Refs', 'Images', 'Indexes', 'MediaType', 'Digest', 'Raw'], 'manifest.json has an index whose fields ferry refuses');
        if (depth > limits/* maxDepth */.Mw)
            throw new archive_error/* ArchiveError */.d(file, `manifest.json nests indexes more than ${limits/* maxDepth */.Mw} deep`);
        if (typeof index !== 'object' || index === null || typeof index.MediaType !== 'string')
            throw new archive_error/* ArchiveError */.d(file, 'manifest.json has an index without a MediaType');
        for (const child of listOf(file, index.Indexes, 'Indexes'))
            await storeIndex(child, depth + 1);
        for (const child of listOf(file, index.Images, 'Images'))
            await storeImage(child);
        const stored = await storeKbldRaw(file, store, index.Digest, index.Raw);
        return { mediaType: index.MediaType, digest: stored.digest, size: stored.size };
    };
    const images = [];
    for (const [at, entry] of entries.entries()) {
        const where = `manifest.json entry ${at + 1}`;
        if (typeof entry !== 'object' || entry === null)
            throw new archive_error/* ArchiveError */.d(file, `${where} is neither Image nor ImageIndex`);
        spelled(file, entry, ['Image', 'ImageIndex'], where);
        if (entry.ImageIndex)
            images.push({ descriptor: await storeIndex(entry.ImageIndex, 0), sources: refsOf(file, entry.ImageIndex.Refs, where) });
        else if (entry.Image)
            images.push({ descriptor: await storeImage(entry.Image), sources: refsOf(file, entry.Image.Refs, where) });
        else
            throw new archive_error/* ArchiveError */.d(file, `${where} is neither Image nor ImageIndex`);
    }
    return images;
}

// EXTERNAL MODULE: ./src/archive/layout-read.ts
var layout_read = __webpack_require__(3335);
// EXTERNAL MODULE: ./src/archive/spanned-file.ts
var spanned_file = __webpack_require__(16268);
;// CONCATENATED MODULE: ./src/archive/read.ts
// Reads an archive in one pass, front to back, refusing anything hostile before a single push (the tar
// pass: tar-blobs.ts; ferry's OCI layout: layout-read.ts; kbld's and imgpkg's tarballs: kbld-format.ts),
// then walks every image as unpackaging will, so that an archive that lacks a blob an image needs is
// refused before anything is pushed. An archive is untrusted: a pinned digest is satisfied only by that
// manifest or a platform filter of it checked against its bytes.


















/** An archive as a source: its blobs, and what its index says travels with each manifest. */
class ArchiveSource {
    store;
    key;
    bySubject = new Map();
    constructor(store, artifacts) {
        this.store = store;
        this.key = `archive:${store.file}`;
        for (const artifact of artifacts) {
            const list = this.bySubject.get(artifact.subject) ?? [];
            list.push(artifact);
            this.bySubject.set(artifact.subject, list);
        }
    }
    getManifest(digest, mediaType) {
        return this.store.getManifest(digest, mediaType);
    }
    openBlob(blob) {
        return this.store.openBlob(blob);
    }
    async referrers(digest) {
        return (this.bySubject.get(digest) ?? []).filter((artifact) => artifact.tag === undefined).map((artifact) => artifact.descriptor);
    }
    async digestTags(digest, signaturesOnly) {
        return (this.bySubject.get(digest) ?? [])
            .filter((artifact) => artifact.tag !== undefined && (0,endpoint/* isDigestTagOf */.o)(artifact.tag, digest) && (!signaturesOnly || artifact.tag.endsWith('.sig')))
            .map((artifact) => ({ tag: artifact.tag, descriptor: artifact.descriptor }));
    }
}
/** Fails on the first blob an image needs that the archive lacks (or holds at another size). */
class CompletenessCheck {
    file;
    store;
    leftOut;
    key = 'completeness-check';
    constructor(file, store, 
    /** A delta's blobs left out, by digest with their sizes: the site holds them, which unpackage checks. */
    leftOut) {
        this.file = file;
        this.store = store;
        this.leftOut = leftOut;
    }
    /** The left-out blobs some image needs: the only ones of the record worth looking for at the destination. */
    leftOutNeeded = new Set();
    async resolve() {
        return undefined;
    }
    async hasBlob(blob) {
        if (this.store.size(blob.digest) === undefined && this.leftOut.get(blob.digest) === blob.size) {
            this.leftOutNeeded.add(blob.digest);
            return true;
        }
        if (this.store.size(blob.digest) !== blob.size)
            throw new archive_error/* ArchiveError */.d(this.file, `the archive lacks ${blob.digest} (${blob.size} bytes), which an image needs`);
        return true;
    }
    async putBlob() {
        throw new Error('a completeness check writes nothing');
    }
    async putManifest() {
        return { listed: true };
    }
}
/**
 * Reads the archive `file`, or, given `parts`, the parts it was written in as one archive (an archive
 * that ends early then says a part after the last may be missing).
 */
async function readArchive(file, options = {}) {
    const { parts } = options;
    const handle = options.folder
        ? noFile
        : parts === undefined || parts.length === 0
            ? await (0,promises_.open)(file, 'r')
            : await (0,spanned_file/* openParts */.t8)(parts);
    try {
        return await readOpen(file, handle, options);
    }
    catch (error) {
        await handle.close();
        // The reason alone is read: the message names the archive, whose name may say anything.
        if (parts !== undefined && parts.length > 0 && error instanceof archive_error/* ArchiveError */.d && /\bends\b|early|in the middle/.test(error.reason))
            throw new archive_error/* ArchiveError */.d(file, `${error.reason}; read from ${parts.length} parts, ${external_node_path_default().basename(parts[0] ?? '')} to ${external_node_path_default().basename(parts.at(-1) ?? '')}: a part after the last may be missing, or the last cut short`, { cause: error });
        throw error;
    }
}
/** A layout folder has no one file: its blobs are files of their own. */
const noFile = {
    read: () => Promise.reject(new Error('a layout folder is read file by file')),
    stat: async () => ({ size: 0 }),
    close: async () => undefined,
};
async function readOpen(file, handle, options) {
    const { maxBlobBytes = descriptor/* defaultMaxBlobBytes */.kK, budget = new copy_budget/* ManifestBudget */.D(), signal } = options;
    const store = new TarBlobs(file, handle, signal);
    const json = options.folder ? await indexLayoutFolder(file, store, maxBlobBytes, signal) : await index(file, store, maxBlobBytes);
    const manifestJson = json.get('manifest.json');
    const format = json.has('index.json')
        ? 'oci-layout'
        : isDockerManifest(file, manifestJson)
            ? 'docker-archive'
            : manifestJson !== undefined
                ? 'kbld'
                : 'oci-layout';
    // Only a docker-archive may link one entry to another (older `docker save` links duplicate layers).
    const [linked] = store.links;
    if (format !== 'docker-archive' && linked !== undefined)
        throw new archive_error/* ArchiveError */.d(file, `the archive holds a ${linked[1].type} (${linked[0]}); only files and folders are accepted`);
    const { images, artifacts } = format === 'kbld'
        ? { images: await readKbld(file, store, manifestJson), artifacts: [] }
        : format === 'docker-archive'
            ? { images: await readDockerArchive(file, store, manifestJson, maxBlobBytes), artifacts: [] }
            : (0,layout_read/* readLayout */.T4)(file, json);
    // Docker 25 on writes manifest.json beside index.json: the two must say the same of every name.
    // Whatever shape it has: an entry spelled otherwise than Docker spells it is still Docker's to Go.
    if (format === 'oci-layout' && manifestJson !== undefined)
        await checkDockerAgrees(file, store, manifestJson, images).catch((error) => {
            throw error instanceof archive_error/* ArchiveError */.d || signal?.aborted ? error : new archive_error/* ArchiveError */.d(file, error.message);
        });
    const source = new ArchiveSource(store, artifacts);
    const delta = json.has(archive_delta/* deltaFile */.RV) ? (0,archive_delta/* readDelta */.rl)(file, json.get(archive_delta/* deltaFile */.RV)) : undefined;
    // Walk every image, and all that travels with it, as unpackaging will, before anything is pushed:
    // each manifest once, however many entries name it.
    const check = new CompletenessCheck(file, store, new Map((delta?.blobs ?? []).map((blob) => [blob.digest, blob.size])));
    const walker = new copy_walker/* Copier */.T({ concurrency: 4, maxBlobBytes, artifacts: 'all', budget });
    const walked = new Map();
    for (const image of images) {
        signal?.throwIfAborted();
        const { digest, mediaType, size } = image.descriptor;
        const seen = walked.get(digest);
        // One digest, one manifest: entries that name it with another type or size are refused, not walked.
        if (seen !== undefined && (seen.mediaType !== mediaType || seen.size !== size))
            throw new archive_error/* ArchiveError */.d(file, `index.json names ${digest} as ${seen.mediaType} of ${seen.size} bytes and as ${mediaType} of ${size}`);
        if (seen !== undefined)
            continue;
        walked.set(digest, image.descriptor);
        try {
            await walker.copy({ source, sink: check, digest, mediaType });
        }
        catch (error) {
            throw error instanceof archive_error/* ArchiveError */.d || signal?.aborted ? error : new archive_error/* ArchiveError */.d(file, error.message);
        }
        const top = await store.getManifest(digest, mediaType);
        if (top.bytes.length !== size)
            throw new archive_error/* ArchiveError */.d(file, `the index gives ${digest} ${size} bytes; it has ${top.bytes.length}`);
    }
    const satisfies = async (image, digest, platforms) => {
        if (image.descriptor.digest === digest)
            return true;
        if (!image.sources.some((reference) => (0,src_reference/* parseReference */.F2)(reference).digest === digest) || store.size(digest) === undefined)
            return false;
        try {
            const [pinned, held] = await Promise.all([
                store.getManifest(digest, media_types/* ociIndex */.KP),
                store.getManifest(image.descriptor.digest, image.descriptor.mediaType),
            ]);
            return await (0,copy_platforms/* isFilterOf */.q1)(pinned, held, platforms);
        }
        catch {
            return false; // the pinned manifest is not an index whose filter this could be
        }
    };
    // Of the record, only what the images need: a record may list any number of blobs, each of which
    // would cost a request at the destination.
    const needed = delta === undefined ? undefined : { ...delta, blobs: delta.blobs.filter((blob) => check.leftOutNeeded.has(blob.digest)) };
    return {
        file,
        source,
        images,
        artifacts,
        format,
        satisfies,
        ...(needed === undefined ? {} : { delta: needed }),
        close: () => handle.close(),
    };
}

// EXTERNAL MODULE: ./src/archive/span-names.ts
var span_names = __webpack_require__(58677);
// EXTERNAL MODULE: ./src/manifests/files.ts
var files = __webpack_require__(53529);
;// CONCATENATED MODULE: ./src/modes/archive-inputs.ts
// The archives an input names, found as unpackage reads them and as package reads a delta's bases: a
// file, an OCI layout folder, or the parts an archive was written in.






/**
 * The archives an input names (`archive`, `since`), each a file, a layout folder, or (a path that is not
 * there) the parts it was written in, `<archive>.001` on, each checked to be inside the boundary.
 */
async function archiveInputs(settings, patterns, what) {
    const found = [];
    for (const pattern of patterns) {
        const literal = !/[*?[]/.test(pattern);
        const file = literal ? external_node_path_default().resolve(settings.files.root, pattern) : undefined;
        if (file !== undefined && (await isLayoutFolder(file))) {
            // An OCI layout folder: its own folder inside the boundary; its files are each checked as they are read.
            found.push({ name: pattern, real: settings.files.realFile(what, file, true), folder: true });
            continue;
        }
        if (file !== undefined && !(0,external_node_fs_.existsSync)(file)) {
            const parts = (0,span_names/* partsOf */.CI)(file);
            if (parts.length > 0) {
                const real = parts.map((part) => settings.files.realFile(what, part, true));
                for (const part of real)
                    settings.files.regularFileSize(what, part, true);
                found.push({ name: pattern, real: file, parts: real });
                continue;
            }
            // A path that is not there, nor its parts: say so plainly (a glob that matches nothing says it itself).
            settings.files.regularFileSize(what, file, true);
        }
        for (const matched of await (0,files/* inputFiles */.ul)(settings.files, what, [pattern], true))
            if (!found.some((other) => other.real === matched.real))
                found.push(matched);
    }
    return found;
}
/**
 * Reads every archive an input names, each checked whole before anything is pushed, closed at the end
 * of the run; the log says what each is.
 */
async function readArchiveInputs(context, patterns, what) {
    const { settings, budget, deadline, log, onCleanup } = context;
    const read = [];
    for (const input of await archiveInputs(settings, patterns, what)) {
        if (input.parts === undefined && input.folder !== true)
            settings.files.regularFileSize(what, input.real, true);
        const archive = await readArchive(input.real, {
            maxBlobBytes: settings.maxBlobBytes,
            budget,
            ...(deadline === undefined ? {} : { signal: deadline }),
            ...(input.parts === undefined ? {} : { parts: input.parts }),
            ...(input.folder === true ? { folder: true } : {}),
        }).catch((error) => {
            if (deadline?.aborted)
                throw new Error(`${input.name}: the run's deadline (timeout ${settings.timeoutText}) passed while the archive was read; nothing was pushed`);
            throw error;
        });
        onCleanup(archive.close);
        const inParts = input.parts === undefined ? '' : ` in ${input.parts.length} parts`;
        log(`${input.name}${inParts}: ${archive.format}, ${archive.images.length} images`);
        read.push({ name: input.name, archive });
    }
    return read;
}


/***/ })

};
