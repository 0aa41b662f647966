export const id = 652;
export const ids = [652];
export const modules = {

/***/ 9271:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   rewrite: () => (/* binding */ rewrite)
/* harmony export */ });
/* harmony import */ var _reference_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8286);
/* harmony import */ var _steps_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9503);
// rewrite: names only, no network. Every image gets the name the default-repo strategy (or the single
// repository) gives it, tag and digest as they were.


const rewrite = {
    async run(context) {
        const outcomes = context.entries.map((entry) => ({ image: entry.image, newImage: entry.newImage, tag: (0,_reference_js__WEBPACK_IMPORTED_MODULE_0__/* .tagOf */ .cO)(entry.newImage) }));
        return { result: { ...(0,_steps_js__WEBPACK_IMPORTED_MODULE_1__/* .emptyResult */ .$)(context), outcomes } };
    },
};


/***/ })

};
