export const id = 198;
export const ids = [198];
export const modules = {

/***/ 24198:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  x: () => (/* binding */ chartFieldsOf),
  chartLine: () => (/* binding */ chartLine),
  readCharts: () => (/* binding */ readCharts),
  registryChartSource: () => (/* binding */ registryChartSource)
});

// EXTERNAL MODULE: ./node_modules/semver/index.js
var semver = __webpack_require__(62088);
var semver_default = /*#__PURE__*/__webpack_require__.n(semver);
// EXTERNAL MODULE: ./src/images.ts + 1 modules
var src_images = __webpack_require__(55985);
// EXTERNAL MODULE: ./src/manifests/field.ts
var manifests_field = __webpack_require__(83462);
// EXTERNAL MODULE: ./src/manifests/chart-sources.ts
var chart_sources = __webpack_require__(90893);
// EXTERNAL MODULE: ./src/oci/digest.ts
var digest = __webpack_require__(68825);
// EXTERNAL MODULE: ./src/oci/manifest.ts
var oci_manifest = __webpack_require__(32060);
// EXTERNAL MODULE: ./src/reference.ts
var src_reference = __webpack_require__(98286);
// EXTERNAL MODULE: ./src/untrusted-text.ts
var untrusted_text = __webpack_require__(38521);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(38522);
// EXTERNAL MODULE: ./src/archive/tar-reader.ts
var tar_reader = __webpack_require__(62125);
// EXTERNAL MODULE: ./src/yaml/data.ts
var data = __webpack_require__(43987);
;// CONCATENATED MODULE: ./src/charts/chart-archive.ts
// A Helm chart's content (`helm package`'s gzip tar) read as untrusted input: unzipped and read in
// memory within bounds, every entry a regular file or folder under the chart's own folder (no link, no
// absolute path, no `..`), and only what finding its images needs kept: each chart's Chart.yaml and
// values.yaml, and its subcharts (folders under charts/, and charts/*.tgz, read the same way).




/** A chart's gzip tar, at most: real charts are kilobytes, the largest public ones a few MiB. */
const maxChartBytes = 20 * 1024 * 1024;
/** What a chart unzips to, at most, its subcharts' archives included. */
const maxUnzippedBytes = 100 * 1024 * 1024;
/** Chart.yaml or values.yaml of one chart, at most. */
const maxChartFileBytes = 4 * 1024 * 1024;
/** Subcharts inside subcharts, at most this deep. */
const maxDepth = 5;
/** Charts in one chart archive, subcharts included. */
const maxCharts = 200;
class ChartArchiveError extends Error {
}
function bufferReader(bytes) {
    return {
        async read(buffer, offset, length, position) {
            const end = Math.min(bytes.length, position + length);
            const count = Math.max(0, end - position);
            bytes.copy(buffer, offset, position, position + count);
            return { bytesRead: count };
        },
        async stat() {
            return { size: bytes.length };
        },
        async close() { },
    };
}
/** A name inside the archive, checked: relative, no `..`, no empty or `.` parts past the first. */
function entryPath(name) {
    const parts = name.replace(/\/+$/, '').split('/');
    if (name.startsWith('/') || parts.some((part) => part === '..') || name.includes('\\') || name.includes('\0'))
        throw new ChartArchiveError(`the entry ${(0,untrusted_text/* quoted */.TL)(name, 200)} leaves the chart's folder`);
    return parts.filter((part) => part !== '.' && part !== '').join('/');
}
/** The files of a chart tar that matter, by path. */
async function chartFiles(tar) {
    const files = new Map();
    let root;
    await (0,tar_reader/* readTar */.sB)(bufferReader(tar), (entry) => {
        if (entry.type !== 'file' && entry.type !== 'directory')
            throw new ChartArchiveError(`the entry ${(0,untrusted_text/* quoted */.TL)(entry.name, 200)} is a ${entry.type}, which a chart never holds`);
        // A name is shown in messages and the log: one that could break a line or a command is refused.
        if ((0,untrusted_text/* hasControlCharacters */.Kg)(entry.name))
            throw new ChartArchiveError(`an entry's name holds control characters: ${(0,untrusted_text/* quoted */.TL)(entry.name, 200)}`);
        const name = entryPath(entry.name);
        const [top] = name.split('/');
        if (top === undefined || top === '')
            return undefined;
        if (root === undefined)
            root = top;
        else if (top !== root)
            throw new ChartArchiveError(`the entries are in two folders (${(0,untrusted_text/* quoted */.TL)(root, 100)}, ${(0,untrusted_text/* quoted */.TL)(top, 100)}); a chart is in one`);
        if (entry.type !== 'file')
            return undefined;
        const wanted = /(?:^|\/)(?:Chart\.yaml|values\.yaml)$/.test(name) || /\/charts\/[^/]+\.tgz$/.test(name);
        if (!wanted)
            return undefined;
        if (entry.size > (name.endsWith('.tgz') ? maxChartBytes : maxChartFileBytes))
            throw new ChartArchiveError(`${(0,untrusted_text/* quoted */.TL)(name, 200)} is ${entry.size} bytes, more than a chart file ferry reads`);
        const chunks = [];
        return {
            update: (chunk) => void chunks.push(Buffer.from(chunk)),
            end: () => void files.set(name, Buffer.concat(chunks)),
        };
    });
    return files;
}
function unzip(bytes, what, budget) {
    if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b)
        throw new ChartArchiveError(`${what} is not a gzip file`);
    try {
        const unzipped = (0,external_node_zlib_.gunzipSync)(bytes, { maxOutputLength: Math.max(1, maxUnzippedBytes - budget.bytes) });
        budget.bytes += unzipped.length;
        return unzipped;
    }
    catch (error) {
        const code = error.code;
        throw new ChartArchiveError(code === 'ERR_BUFFER_TOO_LARGE' ? `${what} unzips to more than ${maxUnzippedBytes} bytes` : `${what} is not a valid gzip file`);
    }
}
/** A Chart.yaml as data: its first document, a map (anything else reads as an empty one). */
function chartYamlOf(text, what) {
    if (text === undefined)
        return {};
    let chart;
    try {
        [chart] = (0,data/* yamlValues */.O_)(text);
    }
    catch (error) {
        throw new ChartArchiveError(`${what} is not YAML: ${error.message}`);
    }
    return typeof chart === 'object' && chart !== null && !Array.isArray(chart) ? chart : {};
}
/** A chart and its subcharts from the files under `dir`. */
async function chartAt(files, dir, depth, budget) {
    if (++budget.charts > maxCharts)
        throw new ChartArchiveError(`more than ${maxCharts} charts and subcharts`);
    const text = (name) => files.get(`${dir}/${name}`)?.toString('utf8');
    const chart = chartYamlOf(text('Chart.yaml'), `${dir}/Chart.yaml`);
    const folderName = dir.slice(dir.lastIndexOf('/') + 1);
    const declared = typeof chart.name === 'string' && /^[A-Za-z0-9_.-]{1,250}$/.test(chart.name) ? chart.name : undefined;
    const subcharts = [];
    const prefix = `${dir}/charts/`;
    if (depth < maxDepth) {
        const folders = new Set();
        for (const name of files.keys()) {
            if (!name.startsWith(prefix))
                continue;
            const rest = name.slice(prefix.length);
            if (!rest.includes('/') && rest.endsWith('.tgz')) {
                const inner = await readChartTgz(files.get(name), (0,untrusted_text/* quoted */.TL)(`${dir}/charts/${rest}`, 200), depth + 1, budget);
                subcharts.push({ ...inner, path: `${dir}/charts/${inner.name}` });
            }
            else if (rest.endsWith('/Chart.yaml') && rest.split('/').length === 2)
                folders.add(rest.split('/')[0]);
        }
        for (const folder of [...folders].sort())
            subcharts.push(await chartAt(files, `${prefix}${folder}`, depth + 1, budget));
    }
    return { name: declared ?? folderName, path: dir, chart, values: text('values.yaml'), subcharts };
}
async function readChartTgz(bytes, what, depth, budget) {
    let files;
    try {
        files = await chartFiles(unzip(bytes, what, budget));
    }
    catch (error) {
        if (error instanceof tar_reader/* TarError */.mt)
            throw new ChartArchiveError(`${what} is not a tar: ${error.message}`);
        throw error;
    }
    const roots = new Set([...files.keys()].map((name) => name.split('/')[0]));
    const [root] = roots;
    if (root === undefined || !files.has(`${root}/Chart.yaml`))
        throw new ChartArchiveError(`${what} holds no Chart.yaml in its folder`);
    return chartAt(files, root, depth, budget);
}
/** The chart a chart archive holds (`helm package`'s .tgz), with its subcharts; throws ChartArchiveError for anything else. */
function readChartArchive(bytes, what = 'the chart archive') {
    if (bytes.length > maxChartBytes)
        throw new ChartArchiveError(`${what} is ${bytes.length} bytes, more than ${maxChartBytes}`);
    return readChartTgz(bytes, what, 0, { charts: 0, bytes: 0 });
}

// EXTERNAL MODULE: ./src/manifests/kinds/helm.ts
var helm = __webpack_require__(40128);
// EXTERNAL MODULE: ./src/manifests/placeholder.ts
var placeholder = __webpack_require__(20859);
;// CONCATENATED MODULE: ./src/charts/chart-images.ts
// The images a chart names without being rendered: in its values (image strings, `images:` lists,
// Helm values maps composed as ferry composes them in the workspace, with the chart's appVersion), in
// its subcharts' values (under the subchart's key, as Helm passes them), and in the images annotations
// (`helm.sh/images`, `artifacthub.io/images`, Bitnami's `images`). Templates that build names in other
// ways are not rendered: there is no Helm here.




const annotationKeys = ['helm.sh/images', 'artifacthub.io/images', 'images'];
function chart_images_data(text, what) {
    if (text === undefined)
        return undefined;
    try {
        return (0,data/* yamlValues */.O_)(text)[0];
    }
    catch (error) {
        throw new Error(`${what} is not YAML: ${error.message}`, { cause: error });
    }
}
const isMap = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
const scalarText = (value) => typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
/** Images one chart may name, its subcharts' included: past this, the chart is refused. */
const maxChartImages = 10_000;
class Finder {
    imageKeys;
    images = [];
    skipped = [];
    /** Each map or list walked once: an alias (YAML's `*name`) reaches one node by many paths, and a bomb by millions. */
    walked = new WeakSet();
    constructor(imageKeys) {
        this.imageKeys = imageKeys;
    }
    add(value, where, values) {
        if (this.images.length + this.skipped.length >= maxChartImages)
            throw new Error(`the chart names more than ${maxChartImages} images and placeholders`);
        const reason = (0,placeholder/* placeholderReason */.E6)(value);
        if (reason !== undefined) {
            this.skipped.push({ where, value, reason });
            return;
        }
        try {
            (0,src_reference/* parseReference */.F2)(value);
        }
        catch (error) {
            if (!(error instanceof src_reference/* InvalidReferenceError */.x_))
                throw error;
            this.skipped.push({ where, value, reason: `not an image reference: ${error.reason}` });
            return;
        }
        this.images.push({ image: value, where, ...(values === undefined ? {} : { values }) });
    }
    /** `own`: how much of `path` is the subchart's key in its parents' values, which its own file does not write. */
    values(node, path, file, appVersion, own = path.length, depth = 0) {
        if (depth > 100 || typeof node !== 'object' || node === null || this.walked.has(node))
            return;
        this.walked.add(node);
        if (Array.isArray(node)) {
            node.forEach((item, index) => this.values(item, [...path, index], file, appVersion, own, depth + 1));
            return;
        }
        if (!isMap(node))
            return;
        for (const [key, value] of Object.entries(node)) {
            const at = [...path, key];
            const where = `${file} ${at.slice(own).join('.')}`;
            if (this.imageKeys.has(key) && typeof value === 'string')
                this.add(value, where, { kind: 'string', path: at });
            else if (this.imageKeys.has(key) && isMap(value) && typeof value.repository === 'string') {
                const registry = scalarText(value.registry);
                const tag = scalarText(value.tag) || appVersion;
                const digest = scalarText(value.digest) || undefined;
                this.add((0,helm/* composeHelm */.D8)(registry, value.repository, tag, digest), where, {
                    kind: 'map',
                    path: at,
                    registry: registry !== undefined,
                    digest: 'digest' in value,
                    tag,
                });
                continue;
            }
            else if (key === 'images' && Array.isArray(value)) {
                value.forEach((item, index) => {
                    if (typeof item === 'string')
                        this.add(item, `${where}.${index}`, { kind: 'list', path: at, items: value });
                });
            }
            this.values(value, at, file, appVersion, own, depth + 1);
        }
    }
    annotations(chart, file) {
        const annotations = isMap(chart.annotations) ? chart.annotations : {};
        for (const key of annotationKeys) {
            const text = annotations[key];
            if (typeof text !== 'string')
                continue;
            const list = chart_images_data(text, `${file} annotation ${key}`);
            if (!Array.isArray(list))
                continue;
            for (const item of list) {
                const image = isMap(item) ? item.image : undefined;
                if (typeof image === 'string')
                    this.add(image, `${file} annotation ${key}`);
            }
        }
    }
}
/** The images a chart and its subcharts name, and the values that look like images but are not yet. */
function chartImages(chart, imageKeys) {
    const finder = new Finder(imageKeys);
    const visit = (content, path) => {
        const appVersion = scalarText(content.chart.appVersion) || undefined;
        finder.values(chart_images_data(content.values, `${content.path}/values.yaml`), [...path], `${content.path}/values.yaml`, appVersion);
        finder.annotations(content.chart, `${content.path}/Chart.yaml`);
        for (const sub of content.subcharts)
            visit(sub, [...path, sub.name]);
    };
    visit(chart, []);
    return finder;
}

;// CONCATENATED MODULE: ./src/charts/read-charts.ts
// The charts of a run, read from their registries before any copy: a version range resolved to the
// newest tag that satisfies it (as Flux and Helm resolve it), the manifest checked to be a Helm chart,
// its content read (bounded, as untrusted input) and the images its values and annotations name
// found. Each image becomes one more entry of the run, named and moved like any other; each chart
// keeps what it yielded, for its values file, the outputs and the summary.










/** Tags read to resolve one range, at most. */
const maxTags = 100_000;
function registryChartSource(registries) {
    return {
        async tags(reference) {
            const parsed = (0,src_reference/* parseReference */.F2)(reference);
            return registries.reader(parsed.registry).listTags(parsed.repository, {
                keep: (tag) => semver_default().valid(tag.replace(/_/g, '+')) !== null,
                onKept: (count) => {
                    if (count > maxTags)
                        throw new Error(`more than ${maxTags} version tags`);
                },
            });
        },
        async manifest(reference) {
            const parsed = (0,src_reference/* parseReference */.F2)(reference);
            const manifest = await registries.reader(parsed.registry).getManifest(parsed.repository, parsed.digest ?? parsed.tag ?? 'latest');
            return { json: manifest.json, bytes: manifest.bytes, digest: manifest.descriptor.digest, mediaType: manifest.descriptor.mediaType };
        },
        openBlob(reference, blob) {
            const parsed = (0,src_reference/* parseReference */.F2)(reference);
            return registries.reader(parsed.registry).getBlob(parsed.repository, blob.digest, blob.size);
        },
    };
}
function chartFieldsOf(entry) {
    return entry.fields.filter((field) => field.kind === 'chart');
}
/** The newest tag that satisfies `range`, as Helm writes versions in tags (`+` as `_`). */
async function resolveRange(source, name, range) {
    const versions = (await source.tags(name)).map((tag) => ({ tag, version: tag.replace(/_/g, '+') }));
    const best = semver_default().maxSatisfying(versions.map(({ version }) => version), range);
    const found = versions.find(({ version }) => version === best);
    if (found === undefined)
        throw new Error(`no tag of ${name} satisfies ${range} (${versions.length} version tags there)`);
    return found.tag;
}
/** One chart: its range resolved, its manifest and content read, its images found. */
async function readChart(entry, source, imageKeys) {
    const [field] = chartFieldsOf(entry);
    const ranges = new Set(chartFieldsOf(entry).flatMap((chart) => (chart.range === undefined ? [] : [chart.range])));
    if (ranges.size > 1)
        throw new Error(`the chart is asked for in ${ranges.size} version ranges (${[...ranges].join(', ')}): give each the same range, or an exact version`);
    const [range] = ranges;
    let resolved;
    let reference = entry.source;
    if (range !== undefined && (0,src_reference/* parseReference */.F2)(entry.source).tag === undefined && (0,src_reference/* parseReference */.F2)(entry.source).digest === undefined) {
        const tag = await resolveRange(source, entry.source, range);
        resolved = { range, version: tag.replace(/_/g, '+') };
        reference = (0,src_reference/* referenceText */.n5)((0,src_reference/* parseReference */.F2)(entry.source).name, tag, undefined);
    }
    const manifest = await source.manifest(reference);
    const decoded = (0,oci_manifest/* decodeManifest */.MK)({
        descriptor: { mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.bytes.length },
        bytes: manifest.bytes,
        json: manifest.json,
    });
    const config = decoded.kind === 'image' ? decoded.blobs[0] : undefined;
    const isChart = config?.mediaType === chart_sources/* chartConfigType */.bl;
    const chartShaped = field !== undefined && !field.urlIsChart;
    // A resolved range is the version the chart is tagged with where it goes, too.
    const resolvedTag = (0,src_reference/* parseReference */.F2)(reference).tag;
    const updated = resolved === undefined || resolvedTag === undefined
        ? { ...entry, source: reference }
        : { ...entry, source: reference, newImage: (0,src_reference/* referenceText */.n5)((0,src_reference/* nameText */.fh)((0,src_reference/* parseReferenceParts */.L1)(entry.newImage)), resolvedTag, undefined) };
    if (!isChart) {
        if (chartShaped || field?.shape === 'OCIRepository')
            throw new Error(`${reference} is not a Helm chart: its ${decoded.kind === 'image' ? `config is ${(0,untrusted_text/* quoted */.TL)(config?.mediaType ?? '')}` : `manifest is ${decoded.kind === 'index' ? 'an index' : 'an artifact'}`}, not ${chart_sources/* chartConfigType */.bl}`);
        return { entry: updated, ...(resolved === undefined ? {} : { resolved }), isChart: false, images: [], skipped: [] };
    }
    const contents = decoded.blobs.filter((blob) => blob.mediaType === chart_sources/* chartContentType */.Si);
    const [content] = contents;
    if (content === undefined || contents.length > 1)
        throw new Error(`${reference} has ${contents.length} chart content layers, where a chart has one`);
    if (content.size > maxChartBytes)
        throw new Error(`${reference}: its chart content is ${content.size} bytes, more than ${maxChartBytes}`);
    const tgz = await (0,digest/* readWhole */.oD)(source.openBlob(reference, content), content);
    let found;
    try {
        found = chartImages(await readChartArchive(tgz, `${reference}'s chart archive`), imageKeys);
    }
    catch (error) {
        if (error instanceof ChartArchiveError)
            throw new Error(error.message, { cause: error });
        throw new Error(`${reference}: ${error.message}`, { cause: error });
    }
    return { entry: updated, ...(resolved === undefined ? {} : { resolved }), isChart: true, images: found.images, skipped: found.skipped };
}
/** Reads every chart of the run; an error names the line that names the chart. */
async function readCharts(entries, source, options) {
    const imageKeys = new Set(options.imageKeys);
    const charted = entries.filter((entry) => chartFieldsOf(entry).length > 0);
    const errors = [];
    const charts = [];
    await Promise.all(charted.map((entry) => options.limit(async () => {
        try {
            charts.push(await readChart(entry, source, imageKeys));
        }
        catch (error) {
            for (const field of chartFieldsOf(entry))
                errors.push((0,manifests_field/* errorAt */.Os)(field, `the chart ${entry.source}: ${error.message}`));
        }
    })));
    charts.sort((a, b) => (a.entry.image < b.entry.image ? -1 : a.entry.image > b.entry.image ? 1 : 0));
    const byImage = new Map(entries.map((entry) => [entry.image, entry]));
    for (const chart of charts)
        byImage.set(chart.entry.image, chart.entry);
    // Two different images must not get one name, from a chart as from the workspace: one would overwrite the other.
    // Keyed as the destination tags: name and tag, `latest` where none is written.
    const claim = (newImage) => (0,src_reference/* referenceText */.n5)((0,src_reference/* nameText */.fh)((0,src_reference/* parseReferenceParts */.L1)(newImage)), (0,src_reference/* impliedTag */.RW)(newImage), undefined);
    const named = new Map([...byImage.values()].map((entry) => [claim(entry.newImage), entry.source]));
    for (const chart of charts) {
        for (const image of chart.images) {
            if (byImage.has(image.image))
                continue;
            const newImage = (0,src_images/* destinationName */.K)(image.image, options.naming);
            const other = named.get(claim(newImage));
            if (other !== undefined && other !== image.image) {
                for (const field of chartFieldsOf(chart.entry))
                    errors.push((0,manifests_field/* errorAt */.Os)(field, `the chart ${chart.entry.source} names ${image.image} (${(0,untrusted_text/* quoted */.TL)(image.where)}), which would become ${newImage} as ${other} does: give one its own name with a lock override`));
                continue;
            }
            named.set(claim(newImage), image.image);
            byImage.set(image.image, { image: image.image, source: image.image, newImage, fields: [] });
        }
    }
    return { entries: [...byImage.values()], charts, errors };
}
/** What a chart yielded, as a log line. */
function chartLine(chart) {
    const version = chart.resolved === undefined ? '' : ` (${chart.resolved.range} resolved to ${chart.resolved.version})`;
    const images = [...new Set(chart.images.map((image) => image.image))];
    return chart.isChart
        ? `${chart.entry.source}${version}: ${images.length === 1 ? '1 image' : `${images.length} images`} in its values and annotations${images.length === 0 ? '' : `: ${images.join(', ')}`}`
        : `${chart.entry.source}${version}: an OCI artifact, not a Helm chart: copied whole, no images read from it`;
}


/***/ })

};
