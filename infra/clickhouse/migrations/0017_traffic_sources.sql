-- Where visits come from (README "Traffic sources"). Every event carries the
-- channel, source, medium and campaign fields of its session's touch as the
-- processor classified it (stream-processor/steps/classify-touch.ts), and
-- the browser's first touch; a session's are those of its first event.
-- Events stored before this migration have them empty: the touch was not
-- kept, so there is nothing to classify them from.
ALTER TABLE events
    ADD COLUMN IF NOT EXISTS channel LowCardinality(String) COMMENT 'direct | organic_search | paid_search | social | email | affiliate | display | referral | internal | other' AFTER geo_city,
    ADD COLUMN IF NOT EXISTS source LowCardinality(String) COMMENT 'the named site (baidu, wechat, …), else utm_source or the referrer host; (direct)' AFTER channel,
    ADD COLUMN IF NOT EXISTS medium LowCardinality(String) COMMENT 'utm_medium, else organic | cpc | social | email | referral | internal | (none)' AFTER source,
    ADD COLUMN IF NOT EXISTS campaign String COMMENT 'utm_campaign' AFTER medium,
    ADD COLUMN IF NOT EXISTS term String COMMENT 'utm_term, else the search term a search referrer shows' AFTER campaign,
    ADD COLUMN IF NOT EXISTS content String COMMENT 'utm_content' AFTER term,
    ADD COLUMN IF NOT EXISTS first_channel LowCardinality(String) COMMENT 'channel of the browser''s first touch; empty when the tracker did not send one' AFTER content,
    ADD COLUMN IF NOT EXISTS first_source LowCardinality(String) AFTER first_channel,
    ADD COLUMN IF NOT EXISTS first_medium LowCardinality(String) AFTER first_source,
    ADD COLUMN IF NOT EXISTS first_campaign String AFTER first_medium,
    ADD COLUMN IF NOT EXISTS first_touch_at Nullable(DateTime64(3, 'UTC')) COMMENT 'when the browser first came (client time + skew_ms, as ts)' AFTER first_campaign;

-- The session's traffic fields, from its first event (argMin by ts): one
-- state for the six, so they always come from the same event.
ALTER TABLE sessions_agg
    ADD COLUMN IF NOT EXISTS traffic AggregateFunction(argMin, Tuple(String, String, String, String, String, String), DateTime64(3, 'UTC'));

DROP VIEW IF EXISTS sessions_agg_mv;
CREATE MATERIALIZED VIEW IF NOT EXISTS sessions_agg_mv TO sessions_agg AS
SELECT
    session_id,
    any(anonymous_id)                                        AS anonymous_id,
    max(user_id)                                             AS user_id,
    min(ts)                                                  AS started_at,
    max(ts)                                                  AS ended_at,
    count()                                                  AS events,
    countIf(type = 'page_view')                              AS pages,
    argMinStateIf(page_url, ts, page_url != '')              AS entry_page,
    argMaxStateIf(page_url, ts, page_url != '')              AS exit_page,
    countIf(type = 'order_pay')                              AS orders_paid,
    toDecimal128(sumIf(ifNull(order_amount, 0), type = 'order_pay'), 2) AS revenue,
    argMinState(tuple(toString(channel), toString(source), toString(medium), campaign, term, content), ts) AS traffic
FROM events
GROUP BY session_id;

CREATE OR REPLACE VIEW sessions AS
SELECT
    session_id,
    anonymous_id_m                                   AS anonymous_id,
    user_id_m                                        AS user_id,
    started_at_m                                     AS started_at,
    ended_at_m                                       AS ended_at,
    dateDiff('millisecond', started_at_m, ended_at_m) AS duration_ms,
    events_m                                         AS events,
    pages_m                                          AS pages,
    entry_page_m                                     AS entry_page,
    exit_page_m                                      AS exit_page,
    pages_m <= 1                                     AS bounce,
    orders_paid_m > 0                                AS converted,
    revenue_m                                        AS revenue,
    traffic_m.1                                      AS channel,
    traffic_m.2                                      AS source,
    traffic_m.3                                      AS medium,
    traffic_m.4                                      AS campaign,
    traffic_m.5                                      AS term,
    traffic_m.6                                      AS content
FROM
(
    -- Merged under other names: an alias equal to a column name would be
    -- substituted inside the other aggregates.
    SELECT
        session_id,
        any(anonymous_id)       AS anonymous_id_m,
        max(user_id)            AS user_id_m,
        min(started_at)         AS started_at_m,
        max(ended_at)           AS ended_at_m,
        sum(events)             AS events_m,
        sum(pages)              AS pages_m,
        argMinMerge(entry_page) AS entry_page_m,
        argMaxMerge(exit_page)  AS exit_page_m,
        sum(orders_paid)        AS orders_paid_m,
        sum(revenue)            AS revenue_m,
        argMinMerge(traffic)    AS traffic_m
    FROM sessions_agg
    GROUP BY session_id
);
