import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's replay window: a request signed more than five minutes away from our clock is refused. */
export const MAX_SKEW_SECONDS = 5 * 60;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export interface SignedRequest {
  body: Buffer | string;
  timestamp: string | undefined;
  signature: string | undefined;
}

/**
 * Verifies `X-Slack-Signature` (v0 = HMAC-SHA256 of `v0:{timestamp}:{body}`) and that the
 * timestamp is within five minutes of now, in either direction.
 */
export function verifySlackSignature(request: SignedRequest, signingSecret: string, nowMs: number): SignatureCheck {
  const { timestamp, signature } = request;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'missing or malformed X-Slack-Request-Timestamp' };
  if (Math.abs(Math.floor(nowMs / 1000) - Number(timestamp)) > MAX_SKEW_SECONDS) return { ok: false, reason: 'timestamp more than 5 minutes off' };
  if (!signature || !/^v0=[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: 'missing or malformed X-Slack-Signature' };
  const expected = createHmac('sha256', signingSecret).update(`v0:${timestamp}:`).update(request.body).digest();
  const given = Buffer.from(signature.slice(3), 'hex');
  return timingSafeEqual(expected, given) ? { ok: true } : { ok: false, reason: 'signature mismatch' };
}

/** The headers Slack would send for this body (tests and the benchmark sign their requests with it). */
export function signSlackRequest(body: string, signingSecret: string, timestampSeconds: number): Record<string, string> {
  const signature = createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${body}`).digest('hex');
  return { 'x-slack-request-timestamp': String(timestampSeconds), 'x-slack-signature': `v0=${signature}` };
}
