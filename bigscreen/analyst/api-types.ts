// The API's answers as TypeScript types, derived from the routes' own JSON
// schemas (type-only imports: nothing of the server reaches the bundle).
import type { Static } from '@sinclair/typebox';
import type {
  CategoryRankingReply,
  FunnelReply,
  HeatmapReply,
  OverviewReply,
  ProductRankingReply,
  ProvincesReply,
  RepurchaseReply,
  RetentionReply,
  SourcesReply,
  TimeSeriesReply,
} from '../../api/routes/analysis/schemas.ts';
import type { BoughtTogetherReply, PopularReply, SimilarReply, UserReply } from '../../api/routes/recommendations/schemas.ts';
import type { ClustersReply, ClusterUsersReply, ProfileReply, RfmReply, RfmUsersReply } from '../../api/routes/segments/schemas.ts';
import type { JobStatus } from '../../api/jobs/job-runner.ts';

export type Overview = Static<typeof OverviewReply>;
export type TimeSeries = Static<typeof TimeSeriesReply>;
export type TimePoint = TimeSeries['points'][number];
export type Funnel = Static<typeof FunnelReply>;
export type FunnelStep = Funnel['steps'][number];
export type Retention = Static<typeof RetentionReply>;
export type Cohort = Retention['cohorts'][number];
export type ProductRanking = Static<typeof ProductRankingReply>;
export type CategoryRanking = Static<typeof CategoryRankingReply>;
export type Provinces = Static<typeof ProvincesReply>;
export type Heatmap = Static<typeof HeatmapReply>;
export type HeatmapCell = Heatmap['cells'][number];
export type Repurchase = Static<typeof RepurchaseReply>;
export type Sources = Static<typeof SourcesReply>;
export type Rfm = Static<typeof RfmReply>;
export type RfmSegmentRow = Rfm['segments'][number];
export type RfmUsers = Static<typeof RfmUsersReply>;
export type RfmUser = RfmUsers['users'][number];
export type Clusters = Static<typeof ClustersReply>;
export type ClusterProfile = Clusters['clusters'][number];
export type KScore = Clusters['k_scores'][number];
export type ClusterUsers = Static<typeof ClusterUsersReply>;
export type ClusterUser = ClusterUsers['users'][number];
export type Profile = Static<typeof ProfileReply>;
export type Similar = Static<typeof SimilarReply>;
export type UserRecs = Static<typeof UserReply>;
export type Popular = Static<typeof PopularReply>;
export type BoughtTogether = Static<typeof BoughtTogetherReply>;
export type Rule = BoughtTogether['rules'][number];
export type Jobs = { jobs: JobStatus[] };
export type { JobStatus };
export type SqlReply = { rows: Record<string, unknown>[] };
