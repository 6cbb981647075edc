import type { RecentDeployment } from '../remediation/runbook.js';

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
