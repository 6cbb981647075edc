import { describe, expect, it } from 'vitest';
import { adjustForHistory, recoveryFor } from '../../src/remediation/runbook.js';

const at = '2026-03-02T14:00:00.000Z';
const metric = (name: string, namespace = 'AWS/ApplicationELB') => ({ namespace, name, dimensions: {} });

describe('recovery rules', () => {
  it.each([
    ['payments-cpu', metric('CPUUtilization', 'AWS/ECS'), 'scale'],
    ['orders-memory', metric('MemoryUtilization', 'AWS/ECS'), 'scale'],
    ['search-unhealthy', metric('UnHealthyHostCount'), 'restart'],
    ['search-healthy', metric('HealthyHostCount'), 'restart'],
    ['web-status', metric('StatusCheckFailed', 'AWS/EC2'), 'restart'],
    ['db-disk', metric('FreeStorageSpace', 'AWS/RDS'), 'cleanup'],
    ['node-disk', metric('disk_used_percent', 'CWAgent'), 'cleanup'],
    ['queue-depth', metric('ApproximateNumberOfMessagesVisible', 'AWS/SQS'), 'investigate'],
  ])('%s (%s) -> %s', (alarm, watched, action) => {
    expect(recoveryFor({ alarm, metric: watched, firedAt: at }).action).toBe(action);
  });

  it('rolls back 5XX errors that start within 2 h of a deployment, to the version before it', () => {
    const verdict = recoveryFor({
      alarm: 'payments-5xx',
      metric: metric('HTTPCode_Target_5XX_Count'),
      firedAt: at,
      recentDeployment: { version: 'v1.3', previousVersion: 'v1.2', at: '2026-03-02T13:20:00.000Z' },
    });
    expect(verdict).toMatchObject({ action: 'rollback', rollbackTo: 'v1.2', confidence: 0.85 });
    expect(verdict.why).toContain('40 min after v1.3 was deployed');
  });

  it('does not blame a deployment older than 2 h, or one after the alarm', () => {
    const old = recoveryFor({ alarm: 'payments-error-rate', firedAt: at, recentDeployment: { version: 'v1.3', at: '2026-03-02T11:30:00.000Z' } });
    expect(old.action).toBe('investigate');
    const later = recoveryFor({ alarm: 'payments-errors', firedAt: at, recentDeployment: { version: 'v1.3', at: '2026-03-02T14:05:00.000Z' } });
    expect(later.action).toBe('investigate');
    expect(recoveryFor({ alarm: 'payments-5xx', firedAt: at }).action).toBe('investigate');
  });

  it('trusts a recovery that worked before a little more, and one that failed much less', () => {
    const verdict = recoveryFor({ alarm: 'payments-cpu', metric: metric('CPUUtilization'), firedAt: at });
    expect(adjustForHistory(verdict, [{ action: 'scale', verification: 'verified' }]).confidence).toBe(0.85);
    const failed = adjustForHistory(verdict, [{ action: 'scale', verification: 'failed' }]);
    expect(failed.confidence).toBe(0.6);
    expect(failed.why).toContain('failed 1 time');
    expect(adjustForHistory(verdict, [{ action: 'restart', verification: 'failed' }]).confidence).toBe(0.8);
  });
});
