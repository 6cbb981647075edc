import type { HTTPReceiver } from '@slack/bolt';
import { headerOf, readBodyOrRefuse, refuse, type Handler } from '../../http/server.js';
import type { Logger } from '../../log.js';
import { isWellFormed } from './envelope.js';
import { verifySlackSignature } from './signature.js';

export const SLACK_EVENTS_PATH = '/slack/events';
/** Slack's payloads are small; a megabyte is generous and keeps floods out of memory. */
const BODY_LIMIT = 1_000_000;

/**
 * POST /slack/events on our own server. The signature and the five-minute window are checked
 * here first (both directions; Bolt only refuses old timestamps), then the body's shape, and only
 * then is the request handed to Bolt's receiver, which acks and dispatches (its own signature check
 * is off: it is only ever reached through here).
 */
export function slackEventsHandler(options: {
  receiver: HTTPReceiver;
  signingSecret: string;
  log: Logger;
  now?: () => number;
  /** told when a signed request arrives; the function it returns is called once it is answered (acked) */
  ackStarted?: () => () => void;
}): Handler {
  const now = options.now ?? Date.now;
  return async (req, res) => {
    const body = await readBodyOrRefuse(req, res, BODY_LIMIT);
    if (!body) {
      options.log.warn({ status: res.statusCode }, 'Slack request body refused');
      return;
    }
    const check = verifySlackSignature(
      { body, timestamp: headerOf(req, 'x-slack-request-timestamp'), signature: headerOf(req, 'x-slack-signature') },
      options.signingSecret,
      now(),
    );
    if (!check.ok) {
      options.log.warn({ reason: check.reason }, 'Slack request refused: not signed by Slack');
      return refuse(res, 401);
    }
    // counted from here: forged or trickled requests must not hold turns back
    const answered = options.ackStarted?.();
    if (answered) res.once('close', answered);
    if (!isWellFormed(body, headerOf(req, 'content-type'))) {
      options.log.warn('Slack request refused: malformed body');
      return refuse(res, 400);
    }
    // Bolt reads the body from rawBody when it is already buffered
    Object.assign(req, { rawBody: body });
    options.receiver.requestListener(req, res);
  };
}
