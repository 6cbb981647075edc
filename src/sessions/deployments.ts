import { randomUUID } from 'node:crypto';
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { MessageRef, Platform } from '../bot/turn.js';
import type { Person } from './approvals.js';
import type { Clock } from './clock.js';
import { isConditionFailed } from './conditions.js';
import { queryAll } from './paginate.js';
import { updateIf } from './update.js';

export type DeploymentKind = 'deploy' | 'rollback' | 'recover';
/** pending: recorded, pipeline not (yet known to be) created; running: pipeline created; the rest are final. */
export type Outcome = 'pending' | 'running' | 'success' | 'failed' | 'canceled' | 'unknown';
export const FINAL_OUTCOMES: readonly Outcome[] = ['success', 'failed', 'canceled', 'unknown'];

export interface JobState {
  id: number;
  name: string;
  stage: string;
  status: string;
  failureReason?: string;
  webUrl: string;
}

/** One pipeline aiops triggered to change an environment: deploy, rollback or recovery. */
export interface Deployment {
  id: string;
  kind: DeploymentKind;
  /** the AIOPS_ACTION the pipeline got */
  action: string;
  service: string;
  environment: string;
  /** service#environment, for the byTarget index */
  target: string;
  project: string;
  /** the branch or tag the pipeline runs on */
  ref: string;
  /** what ends up running; absent for restart, scale and cleanup */
  version?: string;
  sha?: string;
  /** the version that ran before, so a later rollback does not return to what this one replaced */
  replaces?: string;
  summary: string;
  pipelineId?: number;
  pipelineUrl?: string;
  pipelineStatus?: string;
  jobs?: JobState[];
  requestedBy: Person;
  approvedBy?: Person;
  correlationId: string;
  conversation: { platform: Platform; channel: string; thread: string };
  statusMessage?: MessageRef;
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
  outcome: Outcome;
  detail?: string;
  /** present only while unfinished: the sparse byTracking index lists exactly what needs watching */
  tracking?: 'open';
}

export type NewDeployment = Omit<Deployment, 'id' | 'target' | 'startedAt' | 'updatedAt' | 'outcome' | 'tracking'>;

export const deploymentTarget = (service: string, environment: string): string => `${service}#${environment}`;

/**
 * What runs in one environment now, kept beside the records (id `head#service#env`) so the
 * all-services status is one batch read instead of a history query per service. Derived data:
 * written after each record changes; a missing head means "read the history".
 */
export interface DeploymentHead {
  id: string;
  running?: { version: string; deployment: string; at: string };
  busy?: { deployment: string; since: string };
}

const headId = (service: string, environment: string): string => `head#${deploymentTarget(service, environment)}`;

export class DeploymentStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  /** `id` is chosen up front when something (a tracker's lease) must be keyed on it before the record exists. */
  async create(input: NewDeployment, id = newDeploymentId()): Promise<Deployment> {
    const now = this.clock.now().toISOString();
    const record: Deployment = {
      ...input,
      id,
      target: deploymentTarget(input.service, input.environment),
      startedAt: now,
      updatedAt: now,
      outcome: 'pending',
      tracking: 'open',
    };
    await this.doc.send(new PutCommand({ TableName: this.table, Item: record, ConditionExpression: 'attribute_not_exists(id)' }));
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { id: headId(record.service, record.environment) },
        UpdateExpression: 'SET busy = :busy',
        ExpressionAttributeValues: { ':busy': { deployment: record.id, since: now } },
      }),
    );
    return record;
  }

  /** Heads of the given environments, by `service#environment`; absent ones were never written. */
  async heads(targets: ReadonlyArray<{ service: string; environment: string }>): Promise<Map<string, DeploymentHead>> {
    const found = new Map<string, DeploymentHead>();
    const ids = [...new Set(targets.map((target) => headId(target.service, target.environment)))];
    for (let start = 0; start < ids.length; start += 100) {
      let keys: Array<Record<string, unknown>> = ids.slice(start, start + 100).map((id) => ({ id }));
      for (let attempt = 0; keys.length > 0 && attempt < 5; attempt += 1) {
        const { Responses, UnprocessedKeys } = await this.doc.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys, ConsistentRead: true } } }));
        for (const item of (Responses?.[this.table] ?? []) as DeploymentHead[]) found.set(item.id.slice('head#'.length), item);
        keys = (UnprocessedKeys?.[this.table]?.Keys ?? []) as Array<Record<string, unknown>>;
      }
    }
    return found;
  }

  /** After a record finishes: the head's running version moves forward, and it is no longer busy with it. */
  private async settleHead(deployment: Deployment): Promise<void> {
    const at = deployment.finishedAt ?? deployment.updatedAt;
    const id = headId(deployment.service, deployment.environment);
    if (deployment.outcome === 'success' && deployment.version) {
      try {
        await this.doc.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { id },
            UpdateExpression: 'SET running = :running',
            ConditionExpression: 'attribute_not_exists(running) OR running.#at <= :at',
            ExpressionAttributeNames: { '#at': 'at' },
            ExpressionAttributeValues: { ':running': { version: deployment.version, deployment: deployment.id, at }, ':at': at },
          }),
        );
      } catch (error) {
        // a newer deployment already set what runs there
        if (!isConditionFailed(error)) throw error;
      }
    }
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { id },
          UpdateExpression: 'REMOVE busy',
          ConditionExpression: 'busy.deployment = :deployment',
          ExpressionAttributeValues: { ':deployment': deployment.id },
        }),
      );
    } catch (error) {
      // another deployment has started there since
      if (!isConditionFailed(error)) throw error;
    }
  }

  async get(id: string): Promise<Deployment | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.table, Key: { id }, ConsistentRead: true }));
    return Item as Deployment | undefined;
  }

  /** The pipeline exists: from here on the record is worth tracking. */
  started(id: string, pipeline: { id: number; url: string; status: string; sha: string }): Promise<Deployment | undefined> {
    return this.change(id, { outcome: 'running', pipelineId: pipeline.id, pipelineUrl: pipeline.url, pipelineStatus: pipeline.status, sha: pipeline.sha });
  }

  attachMessage(id: string, message: MessageRef): Promise<Deployment | undefined> {
    return this.change(id, { statusMessage: message });
  }

  progress(id: string, state: { pipelineStatus: string; jobs: JobState[] }): Promise<Deployment | undefined> {
    return this.change(id, state);
  }

  /** Only the first finish counts: it removes `tracking`, so a second one finds nothing to finish. */
  async finish(id: string, outcome: Exclude<Outcome, 'pending' | 'running'>, fields: { detail?: string; pipelineStatus?: string; jobs?: JobState[] } = {}): Promise<Deployment | undefined> {
    const finished = await this.change(id, { ...fields, outcome, finishedAt: this.clock.now().toISOString() }, ['tracking']);
    if (finished) await this.settleHead(finished);
    return finished;
  }

  /** Everything still being (or waiting to be) watched, oldest first. */
  async unfinished(): Promise<Deployment[]> {
    return queryAll<Deployment>(this.doc, {
      TableName: this.table,
      IndexName: 'byTracking',
      KeyConditionExpression: '#tracking = :open',
      ExpressionAttributeNames: { '#tracking': 'tracking' },
      ExpressionAttributeValues: { ':open': 'open' },
    });
  }

  /** A service's newest deployments in every environment, newest first: one query. */
  async recent(service: string, limit = 30): Promise<Deployment[]> {
    const { Items } = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byService',
        KeyConditionExpression: '#service = :service',
        ExpressionAttributeNames: { '#service': 'service' },
        ExpressionAttributeValues: { ':service': service },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []) as Deployment[];
  }

  /** Newest first. */
  async history(service: string, environment: string, limit = 25): Promise<Deployment[]> {
    const { Items } = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byTarget',
        KeyConditionExpression: '#target = :target',
        ExpressionAttributeNames: { '#target': 'target' },
        ExpressionAttributeValues: { ':target': deploymentTarget(service, environment) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []) as Deployment[];
  }

  /** Sets fields on an unfinished record; undefined when it is finished (or gone). */
  private change(id: string, fields: Partial<Deployment>, remove: string[] = []): Promise<Deployment | undefined> {
    return updateIf<Deployment>(this.doc, {
      table: this.table,
      key: { id },
      set: { ...fields, updatedAt: this.clock.now().toISOString() },
      remove,
      condition: 'attribute_exists(#tracking)',
      names: { '#tracking': 'tracking' },
    });
  }
}

/** A new deployment's id, for callers that must key something on it before the record exists. */
export const newDeploymentId = (): string => `d-${randomUUID()}`;
