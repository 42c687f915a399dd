import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makeTodayTotals } from '../../test/fixtures/today-totals.ts';
import { buildSnapshot, EMPTY_SLOW_INPUT, trafficRange, type FastInput } from '../live/build-snapshot.ts';
import { applyDelta, diffSnapshots, parseClientMessage } from './live-protocol.ts';
import type { LiveSnapshot } from './live-snapshot.ts';
import { seededRandom } from '../../test/helpers/seeded-random.ts';

const T0 = Date.UTC(2026, 10, 11, 12, 0, 3);


function snapshotAt(now: number, random: () => number): LiveSnapshot {
  const range = trafficRange(now);
  const types = ['page_view', 'cart_add', 'order_pay', 'review'];
  const traffic = Array.from({ length: 30 }, () => ({
    t: range.fromMs + Math.floor(random() * 90) * 10_000,
    type: types[Math.floor(random() * types.length)]!,
    n: 1 + Math.floor(random() * 50),
  }));
  const input: FastInput = {
    now,
    timeZone: 'Asia/Shanghai',
    today: makeTodayTotals({ pv: Math.floor(random() * 1000), uv: Math.floor(random() * 100) }, { visitorsLast5Minutes: Math.floor(random() * 10) }),
    traffic,
    recentSeconds: [],
    topProducts: random() < 0.5 ? [] : [{ product_id: 'p', name: 'P', views: 1, cart_adds: 0, paid_units: 0, gmv: Math.floor(random() * 100) }],
    hourly: [],
    orders: [],
    lastEventAt: random() < 0.2 ? null : now - 1000,
  };
  return buildSnapshot(input, EMPTY_SLOW_INPUT);
}

/** JSON round trip, as the wire does. */
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('diffSnapshots / applyDelta', () => {
  test('apply(prev, diff(prev, next)) equals next, over 500 random pairs up to 40 s apart', () => {
    const random = seededRandom(42);
    for (let i = 0; i < 500; i++) {
      const t = T0 + Math.floor(random() * 3_600_000);
      const prev = snapshotAt(t, random);
      const next = snapshotAt(t + Math.floor(random() * 40_000), random);
      const delta = wire(diffSnapshots(prev, next));
      assert.deepEqual(applyDelta(wire(prev), delta), wire(next), `pair ${i}`);
    }
  });

  test('a one-second step that closes no bucket sends no series and only the changed fields', () => {
    const prev = snapshotAt(T0, seededRandom(1));
    const next = { ...prev, generated_at: prev.generated_at + 1000, today: { ...prev.today, pv: prev.today.pv + 1 } };
    const delta = diffSnapshots(prev, next);
    assert.deepEqual(Object.keys(delta.set).sort(), ['generated_at', 'today']);
    assert.equal(delta.eps, undefined);
  });

  test('when the window slides one bucket, the series travels as a patch of one point', () => {
    const prev = snapshotAt(T0, seededRandom(2));
    const range = trafficRange(T0 + 10_000);
    const points = [...prev.eps.points.slice(1), { t: range.toMs - 10_000, n: prev.eps.types.map(() => 3) }];
    const next: LiveSnapshot = { ...prev, eps: { ...prev.eps, points } };
    const delta = diffSnapshots(prev, next);
    assert.equal('eps' in delta.set, false);
    assert.deepEqual(delta.eps, { drop_before: points[0]!.t, upsert: [points[points.length - 1]] });
    assert.ok(JSON.stringify(delta).length < 300, JSON.stringify(delta));
  });

  test('unchanged fields keep their identity after apply, so the wall can skip redrawing them', () => {
    const prev = snapshotAt(T0, seededRandom(3));
    const next = { ...prev, today: { ...prev.today, pv: prev.today.pv + 5 } };
    const applied = applyDelta(prev, diffSnapshots(prev, next));
    assert.equal(applied.funnel, prev.funnel);
    assert.equal(applied.eps, prev.eps);
    assert.notEqual(applied.today, prev.today);
  });
});

test('client messages: hello with a string token, resync; anything else is refused', () => {
  assert.deepEqual(parseClientMessage('{"type":"hello","token":"abc"}'), { type: 'hello', token: 'abc' });
  assert.deepEqual(parseClientMessage('{"type":"resync"}'), { type: 'resync' });
  for (const bad of ['', 'nope', '[]', '{"type":"hello"}', '{"type":"hello","token":5}', '{"type":"drop"}', 'null']) {
    assert.equal(parseClientMessage(bad), null, bad);
  }
});
