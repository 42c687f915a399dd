// Who an id names, by the rule of api/metrics/person.ts: the person and the
// anonymous ids whose events without user_id are theirs. Two small reads of
// `identities` (the second only when the id is a visitor identified as
// someone else).
import type { ClickHouseClient } from '@clickhouse/client';
import { ownAnonymousIds, resolvePerson, visitorIdentitiesQuery, type VisitorIdentity } from '../metrics/person.ts';

export interface PersonIds {
  /** the person's key: a user_id, or the anonymous_id of a visitor never identified */
  person: string;
  /** bound as person_anons with PERSON_EVENTS_SQL */
  anonymousIds: string[];
}

async function identitiesAround(client: ClickHouseClient, id: string): Promise<VisitorIdentity[]> {
  const result = await client.query({ query: visitorIdentitiesQuery(), query_params: { person: id }, format: 'JSONEachRow' });
  return result.json<VisitorIdentity>();
}

export async function lookupPerson(client: ClickHouseClient, id: string): Promise<PersonIds> {
  const around = await identitiesAround(client, id);
  const person = resolvePerson(id, around);
  const identities = person === id ? around : await identitiesAround(client, person);
  return { person, anonymousIds: ownAnonymousIds(person, identities) };
}
