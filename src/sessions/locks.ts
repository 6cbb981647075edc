import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from './clock.js';
import { isConditionFailed } from './conditions.js';
import { scanAll } from './paginate.js';

export interface DeployLock {
  target: string;
  service: string;
  environment: string;
  lockedBy: string;
  lockedByName: string;
  reason?: string;
  lockedAt: string;
}

export const lockTarget = (service: string, environment: string): string => `${service}#${environment}`;

export class LockStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  async get(service: string, environment: string): Promise<DeployLock | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { target: lockTarget(service, environment) }, ConsistentRead: true }),
    );
    return Item as DeployLock | undefined;
  }

  /** Locks unless already locked; returns the lock that holds afterwards and whether it is ours. */
  async lock(lock: Omit<DeployLock, 'target' | 'lockedAt'>): Promise<{ created: boolean; lock: DeployLock }> {
    const record: DeployLock = { ...lock, target: lockTarget(lock.service, lock.environment), lockedAt: this.clock.now().toISOString() };
    try {
      await this.doc.send(new PutCommand({ TableName: this.table, Item: record, ConditionExpression: 'attribute_not_exists(target)' }));
      return { created: true, lock: record };
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      const existing = await this.get(lock.service, lock.environment);
      return { created: false, lock: existing ?? record };
    }
  }

  async unlock(service: string, environment: string): Promise<DeployLock | undefined> {
    const { Attributes } = await this.doc.send(
      new DeleteCommand({ TableName: this.table, Key: { target: lockTarget(service, environment) }, ReturnValues: 'ALL_OLD' }),
    );
    return Attributes as DeployLock | undefined;
  }

  list(): Promise<DeployLock[]> {
    return scanAll<DeployLock>(this.doc, { TableName: this.table });
  }
}
