// The recommendation jobs: item similarity (with the popularity fallback) and
// association rules. Settings are fixed per job set; the defaults are
// DEFAULT_RECOMMENDATION_SETTINGS (docs/recommendations.md).
import type { Job } from '../jobs/job-runner.ts';
import { createAssociationRulesJob } from './association-rules-job.ts';
import { createItemSimilarityJob } from './item-similarity-job.ts';
import { assertValidSettings, DEFAULT_RECOMMENDATION_SETTINGS, type RecommendationSettings } from './settings.ts';

export function createRecommendationJobs(settings: RecommendationSettings = DEFAULT_RECOMMENDATION_SETTINGS): Job[] {
  assertValidSettings(settings);
  return [createItemSimilarityJob(settings), createAssociationRulesJob(settings)];
}
