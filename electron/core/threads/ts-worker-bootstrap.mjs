// Worker entry for running TypeScript sources (dev, tests, the CLI): tsx's loader is registered
// inside the worker, then the real module is imported. Builds start their bundled .cjs instead.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.__tsEntry);
