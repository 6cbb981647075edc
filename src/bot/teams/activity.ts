import { z } from 'zod';
import type { DecisionChoice } from '../reply.js';
import type { Conversation, MessageRef } from '../turn.js';
import { VERBS } from './card.js';

/** Bounded, so a forged id can never outgrow a DynamoDB key; a name too long for Teams is cut. */
const teamsId = z.string().min(1).max(512);
const account = z.object({ id: teamsId, name: z.string().transform((name) => name.slice(0, 256)).optional(), aadObjectId: z.string().max(512).optional() });

/** What the HTTP boundary accepts: a JSON object that names its activity type. */
export const activityEnvelope = z.looseObject({ type: z.string().min(1) });

/** The parts of an activity aiops reads. */
export const activitySchema = z.looseObject({
  type: z.string(),
  id: teamsId.optional(),
  name: z.string().optional(),
  // Teams' own limit for a message is about 28 KB
  text: z.string().max(40_000).optional(),
  serviceUrl: z.string().min(1),
  channelId: z.string(),
  from: account,
  recipient: account,
  conversation: z.looseObject({ id: z.string().min(1).max(1024), conversationType: z.string().optional(), name: z.string().optional() }),
  replyToId: teamsId.optional(),
  value: z.unknown().optional(),
  entities: z.array(z.looseObject({ type: z.string() })).optional(),
});

export type TeamsActivity = z.infer<typeof activitySchema>;

const mentionEntity = z.object({ type: z.literal('mention'), text: z.string().optional(), mentioned: account });

/** A Teams channel thread is addressed as `19:…@thread.tacv2;messageid=<root>`; chats have no suffix. */
export function splitConversationId(id: string): { channel: string; thread: string | undefined } {
  const [channel = id, ...parameters] = id.split(';');
  const thread = parameters.map((part) => /^messageid=(.+)$/.exec(part)?.[1]).find(Boolean);
  return { channel, thread };
}

export const conversationIdFor = (channel: string, thread: string | undefined): string =>
  thread && thread !== channel ? `${channel};messageid=${thread}` : channel;

export function conversationOf(activity: TeamsActivity): Conversation {
  const { channel, thread } = splitConversationId(activity.conversation.id);
  return { channel, thread: thread ?? channel };
}

export const messageRef = (channel: string, thread: string | undefined, id: string): MessageRef => ({
  platform: 'teams',
  channel,
  id,
  ...(thread && thread !== channel ? { thread } : {}),
});

const ENTITIES: Record<string, string> = { '&nbsp;': ' ', '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/**
 * The words addressed to the bot: its own `<at>…</at>` mention removed, other people's mentions
 * turned into their ids (`teams:29:…`, which `grant` understands), entities decoded.
 */
export function messageText(activity: TeamsActivity): string {
  let text = activity.text ?? '';
  const mentions = (activity.entities ?? []).flatMap((entity) => {
    const parsed = mentionEntity.safeParse(entity);
    return parsed.success ? [parsed.data] : [];
  });
  for (const mention of mentions) {
    if (!mention.text) continue;
    text = text.split(mention.text).join(mention.mentioned.id === activity.recipient.id ? ' ' : ` teams:${mention.mentioned.id} `);
  }
  if (activity.recipient.name) text = text.split(`<at>${activity.recipient.name}</at>`).join(' ');
  text = text.replace(/<at>[^<]*<\/at>/g, ' ').replace(/<[^>]+>/g, ' ');
  text = text.replace(/&(?:nbsp|amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity);
  return text.replace(/\s+/g, ' ').trim();
}

const executeValue = z.object({
  action: z.object({
    type: z.literal('Action.Execute'),
    verb: z.string(),
    data: z.looseObject({ id: z.string().regex(/^[\w:.-]{1,200}$/) }),
  }),
  trigger: z.string().optional(),
});

export type CardAction = { kind: 'decision'; target: string; choice: DecisionChoice } | { kind: 'refresh'; target: string };

/** An `adaptiveCard/action` invoke from one of our cards, or undefined. */
export function readCardAction(activity: TeamsActivity): CardAction | undefined {
  if (activity.name !== 'adaptiveCard/action') return undefined;
  const parsed = executeValue.safeParse(activity.value);
  if (!parsed.success) return undefined;
  const { verb, data } = parsed.data.action;
  if (verb === VERBS.refresh) return { kind: 'refresh', target: data.id };
  if (verb === VERBS.approve) return { kind: 'decision', target: data.id, choice: 'approve' };
  if (verb === VERBS.reject) return { kind: 'decision', target: data.id, choice: 'reject' };
  return undefined;
}
