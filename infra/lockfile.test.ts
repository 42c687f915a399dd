// `npm ci` refuses a lockfile that lacks any optional dependency of a locked
// package, including those for other platforms (chDB ships one native package
// per platform). The registry these machines use does not serve the other
// platforms' packages, so `npm install` here cannot add them back by itself:
// this keeps the lockfile installable everywhere.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './paths.ts';

interface LockedPackage {
  version?: string;
  optionalDependencies?: Record<string, string>;
}

test('every optional dependency of a locked package has its own lock entry (npm ci needs them)', () => {
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockedPackage> };
  const missing: string[] = [];
  for (const [path, pkg] of Object.entries(lock.packages)) {
    for (const [name, range] of Object.entries(pkg.optionalDependencies ?? {})) {
      // npm resolves a dependency in the nearest node_modules up the tree.
      const candidates = [`${path}/node_modules/${name}`, `node_modules/${name}`];
      if (!candidates.some((c) => lock.packages[c] !== undefined)) missing.push(`${path || '(root)'} → ${name}@${range}`);
    }
  }
  assert.deepEqual(missing, []);
});
