export const id = 378;
export const ids = [378];
export const modules = {

/***/ 38378:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  packageMode: () => (/* binding */ packageMode)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/archive/archive-file.ts + 1 modules
var archive_file = __webpack_require__(19548);
// EXTERNAL MODULE: ./src/archive/delta.ts
var archive_delta = __webpack_require__(84280);
// EXTERNAL MODULE: ./src/archive/span-names.ts
var span_names = __webpack_require__(58677);
// EXTERNAL MODULE: ./src/copy/platforms.ts
var copy_platforms = __webpack_require__(48089);
// EXTERNAL MODULE: ./src/lock.ts
var src_lock = __webpack_require__(19188);
// EXTERNAL MODULE: ./src/manifests/chart-sources.ts
var chart_sources = __webpack_require__(90893);
// EXTERNAL MODULE: ./src/manifests/files.ts
var files = __webpack_require__(53529);
// EXTERNAL MODULE: ./src/manifests/field.ts
var field = __webpack_require__(83462);
// EXTERNAL MODULE: ./src/oci/manifest.ts
var manifest = __webpack_require__(32060);
// EXTERNAL MODULE: ./src/registry/errors.ts
var errors = __webpack_require__(6764);
// EXTERNAL MODULE: ./src/reference.ts
var src_reference = __webpack_require__(98286);
// EXTERNAL MODULE: ./src/untrusted-text.ts
var untrusted_text = __webpack_require__(38521);
// EXTERNAL MODULE: ./src/workspace.ts
var workspace = __webpack_require__(63338);
// EXTERNAL MODULE: ./src/modes/archive-inputs.ts + 5 modules
var archive_inputs = __webpack_require__(45371);
;// CONCATENATED MODULE: ./src/modes/delta-bases.ts
// What the site holds already, from `since`: the blobs of every image of each base archive (read from
// the archive, with the name the site imported it by), and of every image a kbld or imgpkg lock of the
// site names (learned from the source registry, at the repository the lock gives). package leaves those
// blobs out of a delta.













/** A `since` entry that is a lock (kbld's Config, imgpkg's ImagesLock) rather than an archive. */
const isLock = (pattern) => /\.ya?ml$/i.test(pattern);
/**
 * The name a base archive's image was imported by: the name ferry's own archive says (as written, so
 * the site's default-repo strategy makes the same repository of it); for another tool's, its ref name
 * when that names an image, else the name its producer gave it.
 */
function importedName(image) {
    if (image.importedAs !== undefined)
        return image.importedAs;
    if (image.refName !== undefined && /[:/]/.test(image.refName))
        return image.refName;
    return image.sources[0] ?? image.refName;
}
/**
 * The manifests of the image a lock pins, read from the image's source. A run with `platforms` pins a
 * new index it made of the source's (some of its children): the source has no manifest by that digest,
 * so the source's index is filtered again by this run's platforms, and taken only if that makes the very
 * digest the lock pins.
 */
async function lockedImage(source, resolveDigest, image, pinned, platforms, lockName) {
    const read = (digest, mediaType) => source.getManifest(digest, mediaType);
    try {
        await read(pinned);
        return read;
    }
    catch (error) {
        const unknown = error instanceof errors/* RegistryError */.gl && (error.status === 404 || error.codes.includes('MANIFEST_UNKNOWN'));
        if (!unknown)
            throw error;
        const pins = `${lockName} (since) pins ${image} to ${pinned}`;
        if (platforms === undefined)
            throw new Error(`${pins}, which its source does not hold: deleted there since, or an index made for the platforms the site imported (a lock written with platforms is a base only for a run with the same platforms)`, { cause: error });
        const wanted = platforms.map(manifest/* platformText */.VQ).join(', ');
        const now = await resolveDigest(image);
        const index = await read(now);
        let made;
        try {
            made = (await (0,copy_platforms/* filterManifest */.y1)(index, platforms, read)) ?? index;
        }
        catch (filtering) {
            throw new Error(`${pins}, which its source does not hold, and ${image} cannot be filtered for ${wanted}: ${filtering.message}`, {
                cause: filtering,
            });
        }
        if (made.descriptor.digest !== pinned)
            throw new Error(`${pins}, which its source neither holds nor makes: ${image} is ${now} now, which makes ${made.descriptor.digest} for ${wanted}. Its tag moved since the site imported it, or the site imported other platforms; package with the platforms the site imported, or leave the lock out of since`, { cause: error });
        return (digest, mediaType) => (digest === pinned ? Promise.resolve(made) : read(digest, mediaType));
    }
}
/**
 * Finds every base `since` names, inside the boundary, before any registry is asked: a base that is not
 * there fails the run at once, as a missing archive does. They are read later, once the images resolve.
 */
async function findSince(settings) {
    const archives = settings.since.filter((pattern) => !isLock(pattern));
    const locks = settings.since.filter(isLock);
    for (const base of archives.length === 0 ? [] : await (0,archive_inputs/* archiveInputs */.U)(settings, archives, 'since')) {
        // The base this run writes over: its commit would replace what the delta was measured against.
        // A layout folder is written over when the archive goes anywhere in it; a file or parts, when the archive is one of them.
        const over = (base.parts ?? [base.real]).find((file) => base.folder === true ? (0,span_names/* writesInto */.LQ)(settings.archive, file) : (0,span_names/* writesOver */.XE)(settings.archive, file));
        if (over !== undefined)
            throw new workspace/* BoundaryError */.BV('since', `${base.name} (${over}) is written over by this run's archive, ${settings.archive}: a delta goes under another name than its base, which must stay as the site imported it`);
    }
    if (locks.length > 0)
        await (0,files/* inputFiles */.ul)(settings.files, 'since', locks);
}
/** Every blob the bases hold, by digest, with where the site holds it; the first base to hold a blob names it. */
async function heldBySince(context, sourceOf, resolveDigest) {
    const { settings } = context;
    const held = new Map();
    const add = (blob, where) => {
        if (!held.has(blob.digest))
            held.set(blob.digest, { digest: blob.digest, size: blob.size, ...where });
    };
    const archives = settings.since.filter((pattern) => !isLock(pattern));
    for (const { name, archive } of archives.length === 0 ? [] : await (0,archive_inputs/* readArchiveInputs */.y)(context, archives, 'since')) {
        for (const image of archive.images) {
            const imported = importedName(image);
            if (imported === undefined)
                continue;
            // A chart is named at the site as charts are: the record says which it is.
            const top = (0,manifest/* decodeManifest */.MK)(await archive.source.getManifest(image.descriptor.digest, image.descriptor.mediaType));
            const chart = top.kind === 'image' && top.blobs[0]?.mediaType === chart_sources/* chartConfigType */.bl;
            for (const blob of await (0,archive_delta/* blobsOf */.OR)((digest, mediaType) => archive.source.getManifest(digest, mediaType), image.descriptor))
                add(blob, { base: name, image: imported, ...(chart ? { chart } : {}) });
        }
    }
    const locks = settings.since.filter(isLock);
    for (const file of locks.length === 0 ? [] : await (0,files/* inputFiles */.ul)(settings.files, 'since', locks)) {
        const lock = (0,src_lock/* parseLock */.PG)(file.name, settings.files.read('since', file.real, settings.maxManifestBytes).toString('utf8'));
        // Each pinned image once, by the first of the lock's names for it whose source makes it. A name
        // pinned by the very digest it is locked to (a lock's entry for a pinned reference) comes last: under
        // a platform filter, that digest is an index made at the site, which only the tag's source remakes.
        const names = new Map();
        const ownRepository = [];
        for (const [image, newImage] of lock.overrides) {
            const at = lock.at.get(image);
            const where = at === undefined ? file.name : (0,field/* positionText */.J)(at);
            let source;
            try {
                source = (0,src_reference/* parseReference */.F2)(image).name;
            }
            catch (error) {
                if (!(error instanceof src_reference/* InvalidReferenceError */.x_))
                    throw error;
                throw new Error(`${where}: ${(0,untrusted_text/* quoted */.TL)(image)} (since) is not an image reference: ${error.reason}`, { cause: error });
            }
            if ((0,src_reference/* parseReference */.F2)(newImage).name === source)
                ownRepository.push(`${image} (${where})`);
            names.set(newImage, [...(names.get(newImage) ?? []), image]);
        }
        // The lock of a source (what package writes, or relocate without a default repo) says where the
        // source holds an image, not the site: a delta against it is made, and no site can import it.
        if (ownRepository.length > 0)
            context.notice(`${file.name} (since) locks ${ownRepository.length === 1 ? 'an image' : `${ownRepository.length} images`} to its own source repository (${ownRepository[0]}${ownRepository.length > 1 ? ', ...' : ''}): a lock of where the site holds its images is the one its unpackage or relocate wrote, and unpackage refuses a delta whose left-out blobs are anywhere else`);
        for (const [newImage, images] of names) {
            const at = (0,src_reference/* parseReference */.F2)(newImage);
            const pinned = at.digest;
            if (pinned === undefined)
                continue;
            const selfPinned = (image) => Number((0,src_reference/* parseReference */.F2)(image).digest === pinned);
            let read;
            const failures = [];
            for (const image of images.sort((a, b) => selfPinned(a) - selfPinned(b))) {
                try {
                    // The lock says what the site holds; its blobs are learned from the image's source, by that digest.
                    read = await lockedImage(sourceOf(image), resolveDigest, image, pinned, settings.platforms, file.name);
                    break;
                }
                catch (error) {
                    failures.push(error);
                }
            }
            // Every name failed: the first says most (the tag's), the others why they could not stand in (an index deleted at the source).
            if (read === undefined)
                throw failures.length === 1
                    ? failures[0]
                    : new Error(failures.map((failure) => failure.message).join('; and '), { cause: failures[0] });
            for (const blob of await (0,archive_delta/* blobsOf */.OR)(read, (await read(pinned)).descriptor))
                add(blob, { base: file.name, repository: at.name });
        }
    }
    return held;
}

// EXTERNAL MODULE: ./src/format.ts
var format = __webpack_require__(16264);
// EXTERNAL MODULE: ./src/archive/store.ts
var store = __webpack_require__(66055);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
;// CONCATENATED MODULE: ./src/archive/cache.ts
// The packaging blob store, kept between runs with @actions/cache under a key made from the digests
// it holds, so packaging the same release twice pulls its blobs once. Off GitHub there is no cache
// service: that is a notice, never an error.

function cacheKey(digests) {
    const sorted = [...new Set(digests)].sort();
    return `ferry-blobs-${(0,external_node_crypto_.createHash)('sha256').update(sorted.join('\n')).digest('hex')}`;
}
let loading;
/**
 * Where the runner names a cache service (either of the variables @actions/cache needs for one), the
 * client starts loading: it is large (the Azure SDK), and loads while the digests resolve. Where none
 * is named, the service is not there, and the client is never loaded.
 */
function loadCacheClient() {
    if (loading !== undefined || !(process.env.ACTIONS_CACHE_URL || process.env.ACTIONS_RESULTS_URL))
        return;
    loading = Promise.all(/* import() */[__webpack_require__.e(830), __webpack_require__.e(996)]).then(__webpack_require__.bind(__webpack_require__, 68996));
    // A run that stops before it asks for the client leaves nothing waiting on it: a failed load is
    // reported to whoever asks, never as an unhandled rejection.
    loading.catch(() => undefined);
}
/** The cache client, where the service is there; under @github/local-action's stubs the function itself may be missing. */
async function available() {
    loadCacheClient();
    if (loading === undefined)
        return undefined;
    const cache = await loading;
    return typeof cache.isFeatureAvailable === 'function' && cache.isFeatureAvailable() ? cache : undefined;
}
async function restoreBlobs(dir, key) {
    const cache = await available();
    if (cache === undefined)
        return 'unavailable';
    return (await cache.restoreCache([dir], key)) === undefined ? 'missed' : 'restored';
}
async function saveBlobs(dir, key) {
    const cache = await available();
    if (cache === undefined)
        return 'unavailable';
    return (await cache.saveCache([dir], key)) === -1 ? 'not saved' : 'saved';
}

// EXTERNAL MODULE: ./src/copy/walker.ts + 4 modules
var walker = __webpack_require__(98188);
// EXTERNAL MODULE: ./src/result.ts
var src_result = __webpack_require__(51666);
// EXTERNAL MODULE: ./src/modes/importer.ts + 2 modules
var importer = __webpack_require__(43733);
// EXTERNAL MODULE: ./src/modes/steps.ts
var steps = __webpack_require__(89503);
// EXTERNAL MODULE: ./src/modes/resolver.ts
var resolver = __webpack_require__(2724);
;// CONCATENATED MODULE: ./src/modes/package.ts
// package: every image copied whole into one deterministic archive, laid out before the first blob
// arrives and each blob written once, in place; renamed into place at the commit point. The YAML is
// left alone; the lock records the digests.













/**
 * The full pinned form kept in an archive: `registry/repository[:tag]@digest`, the tag the reference
 * means (`latest` for a name without one): what the image answers to at the site besides its ref name.
 */
function pinnedSource(reference, digest) {
    return (0,src_reference/* referenceText */.n5)((0,src_reference/* parseReference */.F2)(reference).name, (0,src_reference/* impliedTag */.RW)(reference), digest);
}
const packageMode = {
    async run(context) {
        const { entries, registries, settings, budget, log, notice, progress, onCleanup } = context;
        if (settings.since.length > 0)
            await findSince(settings);
        if (!settings.dryRun)
            loadCacheClient();
        const clients = registries();
        const sourceOf = (0,importer/* sharedSources */.ih)(clients);
        const resolveDigest = (0,resolver/* readingResolver */.F)(clients, sourceOf);
        const resolved = await (0,steps/* settle */.G9)(entries, async (entry) => {
            const source = sourceOf(entry.source);
            const lookup = resolveDigest(entry.source);
            // The archive is laid out from every manifest and every list of what travels with them: while
            // the other images resolve, this one's are read already (nothing awaited, a failure forgotten:
            // the walk asks again and reports it). Not under a platform filter, whose walk reads only the
            // children it keeps: a registry may count each manifest read as a pull.
            if (settings.platforms === undefined) {
                if (settings.artifacts !== 'none')
                    source.prepareLists(settings.artifacts === 'signatures');
                void lookup.then((digest) => source.warm(digest, settings.artifacts)).catch(() => undefined);
            }
            return [entry, await lookup];
        }, settings);
        const empty = (0,steps/* emptyResult */.$)();
        if (resolved.failures.length > 0)
            return (0,steps/* stopped */.ce)(context, resolved.failures);
        const digests = new Map(resolved.results);
        const gate = await (0,steps/* verifyGate */.VN)(context, entries.map((entry) => ({ entry, source: sourceOf(entry.source).forGate(), digest: digests.get(entry) ?? '' })));
        if (gate !== undefined && gate.failures.length > 0)
            return (0,steps/* stopped */.ce)(context, gate.failures, gate.warnings);
        const storeDir = external_node_path_default().join(settings.tempDir, 'ferry-blobs');
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
        const cache = settings.dryRun || restored === 'unavailable' ? undefined : new store/* BlobStore */.lb(storeDir);
        // The archive keeps an index a platform filter cut, and what travels with it: its signatures verify the copy at the site.
        const copier = new walker/* Copier */.T({
            ...(0,importer/* copierOptions */.NT)({ ...settings, budget, onMoved: (count) => progress.moved(count) }),
            originTravels: true,
        });
        // A delta: the blobs the site holds (since) are left out, and recorded with where the site holds them.
        const held = settings.since.length === 0
            ? new Map()
            : await heldBySince(context, (reference) => sourceOf(reference), resolveDigest);
        const planner = new archive_file.ArchivePlanner(settings.archive, !settings.dryRun, held);
        const outcomeOf = (entry, result) => {
            const verified = gate?.verified.get(entry.image);
            return {
                image: entry.image,
                digest: result.digest,
                tag: (0,src_reference/* tagOf */.cO)(entry.source),
                newImage: (0,src_reference/* pinnedReference */.ct)(entry.source, result.digest, settings.keepTags),
                copy: (0,src_result/* copySummary */.GU)(result, 'archive'),
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
        const planned = await (0,steps/* settle */.G9)(entries, walk(planner, settings.dryRun), {
            ...settings,
            progress: settings.dryRun ? progress : undefined,
        });
        if (planned.failures.length > 0)
            return (0,steps/* stopped */.ce)(context, planned.failures, gate?.warnings);
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
                ...(entry.source === entry.image ? {} : { name: entry.source }),
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
        const leftOut = [...planner.leftOut.keys()].map((digest) => held.get(digest));
        const delta = settings.since.length === 0 ? undefined : { since: [...new Set(leftOut.map((blob) => blob.base))], blobs: leftOut };
        if (delta !== undefined) {
            const bytesLeftOut = leftOut.reduce((sum, blob) => sum + blob.size, 0);
            log(`${settings.archive}: a delta against ${settings.since.join(', ')}: ${(0,format/* plural */.L)(leftOut.length, 'blob')} (${(0,format/* bytes */.e)(bytesLeftOut)}) left out, which the site holds`);
        }
        let filled = planned;
        let archive;
        if (!settings.dryRun) {
            archive = await archive_file.ArchiveFile.create(settings.archive, {
                blobs: planner.blobs,
                manifests: planner.manifests,
                images: archived,
                artifacts,
                ...(delta === undefined
                    ? {}
                    : { leftOut: new Set(planner.leftOut.keys()), extras: [{ name: archive_delta/* deltaFile */.RV, bytes: (0,archive_delta/* deltaBytes */.sz)(delta) }] }),
            }, {
                ...(cache === undefined ? {} : { cache }),
                ...(settings.archivePartSize === undefined ? {} : { partSize: settings.archivePartSize }),
            });
            const laidOut = archive;
            // Closed, never removed: what a stopped run wrote is there for the next run of this archive to resume.
            onCleanup(() => laidOut.close());
            if (archive.resumedBlobs > 0)
                log(`${settings.archive}: resumed: ${(0,format/* plural */.L)(archive.resumedBlobs, 'blob')} (${(0,format/* bytes */.e)(archive.resumedBytes)}) an earlier run wrote are in place, each checked against its digest`);
            filled = await (0,steps/* settle */.G9)(entries, walk(archive, true), { ...settings, progress });
            if (archive.storeSkipped > 0)
                log(`${settings.archive}: the blob store kept no new copy of ${(0,format/* plural */.L)(archive.storeSkipped, 'blob')}: the disk it shares with the archive had room for the archive alone`);
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
                            ...(delta === undefined
                                ? {}
                                : { delta: { since: delta.since, blobs: leftOut.length, bytes: leftOut.reduce((sum, blob) => sum + blob.size, 0) } }),
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
/* harmony export */   D: () => (/* binding */ digestResolver),
/* harmony export */   F: () => (/* binding */ readingResolver)
/* harmony export */ });
/* harmony import */ var _oci_repository_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(40405);
/* harmony import */ var _reference_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(98286);
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
            const lookUp = () => client.resolve(parsed.repository, parsed.digest ?? parsed.tag ?? 'latest').then((found) => found.digest);
            // Docker Hub counts a manifest GET against its pull limit and a HEAD not: a re-run, whose
            // images are all at the destination, must not spend the limit, so there a tag is HEADed.
            pending =
                options.readTag === undefined || parsed.digest !== undefined || parsed.registry === _oci_repository_js__WEBPACK_IMPORTED_MODULE_1__/* .dockerHub */ .UD
                    ? lookUp()
                    : options.readTag(reference).then((digest) => digest ?? lookUp());
            cache.set(key, pending);
        }
        return pending;
    };
}
/**
 * For a mode whose copy reads each image next from `sourceOf` (relocate, package): a tag resolved by
 * reading its manifest there, which the copy then takes as its read of that digest.
 */
function readingResolver(registries, sourceOf) {
    return digestResolver(registries, {
        checkPinned: false,
        readTag: (reference) => sourceOf(reference).resolveTag((0,_reference_js__WEBPACK_IMPORTED_MODULE_0__/* .parseReference */ .F2)(reference).tag ?? 'latest'),
    });
}


/***/ })

};
