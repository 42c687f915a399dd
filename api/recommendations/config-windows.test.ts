// The history windows of the analytics jobs come from the API config
// (SEGMENTS_WINDOW_DAYS, RECS_WINDOW_DAYS) and reach the jobs' settings.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readApiConfig } from '../config.ts';
import { createSegmentJobs } from '../segments/jobs.ts';
import { createRecommendationJobs } from './jobs.ts';
import { DEFAULT_RECOMMENDATION_SETTINGS, withWindowDays } from './settings.ts';

describe('job windows from the configuration', () => {
  test('defaults: segments over all history, recommendations over 90 days', () => {
    const config = readApiConfig({});
    assert.equal(config.segmentsWindowDays, undefined);
    assert.equal(config.recsWindowDays, DEFAULT_RECOMMENDATION_SETTINGS.windowDays);
  });

  test('set: plain positive integers only, every bad key named', () => {
    const config = readApiConfig({ SEGMENTS_WINDOW_DAYS: '365', RECS_WINDOW_DAYS: '30' });
    assert.equal(config.segmentsWindowDays, 365);
    assert.equal(config.recsWindowDays, 30);
    assert.throws(() => readApiConfig({ SEGMENTS_WINDOW_DAYS: '0', RECS_WINDOW_DAYS: '7.5' }), /SEGMENTS_WINDOW_DAYS[\s\S]*RECS_WINDOW_DAYS|RECS_WINDOW_DAYS[\s\S]*SEGMENTS_WINDOW_DAYS/);
  });

  test('the jobs are built with them', () => {
    assert.deepEqual(createSegmentJobs({ windowDays: 30 }).map((j) => j.name), ['rfm', 'clusters']);
    assert.deepEqual(createRecommendationJobs(withWindowDays(DEFAULT_RECOMMENDATION_SETTINGS, 30)).map((j) => j.name), ['item-similarity', 'association-rules']);
    assert.throws(() => createRecommendationJobs(withWindowDays(DEFAULT_RECOMMENDATION_SETTINGS, 0)), /windowDays/);
  });
});
