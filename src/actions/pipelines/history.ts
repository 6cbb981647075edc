import type { Deployment } from '../../sessions/deployments.js';

/** Deploys and rollbacks that ran to an end (recoveries do not change the version). */
const versionChanges = (history: readonly Deployment[]): Deployment[] =>
  history.filter((item) => item.kind !== 'recover' && item.version !== undefined && item.outcome !== 'pending' && item.outcome !== 'running');

/** What runs in the environment as far as aiops knows: the newest successful deploy or rollback. */
export function runningVersion(history: readonly Deployment[]): Deployment | undefined {
  return versionChanges(history).find((item) => item.outcome === 'success');
}

/** A deployment of this environment that has not finished yet. */
export const inProgress = (history: readonly Deployment[]): Deployment | undefined => history.find((item) => item.tracking === 'open');

/**
 * The rollback target in an environment (history newest first): the newest successful deploy
 * before the current one whose version differs from it, skipping versions an earlier rollback
 * moved away from, so rolling back twice goes further back instead of returning to the version
 * that was rolled back.
 */
export function rollbackTarget(history: readonly Deployment[]): { current: Deployment | undefined; target: Deployment | undefined } {
  const [current, ...earlier] = versionChanges(history);
  if (!current) return { current: undefined, target: undefined };
  const excluded = new Set<string>([current.version!]);
  if (current.kind === 'rollback' && current.replaces && current.outcome === 'success') excluded.add(current.replaces);
  for (const item of earlier) {
    if (item.outcome === 'success' && !excluded.has(item.version!)) return { current, target: item };
    if (item.kind === 'rollback' && item.replaces && item.outcome === 'success') excluded.add(item.replaces);
  }
  return { current, target: undefined };
}

/** Did this version (or commit) deploy successfully here? */
export function deployedSuccessfully(history: readonly Deployment[], version: string, sha: string | undefined): Deployment | undefined {
  return versionChanges(history).find((item) => item.outcome === 'success' && (item.version === version || (sha !== undefined && item.sha === sha)));
}
