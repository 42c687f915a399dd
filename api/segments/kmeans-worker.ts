// Runs fitCentres off the main thread: a fit at the row caps takes about a
// minute of CPU, which on the API's event loop would stall every request and,
// under `npm start`, ingestion in the same process. Loaded by fit-in-worker.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { fitCentres, type KMeansOptions } from './kmeans-model.ts';

interface FitRequest {
  points: number[][];
  keys: string[];
  options: Omit<KMeansOptions, 'pause' | 'onProgress'>;
}

const { points, keys, options } = workerData as FitRequest;
const model = await fitCentres(points, keys, {
  ...options,
  pause: async () => {},
  onProgress: (progress) => parentPort!.postMessage({ kind: 'progress', progress }),
});
parentPort!.postMessage({ kind: 'model', model });
