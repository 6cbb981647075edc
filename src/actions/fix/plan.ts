import type { Plan, PlannedCall } from '../types.js';
import { plan } from '../define.js';
import { describeFix } from '../diagnose/render.js';
import { fixBranch, type FixTarget } from './target.js';

export const FIX_LABELS = ['aiops', 'auto-fix'];

const encode = encodeURIComponent;

export function mergeRequestTitle(target: FixTarget, manifest: string): string {
  const fix = target.fix;
  return fix.kind === 'retry' ? '' : `Add ${fix.package} to ${manifest} (aiops fix for pipeline #${target.pipelineId})`;
}

/** Every call the fix makes, in order and as sent, so dry-run and the approval show exactly that. */
export function fixCalls(target: FixTarget): PlannedCall[] {
  const project = `/projects/${encode(target.project)}`;
  const fix = target.fix;
  if (fix.kind === 'retry') return [{ system: 'gitlab', method: 'POST', path: `${project}/jobs/${target.job.id}/retry` }];
  const branch = fixBranch(target);
  const manifest = fix.manifests.join('|');
  return [
    ...fix.manifests.map((path): PlannedCall => ({ system: 'gitlab', method: 'GET', path: `${project}/repository/files/${encode(path)}?ref=${target.sha}` })),
    { system: 'gitlab', method: 'POST', path: `${project}/repository/branches`, body: { branch, ref: target.sha } },
    {
      system: 'gitlab',
      method: 'POST',
      path: `${project}/repository/commits`,
      body: { branch, commit_message: `Add ${fix.package} to <${manifest}>`, actions: [{ action: 'update', file_path: `<${manifest}>`, content: `<${manifest} with ${fix.package} added>`, last_commit_id: '<its last commit>' }] },
    },
    {
      system: 'gitlab',
      method: 'POST',
      path: `${project}/merge_requests`,
      body: { source_branch: branch, target_branch: target.targetBranch, title: mergeRequestTitle(target, `<${manifest}>`), description: '<diagnosis and evidence>', labels: FIX_LABELS.join(','), remove_source_branch: true },
    },
  ];
}

/** The plan an approval stores for "Apply suggested fix"; execute() reads the target back with zod. */
export function fixPlan(target: FixTarget, withheld?: string): Plan {
  const fix = target.fix;
  const summary =
    fix.kind === 'retry'
      ? `Retry job ${target.job.name} of ${target.service} pipeline #${target.pipelineId}`
      : `Add ${fix.package} to ${target.service} in a merge request into ${target.targetBranch ?? '(no branch)'}`;
  const steps =
    fix.kind === 'retry'
      ? [`Retry job ${target.job.name} (#${target.job.id}) in pipeline #${target.pipelineId}, once`, 'Edit the outcome into the report when the pipeline finishes']
      : [
          `Read ${fix.manifests.join(' and ')} at ${target.sha.slice(0, 8)}; stop if ${fix.package} is already listed`,
          `Create branch ${fixBranch(target)} from ${target.sha.slice(0, 8)} and commit ${fix.package} to the first manifest the project has`,
          `Open a merge request into ${target.targetBranch ?? '(no branch)'} (nothing is pushed to ${target.targetBranch ?? 'it'})`,
          'Edit the outcome of its pipeline into the report',
        ];
  return plan({
    action: 'fix',
    summary,
    service: target.service,
    risk: 'low',
    approval: 'required',
    fields: [
      { label: 'Project', value: target.project },
      { label: 'Pipeline', value: `#${target.pipelineId} on ${target.ref}` },
      { label: 'Job', value: `${target.job.name} (${target.job.stage})` },
      { label: 'Diagnosis', value: `${target.title} (${target.playbookId})` },
      { label: 'Fix', value: describeFix(fix) },
    ],
    steps,
    calls: fixCalls(target),
    warnings: withheld ? [`Not applied automatically: ${withheld}.`] : [],
    data: { target },
  });
}
