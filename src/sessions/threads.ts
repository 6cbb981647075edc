import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { Clock } from './clock.js';
import { epochSeconds, isConditionFailed } from './conditions.js';

export const SESSION_TTL_SECONDS = 24 * 60 * 60;
export const MAX_TURNS = 10;

const slotValue = z.union([z.string(), z.number(), z.boolean()]);
const rawSlots = z.record(z.string(), slotValue);

const sessionTurn = z.object({
  at: z.string(),
  from: z.enum(['user', 'bot']),
  user: z.string().optional(),
  text: z.string(),
  intent: z.string().optional(),
});

const messageRef = z.object({ platform: z.enum(['slack', 'teams', 'console']), channel: z.string(), id: z.string(), thread: z.string().optional() });

const pending = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('clarification'),
    intent: z.string(),
    slots: rawSlots,
    missing: z.string(),
    question: z.string(),
    user: z.string(),
  }),
  z.object({
    kind: z.literal('confirmation'),
    intent: z.string(),
    slots: rawSlots,
    question: z.string(),
    user: z.string(),
    id: z.string(),
    /** the message that asked, so answering by text can take its buttons away */
    message: messageRef.optional(),
  }),
]);

const sessionSchema = z.object({
  pk: z.string(),
  turns: z.array(sessionTurn),
  lastIntent: z.object({ name: z.string(), slots: rawSlots }).optional(),
  pending: pending.optional(),
  version: z.number().int(),
  expiresAt: z.number(),
});

export type SessionTurn = z.infer<typeof sessionTurn>;
export type Pending = z.infer<typeof pending>;
export type ThreadSession = z.infer<typeof sessionSchema>;

export const threadKey = (platform: string, channel: string, thread: string): string => `${platform}:${channel}:${thread}`;

/**
 * What the bot remembers about a thread. Writes are optimistic: a version number guards each
 * put, and `update` re-reads and re-applies its change when another turn in the same thread won.
 */
export class ThreadStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  async load(key: string): Promise<ThreadSession> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: key }, ConsistentRead: true }));
    const parsed = sessionSchema.safeParse(Item);
    if (!parsed.success || parsed.data.expiresAt <= epochSeconds(this.clock.now())) {
      return { pk: key, turns: [], version: parsed.success ? parsed.data.version : 0, expiresAt: 0 };
    }
    return parsed.data;
  }

  /** True when the bot has talked in this thread recently (adapters use it for un-mentioned replies). */
  async exists(key: string): Promise<boolean> {
    const session = await this.load(key);
    return session.turns.length > 0;
  }

  /**
   * Applies a change and writes it, retrying on a lost race. `loaded` is the session as the
   * caller already read it this turn: the first attempt starts from a copy of it instead of
   * reading again (the version condition still catches anyone who wrote in between).
   */
  async update(key: string, change: (session: ThreadSession) => void, attempts = 10, loaded?: ThreadSession): Promise<ThreadSession> {
    for (let attempt = 1; ; attempt += 1) {
      const session = attempt === 1 && loaded?.pk === key ? structuredClone(loaded) : await this.load(key);
      const expected = session.version;
      change(session);
      session.turns = session.turns.slice(-MAX_TURNS);
      session.version = expected + 1;
      session.expiresAt = epochSeconds(this.clock.now()) + SESSION_TTL_SECONDS;
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: session,
            ConditionExpression: 'attribute_not_exists(pk) OR version = :expected',
            ExpressionAttributeValues: { ':expected': expected },
          }),
        );
        return session;
      } catch (error) {
        if (!isConditionFailed(error) || attempt >= attempts) throw error;
        // another turn in this thread won: back off a little, with jitter, so racers spread out
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
      }
    }
  }
}
