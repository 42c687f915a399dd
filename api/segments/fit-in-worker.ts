// fitCentres in a worker thread (kmeans-worker.ts), so the API's event loop
// stays free while a clusters job fits. Same inputs, same result.
import { Worker } from 'node:worker_threads';
import type { KMeansFit, KMeansOptions, KScore } from './kmeans-model.ts';

// Node 20 does not apply the parent's `--import tsx` to worker threads, so
// the worker registers tsx's loader itself before importing the TypeScript.
const BOOTSTRAP = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then(({ register }) => { register(); return import(${JSON.stringify(new URL('./kmeans-worker.ts', import.meta.url).href)}); })`;

type Message = { kind: 'progress'; progress: KScore } | { kind: 'model'; model: KMeansFit };

export function fitCentresInWorker(points: number[][], keys: readonly string[], options: KMeansOptions): Promise<KMeansFit> {
  const { pause: _pause, onProgress, ...plain } = options;
  return new Promise((resolve, reject) => {
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { points, keys, options: plain } });
    let model: KMeansFit | undefined;
    worker.on('message', (message: Message) => {
      if (message.kind === 'progress') onProgress?.(message.progress);
      else model = message.model;
    });
    worker.once('error', reject);
    worker.once('exit', (code) => (model ? resolve(model) : reject(new Error(`k-means worker exited with code ${code} before answering`))));
  });
}
