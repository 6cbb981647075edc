import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { Clock } from './clock.js';

const recordSchema = z.object({
  key: z.string(),
  platform: z.string(),
  /** the platform's own address of the conversation (for Teams, a Bot Framework conversation reference) */
  reference: z.record(z.string(), z.unknown()),
  name: z.string().optional(),
  updatedAt: z.string(),
});

export type ConversationRecord = z.infer<typeof recordSchema>;

/**
 * Where the bot can post without being asked: one record per conversation, refreshed whenever
 * the platform tells us about it. The reference is opaque here; the adapter that wrote it reads it.
 */
export class ConversationStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  async save(key: string, platform: string, reference: Record<string, unknown>, name?: string): Promise<ConversationRecord> {
    const record: ConversationRecord = { key, platform, reference, ...(name ? { name } : {}), updatedAt: this.clock.now().toISOString() };
    await this.doc.send(new PutCommand({ TableName: this.table, Item: record }));
    return record;
  }

  async get(key: string): Promise<ConversationRecord | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.table, Key: { key }, ConsistentRead: true }));
    if (!Item) return undefined;
    const parsed = recordSchema.safeParse(Item);
    return parsed.success ? parsed.data : undefined;
  }
}
