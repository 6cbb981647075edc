import { z } from 'zod';
import type { DecisionChoice } from '../reply.js';
import type { Conversation } from '../turn.js';
import { ACTION_PREFIX } from './blocks.js';
import { slackId } from './envelope.js';
import { incomingText, mentions } from './mrkdwn.js';
import { isDirectMessage } from './send.js';

/** The parts of a `message` / `app_mention` event aiops reads; everything else is ignored. */
export const messageEventSchema = z.object({
  type: z.enum(['message', 'app_mention']),
  subtype: z.string().optional(),
  user: slackId.optional(),
  bot_id: z.string().optional(),
  // Slack's own limit for a message
  text: z.string().max(40_000).optional(),
  ts: slackId,
  thread_ts: slackId.optional(),
  channel: slackId,
  channel_type: z.string().optional(),
  edited: z.unknown().optional(),
  hidden: z.boolean().optional(),
});

export const slashCommandSchema = z.object({
  command: z.string(),
  text: z.string().max(40_000).optional().default(''),
  user_id: slackId,
  user_name: z.string().max(255).optional(),
  channel_id: slackId,
  trigger_id: slackId,
});

export const blockActionsSchema = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: slackId, name: z.string().max(255).optional(), username: z.string().max(255).optional() }),
  channel: z.object({ id: slackId }).optional(),
  container: z.object({ channel_id: slackId, message_ts: slackId, thread_ts: slackId }).partial().optional(),
  message: z.object({ ts: slackId, thread_ts: slackId.optional() }).optional(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().optional(), action_ts: slackId.optional() })).min(1),
  trigger_id: slackId.optional(),
});

/** Message subtypes a person produces; the rest (edits, deletions, joins, bot posts) are not for us. */
const PERSON_SUBTYPES = new Set(['thread_broadcast', 'file_share', 'me_message']);

export type IncomingMessage =
  | { kind: 'ignore'; reason: string }
  | ({ kind: 'turn'; addressed: true } & MessageTurn)
  /** a reply in a thread without a mention: for the engine only if the bot has a session there */
  | ({ kind: 'thread-reply' } & MessageTurn);

interface MessageTurn {
  userId: string;
  text: string;
  conversation: Conversation;
  ts: string;
}

/** Decides what an event means for aiops: a turn addressed to it, a thread reply, or nothing. */
export function classifyMessage(raw: unknown, botUserId: string): IncomingMessage {
  const parsed = messageEventSchema.safeParse(raw);
  if (!parsed.success) return { kind: 'ignore', reason: 'not a message event aiops can read' };
  const event = parsed.data;
  if (event.subtype && !PERSON_SUBTYPES.has(event.subtype)) return { kind: 'ignore', reason: `subtype ${event.subtype}` };
  if (event.edited || event.hidden) return { kind: 'ignore', reason: 'an edit' };
  if (event.bot_id) return { kind: 'ignore', reason: 'posted by a bot' };
  if (!event.user) return { kind: 'ignore', reason: 'no author' };
  if (event.user === botUserId) return { kind: 'ignore', reason: 'posted by aiops itself' };
  const direct = event.channel_type === 'im' || isDirectMessage(event.channel);
  const conversation: Conversation = { channel: event.channel, thread: event.thread_ts ?? (direct ? event.channel : event.ts) };
  const text = incomingText(event.text ?? '', botUserId);
  const base: MessageTurn = { userId: event.user, text, conversation, ts: event.ts };
  if (event.type === 'app_mention') {
    // in a DM the same words also arrive as message.im, which is the one we answer
    return direct ? { kind: 'ignore', reason: 'mention in a DM' } : { kind: 'turn', ...base, addressed: true };
  }
  if (direct) return { kind: 'turn', ...base, addressed: true };
  if (mentions(event.text ?? '', botUserId)) return { kind: 'ignore', reason: 'a mention: answered through app_mention' };
  if (event.thread_ts && event.thread_ts !== event.ts) return { kind: 'thread-reply', ...base };
  return { kind: 'ignore', reason: 'a channel message not addressed to aiops' };
}

export interface ClickedDecision {
  userId: string;
  userName: string | undefined;
  target: string;
  choice: DecisionChoice;
  conversation: Conversation;
  messageTs: string;
  /** unique per click: Slack's trigger id */
  deliveryId: string;
}

const TARGET = /^[\w:.-]{1,200}$/;

/** A click on one of our buttons, or undefined when the payload is not one (or is tampered with). */
export function readDecision(raw: unknown): ClickedDecision | undefined {
  const parsed = blockActionsSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const body = parsed.data;
  const action = body.actions[0]!;
  const choice = /^aiops_(approve|reject)(?:_\d+)?$/.exec(action.action_id)?.[1] as DecisionChoice | undefined;
  const channel = body.channel?.id ?? body.container?.channel_id;
  const messageTs = body.container?.message_ts ?? body.message?.ts;
  if (!action.action_id.startsWith(ACTION_PREFIX) || !choice || !action.value || !TARGET.test(action.value) || !channel || !messageTs) return undefined;
  const threadTs = body.message?.thread_ts ?? body.container?.thread_ts;
  return {
    userId: body.user.id,
    userName: body.user.name ?? body.user.username,
    target: action.value,
    choice,
    conversation: { channel, thread: threadTs ?? (isDirectMessage(channel) ? channel : messageTs) },
    messageTs,
    deliveryId: body.trigger_id ?? `${messageTs}:${action.action_ts ?? ''}:${body.user.id}`,
  };
}
