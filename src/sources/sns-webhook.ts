import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBodyOrRefuse, sendJson, type Handler } from '../http/server.js';
import type { Logger } from '../log.js';
import type { Store } from '../sessions/store.js';
import { parseAlarmMessage } from './alarm-message.js';
import type { Alerts } from './alerts.js';
import { isSnsUrl, snsEnvelopeSchema, type Fetch, type SnsEnvelope, type SnsVerifier } from './sns-verify.js';

export interface SnsWebhookDeps {
  verifier: SnsVerifier;
  alerts: Alerts;
  store: Store;
  log: Logger;
  fetch?: Fetch;
}

// SNS messages are at most 256 KB; the envelope adds a little
const BODY_LIMIT = 300 * 1024;

/**
 * POST /webhooks/sns: an SNS HTTP(S) subscription. Every message is authenticated by its
 * signature before anything in it is used. Answers: 200 done (or deliberately ignored),
 * 400 malformed, 401 not authentic, 403 topic not allowed, 413 too large, 503 try again
 * (SNS retries 5xx only, so transient failures are 503 and everything final is 4xx).
 */
export function snsWebhook(deps: SnsWebhookDeps): Handler {
  return async (req, res) => {
    try {
      await handle(deps, req, res);
    } catch (error) {
      deps.log.error({ err: error }, 'SNS message could not be processed; SNS will retry');
      sendJson(res, 503, { error: 'temporarily unavailable' });
    }
  };
}

async function handle(deps: SnsWebhookDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const raw = await readBodyOrRefuse(req, res, BODY_LIMIT);
  if (!raw) return;
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return sendJson(res, 400, { error: 'body is not JSON' });
  }
  const parsed = snsEnvelopeSchema.safeParse(body);
  if (!parsed.success) return sendJson(res, 400, { error: 'not an SNS message' });
  const envelope = parsed.data;
  const declared = req.headers['x-amz-sns-message-type'];
  if (declared !== undefined && declared !== envelope.Type) return sendJson(res, 400, { error: 'x-amz-sns-message-type does not match the body' });

  const log = deps.log.child({ sns: { type: envelope.Type, messageId: envelope.MessageId, topic: envelope.TopicArn } });
  const verification = await deps.verifier.verify(envelope);
  if (!verification.ok) {
    log.warn({ reason: verification.reason }, 'SNS message refused');
    return sendJson(res, verification.status, { error: verification.reason });
  }
  switch (envelope.Type) {
    case 'SubscriptionConfirmation':
      return confirm(deps, envelope, log, res);
    case 'UnsubscribeConfirmation':
      log.warn('the SNS subscription was removed; alarms from this topic stop arriving');
      return sendJson(res, 200, { status: 'noted' });
    case 'Notification':
      return notification(deps, envelope, log, res);
  }
}

async function confirm(deps: SnsWebhookDeps, envelope: SnsEnvelope & { Type: 'SubscriptionConfirmation' }, log: Logger, res: ServerResponse): Promise<void> {
  if (!isSnsUrl(envelope.SubscribeURL, envelope.TopicArn)) {
    log.warn('SubscribeURL is not on the SNS endpoint of the topic region; not confirming');
    return sendJson(res, 403, { error: 'SubscribeURL is not an SNS endpoint' });
  }
  const response = await (deps.fetch ?? fetch)(envelope.SubscribeURL, { redirect: 'error', signal: AbortSignal.timeout(10_000) });
  if (!response.ok) {
    log.warn({ status: response.status }, 'SNS refused the subscription confirmation');
    return sendJson(res, 502, { error: 'confirmation refused by SNS' });
  }
  await deps.store.audit.append({
    actor: 'aiops:sns',
    actorName: 'aiops',
    event: 'sns.subscribed',
    correlationId: `sns-${envelope.MessageId}`.slice(0, 60),
    detail: `confirmed the subscription to ${envelope.TopicArn}`,
  });
  log.info('SNS subscription confirmed');
  return sendJson(res, 200, { status: 'confirmed' });
}

async function notification(deps: SnsWebhookDeps, envelope: SnsEnvelope & { Type: 'Notification' }, log: Logger, res: ServerResponse): Promise<void> {
  const message = parseAlarmMessage(envelope.Message);
  if (message.kind === 'other') {
    log.info({ note: message.note }, 'SNS notification is not an alarm state change; ignored');
    return sendJson(res, 200, { status: 'ignored' });
  }
  if (message.kind === 'malformed') {
    log.warn({ problem: message.problem }, 'SNS notification carries a malformed alarm');
    return sendJson(res, 400, { error: `malformed alarm: ${message.problem}` });
  }
  // SNS delivers at least once: a redelivery of a message already handled is acknowledged and dropped
  const key = `sns:${envelope.MessageId}`;
  if (!(await deps.store.keys.claim(key, 7 * 86_400, 'sns'))) return sendJson(res, 200, { status: 'duplicate' });
  try {
    const outcome = await deps.alerts.handle(message.change);
    log.info({ alarm: message.change.alarm, state: message.change.state, outcome }, 'alarm state change handled');
    return sendJson(res, 200, { status: outcome });
  } catch (error) {
    await deps.store.keys.release(key, 'sns');
    throw error;
  }
}
