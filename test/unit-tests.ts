// Every unit test in one process: the files are imported here and node:test
// runs their tests one after another. One process instead of one per file
// saves loading tsx and the modules a hundred times (about a minute of CPU on
// a 2-core machine). Unit tests sit next to their code (*.test.ts under
// collector/, stream-processor/, api/, bigscreen/, infra/); test/run.ts runs
// this file beside the engine tests.
import { pathToFileURL } from 'node:url';
import { unitTestFiles } from './helpers/test-files.ts';

for (const file of unitTestFiles()) await import(pathToFileURL(file).href);
