import type { Link, Section } from '../bot/reply.js';
import type { Deployment } from '../sessions/deployments.js';
import type { EnvironmentState, ServiceState } from './status-data.js';

export type StatusSubject = 'versions' | 'deployments' | 'pipelines' | 'incidents' | 'approvals' | 'locks';

const at = (iso: string): string => `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
const MARK: Record<string, string> = { success: '✓', failed: '✗', canceled: '⊘', running: '▶', pending: '…', manual: '⏸', skipped: '↷', unknown: '?' };

function versionText(env: EnvironmentState): string {
  if (!env.running) return '—';
  const deployment = env.running;
  return `${deployment.version} (${at(deployment.startedAt)} by ${deployment.requestedBy.name}${deployment.pipelineId !== undefined ? `, #${deployment.pipelineId}` : ''})`;
}

function environmentLine(env: EnvironmentState): string {
  const parts = [`${env.environment}: ${versionText(env)}`];
  if (env.busy) parts.push(`now ${env.busy.summary.charAt(0).toLowerCase()}${env.busy.summary.slice(1)} (${env.busy.pipelineStatus ?? 'starting'}${env.busy.pipelineId !== undefined ? `, #${env.busy.pipelineId}` : ''})`);
  if (env.lock) parts.push(`locked by ${env.lock.lockedByName}${env.lock.reason ? ` (${env.lock.reason})` : ''}`);
  if (env.pending.length > 0) parts.push(`${env.pending.length} pending approval${env.pending.length > 1 ? 's' : ''}`);
  return parts.join(' · ');
}

function deploymentLine(deployment: Deployment): string {
  const what = deployment.version ? `${deployment.kind} ${deployment.version}` : deployment.action;
  const pipeline = deployment.pipelineId !== undefined ? ` (#${deployment.pipelineId})` : '';
  const approved = deployment.approvedBy ? `, approved by ${deployment.approvedBy.name}` : '';
  return `${at(deployment.startedAt)} ${what} → ${deployment.environment}: ${MARK[deployment.outcome] ?? ''} ${deployment.outcome}${pipeline} by ${deployment.requestedBy.name}${approved}`;
}

/** The sections for one service, focused on a subject when the user asked about one. */
export function serviceSections(state: ServiceState, subject: StatusSubject | undefined): { sections: Section[]; links: Link[] } {
  const wants = (candidate: StatusSubject): boolean => subject === undefined || subject === candidate;
  const sections: Section[] = [];
  if (wants('versions')) sections.push({ title: 'Running', lines: state.environments.map(environmentLine) });
  if (wants('deployments')) {
    const recent = state.environments
      .flatMap((env) => env.history)
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
      .slice(0, 5);
    sections.push({ title: 'Last deployments', lines: recent.length > 0 ? recent.map(deploymentLine) : ['none on record'] });
  }
  if (wants('pipelines') && (state.pipelines.length > 0 || state.gitlabProblem)) {
    sections.push({
      title: `Latest pipelines on ${state.branch}`,
      lines: state.pipelines.length > 0
        ? state.pipelines.map((pipeline) => `#${pipeline.id} ${MARK[pipeline.status] ?? ''} ${pipeline.status} (${pipeline.source ?? 'unknown'}, ${pipeline.sha.slice(0, 8)}${pipeline.created_at ? `, ${at(pipeline.created_at)}` : ''})`)
        : [`unavailable: ${state.gitlabProblem}`],
    });
  }
  const pending = state.environments.flatMap((env) => env.pending);
  if (wants('approvals') && (pending.length > 0 || subject === 'approvals')) {
    sections.push({
      title: 'Pending approvals',
      lines: pending.length > 0 ? pending.map((approval) => `${approval.reply.text.replace(/\*/g, '')}, asked by ${approval.requester.name} at ${at(approval.createdAt)}, expires ${approval.expiresAt.slice(11, 16)} UTC`) : ['none'],
    });
  }
  const locks = state.environments.flatMap((env) => (env.lock ? [env.lock] : []));
  if (wants('locks') && (locks.length > 0 || subject === 'locks')) {
    sections.push({
      title: 'Locks',
      lines: locks.length > 0 ? locks.map((lock) => `${lock.environment} locked by ${lock.lockedByName} since ${at(lock.lockedAt)}${lock.reason ? `: ${lock.reason}` : ''}`) : ['none'],
    });
  }
  const latest = state.pipelines[0];
  return { sections, links: latest ? [{ label: `Pipeline #${latest.id}`, url: latest.web_url }] : [] };
}

/** One line per service: what runs where, CI on the default branch, what waits. */
export function compactLine(state: ServiceState): string {
  const environments = state.environments.map((env) => `${env.environment} ${env.now.version ?? '—'}${env.now.busy ? ' ▶' : ''}${env.lock ? ' 🔒' : ''}`);
  const latest = state.pipelines[0];
  const ci = latest ? `${state.branch} ${MARK[latest.status] ?? ''}${latest.status} #${latest.id}` : state.gitlabProblem ? `${state.branch} ?` : undefined;
  const pending = state.environments.reduce((count, env) => count + env.pending.length, 0);
  return [`*${state.service.name}*`, environments.join(' | '), ...(ci ? [`CI ${ci}`] : []), ...(pending > 0 ? [`${pending} pending`] : [])].join(' · ');
}
