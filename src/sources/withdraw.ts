import { hhmm } from './format.js';
import { SYSTEM_REQUESTER } from './proposal.js';
import type { Incident } from '../sessions/incidents.js';
import type { Store } from '../sessions/store.js';

/**
 * When the alarm is back to OK, a proposal nobody decided on is withdrawn (pending -> rejected,
 * by aiops), so a late click cannot restart a healthy service. Returns what became of it.
 */
export async function withdrawProposal(store: Store, incident: Incident): Promise<string | undefined> {
  const id = incident.proposal?.approvalId;
  if (!id) return undefined;
  const approval = await store.approvals.get(id);
  if (!approval) return undefined;
  if (approval.status === 'pending') {
    const withdrawn = await store.approvals.decide(id, 'rejected', { ...SYSTEM_REQUESTER });
    if (withdrawn.ok) {
      await store.audit.append({
        actor: SYSTEM_REQUESTER.key,
        actorName: SYSTEM_REQUESTER.name,
        event: 'approval.rejected',
        correlationId: approval.correlationId,
        action: approval.action,
        approvalId: id,
        ...(approval.service ? { service: approval.service } : {}),
        ...(approval.environment ? { environment: approval.environment } : {}),
        detail: 'withdrawn: the alarm returned to OK before anyone decided',
      });
      return 'Proposal withdrawn: the alarm recovered before anyone decided.';
    }
    return undefined;
  }
  const by = approval.decidedBy?.name ?? 'someone';
  const at = approval.decidedAt ? ` at ${hhmm(approval.decidedAt)}` : '';
  switch (approval.status) {
    case 'approved':
    case 'executed':
    case 'failed':
      return `Recovery approved by ${by}${at}${approval.status === 'failed' ? ' (it failed)' : ''}.`;
    case 'rejected':
      return approval.decidedBy?.key === SYSTEM_REQUESTER.key ? 'Proposal withdrawn: the alarm recovered before anyone decided.' : `Proposal dismissed by ${by}${at}.`;
    default:
      return 'Proposal expired without a decision.';
  }
}
