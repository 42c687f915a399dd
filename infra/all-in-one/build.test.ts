// npm start rebuilds the screen when a file it bundles changed: that holds
// only while the screen imports code from BUNDLED_SOURCE_DIRS alone.
import assert from 'node:assert/strict';
import { sep } from 'node:path';
import { test } from 'node:test';
import { importSpecifiers, importsUnder } from '../../test/helpers/source-imports.ts';
import { BUNDLED_SOURCE_DIRS } from './build.ts';

test('the screen bundles code only from the folders the build watches', () => {
  const outside = importsUnder('bigscreen')
    .filter((i) => !i.typeOnly && !i.from.endsWith('vite.config.ts'))
    .filter((i) => !BUNDLED_SOURCE_DIRS.some((dir) => i.to.startsWith(dir + sep)))
    .map((i) => `${i.from} → ${i.to}`);
  assert.deepEqual(outside, []);
});

test('the import reader sees value imports and marks type-only ones', () => {
  assert.deepEqual(
    importSpecifiers("import { a } from '../x.ts';\nimport type { B } from '../y.ts';\nimport '../side.ts';\nexport { c } from './z.ts';\nconst m = import('./lazy.ts');"),
    [
      { spec: '../x.ts', typeOnly: false },
      { spec: '../y.ts', typeOnly: true },
      { spec: '../side.ts', typeOnly: false },
      { spec: './z.ts', typeOnly: false },
      { spec: './lazy.ts', typeOnly: false },
    ],
  );
});
