import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Reply } from '../bot/reply.js';
import type { MessageRef, Platform } from '../bot/turn.js';
import type { Clock } from './clock.js';
import { epochSeconds } from './conditions.js';
import { queryAll } from './paginate.js';
import { updateIf } from './update.js';

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired' | 'executed' | 'failed';
export type ApprovalPolicy = 'self' | 'four-eyes';

export interface Person {
  key: string;
  name: string;
}

export interface Approval {
  id: string;
  status: ApprovalStatus;
  action: string;
  slots: Record<string, unknown>;
  /** the plan as the action produced it, replayed to execute() after approval */
  plan: Record<string, unknown>;
  /** the message the requester saw, re-rendered with the outcome after a decision */
  reply: Reply;
  service?: string;
  environment?: string;
  policy: ApprovalPolicy;
  requester: Person;
  conversation: { platform: Platform; channel: string; thread: string };
  message?: MessageRef;
  correlationId: string;
  createdAt: string;
  expiresAt: string;
  purgeAt: number;
  /** present only while pending: the key of the sparse `pending` index */
  pendingKey?: 'pending';
  decidedBy?: Person;
  decidedAt?: string;
  result?: string;
  finishedAt?: string;
}

const KEEP_DAYS = 90;

export type Transition = { ok: true; approval: Approval } | { ok: false; current: Approval | undefined };

/**
 * Approvals move pending -> approved | rejected | expired, then approved -> executed | failed.
 * Every move is a conditional update on the current status, so of any number of concurrent
 * clicks across any number of replicas exactly one wins.
 */
export class ApprovalStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  async create(approval: Omit<Approval, 'status' | 'createdAt' | 'purgeAt'>): Promise<Approval> {
    const now = this.clock.now();
    const record: Approval = {
      ...approval,
      status: 'pending',
      pendingKey: 'pending',
      createdAt: now.toISOString(),
      purgeAt: epochSeconds(now) + KEEP_DAYS * 86_400,
    };
    await this.doc.send(
      new PutCommand({ TableName: this.table, Item: record, ConditionExpression: 'attribute_not_exists(id)' }),
    );
    return record;
  }

  async get(id: string): Promise<Approval | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.table, Key: { id }, ConsistentRead: true }));
    return Item as Approval | undefined;
  }

  async attachMessage(id: string, message: MessageRef): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { id },
        UpdateExpression: 'SET #message = :message',
        ConditionExpression: 'attribute_exists(id)',
        ExpressionAttributeNames: { '#message': 'message' },
        ExpressionAttributeValues: { ':message': message },
      }),
    );
  }

  /** pending -> approved | rejected, only while not expired. */
  decide(id: string, to: 'approved' | 'rejected', by: Person): Promise<Transition> {
    const now = this.clock.now().toISOString();
    return this.transition(id, 'pending', to, {
      extraCondition: '#expiresAt > :now',
      extraValues: { ':now': now },
      set: { decidedBy: by, decidedAt: now },
    });
  }

  /** pending -> expired, only once the expiry has passed. */
  expire(id: string): Promise<Transition> {
    const now = this.clock.now().toISOString();
    return this.transition(id, 'pending', 'expired', {
      extraCondition: '#expiresAt <= :now',
      extraValues: { ':now': now },
      set: { finishedAt: now },
    });
  }

  /** approved -> executed | failed, with what happened. */
  finish(id: string, to: 'executed' | 'failed', result: string): Promise<Transition> {
    return this.transition(id, 'approved', to, { set: { result, finishedAt: this.clock.now().toISOString() } });
  }

  /** Every pending, unexpired approval, newest first: one query on the sparse index. */
  async pendingAll(): Promise<Approval[]> {
    return queryAll<Approval>(this.doc, {
      TableName: this.table,
      IndexName: 'pending',
      KeyConditionExpression: 'pendingKey = :pending',
      FilterExpression: '#status = :pending AND #expiresAt > :now',
      ExpressionAttributeNames: { '#status': 'status', '#expiresAt': 'expiresAt' },
      ExpressionAttributeValues: { ':pending': 'pending', ':now': this.clock.now().toISOString() },
      ScanIndexForward: false,
    });
  }

  async pendingFor(service: string): Promise<Approval[]> {
    const now = this.clock.now().toISOString();
    const { Items } = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byService',
        KeyConditionExpression: 'service = :service',
        FilterExpression: '#status = :pending AND #expiresAt > :now',
        ExpressionAttributeNames: { '#status': 'status', '#expiresAt': 'expiresAt' },
        ExpressionAttributeValues: { ':service': service, ':pending': 'pending', ':now': now },
        ScanIndexForward: false,
      }),
    );
    return (Items ?? []) as Approval[];
  }

  private async transition(
    id: string,
    from: ApprovalStatus,
    to: ApprovalStatus,
    options: { extraCondition?: string; extraValues?: Record<string, unknown>; set: Record<string, unknown> },
  ): Promise<Transition> {
    const approval = await updateIf<Approval>(this.doc, {
      table: this.table,
      key: { id },
      set: { ...options.set, status: to },
      // the sparse `pending` index lists an approval only while it is pending
      ...(from === 'pending' ? { remove: ['pendingKey'] } : {}),
      condition: ['attribute_exists(id)', '#status = :from', options.extraCondition].filter(Boolean).join(' AND '),
      names: options.extraCondition?.includes('#expiresAt') ? { '#expiresAt': 'expiresAt' } : {},
      values: { ':from': from, ...options.extraValues },
    });
    return approval ? { ok: true, approval } : { ok: false, current: await this.get(id) };
  }
}
