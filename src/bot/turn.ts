import type { DecisionChoice, Reply } from './reply.js';

export type Platform = 'slack' | 'teams' | 'console';

export interface ChatUser {
  id: string;
  name: string;
}

/** Where a message lives: `thread` is the id of the thread's root message (or the channel itself for 1:1 chats). */
export interface Conversation {
  channel: string;
  thread: string;
}

/** A platform's handle on a message we posted, enough to edit it later. */
export interface MessageRef {
  platform: Platform;
  channel: string;
  id: string;
  thread?: string;
}

export interface Decision {
  target: string;
  choice: DecisionChoice;
  /** the message whose buttons were clicked, when the platform tells us */
  origin?: MessageRef;
}

/** A platform event reduced to what the engine needs. Exactly one of text or decision is set. */
export interface Turn {
  platform: Platform;
  eventId: string;
  user: ChatUser;
  conversation: Conversation;
  text?: string;
  decision?: Decision;
  /**
   * false for messages not addressed to the bot (a reply in a thread it is part of, without a
   * mention): the bot answers those only when it understood them or asked a question there.
   */
  addressed?: boolean;
}

/** How the engine answers: post in the turn's thread, or edit a message posted earlier. */
export interface Responder {
  post(reply: Reply): Promise<MessageRef | undefined>;
  update(ref: MessageRef, reply: Reply): Promise<void>;
}

/** The key under which a user's role is stored, e.g. `slack:U123`. */
export const userKey = (platform: Platform, userId: string): string => `${platform}:${userId}`;
