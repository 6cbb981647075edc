import { z } from 'zod';

/**
 * The shapes Slack sends to the request URL, checked before Bolt sees a body: an Events API
 * envelope (JSON), a click on one of our buttons (form with payload=JSON), a slash command (form).
 * Anything else is answered 400 at once rather than left for Bolt to time out on, and ids are
 * bounded so a forged one can never outgrow a DynamoDB key.
 */

export const slackId = z.string().min(1).max(255);

const eventCallback = z.looseObject({ type: z.literal('event_callback'), event_id: slackId, event: z.looseObject({ type: z.string().min(1).max(100) }) });
const urlVerification = z.looseObject({ type: z.literal('url_verification'), challenge: z.string().min(1).max(1000) });
const rateLimited = z.looseObject({ type: z.literal('app_rate_limited') });
const eventsBody = z.union([eventCallback, urlVerification, rateLimited]);

/** aiops posts buttons only; their clicks are the one interaction it takes. */
const interaction = z.looseObject({
  type: z.literal('block_actions'),
  user: z.looseObject({ id: slackId }),
  actions: z.array(z.looseObject({ action_id: z.string().min(1).max(255) })).min(1).max(25),
});

const slashCommand = z.looseObject({ command: z.string().regex(/^\/\S{1,99}$/), trigger_id: slackId, user_id: slackId, channel_id: slackId, text: z.string().max(40_000).optional() });

/** True when the body is one of the shapes Slack sends aiops. */
export function isWellFormed(body: Buffer, contentType: string | undefined): boolean {
  const text = body.toString('utf8');
  try {
    if ((contentType ?? '').includes('application/x-www-form-urlencoded')) {
      const form = new URLSearchParams(text);
      const payloads = form.getAll('payload');
      if (payloads.length > 1) return false;
      if (payloads.length === 1) return interaction.safeParse(JSON.parse(payloads[0]!)).success;
      return slashCommand.safeParse(Object.fromEntries(form)).success;
    }
    return eventsBody.safeParse(JSON.parse(text)).success;
  } catch {
    return false;
  }
}
