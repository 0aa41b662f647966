export const id = 118;
export const ids = [118];
export const modules = {

/***/ 64118:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  unpackage: () => (/* binding */ unpackage)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/archive/delta.ts
var delta = __webpack_require__(84280);
// EXTERNAL MODULE: ./src/copy/platforms.ts
var copy_platforms = __webpack_require__(48089);
// EXTERNAL MODULE: ./src/oci/manifest.ts
var manifest = __webpack_require__(32060);
// EXTERNAL MODULE: ./src/reference.ts
var src_reference = __webpack_require__(98286);
// EXTERNAL MODULE: ./src/archive/layout-read.ts
var layout_read = __webpack_require__(3335);
;// CONCATENATED MODULE: ./src/modes/archive-lookup.ts


/**
 * The archive image an entry names, from the images of `archives`, indexed once for every entry a run
 * looks up (a catalogue's thousands would otherwise each parse every image's names again).
 * - Pinned by digest: the manifests' own word, so only that manifest satisfies it, in whichever archive
 *   it is; failing that, what a platform filter made of it, checked against the pinned index's bytes.
 * - Otherwise by the archive's word: the image whose ref name is the entry's image string, and every
 *   image packaged from (or named) the same repository and tag. A reference without a tag means
 *   `latest`, as a runtime pulls it, and an image packaged from a digest alone has no tag: neither
 *   stands for any tag.
 * Two different images that answer (two spellings of one name, two filtered copies of one index) are
 * ambiguous, and refused: which version a cluster runs is not left to the order of an index or a glob.
 */
function archiveLookup(archives) {
    const all = archives.flatMap((archive) => archive.images.map((image) => ({ archive, image })));
    const position = new Map(all.map((found, at) => [found, at]));
    const byDigest = new Map();
    const byRefName = new Map();
    const byNameAndTag = new Map();
    const add = (map, key, found) => {
        const list = map.get(key);
        if (list === undefined)
            map.set(key, [found]);
        else if (!list.includes(found))
            list.push(found);
    };
    for (const found of all) {
        const { image } = found;
        if (!byDigest.has(image.descriptor.digest))
            byDigest.set(image.descriptor.digest, found);
        // The string the YAML gave, as ferry's own archives keep it. Another tool's ref name is taken as a
        // name only when it names an image (then among the sources too): containerd, nerdctl, buildx and
        // Docker write the tag alone there (`redis` for `registry.example/tools:redis`), which would answer
        // a YAML's `redis`.
        if (image.refName !== undefined && (image.importedAs !== undefined || (0,layout_read/* namesImage */.Gc)(image.refName)))
            add(byRefName, image.refName, found);
        for (const reference of image.sources) {
            const tag = (0,src_reference/* impliedTag */.RW)(reference);
            if (tag !== undefined)
                add(byNameAndTag, `${(0,src_reference/* parseReference */.F2)(reference).name}:${tag}`, found);
        }
    }
    return async (entry, platforms) => {
        const source = (0,src_reference/* parseReference */.F2)(entry.source);
        if (source.digest !== undefined) {
            const pinned = source.digest;
            const exact = byDigest.get(pinned);
            if (exact !== undefined)
                return exact;
            // Copies a platform filter made of it: two different ones (one archive per architecture, say) are
            // ambiguous, or the platforms a cluster gets would follow the order of a glob.
            const derived = [];
            for (const found of all)
                if (await found.archive.satisfies(found.image, pinned, platforms))
                    derived.push(found);
            if (derived.length > 0)
                return onlyOne(derived);
            throw notFound(entry, archives);
        }
        // The image packaged under this very string, and every image packaged from (or named) the same
        // repository and tag however it is spelled, in the archives' order: one image, or refused. Where
        // the lock overrides the string (app:v1 to app:v2), the string names what the YAML said, not what
        // the run imports: only the override's repository and tag answer.
        const byString = entry.source === entry.image ? (byRefName.get(entry.image) ?? []) : [];
        const answering = [...new Set([...byString, ...(byNameAndTag.get(`${source.name}:${(0,src_reference/* impliedTag */.RW)(entry.source)}`) ?? [])])].sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
        if (answering.length > 0)
            return onlyOne(answering);
        throw notFound(entry, archives);
    };
}
/** The one image that answers to a name; several with different digests are refused, naming each and where it is. */
function onlyOne(found) {
    const digests = new Map();
    for (const one of found)
        digests.set(one.image.descriptor.digest, [...(digests.get(one.image.descriptor.digest) ?? []), one]);
    if (digests.size === 1)
        return found[0];
    const each = [...digests].map(([digest, holders]) => `${digest} in ${[...new Set(holders.map(({ archive }) => archive.file))].join(', ')}`);
    throw new Error(`ambiguous: ${digests.size} different images answer to it (${each.join('; ')}); pin the reference by digest, or import one archive`);
}
function notFound(entry, archives) {
    const count = archives.reduce((sum, archive) => sum + archive.images.length, 0);
    const where = `the archive${archives.length === 1 ? '' : 's'} (${count} images there`;
    const pinned = (0,src_reference/* parseReference */.F2)(entry.source).digest !== undefined;
    if (pinned && archives.some((archive) => archive.format === 'docker-archive'))
        return new Error(`not in ${where}): no image there is the pinned digest; a docker-archive (docker save) holds no registry manifest, so its images get new digests on import: pin by tag, or package with ferry`);
    if (pinned)
        return new Error(`not in ${where}): no image there is the pinned digest, nor an index derived from it that the archive lets ferry check; an annotation saying where an image came from is not enough`);
    return new Error(`not in ${where}; package it, or pin the reference by digest)`);
}

// EXTERNAL MODULE: ./src/modes/archive-inputs.ts + 5 modules
var archive_inputs = __webpack_require__(45371);
// EXTERNAL MODULE: ./src/format.ts
var format = __webpack_require__(16264);
// EXTERNAL MODULE: ./src/images.ts + 1 modules
var src_images = __webpack_require__(55985);
// EXTERNAL MODULE: ./node_modules/p-limit/index.js + 1 modules
var p_limit = __webpack_require__(70370);
;// CONCATENATED MODULE: ./src/remote/delta-source.ts

class DeltaSource {
    archive;
    held;
    registries;
    key;
    constructor(archive, held, registries) {
        this.archive = archive;
        this.held = held;
        this.registries = registries;
        this.key = `${archive.key}+delta`;
    }
    getManifest(digest, mediaType) {
        return this.archive.getManifest(digest, mediaType);
    }
    openBlob(blob) {
        const held = this.held.get(blob.digest);
        if (held === undefined)
            return this.archive.openBlob(blob);
        return this.registries.client(held.at.registry).getBlob(held.at.repository, blob.digest, blob.size);
    }
    mountFrom(blob) {
        return this.held.get(blob.digest)?.at;
    }
    referrers(digest, signaturesOnly) {
        return this.archive.referrers(digest, signaturesOnly);
    }
    digestTags(digest, signaturesOnly) {
        return this.archive.digestTags(digest, signaturesOnly);
    }
}
/**
 * The left-out blobs that are not at the repository said to hold them (each asked once, a few at a
 * time), as lines naming the blob, its base and where it was looked for.
 */
async function missingHeld(registries, held, concurrency) {
    const limit = (0,p_limit["default"])(Math.max(1, concurrency));
    const found = await Promise.all([...held].map(([digest, blob]) => limit(async () => {
        const size = await registries.client(blob.at.registry).headBlob(blob.at.repository, digest);
        const where = blob.image === undefined ? blob.base : `${blob.image} in ${blob.base}`;
        return size === blob.size ? undefined : `${digest} (${blob.size} bytes) of ${where} is not in ${blob.at.key}`;
    })));
    return found.filter((line) => line !== undefined).sort();
}

// EXTERNAL MODULE: ./src/modes/importer.ts + 2 modules
var modes_importer = __webpack_require__(43733);
// EXTERNAL MODULE: ./src/modes/steps.ts
var steps = __webpack_require__(89503);
// EXTERNAL MODULE: ./src/charts/read-charts.ts + 2 modules
var read_charts = __webpack_require__(24198);
;// CONCATENATED MODULE: ./src/modes/unpackage.ts
// unpackage: every image imported from an archive into its destination, with no source registry; the
// archive is read and checked whole, in one pass, before any registry is contacted, and each blob is
// pushed from its byte range in the archive.













/**
 * Where the site holds each blob a delta left out: the destination of its base's image (named as this
 * run names images) or the repository a lock gave, which must be where this run imports (one of its
 * destinations, or below its default repo or its one repository). The record is the archive's word: it
 * names no other place. While the charts are read, before their images are among the destinations, a
 * blob recorded elsewhere is `left` out of the map (a chart that needs it then lacks it) rather than
 * refused: the check of every blob once the destinations are known refuses it, naming it.
 */
function heldBlobs(context, entries, archive, outside = 'refuse') {
    const { settings } = context;
    const destinations = new Set(entries.map((entry) => (0,src_reference/* repositoryOf */._M)(entry.newImage).key));
    // Its one repository, or anywhere below its default repo.
    const one = settings.repository !== '' ? (0,src_reference/* repositoryOf */._M)(settings.repository).key : undefined;
    const scope = one ?? (settings.defaultRepo !== '' ? below(settings.defaultRepo) : undefined);
    const allowed = (at) => destinations.has(at.key) || (scope !== undefined && (at.key === scope || (one === undefined && at.key.startsWith(`${scope}/`))));
    const held = new Map();
    for (const blob of archive.delta?.blobs ?? []) {
        const name = blob.image === undefined ? blob.repository : (0,src_images/* destinationName */.K)(blob.image, settings, blob.chart === true);
        const at = (0,src_reference/* repositoryOf */._M)(name);
        if (!allowed(at) && outside === 'left')
            continue;
        if (!allowed(at))
            throw new Error(`${archive.file}: its delta record says ${at.key} holds ${blob.digest}, which is not where this run imports (${scope ?? [...destinations].join(', ')}): a delta is taken only from where its base was imported here; nothing was pushed`);
        held.set(blob.digest, { size: blob.size, at, base: blob.base, ...(blob.image === undefined ? {} : { image: blob.image }) });
    }
    return held;
}
/**
 * What every name under a default repo starts with, as a repository key: `registry/path`, or the
 * registry alone for a default repo that is one (`localhost:5000`, which is no repository of its own).
 */
function below(defaultRepo) {
    return (0,src_reference/* repositoryOf */._M)(`${defaultRepo}/x`).key.slice(0, -'/x'.length);
}
/**
 * Of the blobs a delta left out, those this run imports: the blobs of the images it takes from the
 * archive, under its platforms (a site that imported some platforms of a base holds only theirs), and
 * of what travels with them. Only these are looked for at the destination.
 */
async function leftOutImported(archive, images, platforms, held) {
    const { source } = archive;
    const read = (digest, mediaType) => source.getManifest(digest, mediaType);
    // Everything the archive holds that travels with a manifest: its referrers and its digest tags.
    const travelling = async (digest) => [
        ...(await source.referrers(digest, false)),
        ...(await source.digestTags(digest, false)).map((tagged) => tagged.descriptor),
    ];
    const imported = new Map();
    for (const image of images) {
        const top = await read(image.descriptor.digest, image.descriptor.mediaType);
        const made = platforms === undefined ? undefined : await (0,copy_platforms/* filterManifest */.y1)(top, platforms, read);
        const reading = (digest, mediaType) => made !== undefined && digest === made.descriptor.digest ? Promise.resolve(made) : read(digest, mediaType);
        // What travels with the index as packaged travels with what the filter made of it.
        const artifactsOf = async (digest) => [
            ...(await travelling(digest)),
            ...(made !== undefined && digest === made.descriptor.digest ? await travelling(top.descriptor.digest) : []),
        ];
        for (const blob of await (0,delta/* blobsOf */.OR)(reading, (made ?? top).descriptor, artifactsOf)) {
            const at = held.get(blob.digest);
            if (at !== undefined)
                imported.set(blob.digest, at);
        }
    }
    return imported;
}
/**
 * For each delta among the archives, a source that reads its left-out blobs where the site holds them.
 * Every one this run imports is looked for there first; any that is missing stops the run before its
 * first push.
 */
async function deltaSources(context, entries, archives, inArchive) {
    const { settings } = context;
    const sources = new Map();
    for (const archive of archives) {
        if (archive.delta === undefined)
            continue;
        const taken = new Set(entries.map(inArchive).flatMap((found) => (found.archive === archive ? [found.image] : [])));
        const held = await leftOutImported(archive, [...taken], settings.platforms, heldBlobs(context, entries, archive));
        // The record's word, bounded: a record may name any number of bases.
        const since = archive.delta.since.length <= 3
            ? archive.delta.since.join(', ')
            : `${archive.delta.since.slice(0, 3).join(', ')} and ${archive.delta.since.length - 3} more`;
        const registries = context.registries();
        const missing = await missingHeld(registries, held, settings.concurrency);
        if (missing.length > 0)
            throw new Error(`${archive.file}: a delta against ${since} (since), and ${(0,format/* plural */.L)(missing.length, 'blob')} it left out ${missing.length === 1 ? 'is' : 'are'} not at the destination: ${missing.slice(0, 3).join('; ')}${missing.length > 3 ? '; ...' : ''}. Import ${since} into this destination first; nothing was pushed`);
        context.log(`${archive.file}: a delta: ${(0,format/* plural */.L)(held.size, 'blob')} it left out ${held.size === 1 ? 'is' : 'are'} at the destination, where ${since} put them`);
        sources.set(archive, new DeltaSource(archive.source, held, registries));
    }
    return sources;
}
/**
 * Charts read from the archives, where the package run put them: a range resolved against the versions
 * there; a chart a delta left out read from where the site holds it (`blobsOf`).
 */
function archiveChartSource(archives, find, blobsOf, platforms) {
    const locate = (reference) => find({ image: reference, source: reference, newImage: reference, fields: [] }, platforms);
    return {
        async tags(reference) {
            const name = (0,src_reference/* parseReference */.F2)(reference).name;
            return archives.flatMap((archive) => archive.images.flatMap((image) => image.sources.flatMap((source) => {
                const parsed = (0,src_reference/* parseReference */.F2)(source);
                return parsed.name === name && parsed.tag !== undefined ? [parsed.tag] : [];
            })));
        },
        async manifest(reference) {
            const { archive, image } = await locate(reference);
            const manifest = await archive.source.getManifest(image.descriptor.digest, image.descriptor.mediaType);
            return { json: manifest.json, bytes: manifest.bytes, digest: manifest.descriptor.digest, mediaType: manifest.descriptor.mediaType };
        },
        async *openBlob(reference, blob) {
            const { archive } = await locate(reference);
            yield* blobsOf(archive).openBlob(blob);
        },
    };
}
const unpackage = {
    async run(context) {
        const { registries, settings, budget, log, progress } = context;
        const archives = (await (0,archive_inputs/* readArchiveInputs */.y)(context, settings.archives, 'archive')).map(({ archive }) => archive);
        const find = archiveLookup(archives);
        // The images inside the charts are read from the charts the archives hold: one more entry each.
        let entries = context.entries;
        let charts;
        if (settings.charts && entries.some((entry) => (0,read_charts/* chartFieldsOf */.x)(entry).length > 0)) {
            // A delta's chart is checked to be at the destination with the images, below, before the first push.
            const chartSources = new Map();
            const blobsOf = (archive) => {
                if (archive.delta === undefined)
                    return archive.source;
                let source = chartSources.get(archive);
                if (source === undefined) {
                    source = new DeltaSource(archive.source, heldBlobs(context, entries, archive, 'left'), registries());
                    chartSources.set(archive, source);
                }
                return source;
            };
            charts = await (0,read_charts.readCharts)(entries, archiveChartSource(archives, find, blobsOf, settings.platforms), {
                imageKeys: settings.imageKeys,
                naming: settings,
                limit: (work) => work(),
            });
            if (charts.errors.length > 0)
                return (0,steps/* stopped */.ce)(context, charts.errors.map((error) => ({ image: error.file, message: error.message })));
            for (const chart of charts.charts)
                log((0,read_charts.chartLine)(chart));
            entries = charts.entries;
        }
        // Every image is found in the archives before the first push: a set that cannot be imported whole
        // is not imported in part.
        const missing = [];
        const found = new Map();
        for (const entry of entries) {
            try {
                found.set(entry, await find(entry, settings.platforms));
            }
            catch (error) {
                missing.push({ image: entry.image, message: `${entry.image}: ${error.message}` });
            }
        }
        const inArchive = (entry) => found.get(entry);
        const empty = (0,steps/* emptyResult */.$)();
        if (missing.length > 0)
            return (0,steps/* stopped */.ce)(context, missing);
        // An image a docker-archive held has a manifest made on import: the digest it is pinned to is new.
        // So is one that a platform filter made of the index the YAML pins: the log says which it is.
        const rebuilt = new Set();
        for (const entry of entries) {
            const { image } = inArchive(entry);
            const pinned = (0,src_reference/* parseReference */.F2)(entry.source).digest;
            if (pinned !== undefined && pinned !== image.descriptor.digest)
                log(`${entry.image}: the archive holds ${image.descriptor.digest}, what a platform filter made of the index it is pinned to (checked against that index's bytes): that is imported, and the manifests are pinned to it`);
            if (image.rebuilt !== true || rebuilt.has(image.descriptor.digest))
                continue;
            rebuilt.add(image.descriptor.digest);
            log(`${entry.image}: a docker-archive holds its config and layers but no registry manifest: ferry made one, so it is pinned to ${image.descriptor.digest}, which can differ from the digest its registry gave it`);
        }
        // A delta's left-out blobs must be at the destination, where its bases were imported, before the first push.
        const sources = await deltaSources(context, entries, archives, inArchive);
        const sourceOf = (archive) => sources.get(archive) ?? archive.source;
        // Verified from what the archive holds, offline, before the first push; trust comes only from the inputs.
        // A copy a platform filter made (when it was packaged) verifies by the index it was cut from, once
        // the filter is checked against that index's bytes in the archive.
        const madeOf = async ({ archive, image }) => {
            for (const reference of image.sources) {
                const origin = (0,src_reference/* isReference */.A_)(reference) ? (0,src_reference/* parseReference */.F2)(reference).digest : undefined;
                if (origin !== undefined && origin !== image.descriptor.digest && (await archive.satisfies(image, origin)))
                    return origin;
            }
            return undefined;
        };
        const gate = await (0,steps/* verifyGate */.VN)(context, await Promise.all(entries.map(async (entry) => {
            const found = inArchive(entry);
            const origin = settings.verify === undefined ? undefined : await madeOf(found);
            return {
                entry,
                source: sourceOf(found.archive),
                digest: found.image.descriptor.digest,
                ...(origin === undefined ? {} : { madeOf: origin }),
            };
        })));
        if (gate !== undefined && gate.failures.length > 0)
            return (0,steps/* stopped */.ce)(context, gate.failures, gate.warnings);
        const importer = (0,modes_importer/* importerFor */.UE)(registries(), settings, budget, (count) => progress.moved(count));
        const lacking = await (0,steps/* settle */.G9)(entries, async (entry) => {
            const { archive, image } = inArchive(entry);
            await importer.checkPlatforms(sourceOf(archive), image.descriptor.digest, image.descriptor.mediaType);
        }, settings);
        if (lacking.failures.length > 0)
            return (0,steps/* stopped */.ce)(context, lacking.failures, gate?.warnings);
        const { results, failures } = await (0,steps/* settle */.G9)(entries, async (entry) => {
            const { archive, image } = inArchive(entry);
            const outcome = await importer.import(entry, sourceOf(archive), image.descriptor.digest, image.descriptor.mediaType);
            const verified = gate?.verified.get(entry.image);
            return verified === undefined ? outcome : { ...outcome, verified };
        }, { ...settings, progress, onResult: context.onImage });
        const byImage = new Map(entries.map((entry) => [entry.image, entry]));
        const { platforms } = settings;
        const extraLock = [];
        for (const { image, digest, newImage } of results) {
            const entry = byImage.get(image);
            const source = entry?.source ?? image;
            extraLock.push({ image: (0,src_reference/* pinnedReference */.ct)(source, digest ?? '', false), newImage });
            if (entry === undefined || digest === undefined || platforms === undefined)
                continue;
            // What a platform filter made (as it was packaged, or here) is locked under the index it was made
            // of too, once that index's bytes in the archive make it: a delta against this lock remakes it
            // from that index at the source, whatever the tag names by then.
            const { archive, image: archived } = inArchive(entry);
            const read = sourceOf(archive);
            const origins = archived.sources.filter(src_reference/* isReference */.A_).flatMap((reference) => (0,src_reference/* parseReference */.F2)(reference).digest ?? []);
            const madeOf = await (0,copy_platforms/* filteredOrigin */.eI)((at, mediaType) => read.getManifest(at, mediaType), origins, digest, platforms);
            if (madeOf !== undefined)
                extraLock.push({
                    image: (0,src_reference/* pinnedReference */.ct)(source, madeOf, false),
                    newImage,
                    note: `made for ${platforms.map(manifest/* platformText */.VQ).join(', ')} of ${madeOf}`,
                });
        }
        return {
            result: { ...empty, outcomes: results, failures, tags: [...importer.tags.values()], extraLock, warnings: gate?.warnings ?? [] },
            tagger: importer.tagger,
            ...(charts === undefined ? {} : { charts: charts.charts }),
            origins: new Map(entries.map((entry) => {
                const { archive, image } = inArchive(entry);
                return [entry.image, { file: external_node_path_default().basename(archive.file), digest: image.descriptor.digest }];
            })),
        };
    },
};


/***/ })

};
