export const id = 444;
export const ids = [444];
export const modules = {

/***/ 57444:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   resolve: () => (/* binding */ resolve)
/* harmony export */ });
/* harmony import */ var _reference_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(98286);
/* harmony import */ var _steps_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(89503);
/* harmony import */ var _importer_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(43733);
/* harmony import */ var _resolver_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2724);
// resolve: every image pinned to its digest in place, the name kept as written.




const resolve = {
    async run(context) {
        const { entries, registries, settings } = context;
        const clients = registries();
        const resolveDigest = (0,_resolver_js__WEBPACK_IMPORTED_MODULE_2__/* .digestResolver */ .D)(clients, { checkPinned: true });
        const { results, failures } = await (0,_steps_js__WEBPACK_IMPORTED_MODULE_3__/* .settle */ .G9)(entries, async (entry) => ({ entry, digest: await resolveDigest(entry.source) }), settings);
        const empty = (0,_steps_js__WEBPACK_IMPORTED_MODULE_3__/* .emptyResult */ .$)();
        if (failures.length > 0)
            return (0,_steps_js__WEBPACK_IMPORTED_MODULE_3__/* .stopped */ .ce)(context, failures);
        // A pre-flight gate: what would be pinned must verify.
        const gate = await (0,_importer_js__WEBPACK_IMPORTED_MODULE_1__/* .preflight */ .Mz)(context, results);
        if (gate !== undefined && gate.failures.length > 0)
            return (0,_steps_js__WEBPACK_IMPORTED_MODULE_3__/* .stopped */ .ce)(context, gate.failures, gate.warnings);
        const outcomes = results.map(({ entry, digest }) => {
            const verified = gate?.verified.get(entry.image);
            return {
                image: entry.image,
                digest,
                tag: (0,_reference_js__WEBPACK_IMPORTED_MODULE_0__/* .tagOf */ .cO)(entry.source),
                newImage: (0,_reference_js__WEBPACK_IMPORTED_MODULE_0__/* .pinnedReference */ .ct)(entry.source, digest, settings.keepTags),
                ...(verified === undefined ? {} : { verified }),
            };
        });
        return { result: { ...empty, outcomes, failures: [], warnings: gate?.warnings ?? [] } };
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
