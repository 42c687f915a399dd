import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../infra/paths.ts';
import { PROCESSOR_NODE_FLAGS } from './config.ts';

test('the scripts that run the processor pass its Node flags', () => {
  const { scripts } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  for (const name of ['processor', 'start']) {
    for (const flag of PROCESSOR_NODE_FLAGS) assert.match(scripts[name] ?? '', new RegExp(` tsx ${flag} `), `npm run ${name} lacks ${flag}`);
  }
});
