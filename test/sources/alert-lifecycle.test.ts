import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentAnalyst } from '../../src/sources/analyst.js';
import type { DeploymentLookup } from '../../src/sources/deployment-lookup.js';
import { AlertHarness, alarmChange, button, textOf, type HarnessOptions } from '../support/alerts.js';
import { noHistory, noMetricData, cloudWatchReplies } from '../support/cloudwatch.js';
import { useEmbeddedStore } from '../support/embedded-store.js';

const store = useEmbeddedStore();
const FIRED = '2026-03-02T13:58:00.000Z';
let harness: AlertHarness | undefined;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => nock.enableNetConnect());
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(options: Partial<HarnessOptions> = {}, cloudwatch: 'quiet' | 'none' = 'quiet'): Promise<AlertHarness> {
  harness = await AlertHarness.start({ endpoint: store.endpoint(), prefix: store.prefix(), ...options });
  if (cloudwatch === 'quiet') {
    noHistory();
    noMetricData();
  }
  return harness;
}

describe('an alarm firing', () => {
  it('posts what fired, since when, value vs threshold, history and a proposal with Approve / Dismiss to the service channel', async () => {
    const h = await start({}, 'none');
    cloudWatchReplies('DescribeAlarmHistory', {
      AlarmHistoryItems: [
        { Timestamp: FIRED, HistorySummary: 'Alarm updated from OK to ALARM', HistoryData: JSON.stringify({ oldState: { stateValue: 'OK' }, newState: { stateValue: 'ALARM' } }) },
        { Timestamp: '2026-02-27T08:00:00.000Z', HistorySummary: 'Alarm updated from OK to ALARM', HistoryData: JSON.stringify({ oldState: { stateValue: 'OK' }, newState: { stateValue: 'ALARM' } }) },
      ],
    });
    cloudWatchReplies('GetMetricData', { MetricDataResults: [{ Id: 'm1', Timestamps: ['2026-03-02T13:50:00.000Z', '2026-03-02T13:55:00.000Z'], Values: [61.25, 93.5] }] });

    expect(await h.alerting.alerts.handle(alarmChange('payments-cpu-high', { at: FIRED }))).toBe('opened');

    const [alert] = h.notifier.alerts;
    expect(alert!.target).toEqual({ platform: 'slack', channel: 'C0PAYMENTS' });
    const text = textOf(alert!.reply);
    expect(alert!.reply.text).toBe('*ALARM: payments-cpu-high (payments, prod)*');
    expect(text).toContain('Service: payments (owner team-payments)');
    expect(text).toContain('Since: 2026-03-02 13:58 UTC');
    expect(text).toContain('Value: 93.5 > threshold 80');
    expect(text).toContain('Metric: AWS/ECS CPUUtilization (InstanceId=TestInstance)');
    expect(text).toContain('Fired 2 times in the last 7 days (before this: 2026-02-27 08:00 UTC).');
    expect(text).toContain('Last hour: 61.25, 93.5');
    expect(text).toContain('*Scale out payments in prod*, confidence 0.80 (rule: CPU or memory saturation).');
    expect(text).toContain('needs approval by devops (four-eyes)');

    const approve = button(alert!.reply, 'Approve');
    expect(button(alert!.reply, 'Dismiss').target).toBe(approve.target);
    const approval = await h.store.approvals.get(approve.target);
    expect(approval).toMatchObject({ status: 'pending', action: 'recover', requester: { key: 'aiops:alerts' }, environment: 'prod', policy: 'four-eyes', message: alert!.ref });
    expect(approval?.slots).toEqual({ service: 'payments', action: 'scale', alarm: 'payments-cpu-high', environment: 'prod' });

    const incident = await h.store.incidents.openForAlarm('payments-cpu-high');
    expect(incident).toMatchObject({ service: 'payments', environment: 'prod', openedAt: FIRED, value: 93.5, threshold: 80, message: alert!.ref, proposal: { action: 'scale', proposed: true, approvalId: approve.target } });
    const audit = (await h.store.audit.recent(10)).map((entry) => entry.event);
    expect(audit).toEqual(expect.arrayContaining(['incident.opened', 'approval.requested']));
  });

  it('is edited to resolved with the time to recover when the alarm is back to OK, and the proposal is withdrawn', async () => {
    const h = await start();
    await h.alerting.alerts.handle(alarmChange('payments-cpu-high', { at: FIRED }));
    const alert = h.notifier.alerts[0]!;
    h.clock.advance(12 * 60_000);

    expect(await h.alerting.alerts.handle(alarmChange('payments-cpu-high', { state: 'OK', at: '2026-03-02T14:10:30.000Z' }))).toBe('resolved');

    expect(alert.current.text).toBe('*RESOLVED: payments-cpu-high (payments, prod)*, back to OK after 13 min');
    expect(alert.current.tone).toBe('success');
    expect(alert.current.buttons).toBeUndefined();
    expect(textOf(alert.current)).toContain('Time to recover: 13 min');
    expect(alert.current.context).toContain('Proposal withdrawn: the alarm recovered before anyone decided.');
    expect(alert.current.context?.join('\n')).not.toContain('needs approval');
    expect(alert.current.sections?.map((section) => section.title)).toEqual(['Why', 'History', 'Recovery proposed']);
    expect(h.notifier.thread(alert).map((message) => message.reply.text)).toEqual([
      'Back to OK at 14:10 UTC: recovered on its own.\nProposal withdrawn: the alarm recovered before anyone decided.',
    ]);
    expect((await h.store.approvals.get(button(alert.reply, 'Approve').target))?.status).toBe('rejected');
    expect(await h.store.incidents.allOpen()).toEqual([]);

    // a late click cannot run a recovery for a healthy service
    await h.bot.grant('slack:bob', 'devops');
    const late = await h.click('bob', alert, 'Approve');
    expect(late.replies[0]!.text).toContain('Already cancelled by aiops');
  });

  it('still ends resolved when the OK arrives while the alert is being posted', async () => {
    const h = await start();
    const notify = h.notifier.notify.bind(h.notifier);
    let raced = false;
    h.notifier.notify = async (target, reply) => {
      if (!raced) {
        raced = true;
        expect(await h.alerting.alerts.handle(alarmChange('payments-cpu-high', { state: 'OK', at: '2026-03-02T13:59:00.000Z' }))).toBe('resolved');
      }
      return notify(target, reply);
    };
    await h.alerting.alerts.handle(alarmChange('payments-cpu-high', { at: FIRED }));
    const alert = h.notifier.alerts[0]!;
    expect(alert.current.text).toBe('*RESOLVED: payments-cpu-high (payments, prod)*, back to OK after 1 min');
    expect(alert.current.context).toContain('Proposal withdrawn: the alarm recovered before anyone decided.');
    expect(h.notifier.alerts).toHaveLength(1);
  });

  it('ignores an OK without an open incident, and a late OK from before the alarm', async () => {
    const h = await start();
    expect(await h.alerting.alerts.handle(alarmChange('payments-cpu-high', { state: 'OK', at: FIRED }))).toBe('ignored');
    await h.alerting.alerts.handle(alarmChange('payments-cpu-high', { at: FIRED }));
    expect(await h.alerting.alerts.handle(alarmChange('payments-cpu-high', { state: 'OK', at: '2026-03-02T13:50:00.000Z' }))).toBe('ignored');
    expect(await h.store.incidents.allOpen()).toHaveLength(1);
  });

  it('opens an incident only on a transition into ALARM; other states go in the thread, once', async () => {
    const h = await start();
    expect(await h.alerting.alerts.handle(alarmChange('payments-cpu-high', { state: 'INSUFFICIENT_DATA', at: FIRED }))).toBe('ignored');
    expect(await h.alerting.alerts.handle(alarmChange('payments-cpu-high', { previous: 'ALARM', at: FIRED }))).toBe('ignored');
    expect(h.notifier.messages).toEqual([]);

    await h.alerting.alerts.handle(alarmChange('payments-cpu-high', { at: FIRED }));
    const noData = alarmChange('payments-cpu-high', { state: 'INSUFFICIENT_DATA', previous: 'ALARM', at: '2026-03-02T14:03:00.000Z' });
    expect(await h.alerting.alerts.handle(noData)).toBe('updated');
    expect(await h.alerting.alerts.handle({ ...noData, source: 'poller' })).toBe('duplicate');
    const thread = h.notifier.thread(h.notifier.alerts[0]!);
    expect(thread.map((message) => message.reply.text)).toEqual(['payments-cpu-high is now *INSUFFICIENT_DATA* (since 14:03 UTC).']);
    expect(h.notifier.alerts).toHaveLength(1);
  });

  it('keeps one incident when the alarm fires again before its OK was seen, and says so in the thread', async () => {
    const h = await start();
    await h.alerting.alerts.handle(alarmChange('payments-cpu-high', { at: FIRED }));
    expect(await h.alerting.alerts.handle(alarmChange('payments-cpu-high', { at: '2026-03-02T14:20:00.000Z' }))).toBe('updated');
    expect(h.notifier.alerts).toHaveLength(1);
    expect(h.notifier.thread(h.notifier.alerts[0]!).map((message) => message.reply.text)).toEqual(['payments-cpu-high is now *ALARM* (since 14:20 UTC).']);
  });
});

describe('where alerts go and what they propose', () => {
  it('sends an alarm no service claims to AIOPS_ALERT_CHANNEL, asking for manual investigation', async () => {
    const h = await start({ env: { AIOPS_ALERT_CHANNEL: 'teams:19:ops@thread.tacv2' } });
    await h.alerting.alerts.handle(alarmChange('legacy-queue-depth', { at: FIRED, metric: 'ApproximateNumberOfMessagesVisible', namespace: 'AWS/SQS' }));
    const [alert] = h.notifier.alerts;
    expect(alert!.target).toEqual({ platform: 'teams', channel: '19:ops@thread.tacv2' });
    expect(alert!.reply.buttons).toBeUndefined();
    const text = textOf(alert!.reply);
    expect(text).toContain('Service: none: no aiops/alarms prefix in the catalog matches');
    expect(text).toContain('Manual investigation needed');
    expect(text).toContain('No recovery rule covers ApproximateNumberOfMessagesVisible');
  });

  it('skips a channel annotation for a platform that is not configured', async () => {
    const h = await start({ env: { MicrosoftAppId: 'aiops-app', AIOPS_ALERT_CHANNEL: 'teams:19:ops@thread.tacv2' } });
    await h.alerting.alerts.handle(alarmChange('payments-cpu-high', { at: FIRED }));
    expect(h.notifier.alerts[0]!.target).toEqual({ platform: 'teams', channel: '19:ops@thread.tacv2' });
  });

  it('records an incident even when there is nowhere to post it', async () => {
    const h = await start();
    await h.alerting.alerts.handle(alarmChange('legacy-queue-depth', { at: FIRED }));
    expect(h.notifier.messages).toEqual([]);
    expect(await h.store.incidents.openForAlarm('legacy-queue-depth')).toMatchObject({ proposal: { proposed: false } });
  });

  it('asks for manual investigation when the confidence is below AIOPS_RECOVERY_MIN_CONFIDENCE', async () => {
    const h = await start({ env: { AIOPS_RECOVERY_MIN_CONFIDENCE: '0.9' } });
    await h.alerting.alerts.handle(alarmChange('payments-cpu-high', { at: FIRED }));
    const alert = h.notifier.alerts[0]!;
    expect(alert.reply.buttons).toBeUndefined();
    expect(textOf(alert.reply)).toContain('Confidence 0.80 is below AIOPS_RECOVERY_MIN_CONFIDENCE (0.9).');
    expect(textOf(alert.reply)).toContain("The runbook's choice was: Scale out (confidence 0.80); not proposed.");
  });

  it('proposes a rollback to the previous version when errors start within 2 h of a deployment', async () => {
    const deployments: DeploymentLookup = { latestBefore: async (service, environment) => (service === 'payments' && environment === 'prod' ? { version: 'v1.3', previousVersion: 'v1.2', at: '2026-03-02T13:20:00.000Z' } : undefined) };
    const h = await start({ deployments });
    await h.alerting.alerts.handle(alarmChange('payments-5xx', { at: FIRED, metric: 'HTTPCode_Target_5XX_Count', namespace: 'AWS/ApplicationELB', threshold: 10, value: 57 }));
    const alert = h.notifier.alerts[0]!;
    const text = textOf(alert.reply);
    expect(text).toContain('*Roll back payments in prod (to v1.2)*, confidence 0.85 (rule: errors within 2 h of a deployment).');
    expect(text).toContain('HTTPCode_Target_5XX_Count started 38 min after v1.3 was deployed; the previous version was v1.2.');
    expect(text).toContain('Last deployment: v1.3 at 2026-03-02 13:20 UTC (replacing v1.2).');
    const approval = await h.store.approvals.get(button(alert.reply, 'Approve').target);
    const calls = approval!.plan.calls as Array<{ method: string; path: string; body?: { variables?: Array<{ key: string; value: string }> } }>;
    const trigger = calls.find((call) => call.method === 'POST' && call.path.endsWith('/pipeline'));
    expect(trigger?.body?.variables).toEqual(expect.arrayContaining([{ key: 'AIOPS_ACTION', value: 'rollback' }, { key: 'AIOPS_VERSION', value: 'v1.2' }, { key: 'AIOPS_ALARM', value: 'payments-5xx' }]));
  });

  it('does not propose a rollback for errors with no deployment in the last 2 h', async () => {
    const h = await start();
    await h.alerting.alerts.handle(alarmChange('payments-5xx', { at: FIRED, metric: 'HTTPCode_Target_5XX_Count', namespace: 'AWS/ApplicationELB' }));
    expect(h.notifier.alerts[0]!.reply.buttons).toBeUndefined();
    expect(textOf(h.notifier.alerts[0]!.reply)).toContain('no deployment in the 2 h before the alarm');
  });

  it("adds Claude's root cause and confidence when it agrees with the runbook", async () => {
    const analyst: IncidentAnalyst = { analyse: async (context) => ({ rootCause: `A batch job saturates ${context.service}`, confidence: 0.92, action: 'scale' }) };
    const h = await start({ analyst });
    await h.alerting.alerts.handle(alarmChange('payments-cpu-high', { at: FIRED }));
    const text = textOf(h.notifier.alerts[0]!.reply);
    expect(text).toContain('confidence 0.92');
    expect(text).toContain("Claude's analysis: A batch job saturates payments");
  });

  it('asks a person when Claude disagrees with the runbook, and ignores a malformed analysis', async () => {
    const disagreeing: IncidentAnalyst = { analyse: async () => ({ rootCause: 'A memory leak since the last deploy', confidence: 0.9, action: 'restart' }) };
    const h = await start({ analyst: disagreeing });
    await h.alerting.alerts.handle(alarmChange('payments-cpu-high', { at: FIRED }));
    expect(h.notifier.alerts[0]!.reply.buttons).toBeUndefined();
    expect(textOf(h.notifier.alerts[0]!.reply)).toContain('Claude suggests restart instead of scale (confidence 0.90), so a person should decide.');
    await h.close();

    const malformed = { analyse: async () => ({ rootCause: '', confidence: 7 }) } as unknown as IncidentAnalyst;
    const again = await start({ analyst: malformed });
    await again.alerting.alerts.handle(alarmChange('payments-cpu-high', { at: FIRED }));
    expect(button(again.notifier.alerts[0]!.reply, 'Approve')).toBeTruthy();
    expect(again.bot.logs.text()).toContain('incident analysis malformed');
  });

  it('respects the catalog when it limits recoveries for a service', async () => {
    const h = await start({ env: { AIOPS_CATALOG: new URL('../fixtures/catalog-recovery-limits.yaml', import.meta.url).pathname } });
    await h.alerting.alerts.handle(alarmChange('ledger-cpu-high', { at: FIRED }));
    const text = textOf(h.notifier.alerts[0]!.reply);
    expect(text).toContain('The catalog allows only restart for ledger (aiops/recovery-actions).');
    expect(h.notifier.alerts[0]!.target).toEqual({ platform: 'teams', channel: '19:ledger@thread.tacv2' });
  });

  it('lists similar incidents of the last 30 days with what resolved them', async () => {
    const h = await start();
    await h.alerting.alerts.handle(alarmChange('payments-cpu-high', { at: '2026-02-20T10:00:00.000Z' }));
    await h.alerting.alerts.handle(alarmChange('payments-cpu-high', { state: 'OK', at: '2026-02-20T10:09:00.000Z' }));
    await h.alerting.alerts.handle(alarmChange('payments-memory-high', { at: '2026-01-10T10:00:00.000Z' }));
    await h.alerting.alerts.handle(alarmChange('payments-memory-high', { state: 'OK', at: '2026-01-10T10:30:00.000Z' }));
    await h.alerting.alerts.handle(alarmChange('payments-cpu-high', { at: FIRED }));
    const text = textOf(h.notifier.alerts.at(-1)!.reply);
    expect(text).toContain('• 2026-02-20 10:00 UTC payments-cpu-high: recovered on its own after 9 min');
    expect(text).not.toContain('2026-01-10');
  });
});
