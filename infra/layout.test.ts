// The dependency rules of the layout (README, Architecture): infra/ is the
// ground and imports no service; only infra/all-in-one/ (npm start, the
// stack, the demo, the importer) wires services together; a service uses
// another only through its contract.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { importsUnder } from '../test/helpers/source-imports.ts';

const SERVICES = ['collector', 'stream-processor', 'api', 'bigscreen'];
const serviceOf = (path: string) => SERVICES.find((s) => path.startsWith(`${s}/`));

/** What one service may import from another: the event contract, what the API shares with browsers, and (types only) the API's reply schemas. */
const isContract = (to: string, typeOnly: boolean) =>
  to.startsWith('collector/contract/') ||
  to.startsWith('api/wire/') ||
  (typeOnly && (/^api\/routes\/.+\/schemas\.ts$/.test(to) || to === 'api/jobs/job-runner.ts'));

test('infra/ outside infra/all-in-one/ imports no service', () => {
  const wrong = importsUnder('infra')
    .filter((i) => !i.from.startsWith('infra/all-in-one/') && serviceOf(i.to) !== undefined)
    .map((i) => `${i.from} → ${i.to}`);
  assert.deepEqual(wrong, []);
});

test('a service reaches another only through its contract', () => {
  const wrong = SERVICES.flatMap((service) => importsUnder(service))
    .filter((i) => {
      const target = serviceOf(i.to);
      return target !== undefined && target !== serviceOf(i.from) && !isContract(i.to, i.typeOnly);
    })
    .map((i) => `${i.from} → ${i.to}`);
  assert.deepEqual(wrong, []);
});

test('services do not import the all-in-one composition', () => {
  const wrong = SERVICES.flatMap((service) => importsUnder(service))
    .filter((i) => i.to.startsWith('infra/all-in-one/'))
    .map((i) => `${i.from} → ${i.to}`);
  assert.deepEqual(wrong, []);
});
