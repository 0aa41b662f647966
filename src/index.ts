import { detachEnvironment } from './environment.js';
import { boundHeap, youngSemiSpaceFor } from './heap.js';
import { run } from './main.js';

// The mode is read here as well as in the settings: the bound has to be set before the run makes its objects.
boundHeap(youngSemiSpaceFor(process.env.INPUT_MODE?.trim()));
detachEnvironment();
await run();
