import type { Plan, RegisteredAction } from '../actions/types.js';
import { questionFor } from '../intents/clarify.js';
import { confirmationAnswer } from '../intents/confirmation.js';
import { recognize, type Recognition } from '../intents/recognize.js';
import { checkSlots, isIntentName, type IntentName, type RawSlots } from '../intents/schema.js';
import type { Pending, ThreadSession } from '../sessions/threads.js';
import { requestApproval } from './approval-request.js';
import { answeredReply, changesAtOnce, confirmationPending, confirmationReply, isUnsure, takeConfirmation, type ConfirmationReason } from './confirmation.js';
import type { TurnContext } from './engine.js';
import { reply, type Reply } from './reply.js';

/** A text turn: recognise, fill slots, authorise, plan, then execute or ask for approval. */
export async function converse(ctx: TurnContext): Promise<void> {
  const text = ctx.turn.text ?? '';
  const actor = await ctx.actor();
  const session = await ctx.deps.store.threads.load(ctx.sessionKey);
  ctx.session = session;
  const confirming = session.pending?.kind === 'confirmation' && session.pending.user === actor.key ? session.pending : undefined;
  const yesOrNo = confirming ? confirmationAnswer(text) : undefined;
  if (confirming && yesOrNo) {
    await settleConfirmation(ctx, confirming.id, yesOrNo === 'yes' ? 'approve' : 'reject', text);
    return;
  }
  const recognizing = performance.now();
  const outcome = await recognize({ text, session, user: actor.key }, ctx.deps.secondOpinion);
  ctx.summary.recognitionMs = performance.now() - recognizing;

  if (outcome.intent === 'cancelled') {
    await answer(ctx, text, reply('OK, forgotten.'), { pending: null });
    return;
  }
  await act(ctx, text, outcome);
}

/** From a recognised request: fill slots, authorise, plan, then confirm, execute or ask for approval. */
export async function act(ctx: TurnContext, text: string, outcome: Recognition): Promise<void> {
  const actor = await ctx.actor();
  ctx.summary.intent = outcome.intent;
  ctx.summary.recognizer = outcome.source;
  ctx.log.info({ intent: outcome.intent, source: outcome.source, confidence: outcome.confidence, note: outcome.note }, 'recognised');

  if (outcome.intent === 'unknown') {
    if (ctx.turn.addressed === false) {
      ctx.summary.outcome = 'ignored';
      return;
    }
    await answer(ctx, text, unknownReply(), {});
    return;
  }

  const check = checkSlots(outcome.intent, outcome.slots);
  if (!check.ok) {
    if (check.invalid.length > 0) {
      const problems = check.invalid.map((item) => `*${String(item.value)}* is not a valid ${item.slot} (${item.message})`);
      await answer(ctx, text, { text: problems.join('\n'), tone: 'error' }, { pending: null });
      return;
    }
    await clarify(ctx, text, outcome, check.missing[0]!);
    return;
  }

  const action = ctx.deps.registry.get(outcome.intent);
  if (!action) {
    await answer(ctx, text, unknownReply(), {});
    return;
  }
  if (isUnsure(outcome, ctx.deps.settings.llmMinConfidence)) {
    await askToConfirm(ctx, text, outcome, 'unsure');
    return;
  }
  const slots = check.intent.slots as Record<string, unknown>;
  if (!(await authorised(ctx, action, action.environment(slots), text))) return;
  const actionContext = ctx.actionContext(actor);
  const planned = await action.plan(slots, actionContext);
  if (planned.environment && planned.environment !== action.environment(slots)) {
    if (!(await authorised(ctx, action, planned.environment, text))) return;
  }
  if (changesAtOnce(outcome, action, planned, text)) {
    await askToConfirm(ctx, text, outcome, 'changes-at-once');
    return;
  }
  const remember = { lastIntent: { name: outcome.intent, slots: outcome.slots }, pending: null } as const;

  if (planned.approval === 'none') {
    const result = await action.execute(planned, actionContext);
    ctx.summary.outcome = 'executed';
    if (action.mutates) await audit(ctx, 'executed', action, planned, result.text);
    await answer(ctx, text, result, remember);
    return;
  }
  if (action.mutates) await audit(ctx, 'request', action, planned, `recognised by ${outcome.source}`);
  const request = await requestApproval(ctx, action, planned, outcome);
  ctx.summary.outcome = 'approval';
  await record(ctx, text, request.text, remember);
}

async function authorised(ctx: TurnContext, action: RegisteredAction, environment: string | undefined, text: string): Promise<boolean> {
  const actor = await ctx.actor();
  if (await ctx.deps.authorizer.can(actor.role, action.intent, environment)) return true;
  const least = await ctx.deps.authorizer.leastRoleFor(action.intent, environment);
  const where = environment ? ` in ${environment}` : '';
  const needs = least ? `it needs the *${least}* role` : 'no role may do that under the current policy';
  ctx.summary.outcome = 'denied';
  await ctx.deps.store.audit.append({
    actor: actor.key,
    actorName: actor.name,
    event: 'denied',
    correlationId: ctx.correlationId,
    action: action.intent,
    ...(environment ? { environment } : {}),
    detail: `role ${actor.role}; ${needs.replace(/\*/g, '')}`,
  });
  await answer(ctx, text, { text: `Sorry, you can't ${action.intent}${where}: you are *${actor.role}* and ${needs}.`, tone: 'error', context: ['An admin can change roles with `grant <user> <role>`.'] }, {});
  return false;
}

async function clarify(ctx: TurnContext, text: string, outcome: Recognition, missing: string): Promise<void> {
  const actor = await ctx.actor();
  const question = questionFor(outcome.intent, missing, choicesFor(ctx, missing, outcome));
  const pending: Pending = { kind: 'clarification', intent: outcome.intent, slots: outcome.slots, missing, question, user: actor.key };
  ctx.summary.outcome = 'clarify';
  await answer(ctx, text, { text: question }, { pending });
}

/** "Did you mean ...?" with Yes/No; an unsure reading of a message not addressed to the bot is let go. */
async function askToConfirm(ctx: TurnContext, text: string, outcome: Recognition, reason: ConfirmationReason): Promise<void> {
  if (reason === 'unsure' && ctx.turn.addressed === false) {
    ctx.summary.outcome = 'ignored';
    return;
  }
  const actor = await ctx.actor();
  const pending = confirmationPending(outcome, actor.key);
  const question = confirmationReply(pending, reason, outcome.confidence);
  ctx.summary.outcome = 'confirm';
  const message = await ctx.responder.post(question);
  await record(ctx, text, question.text, { pending: message ? { ...pending, message } : pending });
}

/**
 * The answer to "Did you mean ...?", by click or by text. Only the id is trusted: the reading
 * comes from the session, and only the person who was asked can answer, once.
 */
export async function settleConfirmation(ctx: TurnContext, id: string, choice: 'approve' | 'reject', text: string): Promise<void> {
  const actor = await ctx.actor();
  const taken = await takeConfirmation(ctx.deps.store.threads, ctx.sessionKey, id, actor.key);
  if (taken.status !== 'taken') {
    ctx.summary.outcome = 'refused';
    const why = taken.status === 'not-yours' ? 'Only the person I asked can answer that question.' : 'That question was already answered, or is no longer open. Nothing was done.';
    await ctx.say({ text: why, tone: 'info' });
    return;
  }
  const { pending } = taken;
  const origin = pending.message ?? ctx.turn.decision?.origin;
  const yes = choice === 'approve';
  if (origin) await ctx.responder.update(origin, answeredReply(pending, `${yes ? 'Confirmed' : 'Cancelled'} by ${actor.name}`, yes ? 'success' : 'info'));
  if (!yes || !isIntentName(pending.intent)) {
    ctx.summary.intent = pending.intent;
    await answer(ctx, text, reply('OK, forgotten. Nothing was done.'), {});
    return;
  }
  await act(ctx, text, { intent: pending.intent, slots: pending.slots, confidence: 1, source: 'confirmation' });
}

function choicesFor(ctx: TurnContext, slot: string, outcome: Recognition): string[] {
  if (slot === 'service') return ctx.deps.catalog.services.map((service) => service.name);
  if (slot === 'environment') {
    const service = typeof outcome.slots.service === 'string' ? ctx.deps.catalog.get(outcome.slots.service) : undefined;
    return service?.environments ?? ctx.deps.catalog.environments();
  }
  return [];
}

function unknownReply(): Reply {
  return {
    text: "Sorry, I didn't understand that. Try `help`, or say something like `deploy payments v1.2 to staging` or `status orders`.",
  };
}

async function audit(ctx: TurnContext, event: 'request' | 'executed', action: RegisteredAction, planned: Plan, detail: string): Promise<void> {
  const actor = await ctx.actor();
  await ctx.deps.store.audit.append({
    actor: actor.key,
    actorName: actor.name,
    event,
    correlationId: ctx.correlationId,
    action: action.intent,
    ...(planned.service ? { service: planned.service } : {}),
    ...(planned.environment ? { environment: planned.environment } : {}),
    ...(ctx.summary.recognizer ? { recognizer: ctx.summary.recognizer } : {}),
    detail: `${planned.summary}; ${detail}`.slice(0, 500),
  });
}

interface SessionChange {
  lastIntent?: { name: IntentName; slots: RawSlots };
  pending?: Pending | null;
}

async function answer(ctx: TurnContext, text: string, response: Reply, change: SessionChange): Promise<void> {
  await ctx.say(response);
  await record(ctx, text, response.text, change);
}

/** The thread remembers both sides of the turn, the last request, and any open question. */
async function record(ctx: TurnContext, text: string, botText: string, change: SessionChange): Promise<void> {
  const actor = await ctx.actor();
  const at = ctx.deps.store.clock.now().toISOString();
  const apply = (session: ThreadSession): void => {
    session.turns.push({ at, from: 'user', user: actor.key, text: text.slice(0, 2000), intent: ctx.summary.intent });
    session.turns.push({ at, from: 'bot', text: botText.slice(0, 2000) });
    if (change.lastIntent) session.lastIntent = change.lastIntent;
    if (change.pending === null) delete session.pending;
    else if (change.pending) session.pending = change.pending;
  };
  await ctx.deps.store.threads.update(ctx.sessionKey, apply, undefined, ctx.session);
}
