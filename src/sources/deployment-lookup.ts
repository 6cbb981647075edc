import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { RecentDeployment } from '../remediation/runbook.js';
import type { Approval } from '../sessions/approvals.js';
import type { Store } from '../sessions/store.js';

/** The last deployment of a service to an environment before an instant, and what it replaced. */
export interface DeploymentLookup {
  latestBefore(service: string, environment: string, at: Date): Promise<RecentDeployment | undefined>;
}

/**
 * SEAM(deployments): until the deployments record of issue 5 (src/sessions/deployments.ts) is on
 * main, the executed deploy approvals are the record of what aiops deployed. Swap this for a
 * lookup over `store.deployments.history(service, environment)` (newest successful deploy, its
 * `replaces` as the previous version) in src/sources/alerting.ts.
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
    const [latest, previous] = deploys;
    if (!latest) return undefined;
    return {
      version: String(latest.slots.version),
      at: latest.finishedAt ?? latest.decidedAt ?? latest.createdAt,
      ...(previous ? { previousVersion: String(previous.slots.version) } : {}),
    };
  }
}

export const noDeployments: DeploymentLookup = { latestBefore: async () => undefined };
