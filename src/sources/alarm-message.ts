import { z } from 'zod';
import { ALARM_STATES } from '../integrations/cloudwatch.js';
import type { IncidentMetric } from '../sessions/incidents.js';
import { isoTime, kindOf, readingOf, type AlarmStateChange } from './alarm-event.js';

/**
 * The two alarm payloads an SNS `Message` can carry: CloudWatch's own alarm notification
 * (single metric, metric math, anomaly band, composite) and an EventBridge "CloudWatch Alarm
 * State Change" event routed to the topic. Anything else is not an alarm and is ignored.
 */

const state = z.enum(ALARM_STATES);
const dimension = z.object({ name: z.string(), value: z.string() });

const triggerMetric = z.object({
  Id: z.string(),
  Expression: z.string().optional(),
  Label: z.string().optional(),
  ReturnData: z.boolean().optional(),
  MetricStat: z
    .object({
      Metric: z.object({ Dimensions: z.array(dimension).optional(), MetricName: z.string(), Namespace: z.string() }),
      Period: z.number().optional(),
      Stat: z.string().optional(),
    })
    .optional(),
});

const snsAlarmSchema = z.object({
  AlarmName: z.string().min(1).max(255),
  AlarmDescription: z.string().nullable().optional(),
  AWSAccountId: z.string().optional(),
  NewStateValue: state,
  NewStateReason: z.string(),
  StateChangeTime: z.string(),
  Region: z.string().optional(),
  AlarmArn: z.string().optional(),
  OldStateValue: state.optional(),
  AlarmRule: z.string().optional(),
  Trigger: z
    .object({
      MetricName: z.string().optional(),
      Namespace: z.string().optional(),
      Statistic: z.string().optional(),
      ExtendedStatistic: z.string().optional(),
      Dimensions: z.array(dimension).optional(),
      Period: z.number().optional(),
      ComparisonOperator: z.string().optional(),
      Threshold: z.number().optional(),
      ThresholdMetricId: z.string().optional(),
      Metrics: z.array(triggerMetric).optional(),
    })
    .nullable()
    .optional(),
});

const eventState = z.object({ value: state, reason: z.string(), reasonData: z.string().optional(), timestamp: z.string() });
const eventMetric = z.object({
  id: z.string(),
  expression: z.string().optional(),
  label: z.string().optional(),
  returnData: z.boolean().optional(),
  metricStat: z
    .object({
      metric: z.object({ namespace: z.string(), name: z.string(), dimensions: z.record(z.string(), z.string()).optional() }),
      period: z.number().optional(),
      stat: z.string().optional(),
    })
    .optional(),
});

const eventBridgeSchema = z.object({
  'detail-type': z.literal('CloudWatch Alarm State Change'),
  source: z.literal('aws.cloudwatch'),
  account: z.string(),
  region: z.string(),
  resources: z.array(z.string()),
  detail: z.object({
    alarmName: z.string().min(1).max(255),
    state: eventState,
    previousState: eventState.partial().optional(),
    configuration: z
      .object({ description: z.string().optional(), metrics: z.array(eventMetric).optional(), alarmRule: z.string().optional() })
      .optional(),
  }),
});

export type ParsedMessage =
  | { kind: 'alarm'; change: AlarmStateChange }
  | { kind: 'other'; note: string }
  | { kind: 'malformed'; problem: string };

export function parseAlarmMessage(message: string): ParsedMessage {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return { kind: 'other', note: 'not JSON' };
  }
  if (typeof value !== 'object' || value === null) return { kind: 'other', note: 'not an object' };
  if ('detail-type' in value) {
    if ((value as Record<string, unknown>)['detail-type'] !== 'CloudWatch Alarm State Change') return { kind: 'other', note: 'another EventBridge event' };
    const parsed = eventBridgeSchema.safeParse(value);
    return parsed.success ? fromEventBridge(parsed.data) : malformed(parsed.error);
  }
  if ('AlarmName' in value) {
    const parsed = snsAlarmSchema.safeParse(value);
    return parsed.success ? fromSnsAlarm(parsed.data) : malformed(parsed.error);
  }
  return { kind: 'other', note: 'not an alarm' };
}

function malformed(error: z.ZodError): ParsedMessage {
  return { kind: 'malformed', problem: error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || 'message'}: ${issue.message}`).join('; ') };
}

function fromSnsAlarm(alarm: z.infer<typeof snsAlarmSchema>): ParsedMessage {
  const changedAt = isoTime(alarm.StateChangeTime);
  if (!changedAt) return { kind: 'malformed', problem: `StateChangeTime: not a time (${alarm.StateChangeTime.slice(0, 40)})` };
  const trigger = alarm.Trigger ?? undefined;
  const queries = trigger?.Metrics ?? [];
  const returned = queries.find((query) => query.ReturnData !== false && query.Expression);
  const underlying = queries.find((query) => query.MetricStat)?.MetricStat;
  const dimensions = trigger?.Dimensions ?? underlying?.Metric.Dimensions ?? [];
  const stat = trigger?.Statistic ?? trigger?.ExtendedStatistic ?? underlying?.Stat;
  const period = trigger?.Period ?? underlying?.Period;
  const namespace = trigger?.Namespace ?? underlying?.Metric.Namespace;
  const name = trigger?.MetricName ?? underlying?.Metric.MetricName;
  const expression = returned?.Expression ?? alarm.AlarmRule;
  const metric: IncidentMetric | undefined =
    name || expression
      ? {
          ...(namespace ? { namespace } : {}),
          ...(name ? { name } : {}),
          dimensions: Object.fromEntries(dimensions.map((d) => [d.name, d.value])),
          ...(stat ? { stat } : {}),
          ...(period ? { period } : {}),
          ...(expression ? { expression } : {}),
        }
      : undefined;
  return {
    kind: 'alarm',
    change: {
      alarm: alarm.AlarmName,
      ...(alarm.AlarmArn ? { arn: alarm.AlarmArn } : {}),
      ...(alarm.AWSAccountId ? { account: alarm.AWSAccountId } : {}),
      ...(alarm.Region ? { region: alarm.Region } : {}),
      ...(alarm.AlarmDescription ? { description: alarm.AlarmDescription } : {}),
      kind: trigger?.ThresholdMetricId ? 'anomaly' : kindOf(metric, Boolean(alarm.AlarmRule)),
      state: alarm.NewStateValue,
      ...(alarm.OldStateValue ? { previous: alarm.OldStateValue } : {}),
      reason: alarm.NewStateReason,
      changedAt,
      ...(metric ? { metric } : {}),
      ...readingOf(undefined, alarm.NewStateReason, trigger?.Threshold),
      ...(trigger?.ComparisonOperator ? { comparison: trigger.ComparisonOperator } : {}),
      source: 'sns',
    },
  };
}

function fromEventBridge(event: z.infer<typeof eventBridgeSchema>): ParsedMessage {
  const { detail } = event;
  const changedAt = isoTime(detail.state.timestamp);
  if (!changedAt) return { kind: 'malformed', problem: `detail.state.timestamp: not a time (${detail.state.timestamp.slice(0, 40)})` };
  const queries = detail.configuration?.metrics ?? [];
  const returned = queries.find((query) => query.returnData !== false && query.expression);
  const underlying = queries.find((query) => query.metricStat)?.metricStat;
  const expression = returned?.expression ?? detail.configuration?.alarmRule;
  const metric: IncidentMetric | undefined =
    underlying || expression
      ? {
          ...(underlying ? { namespace: underlying.metric.namespace, name: underlying.metric.name } : {}),
          dimensions: underlying?.metric.dimensions ?? {},
          ...(underlying?.stat ? { stat: underlying.stat } : {}),
          ...(underlying?.period ? { period: underlying.period } : {}),
          ...(expression ? { expression } : {}),
        }
      : undefined;
  return {
    kind: 'alarm',
    change: {
      alarm: detail.alarmName,
      ...(event.resources[0] ? { arn: event.resources[0] } : {}),
      account: event.account,
      region: event.region,
      ...(detail.configuration?.description ? { description: detail.configuration.description } : {}),
      kind: kindOf(metric, Boolean(detail.configuration?.alarmRule)),
      state: detail.state.value,
      ...(detail.previousState?.value ? { previous: detail.previousState.value } : {}),
      reason: detail.state.reason,
      changedAt,
      ...(metric ? { metric } : {}),
      ...readingOf(detail.state.reasonData, detail.state.reason, undefined),
      source: 'eventbridge',
    },
  };
}
