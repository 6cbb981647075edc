import type { Link, Reply, Tone } from '../../bot/reply.js';
import type { Deployment, JobState } from '../../sessions/deployments.js';

const MARK: Record<string, string> = {
  success: '✓',
  failed: '✗',
  canceled: '⊘',
  skipped: '↷',
  running: '▶',
  manual: '⏸',
};

export function duration(fromIso: string, toIso: string): string {
  const seconds = Math.max(0, Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

const hhmm = (iso: string): string => `${iso.slice(11, 16)} UTC`;

function jobLine(job: JobState): string {
  const reason = job.failureReason ? `, ${job.failureReason.replace(/_/g, ' ')}` : '';
  return `${MARK[job.status] ?? '·'} ${job.name} (${job.stage}): ${job.status}${reason}`;
}

/** The job that sank the pipeline, if one did (allowed failures do not count). */
export function blamedJob(deployment: Deployment): JobState | undefined {
  return deployment.jobs?.find((job) => job.status === 'failed');
}

function pipelineLabel(deployment: Deployment): string {
  return deployment.pipelineId === undefined ? 'no pipeline' : `pipeline #${deployment.pipelineId}`;
}

function links(deployment: Deployment): Link[] {
  const result: Link[] = [];
  if (deployment.pipelineUrl && deployment.pipelineId !== undefined) result.push({ label: `Pipeline #${deployment.pipelineId}`, url: deployment.pipelineUrl });
  const failed = blamedJob(deployment);
  if (failed && deployment.outcome === 'failed') result.push({ label: `Log of ${failed.name}`, url: failed.webUrl });
  return result;
}

function who(deployment: Deployment): string {
  return `Requested by ${deployment.requestedBy.name}${deployment.approvedBy ? ` · approved by ${deployment.approvedBy.name}` : ''} · ref ${deployment.correlationId}`;
}

/** One line saying how it ended, shared by the status message and the outcome post. */
export function outcomeLine(deployment: Deployment): string {
  const took = deployment.finishedAt ? ` in ${duration(deployment.startedAt, deployment.finishedAt)}` : '';
  switch (deployment.outcome) {
    case 'success':
      return `succeeded${took} (${pipelineLabel(deployment)})`;
    case 'failed': {
      const job = blamedJob(deployment);
      const cause = job ? `job ${job.name} (${job.stage}) failed${job.failureReason ? `: ${job.failureReason.replace(/_/g, ' ')}` : ''}` : (deployment.detail ?? 'the pipeline failed');
      return `failed${took}: ${cause} (${pipelineLabel(deployment)})`;
    }
    case 'canceled':
      return `was canceled in GitLab${took} (${pipelineLabel(deployment)})`;
    case 'unknown':
      return `outcome unknown: ${deployment.detail ?? 'aiops lost track of it'}`;
    default:
      return `${deployment.pipelineStatus ?? 'pending'} (${pipelineLabel(deployment)}, since ${hhmm(deployment.startedAt)})`;
  }
}

const TONE: Record<Deployment['outcome'], Tone> = {
  pending: 'info',
  running: 'info',
  success: 'success',
  failed: 'error',
  canceled: 'warning',
  unknown: 'warning',
};

/** The status message in the thread, edited as the pipeline moves and once more when it ends. */
export function statusReply(deployment: Deployment, note?: string): Reply {
  const jobs = deployment.jobs ?? [];
  const waiting = jobs.find((job) => job.status === 'manual');
  const context = [who(deployment)];
  if (deployment.pipelineStatus === 'manual' && waiting) context.unshift(`Waiting for someone to run the manual job ${waiting.name} in GitLab.`);
  if (note) context.unshift(note);
  return {
    text: `*${deployment.summary}*: ${outcomeLine(deployment)}`,
    tone: TONE[deployment.outcome],
    ...(jobs.length > 0 ? { sections: [{ title: 'Jobs', lines: jobs.map(jobLine) }] } : {}),
    links: links(deployment),
    context,
  };
}

/** The closing message: a new post, so the thread is notified (edits are silent). */
export function outcomeReply(deployment: Deployment): Reply {
  const next: string[] = [];
  if (deployment.outcome === 'failed' && deployment.pipelineId !== undefined) {
    next.push(`Say \`troubleshoot ${deployment.service} pipeline ${deployment.pipelineId}\` for a diagnosis${deployment.kind === 'deploy' ? `, or \`rollback ${deployment.service} ${deployment.environment}\`` : ''}.`);
  }
  return {
    text: `*${deployment.summary}* ${outcomeLine(deployment)}.`,
    tone: TONE[deployment.outcome],
    links: links(deployment),
    context: [...next, who(deployment)],
  };
}
