// The real public samples tests read: ../shared/data next to the repository
// (never copied into it; provenance and reference figures in its SOURCES.md).
// A test that needs one fails with this message when it is missing, rather
// than skipping and passing.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../infra/paths.ts';

const SHARED_DATA_DIR = join(repoRoot, '..', 'shared', 'data');

export const hasSample = (name: string): boolean => existsSync(join(SHARED_DATA_DIR, name));

/** The sample's path; throws naming what is missing and where it belongs. */
export function sampleFile(name: string): string {
  const path = join(SHARED_DATA_DIR, name);
  if (!existsSync(path)) {
    throw new Error(
      `the real sample ${name} is missing: tests read the public samples from ${SHARED_DATA_DIR} ` +
        '(../shared/data next to the repository, as CI has it); put the data there',
    );
  }
  return path;
}

/** The file's lines 1..count (1-based, without line endings). */
export function sampleLines(name: string, count: number): string[] {
  return readFileSync(sampleFile(name), 'utf8').split(/\r?\n/).slice(0, count);
}
