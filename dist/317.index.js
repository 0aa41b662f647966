export const id = 317;
export const ids = [317];
export const modules = {

/***/ 12317:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   plan: () => (/* binding */ plan)
/* harmony export */ });
/* harmony import */ var _oci_manifest_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(32060);
/* harmony import */ var _oci_repository_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(40405);
/* harmony import */ var _reference_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(98286);
/* harmony import */ var _oci_media_types_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(29217);
/* harmony import */ var _shards_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(40054);
/* harmony import */ var _steps_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(89503);
/* harmony import */ var _importer_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(43733);
/* harmony import */ var _resolver_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2724);








/** Every blob of an image by digest (child manifests, configs, layers; not foreign layers), with its size. */
async function measure(client, repository, digest, maxBlobBytes, budget) {
    const blobs = new Map();
    const visit = async (reference, depth) => {
        if (depth > 8)
            throw new Error(`manifest ${reference}: indexes nested more than 8 deep`);
        budget.take(new _oci_repository_js__WEBPACK_IMPORTED_MODULE_5__/* .Repository */ .LN(client.registry, repository).withDigest(reference));
        const manifest = await client.getManifest(repository, reference);
        blobs.set(manifest.descriptor.digest, manifest.descriptor.size);
        // The walk's own reading of a manifest: what relocation will copy is what is measured.
        const decoded = (0,_oci_manifest_js__WEBPACK_IMPORTED_MODULE_0__/* .decodeManifest */ .MK)(manifest, maxBlobBytes);
        for (const child of decoded.children)
            if (!blobs.has(child.digest))
                await visit(child.digest, depth + 1);
        for (const blob of decoded.blobs)
            if (!_oci_media_types_js__WEBPACK_IMPORTED_MODULE_2__/* .foreignLayerTypes */ .b1.test(blob.mediaType))
                blobs.set(blob.digest, blob.size);
    };
    await visit(digest, 0);
    return blobs;
}
const plan = {
    async run(context) {
        const { entries, registries, settings, budget } = context;
        const clients = registries();
        const resolveDigest = (0,_resolver_js__WEBPACK_IMPORTED_MODULE_4__/* .digestResolver */ .D)(clients, { checkPinned: false });
        const { results, failures } = await (0,_steps_js__WEBPACK_IMPORTED_MODULE_6__/* .settle */ .G9)(entries, async (entry) => {
            const parsed = (0,_reference_js__WEBPACK_IMPORTED_MODULE_1__/* .parseReference */ .F2)(entry.source);
            const digest = await resolveDigest(entry.source);
            const blobs = await measure(clients.reader(parsed.registry), parsed.repository, digest, settings.maxBlobBytes, budget);
            return { entry, source: (0,_reference_js__WEBPACK_IMPORTED_MODULE_1__/* .pinnedReference */ .ct)(entry.source, digest, true), digest, blobs };
        }, settings);
        const empty = (0,_steps_js__WEBPACK_IMPORTED_MODULE_6__/* .emptyResult */ .$)();
        if (failures.length > 0)
            return (0,_steps_js__WEBPACK_IMPORTED_MODULE_6__/* .stopped */ .ce)(context, failures);
        // A pre-flight gate: the plan pins only what verifies.
        const gate = await (0,_importer_js__WEBPACK_IMPORTED_MODULE_3__/* .preflight */ .Mz)(context, results);
        if (gate !== undefined && gate.failures.length > 0)
            return (0,_steps_js__WEBPACK_IMPORTED_MODULE_6__/* .stopped */ .ce)(context, gate.failures, gate.warnings);
        const planned = (0,_shards_js__WEBPACK_IMPORTED_MODULE_7__/* .balance */ .nU)(results, settings.shards ?? (0,_shards_js__WEBPACK_IMPORTED_MODULE_7__/* .shardCount */ .o4)(results, settings.shardBytes));
        const outcomes = planned.images.map((image) => {
            const verified = gate?.verified.get(image.image);
            return {
                image: image.image,
                newImage: image.source,
                tag: (0,_reference_js__WEBPACK_IMPORTED_MODULE_1__/* .parseReference */ .F2)(image.source).tag,
                digest: image.digest,
                shard: image.shard,
                ...(verified === undefined ? {} : { verified }),
            };
        });
        return {
            result: {
                ...empty,
                outcomes,
                failures,
                warnings: gate?.warnings ?? [],
                files: [{ path: settings.planFile, text: `${JSON.stringify(planned, null, 2)}\n` }],
                shards: planned.shards,
                outputs: { plan: settings.planFile, matrix: (0,_shards_js__WEBPACK_IMPORTED_MODULE_7__/* .matrixOf */ .lQ)(planned) },
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
