export const id = 98;
export const ids = [98];
export const modules = {

/***/ 26019:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Kv: () => (/* binding */ subjectAnnotation),
/* harmony export */   hf: () => (/* binding */ nameAnnotation),
/* harmony export */   my: () => (/* binding */ refNameAnnotation),
/* harmony export */   vh: () => (/* binding */ layoutIndex),
/* harmony export */   xi: () => (/* binding */ sourceAnnotation)
/* harmony export */ });
/* harmony import */ var _oci_media_types_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(29217);

const refNameAnnotation = 'org.opencontainers.image.ref.name';
/** The reference an image was packaged from, pinned: `registry/repository[:tag]@digest`. */
const sourceAnnotation = 'io.github.ferry.source';
/**
 * The name a run imports an image by, as written, where it is not the ref name: a lock overrode the
 * YAML's string. A delta against the archive names the image as the site imported it.
 */
const nameAnnotation = 'io.github.ferry.name';
/** The manifest an artifact in the archive belongs to (a referrer's subject, a digest tag's digest). */
const subjectAnnotation = 'io.github.ferry.subject';
const byText = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
function layoutIndex(images, artifacts = []) {
    const byName = new Map(images.map((image) => [image.refName, image]));
    const manifests = [...byName.values()]
        .sort((a, b) => byText(a.refName, b.refName))
        .map(({ descriptor, refName, name, source }) => ({
        mediaType: descriptor.mediaType,
        digest: descriptor.digest,
        size: descriptor.size,
        annotations: { [refNameAnnotation]: refName, ...(name === undefined ? {} : { [nameAnnotation]: name }), [sourceAnnotation]: source },
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

/***/ 16268:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $V: () => (/* binding */ commitSpans),
/* harmony export */   d9: () => (/* binding */ checkSpanPlaces),
/* harmony export */   lL: () => (/* binding */ SpannedWriter),
/* harmony export */   t8: () => (/* binding */ openParts)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(57075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _workspace_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(63338);
/* harmony import */ var _span_names_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(58677);
// One archive's bytes, in one file or in parts of at most a given size (`images.tar.001`, `.002`, ...,
// whose concatenation in name order is the archive), written at any offset and read back at any
// offset as if they were one file. While an archive is written its files are hidden partial files
// beside their places (`.images.tar.001.partial`), named the same by every run that writes that
// archive, so a run that was stopped leaves what it wrote for the next one to resume.





/** What a writable gathers before it writes, and holds at most besides: a few reads of a registry's body. */
const writeBatchBytes = 256 * 1024;
/** The lengths of the `count` files `size` bytes go in: `partSize` each but the last. */
function spanLengths(count, size, partSize) {
    const length = partSize ?? size;
    return Array.from({ length: count }, (_, at) => Math.min(length, size - at * length));
}
/** The files, one after another, each as long as `lengths` says. */
function layOut(handles, names, lengths) {
    let start = 0;
    return handles.map((handle, at) => {
        const span = { handle, name: names[at] ?? '', start, length: lengths[at] ?? 0 };
        start += span.length;
        return span;
    });
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
/** A failed read or write of a partial file, naming it and the offset (a full disk says only ENOSPC). */
function fileError(span, doing, at, error) {
    return new Error(`${span.name}: ${doing} at ${at}: ${error.message}`, { cause: error });
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
        const partials = files.map(_span_names_js__WEBPACK_IMPORTED_MODULE_4__/* .partialName */ .t4);
        const sizes = spanLengths(files.length, size, partSize);
        // Partial files of this archive in another layout (parts of another size, or none) are a stopped
        // run's that this one cannot resume: removed, so they neither hold the disk nor stay behind.
        const [first = ''] = files;
        for (const stale of await (0,_span_names_js__WEBPACK_IMPORTED_MODULE_4__/* .partialsAt */ .mn)(partSize === undefined ? first : first.slice(0, -'.001'.length)))
            if (!partials.includes(stale))
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(stale, { force: true, recursive: true });
        // lstat: a link where a partial file goes is not one this run wrote, and is not followed.
        const found = await Promise.all(partials.map((file) => (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.lstat)(file).then((info) => (info.isFile() ? info.size : -1), () => -1)));
        const resumed = found.every((length, at) => length === sizes[at]);
        const handles = [];
        try {
            for (const [at, file] of partials.entries()) {
                // Anything else where a partial file goes is removed first: `wx` then makes a new file, and `r+` never follows a link.
                if (!resumed)
                    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(file, { force: true, recursive: true });
                const handle = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)(file, resumed ? node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_RDWR | node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_NOFOLLOW | node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_NONBLOCK : 'wx');
                // A file with another name too (a hard link) is not written through: it starts afresh, under this name alone.
                const info = resumed ? await handle.stat() : undefined;
                if (info !== undefined && (info.nlink !== 1 || !info.isFile())) {
                    await handle.close();
                    await Promise.all(handles.map((earlier) => earlier.close()));
                    handles.length = 0;
                    for (const partial of partials)
                        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(partial, { force: true, recursive: true });
                    return await SpannedWriter.open(files, size, partSize);
                }
                handles.push(handle);
                if (!resumed)
                    await handle.truncate(sizes[at]);
            }
        }
        catch (error) {
            await Promise.all(handles.map((handle) => handle.close().catch(() => undefined)));
            throw error;
        }
        return new SpannedWriter(files, partials, layOut(handles, partials, sizes), resumed);
    }
    async writeAt(bytes, position) {
        for (const piece of pieces(this.spans, position, bytes.length)) {
            let written = 0;
            while (written < piece.length) {
                const { bytesWritten } = await piece.span.handle
                    .write(bytes, piece.from + written, piece.length - written, piece.at + written)
                    .catch((error) => Promise.reject(fileError(piece.span, 'writing', piece.at + written, error)));
                written += bytesWritten;
            }
        }
    }
    /**
     * Writes each of `writes` in place before returning: the layout, a few hundred headers and manifests
     * of a few hundred bytes each, written before the first blob is asked for. Written synchronously:
     * awaited one by one they took 30-50 ms, each a round trip through libuv's threads, where the bytes
     * take a few; nothing else is under way while an archive is laid out.
     */
    layOut(writes) {
        for (const { bytes, position } of writes)
            for (const piece of pieces(this.spans, position, bytes.length)) {
                let written = 0;
                while (written < piece.length) {
                    const at = piece.at + written;
                    try {
                        written += (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.writeSync)(piece.span.handle.fd, bytes, piece.from + written, piece.length - written, at);
                    }
                    catch (error) {
                        throw fileError(piece.span, 'writing', at, error);
                    }
                }
            }
    }
    /** Chunks written one after another from `position`: in one writev when one part holds them all. */
    async writeAllAt(chunks, length, position) {
        const span = this.spans.find((candidate) => position >= candidate.start && position + length <= candidate.start + candidate.length);
        if (span === undefined || chunks.length === 1) {
            await this.writeAt(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length), position);
            return;
        }
        const { bytesWritten } = await span.handle
            .writev(chunks, position - span.start)
            .catch((error) => Promise.reject(fileError(span, 'writing', position - span.start, error)));
        // A short write (rare on a regular file) writes the rest from where it stopped.
        if (bytesWritten < length)
            await this.writeAt(Buffer.concat(chunks, length).subarray(bytesWritten), position + bytesWritten);
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
    /**
     * Writes what `source` gives from `start` on, across parts, exactly `size` bytes: a source that
     * sends more is refused before the excess is written into the next blob's place, and one that ends
     * short is refused at its end (the rest of the place would keep zeros, or a stopped run's bytes, under
     * the blob's name). Settles once every byte is written; a failure destroys the source.
     * Chunks are gathered until 256 KiB of them are held (or the source ends) and go out in one write: a
     * registry's body arrives in 64 KiB pieces, and a write each costs more than the bytes do. The source
     * waits while a write is under way (two at once were no faster and held 15 MiB more with large
     * layers), so what one blob holds stays well under a small layer and a run of large layers holds no
     * more than one of small layers. The source's chunks are taken as it hands them out, with no writable
     * stream between it and the file: a stage less for every chunk of every blob (docs/performance.md).
     * `copy`, when given, gets every chunk too (the blob store's copy of the blob), and the source waits
     * for it as it does for the file; it is best effort: once it fails or closes it gets nothing more and
     * is no longer waited for, and the file's bytes are written all the same. It is not ended here. A
     * failure settles once no write of the blob is under way, so nothing is written into its place after.
     */
    drain(source, start, size, copy) {
        return new Promise((resolve, reject) => {
            let at = start;
            let held = [];
            let heldBytes = 0;
            let writing = 0;
            let ended = false;
            /** Why the blob failed, once it has: the promise rejects when no write of it is under way any more. */
            let failure;
            let settled = false;
            let copying = copy !== undefined && !copy.destroyed && !copy.writableEnded;
            let copyFull = false;
            const resume = () => {
                if (failure === undefined && !ended && writing === 0 && !copyFull)
                    source.resume();
            };
            // A copy that fails, or closes, gets nothing more and is no longer waited for.
            const dropCopy = () => {
                copying = false;
                copyFull = false;
                resume();
            };
            copy?.on('drain', () => {
                copyFull = false;
                resume();
            });
            copy?.on('error', dropCopy);
            copy?.on('close', dropCopy);
            /** What comes next once a write is done (or none is under way): the failure, more chunks, or the end. */
            const next = () => {
                if (settled)
                    return;
                if (failure === undefined && !ended) {
                    resume();
                    return;
                }
                // A failure, or the end: settled once no write of the blob is under way.
                if (writing > 0)
                    return;
                settled = true;
                if (failure !== undefined)
                    reject(failure);
                else if (at - start !== size)
                    reject(new Error(`${at - start} bytes where ${size} were laid out`));
                else
                    resolve();
            };
            const fail = (error) => {
                if (failure !== undefined || settled)
                    return;
                failure = error;
                source.destroy();
                next();
            };
            const flush = () => {
                const [chunks, length, position] = [held, heldBytes, at];
                held = [];
                heldBytes = 0;
                at += length;
                writing++;
                this.writeAllAt(chunks, length, position).then(() => {
                    writing--;
                    next();
                }, (error) => {
                    writing--;
                    if (failure === undefined)
                        fail(error);
                    else
                        next();
                });
            };
            source.on('data', (chunk) => {
                if (failure !== undefined)
                    return;
                // Bytes alone: a chunk of text would be counted in characters, not in the bytes it writes.
                if (!Buffer.isBuffer(chunk)) {
                    fail(new Error('a blob source gave something other than bytes'));
                    return;
                }
                if (at + heldBytes + chunk.length - start > size) {
                    fail(new Error(`more than the ${size} bytes laid out`));
                    return;
                }
                held.push(chunk);
                heldBytes += chunk.length;
                if (copying) {
                    try {
                        if (!copy.write(chunk))
                            copyFull = copying;
                    }
                    catch {
                        dropCopy();
                    }
                }
                if (heldBytes >= writeBatchBytes)
                    flush();
                if (writing > 0 || copyFull)
                    source.pause();
            });
            (0,node_stream__WEBPACK_IMPORTED_MODULE_2__.finished)(source, (error) => {
                if (error !== undefined && error !== null) {
                    fail(error);
                    return;
                }
                if (failure !== undefined)
                    return;
                ended = true;
                if (heldBytes > 0)
                    flush();
                else
                    next();
            });
        });
    }
    async close() {
        await Promise.all(this.spans.map((span) => span.handle.close().catch(() => undefined)));
    }
}
/**
 * Refuses, before the commit point, anything but a file (or a link, which is replaced as it is) where
 * the archive's files go or where an earlier archive's files would be removed: a folder there would
 * fail the commit after the tags, half the earlier archive gone.
 */
async function checkSpanPlaces(file, files) {
    for (const name of new Set([...(await (0,_span_names_js__WEBPACK_IMPORTED_MODULE_4__/* .spansAt */ .rC)(file)), ...files])) {
        const found = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.lstat)(name).catch(() => undefined);
        if (found !== undefined && !found.isFile() && !found.isSymbolicLink())
            throw new Error(`${name}: a ${(0,_workspace_js__WEBPACK_IMPORTED_MODULE_3__/* .fileKindOf */ .yc)(found)} is where the archive goes; nothing was tagged or written`);
    }
}
/**
 * The commit point's part: each partial file renamed into its place, and the files of an earlier
 * archive at this path that are no longer part of it removed (the single file when this one is in
 * parts, parts past its last), so that what is at the path is this archive and nothing else.
 */
async function commitSpans(file, files) {
    const earlier = await (0,_span_names_js__WEBPACK_IMPORTED_MODULE_4__/* .spansAt */ .rC)(file);
    // A single file replaces the earlier one in one rename. Parts cannot: every file of the earlier archive
    // goes first, and the parts come last to first, so a run stopped half-way leaves no first part (no
    // archive, which a re-run resumes) rather than new parts beside old ones that read as one archive.
    const inParts = files.length > 1 || files[0] !== file;
    await Promise.all(earlier.filter((name) => inParts || !files.includes(name)).map((name) => (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(name, { force: true })));
    for (const name of [...files].reverse())
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rename)((0,_span_names_js__WEBPACK_IMPORTED_MODULE_4__/* .partialName */ .t4)(name), name);
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
        const spans = layOut(handles, parts, sizes);
        const total = sizes.reduce((sum, size) => sum + size, 0);
        return {
            parts: parts.length,
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


/***/ })

};
