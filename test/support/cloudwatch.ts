import nock from 'nock';
import { CloudWatch } from '../../src/integrations/cloudwatch.js';

/** The SDK's default endpoint for the test region; nock plays CloudWatch there. */
export const CLOUDWATCH = 'https://monitoring.us-east-1.amazonaws.com';

export const cloudWatchForTests = (): CloudWatch =>
  CloudWatch.create({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' }, maxAttempts: 1 });

const TIMESTAMP = /(Timestamp|Date|Time)$/;

/**
 * This SDK version speaks AWS JSON 1.0 to CloudWatch (X-Amz-Target GraniteServiceVersion20100801.*),
 * where timestamps are epoch seconds. Fixtures are written with ISO times; this converts them.
 */
export function toJsonProtocol(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => toJsonProtocol(item, key));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, toJsonProtocol(item, name)]));
  }
  if (typeof value === 'string' && (TIMESTAMP.test(key) || key === 'Timestamps') && !Number.isNaN(Date.parse(value))) return Date.parse(value) / 1000;
  return value;
}

export type Operation = 'DescribeAlarms' | 'DescribeAlarmHistory' | 'GetMetricData';

/** One CloudWatch API answer; `request` sees the decoded JSON body the SDK sent. */
export function cloudWatchReplies(operation: Operation, body: unknown, request?: (sent: Record<string, unknown>) => boolean): nock.Scope {
  return nock(CLOUDWATCH, { reqheaders: { 'x-amz-target': `GraniteServiceVersion20100801.${operation}` } })
    .post('/', (sent: Record<string, unknown>) => (request ? request(sent) : true))
    .reply(200, JSON.stringify(toJsonProtocol(body)), { 'content-type': 'application/x-amz-json-1.0' });
}

export const noHistory = (): nock.Scope => cloudWatchReplies('DescribeAlarmHistory', { AlarmHistoryItems: [] }).persist();
export const noMetricData = (): nock.Scope => cloudWatchReplies('GetMetricData', { MetricDataResults: [] }).persist();
