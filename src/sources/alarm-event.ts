import { z } from 'zod';
import type { AlarmSnapshot, AlarmState } from '../integrations/cloudwatch.js';
import type { IncidentMetric, IncidentSource } from '../sessions/incidents.js';

export type AlarmKind = 'metric' | 'metric-math' | 'anomaly' | 'composite';

/** One alarm state change, whichever way it arrived (SNS, EventBridge via SNS, the poller). */
export interface AlarmStateChange {
  alarm: string;
  arn?: string;
  account?: string;
  region?: string;
  description?: string;
  kind: AlarmKind;
  state: AlarmState;
  /** unknown when the poller saw it (DescribeAlarms has no previous state) */
  previous?: AlarmState;
  reason: string;
  /** when the alarm changed state, ISO with milliseconds: with the alarm name, the idempotency key */
  changedAt: string;
  metric?: IncidentMetric;
  value?: number;
  threshold?: number;
  /** anomaly detection: the expected band the value left */
  band?: { lower: number; upper: number };
  comparison?: string;
  source: IncidentSource;
}

/**
 * CloudWatch writes times as `2015-06-03T17:43:27.123+0000`; DescribeAlarms gives a Date.
 * Both become the same ISO string, so the same transition has the same key on every route.
 */
export function isoTime(text: string): string | undefined {
  const normalised = text.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const time = Date.parse(normalised);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

const reasonDataSchema = z
  .object({
    recentDatapoints: z.array(z.number()).optional(),
    threshold: z.number().optional(),
    recentUpperThresholds: z.array(z.number()).optional(),
    recentLowerThresholds: z.array(z.number()).optional(),
  })
  .loose();

/** The latest datapoint and the threshold (or anomaly band) it crossed: from the reason data, else from the reason text. */
export function readingOf(reasonData: string | undefined, reason: string, threshold: number | undefined): Pick<AlarmStateChange, 'value' | 'threshold' | 'band'> {
  let data: z.infer<typeof reasonDataSchema> | undefined;
  try {
    const parsed = reasonDataSchema.safeParse(JSON.parse(reasonData ?? ''));
    if (parsed.success) data = parsed.data;
  } catch {
    // no reason data (SNS messages carry only the text); fall through to the text
  }
  const value = data?.recentDatapoints?.at(-1) ?? numberIn(reason, /datapoints? \[(-?[\d.]+(?:[eE][-+]?\d+)?)/);
  const upper = data?.recentUpperThresholds?.at(-1);
  const lower = data?.recentLowerThresholds?.at(-1);
  const band = upper !== undefined && lower !== undefined ? { lower, upper } : undefined;
  const limit = threshold ?? data?.threshold ?? (band ? undefined : numberIn(reason, /threshold \((-?[\d.]+(?:[eE][-+]?\d+)?)\)/));
  return { ...(value !== undefined ? { value } : {}), ...(limit !== undefined ? { threshold: limit } : {}), ...(band ? { band } : {}) };
}

function numberIn(text: string, pattern: RegExp): number | undefined {
  const match = pattern.exec(text);
  const value = match ? Number(match[1]) : Number.NaN;
  return Number.isFinite(value) ? value : undefined;
}

export function kindOf(metric: IncidentMetric | undefined, composite: boolean): AlarmKind {
  if (composite) return 'composite';
  if (metric?.expression && /ANOMALY_DETECTION_BAND/i.test(metric.expression)) return 'anomaly';
  if (metric?.expression) return 'metric-math';
  return 'metric';
}

/** What the poller saw, as a state change. */
export function fromSnapshot(snapshot: AlarmSnapshot): AlarmStateChange {
  const reading = readingOf(snapshot.reasonData, snapshot.reason, snapshot.threshold);
  return {
    alarm: snapshot.name,
    ...(snapshot.arn ? { arn: snapshot.arn } : {}),
    ...(snapshot.description ? { description: snapshot.description } : {}),
    kind: kindOf(snapshot.metric, snapshot.kind === 'composite'),
    state: snapshot.state,
    reason: snapshot.reason,
    changedAt: snapshot.changedAt,
    ...(snapshot.metric ? { metric: snapshot.metric } : {}),
    ...reading,
    ...(snapshot.comparison ? { comparison: snapshot.comparison } : {}),
    source: 'poller',
  };
}

const COMPARISON: Record<string, string> = {
  GreaterThanThreshold: '>',
  GreaterThanOrEqualToThreshold: '≥',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '≤',
  LessThanLowerOrGreaterThanUpperThreshold: 'outside band',
  LessThanLowerThreshold: '< lower band',
  GreaterThanUpperThreshold: '> upper band',
};

export const comparisonSymbol = (operator: string | undefined): string => (operator ? (COMPARISON[operator] ?? operator) : 'vs');

/** `AWS/EC2 CPUUtilization (InstanceId=i-123)` or the expression. */
export function describeMetric(metric: IncidentMetric | undefined): string | undefined {
  if (!metric) return undefined;
  const dimensions = Object.entries(metric.dimensions).map(([name, value]) => `${name}=${value}`).join(', ');
  const named = metric.name ? `${metric.namespace ? `${metric.namespace} ` : ''}${metric.name}${dimensions ? ` (${dimensions})` : ''}` : undefined;
  if (metric.expression && named) return `${metric.expression} over ${named}`;
  return metric.expression ?? named;
}
