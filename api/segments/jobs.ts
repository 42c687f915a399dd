import type { Job } from '../jobs/job-runner.ts';
import { createClusterJob } from './cluster-job.ts';
import { createRfmJob } from './rfm-job.ts';

/**
 * RFM and clusters, with their defaults: all history before the run, seed 42,
 * k = 2..8 (docs/segments.md). User profiles are computed per request.
 */
export const segmentJobs: Job[] = [createRfmJob(), createClusterJob()];
