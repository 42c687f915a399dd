// Where things are on disk: the repository and the built screen. The one
// place that knows the folder layout; everything else imports these.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The built big screen and analyst pages (npm run build); the API serves it at /. */
export const bigscreenDist = join(repoRoot, 'dist', 'bigscreen');
