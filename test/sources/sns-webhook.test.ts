import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AlertHarness, textOf } from '../support/alerts.js';
import { noHistory, noMetricData } from '../support/cloudwatch.js';
import { useEmbeddedStore } from '../support/embedded-store.js';
import { alarmMessage, awsFixture, eventBridgeEvent, SNS_HOST, SnsSigner, TOPIC } from '../support/sns.js';

const store = useEmbeddedStore();
const NOW = new Date('2026-03-02T14:00:00Z');
const FIRED = '2026-03-02T13:58:00.000Z';
const signer = new SnsSigner(NOW);
let harness: AlertHarness;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => nock.enableNetConnect());
beforeEach(async () => {
  harness = await AlertHarness.start({ endpoint: store.endpoint(), prefix: store.prefix(), now: NOW });
  noHistory();
  noMetricData();
});
afterEach(async () => harness.close());

const cpuAlarm = (state = 'ALARM', at = FIRED): string =>
  alarmMessage('payments-cpu-high', { state, at, trigger: { MetricName: 'CPUUtilization', Namespace: 'AWS/ECS', Threshold: 80 }, reason: 'Threshold Crossed: 1 out of the last 1 datapoints [93.5 (02/03/26 13:57:00)] was greater than the threshold (80.0).' });

describe('SNS notifications', () => {
  it('accepts a notification signed with SignatureVersion 1 (SHA1) and opens the incident', async () => {
    const certificate = signer.serveCertificate();
    const response = await harness.postSns(signer.notification(cpuAlarm()));
    expect(response).toEqual({ status: 200, body: { status: 'opened' } });
    expect(certificate.isDone()).toBe(true);
    expect(harness.notifier.alerts).toHaveLength(1);
    expect(harness.notifier.alerts[0]!.target).toEqual({ platform: 'slack', channel: 'C0PAYMENTS' });
    expect((await harness.store.incidents.openForAlarm('payments-cpu-high'))?.source).toBe('sns');
  });

  it('accepts SignatureVersion 2 (SHA256), and fetches the certificate once for many messages', async () => {
    const certificate = signer.serveCertificate(1);
    expect((await harness.postSns(signer.notification(cpuAlarm(), { version: '2' }))).status).toBe(200);
    expect((await harness.postSns(signer.notification(cpuAlarm('OK', '2026-03-02T14:05:00.000Z'), { version: '2' }))).body).toEqual({ status: 'resolved' });
    expect(certificate.isDone()).toBe(true);
  });

  it('refuses a tampered message with 401 and does nothing', async () => {
    signer.serveCertificate();
    const signed = signer.notification(cpuAlarm());
    const tampered = { ...signed, Message: signed.Message!.replace('payments-cpu-high', 'orders-cpu-high') };
    const response = await harness.postSns(tampered);
    expect(response).toEqual({ status: 401, body: { error: 'signature does not match' } });
    expect(harness.notifier.messages).toEqual([]);
    expect(await harness.store.incidents.allOpen()).toEqual([]);
  });

  it.each([
    ['another host', 'https://sns.us-west-2.amazonaws.com.evil.example/cert.pem'],
    ['another region', 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-x.pem'],
    ['plain http', 'http://sns.us-west-2.amazonaws.com/SimpleNotificationService-x.pem'],
    ['not a certificate path', 'https://sns.us-west-2.amazonaws.com/?Action=Unsubscribe'],
  ])('refuses a SigningCertURL on %s without fetching it', async (_case, url) => {
    const response = await harness.postSns(signer.notification(cpuAlarm(), { overrides: { SigningCertURL: url } }));
    expect(response.status).toBe(401);
    expect(response.body.error).toContain('SigningCertURL');
    expect(harness.notifier.messages).toEqual([]);
  });

  it('refuses a topic that is not in AIOPS_SNS_TOPICS with 403, before fetching anything', async () => {
    const other = 'arn:aws:sns:us-west-2:123456789012:SomeoneElses';
    const response = await harness.postSns(signer.notification(cpuAlarm(), { overrides: { TopicArn: other } }));
    expect(response).toEqual({ status: 403, body: { error: 'topic not allowed (AIOPS_SNS_TOPICS)' } });
    expect(harness.notifier.messages).toEqual([]);
  });

  it('refuses a certificate outside its validity period', async () => {
    const stale = new SnsSigner(new Date('2020-01-01T00:00:00Z'));
    stale.serveCertificate();
    const response = await harness.postSns(stale.notification(cpuAlarm()));
    expect(response).toEqual({ status: 401, body: { error: 'certificate outside its validity period' } });
  });

  it('answers 503 when the certificate cannot be fetched, so SNS retries', async () => {
    nock(SNS_HOST).get(/\.pem$/).reply(503, 'busy');
    const response = await harness.postSns(signer.notification(cpuAlarm()));
    expect(response.status).toBe(503);
  });

  it('answers 400 to bodies that are not SNS messages, and 413 to oversized ones', async () => {
    expect((await harness.postSns('{not json')).status).toBe(400);
    expect((await harness.postSns(JSON.stringify({ Type: 'Notification' }))).body).toEqual({ error: 'not an SNS message' });
    const mismatched = await harness.postSns(signer.notification(cpuAlarm()), { 'x-amz-sns-message-type': 'SubscriptionConfirmation' });
    expect(mismatched.status).toBe(400);
    expect((await harness.postSns('x'.repeat(400 * 1024))).status).toBe(413);
  });

  it('answers 400 to a signed message whose alarm is malformed, and ignores non-alarm messages', async () => {
    signer.serveCertificate();
    const broken = JSON.stringify({ ...JSON.parse(cpuAlarm()), NewStateValue: 'ON_FIRE' });
    const malformed = await harness.postSns(signer.notification(broken));
    expect(malformed.status).toBe(400);
    expect(String(malformed.body.error)).toContain('NewStateValue');
    const hello = await harness.postSns(signer.notification(awsFixture<{ Message: string }>('sns_http_notification.json').Message));
    expect(hello).toEqual({ status: 200, body: { status: 'ignored' } });
    expect(harness.notifier.messages).toEqual([]);
  });

  it('acknowledges a redelivered message without handling it twice', async () => {
    signer.serveCertificate();
    const envelope = signer.notification(cpuAlarm());
    expect((await harness.postSns(envelope)).body).toEqual({ status: 'opened' });
    expect((await harness.postSns(envelope)).body).toEqual({ status: 'duplicate' });
    expect(harness.notifier.alerts).toHaveLength(1);
  });

  it('accepts EventBridge alarm state changes routed through the topic', async () => {
    signer.serveCertificate();
    const event = eventBridgeEvent('payments-cpu-anomaly', { fixture: 'eventbridge_alarm_state_change_anomaly_detection.json', at: FIRED });
    expect((await harness.postSns(signer.notification(event))).body).toEqual({ status: 'opened' });
    const incident = await harness.store.incidents.openForAlarm('payments-cpu-anomaly');
    expect(incident).toMatchObject({ source: 'eventbridge', service: 'payments', value: 0, metric: { name: 'CPUUtilization', expression: 'ANOMALY_DETECTION_BAND(m1, 0.8)' } });
    expect(textOf(harness.notifier.alerts[0]!.reply)).toContain('Value: 0, outside the expected band 0.0206 to 0.301');
  });
});

describe('SNS subscription confirmation', () => {
  it('confirms an allowed topic by visiting the SubscribeURL, and audits it', async () => {
    signer.serveCertificate();
    const confirmation = signer.subscriptionConfirmation();
    const visit = nock(SNS_HOST).get('/').query({ Action: 'ConfirmSubscription', TopicArn: TOPIC, Token: '2336412f37...' }).reply(200, '<ConfirmSubscriptionResponse/>');
    expect(await harness.postSns(confirmation)).toEqual({ status: 200, body: { status: 'confirmed' } });
    expect(visit.isDone()).toBe(true);
    const audit = await harness.store.audit.recent(5);
    expect(audit[0]).toMatchObject({ event: 'sns.subscribed', detail: `confirmed the subscription to ${TOPIC}` });
  });

  it('does not visit a SubscribeURL that is not on the topic region SNS endpoint', async () => {
    signer.serveCertificate();
    const evil = signer.subscriptionConfirmation({ SubscribeURL: 'https://attacker.example.com/?Action=ConfirmSubscription' });
    const response = await harness.postSns(evil);
    expect(response).toEqual({ status: 403, body: { error: 'SubscribeURL is not an SNS endpoint' } });
  });

  it('does not confirm a topic that is not allowed', async () => {
    const other = 'arn:aws:sns:us-west-2:123456789012:SomeoneElses';
    const response = await harness.postSns(
      signer.subscriptionConfirmation({ TopicArn: other, SubscribeURL: `https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${other}&Token=x` }),
    );
    expect(response.status).toBe(403);
  });

  it('refuses an unsigned confirmation', async () => {
    signer.serveCertificate();
    const published = awsFixture<Record<string, string>>('sns_http_subscription_confirmation.json');
    expect((await harness.postSns(published)).status).toBe(401);
  });

  it('notes an unsubscribe confirmation', async () => {
    signer.serveCertificate();
    const unsubscribe = signer.sign(awsFixture<Record<string, string>>('sns_http_unsubscribe_confirmation.json'));
    expect(await harness.postSns(unsubscribe)).toEqual({ status: 200, body: { status: 'noted' } });
  });
});
