import type { IncidentMetric, RecoveryChoice } from '../sessions/incidents.js';

/**
 * Recovery rules for CloudWatch alarms, by what the alarm measures. The first rule that matches
 * decides; its confidence is how often that recovery fixes that kind of alarm without a human
 * looking first. Nothing here runs anything: the result is a proposal someone approves.
 */

export interface RecentDeployment {
  version: string;
  /** what ran before it: the rollback target, when known */
  previousVersion?: string;
  at: string;
}

export interface RunbookInput {
  alarm: string;
  description?: string;
  metric?: IncidentMetric;
  /** when the alarm fired */
  firedAt: string;
  recentDeployment?: RecentDeployment;
}

export interface RunbookVerdict {
  action: RecoveryChoice;
  confidence: number;
  rule: string;
  why: string;
  rollbackTo?: string;
}

/** A deployment this close before the alarm is the first suspect for errors. */
export const DEPLOYMENT_WINDOW_MS = 2 * 60 * 60 * 1000;

interface Rule {
  name: string;
  matches: RegExp;
  decide(input: RunbookInput, subject: string): RunbookVerdict;
}

const ERRORS = /5xx|\bhttp.?5\d\d|error.?rate|\berrors?\b|fault|exception|failed.?requests?/i;
const HEALTH = /unhealthy|healthy.?host|health.?check|statuscheckfailed|liveness|readiness/i;
const DISK = /disk|volume|filesystem|free.?storage|inode|ephemeral.?storage/i;
const CPU_MEMORY = /cpu|memory|mem.?used|mem.?util|heap|swap/i;

const RULES: Rule[] = [
  {
    name: 'errors after a deployment',
    matches: ERRORS,
    decide(input, subject) {
      const deployment = input.recentDeployment;
      const gap = deployment ? Date.parse(input.firedAt) - Date.parse(deployment.at) : Number.NaN;
      if (!deployment || !(gap >= 0 && gap <= DEPLOYMENT_WINDOW_MS)) {
        return { action: 'investigate', confidence: 0.3, rule: 'errors without a recent deployment', why: `${subject} rose with no deployment in the 2 h before the alarm, so a rollback is unlikely to help.` };
      }
      const minutes = Math.round(gap / 60_000);
      const target = deployment.previousVersion;
      return {
        action: 'rollback',
        // a known target is a clean rollback; without one the pipeline has to work it out
        confidence: target ? 0.85 : 0.75,
        rule: 'errors within 2 h of a deployment',
        why: `${subject} started ${minutes} min after ${deployment.version} was deployed${target ? `; the previous version was ${target}` : ''}.`,
        ...(target ? { rollbackTo: target } : {}),
      };
    },
  },
  {
    name: 'unhealthy hosts',
    matches: HEALTH,
    decide: (_input, subject) => ({ action: 'restart', confidence: 0.75, rule: 'unhealthy hosts or failing health checks', why: `${subject}: failing health checks are most often cleared by a rolling restart.` }),
  },
  {
    name: 'disk',
    matches: DISK,
    decide: (_input, subject) => ({ action: 'cleanup', confidence: 0.75, rule: 'disk space', why: `${subject}: the cleanup job removes old logs, caches and images.` }),
  },
  {
    name: 'cpu or memory',
    matches: CPU_MEMORY,
    decide: (_input, subject) => ({ action: 'scale', confidence: 0.8, rule: 'CPU or memory saturation', why: `${subject}: adding capacity relieves saturation while the cause is found.` }),
  },
];

/** The words a rule looks at: metric name, expression, alarm name and description. */
function subjectText(input: RunbookInput): string {
  return [input.metric?.name, input.metric?.expression, input.alarm, input.description].filter(Boolean).join(' ');
}

export function recoveryFor(input: RunbookInput): RunbookVerdict {
  const text = subjectText(input);
  const subject = input.metric?.name ?? input.alarm;
  for (const rule of RULES) {
    if (rule.matches.test(text)) return rule.decide(input, subject);
  }
  return { action: 'investigate', confidence: 0, rule: 'no matching rule', why: `No recovery rule covers ${subject}; a person needs to look.` };
}

export interface PastOutcome {
  action: string;
  verification: 'verified' | 'failed' | 'watching';
}

/** Past recoveries of the same alarm or service nudge the confidence: what worked before likely works again. */
export function adjustForHistory(verdict: RunbookVerdict, past: readonly PastOutcome[]): RunbookVerdict {
  if (verdict.action === 'investigate') return verdict;
  const same = past.filter((outcome) => outcome.action === verdict.action);
  const worked = same.filter((outcome) => outcome.verification === 'verified').length;
  const failed = same.filter((outcome) => outcome.verification === 'failed').length;
  if (worked === 0 && failed === 0) return verdict;
  const confidence = Math.min(0.95, Math.max(0, verdict.confidence + 0.05 * worked - 0.2 * failed));
  const note = failed > 0 ? ` It failed ${failed} time${failed > 1 ? 's' : ''} in the last 30 days.` : ` It worked ${worked} time${worked > 1 ? 's' : ''} in the last 30 days.`;
  return { ...verdict, confidence: Math.round(confidence * 100) / 100, why: `${verdict.why}${note}` };
}
