import type { RegisteredAction } from '../actions/types.js';
import type { Engine, TurnSummary } from '../bot/engine.js';
import { isUserError } from '../errors.js';
import type { GitLab } from '../integrations/gitlab.js';
import { INTENT_NAMES } from '../intents/schema.js';
import type { AuditEntry, AuditEvent, AuditLog } from '../sessions/audit.js';
import type { LlmCounters, Metrics } from './registry.js';

/** Label values come from a closed set, so a stored or forged name can never add a series. */
const INTENTS = new Set<string>([...INTENT_NAMES, 'decision']);
const intentLabel = (intent: string): string => (INTENTS.has(intent) ? intent : 'other');

const APPROVAL_EVENTS: Partial<Record<AuditEvent, string>> = {
  'approval.requested': 'requested',
  'approval.approved': 'approved',
  'approval.rejected': 'rejected',
  'approval.expired': 'expired',
  'approval.refused': 'refused',
};

export function turnObserver(metrics: Metrics): (summary: TurnSummary) => void {
  return (summary) => {
    metrics.turns.inc({ platform: summary.platform, intent: intentLabel(summary.intent), outcome: summary.outcome });
    metrics.turnDuration.observe({ platform: summary.platform }, summary.durationMs / 1000);
    if (summary.recognizer && summary.recognitionMs !== undefined) {
      metrics.recognition.observe({ recognizer: summary.recognizer }, summary.recognitionMs / 1000);
    }
  };
}

/** Approvals are counted from the audit trail, so those decided from an alert count as well as chat's. */
export function auditObserver(metrics: Metrics): (entry: AuditEntry) => void {
  return (entry) => {
    const decision = APPROVAL_EVENTS[entry.event];
    if (decision) metrics.approvals.inc({ action: intentLabel(entry.action ?? 'other'), decision });
  };
}

/** The action with its executions timed: ok, failed (it said why: a user-facing error), or error. */
export function timedAction(action: RegisteredAction, metrics: Metrics): RegisteredAction {
  return {
    ...action,
    async execute(plan, ctx) {
      const started = performance.now();
      try {
        const reply = await action.execute(plan, ctx);
        metrics.observeAction(action.intent, reply.tone === 'error' ? 'failed' : 'ok', performance.now() - started);
        return reply;
      } catch (error) {
        metrics.observeAction(action.intent, isUserError(error) ? 'failed' : 'error', performance.now() - started);
        throw error;
      }
    },
  };
}

export interface Instrumented {
  engine: Engine;
  audit: AuditLog;
  llm: { stats(): LlmCounters } | undefined;
  gitlab: GitLab | undefined;
}

/** Hooks the core's observers to the metrics; everything else is read when Prometheus scrapes. */
export function instrument(metrics: Metrics, parts: Instrumented): void {
  parts.engine.onTurn(turnObserver(metrics));
  parts.audit.onAppend(auditObserver(metrics));
  metrics.probes.turnsInFlight = () => parts.engine.inflightTurns;
  const { llm, gitlab } = parts;
  if (llm) metrics.probes.llm = () => llm.stats();
  if (gitlab) metrics.probes.gitlabCircuit = () => gitlab.circuitState;
}
