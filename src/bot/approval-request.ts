import { planReply } from '../actions/render.js';
import type { Plan, RegisteredAction } from '../actions/types.js';
import { approvalPolicyFor } from '../auth/decider.js';
import type { Recognition } from '../intents/recognize.js';
import type { Approval } from '../sessions/approvals.js';
import type { TurnContext } from './engine.js';
import { newApprovalId } from './ids.js';
import type { Button, Reply } from './reply.js';

export const hhmm = (iso: string): string => `${iso.slice(11, 16)} UTC`;

/** Stores a pending approval and posts the plan with Approve / Cancel; the buttons carry only its id. */
export async function requestApproval(ctx: TurnContext, action: RegisteredAction, planned: Plan, recognition: Recognition): Promise<Reply> {
  const actor = await ctx.actor();
  const { settings, store } = ctx.deps;
  const id = newApprovalId();
  const policy = approvalPolicyFor(planned.environment, settings.fourEyesEnvironments);
  const expiresAt = new Date(store.clock.now().getTime() + settings.approvalTtlMinutes * 60_000).toISOString();
  const who = policy === 'four-eyes' ? `someone other than ${actor.name} with the approver role (four-eyes)` : `${actor.name}, to confirm`;
  const message: Reply = {
    ...planReply(planned),
    buttons: approvalButtons(id, planned, policy === 'four-eyes'),
    context: [`Requested by ${actor.name} · needs approval by ${who} · expires ${hhmm(expiresAt)} · ref ${ctx.correlationId}`],
  };
  const approval: Omit<Approval, 'status' | 'createdAt' | 'purgeAt'> = {
    id,
    action: action.intent,
    slots: recognition.slots,
    plan: planned as unknown as Record<string, unknown>,
    reply: message,
    ...(planned.service ? { service: planned.service } : {}),
    ...(planned.environment ? { environment: planned.environment } : {}),
    policy,
    requester: { key: actor.key, name: actor.name },
    conversation: { platform: ctx.turn.platform, ...ctx.turn.conversation },
    correlationId: ctx.correlationId,
    expiresAt,
  };
  await store.approvals.create(approval);
  await store.audit.append({
    actor: actor.key,
    actorName: actor.name,
    event: 'approval.requested',
    correlationId: ctx.correlationId,
    action: action.intent,
    approvalId: id,
    ...(planned.service ? { service: planned.service } : {}),
    ...(planned.environment ? { environment: planned.environment } : {}),
    detail: `${planned.summary}; policy ${policy}`,
  });
  const posted = await ctx.responder.post(message);
  if (posted) await store.approvals.attachMessage(id, posted);
  return message;
}

function approvalButtons(id: string, planned: Plan, confirm: boolean): Button[] {
  return [
    {
      label: 'Approve',
      choice: 'approve',
      target: id,
      style: 'primary',
      ...(confirm
        ? { confirm: { title: 'Approve this change?', text: `${planned.summary}. This runs as soon as you confirm.`, confirm: 'Approve', deny: 'Not yet' } }
        : {}),
    },
    { label: 'Cancel', choice: 'reject', target: id, style: 'danger' },
  ];
}
