// Every analytics job, in the order a scheduled round runs them.
import { recommendationJobs } from '../recommendations/jobs.ts';
import { segmentJobs } from '../segments/jobs.ts';
import type { Job } from './job-runner.ts';

export const allJobs: Job[] = [...segmentJobs, ...recommendationJobs];
