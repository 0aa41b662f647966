export const id = 652;
export const ids = [652];
export const modules = {

/***/ 41652:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   rewrite: () => (/* binding */ rewrite)
/* harmony export */ });
/* harmony import */ var _reference_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(98286);
/* harmony import */ var _steps_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(89503);
// rewrite: names only, no network. Every image gets the name the default-repo strategy (or the single
// repository) gives it, tag and digest as they were.


const rewrite = {
    async run(context) {
        const outcomes = context.entries.map((entry) => ({ image: entry.image, newImage: entry.newImage, tag: (0,_reference_js__WEBPACK_IMPORTED_MODULE_0__/* .tagOf */ .cO)(entry.newImage) }));
        return { result: { ...(0,_steps_js__WEBPACK_IMPORTED_MODULE_1__/* .emptyResult */ .$)(), outcomes } };
    },
};


/***/ }),

/***/ 89503:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $: () => (/* binding */ emptyResult),
/* harmony export */   G9: () => (/* binding */ settle),
/* harmony export */   VN: () => (/* binding */ verifyGate),
/* harmony export */   ce: () => (/* binding */ stopped)
/* harmony export */ });
/* unused harmony export imagesPerRequestSlot */
/* harmony import */ var _verify_verification_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73934);

/** A result with nothing in it yet. */
function emptyResult() {
    return { outcomes: [], failures: [], tags: [], extraLock: [] };
}
/** A mode stopped before its first write: the failures (and what the gate warned of), nothing to commit. */
function stopped(context, failures, warnings = []) {
    return { result: { ...emptyResult(), failures, ...(warnings.length === 0 ? {} : { warnings }) } };
}
/**
 * Images under way at once, per request slot (`concurrency`): enough to keep every slot busy while an
 * image waits on its own chain of round trips, and few enough that what an image's work allocates is
 * still young when the work ends. Starting a catalogue's every image at once kept each one's promises
 * alive across collections, so they aged into the old generation and died there, and the heap grew to
 * several times what the run holds. (What an image starts without awaiting, relocate's look-ahead, is
 * bounded by the registries' limiters alone.)
 */
const imagesPerRequestSlot = 8;
/**
 * Runs `work` for every entry (or item holding one), a bounded number at once and in order, collecting
 * each result or failure in the items' order (one image failing does not stop the others).
 */
async function settle(items, work, options) {
    const settled = new Array(items.length);
    let next = 0;
    // Each lane takes the next item when its last one ends (a pool: nothing is made for an item before it starts).
    const lane = async () => {
        while (next < items.length) {
            const at = next++;
            try {
                const value = await work(items[at]);
                settled[at] = { status: 'fulfilled', value };
                options.onResult?.(value);
            }
            catch (reason) {
                settled[at] = { status: 'rejected', reason };
            }
            options.progress?.imageDone();
        }
    };
    const lanes = Math.min(items.length, Math.max(1, options.concurrency * imagesPerRequestSlot));
    await Promise.all(Array.from({ length: lanes }, lane));
    const results = [];
    const failures = [];
    settled.forEach((outcome, index) => {
        const item = items[index];
        const image = 'entry' in item ? item.entry.image : item.image;
        if (outcome.status === 'fulfilled')
            results.push(outcome.value);
        else
            failures.push({
                image,
                message: `${image}: ${outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason)}`,
            });
    });
    return { results, failures };
}
/**
 * The verify gate, when the run verifies (input verify): every target checked before the mode's first
 * write. The Sigstore libraries load here, only for runs that verify.
 */
async function verifyGate(context, targets) {
    const { settings } = context;
    if (settings.verify === undefined || targets.length === 0)
        return undefined;
    const { verifyImages } = await Promise.all(/* import() */[__webpack_require__.e(128), __webpack_require__.e(860), __webpack_require__.e(605)]).then(__webpack_require__.bind(__webpack_require__, 59605));
    const gate = await verifyImages(settings.verify, targets, {
        concurrency: settings.concurrency,
        // A signature check needs only `.sig` tags and referrers; what the copy lists anyway is listed once.
        signaturesOnly: settings.verify.kind === 'signature' && settings.artifacts !== 'all',
        tufCache: `${settings.tempDir}/ferry-sigstore-tuf`,
        budget: context.budget,
        ...(settings.platforms === undefined ? {} : { platforms: settings.platforms }),
    });
    const logged = new Set();
    for (const target of targets) {
        const verification = gate.verified.get(target.entry.image);
        if (verification === undefined || logged.has(target.entry.image))
            continue;
        logged.add(target.entry.image);
        context.log(`${target.entry.image}: ${target.digest} verified, ${(0,_verify_verification_js__WEBPACK_IMPORTED_MODULE_0__/* .verificationText */ .n)(verification)}`);
    }
    return gate;
}


/***/ })

};
