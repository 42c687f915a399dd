// Where the real public samples live for tests: ../shared/data next to the
// repository (never copied into it). Tests skip when it is absent.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../../paths.ts';

const SHARED_DATA_DIR = join(repoRoot, '..', 'shared', 'data');

export const sampleFile = (name: string): string => join(SHARED_DATA_DIR, name);
export const hasSample = (name: string): boolean => existsSync(sampleFile(name));

/** The file's lines 1..count (1-based, without line endings). */
export function sampleLines(name: string, count: number): string[] {
  return readFileSync(sampleFile(name), 'utf8').split(/\r?\n/).slice(0, count);
}
