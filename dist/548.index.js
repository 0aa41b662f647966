export const id = 548;
export const ids = [548];
export const modules = {

/***/ 19548:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  ArchiveFile: () => (/* binding */ ArchiveFile),
  ArchivePlanner: () => (/* binding */ ArchivePlanner),
  checkSpanPlaces: () => (/* reexport */ spanned_file/* checkSpanPlaces */.d9),
  commitArchive: () => (/* binding */ commitArchive),
  journalName: () => (/* binding */ journalName)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(46466);
// EXTERNAL MODULE: ./src/oci/digest.ts
var oci_digest = __webpack_require__(68825);
// EXTERNAL MODULE: ./src/archive/spanned-file.ts
var spanned_file = __webpack_require__(16268);
// EXTERNAL MODULE: ./src/archive/span-names.ts
var span_names = __webpack_require__(58677);
// EXTERNAL MODULE: ./src/archive/store.ts
var store = __webpack_require__(66055);
;// CONCATENATED MODULE: ./src/archive/tar-layout.ts
// Where every entry of an archive sits before a byte of it is written. The archive is an OCI image
// layout in a deterministic tar (sorted entries, zero times, uid/gid 0, no user names): every digest
// and size is known once the images' manifests are read, so each entry's offset is too, and each blob
// can be written once, in place, as it arrives. Headers are ustar, with a PAX header before a name ustar
// cannot hold, as tar-stream writes them (a test compares the two byte for byte).
const block = 512;
/** A name split into ustar's prefix and name fields as tar-stream splits it, or undefined when ustar cannot hold it. */
function ustarName(full) {
    let name = full;
    let prefix = '';
    // Past 100 characters, the folders go into ustar's prefix field.
    while (name.length > 100) {
        const slash = name.indexOf('/');
        if (slash < 0)
            break;
        prefix += prefix === '' ? name.slice(0, slash) : `/${name.slice(0, slash)}`;
        name = name.slice(slash + 1);
    }
    return name.length > 100 || prefix.length > 155 ? undefined : { prefix, name };
}
/** A ustar header for a regular file, a folder or a PAX header: the fields tar-stream's encoder writes, nothing else. */
function ustarHeader(name, size, type) {
    const header = Buffer.alloc(block);
    const full = type === 'directory' && !name.endsWith('/') ? `${name}/` : name;
    if (Buffer.byteLength(full) !== full.length)
        throw new Error(`${name}: not an ASCII tar name`);
    const split = ustarName(full);
    if (split === undefined)
        throw new Error(`${name}: too long for a ustar header`);
    const { prefix } = split;
    const octal = (value, digits) => `${value.toString(8).padStart(digits, '0')} `;
    header.write(split.name, 0, 'ascii');
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
    header[156] = type === 'directory' ? 0x35 : type === 'pax-header' ? 0x78 : 0x30;
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
/** A PAX record as tar-stream writes one: `<length> <text>\n`, the length counting its own digits. */
function paxRecord(text) {
    const line = ` ${text}\n`;
    const length = Buffer.byteLength(line);
    let digits = String(length).length;
    if (length + digits >= 10 ** digits)
        digits++;
    return Buffer.from(`${length + digits}${line}`);
}
/**
 * An entry's header: ustar's, or, for a file whose name ustar cannot hold (a sha512 blob's, 141
 * characters), a PAX header giving its path, its records padded to a block, then the entry's own ustar
 * header, both named `PaxHeader`, as tar-stream writes them.
 */
function entryHeader(name, size, type) {
    if (type === 'directory' || ustarName(name) !== undefined || Buffer.byteLength(name) !== name.length)
        return ustarHeader(name, size, type);
    const records = paxRecord(`path=${name}`);
    return Buffer.concat([
        ustarHeader('PaxHeader', records.length, 'pax-header'),
        records,
        Buffer.alloc(padded(records.length) - records.length),
        ustarHeader('PaxHeader', size, type),
    ]);
}
const padded = (size) => Math.ceil(size / block) * block;
const byText = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
/**
 * The layout of an archive holding `blobs` (by digest, with sizes), then `index.json`, `oci-layout`, and
 * any further files (a delta's record) in name order.
 */
function planLayout(blobs, indexSize, layoutSize, extras = []) {
    const entries = [];
    const contentAt = new Map();
    let offset = 0;
    const add = (name, type, size) => {
        const content = offset + entryHeader(name, 0, type).length;
        entries.push({ name, type, size, offset, content });
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
    for (const extra of [...extras].sort((a, b) => byText(a.name, b.name)))
        add(extra.name, 'file', extra.size);
    return { entries, contentAt, size: offset + 2 * block };
}

// EXTERNAL MODULE: ./src/archive/layout-index.ts
var layout_index = __webpack_require__(26019);
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
    leftOut;
    key;
    /** Blobs whose content is in place. */
    written = new Set();
    /** Blobs an earlier run of this archive wrote, found in place and checked by digest. */
    resumedBlobs = 0;
    resumedBytes = 0;
    /** Blobs the blob store kept no new copy of: on the archive's disk, it had room for the archive's bytes alone. */
    skippedCopies = new Set();
    /** The bytes of the copies under way on the archive's disk, which its free bytes do not show yet. */
    copying = 0;
    /** Whether the blob store is on the archive's disk, whose free bytes the archive needs first. */
    storeSharesDisk = false;
    /** The bytes of blobs laid out and not yet in place: what the archive still needs of its disk. */
    unwritten = 0;
    constructor(file, writer, layout, sizes, journal, cache, leftOut) {
        this.file = file;
        this.writer = writer;
        this.layout = layout;
        this.sizes = sizes;
        this.journal = journal;
        this.cache = cache;
        this.leftOut = leftOut;
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
        const extras = contents.extras ?? [];
        const layout = planLayout(contents.blobs, index.length, ociLayout.length, extras.map((extra) => ({ name: extra.name, size: extra.bytes.length })));
        const files = (0,span_names/* spanNames */.x$)(file, layout.size, options.partSize);
        // Nothing where the archive goes that the commit could not replace: found now, not after every blob is fetched.
        await (0,spanned_file/* checkSpanPlaces */.d9)(file, files);
        const free = await (0,store/* freeBytes */.go)(external_node_path_default().dirname(file));
        // What a stopped run's partial files hold on the disk, which this run reuses or frees.
        const kept = await (0,span_names/* partialBytes */.pk)(file);
        if (layout.size > free + kept)
            throw new Error(`${file}: the archive needs ${layout.size} bytes and only ${free} are free on the disk`);
        const writer = await spanned_file/* SpannedWriter */.lL.open(files, layout.size, options.partSize);
        const journalFile = journalName(file);
        let journal;
        try {
            // Anything but a regular file of ours where the journal goes (a link, a folder, a FIFO, a file with
            // another name elsewhere) is no journal: it is removed, never read, followed or appended to.
            const found = await (0,promises_.lstat)(journalFile).catch(() => undefined);
            const ours = found !== undefined && found.isFile() && found.nlink === 1;
            const { digests: journaled, torn } = writer.resumed && ours ? await readJournal(journalFile) : { digests: new Set(), torn: false };
            if (!writer.resumed || (found !== undefined && !ours))
                await (0,promises_.rm)(journalFile, { force: true, recursive: true });
            journal = await (0,promises_.open)(journalFile, external_node_fs_.constants.O_WRONLY | external_node_fs_.constants.O_APPEND | external_node_fs_.constants.O_CREAT | external_node_fs_.constants.O_NOFOLLOW | external_node_fs_.constants.O_NONBLOCK, 0o644);
            // What was opened, not what was looked at: a link made there in between is not written through.
            const opened = await journal.stat();
            if (!opened.isFile() || opened.nlink !== 1)
                throw new Error(`${journalFile}: not a file of this run's own; nothing was written`);
            // A line the stopped run tore is ended, so the next digest is a line of its own.
            if (torn)
                await appendAll(journal, '\n');
            const { cache } = options;
            const archive = new ArchiveFile(file, writer, layout, contents.blobs, journal, cache, contents.leftOut ?? new Set());
            archive.storeSharesDisk = cache !== undefined && (await (0,store/* sameDisk */.U0)(external_node_path_default().dirname(file), cache.dir));
            const writes = [];
            for (const entry of layout.entries) {
                writes.push({ bytes: entryHeader(entry.name, entry.size, entry.type), position: entry.offset });
                // Resumed, the padding after each entry is written too: what an earlier file held there is not carried into this archive.
                const padding = (512 - (entry.size % 512)) % 512;
                if (writer.resumed && padding > 0)
                    writes.push({ bytes: Buffer.alloc(padding), position: entry.content + entry.size });
            }
            const content = (name) => layout.entries.find((entry) => entry.name === name)?.content ?? 0;
            writes.push({ bytes: index, position: content('index.json') }, { bytes: ociLayout, position: content('oci-layout') });
            for (const extra of extras)
                writes.push({ bytes: extra.bytes, position: content(extra.name) });
            // The closing blocks: zeros the earlier run may not have left.
            writes.push({ bytes: Buffer.alloc(1024), position: layout.size - 1024 });
            for (const [digest, bytes] of contents.manifests)
                writes.push({ bytes, position: archive.contentAt({ mediaType: '', digest, size: bytes.length }) });
            writer.layOut(writes);
            for (const digest of contents.manifests.keys())
                archive.written.add(digest);
            for (const digest of journaled)
                await archive.takeResumed(digest);
            for (const [digest, size] of contents.blobs)
                if (!archive.written.has(digest) && !archive.leftOut.has(digest))
                    archive.unwritten += size;
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
        // Hashed a MiB at a time into one hash: a blob of gigabytes costs a MiB of memory.
        const hash = (0,oci_digest/* hashFor */.Og)(digest);
        const chunk = Buffer.allocUnsafe(Math.min(size, 1024 * 1024));
        try {
            for (let done = 0; done < size;) {
                const length = Math.min(chunk.length, size - done);
                hash.update(await this.writer.readAt(length, at + done, chunk));
                done += length;
            }
        }
        catch {
            return; // the file ends early: fetched again
        }
        if ((0,oci_digest/* digestFromHash */.rx)(digest, hash) !== digest)
            return; // not its bytes: fetched again
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
        if (!this.written.has(blob.digest))
            this.unwritten -= blob.size;
        this.written.add(blob.digest);
        await appendAll(this.journal, `${blob.digest}\n`);
    }
    /** Nothing is at the destination before the run: the walk always descends. */
    async resolve() {
        return undefined;
    }
    /** In place already (a manifest, a blob an earlier run wrote), or in the cache's blob store, from which it is copied into place. */
    async hasBlob(blob) {
        if (this.leftOut.has(blob.digest))
            return true;
        const start = this.contentAt(blob);
        if (this.written.has(blob.digest))
            return true;
        if (this.cache === undefined || !(await this.cache.hasBlob(blob)))
            return false;
        await this.writer.drain(this.cache.openBlob(blob), start, blob.size);
        await this.done(blob);
        return true;
    }
    /**
     * Writes a blob into its place as it streams in. Every source verifies what it hands out against its
     * digest (a registry's reads, an archive's, the blob store's), failing the stream before a wrong
     * byte ends it; the archive's part is to write no byte past the blob's place, and nothing else.
     */
    async putBlob(blob, openBlob) {
        const start = this.contentAt(blob);
        // The cache's copy is best effort: a store it cannot write in (a file where its folder goes) loses the copy, never the archive.
        let kept;
        let reserved = 0;
        try {
            // On the archive's disk, a copy is kept only while the disk has room for it besides what the archive
            // still needs and the copies under way will take; its size is reserved at once, with no wait between.
            const free = this.cache !== undefined && this.storeSharesDisk ? await (0,store/* freeBytes */.go)(this.cache.dir) : Infinity;
            if (this.cache !== undefined && free < this.unwritten + this.copying + blob.size)
                this.skippedCopies.add(blob.digest);
            else {
                kept = this.cache?.keeper(blob);
                if (kept !== undefined && this.storeSharesDisk)
                    this.copying += reserved = blob.size;
            }
        }
        catch {
            kept = undefined;
        }
        if (kept === undefined) {
            await this.writer.drain(openBlob(), start, blob.size);
            await this.done(blob);
            return 'uploaded';
        }
        // A failure of the copy (a full disk) loses it too.
        let keeping = true;
        kept.stream.on('error', () => (keeping = false));
        try {
            await this.writer.drain(openBlob(), start, blob.size, kept.stream);
            if (keeping)
                await (0,external_node_stream_promises_.finished)(kept.stream.end()).catch(() => (keeping = false));
            // Putting the copy in its place can fail too (something the store's restore left there).
            await (keeping ? kept.done().catch(() => kept.discard()) : kept.discard());
        }
        catch (error) {
            kept.stream.destroy();
            await kept.discard();
            throw error;
        }
        finally {
            this.copying -= reserved;
        }
        await this.done(blob);
        return 'uploaded';
    }
    /** How many blobs the blob store kept no new copy of, for want of room beside the archive. */
    get storeSkipped() {
        return this.skippedCopies.size;
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
    return `${(0,span_names/* partialName */.t4)(file)}-blobs`;
}
/**
 * A journal's digests; a torn last line (the run was killed while writing it) is no digest and is left
 * out, and said to be there (`torn`), so that it is ended before the next line is appended.
 */
async function readJournal(file) {
    const handle = await (0,promises_.open)(file, external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NOFOLLOW | external_node_fs_.constants.O_NONBLOCK).catch(() => undefined);
    if (handle === undefined)
        return { digests: new Set(), torn: false };
    try {
        const info = await handle.stat();
        // A digest a line, one a blob: past 64 MiB it is no journal of ours.
        if (!info.isFile() || info.size > 64 * 1024 * 1024)
            return { digests: new Set(), torn: false };
        const text = (await handle.readFile()).toString('utf8');
        return { digests: new Set(text.split('\n').filter((line) => (0,oci_digest/* isDigest */.Bc)(line))), torn: text.length > 0 && !text.endsWith('\n') };
    }
    finally {
        await handle.close();
    }
}
/** Text appended whole: a short write (a nearly full disk) goes on from where it stopped. */
async function appendAll(handle, text) {
    const bytes = Buffer.from(text);
    for (let done = 0; done < bytes.length;)
        done += (await handle.write(bytes, done, bytes.length - done)).bytesWritten;
}
/**
 * The first walk's sink: it takes nothing and keeps what the archive will hold, every blob with its
 * size and every manifest's bytes. It says it has every blob, so the walk reads no blob; in a dry
 * run (`holds: false`) it says it has none, so the walk counts what packaging would move.
 */
class ArchivePlanner {
    holds;
    held;
    key;
    blobs = new Map();
    manifests = new Map();
    /** Blobs a delta leaves out, because the site holds them (`held`, by digest with their sizes). */
    leftOut = new Map();
    constructor(file, holds = true, held = new Map()) {
        this.holds = holds;
        this.held = held;
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
        if (this.held.get(blob.digest)?.size === blob.size) {
            this.leftOut.set(blob.digest, blob.size);
            return true;
        }
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
// Before the commit point: nothing where the archive's files go that its commit could not replace.

/**
 * The commit point's part: the complete archive's files renamed into their places, its journal gone. Not
 * synced to disk: a killed run loses nothing the kernel holds, and a machine that fails takes the job with it.
 */
async function commitArchive(file, files) {
    await (0,spanned_file/* commitSpans */.$V)(file, files);
    await (0,promises_.rm)(journalName(file), { force: true });
}


/***/ }),

/***/ 66055:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   U0: () => (/* binding */ sameDisk),
/* harmony export */   go: () => (/* binding */ freeBytes),
/* harmony export */   lb: () => (/* binding */ BlobStore)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(57075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(46466);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_5___default = /*#__PURE__*/__webpack_require__.n(node_stream_promises__WEBPACK_IMPORTED_MODULE_5__);
/* harmony import */ var _oci_digest_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(68825);
// A folder of blobs by digest (`blobs/<algorithm>/<hex>`, as an OCI layout keeps them): the blob store
// the Actions cache keeps between packaging runs. Packaging keeps a copy of each blob in it as the blob
// passes into the archive, and fills an archive from what it already holds.







/** What `read` says of the nearest existing folder on the way up from `dir`. */
async function ofNearestFolder(dir, read) {
    for (let current = dir;; current = node_path__WEBPACK_IMPORTED_MODULE_3___default().dirname(current)) {
        try {
            return await read(current);
        }
        catch (error) {
            if (error.code !== 'ENOENT' || node_path__WEBPACK_IMPORTED_MODULE_3___default().dirname(current) === current)
                throw error;
        }
    }
}
/** Free bytes on the file system holding `dir` (the nearest existing folder on the way). */
async function freeBytes(dir) {
    return ofNearestFolder(dir, async (folder) => {
        const info = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.statfs)(folder);
        return info.bavail * info.bsize;
    });
}
/** The device of the file system holding `dir` (the nearest existing folder on the way). */
async function deviceOf(dir) {
    return ofNearestFolder(dir, async (folder) => (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.stat)(folder)).dev);
}
/** Whether two folders are on one file system, whose free bytes they share. */
async function sameDisk(first, second) {
    return (await deviceOf(first)) === (await deviceOf(second));
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
            // Not a regular file of that size: whatever is there (a folder too) is not ours, and is replaced by the real blob.
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rm)(this.path(blob.digest), { recursive: true, force: true }).catch(() => undefined);
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
            // As much held as a write to the archive gathers: the source waits for this copy as for the archive.
            stream: (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createWriteStream)(temporary, { flags: 'wx', highWaterMark: 256 * 1024 }),
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


/***/ })

};
