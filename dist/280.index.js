export const id = 280;
export const ids = [280];
export const modules = {

/***/ 16280:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   packageMode: () => (/* binding */ packageMode)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _archive_archive_file_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(19548);
/* harmony import */ var _archive_store_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(66055);
/* harmony import */ var _reference_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(98286);
/* harmony import */ var _copy_walker_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(37484);
/* harmony import */ var _result_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(51666);
/* harmony import */ var _importer_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(1905);
/* harmony import */ var _mode_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(93805);
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
        const { cacheKey, restoreBlobs, saveBlobs } = await Promise.all(/* import() */[__webpack_require__.e(830), __webpack_require__.e(996), __webpack_require__.e(532)]).then(__webpack_require__.bind(__webpack_require__, 75532));
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
/* harmony import */ var p_limit__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(70370);
/* harmony import */ var _reference_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(98286);
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


/***/ }),

/***/ 70370:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  A: () => (/* binding */ pLimit)
});

// UNUSED EXPORTS: limitFunction

;// CONCATENATED MODULE: ./node_modules/yocto-queue/index.js
/*
How it works:
`this.#head` is an instance of `Node` which keeps track of its current value and nests another instance of `Node` that keeps the value that comes after it. When a value is provided to `.enqueue()`, the code needs to iterate through `this.#head`, going deeper and deeper to find the last value. However, iterating through every single item is slow. This problem is solved by saving a reference to the last value as `this.#tail` so that it can reference it to add a new value.
*/

class Node {
	value;
	next;

	constructor(value) {
		this.value = value;
	}
}

class Queue {
	#head;
	#tail;
	#size;

	constructor() {
		this.clear();
	}

	enqueue(value) {
		const node = new Node(value);

		if (this.#head) {
			this.#tail.next = node;
			this.#tail = node;
		} else {
			this.#head = node;
			this.#tail = node;
		}

		this.#size++;
	}

	dequeue() {
		const current = this.#head;
		if (!current) {
			return;
		}

		this.#head = this.#head.next;
		this.#size--;

		// Clean up tail reference when queue becomes empty
		if (!this.#head) {
			this.#tail = undefined;
		}

		return current.value;
	}

	peek() {
		if (!this.#head) {
			return;
		}

		return this.#head.value;

		// TODO: Node.js 18.
		// return this.#head?.value;
	}

	clear() {
		this.#head = undefined;
		this.#tail = undefined;
		this.#size = 0;
	}

	get size() {
		return this.#size;
	}

	* [Symbol.iterator]() {
		let current = this.#head;

		while (current) {
			yield current.value;
			current = current.next;
		}
	}

	* drain() {
		while (this.#head) {
			yield this.dequeue();
		}
	}
}

;// CONCATENATED MODULE: ./node_modules/p-limit/index.js


function pLimit(concurrency) {
	let rejectOnClear = false;

	if (typeof concurrency === 'object') {
		({concurrency, rejectOnClear = false} = concurrency);
	}

	validateConcurrency(concurrency);

	if (typeof rejectOnClear !== 'boolean') {
		throw new TypeError('Expected `rejectOnClear` to be a boolean');
	}

	const queue = new Queue();
	let activeCount = 0;

	const resumeNext = () => {
		// Process the next queued function if we're under the concurrency limit
		if (activeCount < concurrency && queue.size > 0) {
			activeCount++;
			queue.dequeue().run();
		}
	};

	const next = () => {
		activeCount--;
		resumeNext();
	};

	const run = async (function_, resolve, arguments_) => {
		// Execute the function and capture the result promise
		const result = (async () => function_(...arguments_))();

		// Resolve immediately with the promise (don't wait for completion)
		resolve(result);

		// Wait for the function to complete (success or failure)
		// We catch errors here to prevent unhandled rejections,
		// but the original promise rejection is preserved for the caller
		try {
			await result;
		} catch {}

		// Decrement active count and process next queued function
		next();
	};

	const enqueue = (function_, resolve, reject, arguments_) => {
		const queueItem = {reject};

		// Queue the internal resolve function instead of the run function
		// to preserve the asynchronous execution context.
		new Promise(internalResolve => { // eslint-disable-line promise/param-names
			queueItem.run = internalResolve;
			queue.enqueue(queueItem);
		}).then(run.bind(undefined, function_, resolve, arguments_)); // eslint-disable-line promise/prefer-await-to-then

		// Start processing immediately if we haven't reached the concurrency limit
		if (activeCount < concurrency) {
			resumeNext();
		}
	};

	const generator = (function_, ...arguments_) => new Promise((resolve, reject) => {
		enqueue(function_, resolve, reject, arguments_);
	});

	Object.defineProperties(generator, {
		activeCount: {
			get: () => activeCount,
		},
		pendingCount: {
			get: () => queue.size,
		},
		clearQueue: {
			value() {
				if (!rejectOnClear) {
					queue.clear();
					return;
				}

				const abortError = AbortSignal.abort().reason;

				while (queue.size > 0) {
					queue.dequeue().reject(abortError);
				}
			},
		},
		concurrency: {
			get: () => concurrency,

			set(newConcurrency) {
				validateConcurrency(newConcurrency);
				concurrency = newConcurrency;

				queueMicrotask(() => {
					// eslint-disable-next-line no-unmodified-loop-condition
					while (activeCount < concurrency && queue.size > 0) {
						resumeNext();
					}
				});
			},
		},
		map: {
			async value(iterable, function_) {
				const promises = [];

				try {
					Array.from(iterable, (value, index) => {
						const promise = generator(function_, value, index);
						promises.push(promise);
						return promise;
					});
				} catch (error) {
					// The iterable threw, so `Promise.all` never observes the already scheduled promises. Observe them here to avoid unhandled rejections.
					for (const promise of promises) {
						promise.catch(() => {}); // eslint-disable-line promise/prefer-await-to-then
					}

					throw error;
				}

				return Promise.all(promises);
			},
		},
	});

	return generator;
}

function limitFunction(function_, options) {
	const limit = pLimit(options);

	const limitedFunction = (...arguments_) => limit(() => function_(...arguments_));
	Object.defineProperty(limitedFunction, 'clearQueue', {
		value: limit.clearQueue,
	});

	return limitedFunction;
}

function validateConcurrency(concurrency) {
	if (!((Number.isInteger(concurrency) || concurrency === Number.POSITIVE_INFINITY) && concurrency > 0)) {
		throw new TypeError('Expected `concurrency` to be a number from 1 and up');
	}
}


/***/ })

};
