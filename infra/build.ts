// Builds the big screen (Vite) into dist/bigscreen. `npm start` calls
// ensureBuilt(), which rebuilds only when a source file is newer than the build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const bigscreenSrc = join(repoRoot, 'bigscreen');
export const bigscreenDist = join(repoRoot, 'dist', 'bigscreen');

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
  // The wall also bundles api/live's snapshot types, protocol and province
  // names; the analyst pages the event contract's types.
  const sources = Math.max(
    newestMtime(bigscreenSrc),
    newestMtime(join(repoRoot, 'api', 'live')),
    newestMtime(join(repoRoot, 'collector', 'contract')),
  );
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
