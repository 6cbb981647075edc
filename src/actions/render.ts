import type { Reply } from '../bot/reply.js';
import type { ActionSettings, Integrations, Plan, PlannedCall } from './types.js';

const RISK_LABEL = { low: 'low', medium: 'medium', high: 'high' } as const;

/** A planned call as one line: method, full URL, and the body as compact JSON. */
export function callLine(call: PlannedCall, settings: Pick<ActionSettings, 'gitlabUrl'>): string {
  const base = call.system === 'gitlab' ? `${settings.gitlabUrl ?? 'https://gitlab.example.com'}/api/v4` : call.system === 'aws' ? 'aws' : 'aiops';
  const body = call.body ? ` ${JSON.stringify(call.body)}` : '';
  return `${call.method} ${base}${call.path}${body}`;
}

export function planFields(plan: Plan): Reply['fields'] {
  return [
    ...(plan.service ? [{ label: 'Service', value: plan.service }] : []),
    ...(plan.environment ? [{ label: 'Environment', value: plan.environment }] : []),
    ...plan.fields,
    { label: 'Risk', value: RISK_LABEL[plan.risk] },
  ];
}

/** The plan as the requester (and approvers) see it, before anything happens. */
export function planReply(plan: Plan): Reply {
  return {
    text: `*${plan.summary}*`,
    tone: plan.risk === 'high' ? 'warning' : 'info',
    fields: planFields(plan),
    sections: [
      ...(plan.steps.length > 0 ? [{ title: 'Plan', lines: plan.steps.map((step, index) => `${index + 1}. ${step}`) }] : []),
      ...(plan.warnings.length > 0 ? [{ title: 'Heads up', lines: plan.warnings }] : []),
    ],
  };
}

/** What execution would have done, for dry-run: the exact calls, and the promise that nothing changed. */
export function dryRunReply(plan: Plan, settings: ActionSettings, reason: string): Reply {
  return {
    text: `*Dry-run:* ${plan.summary}. Nothing was changed (${reason}).`,
    tone: 'info',
    fields: planFields(plan),
    sections: [{ title: 'Would call', lines: plan.calls.map((call) => callLine(call, settings)) }],
  };
}

export function dryRunReason(integrations: Integrations): string {
  if (!integrations.configured.includes('gitlab')) return 'GitLab is not configured: set GITLAB_URL and GITLAB_TOKEN';
  return 'AIOPS_DRY_RUN=true';
}
