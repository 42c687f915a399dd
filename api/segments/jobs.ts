import type { Job } from '../jobs/job-runner.ts';

/** RFM, clusters and profile jobs (filled in by the segments work). */
export const segmentJobs: Job[] = [];
