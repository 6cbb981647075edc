import { createHash } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { NotifyTarget } from '../bot/notifier.js';
import type { Reply } from '../bot/reply.js';
import type { MessageRef } from '../bot/turn.js';
import type { Clock } from './clock.js';
import { isConditionFailed } from './conditions.js';
import { queryAll } from './paginate.js';
import { updateIf } from './update.js';

export type IncidentSource = 'sns' | 'eventbridge' | 'poller';
export type RecoveryChoice = 'restart' | 'scale' | 'rollback' | 'cleanup' | 'investigate';

/** What the alarm watches, as far as its notification says. */
export interface IncidentMetric {
  namespace?: string;
  name?: string;
  dimensions: Record<string, string>;
  stat?: string;
  period?: number;
  /** metric math, anomaly band or composite rule */
  expression?: string;
}

/** The recovery aiops proposed (or why it proposed none). */
export interface ProposalRecord {
  action: RecoveryChoice;
  confidence: number;
  proposed: boolean;
  why: string;
  approvalId?: string;
  rootCause?: string;
}

/** A recovery that ran while the incident was open, and whether the alarm came back to OK after it. */
export interface RecoveryRecord {
  action: string;
  by: string;
  at: string;
  correlationId: string;
  approvalId?: string;
  dryRun: boolean;
  verification: 'watching' | 'verified' | 'failed';
  settledAt?: string;
}

export interface Incident {
  id: string;
  alarm: string;
  alarmArn?: string;
  service?: string;
  environment?: string;
  description?: string;
  metric?: IncidentMetric;
  reason: string;
  value?: number;
  threshold?: number;
  band?: { lower: number; upper: number };
  comparison?: string;
  source: IncidentSource;
  /** when the alarm entered ALARM (its state change time), not when aiops heard of it */
  openedAt: string;
  detectedAt: string;
  status: 'open' | 'resolved';
  /** present only while open: the sparse byOpen index */
  open?: 'open';
  correlationId: string;
  target?: NotifyTarget;
  message?: MessageRef;
  /** the alert as posted, re-rendered when the incident resolves */
  reply?: Reply;
  proposal?: ProposalRecord;
  recovery?: RecoveryRecord;
  resolvedAt?: string;
  resolution?: string;
  updatedAt: string;
}

export type NewIncident = Omit<Incident, 'id' | 'status' | 'open' | 'detectedAt' | 'updatedAt'>;

/**
 * One id per (alarm, transition time): the same transition arriving by SNS, by EventBridge and
 * by the poller is one conditional put, so exactly one of them opens the incident.
 */
export const incidentId = (alarm: string, openedAt: string): string =>
  `inc-${createHash('sha256').update(`${alarm}\n${openedAt}`).digest('hex').slice(0, 20)}`;

const DAY_MS = 86_400_000;

export class IncidentStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  /** Opens the incident unless this transition already did; `created` says which. */
  async open(input: NewIncident): Promise<{ created: boolean; incident: Incident }> {
    const now = this.clock.now().toISOString();
    const record: Incident = { ...input, id: incidentId(input.alarm, input.openedAt), status: 'open', open: 'open', detectedAt: now, updatedAt: now };
    try {
      await this.doc.send(new PutCommand({ TableName: this.table, Item: record, ConditionExpression: 'attribute_not_exists(id)' }));
      return { created: true, incident: record };
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      return { created: false, incident: (await this.get(record.id)) ?? record };
    }
  }

  async get(id: string): Promise<Incident | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.table, Key: { id }, ConsistentRead: true }));
    return Item as Incident | undefined;
  }

  /** The open incident of an alarm, if any (newest first). */
  async openForAlarm(alarm: string): Promise<Incident | undefined> {
    const items = await this.query('byAlarm', 'alarm', alarm, undefined, 25);
    return items.find((incident) => incident.status === 'open');
  }

  /** Open incidents of a service, newest first. */
  async openForService(service: string): Promise<Incident[]> {
    const items = await this.query('byService', 'service', service, undefined, 50);
    return items.filter((incident) => incident.status === 'open');
  }

  /** Every open incident, oldest first. */
  async allOpen(): Promise<Incident[]> {
    return queryAll<Incident>(this.doc, {
      TableName: this.table,
      IndexName: 'byOpen',
      KeyConditionExpression: '#open = :open',
      ExpressionAttributeNames: { '#open': 'open' },
      ExpressionAttributeValues: { ':open': 'open' },
    });
  }

  /** Incidents of the same alarm or the same service in the last `days` days, newest first, without `exclude`. */
  async similar(alarm: string, service: string | undefined, exclude: string, days = 30, limit = 5): Promise<Incident[]> {
    const since = new Date(this.clock.now().getTime() - days * DAY_MS).toISOString();
    const byAlarm = await this.query('byAlarm', 'alarm', alarm, since, 20);
    const byService = service ? await this.query('byService', 'service', service, since, 20) : [];
    const seen = new Set<string>([exclude]);
    const merged: Incident[] = [];
    for (const incident of [...byAlarm, ...byService]) {
      if (seen.has(incident.id)) continue;
      seen.add(incident.id);
      merged.push(incident);
    }
    return merged.sort((a, b) => b.openedAt.localeCompare(a.openedAt)).slice(0, limit);
  }

  attachMessage(id: string, target: NotifyTarget | undefined, message: MessageRef | undefined, reply: Reply): Promise<Incident | undefined> {
    return this.change(id, { reply, ...(target ? { target } : {}), ...(message ? { message } : {}) });
  }

  setProposal(id: string, proposal: ProposalRecord): Promise<Incident | undefined> {
    return this.change(id, { proposal });
  }

  /**
   * A recovery runs: watch the alarm from now on. Only on an open incident; returns it with the
   * recovery it had before (`previous`), for withdrawRecovery.
   */
  async recordRecovery(id: string, recovery: RecoveryRecord): Promise<(Incident & { previous: RecoveryRecord | undefined }) | undefined> {
    const old = await this.change(id, { recovery }, { onlyOpen: true, returnOld: true });
    return old ? { ...old, recovery, previous: old.recovery } : undefined;
  }

  /** The recovery did not run after all: put back what was there before, unless something newer replaced it. */
  async withdrawRecovery(id: string, recovery: RecoveryRecord, previous: RecoveryRecord | undefined): Promise<void> {
    const condition = '#recovery.#at = :at AND #recovery.#verification = :watching';
    const values = { ':at': recovery.at, ':watching': 'watching' };
    const names = { '#at': 'at', '#verification': 'verification', '#recovery': 'recovery' };
    if (previous) await this.change(id, { recovery: previous }, { condition, values, names });
    else await this.change(id, {}, { condition, values, names, remove: ['recovery'] });
  }

  /** watching -> verified | failed, once: of several watchers exactly one reports. */
  settleRecovery(id: string, recovery: RecoveryRecord, to: 'verified' | 'failed'): Promise<Incident | undefined> {
    const settled: RecoveryRecord = { ...recovery, verification: to, settledAt: this.clock.now().toISOString() };
    return this.change(id, { recovery: settled }, { condition: '#recovery.#verification = :watching AND #recovery.#at = :at', values: { ':watching': 'watching', ':at': recovery.at }, names: { '#verification': 'verification', '#at': 'at' } });
  }

  /** open -> resolved, once. Returns the resolved incident, or undefined when it was not open. */
  resolve(id: string, resolvedAt: string, resolution: string): Promise<Incident | undefined> {
    return this.change(id, { status: 'resolved', resolvedAt, resolution }, { onlyOpen: true, remove: ['open'] });
  }

  private async query(index: 'byAlarm' | 'byService', key: string, value: string, since: string | undefined, limit: number): Promise<Incident[]> {
    const { Items } = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: index,
        KeyConditionExpression: since ? '#key = :value AND openedAt >= :since' : '#key = :value',
        ExpressionAttributeNames: { '#key': key },
        ExpressionAttributeValues: { ':value': value, ...(since ? { ':since': since } : {}) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []) as Incident[];
  }

  private change(
    id: string,
    fields: Partial<Incident>,
    options: { onlyOpen?: boolean; remove?: string[]; condition?: string; values?: Record<string, unknown>; names?: Record<string, string>; returnOld?: boolean } = {},
  ): Promise<Incident | undefined> {
    const names: Record<string, string> = { ...options.names };
    const values: Record<string, unknown> = { ...options.values };
    const conditions = ['attribute_exists(id)'];
    if (options.onlyOpen) {
      names['#status'] = 'status';
      values[':openStatus'] = 'open';
      conditions.push('#status = :openStatus');
    }
    if (options.condition) conditions.push(options.condition);
    return updateIf<Incident>(this.doc, {
      table: this.table,
      key: { id },
      set: { ...fields, updatedAt: this.clock.now().toISOString() },
      ...(options.remove ? { remove: options.remove } : {}),
      condition: conditions.join(' AND '),
      names,
      values,
      ...(options.returnOld ? { returnOld: true } : {}),
    });
  }
}
