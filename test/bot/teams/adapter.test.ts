import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PlatformNotifier } from '../../../src/bot/notifier.js';
import { ManualClock } from '../../../src/sessions/clock.js';
import { useEmbeddedStore } from '../../support/embedded-store.js';
import type { ConnectorCall } from '../../support/fake-connector.js';
import { FakeOpenId, TEST_ISSUER } from '../../support/fake-openid.js';
import { TeamsHarness, type ActivityJson } from '../../support/teams.js';
import { settle, waitFor } from '../../support/wait.js';
import { generateKeyPairSync } from 'node:crypto';

const store = useEmbeddedStore();
let harness: TeamsHarness;

const ALICE = { id: '29:alice-mri', name: 'Alice Ops', aadObjectId: 'a1' };
const BOB = { id: '29:bob-mri', name: 'Bob Ops', aadObjectId: 'b1' };
const VIEWER = { id: '29:viewer-mri', name: 'Vic Viewer', aadObjectId: 'v1' };
const CHANNEL = '19:malejcou081i20ojmlcau0@thread.skype';
const THREAD = '1498171086622';

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => nock.enableNetConnect());

beforeEach(async () => {
  harness = await TeamsHarness.start({ endpoint: store.endpoint(), prefix: store.prefix(), clock: new ManualClock(new Date('2026-03-02T14:02:00Z')) });
  await harness.bot.grant(`teams:${ALICE.id}`, 'devops');
  await harness.bot.grant(`teams:${BOB.id}`, 'devops');
});
afterEach(async () => harness.close());

type Card = { body: Array<Record<string, unknown>>; actions?: Array<Record<string, unknown>>; refresh?: { userIds: string[] } };

const cardOf = (call: ConnectorCall): Card => {
  const attachments = call.activity.attachments as Array<{ contentType: string; content: Card }>;
  expect(attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
  return attachments[0]!.content;
};
const textOf = (card: Card): string => JSON.stringify(card.body);

/** A message in a channel thread mentioning the bot, as Teams delivers it. */
function channelMessage(from: typeof ALICE, words: string): ActivityJson {
  const base = harness.activity('message_back_inbound_channel.json');
  const recipient = base.recipient as { id: string; name: string };
  const { value: _value, replyToId: _replyToId, ...message } = base;
  return {
    ...message,
    from,
    text: `<at>${recipient.name}</at> ${words}`,
    entities: [{ type: 'mention', text: `<at>${recipient.name}</at>`, mentioned: recipient }],
  };
}

/** The Action.Execute invoke Teams sends when someone clicks a button of the card (request format of the Universal Actions docs). */
function execute(from: typeof ALICE, cardId: string, verb: string, id: string, trigger = 'manual'): ActivityJson {
  const base = harness.activity('invoke_card_action_inbound.json');
  return {
    ...base,
    name: 'adaptiveCard/action',
    from,
    conversation: { id: `${CHANNEL};messageid=${THREAD}`, conversationType: 'channel' },
    replyToId: cardId,
    value: { action: { type: 'Action.Execute', id: 'approve', verb, data: { id } }, trigger },
  };
}

describe('Teams messages', () => {
  it('answers a personal message with an Adaptive Card, after acking, and remembers the conversation', async () => {
    const activity = harness.activity('message_personal.json', { text: 'status payments' });
    const response = await harness.send(activity);
    expect(response.status).toBe(200);
    const [sent] = await harness.connector.waitFor('send');
    expect(sent!.conversationId).toBe((activity.conversation as { id: string }).id);
    const card = cardOf(sent!);
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(textOf(card)).toContain('Status of payments');
    const saved = await harness.bot.app.store.conversations.get(`teams:${(activity.conversation as { id: string }).id}`);
    expect(saved?.reference).toMatchObject({ serviceUrl: harness.connector.serviceUrl, conversation: { conversationType: 'personal' } });
    expect(saved?.reference.activityId).toBeUndefined();
  });

  it('strips its own <at> mention and replies in the channel thread', async () => {
    await harness.send(channelMessage(ALICE, 'status orders'));
    const [sent] = await harness.connector.waitFor('send');
    expect(sent!.conversationId).toBe(`${CHANNEL};messageid=${THREAD}`);
    expect(textOf(cardOf(sent!))).toContain('Status of orders');
  });

  it('replies once to the same activity delivered twice', async () => {
    const activity = harness.activity('message_personal.json', { text: 'status payments' });
    await Promise.all([harness.send(activity), harness.send(activity)]);
    await harness.connector.waitFor('send');
    await settle();
    expect(harness.connector.of('send')).toHaveLength(1);
  });

  it('answers 400 to a body that is not an activity', async () => {
    expect((await harness.send('{"type": ')).status).toBe(400);
    expect((await harness.send({ text: 'no type' })).status).toBe(400);
    expect(harness.connector.calls).toHaveLength(0);
  });
});

describe('Teams approvals', () => {
  async function requestDeploy(): Promise<{ card: Card; cardId: string; approvalId: string }> {
    await harness.send(channelMessage(ALICE, 'deploy payments v1.2 to prod'));
    const [sent] = await harness.connector.waitFor('send');
    const card = cardOf(sent!);
    const cardId = sent!.id!;
    const approvalId = JSON.stringify(card).match(/"data":\{"id":"([^"]+)"\}/)![1]!;
    return { card, cardId, approvalId };
  }

  it('shows the buttons only to the people who may decide, through refresh', async () => {
    const { card, cardId, approvalId } = await requestDeploy();
    expect(card.actions).toBeUndefined();
    expect(card.refresh?.userIds.sort()).toEqual([ALICE.id, BOB.id].sort());
    expect(textOf(card)).toContain('Deploy payments v1.2 to prod');

    const forBob = await harness.send(execute(BOB, cardId, 'aiops.refresh', approvalId, 'automatic'));
    const bobCard = (forBob.body as { value: Card }).value;
    expect(bobCard.actions?.map((action) => action.title)).toEqual(['Approve', 'Cancel']);
    const forAlice = await harness.send(execute(ALICE, cardId, 'aiops.refresh', approvalId, 'automatic'));
    expect((forAlice.body as { value: Card }).value.actions?.map((action) => action.title)).toEqual(['Cancel']);
    const forViewer = await harness.send(execute(VIEWER, cardId, 'aiops.refresh', approvalId, 'automatic'));
    expect((forViewer.body as { value: Card }).value.actions ?? []).toEqual([]);
  });

  it('replaces the card in place when a second person approves (Action.Execute)', async () => {
    const { cardId, approvalId } = await requestDeploy();

    const own = await harness.send(execute(ALICE, cardId, 'aiops.approve', approvalId));
    expect(own.status).toBe(200);
    expect(own.body).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: expect.stringContaining('Four-eyes') });
    expect(harness.connector.of('send')).toHaveLength(1);

    const approved = await harness.send(execute(BOB, cardId, 'aiops.approve', approvalId));
    expect(approved.status).toBe(200);
    const body = approved.body as { statusCode: number; type: string; value: Card };
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(body.value.actions).toBeUndefined();
    expect(body.value.refresh).toBeUndefined();
    expect(textOf(body.value)).toContain('Approved by Bob Ops at 14:02 UTC');

    const [update] = await harness.connector.waitFor('update');
    expect(update!.activityId).toBe(cardId);
    expect(update!.conversationId).toBe(`${CHANNEL};messageid=${THREAD}`);
    expect(textOf(cardOf(update!))).toContain('Approved by Bob Ops');
    const sends = await harness.connector.waitFor('send', 2);
    expect(textOf(cardOf(sends[1]!))).toContain('Dry-run');
  });
});

describe('Teams proactive messages', () => {
  it('posts into a channel it was added to (conversationUpdate), through the platform router', async () => {
    const added = harness.activity('conversation_update_bot_added_to_team.json');
    expect((await harness.send(added)).status).toBe(200);
    const router = new PlatformNotifier({}, harness.bot.app.log);
    router.register('teams', harness.adapter.notifier);
    const channel = (added.conversation as { id: string }).id;
    const ref = await router.notify({ platform: 'teams', channel }, { text: 'CloudWatch alarm *payments-5xx* is firing', tone: 'error' });
    expect(ref).toMatchObject({ platform: 'teams', channel });
    const [sent] = await harness.connector.waitFor('send');
    expect(sent!.conversationId).toBe(channel);
    expect(sent!.activity.summary).toBe('CloudWatch alarm payments-5xx is firing');
    await router.update(ref!, { text: 'Resolved' });
    const [update] = await harness.connector.waitFor('update');
    expect(update!.activityId).toBe(ref!.id);
  });

  it('delivers after a 429 from the Bot Connector, once Retry-After has passed', async () => {
    const added = harness.activity('conversation_update_bot_added_personal.json');
    await harness.send(added);
    harness.connector.answerNext({ status: 429, headers: { 'retry-after': '1' }, body: { error: { code: 'TooManyRequests' } } });
    const ref = await harness.adapter.notifier.notify({ platform: 'teams', channel: (added.conversation as { id: string }).id }, { text: 'after the limit' });
    expect(ref?.id).toBeTruthy();
    const sends = harness.connector.of('send');
    expect(sends).toHaveLength(2);
    expect(sends[1]!.activity.summary).toBe('after the limit');
  });

  it('refuses to post where it was never added', async () => {
    await expect(harness.adapter.notifier.notify({ platform: 'teams', channel: '19:unknown@thread.tacv2' }, { text: 'hello' })).rejects.toThrow(/no stored Teams conversation/);
  });
});

describe('Teams with MicrosoftAppId set', () => {
  const APP_ID = '00000000-0000-0000-0000-00000000a11d';
  let secured: TeamsHarness;
  let openid: FakeOpenId;
  beforeEach(async () => {
    openid = await FakeOpenId.start();
    secured = await TeamsHarness.start({
      endpoint: store.endpoint(),
      prefix: store.prefix(),
      env: { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-password', MicrosoftAppTenantId: 'tenant' },
      // the channel's OpenID metadata and token issuer, pointed at keys this test controls
      authSettings: {
        ToBotFromChannelOpenIdMetadataUrl: openid.metadataUrl,
        ToBotFromChannelTokenIssuer: TEST_ISSUER,
        ToBotFromEmulatorOpenIdMetadataUrl: openid.metadataUrl,
        ToChannelFromBotLoginUrl: 'https://login.botframework.test/tenant',
        ToChannelFromBotOAuthScope: TEST_ISSUER,
      },
    });
  });
  afterEach(async () => {
    await secured.close();
    await openid.close();
  });

  const conversationOf = (activity: ActivityJson) => secured.bot.app.store.conversations.get(`teams:${(activity.conversation as { id: string }).id}`);

  it('refuses an activity without a valid token with 401, before anything else happens', async () => {
    const activity = secured.activity('message_personal.json', { text: 'deploy payments v1.2 to prod' });
    const serviceurl = activity.serviceUrl;
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const refused: Array<Record<string, string>> = [
      {},
      { authorization: 'Basic dXNlcjpwYXNz' },
      { authorization: `Bearer ${openid.token({ aud: APP_ID, serviceurl }, { key: otherKey })}` },
      { authorization: `Bearer ${openid.token({ aud: 'another-bot', serviceurl })}` },
      { authorization: `Bearer ${openid.token({ aud: APP_ID, serviceurl: 'https://elsewhere.example/' })}` },
      { authorization: `Bearer ${openid.token({ aud: APP_ID, serviceurl, exp: Math.floor(Date.now() / 1000) - 3600 })}` },
    ];
    for (const headers of refused) expect((await secured.send(activity, headers)).status).toBe(401);
    await settle();
    expect(secured.connector.calls).toHaveLength(0);
    expect(await conversationOf(activity)).toBeUndefined();
    expect(secured.bot.logs.text()).toContain('not authenticated');
  });

  it('lets in an activity signed by the channel for this bot', async () => {
    const activity = secured.activity('conversation_update_bot_added_to_team.json');
    const token = openid.token({ aud: APP_ID, serviceurl: activity.serviceUrl });
    expect((await secured.send(activity, { authorization: `Bearer ${token}` })).status).toBe(200);
    expect(await waitFor(() => conversationOf(activity), 'the conversation reference')).toMatchObject({ platform: 'teams' });
  });
});
