import {
  CloudWatchClient,
  GetMetricDataCommand,
  paginateDescribeAlarmHistory,
  paginateDescribeAlarms,
  type CompositeAlarm,
  type DescribeAlarmsCommandInput,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import { z } from 'zod';
import type { IncidentMetric } from '../sessions/incidents.js';

export const ALARM_STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

/** An alarm as DescribeAlarms reports it, reduced to what incidents need. */
export interface AlarmSnapshot {
  name: string;
  arn: string | undefined;
  kind: 'metric' | 'composite';
  state: AlarmState;
  reason: string;
  /** JSON text with recentDatapoints / threshold, when CloudWatch gives it */
  reasonData: string | undefined;
  /** when the state last changed (StateTransitionedTimestamp, else StateUpdatedTimestamp), ISO */
  changedAt: string;
  description: string | undefined;
  metric: IncidentMetric | undefined;
  threshold: number | undefined;
  comparison: string | undefined;
}

export interface AlarmHistoryEntry {
  at: string;
  from: AlarmState | undefined;
  to: AlarmState | undefined;
  summary: string;
}

export interface MetricPoint {
  at: string;
  value: number;
}

export interface CloudWatchOptions {
  /** AWS_REGION; absent: the SDK's own chain (profile, instance metadata) */
  region?: string;
  /** AWS_ENDPOINT_URL_CLOUDWATCH; absent: the SDK's regional endpoint */
  endpoint?: string;
  /** tests only: real deployments use the SDK's default credential chain */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  maxAttempts?: number;
}

const stateSchema = z.enum(ALARM_STATES);
const historyDataSchema = z.object({
  oldState: z.object({ stateValue: stateSchema }).partial().optional(),
  newState: z.object({ stateValue: stateSchema }).partial().optional(),
});

const DESCRIBE_BATCH = 100;
const HISTORY_LIMIT = 200;

/**
 * The CloudWatch calls aiops makes: DescribeAlarms (paginated), DescribeAlarmHistory and
 * GetMetricData. Region, endpoint and credentials come from the SDK's own configuration.
 */
export class CloudWatch {
  constructor(readonly client: CloudWatchClient) {}

  static create(options: CloudWatchOptions = {}): CloudWatch {
    return new CloudWatch(
      new CloudWatchClient({
        ...(options.region ? { region: options.region } : {}),
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        ...(options.credentials ? { credentials: options.credentials } : {}),
        maxAttempts: options.maxAttempts ?? 3,
      }),
    );
  }

  /** Every metric and composite alarm currently in `state`, across all pages. */
  alarmsInState(state: AlarmState): Promise<AlarmSnapshot[]> {
    return this.describe({ StateValue: state });
  }

  /** The named alarms (missing names are simply absent from the answer). */
  async alarmsNamed(names: readonly string[]): Promise<AlarmSnapshot[]> {
    const found: AlarmSnapshot[] = [];
    for (let index = 0; index < names.length; index += DESCRIBE_BATCH) {
      found.push(...(await this.describe({ AlarmNames: names.slice(index, index + DESCRIBE_BATCH) })));
    }
    return found;
  }

  /** State changes of one alarm since `since`, newest first. */
  async history(alarm: string, since: Date, until: Date): Promise<AlarmHistoryEntry[]> {
    const entries: AlarmHistoryEntry[] = [];
    const pages = paginateDescribeAlarmHistory(
      { client: this.client },
      { AlarmName: alarm, HistoryItemType: 'StateUpdate', StartDate: since, EndDate: until, ScanBy: 'TimestampDescending' },
    );
    for await (const page of pages) {
      for (const item of page.AlarmHistoryItems ?? []) {
        entries.push({ at: (item.Timestamp ?? until).toISOString(), ...transition(item.HistoryData), summary: item.HistorySummary ?? '' });
      }
      if (entries.length >= HISTORY_LIMIT) break;
    }
    return entries;
  }

  /** Datapoints of a single metric between two instants, oldest first; [] for metric math. */
  async metricValues(metric: IncidentMetric, start: Date, end: Date): Promise<MetricPoint[]> {
    if (!metric.namespace || !metric.name) return [];
    const { MetricDataResults } = await this.client.send(
      new GetMetricDataCommand({
        StartTime: start,
        EndTime: end,
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [
          {
            Id: 'm1',
            ReturnData: true,
            MetricStat: {
              Metric: {
                Namespace: metric.namespace,
                MetricName: metric.name,
                Dimensions: Object.entries(metric.dimensions).map(([Name, Value]) => ({ Name, Value })),
              },
              Period: metric.period ?? 60,
              Stat: statName(metric.stat),
            },
          },
        ],
      }),
    );
    const result = MetricDataResults?.[0];
    const times = result?.Timestamps ?? [];
    const values = result?.Values ?? [];
    return times
      .map((time, index) => ({ at: time.toISOString(), value: values[index] }))
      .filter((point): point is MetricPoint => typeof point.value === 'number')
      .sort((a, b) => a.at.localeCompare(b.at));
  }

  destroy(): void {
    this.client.destroy();
  }

  private async describe(input: DescribeAlarmsCommandInput): Promise<AlarmSnapshot[]> {
    const alarms: AlarmSnapshot[] = [];
    const pages = paginateDescribeAlarms({ client: this.client }, { ...input, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] });
    for await (const page of pages) {
      for (const alarm of page.MetricAlarms ?? []) alarms.push(...fromMetricAlarm(alarm));
      for (const alarm of page.CompositeAlarms ?? []) alarms.push(...fromCompositeAlarm(alarm));
    }
    return alarms;
  }
}

function transition(data: string | undefined): Pick<AlarmHistoryEntry, 'from' | 'to'> {
  try {
    const parsed = historyDataSchema.safeParse(JSON.parse(data ?? ''));
    if (parsed.success) return { from: parsed.data.oldState?.stateValue, to: parsed.data.newState?.stateValue };
  } catch {
    // HistoryData is free text for some item types; the summary still says what happened
  }
  return { from: undefined, to: undefined };
}

const STAT_NAMES: Record<string, string> = { AVERAGE: 'Average', SUM: 'Sum', MINIMUM: 'Minimum', MAXIMUM: 'Maximum', SAMPLE_COUNT: 'SampleCount' };

/** SNS alarm messages say AVERAGE; GetMetricData wants Average (percentiles such as p99 pass through). */
export const statName = (stat: string | undefined): string => (stat ? (STAT_NAMES[stat.toUpperCase()] ?? stat) : 'Average');

function state(value: string | undefined): AlarmState | undefined {
  const parsed = stateSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

function fromMetricAlarm(alarm: MetricAlarm): AlarmSnapshot[] {
  const current = state(alarm.StateValue);
  if (!alarm.AlarmName || !current) return [];
  const changed = alarm.StateTransitionedTimestamp ?? alarm.StateUpdatedTimestamp;
  const expression = alarm.Metrics?.find((query) => query.ReturnData !== false && query.Expression)?.Expression;
  const single = alarm.MetricName ? { namespace: alarm.Namespace, name: alarm.MetricName } : undefined;
  const stat = alarm.Statistic ?? alarm.ExtendedStatistic;
  const metric: IncidentMetric | undefined =
    single || expression
      ? {
          ...(single?.namespace ? { namespace: single.namespace } : {}),
          ...(single?.name ? { name: single.name } : {}),
          dimensions: Object.fromEntries((alarm.Dimensions ?? []).map((d) => [d.Name ?? '', d.Value ?? ''])),
          ...(stat ? { stat } : {}),
          ...(alarm.Period ? { period: alarm.Period } : {}),
          ...(expression ? { expression } : {}),
        }
      : undefined;
  return [
    {
      name: alarm.AlarmName,
      arn: alarm.AlarmArn,
      kind: 'metric',
      state: current,
      reason: alarm.StateReason ?? '',
      reasonData: alarm.StateReasonData,
      changedAt: (changed ?? new Date(0)).toISOString(),
      description: alarm.AlarmDescription,
      metric,
      threshold: alarm.Threshold,
      comparison: alarm.ComparisonOperator,
    },
  ];
}

function fromCompositeAlarm(alarm: CompositeAlarm): AlarmSnapshot[] {
  const current = state(alarm.StateValue);
  if (!alarm.AlarmName || !current) return [];
  const changed = alarm.StateTransitionedTimestamp ?? alarm.StateUpdatedTimestamp;
  return [
    {
      name: alarm.AlarmName,
      arn: alarm.AlarmArn,
      kind: 'composite',
      state: current,
      reason: alarm.StateReason ?? '',
      reasonData: alarm.StateReasonData,
      changedAt: (changed ?? new Date(0)).toISOString(),
      description: alarm.AlarmDescription,
      metric: alarm.AlarmRule ? { dimensions: {}, expression: alarm.AlarmRule } : undefined,
      threshold: undefined,
      comparison: undefined,
    },
  ];
}
