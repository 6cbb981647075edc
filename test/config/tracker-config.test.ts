import { describe, expect, it } from 'vitest';
import { DEFAULT_TRACKER } from '../../src/actions/pipelines/tracker.js';
import { trackerSettings } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { configProblems } from '../support/config-problems.js';

const problems = configProblems;

describe('AIOPS_TRACKER_* settings', () => {
  it('default to the tracker production timings', () => {
    const { leaseSeconds, pollMinMs, pollMaxMs, sweepMs } = DEFAULT_TRACKER;
    expect(trackerSettings(loadConfig({}))).toEqual({ leaseSeconds, pollMinMs, pollMaxMs, sweepMs });
  });

  it('shorten the lease, the polls and the sweep together, polls backing off to a third of the lease', () => {
    const config = loadConfig({ AIOPS_TRACKER_LEASE_SECONDS: '6', AIOPS_TRACKER_POLL_SECONDS: '1', AIOPS_TRACKER_SWEEP_SECONDS: '2' });
    expect(trackerSettings(config)).toEqual({ leaseSeconds: 6, pollMinMs: 1000, pollMaxMs: 2000, sweepMs: 2000 });
    expect(trackerSettings(loadConfig({ AIOPS_TRACKER_LEASE_SECONDS: '4', AIOPS_TRACKER_POLL_SECONDS: '2' })).pollMaxMs).toBe(2000);
  });

  it.each([
    [{ AIOPS_TRACKER_LEASE_SECONDS: '1' }, /^AIOPS_TRACKER_LEASE_SECONDS: expected at least 2/],
    [{ AIOPS_TRACKER_POLL_SECONDS: '0.5' }, /^AIOPS_TRACKER_POLL_SECONDS: expected a whole number/],
    [{ AIOPS_TRACKER_SWEEP_SECONDS: 'often' }, /^AIOPS_TRACKER_SWEEP_SECONDS: expected a whole number/],
    [{ AIOPS_TRACKER_LEASE_SECONDS: '10', AIOPS_TRACKER_POLL_SECONDS: '6' }, /^AIOPS_TRACKER_LEASE_SECONDS: must be at least twice AIOPS_TRACKER_POLL_SECONDS \(6 s\)/],
  ])('refuse %o with a message naming the variable', (env, message) => {
    expect(problems(env)).toEqual([expect.stringMatching(message)]);
  });
});
