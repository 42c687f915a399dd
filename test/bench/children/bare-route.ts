// The collector benchmark's reference: a bare fastify route that parses the
// same body and checks every event with the contract's compiled validator, and
// answers without enrichment or Kafka. Usage: node --import tsx bare-route.ts '{"port":1234}'
import Fastify from 'fastify';
import { validateEvent } from '../../../collector/contract/validate-event.ts';

const { port } = JSON.parse(process.argv[2] ?? '{}') as { port: number };

const app = Fastify({ logger: false, bodyLimit: 1_048_576 });
app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_request, body, done) => {
  try {
    done(null, JSON.parse(body as string));
  } catch (err) {
    done(err as Error);
  }
});
app.post('/collect', async (request, reply) => {
  const events = (request.body as { events?: unknown }).events;
  if (!Array.isArray(events)) return reply.code(400).send({ error: '"events" must be an array' });
  let accepted = 0;
  for (const event of events) if (validateEvent(event).ok) accepted += 1;
  return reply.code(accepted === events.length ? 200 : 400).send({ accepted });
});

await app.listen({ port, host: '127.0.0.1' });
const stop = () => void app.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
