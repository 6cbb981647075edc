import type { GitLab, Job } from '../../integrations/gitlab.js';
import type { Logger } from '../../log.js';
import { analyzeFailure, analyzeFailureWithAdvisor, cleanTrace, type Diagnosis, type FailureAdvisor } from '../../remediation/index.js';

/** The failed jobs worth a diagnosis, at most this many per pipeline (their traces are fetched). */
export const MAX_JOBS = 3;

export interface FailedJob {
  id: number;
  name: string;
  stage: string;
  url: string;
  failureReason?: string;
  /** the environment the job deploys to, when GitLab says (webhook builds) or the job's name says */
  environment?: string;
}

export interface JobDiagnosis {
  job: FailedJob;
  diagnosis: Diagnosis;
  /** the front of the trace was dropped to keep the last 64 KB */
  truncated: boolean;
  /** how many secrets were masked in the trace */
  masked: number;
}

// the API's job object has no environment: a job named or staged like this deploys something
const DEPLOYING = /\b(deploy|deployment|release|rollout|promote|publish|production|prod)\b/i;

export function deploysSomething(job: Pick<FailedJob, 'name' | 'stage' | 'environment'>): boolean {
  return Boolean(job.environment) || DEPLOYING.test(job.name.replace(/[_:-]/g, ' ')) || DEPLOYING.test(job.stage.replace(/[_:-]/g, ' '));
}

/** Failed jobs that sank the pipeline (allowed failures do not), oldest first. */
export function failedJobsOf(jobs: readonly Job[]): FailedJob[] {
  return jobs
    .filter((job) => job.status === 'failed' && job.allow_failure !== true)
    .sort((a, b) => a.id - b.id)
    .map((job) => ({ id: job.id, name: job.name, stage: job.stage, url: job.web_url, ...(job.failure_reason ? { failureReason: job.failure_reason } : {}) }));
}

export interface DiagnoseDeps {
  gitlab: GitLab;
  advisor?: FailureAdvisor | undefined;
  log: Logger;
}

/**
 * Fetches each job's trace, cleans and masks it before anything else sees it, and diagnoses it.
 * The raw trace never leaves this function: not to the log, the store, Claude or chat.
 */
export async function diagnoseJobs(deps: DiagnoseDeps, project: string, jobs: readonly FailedJob[]): Promise<JobDiagnosis[]> {
  return Promise.all(
    jobs.slice(0, MAX_JOBS).map(async (job) => {
      const trace = cleanTrace(await deps.gitlab.jobTrace(project, job.id));
      const diagnosis = deps.advisor ? await analyzeFailureWithAdvisor(trace.text, deps.advisor) : analyzeFailure(trace.text);
      const masked = Object.values(trace.masked).reduce((sum, count) => sum + count, 0);
      const advice = 'advice' in diagnosis ? diagnosis.advice : undefined;
      deps.log.info({ project, job: job.id, playbook: diagnosis.playbookId, confidence: diagnosis.confidence, decidedBy: diagnosis.decidedBy, advice, masked, truncated: trace.truncated }, 'job diagnosed');
      return { job, diagnosis: withoutAdvice(diagnosis), truncated: trace.truncated, masked };
    }),
  );
}

/** The advisor's bookkeeping is for the log, not for what is stored or shown. */
function withoutAdvice(diagnosis: Diagnosis & { advice?: unknown }): Diagnosis {
  const { advice: _advice, ...rest } = diagnosis;
  return rest;
}
