import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { RecentDeployment } from '../remediation/runbook.js';
import type { Approval } from '../sessions/approvals.js';
import type { Store } from '../sessions/store.js';

/** The last deployment of a service to an environment before an instant, and what it replaced. */
export interface DeploymentLookup {
  latestBefore(service: string, environment: string, at: Date): Promise<RecentDeployment | undefined>;
}

/** The part of a deployments record the lookup reads (issue 5's DeploymentStore has it). */
export interface DeploymentHistory {
  /** newest first */
  history(
    service: string,
    environment: string,
    limit?: number,
  ): Promise<ReadonlyArray<{ kind: string; version?: string; replaces?: string; outcome: string; startedAt: string; finishedAt?: string }>>;
}

/**
 * The lookup over the deployments record: the newest successful change of version before the
 * alarm, if it was a deploy (a rollback is not a deployment to blame), and the version it replaced.
 */
export class DeploymentHistoryLookup implements DeploymentLookup {
  constructor(private readonly deployments: DeploymentHistory) {}

  async latestBefore(service: string, environment: string, at: Date): Promise<RecentDeployment | undefined> {
    const before = at.toISOString();
    const changes = (await this.deployments.history(service, environment, 50)).filter(
      (item) => item.kind !== 'recover' && item.version !== undefined && item.outcome === 'success' && (item.finishedAt ?? item.startedAt) <= before,
    );
    const [latest, ...earlier] = changes;
    if (!latest?.version || latest.kind !== 'deploy') return undefined;
    const previous = latest.replaces ?? earlier.find((item) => item.version !== latest.version)?.version;
    return { version: latest.version, at: latest.finishedAt ?? latest.startedAt, ...(previous ? { previousVersion: previous } : {}) };
  }
}

/**
 * SEAM(deployments): until the deployments record of issue 5 is on the same branch, the executed
 * deploy approvals are the record of what aiops deployed. Once it is, src/sources/alerting.ts
 * uses `new DeploymentHistoryLookup(store.deployments)` instead and this class can go.
 */
export class ApprovalDeploymentLookup implements DeploymentLookup {
  constructor(private readonly store: Store) {}

  async latestBefore(service: string, environment: string, at: Date): Promise<RecentDeployment | undefined> {
    const { Items } = await this.store.doc.send(
      new QueryCommand({
        TableName: this.store.tables.approvals,
        IndexName: 'byService',
        KeyConditionExpression: 'service = :service AND createdAt <= :at',
        ExpressionAttributeValues: { ':service': service, ':at': at.toISOString() },
        ScanIndexForward: false,
        Limit: 100,
      }),
    );
    const deploys = ((Items ?? []) as Approval[]).filter(
      (approval) =>
        approval.action === 'deploy' &&
        approval.environment === environment &&
        approval.status === 'executed' &&
        typeof approval.slots.version === 'string' &&
        // a dry-run changed nothing, so it cannot have caused anything
        !(approval.result ?? '').startsWith('*Dry-run:*'),
    );
    const [latest, ...earlier] = deploys;
    if (!latest) return undefined;
    const previous = earlier.find((approval) => approval.slots.version !== latest.slots.version);
    return {
      version: String(latest.slots.version),
      at: latest.finishedAt ?? latest.decidedAt ?? latest.createdAt,
      ...(previous ? { previousVersion: String(previous.slots.version) } : {}),
    };
  }
}

export const noDeployments: DeploymentLookup = { latestBefore: async () => undefined };
