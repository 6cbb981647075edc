import { TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import { z } from 'zod';
import type { ConversationStore } from '../../sessions/conversations.js';
import { conversationIdFor, splitConversationId } from './activity.js';

const referenceSchema = z.looseObject({
  serviceUrl: z.string().min(1),
  channelId: z.string(),
  conversation: z.looseObject({
    id: z.string().min(1),
    isGroup: z.boolean().default(false),
    conversationType: z.string().default(''),
    name: z.string().default(''),
  }),
});

export type Reference = Partial<ConversationReference>;

export const conversationKey = (channel: string): string => `teams:${channel}`;

/**
 * The Bot Framework address of an activity's conversation, ready for proactive sends: no
 * activityId (so a send is a new message, not a reply to an old one).
 */
export function referenceOf(activity: Partial<Activity>): Reference {
  const { activityId: _activityId, ...reference } = TurnContext.getConversationReference(activity);
  return reference;
}

/** A reference pointed at one thread of its conversation (or at the conversation itself). */
export function inThread(reference: Reference, channel: string, thread: string | undefined): Reference {
  return { ...reference, conversation: { ...reference.conversation!, id: conversationIdFor(channel, thread) } };
}

/** Conversation references in DynamoDB, saved whenever Teams tells us about a conversation, for proactive messages. */
export class TeamsConversations {
  constructor(private readonly store: ConversationStore) {}

  async remember(activity: Partial<Activity>): Promise<void> {
    const reference = referenceOf(activity);
    const { channel } = splitConversationId(reference.conversation?.id ?? '');
    if (!channel) return;
    const stored = inThread(reference, channel, undefined);
    await this.store.save(conversationKey(channel), 'teams', JSON.parse(JSON.stringify(stored)) as Record<string, unknown>, activity.conversation?.name);
  }

  async reference(channel: string, thread: string | undefined): Promise<Reference | undefined> {
    const record = await this.store.get(conversationKey(channel));
    const parsed = referenceSchema.safeParse(record?.reference);
    if (!parsed.success) return undefined;
    return inThread(parsed.data, channel, thread);
  }
}
