import { detachEnvironment } from './environment.js';
import { boundHeap } from './heap.js';
import { run } from './main.js';

boundHeap();
detachEnvironment();
await run();
