import type { Job } from '../jobs/job-runner.ts';
import { createClusterJob } from './cluster-job.ts';
import { createRfmJob } from './rfm-job.ts';

export interface SegmentJobsOptions {
  /** events of the last windowDays before each run (SEGMENTS_WINDOW_DAYS); undefined = all history */
  windowDays?: number | undefined;
}

/**
 * RFM and clusters over one history window (the RFM window and the clusters'
 * feature window are the same), seed 42, k = 2..8 (docs/segments.md). User
 * profiles are computed per request.
 */
export function createSegmentJobs(options: SegmentJobsOptions = {}): Job[] {
  const window = options.windowDays !== undefined ? { windowDays: options.windowDays } : {};
  return [createRfmJob(window), createClusterJob(window)];
}
