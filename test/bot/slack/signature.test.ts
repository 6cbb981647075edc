import { describe, expect, it } from 'vitest';
import { signSlackRequest, verifySlackSignature } from '../../../src/bot/slack/signature.js';
import { slackFixture, slackFixtureText } from '../../support/slack.js';

const example = slackFixture<{ signing_secret: string; headers: Record<string, string> }>('request_signing_example.json');
const body = slackFixtureText('request_signing_example_body.txt');
const signedAt = Number(example.headers['X-Slack-Request-Timestamp']) * 1000;
const request = { body, timestamp: example.headers['X-Slack-Request-Timestamp'], signature: example.headers['X-Slack-Signature'] };

describe("Slack's published signing example", () => {
  it('verifies with the clock at the time it was signed', () => {
    expect(verifySlackSignature(request, example.signing_secret, signedAt + 30_000)).toEqual({ ok: true });
    expect(signSlackRequest(body, example.signing_secret, signedAt / 1000)['x-slack-signature']).toBe(example.headers['X-Slack-Signature']);
  });

  it('is refused more than five minutes later or earlier', () => {
    expect(verifySlackSignature(request, example.signing_secret, signedAt + 5 * 60_000 + 1000)).toEqual({ ok: false, reason: 'timestamp more than 5 minutes off' });
    expect(verifySlackSignature(request, example.signing_secret, signedAt - 5 * 60_000 - 1000)).toEqual({ ok: false, reason: 'timestamp more than 5 minutes off' });
  });

  it('is refused with another secret, a changed body or a malformed header', () => {
    expect(verifySlackSignature(request, 'another-secret', signedAt).ok).toBe(false);
    expect(verifySlackSignature({ ...request, body: `${body}&text=rm` }, example.signing_secret, signedAt).ok).toBe(false);
    expect(verifySlackSignature({ ...request, signature: 'v1=abc' }, example.signing_secret, signedAt).ok).toBe(false);
    expect(verifySlackSignature({ ...request, timestamp: 'soon' }, example.signing_secret, signedAt).ok).toBe(false);
    expect(verifySlackSignature({ ...request, signature: undefined }, example.signing_secret, signedAt).ok).toBe(false);
  });
});
