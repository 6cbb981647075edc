import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/sessions/clock.js';
import { threadKey } from '../../../src/sessions/threads.js';
import { useEmbeddedStore } from '../../support/embedded-store.js';
import type { SlackCall } from '../../support/fake-slack.js';
import { SlackHarness, slackFixture, slackFixtureText } from '../../support/slack.js';
import { settle, waitFor } from '../../support/wait.js';

const store = useEmbeddedStore();
let harness: SlackHarness;
let sequence = 0;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => nock.enableNetConnect());

beforeEach(async () => {
  harness = await SlackHarness.start({ endpoint: store.endpoint(), prefix: store.prefix(), clock: new ManualClock(new Date('2026-03-02T14:02:00Z')) });
  await harness.bot.grant('slack:UALICE', 'devops');
  await harness.bot.grant('slack:UBOB', 'devops');
  harness.slack.displayNames.set('UALICE', 'alice');
  harness.slack.displayNames.set('UBOB', 'bob');
});
afterEach(async () => harness.close());

type Envelope = { event_id: string; event: Record<string, unknown> } & Record<string, unknown>;

/** The published app_mention envelope, with our text, a fresh event id and a fresh ts. */
function mention(text: string, overrides: Record<string, unknown> = {}): Envelope {
  const body = slackFixture<Envelope>('events_app_mention.json');
  sequence += 1;
  const ts = `1515449522.${String(sequence).padStart(6, '0')}`;
  return { ...body, event_id: `Ev${sequence}MENTION`, event: { ...body.event, text: `<@UBOT> ${text}`, user: 'UALICE', ts, event_ts: ts, ...overrides } };
}

const sectionText = (call: SlackCall): string =>
  (call.args.blocks as Array<{ type: string; text?: { text: string } }>)
    .filter((block) => block.type === 'section' && block.text)
    .map((block) => block.text!.text)
    .join('\n');

const hasButtons = (call: SlackCall): boolean => (call.args.blocks as Array<{ type: string }>).some((block) => block.type === 'actions');

describe('Slack Events API over HTTP', () => {
  it('answers url_verification with the challenge', async () => {
    const body = slackFixture('events_url_verification.json');
    const response = await harness.event(body);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ challenge: body.challenge });
  });

  it('answers a mention in a thread under the message, with the mention stripped', async () => {
    const event = mention('status payments');
    const response = await harness.event(event);
    expect(response.status).toBe(200);
    const [post] = await harness.slack.waitForCalls('chat.postMessage');
    expect(post!.args.channel).toBe('C123ABC456');
    expect(post!.args.thread_ts).toBe(event.event.ts);
    expect(post!.token).toBe('xoxb-test-0000-token');
    expect(post!.args.text).toContain('Status of payments');
    expect(sectionText(post!)).toContain('Last deployments');
    const audit = harness.bot.logs.text();
    expect(audit).toContain('"intent":"status"');
  });

  it('answers a DM at the top of the conversation', async () => {
    const body = slackFixture<Envelope>('events_message_im.json');
    await harness.event({ ...body, event: { ...body.event, text: 'help' } });
    const [post] = await harness.slack.waitForCalls('chat.postMessage');
    expect(post!.args.channel).toBe('D024BE91L');
    expect(post!.args.thread_ts).toBeUndefined();
  });

  it('follows a thread it is part of without a new mention, and stays out of other threads', async () => {
    const first = mention('deploy payments v1.2');
    await harness.event(first);
    const [question] = await harness.slack.waitForCalls('chat.postMessage');
    expect(question!.args.text).toMatch(/environment/i);
    // the session is saved just after the question is posted; a person answers seconds later, a test at once
    await waitFor(() => harness.bot.app.store.threads.exists(threadKey('slack', 'C123ABC456', first.event.ts as string)), 'the thread session');

    const channelMessage = slackFixture<Envelope>('events_message_user_channel.json');
    const reply = (thread: string, id: string) => ({
      ...channelMessage,
      event_id: id,
      event: { ...channelMessage.event, channel: 'C123ABC456', user: 'UALICE', text: 'staging', ts: `${thread.split('.')[0]}.999999`, thread_ts: thread },
    });
    await harness.event(reply(first.event.ts as string, 'EvThreadReply1'));
    const posts = await harness.slack.waitForCalls('chat.postMessage', 2);
    expect(posts[1]!.args.thread_ts).toBe(first.event.ts);
    expect(posts[1]!.args.text).toContain('Deploy payments v1.2 to staging');

    await harness.event(reply('1400000000.000100', 'EvOtherThread'));
    await settle();
    expect(harness.slack.of('chat.postMessage')).toHaveLength(2);
  });

  it('ignores other bots, its own messages, edits and deletions', async () => {
    const other = slackFixture<Envelope>('events_message_from_bot_bot_profile.json');
    const classic = slackFixture<Envelope>('events_message_bot_message_subtype.json');
    const edited = slackFixture<Envelope>('events_message_changed.json');
    const own = mention('status', { user: 'UBOT' });
    const deleted = { ...edited, event_id: 'EvDeleted', event: { type: 'message', subtype: 'message_deleted', channel: 'C123ABC456', ts: '1515449600.000001', deleted_ts: '1515449522.000016' } };
    const botMention = mention('status', { bot_id: 'B999' });
    for (const body of [other, classic, edited, own, deleted, botMention]) expect((await harness.event(body)).status).toBe(200);
    await settle();
    expect(harness.slack.of('chat.postMessage')).toHaveLength(0);
    const logs = harness.bot.logs.text();
    for (const reason of ['posted by a bot', 'subtype message_changed', 'subtype message_deleted']) expect(logs).toContain(reason);
  });

  it('replies once to the same event delivered three times at once and again later', async () => {
    const event = mention('status orders');
    const deliveries = await Promise.all([
      harness.event(event),
      harness.event(event, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } }),
      harness.event(event, { headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' } }),
    ]);
    expect(deliveries.map((delivery) => delivery.status)).toEqual([200, 200, 200]);
    await harness.slack.waitForCalls('chat.postMessage');
    await settle();
    expect((await harness.event(event, { headers: { 'x-slack-retry-num': '3' } })).status).toBe(200);
    await settle();
    expect(harness.slack.of('chat.postMessage')).toHaveLength(1);
  });

  it('looks each person up once with users.info', async () => {
    await harness.event(mention('status payments'));
    await harness.event(mention('status orders'));
    await harness.slack.waitForCalls('chat.postMessage', 2);
    expect(harness.slack.of('users.info')).toHaveLength(1);
  });
});

describe('requests not from Slack', () => {
  it('refuses a bad signature with 401, and nothing reaches the engine or Slack', async () => {
    const before = harness.slack.calls.length;
    const response = await harness.event(mention('deploy payments v1.2 to prod'), { secret: 'not-the-secret' });
    expect(response.status).toBe(401);
    await settle();
    expect(harness.slack.calls.length).toBe(before);
    expect(harness.bot.logs.text()).toContain('not signed by Slack');
  });

  it('refuses a stale or future timestamp with 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await harness.event(mention('status'), { timestamp: now - 6 * 60 })).status).toBe(401);
    expect((await harness.event(mention('status'), { timestamp: now + 6 * 60 })).status).toBe(401);
    const published = slackFixture<{ headers: Record<string, string> }>('request_signing_example.json');
    const response = await fetch(`${harness.http.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': published.headers['X-Slack-Request-Timestamp']!, 'x-slack-signature': published.headers['X-Slack-Signature']! },
      body: slackFixtureText('request_signing_example_body.txt'),
    });
    expect(response.status).toBe(401);
    await settle();
    expect(harness.slack.of('chat.postMessage')).toHaveLength(0);
  });

  it('answers 400 to a signed but malformed body', async () => {
    expect((await harness.post('{"type": "event_callback", ', 'application/json')).status).toBe(400);
    expect((await harness.post('payload=%7Bnot-json', 'application/x-www-form-urlencoded')).status).toBe(400);
    expect((await harness.post('hello=world', 'application/x-www-form-urlencoded')).status).toBe(400);
    expect((await harness.post('[1,2,3]', 'application/json')).status).toBe(400);
    const health = await fetch(`${harness.http.url}/slack/events`);
    expect(health.status).toBe(405);
  });
});

describe('/aiops', () => {
  const command = (text: string, user = 'UALICE', trigger = `trig-${++sequence}`): string => {
    const form = new URLSearchParams(slackFixtureText('slash_command_body_bolt_python_test.txt'));
    form.set('command', '/aiops');
    form.set('text', text);
    form.set('user_id', user);
    form.set('channel_id', 'C0OPS');
    form.set('trigger_id', trigger);
    form.set('response_url', harness.slack.responseUrl());
    return form.toString();
  };

  it('acks at once with an ephemeral note, then answers in the channel', async () => {
    const response = await harness.command(command('status checkout'));
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ response_type: 'ephemeral', text: 'On it: /aiops status checkout' });
    const [root] = await harness.slack.waitForCalls('chat.postMessage');
    expect(root!.args.channel).toBe('C0OPS');
    expect(root!.args.thread_ts).toBeUndefined();
    const [answer] = await harness.slack.waitForCalls('chat.update');
    expect(answer!.args.ts).toBe(root!.response!.ts);
    expect(answer!.args.text).toContain('Status of checkout');
    expect(JSON.stringify(answer!.args.blocks)).toContain('alice used /aiops status checkout');
  });

  it('tells the user privately when it cannot post in the channel', async () => {
    harness.slack.answerOnce('chat.postMessage', { body: { ok: false, error: 'not_in_channel' } });
    expect((await harness.command(command('status'))).status).toBe(200);
    const [note] = await harness.slack.waitForCalls('response_url');
    expect(note!.args.text).toContain('/invite @aiops');
    expect(note!.args.response_type).toBe('ephemeral');
  });
});

describe('approval buttons', () => {
  const click = (request: SlackCall, requestTs: string, label: 'Approve' | 'Cancel', user: string): Record<string, unknown> => {
    const body = slackFixture<Record<string, unknown> & { message: Record<string, unknown>; actions: Array<Record<string, unknown>> }>('interactivity_block_actions_button_in_message.json');
    const blocks = request.args.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string; text: { text: string } }> }>;
    const button = blocks.find((block) => block.type === 'actions')!.elements!.find((element) => element.text.text === label)!;
    return {
      ...body,
      user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T0G9PQBBK' },
      channel: { id: request.args.channel, name: 'ops' },
      container: { type: 'message', message_ts: requestTs, channel_id: request.args.channel, is_ephemeral: false, thread_ts: request.args.thread_ts },
      message: { ...body.message, ts: requestTs, thread_ts: request.args.thread_ts, blocks },
      trigger_id: `${++sequence}.trigger`,
      actions: [{ ...body.actions[0], action_id: button.action_id, block_id: 'aiops_decision', value: button.value, text: button.text, action_ts: '1678252216.469172' }],
    };
  };

  it('lets a second person approve; the buttons become the outcome with chat.update', async () => {
    const event = mention('deploy payments v1.2 to prod');
    await harness.event(event);
    const [request] = await harness.slack.waitForCalls('chat.postMessage');
    expect(hasButtons(request!)).toBe(true);
    const ts = String(request!.response!.ts);

    expect((await harness.interaction(click(request!, ts, 'Approve', 'UALICE'))).status).toBe(200);
    const posts = await harness.slack.waitForCalls('chat.postMessage', 2);
    expect(posts[1]!.args.text).toContain('Four-eyes');
    expect(posts[1]!.args.thread_ts).toBe(event.event.ts);
    expect(harness.slack.of('chat.update')).toHaveLength(0);

    expect((await harness.interaction(click(request!, ts, 'Approve', 'UBOB'))).status).toBe(200);
    const [update] = await harness.slack.waitForCalls('chat.update');
    expect(update!.args.channel).toBe('C123ABC456');
    expect(update!.args.ts).toBe(ts);
    expect(hasButtons(update!)).toBe(false);
    expect(JSON.stringify(update!.args.blocks)).toContain('Approved by bob at 14:02 UTC');
    const done = await harness.slack.waitForCalls('chat.postMessage', 3);
    expect(done[2]!.args.text).toContain('Dry-run');
    expect(done[2]!.args.thread_ts).toBe(event.event.ts);
  });
});
