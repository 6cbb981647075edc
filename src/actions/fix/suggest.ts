import { newApprovalId } from '../../bot/ids.js';
import type { Button, Reply } from '../../bot/reply.js';
import type { Platform } from '../../bot/turn.js';
import type { Person } from '../../sessions/approvals.js';
import type { Store } from '../../sessions/store.js';
import { fixPlan } from './plan.js';
import type { FixTarget } from './target.js';

/**
 * Who asks for a suggested fix: aiops itself, never the person who asked for the diagnosis.
 * So the approval rule is the same for everyone who clicks: they must be allowed to `fix`
 * (a viewer who asked "why did it fail?" cannot approve the fix by being the requester).
 */
export const FIXER: Person = { key: 'aiops:autofix', name: 'aiops' };

export const APPLY_LABEL = 'Apply suggested fix';

export interface SuggestInput {
  target: FixTarget;
  /** why the policy did not apply it alone */
  withheld?: string | undefined;
  conversation: { platform: Platform; channel: string; thread: string };
  correlationId: string;
  ttlMinutes: number;
  /** who the diagnosis was for, for the audit trail */
  suggestedTo?: string | undefined;
}

export interface Suggestion {
  approvalId: string;
  buttons: Button[];
  /** stores the pending approval with the message it belongs to (rendered with the buttons) */
  save(reply: Reply): Promise<void>;
}

/** A pending approval for "Apply suggested fix": the button carries only its id. */
export function suggestFix(store: Store, input: SuggestInput): Suggestion {
  const approvalId = newApprovalId();
  const planned = fixPlan(input.target, input.withheld);
  const buttons: Button[] = [
    { label: APPLY_LABEL, choice: 'approve', target: approvalId, style: 'primary' },
    { label: 'Dismiss', choice: 'reject', target: approvalId, style: 'default' },
  ];
  return {
    approvalId,
    buttons,
    save: async (reply) => {
      const expiresAt = new Date(store.clock.now().getTime() + input.ttlMinutes * 60_000).toISOString();
      await store.approvals.create({
        id: approvalId,
        action: 'fix',
        slots: { service: input.target.service, pipeline: String(input.target.pipelineId) },
        plan: planned as unknown as Record<string, unknown>,
        reply,
        service: input.target.service,
        policy: 'self',
        requester: { ...FIXER },
        conversation: input.conversation,
        correlationId: input.correlationId,
        expiresAt,
      });
      await store.audit.append({
        actor: FIXER.key,
        actorName: FIXER.name,
        event: 'approval.requested',
        correlationId: input.correlationId,
        action: 'fix',
        approvalId,
        service: input.target.service,
        detail: `${planned.summary}; suggested${input.suggestedTo ? ` to ${input.suggestedTo}` : ''}${input.withheld ? `; not applied alone: ${input.withheld}` : ''}`.slice(0, 500),
      });
    },
  };
}
