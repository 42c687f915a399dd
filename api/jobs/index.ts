// Every analytics job, in the order a scheduled round runs them, over the
// history windows of the configuration (SEGMENTS_WINDOW_DAYS, RECS_WINDOW_DAYS).
import type { ApiConfig } from '../config.ts';
import { createRecommendationJobs } from '../recommendations/jobs.ts';
import { DEFAULT_RECOMMENDATION_SETTINGS, withWindowDays, type RecommendationSettings } from '../recommendations/settings.ts';
import { createSegmentJobs } from '../segments/jobs.ts';
import type { Job } from './job-runner.ts';

/** The recommendation settings the jobs and the routes share (the routes read a person's history with the same weights and caps). */
export function recommendationSettings(config: Pick<ApiConfig, 'recsWindowDays'>): RecommendationSettings {
  return withWindowDays(DEFAULT_RECOMMENDATION_SETTINGS, config.recsWindowDays);
}

export function createAllJobs(config: Pick<ApiConfig, 'segmentsWindowDays' | 'recsWindowDays'>): Job[] {
  return [...createSegmentJobs({ windowDays: config.segmentsWindowDays }), ...createRecommendationJobs(recommendationSettings(config))];
}
