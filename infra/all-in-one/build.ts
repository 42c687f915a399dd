// Builds the big screen (Vite) into dist/bigscreen. `npm start` calls
// ensureBuilt(), which rebuilds only when a source file is newer than the build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bigscreenDist, repoRoot } from '../paths.ts';

const bigscreenSrc = join(repoRoot, 'bigscreen');

/**
 * Every folder whose code the screen bundles: the screen itself, what the API
 * shares with browsers (api/wire: the /live snapshot and protocol, province
 * names, parameter values) and the event contract. build.test.ts fails when
 * the screen imports code from anywhere else, so a rebuild is never missed.
 */
export const BUNDLED_SOURCE_DIRS = ['bigscreen', join('api', 'wire'), join('collector', 'contract')];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

export function isBuildFresh(): boolean {
  const index = join(bigscreenDist, 'index.html');
  if (!existsSync(index)) return false;
  const sources = Math.max(...BUNDLED_SOURCE_DIRS.map((dir) => newestMtime(join(repoRoot, dir))));
  return statSync(index).mtimeMs >= sources;
}

export async function buildBigscreen(): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: join(bigscreenSrc, 'vite.config.ts'), logLevel: 'warn' });
}

export async function ensureBuilt(): Promise<boolean> {
  if (isBuildFresh()) return false;
  await buildBigscreen();
  return true;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildBigscreen();
  console.log(`built ${bigscreenDist}`);
}
