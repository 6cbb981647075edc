import type { Plan } from '../actions/types.js';
import { mayDecide } from '../auth/decider.js';
import { isUserError } from '../errors.js';
import { isIntentName } from '../intents/schema.js';
import type { Approval } from '../sessions/approvals.js';
import type { AuditEvent } from '../sessions/audit.js';
import { hhmm } from './approval-request.js';
import { isConfirmationId } from './confirmation.js';
import { settleConfirmation } from './conversation.js';
import type { TurnContext } from './engine.js';
import { settled, type Reply } from './reply.js';
import type { MessageRef } from './turn.js';

/**
 * A button click. The button carried only the approval id: everything else is read from the
 * store. The pending -> approved|rejected move is a conditional write, so across double clicks
 * and replicas exactly one click wins and the action runs once.
 */
export async function decide(ctx: TurnContext): Promise<void> {
  const decision = ctx.turn.decision!;
  if (isConfirmationId(decision.target)) {
    await settleConfirmation(ctx, decision.target, decision.choice, decision.choice === 'approve' ? 'Yes' : 'No');
    return;
  }
  const actor = await ctx.actor();
  const { store, authorizer } = ctx.deps;
  const approval = await store.approvals.get(decision.target);
  if (!approval || approval.conversation.platform !== ctx.turn.platform) {
    ctx.summary.outcome = 'refused';
    ctx.log.warn({ target: decision.target }, 'decision on an unknown approval');
    await ctx.say({ text: 'That request no longer exists (or never did). Nothing was done.', tone: 'error' });
    return;
  }
  ctx.correlationId = approval.correlationId;
  ctx.log = ctx.log.child({ approvalId: approval.id, requestCorrelationId: approval.correlationId });
  ctx.summary.intent = approval.action;
  // the message the approval was posted as, not whatever message a (tampered) click names
  const origin = approval.message ?? decision.origin;

  if (approval.status !== 'pending') {
    ctx.summary.outcome = 'refused';
    await ctx.say({ text: alreadySettled(approval), tone: 'info' });
    return;
  }
  if (approval.expiresAt <= store.clock.now().toISOString()) {
    await expire(ctx, approval, origin);
    return;
  }
  const check = await mayDecide(
    authorizer,
    { action: approval.action, environment: approval.environment, policy: approval.policy, requester: approval.requester.key },
    { key: actor.key, role: actor.role },
    decision.choice,
  );
  if (!check.ok) {
    ctx.summary.outcome = 'refused';
    await auditDecision(ctx, 'approval.refused', approval, check.reason);
    await ctx.say({ text: check.reason, tone: 'error' });
    return;
  }
  const transition = await store.approvals.decide(approval.id, decision.choice === 'approve' ? 'approved' : 'rejected', { key: actor.key, name: actor.name });
  if (!transition.ok) {
    ctx.summary.outcome = 'refused';
    await ctx.say({ text: transition.current ? alreadySettled(transition.current) : 'That request is gone.', tone: 'info' });
    return;
  }
  ctx.summary.outcome = 'decided';
  const at = hhmm(transition.approval.decidedAt ?? store.clock.now().toISOString());
  if (decision.choice === 'reject') {
    await auditDecision(ctx, 'approval.rejected', approval);
    await edit(ctx, origin, settled(approval.reply, `Cancelled by ${actor.name} at ${at}`, 'info'));
    return;
  }
  await auditDecision(ctx, 'approval.approved', approval);
  await edit(ctx, origin, settled(approval.reply, `Approved by ${actor.name} at ${at}`, 'success'));
  await execute(ctx, approval);
}

async function execute(ctx: TurnContext, approval: Approval): Promise<void> {
  const actor = await ctx.actor();
  const action = isIntentName(approval.action) ? ctx.deps.registry.get(approval.action) : undefined;
  if (!action) throw new Error(`approval ${approval.id} names unknown action ${approval.action}`);
  const requester = { key: approval.requester.key, name: approval.requester.name, role: await ctx.deps.authorizer.roleOf(approval.requester.key), platform: ctx.turn.platform };
  const executionContext = {
    ...ctx.actionContext(requester, { correlationId: approval.correlationId }),
    approvedBy: { key: actor.key, name: actor.name },
  };
  let result: Reply;
  try {
    result = await action.execute(approval.plan as unknown as Plan, executionContext);
  } catch (error) {
    const message = isUserError(error) ? error.message : `failed (ref ${approval.correlationId})`;
    await ctx.deps.store.approvals.finish(approval.id, 'failed', message);
    await auditDecision(ctx, 'failed', approval, message);
    ctx.summary.outcome = 'failed';
    throw error;
  }
  await ctx.deps.store.approvals.finish(approval.id, 'executed', result.text.slice(0, 500));
  await auditDecision(ctx, 'executed', approval, result.text.slice(0, 300));
  ctx.summary.outcome = 'executed';
  await ctx.say(result);
}

async function expire(ctx: TurnContext, approval: Approval, origin: MessageRef | undefined): Promise<void> {
  ctx.summary.outcome = 'refused';
  const transition = await ctx.deps.store.approvals.expire(approval.id);
  if (transition.ok) {
    await auditDecision(ctx, 'approval.expired', approval);
    await edit(ctx, origin, settled(approval.reply, `Expired at ${hhmm(approval.expiresAt)}`, 'warning'));
  }
  await ctx.say({ text: `This request expired at ${hhmm(approval.expiresAt)} and was not run. Ask again if it is still needed.`, tone: 'error' });
}

function alreadySettled(approval: Approval): string {
  const by = approval.decidedBy ? ` by ${approval.decidedBy.name}` : '';
  switch (approval.status) {
    case 'approved':
    case 'executed':
    case 'failed':
      return `Already approved${by}; it ran once and will not run again.`;
    case 'rejected':
      return `Already cancelled${by}.`;
    case 'expired':
      return 'This request expired and was not run. Ask again if it is still needed.';
    default:
      return 'This request is still waiting for a decision.';
  }
}

async function edit(ctx: TurnContext, origin: MessageRef | undefined, reply: Reply): Promise<void> {
  if (origin) await ctx.responder.update(origin, reply);
}

async function auditDecision(ctx: TurnContext, event: AuditEvent, approval: Approval, detail?: string): Promise<void> {
  const actor = await ctx.actor();
  await ctx.deps.store.audit.append({
    actor: actor.key,
    actorName: actor.name,
    event,
    correlationId: approval.correlationId,
    action: approval.action,
    approvalId: approval.id,
    ...(approval.service ? { service: approval.service } : {}),
    ...(approval.environment ? { environment: approval.environment } : {}),
    ...(detail ? { detail: detail.slice(0, 500) } : {}),
  });
}
