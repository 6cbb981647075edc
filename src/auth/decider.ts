import type { Role } from '../intents/schema.js';
import type { ApprovalPolicy } from '../sessions/approvals.js';
import { APPROVE, type Authorizer } from './authorizer.js';

export interface DecisionRequest {
  action: string;
  environment: string | undefined;
  policy: ApprovalPolicy;
  requester: string;
}

export type DecisionCheck = { ok: true } | { ok: false; reason: string };

/** Four-eyes in the listed environments; elsewhere the requester confirms their own request. */
export function approvalPolicyFor(environment: string | undefined, fourEyesEnvironments: readonly string[]): ApprovalPolicy {
  return environment !== undefined && fourEyesEnvironments.includes(environment) ? 'four-eyes' : 'self';
}

/**
 * May this person approve (or cancel) this request?
 * - four-eyes: someone other than the requester, holding `approve` in that environment;
 *   the requester may still cancel their own request.
 * - self: the requester, or anyone who could run the action there themselves.
 */
export async function mayDecide(
  authorizer: Authorizer,
  request: DecisionRequest,
  decider: { key: string; role: Role },
  choice: 'approve' | 'reject',
): Promise<DecisionCheck> {
  const isRequester = decider.key === request.requester;
  if (request.policy === 'four-eyes') {
    if (isRequester && choice === 'reject') return { ok: true };
    if (isRequester) {
      return { ok: false, reason: `Four-eyes rule: you asked for this, so someone else must approve it${request.environment ? ` in ${request.environment}` : ''}.` };
    }
    if (await authorizer.can(decider.role, APPROVE, request.environment)) return { ok: true };
    const least = await authorizer.leastRoleFor(APPROVE, request.environment);
    return { ok: false, reason: `Approving ${request.action} in ${request.environment ?? 'this environment'} needs the ${least ?? 'an approver'} role; you are ${decider.role}.` };
  }
  if (isRequester) return { ok: true };
  if (await authorizer.can(decider.role, request.action, request.environment)) return { ok: true };
  return { ok: false, reason: `Only the requester, or someone allowed to ${request.action} in ${request.environment ?? 'this environment'}, can decide this.` };
}
