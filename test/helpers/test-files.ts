// Where the tests are: unit tests next to their code, engine tests under
// test/integration and test/e2e.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../infra/paths.ts';

const UNIT_DIRS = ['collector', 'stream-processor', 'api', 'bigscreen', 'infra'];
const ENGINE_DIRS = [join('test', 'integration'), join('test', 'e2e')];

function findTests(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : findTests(path);
      return entry.name.endsWith('.test.ts') ? [path] : [];
    });
}

export const unitTestFiles = (): string[] => UNIT_DIRS.flatMap((d) => findTests(join(repoRoot, d)));
export const engineTestFiles = (): string[] => ENGINE_DIRS.flatMap((d) => findTests(join(repoRoot, d)));
