export const id = 626;
export const ids = [626];
export const modules = {

/***/ 73134:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D2: () => (/* binding */ provenanceStatement),
/* harmony export */   OY: () => (/* binding */ inTotoPayloadType),
/* harmony export */   wy: () => (/* binding */ provenanceType)
/* harmony export */ });
/* unused harmony exports statementType, relocationBuildType */
/* harmony import */ var _reference_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(98286);

const statementType = 'https://in-toto.io/Statement/v1';
const provenanceType = 'https://slsa.dev/provenance/v1';
const inTotoPayloadType = 'application/vnd.in-toto+json';
/** ferry's build type: a relocation of container images (docs/provenance.md defines its parameters). */
const relocationBuildType = 'urn:ferry:relocation:v1';
/** A reference as a policy matches it: its registry and full path (`docker.io/library/nginx:1.25`), its tag, no digest. */
function fullName(reference) {
    try {
        const parsed = (0,_reference_js__WEBPACK_IMPORTED_MODULE_0__/* .parseReference */ .F2)(reference);
        return (0,_reference_js__WEBPACK_IMPORTED_MODULE_0__/* .referenceText */ .n5)(parsed.name, parsed.tag, undefined);
    }
    catch {
        return reference.split('@')[0] ?? reference;
    }
}
const hexOf = (digest) => {
    const [algorithm = 'sha256', hex = ''] = digest.split(':');
    return { [algorithm]: hex };
};
/** The statement's bytes: what the DSSE envelope carries. */
function provenanceStatement(copy, run) {
    const { github } = run;
    const server = github.GITHUB_SERVER_URL || 'https://github.com';
    const repository = github.GITHUB_REPOSITORY || '';
    // From an archive, the archive is what the image came from; the references it was found as are its names.
    const dependencies = [
        ...(copy.archive !== undefined
            ? []
            : copy.sources.map((source) => ({ uri: `oci://${fullName(source)}`, digest: hexOf(copy.sourceDigest) }))),
        ...(copy.archive === undefined
            ? []
            : [{ uri: `file:${copy.archive.file}`, digest: hexOf(copy.archive.digest), name: copy.sources.join(' ') }]),
    ];
    const statement = {
        _type: statementType,
        subject: [{ name: copy.destination, digest: hexOf(copy.digest) }],
        predicateType: provenanceType,
        predicate: {
            buildDefinition: {
                buildType: relocationBuildType,
                externalParameters: {
                    mode: run.mode,
                    ...(run.defaultRepo === '' ? {} : { defaultRepo: run.defaultRepo }),
                    ...(run.repository === '' ? {} : { repository: run.repository }),
                    platforms: run.platforms ?? 'all',
                    artifacts: run.artifacts,
                },
                internalParameters: {
                    github: {
                        repository,
                        sha: github.GITHUB_SHA ?? '',
                        workflowRef: github.GITHUB_WORKFLOW_REF ?? '',
                    },
                },
                resolvedDependencies: dependencies,
            },
            runDetails: {
                builder: { id: `${server}/${github.GITHUB_WORKFLOW_REF || repository}` },
                metadata: {
                    invocationId: `${server}/${repository}/actions/runs/${github.GITHUB_RUN_ID ?? ''}/attempts/${github.GITHUB_RUN_ATTEMPT || '1'}`,
                },
                ...(copy.verified === undefined
                    ? {}
                    : {
                        byproducts: [
                            {
                                name: 'verification',
                                annotations: {
                                    kind: copy.verified.kind,
                                    by: copy.verified.by,
                                    ...(copy.verified.predicateType === undefined ? {} : { predicateType: copy.verified.predicateType }),
                                },
                            },
                        ],
                    }),
            },
        },
    };
    return Buffer.from(JSON.stringify(statement));
}


/***/ }),

/***/ 84626:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   bundleMediaType: () => (/* binding */ bundleMediaType),
/* harmony export */   statementSigner: () => (/* binding */ statementSigner)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _sigstore_bundle__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(61040);
/* harmony import */ var _sigstore_core__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(83917);
/* harmony import */ var _sigstore_core__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(_sigstore_core__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _sigstore_sign__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(15179);
/* harmony import */ var _provenance_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(73134);
// Signing a statement into a Sigstore bundle (v0.3, a DSSE envelope) with @sigstore/sign, the Sigstore
// project's own signer: with the attest-key (ECDSA P-256 over SHA-256, Node's crypto, the key's
// digest as its hint), or keyless (a Fulcio certificate for the job's OIDC token and a Rekor entry),
// as actions/attest-build-provenance signs.





const bundleMediaType = 'application/vnd.dev.sigstore.bundle.v0.3+json';
/** Signs with the policy's key, else keyless with `idToken` (the job's OIDC token for the audience `sigstore`). */
function statementSigner(policy, idToken, workflow) {
    const key = policy.key;
    const signer = key === undefined
        ? new _sigstore_sign__WEBPACK_IMPORTED_MODULE_3__/* .FulcioSigner */ .$o({ identityProvider: { getToken: idToken }, fulcioBaseURL: policy.fulcioUrl, retry: 2, timeout: 30_000 })
        : {
            sign: async (data) => ({
                signature: (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.sign)('sha256', data, key.privateKey),
                key: { $case: 'publicKey', publicKey: key.publicPem, hint: key.label.slice('key '.length) },
            }),
        };
    const builder = new _sigstore_sign__WEBPACK_IMPORTED_MODULE_3__/* .DSSEBundleBuilder */ .VV({
        signer,
        witnesses: key === undefined ? [new _sigstore_sign__WEBPACK_IMPORTED_MODULE_3__/* .RekorWitness */ .fU({ rekorBaseURL: policy.rekorUrl, entryType: 'dsse', retry: 2, timeout: 30_000 })] : [],
    });
    return {
        label: key?.label ?? `keyless ${workflow}`,
        async sign(statement) {
            try {
                const bundle = await builder.create({ data: statement, type: _provenance_js__WEBPACK_IMPORTED_MODULE_4__/* .inTotoPayloadType */ .OY });
                return Buffer.from(JSON.stringify((0,_sigstore_bundle__WEBPACK_IMPORTED_MODULE_1__.bundleToJSON)(bundle)));
            }
            catch (error) {
                // Sigstore's errors keep what went wrong in their cause: say all of it.
                const causes = [];
                for (let at = error; at instanceof Error && causes.length < 4; at = at.cause)
                    causes.push(at.message);
                throw new Error(`attest: signing failed: ${causes.join(': ')}`, { cause: error });
            }
        },
        async vouches(bundle, name, digest) {
            const parsed = JSON.parse(bundle.toString('utf8'));
            const envelope = parsed.dsseEnvelope;
            if (envelope?.payload === undefined || envelope.payloadType !== _provenance_js__WEBPACK_IMPORTED_MODULE_4__/* .inTotoPayloadType */ .OY)
                return false;
            const payload = Buffer.from(envelope.payload, 'base64');
            const statement = JSON.parse(payload.toString('utf8'));
            const [subject] = statement.subject ?? [];
            if (subject?.name !== name || `sha256:${subject.digest?.sha256 ?? ''}` !== digest)
                return false;
            if (key === undefined)
                return true;
            const signature = envelope.signatures?.[0]?.sig;
            return (signature !== undefined &&
                (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.verify)('sha256', _sigstore_core__WEBPACK_IMPORTED_MODULE_2__.dsse.preAuthEncoding(envelope.payloadType, payload), (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createPublicKey)(key.privateKey), Buffer.from(signature, 'base64')));
        },
    };
}


/***/ })

};
