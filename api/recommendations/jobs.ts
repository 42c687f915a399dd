import type { Job } from '../jobs/job-runner.ts';

/** Item similarity and association-rule jobs (filled in by the recommendations work). */
export const recommendationJobs: Job[] = [];
