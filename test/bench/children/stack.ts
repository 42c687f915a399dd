// The latency benchmark's subject: the whole system as `npm start -- --no-demo`
// runs it (collector, processor, embedded ClickHouse, API with /live) on the
// benchmark's broker, with its own topic, group and data dir (the test stack).
// Needs KAFKA_BROKERS in its environment. IPC: {type:'ready', url, token};
// stops on SIGTERM.
import { rmSync } from 'node:fs';
import { startTestStack, TEST_API_TOKEN } from '../../helpers/test-stack.ts';

const stack = await startTestStack({ demo: false });
process.send?.({ type: 'ready', url: stack.url, token: TEST_API_TOKEN });

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void stack
    .stop()
    .finally(() => {
      rmSync(stack.engines.dataDir, { recursive: true, force: true });
      process.exit(0);
    });
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
