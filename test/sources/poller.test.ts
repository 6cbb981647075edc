import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAlerting } from '../../src/sources/alerting.js';
import { pollAlarms } from '../../src/sources/poller.js';
import { AlertHarness, alarmChange } from '../support/alerts.js';
import { cloudWatchForTests, cloudWatchReplies, noHistory, noMetricData } from '../support/cloudwatch.js';
import { useEmbeddedStore } from '../support/embedded-store.js';
import { alarmMessage, awsFixture, SnsSigner } from '../support/sns.js';

const store = useEmbeddedStore();
const NOW = new Date('2026-03-02T14:00:00Z');
const FIRED = '2026-03-02T13:58:00.000Z';
let h: AlertHarness;

const published = awsFixture<{ MetricAlarms: Array<Record<string, unknown>> }>('describe_alarms_response.json').MetricAlarms[0]!;
/** The published DescribeAlarms alarm, renamed into the payments service and firing since FIRED. */
const firing = (name = 'payments-cpu-high', state = 'ALARM', at = FIRED) => ({
  ...published,
  AlarmName: name,
  AlarmArn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${name}`,
  StateValue: state,
  StateReason: `Threshold Crossed: 1 datapoint [93.5 (02/03/26 13:57:00)] was ${state === 'OK' ? 'not ' : ''}greater than the threshold (70.0).`,
  StateReasonData: JSON.stringify({ version: '1.0', recentDatapoints: [93.5], threshold: 70 }),
  StateTransitionedTimestamp: at,
  StateUpdatedTimestamp: at,
});

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => nock.enableNetConnect());
beforeEach(async () => {
  h = await AlertHarness.start({ endpoint: store.endpoint(), prefix: store.prefix(), now: NOW, owner: 'replica-a' });
  noHistory();
  noMetricData();
});
afterEach(async () => h.close());

describe('the alarm poller', () => {
  it('opens an incident for an alarm in ALARM, and resolves it when DescribeAlarms says OK', async () => {
    cloudWatchReplies('DescribeAlarms', { MetricAlarms: [firing()] }, (body) => body.StateValue === 'ALARM');
    expect(await h.alerting.watcher.tick()).toBe(true);
    const incident = await h.store.incidents.openForAlarm('payments-cpu-high');
    expect(incident).toMatchObject({ source: 'poller', openedAt: FIRED, value: 93.5, threshold: 70, metric: { namespace: 'AWS/EC2', name: 'CPUUtilization' } });
    expect(h.notifier.alerts).toHaveLength(1);

    h.clock.advance(60_000);
    cloudWatchReplies('DescribeAlarms', { MetricAlarms: [] }, (body) => body.StateValue === 'ALARM');
    cloudWatchReplies('DescribeAlarms', { MetricAlarms: [firing('payments-cpu-high', 'OK', '2026-03-02T14:00:30.000Z')] }, (body) => JSON.stringify(body.AlarmNames) === '["payments-cpu-high"]');
    await h.alerting.watcher.tick();
    expect(nock.pendingMocks().filter((mock) => mock.includes('monitoring'))).toEqual([]);
    expect(await h.store.incidents.allOpen()).toEqual([]);
    expect(h.notifier.alerts[0]!.current.text).toContain('RESOLVED');
  });

  it('makes one incident of a transition that arrives by SNS and by the poller', async () => {
    const signer = new SnsSigner(NOW);
    signer.serveCertificate();
    const message = alarmMessage('payments-cpu-high', { at: FIRED, trigger: { MetricName: 'CPUUtilization' } });
    expect((await h.postSns(signer.notification(message))).body).toEqual({ status: 'opened' });
    cloudWatchReplies('DescribeAlarms', { MetricAlarms: [firing()] }, (body) => body.StateValue === 'ALARM');
    await h.alerting.watcher.tick();
    expect(h.notifier.alerts).toHaveLength(1);
    expect(await h.store.incidents.allOpen()).toHaveLength(1);
  });

  it('makes one incident even when both routes race', async () => {
    cloudWatchReplies('DescribeAlarms', { MetricAlarms: [firing()] }).persist();
    const results = await Promise.all([
      h.alerting.alerts.handle(alarmChange('payments-cpu-high', { at: FIRED })),
      pollAlarms({ cloudwatch: h.alerting.cloudwatch!, incidents: h.store.incidents, alerts: h.alerting.alerts, log: h.bot.app.log, now: NOW }),
      pollAlarms({ cloudwatch: h.alerting.cloudwatch!, incidents: h.store.incidents, alerts: h.alerting.alerts, log: h.bot.app.log, now: NOW }),
    ]);
    expect(results[0] === 'opened' || results[0] === 'duplicate').toBe(true);
    expect(h.notifier.alerts).toHaveLength(1);
    expect(await h.store.incidents.allOpen()).toHaveLength(1);
  });

  it('runs on one replica at a time: two pollers, one DescribeAlarms, one incident; the other takes over when the lease lapses', async () => {
    const other = createAlerting(h.bot.app, { notifier: h.notifier, cloudwatch: cloudWatchForTests(), owner: 'replica-b' });
    try {
      const describe = cloudWatchReplies('DescribeAlarms', { MetricAlarms: [firing()] });
      const leaders = await Promise.all([h.alerting.watcher.tick(), other.watcher.tick()]);
      expect(leaders.filter(Boolean)).toHaveLength(1);
      expect(describe.isDone()).toBe(true);
      expect(h.notifier.alerts).toHaveLength(1);
      expect(await h.store.incidents.allOpen()).toHaveLength(1);

      // the leader keeps its lease while it ticks; the follower stays idle
      const leader = leaders[0] ? h.alerting.watcher : other.watcher;
      const follower = leaders[0] ? other.watcher : h.alerting.watcher;
      cloudWatchReplies('DescribeAlarms', { MetricAlarms: [firing()] });
      h.clock.advance(60_000);
      expect(await follower.tick()).toBe(false);
      expect(await leader.tick()).toBe(true);

      // the leader dies: after three intervals without renewal the follower polls
      h.clock.advance(3 * 60_000);
      cloudWatchReplies('DescribeAlarms', { MetricAlarms: [firing()] });
      expect(await follower.tick()).toBe(true);
      expect(h.notifier.alerts).toHaveLength(1);
    } finally {
      await other.stop();
    }
  });

  it('does not open incidents for alarms that have been firing for more than a day', async () => {
    cloudWatchReplies('DescribeAlarms', { MetricAlarms: [firing('payments-cpu-high', 'ALARM', '2026-02-20T08:00:00.000Z'), firing('orders-cpu-high')] });
    await h.alerting.watcher.tick();
    expect(h.notifier.alerts.map((alert) => alert.reply.text)).toEqual(['*ALARM: orders-cpu-high (orders, prod)*']);
  });

  it('keeps ticking after a CloudWatch failure, and says so in the log', async () => {
    nock('https://monitoring.us-east-1.amazonaws.com').post('/').reply(500, { __type: 'InternalFailure', message: 'boom' }, { 'content-type': 'application/x-amz-json-1.0' });
    expect(await h.alerting.watcher.tick()).toBe(true);
    expect(h.bot.logs.text()).toContain('alert watcher step failed');
  });

  it('polls on its interval with injected timers, and stops cleanly', async () => {
    const ticks: Array<() => void> = [];
    const timers = { setInterval: (run: () => void) => ticks.push(run), clearInterval: () => undefined };
    const timed = createAlerting(h.bot.app, { notifier: h.notifier, cloudwatch: cloudWatchForTests(), owner: 'replica-t', timers });
    const describe = cloudWatchReplies('DescribeAlarms', { MetricAlarms: [] });
    timed.start();
    expect(ticks).toHaveLength(1);
    ticks[0]!();
    await timed.stop();
    expect(describe.isDone()).toBe(true);
    expect(await h.store.keys.get('lease:alarm-watcher')).toBeUndefined();
  });
});
