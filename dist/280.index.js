export const id = 280;
export const ids = [280];
export const modules = {

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
/* harmony import */ var _copy_walker_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7484);
/* harmony import */ var _result_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(1666);
/* harmony import */ var _importer_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(1905);
/* harmony import */ var _mode_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(3805);
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
    keepsNames: true,
    pins: true,
    needsImages: true,
    async run(context) {
        const { entries, registries, settings, budget, log, notice, progress, onCleanup } = context;
        const clients = registries();
        const digestOf = (0,_resolver_js__WEBPACK_IMPORTED_MODULE_7__/* .digestResolver */ .D)(clients, settings.concurrency);
        const resolved = await (0,_mode_js__WEBPACK_IMPORTED_MODULE_6__/* .settle */ .G9)(entries, async (entry) => [entry, (0,_reference_js__WEBPACK_IMPORTED_MODULE_3__/* .parseReference */ .F2)(entry.source).digest ?? (await digestOf(entry.source))]);
        const empty = { outcomes: [], tags: [], edit: false, extraLock: [] };
        if (resolved.failures.length > 0)
            return { result: { ...empty, failures: resolved.failures } };
        const digests = new Map(resolved.results);
        const sourceOf = (0,_importer_js__WEBPACK_IMPORTED_MODULE_5__/* .sharedSources */ .ih)(clients);
        const gate = await (0,_mode_js__WEBPACK_IMPORTED_MODULE_6__/* .verifyGate */ .VN)(context, entries.map((entry) => ({ entry, source: sourceOf(entry.source).forGate(), digest: digests.get(entry) ?? '' })));
        if (gate !== undefined && gate.failures.length > 0)
            return { result: { ...empty, failures: gate.failures, warnings: gate.warnings } };
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
        const walk = (sink) => {
            const copies = new Map();
            return (entry) => {
                const digest = digests.get(entry) ?? '';
                let copy = copies.get(digest);
                if (copy === undefined) {
                    copy = copier.copy({ source: sourceOf(entry.source), sink, digest });
                    copies.set(digest, copy);
                }
                return copy;
            };
        };
        const planned = await (0,_mode_js__WEBPACK_IMPORTED_MODULE_6__/* .settle */ .G9)(entries, walk(planner), settings.dryRun ? progress : undefined);
        if (planned.failures.length > 0)
            return { result: { ...empty, failures: planned.failures, warnings: gate?.warnings ?? [] } };
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
            filled = await (0,_mode_js__WEBPACK_IMPORTED_MODULE_6__/* .settle */ .G9)(entries, walk(archive), progress);
            const missing = archive.missing();
            if (filled.failures.length === 0 && missing.length > 0)
                throw new Error(`${settings.archive}: ${missing.length} blobs laid out were not written (${missing.slice(0, 3).join(', ')})`);
        }
        const outcomes = filled.results.map((result, at) => {
            const entry = entries[at];
            const verified = gate?.verified.get(entry.image);
            return {
                image: entry.image,
                digest: result.digest,
                tag: (0,_reference_js__WEBPACK_IMPORTED_MODULE_3__/* .tagOf */ .cO)(entry.source),
                newImage: (0,_reference_js__WEBPACK_IMPORTED_MODULE_3__/* .pinnedReference */ .ct)(entry.source, result.digest, settings.keepTags),
                copy: (0,_result_js__WEBPACK_IMPORTED_MODULE_8__/* .copySummary */ .GU)(result, 'archive'),
                ...(verified === undefined ? {} : { verified }),
            };
        });
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
/* harmony import */ var p_limit__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(370);
/* harmony import */ var _reference_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8286);
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
