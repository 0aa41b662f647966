export const id = 532;
export const ids = [532];
export const modules = {

/***/ 75532:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   cacheKey: () => (/* binding */ cacheKey),
/* harmony export */   restoreBlobs: () => (/* binding */ restoreBlobs),
/* harmony export */   saveBlobs: () => (/* binding */ saveBlobs)
/* harmony export */ });
/* harmony import */ var _actions_cache__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(68996);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_1__);
// The packaging blob store, kept between runs with @actions/cache under a key made from the digests
// it holds, so packaging the same release twice pulls its blobs once. Off GitHub there is no cache
// service: that is a notice, never an error.


function cacheKey(digests) {
    const sorted = [...new Set(digests)].sort();
    return `ferry-blobs-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_1__.createHash)('sha256').update(sorted.join('\n')).digest('hex')}`;
}
/** Off GitHub there is no cache service; under @github/local-action's stubs the function itself may be missing. */
function available() {
    return typeof _actions_cache__WEBPACK_IMPORTED_MODULE_0__/* .isFeatureAvailable */ .w3 === 'function' && _actions_cache__WEBPACK_IMPORTED_MODULE_0__/* .isFeatureAvailable */ .w3();
}
async function restoreBlobs(dir, key) {
    if (!available())
        return 'unavailable';
    return (await _actions_cache__WEBPACK_IMPORTED_MODULE_0__/* .restoreCache */ .P3([dir], key)) === undefined ? 'missed' : 'restored';
}
async function saveBlobs(dir, key) {
    if (!available())
        return 'unavailable';
    return (await _actions_cache__WEBPACK_IMPORTED_MODULE_0__/* .saveCache */ .Io([dir], key)) === -1 ? 'not saved' : 'saved';
}


/***/ })

};
