import { randomUUID } from 'node:crypto';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { Logger } from '../../log.js';
import type { Engine } from '../engine.js';
import { runTurn } from '../run-turn.js';
import type { TurnQueue } from '../turn-queue.js';
import type { Reply } from '../reply.js';
import type { MessageRef, Responder, Turn } from '../turn.js';
import { activitySchema, conversationOf, messageRef, messageText, readCardAction, splitConversationId, type TeamsActivity } from './activity.js';
import { cardBody, messageBody, type ApprovalCards, type InvokeBody } from './approvals.js';
import { renderCard } from './card.js';
import { inThread, referenceOf, type Reference, type TeamsConversations } from './references.js';
import { summaryOf, type TeamsSender } from './sender.js';

export interface TeamsHandlerDeps {
  engine: Engine;
  log: Logger;
  sender: TeamsSender;
  conversations: TeamsConversations;
  cards: ApprovalCards;
  turns: TurnQueue;
  /** keeps a turn that outlives its HTTP request, so shutdown can wait for it */
  track(work: Promise<void>): void;
}

/**
 * One activity from Teams, already authenticated by the CloudAdapter. Messages are acked at
 * once and the turn runs on, posting through continueConversation; an Action.Execute invoke
 * waits until the engine edits the clicked card and answers the invoke with that card.
 */
export async function onActivity(deps: TeamsHandlerDeps, context: TurnContext): Promise<void> {
  const parsed = activitySchema.safeParse(context.activity);
  if (!parsed.success) {
    deps.log.warn({ type: context.activity.type }, 'Teams activity aiops cannot read: ignored');
    return;
  }
  const activity = parsed.data;
  const reference = referenceOf(context.activity);
  switch (activity.type) {
    case ActivityTypes.Message:
      await rememberOrCarryOn(deps, context.activity);
      if (activity.from.id === activity.recipient.id) return;
      deps.track(runMessage(deps, activity, reference));
      return;
    case ActivityTypes.ConversationUpdate:
    case ActivityTypes.InstallationUpdate:
      await deps.conversations.remember(context.activity);
      deps.log.info({ conversation: activity.conversation.id, type: activity.type }, 'Teams conversation reference saved');
      return;
    case ActivityTypes.Invoke: {
      await rememberOrCarryOn(deps, context.activity);
      const body = await onInvoke(deps, activity, reference);
      await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: body ? { status: 200, body } : { status: 501 } });
      return;
    }
    default:
      deps.log.debug({ type: activity.type }, 'Teams activity ignored');
  }
}

/**
 * A message or a click still gets its turn when its conversation reference cannot be saved (the
 * store is down): the turn then answers, through the reference in hand, that nothing was done,
 * where a failed request would leave the user with nothing at all.
 */
async function rememberOrCarryOn(deps: TeamsHandlerDeps, activity: TurnContext['activity']): Promise<void> {
  try {
    await deps.conversations.remember(activity);
  } catch (error) {
    deps.log.warn({ err: error, conversation: activity.conversation?.id }, 'could not save the Teams conversation reference; the turn goes on');
  }
}

function userOf(activity: TeamsActivity): Turn['user'] {
  return { id: activity.from.id, name: activity.from.name || activity.from.id };
}

async function runMessage(deps: TeamsHandlerDeps, activity: TeamsActivity, reference: Reference): Promise<void> {
  const turn: Turn = {
    platform: 'teams',
    eventId: activity.id ?? randomUUID(),
    user: userOf(activity),
    conversation: conversationOf(activity),
    text: messageText(activity),
    addressed: true,
  };
  await runTurn(deps, turn, conversationResponder(deps, activity, reference));
}

/** Posts into the activity's conversation (its thread, in a channel) and edits earlier posts. */
function conversationResponder(deps: TeamsHandlerDeps, activity: TeamsActivity, reference: Reference): Responder {
  const { channel, thread } = splitConversationId(activity.conversation.id);
  const conversationType = activity.conversation.conversationType;
  return {
    post: async (reply: Reply): Promise<MessageRef | undefined> => {
      const id = await deps.sender.send(reference, await deps.cards.shared(reply, conversationType), summaryOf(reply.text));
      return id ? messageRef(channel, thread, id) : undefined;
    },
    update: async (ref, reply) => {
      const target = ref.channel === channel ? inThread(reference, ref.channel, ref.thread) : await deps.conversations.reference(ref.channel, ref.thread);
      if (!target) throw new Error(`no Teams conversation reference for ${ref.channel}`);
      await deps.sender.update(target, ref.id, renderCard(reply), summaryOf(reply.text));
    },
  };
}

async function onInvoke(deps: TeamsHandlerDeps, activity: TeamsActivity, reference: Reference): Promise<InvokeBody | undefined> {
  const action = readCardAction(activity);
  if (!action) {
    deps.log.warn({ name: activity.name }, 'Teams invoke aiops does not handle');
    return undefined;
  }
  if (action.kind === 'refresh') return deps.cards.personal(action.target, activity.from.id, conversationOf(activity).channel);
  if (!activity.replyToId) return messageBody('aiops could not tell which card was clicked; nothing was done.');
  const { channel, thread } = splitConversationId(activity.conversation.id);
  const origin = messageRef(channel, thread, activity.replyToId);
  const turn: Turn = {
    platform: 'teams',
    eventId: activity.id ?? randomUUID(),
    user: userOf(activity),
    conversation: conversationOf(activity),
    decision: { target: action.target, choice: action.choice, origin },
    addressed: true,
  };
  return decideFromCard(deps, conversationResponder(deps, activity, reference), turn, origin);
}

/**
 * Runs a click's turn and answers the invoke as soon as the engine edits the clicked card (the
 * answer replaces the card for the clicker; the same edit goes to everyone else with
 * updateActivity). Anything the engine says before that (a refusal, "already approved") is only
 * for the clicker, so it becomes the invoke's message answer instead of a post in the thread.
 */
async function decideFromCard(deps: TeamsHandlerDeps, inner: Responder, turn: Turn, origin: MessageRef): Promise<InvokeBody> {
  const notes: string[] = [];
  let answer: (body: InvokeBody) => void = () => undefined;
  let answered = false;
  const answerOnce = (body: InvokeBody): void => {
    if (answered) return;
    answered = true;
    answer(body);
  };
  const invokeBody = new Promise<InvokeBody>((resolve) => (answer = resolve));
  const responder: Responder = {
    post: async (reply) => {
      if (answered) return inner.post(reply);
      notes.push(reply.text.replace(/[*`]/g, ''));
      return undefined;
    },
    update: async (ref, reply) => {
      if (ref.id === origin.id) answerOnce(cardBody(renderCard(reply)));
      await inner.update(ref, reply);
    },
  };
  const work = runTurn(deps, turn, responder).finally(() => answerOnce(messageBody(notes.join('\n') || 'Done.')));
  deps.track(work);
  return invokeBody;
}
