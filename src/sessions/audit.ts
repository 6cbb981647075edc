import { randomUUID } from 'node:crypto';
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from './clock.js';

export type AuditEvent =
  | 'request'
  | 'denied'
  | 'refused'
  | 'incident.opened'
  | 'incident.resolved'
  | 'recovery.verified'
  | 'recovery.escalated'
  | 'sns.subscribed'
  | 'approval.requested'
  | 'approval.approved'
  | 'approval.rejected'
  | 'approval.expired'
  | 'approval.refused'
  | 'executed'
  | 'failed'
  | 'deployment.finished'
  | 'autofix.retried'
  | 'autofix.branch_created'
  | 'autofix.committed'
  | 'autofix.mr_opened'
  | 'autofix.failed'
  | 'autofix.finished'
  | 'admin';

export interface AuditEntry {
  id: string;
  day: string;
  sk: string;
  at: string;
  actor: string;
  actorName: string;
  event: AuditEvent;
  correlationId: string;
  action?: string;
  slots?: Record<string, unknown>;
  service?: string;
  environment?: string;
  approvalId?: string;
  recognizer?: string;
  detail?: string;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'day' | 'sk' | 'at'>;

const DAYS_TO_SEARCH = 31;
// orders entries written in the same millisecond by this process
let sequence = 0;

/**
 * The append-only audit trail. Entries are partitioned by UTC day (sorted by time within it)
 * and indexed by actor; nothing here updates or deletes an entry.
 */
export class AuditLog {
  private readonly listeners: Array<(entry: AuditEntry) => void> = [];

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  async append(entry: NewAuditEntry): Promise<AuditEntry> {
    const at = this.clock.now().toISOString();
    const id = randomUUID();
    sequence = (sequence + 1) % 1_000_000;
    const record: AuditEntry = { ...entry, id, at, day: at.slice(0, 10), sk: `${at}#${String(sequence).padStart(6, '0')}#${id}` };
    await this.doc.send(new PutCommand({ TableName: this.table, Item: record, ConditionExpression: 'attribute_not_exists(sk)' }));
    for (const listener of this.listeners) listener(record);
    return record;
  }

  /** Called with every entry once it is written (metrics count approvals this way). */
  onAppend(listener: (entry: AuditEntry) => void): void {
    this.listeners.push(listener);
  }

  /** The most recent entries, newest first, looking back up to a month. */
  async recent(limit: number): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    const today = this.clock.now();
    for (let back = 0; back < DAYS_TO_SEARCH && entries.length < limit; back += 1) {
      const day = new Date(today.getTime() - back * 86_400_000).toISOString().slice(0, 10);
      const { Items } = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: '#day = :day',
          ExpressionAttributeNames: { '#day': 'day' },
          ExpressionAttributeValues: { ':day': day },
          ScanIndexForward: false,
          Limit: limit - entries.length,
        }),
      );
      entries.push(...((Items ?? []) as AuditEntry[]));
    }
    return entries;
  }

  async byActor(actor: string, limit: number): Promise<AuditEntry[]> {
    const { Items } = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byActor',
        KeyConditionExpression: 'actor = :actor',
        ExpressionAttributeValues: { ':actor': actor },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []) as AuditEntry[];
  }

  /** Entries between two instants (ISO strings), oldest first. */
  async between(from: string, to: string): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    for (let day = new Date(from.slice(0, 10)); day.toISOString() <= to; day = new Date(day.getTime() + 86_400_000)) {
      const { Items } = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: '#day = :day AND sk BETWEEN :from AND :to',
          ExpressionAttributeNames: { '#day': 'day' },
          ExpressionAttributeValues: { ':day': day.toISOString().slice(0, 10), ':from': from, ':to': `${to}\uffff` },
        }),
      );
      entries.push(...((Items ?? []) as AuditEntry[]));
    }
    return entries;
  }
}
