export const id = 413;
export const ids = [413];
export const modules = {

/***/ 72413:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   relocate: () => (/* binding */ relocate)
/* harmony export */ });
/* harmony import */ var _importer_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(43733);
/* harmony import */ var _steps_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(89503);
/* harmony import */ var _resolver_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2724);
// relocate: every image copied whole from its source registry to its destination name, pinned there.
// Every digest is resolved first, then (when the run verifies) every image checked, then (with
// `platforms`) every image found to have them, and only then is anything copied: an image that fails
// any step stops the run with nothing pushed.



const relocate = {
    async run(context) {
        const { entries, registries, settings, budget, progress } = context;
        const clients = registries();
        const empty = (0,_steps_js__WEBPACK_IMPORTED_MODULE_2__/* .emptyResult */ .$)();
        const sourceOf = (0,_importer_js__WEBPACK_IMPORTED_MODULE_0__/* .sharedSources */ .ih)(clients);
        const resolveDigest = (0,_resolver_js__WEBPACK_IMPORTED_MODULE_1__/* .readingResolver */ .F)(clients, sourceOf);
        const importer = (0,_importer_js__WEBPACK_IMPORTED_MODULE_0__/* .importerFor */ .UE)(clients, settings, budget, (count) => progress.moved(count));
        const resolved = await (0,_steps_js__WEBPACK_IMPORTED_MODULE_2__/* .settle */ .G9)(entries, async (entry) => {
            const source = sourceOf(entry.source);
            // A pinned source needs no lookup: the copy reads it by digest, or finds it at the destination.
            const lookup = resolveDigest(entry.source);
            // Beside the lookup and while the other images resolve, the first questions of this one's copy
            // are asked already (not in a dry run, whose sink answers differently).
            if (!settings.dryRun)
                importer.lookAhead(entry, source, lookup);
            return { entry, source, digest: await lookup };
        }, settings);
        if (resolved.failures.length > 0)
            return (0,_steps_js__WEBPACK_IMPORTED_MODULE_2__/* .stopped */ .ce)(context, resolved.failures);
        const gate = await (0,_steps_js__WEBPACK_IMPORTED_MODULE_2__/* .verifyGate */ .VN)(context, resolved.results.map(({ entry, source, digest }) => ({ entry, digest, source: source.forGate() })));
        if (gate !== undefined && gate.failures.length > 0)
            return (0,_steps_js__WEBPACK_IMPORTED_MODULE_2__/* .stopped */ .ce)(context, gate.failures, gate.warnings);
        // Every image has the platforms asked for, before the first push: a set that cannot be copied whole is not copied in part.
        const lacking = await (0,_steps_js__WEBPACK_IMPORTED_MODULE_2__/* .settle */ .G9)(resolved.results, ({ source, digest }) => importer.checkPlatforms(source, digest), settings);
        if (lacking.failures.length > 0)
            return (0,_steps_js__WEBPACK_IMPORTED_MODULE_2__/* .stopped */ .ce)(context, lacking.failures, gate?.warnings);
        const { results, failures } = await (0,_steps_js__WEBPACK_IMPORTED_MODULE_2__/* .settle */ .G9)(resolved.results, async ({ entry, source, digest }) => {
            const outcome = await importer.import(entry, source, digest);
            const verified = gate?.verified.get(entry.image);
            return verified === undefined ? outcome : { ...outcome, verified };
        }, { ...settings, progress, onResult: context.onImage });
        return {
            result: { ...empty, outcomes: results, failures, tags: [...importer.tags.values()], warnings: gate?.warnings ?? [] },
            tagger: importer.tagger,
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
