// npm start rebuilds the screen when a file it bundles changed: that holds
// only while the screen imports code from BUNDLED_SOURCE_DIRS alone.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../paths.ts';
import { BUNDLED_SOURCE_DIRS } from './build.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.test.ts') && entry.name !== 'vite.config.ts' ? [path] : [];
  });
}

/** Relative specifiers of the imports that reach the bundle (`import type` is erased; anything else is kept). */
function bundledImports(text: string): string[] {
  const specs: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^'"]*?\s+from\s+)?['"](\.[^'"]+)['"]/gm)) {
    if (!m[1]) specs.push(m[2]!);
  }
  for (const m of text.matchAll(/import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) specs.push(m[1]!);
  return specs;
}

test('the screen bundles code only from the folders the build watches', () => {
  const allowed = BUNDLED_SOURCE_DIRS.map((d) => join(repoRoot, d) + sep);
  const outside: string[] = [];
  for (const file of sourceFiles(join(repoRoot, 'bigscreen'))) {
    for (const spec of bundledImports(readFileSync(file, 'utf8'))) {
      const target = resolve(dirname(file), spec);
      if (!allowed.some((dir) => target.startsWith(dir))) outside.push(`${relative(repoRoot, file)} → ${relative(repoRoot, target)}`);
    }
  }
  assert.deepEqual(outside, []);
});

test('the import reader sees value imports and skips type-only ones', () => {
  assert.deepEqual(
    bundledImports("import { a } from '../x.ts';\nimport type { B } from '../y.ts';\nimport '../side.ts';\nexport { c } from './z.ts';\nconst m = import('./lazy.ts');"),
    ['../x.ts', '../side.ts', './z.ts', './lazy.ts'],
  );
});
