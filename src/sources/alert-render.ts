import type { Plan } from '../actions/types.js';
import type { Button, Field, Reply, Section } from '../bot/reply.js';
import type { Service } from '../catalog/catalog.js';
import type { Incident } from '../sessions/incidents.js';
import { comparisonSymbol, describeMetric } from './alarm-event.js';
import { formatNumber, historyLines, type Enrichment } from './enrichment.js';
import { duration, hhmm, ownerName, when } from './format.js';
import type { ProposalDecision } from './proposal.js';

/** The alert and its later states, in the neutral reply model every platform renders. */

const ACTION_WORDS: Record<string, string> = { restart: 'Restart', scale: 'Scale out', rollback: 'Roll back', cleanup: 'Clean up disk', investigate: 'Investigate' };

const PENDING = 'Proposed by aiops · needs approval by';

export interface ApprovalMeta {
  id: string;
  expiresAt: string;
  fourEyes: boolean;
  approver: string;
}

function headline(incident: Incident): string {
  const where = incident.service ? ` (${incident.service}${incident.environment ? `, ${incident.environment}` : ''})` : '';
  return `${incident.alarm}${where}`;
}

function facts(incident: Incident, service: Service | undefined): Field[] {
  const fields: Field[] = [
    { label: 'Service', value: service ? `${service.name} (owner ${ownerName(service.owner)})` : 'none: no aiops/alarms prefix in the catalog matches' },
    { label: 'Since', value: when(incident.openedAt) },
  ];
  const value = incident.value !== undefined ? formatNumber(incident.value) : '?';
  if (incident.band) {
    fields.push({ label: 'Value', value: `${value}, outside the expected band ${formatNumber(incident.band.lower)} to ${formatNumber(incident.band.upper)}` });
  } else if (incident.value !== undefined || incident.threshold !== undefined) {
    const threshold = incident.threshold !== undefined ? formatNumber(incident.threshold) : '?';
    fields.push({ label: 'Value', value: `${value} ${comparisonSymbol(incident.comparison)} threshold ${threshold}` });
  }
  const metric = describeMetric(incident.metric);
  if (metric) fields.push({ label: 'Metric', value: metric });
  return fields;
}

function proposalSection(decision: ProposalDecision, plan: Plan | undefined): Section {
  const { record } = decision;
  const lines: string[] = [];
  if (plan) {
    lines.push(`*${plan.summary}*, confidence ${record.confidence.toFixed(2)} (rule: ${decision.verdict.rule}).`, record.why);
    if (record.rootCause) lines.push(`Claude's analysis: ${record.rootCause}`);
    lines.push(...plan.steps.map((step, index) => `${index + 1}. ${step}`), ...plan.warnings);
    return { title: 'Proposed recovery', lines };
  }
  lines.push(record.why);
  if (record.rootCause) lines.push(`Claude's analysis: ${record.rootCause} (confidence ${record.confidence.toFixed(2)})`);
  if (record.action !== 'investigate') lines.push(`The runbook's choice was: ${ACTION_WORDS[record.action] ?? record.action} (confidence ${record.confidence.toFixed(2)}); not proposed.`);
  return { title: 'Manual investigation needed', lines };
}

/** The first message: what fired, since when, value vs threshold, history, and the proposal. */
export function alertReply(incident: Incident, service: Service | undefined, enrichment: Enrichment, decision: ProposalDecision, approval: ApprovalMeta | undefined): Reply {
  const plan = approval ? decision.plan : undefined;
  const why = [incident.reason, ...(incident.description ? [incident.description] : [])];
  const buttons: Button[] = approval && plan
    ? [
        {
          label: 'Approve',
          choice: 'approve',
          target: approval.id,
          style: 'primary',
          ...(approval.fourEyes ? { confirm: { title: 'Approve this recovery?', text: `${plan.summary}. This runs as soon as you confirm.`, confirm: 'Approve', deny: 'Not yet' } } : {}),
        },
        { label: 'Dismiss', choice: 'reject', target: approval.id, style: 'default' },
      ]
    : [];
  const context = [`Incident ${incident.id} · ref ${incident.correlationId}`, ...(approval ? [`${PENDING} ${approval.approver} · expires ${hhmm(approval.expiresAt)}`] : [])];
  return {
    text: `*ALARM: ${headline(incident)}*`,
    tone: 'error',
    fields: [...facts(incident, service), ...(plan ? plan.fields.filter((field) => field.label !== 'Alarm') : [])],
    sections: [{ title: 'Why', lines: why }, { title: 'History', lines: historyLines(incident, enrichment) }, proposalSection(decision, plan)],
    ...(buttons.length > 0 ? { buttons } : {}),
    context,
  };
}

/** The same alert once the alarm is back to OK: no buttons, the time to recover, what happened. */
export function resolvedReply(incident: Incident, outcome: string[]): Reply {
  const original = incident.reply ?? { text: '' };
  const { buttons: _buttons, ...rest } = original;
  const took = incident.resolvedAt ? duration(Date.parse(incident.resolvedAt) - Date.parse(incident.openedAt)) : 'unknown';
  return {
    ...rest,
    text: `*RESOLVED: ${headline(incident)}*, back to OK after ${took}`,
    tone: 'success',
    fields: [...(original.fields ?? []), { label: 'Resolved', value: incident.resolvedAt ? when(incident.resolvedAt) : 'now' }, { label: 'Time to recover', value: took }],
    sections: (original.sections ?? []).map((section) => (section.title === 'Proposed recovery' ? { ...section, title: 'Recovery proposed' } : section)),
    // the approval is settled by now: its "needs approval, expires" line would only mislead
    context: [...(original.context ?? []).filter((line) => !line.startsWith(PENDING)), ...outcome],
  };
}

export function escalationReply(incident: Incident, service: Service | undefined, verifyMinutes: number): Reply {
  const recovery = incident.recovery!;
  const owners = service ? ownerName(service.owner) : 'whoever owns this alarm';
  return {
    text: `*Escalating to ${owners}:* ${incident.alarm} is still in ALARM ${verifyMinutes} min after ${ACTION_WORDS[recovery.action]?.toLowerCase() ?? recovery.action} by ${recovery.by}${recovery.dryRun ? ' (a dry-run, which changed nothing)' : ''}.`,
    tone: 'error',
    sections: [
      {
        title: 'Next',
        lines: [
          `${owners}: the recovery did not bring the alarm back to OK; please take over.`,
          `Another ${recovery.action} is held back by the cooldown (AIOPS_COOLDOWN_MINUTES) so it cannot loop; a different recovery can still be asked for in this channel.`,
        ],
      },
    ],
    context: [`Incident ${incident.id} · ref ${recovery.correlationId}`],
  };
}

export function verifiedLine(incident: Incident): string {
  const recovery = incident.recovery!;
  const after = duration(Date.parse(incident.resolvedAt ?? recovery.at) - Date.parse(recovery.at));
  return `Recovery verified: ${incident.alarm} returned to OK ${after} after ${ACTION_WORDS[recovery.action]?.toLowerCase() ?? recovery.action} by ${recovery.by}${recovery.dryRun ? ' (a dry-run: it recovered on its own)' : ''}.`;
}

export function stateNoteReply(incident: Incident, state: string, reason: string, at: string): Reply {
  return { text: `${incident.alarm} is now *${state}* (since ${hhmm(at)}).`, tone: state === 'ALARM' ? 'error' : 'warning', context: [reason.slice(0, 500)] };
}
