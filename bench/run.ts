// `npm run bench`: every benchmark, each printing its figures beside a peer measured in the same run.
import { benchRewrite } from './rewrite.js';

benchRewrite();
