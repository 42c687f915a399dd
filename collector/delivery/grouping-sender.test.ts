import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createGroupingSender } from './grouping-sender.ts';
import type { MessageSender } from './kafka-sender.ts';
import type { OutgoingMessage } from '../steps/to-kafka-messages.ts';

const msg = (value: string): OutgoingMessage => ({ topic: 't', key: value, value });
const values = (messages: OutgoingMessage[]) => messages.map((m) => m.value);

/** An inner sender whose sends stay pending until the test settles them. */
function controlledSender() {
  const sends: Array<{ values: string[]; resolve: () => void; reject: (err: Error) => void }> = [];
  const sender: MessageSender = {
    send: (messages) => new Promise<void>((resolve, reject) => void sends.push({ values: values(messages), resolve, reject })),
    retire: () => undefined,
    probe: async () => true,
    close: async () => undefined,
  };
  return { sender, sends };
}
const settle = () => new Promise<void>((r) => setImmediate(r));

test('an idle sender sends at once; calls arriving meanwhile share the next request, in order', async () => {
  const { sender, sends } = controlledSender();
  const grouping = createGroupingSender(sender);
  const first = grouping.send([msg('a')]);
  await settle();
  assert.deepEqual(sends.map((s) => s.values), [['a']]);
  const second = grouping.send([msg('b'), msg('c')]);
  const third = grouping.send([msg('d')]);
  await settle();
  assert.equal(sends.length, 1, 'nothing more while the first is in flight');
  sends[0]!.resolve();
  await first;
  await settle();
  assert.deepEqual(sends.map((s) => s.values), [['a'], ['b', 'c', 'd']]);
  sends[1]!.resolve();
  await Promise.all([second, third]);
});

test('a failed shared request rejects every call in it and only those', async () => {
  const { sender, sends } = controlledSender();
  const grouping = createGroupingSender(sender);
  const first = grouping.send([msg('a')]);
  await settle();
  const second = grouping.send([msg('b')]);
  const third = grouping.send([msg('c')]);
  sends[0]!.resolve();
  await first;
  await settle();
  sends[1]!.reject(new Error('broker gone'));
  await assert.rejects(second, /broker gone/);
  await assert.rejects(third, /broker gone/);
  const fourth = grouping.send([msg('d')]);
  await settle();
  assert.deepEqual(sends[2]!.values, ['d']);
  sends[2]!.resolve();
  await fourth;
});

test('a group holds whole calls up to maxGroupMessages', async () => {
  const { sender, sends } = controlledSender();
  const grouping = createGroupingSender(sender, { maxGroupMessages: 3 });
  const calls = [grouping.send([msg('a')])];
  await settle();
  calls.push(grouping.send([msg('b'), msg('c')]), grouping.send([msg('d'), msg('e')]), grouping.send([msg('f'), msg('g'), msg('h'), msg('i')]));
  for (let i = 0; i < 4; i++) {
    await settle();
    sends[i]?.resolve();
  }
  await Promise.all(calls);
  assert.deepEqual(sends.map((s) => s.values), [['a'], ['b', 'c'], ['d', 'e'], ['f', 'g', 'h', 'i']]);
});
