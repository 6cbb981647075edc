import { describe, expect, it } from 'vitest';
import { fromSnapshot, isoTime, readingOf } from '../../src/sources/alarm-event.js';
import { parseAlarmMessage, type ParsedMessage } from '../../src/sources/alarm-message.js';
import type { AlarmStateChange } from '../../src/sources/alarm-event.js';
import { awsFixture } from '../support/sns.js';

const raw = (name: string): string => JSON.stringify(awsFixture(name));

function alarm(parsed: ParsedMessage): AlarmStateChange {
  if (parsed.kind !== 'alarm') throw new Error(`expected an alarm, got ${JSON.stringify(parsed)}`);
  return parsed.change;
}

describe('CloudWatch alarm messages carried by SNS', () => {
  it('reads the published single-metric alarm', () => {
    const change = alarm(parseAlarmMessage(raw('cloudwatch_alarm_message_single_metric.json')));
    expect(change).toMatchObject({
      alarm: 'EXAMPLE',
      kind: 'metric',
      state: 'ALARM',
      previous: 'INSUFFICIENT_DATA',
      changedAt: '2015-06-03T17:43:27.123Z',
      metric: { namespace: 'AWS/EC2', name: 'NetworkOut', dimensions: { InstanceId: 'TestInstance' }, stat: 'AVERAGE', period: 60 },
      value: 1234,
      threshold: 0,
      comparison: 'GreaterThanThreshold',
      source: 'sns',
    });
  });

  it('reads the published metric-math alarm, keeping the expression and the metric under it', () => {
    const change = alarm(parseAlarmMessage(raw('cloudwatch_alarm_message_multiple_metrics.json')));
    expect(change.kind).toBe('metric-math');
    expect(change.metric).toMatchObject({ expression: 'm1*1', namespace: 'AWS/EC2', name: 'NetworkOut', dimensions: { InstanceId: 'TestInstance' } });
    expect(change.value).toBe(1234);
  });

  it('reads a composite alarm notification, which has a rule instead of a trigger', () => {
    const message = JSON.stringify({ ...awsFixture('cloudwatch_alarm_message_single_metric.json'), Trigger: null, AlarmRule: 'ALARM(a) OR ALARM(b)' });
    const change = alarm(parseAlarmMessage(message));
    expect(change.kind).toBe('composite');
    expect(change.metric?.expression).toBe('ALARM(a) OR ALARM(b)');
  });

  it('ignores messages that are not alarms, and calls a broken alarm malformed', () => {
    expect(parseAlarmMessage('Hello world!')).toEqual({ kind: 'other', note: 'not JSON' });
    expect(parseAlarmMessage('{"hello":"world"}').kind).toBe('other');
    const broken = JSON.stringify({ ...awsFixture('cloudwatch_alarm_message_single_metric.json'), NewStateValue: 'ON_FIRE' });
    const parsed = parseAlarmMessage(broken);
    expect(parsed.kind).toBe('malformed');
    expect(parsed.kind === 'malformed' && parsed.problem).toContain('NewStateValue');
    const timeless = JSON.stringify({ ...awsFixture('cloudwatch_alarm_message_single_metric.json'), StateChangeTime: 'yesterday' });
    expect(parseAlarmMessage(timeless).kind).toBe('malformed');
  });
});

describe('EventBridge "CloudWatch Alarm State Change" events', () => {
  it('reads the single-metric event with its reason data', () => {
    const change = alarm(parseAlarmMessage(raw('eventbridge_alarm_state_change_single_metric.json')));
    expect(change).toMatchObject({
      alarm: 'ServerCpuTooHigh',
      kind: 'metric',
      state: 'ALARM',
      previous: 'OK',
      changedAt: '2019-10-02T17:04:40.989Z',
      metric: { namespace: 'AWS/EC2', name: 'CPUUtilization', dimensions: { InstanceId: 'i-12345678901234567' }, stat: 'Average', period: 300 },
      value: 99.50160229693434,
      threshold: 50,
      source: 'eventbridge',
      arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh',
    });
  });

  it('reads metric math, anomaly bands and composite alarms', () => {
    const math = alarm(parseAlarmMessage(raw('eventbridge_alarm_state_change_metric_math.json')));
    expect(math).toMatchObject({ kind: 'metric-math', value: 45628, threshold: 10000, previous: 'INSUFFICIENT_DATA' });
    expect(math.metric?.expression).toBe('SUM(METRICS())');

    const anomaly = alarm(parseAlarmMessage(raw('eventbridge_alarm_state_change_anomaly_detection.json')));
    expect(anomaly.kind).toBe('anomaly');
    expect(anomaly).toMatchObject({ value: 0, band: { lower: 0.020599444741798756, upper: 0.3006915352732461 } });
    expect(anomaly.threshold).toBeUndefined();

    const composite = alarm(parseAlarmMessage(raw('eventbridge_alarm_state_change_composite_suppressor.json')));
    expect(composite).toMatchObject({ kind: 'composite', alarm: 'ServiceAggregatedAlarm' });
    expect(composite.metric?.expression).toBe('ALARM(ServerCpuTooHigh) OR ALARM(TotalNetworkTrafficTooHigh)');
  });

  it('ignores other EventBridge events', () => {
    expect(parseAlarmMessage(JSON.stringify({ 'detail-type': 'EC2 Instance State-change Notification', detail: {} })).kind).toBe('other');
  });
});

describe('one transition, one key, whichever route reported it', () => {
  it('normalises CloudWatch times so SNS, EventBridge and DescribeAlarms agree', () => {
    expect(isoTime('2019-10-02T17:04:40.989+0000')).toBe('2019-10-02T17:04:40.989Z');
    expect(isoTime('2019-10-02T19:04:40.989+0200')).toBe('2019-10-02T17:04:40.989Z');
    expect(isoTime('not a time')).toBeUndefined();
    const polled = fromSnapshot({
      name: 'ServerCpuTooHigh',
      arn: undefined,
      kind: 'metric',
      state: 'ALARM',
      reason: 'Threshold Crossed',
      reasonData: '{"recentDatapoints":[99.5],"threshold":50.0}',
      changedAt: new Date(Date.UTC(2019, 9, 2, 17, 4, 40, 989)).toISOString(),
      description: undefined,
      metric: undefined,
      threshold: 50,
      comparison: 'GreaterThanThreshold',
    });
    const pushed = alarm(parseAlarmMessage(raw('eventbridge_alarm_state_change_single_metric.json')));
    expect(polled.changedAt).toBe(pushed.changedAt);
  });

  it('reads the value from the reason text when there is no reason data', () => {
    expect(readingOf(undefined, 'Threshold Crossed: 1 out of the last 1 datapoints [93.5 (02/03/26 13:57:00)] was greater than the threshold (80.0)', undefined)).toEqual({ value: 93.5, threshold: 80 });
  });
});
