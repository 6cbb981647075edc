import { DeleteCommand, GetCommand, PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from './clock.js';

export interface RoleRecord {
  user: string;
  role: string;
  grantedBy: string;
  grantedAt: string;
  name?: string;
}

export class RoleStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  async get(user: string): Promise<RoleRecord | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.table, Key: { user }, ConsistentRead: true }));
    return Item as RoleRecord | undefined;
  }

  async set(user: string, role: string, grantedBy: string, name?: string): Promise<RoleRecord> {
    const record: RoleRecord = { user, role, grantedBy, grantedAt: this.clock.now().toISOString(), ...(name ? { name } : {}) };
    await this.doc.send(new PutCommand({ TableName: this.table, Item: record }));
    return record;
  }

  /** Removes the stored role; returns what was there. */
  async remove(user: string): Promise<RoleRecord | undefined> {
    const { Attributes } = await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { user }, ReturnValues: 'ALL_OLD' }));
    return Attributes as RoleRecord | undefined;
  }

  async list(): Promise<RoleRecord[]> {
    const records: RoleRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(new ScanCommand({ TableName: this.table, ExclusiveStartKey: start }));
      records.push(...((page.Items ?? []) as RoleRecord[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return records;
  }
}
