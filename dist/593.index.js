export const id = 593;
export const ids = [593];
export const modules = {

/***/ 4593:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   r: () => (/* binding */ maxManifestBytes)
/* harmony export */ });
// How large a manifest may be, wherever it is read from (a registry, an archive, the blob store):
// distribution refuses manifests over 4 MiB, and so does ferry, before reading further.
const maxManifestBytes = 4 * 1024 * 1024;


/***/ })

};
