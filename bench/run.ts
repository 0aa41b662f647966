// `npm run bench`: every benchmark, each printing its figures beside a peer measured in the same run.
// FERRY_BENCH=rewrite, blob, relocate, faults, shards, wan, verify, attest, startup, airgap, catalogue or hostile runs one of them.
import { benchAirgap } from './airgap.js';
import { benchAttest } from './attest.js';
import { benchBlob } from './blob.js';
import { benchCatalogue } from './catalogue.js';
import { benchFaults } from './faults.js';
import { benchHostile } from './hostile.js';
import { benchRelocate } from './relocate.js';
import { benchRewrite } from './rewrite.js';
import { benchShards } from './shards.js';
import { benchStartup } from './startup.js';
import { benchVerify } from './verify.js';
import { benchWan } from './wan.js';

const only = process.env.FERRY_BENCH;
if (only === undefined || only === 'rewrite') await benchRewrite();
if (only === undefined || only === 'relocate') await benchRelocate();
if (only === undefined || only === 'blob') await benchBlob();
if (only === undefined || only === 'faults') await benchFaults();
if (only === undefined || only === 'shards') await benchShards();
if (only === undefined || only === 'wan') await benchWan();
if (only === undefined || only === 'verify') await benchVerify();
if (only === undefined || only === 'attest') await benchAttest();
if (only === undefined || only === 'startup') await benchStartup();
if (only === undefined || only === 'airgap') await benchAirgap();
if (only === undefined || only === 'catalogue') await benchCatalogue();
if (only === undefined || only === 'hostile') await benchHostile();
