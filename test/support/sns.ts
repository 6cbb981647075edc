import { randomUUID, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import nock from 'nock';
import { selfSignedCertificate, type TestCertificate } from './x509.js';

/** Published AWS payloads from test/fixtures/aws. */
export function awsFixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/aws/${name}`, import.meta.url), 'utf8')) as T;
}

const notificationFixture = awsFixture<Record<string, string>>('sns_http_notification.json');
const confirmationFixture = awsFixture<Record<string, string>>('sns_http_subscription_confirmation.json');

/** The topic and certificate URL of the published samples (us-west-2). */
export const TOPIC = notificationFixture.TopicArn!;
export const CERT_URL = notificationFixture.SigningCertURL!;
export const SNS_HOST = 'https://sns.us-west-2.amazonaws.com';

export type Envelope = Record<string, string>;

/**
 * Written from the SNS developer guide ("Verifying the signatures of Amazon SNS messages"),
 * independently of src/, so a wrong canonical string in src/ fails the tests.
 */
function canonical(envelope: Envelope): string {
  const fields = envelope.Type === 'Notification'
    ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
    : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  return fields.filter((field) => field in envelope).map((field) => `${field}\n${envelope[field]}\n`).join('');
}

export class SnsSigner {
  readonly certificate: TestCertificate;

  constructor(now: Date) {
    this.certificate = selfSignedCertificate({
      notBefore: new Date(now.getTime() - 30 * 86_400_000),
      notAfter: new Date(now.getTime() + 365 * 86_400_000),
    });
  }

  /** nock serves the certificate at the published SigningCertURL. */
  serveCertificate(times = 1): nock.Scope {
    return nock(SNS_HOST).get(new URL(CERT_URL).pathname).times(times).reply(200, this.certificate.pem, { 'content-type': 'application/x-pem-file' });
  }

  sign(envelope: Envelope, version: '1' | '2' = '1'): Envelope {
    const { Signature: _published, ...rest } = envelope;
    const unsigned: Envelope = { ...rest, SignatureVersion: version };
    const signature = sign(version === '1' ? 'sha1' : 'sha256', Buffer.from(canonical(unsigned), 'utf8'), this.certificate.privateKey);
    return { ...unsigned, Signature: signature.toString('base64') };
  }

  /** The published notification envelope carrying `message`, freshly signed. */
  notification(message: string, options: { version?: '1' | '2'; overrides?: Envelope } = {}): Envelope {
    return this.sign({ ...notificationFixture, MessageId: randomUUID(), Subject: 'ALARM', Message: message, ...options.overrides }, options.version);
  }

  subscriptionConfirmation(overrides: Envelope = {}): Envelope {
    return this.sign({ ...confirmationFixture, ...overrides });
  }
}

/** The published CloudWatch alarm message (the SNS Message), with our alarm name, states and time. */
export function alarmMessage(
  alarm: string,
  options: { state?: string; previous?: string; at: string; fixture?: string; trigger?: Record<string, unknown>; reason?: string },
): string {
  const message = awsFixture<Record<string, unknown>>(options.fixture ?? 'cloudwatch_alarm_message_single_metric.json');
  const trigger = { ...(message.Trigger as Record<string, unknown>), ...options.trigger };
  return JSON.stringify({
    ...message,
    AlarmName: alarm,
    NewStateValue: options.state ?? 'ALARM',
    OldStateValue: options.previous ?? (options.state === 'OK' ? 'ALARM' : 'OK'),
    StateChangeTime: options.at.replace('Z', '+0000'),
    AlarmArn: `arn:aws:cloudwatch:us-west-2:123456789012:alarm:${alarm}`,
    ...(options.reason ? { NewStateReason: options.reason } : {}),
    Trigger: trigger,
  });
}

/** The published EventBridge state change, with our alarm name, state and time. */
export function eventBridgeEvent(alarm: string, options: { fixture?: string; state?: string; at: string }): string {
  const event = awsFixture<{ detail: Record<string, unknown>; resources: string[] }>(options.fixture ?? 'eventbridge_alarm_state_change_single_metric.json');
  const state = { ...(event.detail.state as Record<string, unknown>), value: options.state ?? 'ALARM', timestamp: options.at.replace('Z', '+0000') };
  return JSON.stringify({ ...event, resources: [`arn:aws:cloudwatch:us-east-1:123456789012:alarm:${alarm}`], detail: { ...event.detail, alarmName: alarm, state } });
}
