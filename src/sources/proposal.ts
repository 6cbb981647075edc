import type { ActionContext, Plan, PlannedCall } from '../actions/types.js';
import type { Service } from '../catalog/catalog.js';
import { isUserError } from '../errors.js';
import type { RecoveryAction } from '../intents/schema.js';
import { adjustForHistory, recoveryFor, type RunbookVerdict } from '../remediation/runbook.js';
import type { Incident, ProposalRecord } from '../sessions/incidents.js';
import { describeMetric } from './alarm-event.js';
import { secondOpinion, type IncidentAnalysis, type IncidentAnalyst } from './analyst.js';
import { historyLines, outcomeOf, type Enrichment } from './enrichment.js';

/**
 * Turns an incident into a recovery proposal, or into a request for manual investigation with
 * the reason. An action is proposed only when the runbook names one, its confidence (Claude's,
 * when it agrees) reaches AIOPS_RECOVERY_MIN_CONFIDENCE, the catalog and the policy allow it,
 * and the recover action can plan it (known project, no cooldown).
 */

export interface ProposalDeps {
  analyst: IncidentAnalyst;
  minConfidence: number;
  /** the context the recover action plans in, acting as aiops */
  actionContext: ActionContext;
}

export interface ProposalDecision {
  record: ProposalRecord;
  verdict: RunbookVerdict;
  analysis?: IncidentAnalysis;
  /** the recover plan, only when proposed */
  plan?: Plan;
}

export const SYSTEM_REQUESTER = { key: 'aiops:alerts', name: 'aiops' } as const;

// an opinion that comes later than this is not worth holding the alert for
const ANALYSIS_TIMEOUT_MS = 8000;

export async function decideRecovery(deps: ProposalDeps, incident: Incident, service: Service | undefined, enrichment: Enrichment): Promise<ProposalDecision> {
  const ctx = deps.actionContext;
  const past = enrichment.similar.flatMap((similar) => (similar.recovery ? [similar.recovery] : []));
  const verdict = adjustForHistory(
    recoveryFor({
      alarm: incident.alarm,
      ...(incident.description ? { description: incident.description } : {}),
      ...(incident.metric ? { metric: incident.metric } : {}),
      firedAt: incident.openedAt,
      ...(enrichment.deployment ? { recentDeployment: enrichment.deployment } : {}),
    }),
    past,
  );
  const analysis = await secondOpinion(
    deps.analyst,
    {
      alarm: incident.alarm,
      ...(incident.service ? { service: incident.service } : {}),
      ...(incident.environment ? { environment: incident.environment } : {}),
      ...(describeMetric(incident.metric) ? { metric: describeMetric(incident.metric) } : {}),
      reason: incident.reason,
      ...(incident.value !== undefined ? { value: incident.value } : {}),
      ...(incident.threshold !== undefined ? { threshold: incident.threshold } : {}),
      firedAt: incident.openedAt,
      history: historyLines(incident, enrichment),
      similar: enrichment.similar.map((similar) => `${similar.openedAt} ${similar.alarm}: ${outcomeOf(similar)}`),
      ...(enrichment.deployment ? { recentDeployment: enrichment.deployment } : {}),
      runbook: { action: verdict.action, confidence: verdict.confidence, rule: verdict.rule, why: verdict.why },
    },
    ctx.log,
    ANALYSIS_TIMEOUT_MS,
  );
  const confidence = analysis && (!analysis.action || analysis.action === verdict.action) ? analysis.confidence : verdict.confidence;
  const base = { action: verdict.action, confidence, ...(analysis ? { rootCause: analysis.rootCause } : {}) };
  const refuse = (reason: string): ProposalDecision => ({
    record: { ...base, proposed: false, why: `${verdict.why} ${reason}`.trim() },
    verdict,
    ...(analysis ? { analysis } : {}),
  });

  if (verdict.action === 'investigate') return refuse('');
  if (analysis?.action && analysis.action !== verdict.action) {
    return refuse(`Claude suggests ${analysis.action} instead of ${verdict.action} (confidence ${analysis.confidence.toFixed(2)}), so a person should decide.`);
  }
  if (!service || !incident.environment) return refuse(`The alarm belongs to no service in the catalog (aiops/alarms), so there is nothing to ${verdict.action}.`);
  if (confidence < deps.minConfidence) {
    return refuse(`Confidence ${confidence.toFixed(2)} is below AIOPS_RECOVERY_MIN_CONFIDENCE (${deps.minConfidence}).`);
  }
  const action: RecoveryAction = verdict.action;
  const forbidden = await policyRefusal(ctx, service, incident.environment, action);
  if (forbidden) return refuse(forbidden);
  const recover = ctx.actions.find((candidate) => candidate.intent === 'recover');
  if (!recover) return refuse('The recover action is not registered.');
  let planned: Plan;
  try {
    planned = await recover.plan({ service: service.name, action, alarm: incident.alarm, environment: incident.environment }, ctx);
  } catch (error) {
    if (!isUserError(error)) throw error;
    return refuse(error.message.replace(/\*/g, ''));
  }
  if (verdict.rollbackTo) planned = withRollbackTarget(planned, verdict.rollbackTo);
  // this incident, whatever an index (eventually consistent) said when the plan was made
  planned = { ...planned, data: { ...planned.data, incident: incident.id } };
  return { record: { ...base, proposed: true, why: verdict.why }, verdict, plan: planned, ...(analysis ? { analysis } : {}) };
}

/** The catalog (`aiops/recovery-actions`), the policy and deploy locks may each forbid the recovery. */
async function policyRefusal(ctx: ActionContext, service: Service, environment: string, action: RecoveryAction): Promise<string | undefined> {
  const listed = service.annotations['aiops/recovery-actions'];
  if (listed !== undefined) {
    const allowed = listed.split(',').map((item) => item.trim().toLowerCase()).filter(Boolean);
    if (!allowed.includes(action)) return `The catalog allows ${allowed.length && !allowed.includes('none') ? `only ${allowed.join(', ')}` : 'no recovery'} for ${service.name} (aiops/recovery-actions).`;
  }
  if (!(await ctx.authorizer.leastRoleFor('recover', environment))) return `The policy lets no role recover in ${environment}.`;
  if (action === 'rollback') {
    const lock = await ctx.store.locks.get(service.name, environment);
    if (lock) return `${service.name} ${environment} is locked by ${lock.lockedByName}${lock.reason ? ` (${lock.reason})` : ''}.`;
  }
  return undefined;
}

/** The rollback target travels to the pipeline as AIOPS_VERSION and is shown on the proposal. */
function withRollbackTarget(planned: Plan, version: string): Plan {
  const calls = planned.calls.map((call): PlannedCall => {
    const variables = call.body?.variables;
    if (call.method !== 'POST' || !call.path.endsWith('/pipeline') || !Array.isArray(variables)) return call;
    return { ...call, body: { ...call.body, variables: [...variables, { key: 'AIOPS_VERSION', value: version }] } };
  });
  return {
    ...planned,
    summary: `${planned.summary} (to ${version})`,
    fields: [...planned.fields, { label: 'Roll back to', value: version }],
    calls,
    data: { ...planned.data, version },
  };
}
