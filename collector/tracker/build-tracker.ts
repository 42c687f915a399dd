// Bundles the browser tracker (t.ts) into the self-contained script the
// collector serves as GET /t.js. Nothing is written to disk.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ENTRY = fileURLToPath(new URL('./t.ts', import.meta.url));

/** Returns the minified IIFE source of the tracker. ES2018 covers every browser with sendBeacon and keepalive fetch. */
export async function buildTracker(): Promise<string> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2018',
    platform: 'browser',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.text;
  if (!code) throw new Error('esbuild produced no tracker output');
  return code;
}
