import type { AutoFix } from '../../remediation/index.js';
import { deploysSomething, type JobDiagnosis } from '../diagnose/jobs.js';
import { isFixBranch, targetBranchOf, type FixTarget, type PipelineFacts } from './target.js';

export type FixOffer =
  /** the policy applies it alone */
  | { mode: 'auto'; target: FixTarget }
  /** a person may apply it with the button; `withheld` says why the policy did not */
  | { mode: 'suggest'; target: FixTarget; withheld: string }
  /** a fix exists but aiops will not apply it at all; `reason` says why */
  | { mode: 'blocked'; fix: AutoFix; reason: string };

export function fixTargetFor(pipeline: PipelineFacts, item: JobDiagnosis, fix: AutoFix): FixTarget {
  const { job, diagnosis } = item;
  return {
    service: pipeline.service,
    project: pipeline.project,
    pipelineId: pipeline.id,
    pipelineUrl: pipeline.url,
    ref: pipeline.ref,
    sha: pipeline.sha,
    targetBranch: targetBranchOf(pipeline),
    job: { id: job.id, name: job.name, stage: job.stage, url: job.url },
    playbookId: diagnosis.playbookId,
    title: diagnosis.title,
    summary: diagnosis.summary,
    ...(diagnosis.rootCause ? { rootCause: diagnosis.rootCause } : {}),
    confidence: diagnosis.confidence,
    evidence: diagnosis.evidence.map((line) => line.text.slice(0, 300)),
    fix,
  };
}

/**
 * The remediation library decides whether a fix is safe to apply alone (low risk, confident,
 * by the rules); here aiops adds what only the pipeline shows. A job that deploys is never
 * retried by aiops (deploys go through `deploy`, with their approvals); a pipeline on aiops's own
 * fix branch is never fixed again (no fix of a fix); a tag has no branch a merge request could
 * go into.
 */
export function fixOffer(pipeline: PipelineFacts, item: JobDiagnosis): FixOffer | undefined {
  const { diagnosis, job } = item;
  const fix = diagnosis.autoFix ?? diagnosis.suggestedFix;
  if (!fix) return undefined;
  const target = fixTargetFor(pipeline, item, fix);
  if (fix.kind === 'retry' && deploysSomething(job)) {
    return { mode: 'blocked', fix, reason: `job ${job.name} deploys${job.environment ? ` to ${job.environment}` : ''}; aiops does not retry deployments (retry it in GitLab, or ask aiops to deploy)` };
  }
  if (isFixBranch(pipeline.mergeRequestSourceBranch ?? pipeline.ref)) {
    return { mode: 'blocked', fix, reason: `the pipeline ran on ${pipeline.mergeRequestSourceBranch ?? pipeline.ref}, aiops's own fix branch; aiops does not fix its fixes` };
  }
  if (fix.kind === 'add-dependency' && !target.targetBranch) {
    return { mode: 'blocked', fix, reason: `the pipeline ran on ${pipeline.ref}, not a branch a merge request can go into` };
  }
  if (diagnosis.autoFix) return { mode: 'auto', target };
  return { mode: 'suggest', target, withheld: diagnosis.autoFixWithheld ?? 'the policy did not apply it alone' };
}
