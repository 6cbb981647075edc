import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CloudWatch } from '../../src/integrations/cloudwatch.js';
import { cloudWatchForTests, cloudWatchReplies } from '../support/cloudwatch.js';
import { awsFixture } from '../support/sns.js';

let cloudwatch: CloudWatch;

beforeAll(() => {
  nock.disableNetConnect();
  cloudwatch = cloudWatchForTests();
});
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});
afterAll(() => {
  cloudwatch.destroy();
  nock.enableNetConnect();
});

const published = awsFixture<{ MetricAlarms: Array<Record<string, unknown>> }>('describe_alarms_response.json');

describe('DescribeAlarms', () => {
  it('follows NextToken through every page and reads the published alarm', async () => {
    const firing = { ...published.MetricAlarms[0], AlarmName: 'payments-cpu-high', StateValue: 'ALARM', StateTransitionedTimestamp: '2026-03-02T13:58:00.000Z' };
    const sent: Array<Record<string, unknown>> = [];
    cloudWatchReplies('DescribeAlarms', { MetricAlarms: [published.MetricAlarms[0]], NextToken: 'page-2' }, (body) => sent.push(body) > 0 && body.NextToken === undefined);
    cloudWatchReplies('DescribeAlarms', { MetricAlarms: [firing], CompositeAlarms: [{ AlarmName: 'payments-composite', StateValue: 'ALARM', AlarmRule: 'ALARM(payments-cpu-high)', StateUpdatedTimestamp: '2026-03-02T13:59:00.000Z', StateReason: 'child alarm' }] }, (body) => sent.push(body) > 0 && body.NextToken === 'page-2');

    const alarms = await cloudwatch.alarmsInState('ALARM');

    expect(sent[0]).toMatchObject({ StateValue: 'ALARM', AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] });
    expect(alarms.map((alarm) => alarm.name)).toEqual(['myalarm', 'payments-cpu-high', 'payments-composite']);
    expect(alarms[0]).toEqual({
      name: 'myalarm',
      arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:myalarm',
      kind: 'metric',
      state: 'OK',
      reason: published.MetricAlarms[0]!.StateReason,
      reasonData: published.MetricAlarms[0]!.StateReasonData,
      changedAt: '2014-04-09T18:59:06.442Z',
      description: 'CPU usage exceeds 70 percent',
      metric: { namespace: 'AWS/EC2', name: 'CPUUtilization', dimensions: { InstanceId: 'i-0c986c72' }, stat: 'Average', period: 300 },
      threshold: 70,
      comparison: 'GreaterThanThreshold',
    });
    // the transition time, not the last update, is what identifies an episode
    expect(alarms[1]!.changedAt).toBe('2026-03-02T13:58:00.000Z');
    expect(alarms[2]).toMatchObject({ kind: 'composite', metric: { expression: 'ALARM(payments-cpu-high)' } });
  });

  it('asks for named alarms 100 at a time', async () => {
    const names = Array.from({ length: 150 }, (_, index) => `alarm-${index}`);
    const sizes: number[] = [];
    const count = (body: Record<string, unknown>): boolean => sizes.push((body.AlarmNames as string[]).length) > 0;
    cloudWatchReplies('DescribeAlarms', { MetricAlarms: [] }, count);
    cloudWatchReplies('DescribeAlarms', { MetricAlarms: [] }, count);
    expect(await cloudwatch.alarmsNamed(names)).toEqual([]);
    expect(sizes).toEqual([100, 50]);
  });

  it('surfaces a CloudWatch error to the caller', async () => {
    nock('https://monitoring.us-east-1.amazonaws.com')
      .post('/')
      .reply(400, { __type: 'com.amazonaws.cloudwatch#InvalidParameterValueException', message: 'The parameter StateValue must be one of OK, ALARM, INSUFFICIENT_DATA' }, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': 'InvalidParameterValue;Sender' });
    await expect(cloudwatch.alarmsInState('ALARM')).rejects.toThrow(/StateValue must be one of/);
  });
});

describe('DescribeAlarmHistory and GetMetricData', () => {
  it('reads state changes from the history data', async () => {
    cloudWatchReplies(
      'DescribeAlarmHistory',
      {
        AlarmHistoryItems: [
          { AlarmName: 'payments-cpu-high', Timestamp: '2026-03-01T09:12:00.000Z', HistoryItemType: 'StateUpdate', HistorySummary: 'Alarm updated from OK to ALARM', HistoryData: JSON.stringify({ version: '1.0', oldState: { stateValue: 'OK' }, newState: { stateValue: 'ALARM', stateReason: 'Threshold Crossed' } }) },
          { AlarmName: 'payments-cpu-high', Timestamp: '2026-03-01T09:40:00.000Z', HistoryItemType: 'StateUpdate', HistorySummary: 'Alarm updated from ALARM to OK', HistoryData: 'not json' },
        ],
      },
      (body) => body.AlarmName === 'payments-cpu-high' && body.HistoryItemType === 'StateUpdate',
    );
    const history = await cloudwatch.history('payments-cpu-high', new Date('2026-02-23T14:00:00Z'), new Date('2026-03-02T14:00:00Z'));
    expect(history).toEqual([
      { at: '2026-03-01T09:12:00.000Z', from: 'OK', to: 'ALARM', summary: 'Alarm updated from OK to ALARM' },
      { at: '2026-03-01T09:40:00.000Z', from: undefined, to: undefined, summary: 'Alarm updated from ALARM to OK' },
    ]);
  });

  it('asks GetMetricData for the alarm metric with the statistic CloudWatch expects', async () => {
    let query: Record<string, unknown> | undefined;
    cloudWatchReplies(
      'GetMetricData',
      { MetricDataResults: [{ Id: 'm1', Timestamps: ['2026-03-02T13:55:00.000Z', '2026-03-02T13:50:00.000Z'], Values: [93.5, 41], StatusCode: 'Complete' }] },
      (body) => Boolean((query = body)),
    );
    const points = await cloudwatch.metricValues({ namespace: 'AWS/ECS', name: 'CPUUtilization', dimensions: { ServiceName: 'payments' }, stat: 'AVERAGE', period: 300 }, new Date('2026-03-02T13:00:00Z'), new Date('2026-03-02T14:00:00Z'));
    expect(points).toEqual([
      { at: '2026-03-02T13:50:00.000Z', value: 41 },
      { at: '2026-03-02T13:55:00.000Z', value: 93.5 },
    ]);
    expect(query).toMatchObject({
      MetricDataQueries: [{ Id: 'm1', MetricStat: { Metric: { Namespace: 'AWS/ECS', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'ServiceName', Value: 'payments' }] }, Period: 300, Stat: 'Average' } }],
    });
    expect(await cloudwatch.metricValues({ dimensions: {}, expression: 'SUM(METRICS())' }, new Date(), new Date())).toEqual([]);
  });
});
