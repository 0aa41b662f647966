import { detachEnvironment } from './environment.js';
import { run } from './main.js';

detachEnvironment();
await run();
