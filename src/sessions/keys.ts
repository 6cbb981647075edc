import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from './clock.js';
import { epochSeconds, isConditionFailed } from './conditions.js';

export interface KeyRecord {
  key: string;
  owner: string;
  expiresAt: number;
  [attribute: string]: unknown;
}

/**
 * Once-only claims with a time to live: event dedup, cooldowns, leases, auto-fix claims.
 * A claim is a conditional put that succeeds only if the key is absent or expired, so exactly
 * one caller wins across replicas. DynamoDB deletes expired items lazily, hence the explicit check.
 */
export class KeyStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  async claim(key: string, ttlSeconds: number, owner = 'aiops', attributes: Record<string, unknown> = {}): Promise<boolean> {
    const now = epochSeconds(this.clock.now());
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...attributes, key, owner, expiresAt: now + ttlSeconds },
          ConditionExpression: 'attribute_not_exists(#key) OR #expiresAt <= :now',
          ExpressionAttributeNames: { '#key': 'key', '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: { ':now': now },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  /** Extend a claim the caller still owns (leases). */
  async renew(key: string, owner: string, ttlSeconds: number): Promise<boolean> {
    const now = epochSeconds(this.clock.now());
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { key, owner, expiresAt: now + ttlSeconds },
          ConditionExpression: '#owner = :owner OR attribute_not_exists(#key) OR #expiresAt <= :now',
          ExpressionAttributeNames: { '#key': 'key', '#owner': 'owner', '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: { ':owner': owner, ':now': now },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  /**
   * Extend a claim only while the caller still holds it: unlike renew, a key that was released
   * or taken over stays lost, so a replica that slept through its lease stands down.
   */
  async extend(key: string, owner: string, ttlSeconds: number): Promise<boolean> {
    const now = epochSeconds(this.clock.now());
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { key },
          UpdateExpression: 'SET #expiresAt = :expiresAt',
          ConditionExpression: 'attribute_exists(#key) AND #owner = :owner',
          ExpressionAttributeNames: { '#key': 'key', '#owner': 'owner', '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: { ':owner': owner, ':expiresAt': now + ttlSeconds },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  async get(key: string): Promise<KeyRecord | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.table, Key: { key }, ConsistentRead: true }));
    const record = Item as KeyRecord | undefined;
    if (!record || record.expiresAt <= epochSeconds(this.clock.now())) return undefined;
    return record;
  }

  /** Release a claim, only if the caller owns it. */
  async release(key: string, owner: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { key },
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner },
        }),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
  }

  /**
   * Atomically add one to a counter and return the new count (per-user rate limits, across
   * replicas). The time to live is set by the first increment; name the window in the key
   * (e.g. `llm-rate:slack:U1:29400000`) so an expired counter is never counted on.
   */
  async increment(key: string, ttlSeconds: number): Promise<number> {
    const { Attributes } = await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { key },
        UpdateExpression: 'ADD #count :one SET #expiresAt = if_not_exists(#expiresAt, :expiresAt), #owner = if_not_exists(#owner, :owner)',
        ExpressionAttributeNames: { '#count': 'count', '#expiresAt': 'expiresAt', '#owner': 'owner' },
        ExpressionAttributeValues: { ':one': 1, ':expiresAt': epochSeconds(this.clock.now()) + ttlSeconds, ':owner': 'counter' },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes?.count ?? 0);
  }
}
