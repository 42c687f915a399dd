// Group commit for produce requests. The idempotent producer keeps one request
// in flight per broker, so concurrent HTTP requests used to queue behind each
// other, each paying a full acks=all round trip for its own 20 events. Here a
// send that arrives while another is in flight waits and goes out together
// with every other waiting send in the next request. An idle collector sends
// at once (no added latency); a busy one sends fewer, larger requests.
import type { OutgoingMessage } from '../steps/to-kafka-messages.ts';
import type { MessageSender } from './kafka-sender.ts';

interface Waiting {
  messages: OutgoingMessage[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Wraps a sender so concurrent send() calls share produce requests. Each call
 * still resolves only once Kafka acknowledged its own messages, and rejects if
 * the shared request failed (the caller spools its messages, as before). Calls
 * keep their order: a group holds whole calls, in arrival order.
 */
export function createGroupingSender(inner: MessageSender, options: { maxGroupMessages?: number } = {}): MessageSender {
  const maxGroupMessages = options.maxGroupMessages ?? 5000;
  let queue: Waiting[] = [];
  let sending = false;

  function takeGroup(): Waiting[] {
    let count = 0;
    let n = 0;
    while (n < queue.length && (n === 0 || count + queue[n]!.messages.length <= maxGroupMessages)) {
      count += queue[n]!.messages.length;
      n++;
    }
    const group = queue.slice(0, n);
    queue = queue.slice(n);
    return group;
  }

  async function pump(): Promise<void> {
    sending = true;
    try {
      while (queue.length > 0) {
        const group = takeGroup();
        try {
          await inner.send(group.length === 1 ? group[0]!.messages : group.flatMap((w) => w.messages));
          for (const w of group) w.resolve();
        } catch (err) {
          for (const w of group) w.reject(err);
        }
      }
    } finally {
      sending = false;
    }
  }

  return {
    send(messages) {
      if (messages.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        queue.push({ messages, resolve, reject });
        if (!sending) void pump();
      });
    },
    retire: () => inner.retire(),
    probe: () => inner.probe(),
    close: () => inner.close(),
  };
}
