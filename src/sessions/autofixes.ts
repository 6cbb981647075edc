import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Reply } from '../bot/reply.js';
import type { MessageRef } from '../bot/turn.js';
import type { Person } from './approvals.js';
import type { Clock } from './clock.js';
import { epochSeconds, isConditionFailed } from './conditions.js';
import { queryAll } from './paginate.js';
import { updateIf } from './update.js';

export type AutofixKind = 'retry' | 'add-dependency';
export type AutofixStatus = 'claimed' | 'applied' | 'failed';
export type AutofixOutcome = 'success' | 'failed' | 'canceled' | 'unknown';

/**
 * One fix of one failed job: the item is the once-only claim (its id is pipeline x job x fix),
 * then the record of what was done and of the pipeline that shows whether it worked.
 */
export interface Autofix {
  id: string;
  service: string;
  project: string;
  pipelineId: number;
  jobName: string;
  jobId: number;
  playbookId: string;
  kind: AutofixKind;
  /** auto: applied by policy alone; approved: someone clicked "Apply suggested fix" */
  origin: 'auto' | 'approved';
  by: Person;
  correlationId: string;
  status: AutofixStatus;
  createdAt: string;
  updatedAt: string;
  purgeAt: number;
  detail?: string;
  newJob?: { id: number; url: string };
  branch?: string;
  manifest?: string;
  mergeRequest?: { iid: number; url: string };
  /** what finishing means: `pipeline:<project>#<id>` (a retry) or `ref:<project>#<branch>` (a merge request) */
  watch?: string;
  watching?: 'open';
  outcome?: AutofixOutcome;
  outcomePipeline?: { id: number; url: string };
  finishedAt?: string;
  /** the report as posted, re-rendered with the outcome */
  message?: MessageRef;
  reply?: Reply;
}

export type NewAutofix = Pick<Autofix, 'id' | 'service' | 'project' | 'pipelineId' | 'jobName' | 'jobId' | 'playbookId' | 'kind' | 'origin' | 'by' | 'correlationId'>;

const KEEP_DAYS = 90;

export const pipelineWatch = (project: string, pipelineId: number): string => `pipeline:${project}#${pipelineId}`;
export const refWatch = (project: string, ref: string): string => `ref:${project}#${ref}`;

export class AutofixStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  /** The conditional write that makes a fix happen at most once, across deliveries and replicas. */
  async claim(input: NewAutofix): Promise<{ claimed: true; record: Autofix } | { claimed: false; record: Autofix | undefined }> {
    const now = this.clock.now();
    const record: Autofix = { ...input, status: 'claimed', createdAt: now.toISOString(), updatedAt: now.toISOString(), purgeAt: epochSeconds(now) + KEEP_DAYS * 86_400 };
    try {
      await this.doc.send(new PutCommand({ TableName: this.table, Item: record, ConditionExpression: 'attribute_not_exists(id)' }));
      return { claimed: true, record };
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      return { claimed: false, record: await this.get(input.id) };
    }
  }

  async get(id: string): Promise<Autofix | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.table, Key: { id }, ConsistentRead: true }));
    return Item as Autofix | undefined;
  }

  /** The fix went through; from now on its outcome is watched. */
  applied(id: string, fields: Pick<Autofix, 'watch'> & Partial<Pick<Autofix, 'detail' | 'newJob' | 'branch' | 'manifest' | 'mergeRequest'>>): Promise<Autofix | undefined> {
    return this.change(id, { ...fields, status: 'applied', ...(fields.watch ? { watching: 'open' } : {}) });
  }

  failed(id: string, detail: string): Promise<Autofix | undefined> {
    return this.change(id, { status: 'failed', detail: detail.slice(0, 500) });
  }

  /** The report is up; answers the record, which may already carry an outcome that raced the post. */
  attachMessage(id: string, message: MessageRef, reply: Reply): Promise<Autofix | undefined> {
    return this.change(id, { message, reply });
  }

  /** Fixes waiting for this pipeline (or branch) to finish. */
  async watchedBy(watch: string): Promise<Autofix[]> {
    const { Items } = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byWatch',
        KeyConditionExpression: '#watch = :watch',
        ExpressionAttributeNames: { '#watch': 'watch' },
        ExpressionAttributeValues: { ':watch': watch },
      }),
    );
    return (Items ?? []) as Autofix[];
  }

  /** Every fix still waiting for its outcome, oldest first (the poller's list). */
  async watching(): Promise<Autofix[]> {
    return queryAll<Autofix>(this.doc, {
      TableName: this.table,
      IndexName: 'byWatching',
      KeyConditionExpression: '#watching = :open',
      ExpressionAttributeNames: { '#watching': 'watching' },
      ExpressionAttributeValues: { ':open': 'open' },
    });
  }

  /** Only the first finish counts (webhook deliveries, the poller, replicas): it removes the watch. */
  async finish(id: string, outcome: AutofixOutcome, pipeline?: { id: number; url: string }): Promise<Autofix | undefined> {
    return this.change(id, { outcome, ...(pipeline ? { outcomePipeline: pipeline } : {}), finishedAt: this.clock.now().toISOString() }, ['watch', 'watching'], 'attribute_exists(#watching)');
  }

  private change(id: string, fields: Partial<Autofix>, remove: string[] = [], condition = 'attribute_exists(id)'): Promise<Autofix | undefined> {
    return updateIf<Autofix>(this.doc, {
      table: this.table,
      key: { id },
      set: { ...fields, updatedAt: this.clock.now().toISOString() },
      remove,
      condition,
    });
  }
}
