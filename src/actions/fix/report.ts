import type { Link, Reply, Tone } from '../../bot/reply.js';
import type { Autofix, AutofixOutcome } from '../../sessions/autofixes.js';
import type { FixTarget } from './target.js';

export const OUTCOME_LABEL = 'Outcome';

export interface ReportFacts {
  target: FixTarget;
  record: Autofix;
  /** the root cause as shown: Claude's explanation when there is one, else the rules' summary */
  rootCause: string;
  confidence: number;
  correlationId: string;
}

function fixLine(target: FixTarget, record: Autofix): string {
  if (record.kind === 'retry') return `Retried job ${target.job.name}${record.newJob ? ` as #${record.newJob.id}` : ''}`;
  const fix = target.fix;
  const pkg = fix.kind === 'add-dependency' ? fix.package : '';
  const where = record.manifest ? ` to ${record.manifest}` : '';
  return `Merge request${record.mergeRequest ? ` !${record.mergeRequest.iid}` : ''} adds ${pkg}${where} (branch ${record.branch ?? '?'} into ${target.targetBranch ?? '?'})`;
}

function waitingLine(target: FixTarget, record: Autofix): string {
  return record.kind === 'retry' ? `waiting for pipeline #${target.pipelineId} to finish` : `waiting for the pipeline of ${record.branch ?? 'the fix branch'}`;
}

/** The auto-fix report: what failed, why, what aiops did; the outcome is edited in later. */
export function fixReport(facts: ReportFacts): Reply {
  const { target, record } = facts;
  const what = record.kind === 'retry' ? `retried job ${target.job.name}` : `merge request !${record.mergeRequest?.iid ?? '?'} adds ${target.fix.kind === 'add-dependency' ? target.fix.package : ''}`;
  const links: Link[] = [
    { label: `Pipeline #${target.pipelineId}`, url: target.pipelineUrl },
    { label: `Log of ${target.job.name}`, url: target.job.url },
    ...(record.newJob ? [{ label: `Job #${record.newJob.id}`, url: record.newJob.url }] : []),
    ...(record.mergeRequest ? [{ label: `Merge request !${record.mergeRequest.iid}`, url: record.mergeRequest.url }] : []),
  ];
  const by = record.origin === 'auto' ? 'Applied by aiops under the auto-fix policy' : `Applied by aiops, approved by ${record.by.name}`;
  return {
    text: `*Auto-fix for ${target.service}: ${what}*`,
    tone: 'info',
    fields: [
      { label: 'Project', value: target.project },
      { label: 'Branch', value: target.ref },
      { label: 'Pipeline', value: `#${target.pipelineId} failed in job ${target.job.name} (${target.job.stage})` },
      { label: 'Root cause', value: facts.rootCause },
      { label: 'Fix applied', value: fixLine(target, record) },
      { label: OUTCOME_LABEL, value: waitingLine(target, record) },
    ],
    ...(target.evidence.length > 0 ? { sections: [{ title: 'Evidence', lines: target.evidence.slice(0, 3) }] } : {}),
    links,
    context: [`${by} (${target.playbookId}, confidence ${facts.confidence.toFixed(2)}) · ref ${facts.correlationId}`],
  };
}

const OUTCOME: Record<AutofixOutcome, { tone: Tone; text: (record: Autofix, pipeline: string) => string }> = {
  success: { tone: 'success', text: (record, pipeline) => `✓ ${pipeline} succeeded${record.kind === 'retry' ? ' after the retry' : ': the fix works; review and merge it'}` },
  failed: { tone: 'error', text: (record, pipeline) => `✗ ${pipeline} failed again${record.kind === 'retry' ? '; aiops retries a job only once, so it needs a person' : '; the fix was not enough'}` },
  canceled: { tone: 'warning', text: (_record, pipeline) => `⊘ ${pipeline} was canceled` },
  unknown: { tone: 'warning', text: (_record, pipeline) => `? aiops stopped watching ${pipeline}; check it in GitLab` },
};

/** The report with its outcome: the same message, edited, so the channel reads one story. */
export function withOutcome(report: Reply, record: Autofix): Reply {
  const outcome = record.outcome ?? 'unknown';
  const pipeline = record.outcomePipeline ? `pipeline #${record.outcomePipeline.id}` : record.kind === 'retry' ? `pipeline #${record.pipelineId}` : 'the fix pipeline';
  const { tone, text } = OUTCOME[outcome];
  const links = [...(report.links ?? [])];
  if (record.outcomePipeline && !links.some((link) => link.url === record.outcomePipeline!.url)) links.push({ label: `Pipeline #${record.outcomePipeline.id}`, url: record.outcomePipeline.url });
  return {
    ...report,
    tone,
    fields: (report.fields ?? []).map((field) => (field.label === OUTCOME_LABEL ? { ...field, value: text(record, pipeline) } : field)),
    links,
  };
}
