// Reads the relative imports of the repository's source files, for the tests
// that hold the layout to its rules (infra/layout.test.ts, the screen build).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { repoRoot } from '../../infra/paths.ts';

export interface SourceImport {
  /** importing file, relative to the repository */
  from: string;
  /** imported file, relative to the repository */
  to: string;
  /** `import type …`: erased at build time */
  typeOnly: boolean;
}

/** Source files (.ts/.js) under `dir`, tests and node_modules left out. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(join(repoRoot, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The relative specifiers in a file's text and whether each is type-only. */
export function importSpecifiers(text: string): Array<{ spec: string; typeOnly: boolean }> {
  const out: Array<{ spec: string; typeOnly: boolean }> = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^'"]*?\s+from\s+)?['"](\.[^'"]+)['"]/gm)) {
    out.push({ spec: m[2]!, typeOnly: m[1] !== undefined });
  }
  for (const m of text.matchAll(/import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) out.push({ spec: m[1]!, typeOnly: false });
  return out;
}

export function importsUnder(dir: string): SourceImport[] {
  return sourceFiles(dir).flatMap((file) =>
    importSpecifiers(readFileSync(join(repoRoot, file), 'utf8')).map(({ spec, typeOnly }) => ({
      from: file,
      to: relative(repoRoot, resolve(repoRoot, dirname(file), spec)),
      typeOnly,
    })),
  );
}
