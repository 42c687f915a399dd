import type { Enrichment } from '../contract/events.ts';
import { anonymiseIp } from './anonymise-ip.ts';
import { detectBot, type BotRules } from './detect-bot.ts';
import { lookupGeo, type RegionSearch } from './lookup-geo.ts';
import { parseUserAgent } from './parse-user-agent.ts';

export interface RequestFacts {
  receivedAt: number;
  userAgent: string;
  /** the full client address; used here and never returned */
  clientAddress: string;
}

export interface EnrichDeps {
  searchRegion: RegionSearch;
  bots: BotRules;
}

/** What every event of one request shares; skew_ms is per event (accept-batch). */
export type RequestEnrichment = Omit<Enrichment, 'skew_ms'>;

const MAX_USER_AGENT = 1024; // the contract's maxLength for user_agent

/**
 * Everything the collector learns from the request itself. Geo is looked up
 * from the full address first; the envelope then carries only its anonymised
 * form, so no full address leaves this function.
 */
export function enrichRequest(facts: RequestFacts, deps: EnrichDeps): RequestEnrichment {
  const userAgent = facts.userAgent.slice(0, MAX_USER_AGENT);
  const bot = detectBot(userAgent, deps.bots);
  return {
    received_at: facts.receivedAt,
    user_agent: userAgent,
    client_ip: anonymiseIp(facts.clientAddress),
    ...parseUserAgent(userAgent),
    ...lookupGeo(facts.clientAddress, deps.searchRegion),
    ...(bot ? { bot } : {}),
  };
}
