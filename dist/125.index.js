export const id = 125;
export const ids = [125];
export const modules = {

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


/***/ })

};
