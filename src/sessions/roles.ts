import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from './clock.js';
import { scanAll } from './paginate.js';

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

  list(): Promise<RoleRecord[]> {
    return scanAll<RoleRecord>(this.doc, { TableName: this.table });
  }
}
