import { describe, expect, it } from 'vitest';
import { rollbackTarget, runningVersion } from '../../src/actions/pipelines/history.js';
import type { Deployment, DeploymentKind, Outcome } from '../../src/sessions/deployments.js';

let clock = 0;
/** Newest first, like the store answers. */
function history(...items: Array<[DeploymentKind, string, Outcome, string?]>): Deployment[] {
  return items
    .map(([kind, version, outcome, replaces]) => ({
      id: `d-${++clock}`,
      kind,
      action: kind,
      service: 'payments',
      environment: 'prod',
      target: 'payments#prod',
      project: 'acme/payments',
      ref: version,
      version,
      ...(replaces ? { replaces } : {}),
      summary: `${kind} ${version}`,
      requestedBy: { key: 'k', name: 'n' },
      correlationId: 'c',
      conversation: { platform: 'console' as const, channel: 'c', thread: 't' },
      startedAt: new Date(Date.UTC(2026, 0, 1, 0, clock)).toISOString(),
      updatedAt: '',
      outcome,
    }))
    .reverse();
}

const versionOf = (deployment: Deployment | undefined): string | undefined => deployment?.version;

describe('rollback targets', () => {
  it('is the previous good version', () => {
    const list = history(['deploy', 'v1', 'success'], ['deploy', 'v2', 'success'], ['deploy', 'v3', 'success']);
    expect(versionOf(rollbackTarget(list).target)).toBe('v2');
  });

  it('skips failed deploys and redeploys of the current version', () => {
    const list = history(['deploy', 'v1', 'success'], ['deploy', 'v2', 'failed'], ['deploy', 'v3', 'success'], ['deploy', 'v3', 'success']);
    expect(versionOf(rollbackTarget(list).target)).toBe('v1');
  });

  it('after a failed deploy, returns to the last good version', () => {
    const list = history(['deploy', 'v1', 'success'], ['deploy', 'v2', 'success'], ['deploy', 'v3', 'failed']);
    const { current, target } = rollbackTarget(list);
    expect([versionOf(current), versionOf(target)]).toEqual(['v3', 'v2']);
  });

  it('goes further back on a second rollback instead of toggling', () => {
    const list = history(['deploy', 'v1', 'success'], ['deploy', 'v2', 'success'], ['deploy', 'v3', 'success'], ['rollback', 'v2', 'success', 'v3']);
    expect(versionOf(rollbackTarget(list).target)).toBe('v1');
  });

  it('may return to a version redeployed after it was rolled back', () => {
    const list = history(['deploy', 'v2', 'success'], ['deploy', 'v3', 'success'], ['rollback', 'v2', 'success', 'v3'], ['deploy', 'v3', 'success'], ['deploy', 'v4', 'success']);
    expect(versionOf(rollbackTarget(list).target)).toBe('v3');
  });

  it('ignores recoveries and unfinished runs', () => {
    const list = history(['deploy', 'v1', 'success'], ['deploy', 'v2', 'success'], ['recover', 'v2', 'success'], ['deploy', 'v3', 'running']);
    expect(versionOf(rollbackTarget(list).target)).toBe('v1');
    expect(versionOf(runningVersion(list))).toBe('v2');
  });

  it('has nothing to offer without an earlier good version', () => {
    expect(rollbackTarget(history(['deploy', 'v1', 'success'])).target).toBeUndefined();
    expect(rollbackTarget([]).current).toBeUndefined();
  });
});
