import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/bot/reply.js';
import type { Recognition, SecondOpinion } from '../../src/intents/recognize.js';
import { parseAlarmMessage } from '../../src/sources/alarm-message.js';
import { AlertHarness } from '../support/alerts.js';
import { TestBot } from '../support/bot.js';
import { noHistory, noMetricData } from '../support/cloudwatch.js';
import { useEmbeddedStore } from '../support/embedded-store.js';
import { alarmMessage } from '../support/sns.js';
import { HOSTILE, renderSafely } from './support/markup.js';

/**
 * Mention and markup injection in every field a person (or an alarm) supplies and aiops echoes:
 * service names, versions, environments and names the recogniser proposes, reasons, user and
 * display names, alert texts. Every reply goes through the real Block Kit and Adaptive Card
 * renderers; the adapters' own echoes (display names, the /aiops ack) are in adapters.test.ts.
 */

const store = useEmbeddedStore();
let bot: TestBot;
const proposals: Recognition[] = [];

/** The recogniser's second opinion (Claude's seat), proposing whatever the test queues. */
const proposer: SecondOpinion = {
  recognize: async () => proposals.shift() ?? { failed: 'nothing queued' },
};

beforeAll(async () => {
  bot = await TestBot.start({ endpoint: store.endpoint(), prefix: store.prefix(), admins: ['console:root'], app: { secondOpinion: proposer } });
  await bot.grant('alice', 'devops');
  await bot.grant(`console:${HOSTILE}`, 'devops');
  await bot.grant(`console:${HOSTILE} 2`, 'devops');
});
afterAll(async () => bot.close());

const everything = (turn: { posted: Array<{ reply: Reply; updates: Reply[] }> }): Reply[] => turn.posted.flatMap((post) => [post.reply, ...post.updates]);
/** A message the grammar is not sure of, so the second opinion is asked. */
const UNCLEAR = 'hmm could you sort out the thing we talked about';

describe('slot values the recogniser proposes', () => {
  it.each([
    ['a service name', { intent: 'status', slots: { service: HOSTILE } }],
    ['a version', { intent: 'deploy', slots: { service: 'payments', version: HOSTILE, environment: 'staging' } }],
    ['an environment', { intent: 'deploy', slots: { service: 'payments', version: 'v1.2', environment: HOSTILE } }],
    ['a scaffolded name', { intent: 'scaffold', slots: { name: HOSTILE, template: 'python-fastapi', database: 'none' } }],
    ['a pipeline', { intent: 'troubleshoot', slots: { service: 'payments', pipeline: HOSTILE } }],
  ] as const)('are echoed escaped when %s is hostile', async (what, reading) => {
    proposals.push({ ...reading, slots: { ...reading.slots }, confidence: 0.95, source: 'llm' });
    const turn = await bot.as('alice').say(UNCLEAR, { thread: `slot-${what}` });
    expect(turn.summary.recognizer).toBe('llm');
    const shown = renderSafely(everything(turn), what);
    // the value reached the reply, shown literally
    expect(shown.slack).toContain('&lt;@U0ADMIN&gt;');
    expect(shown.teams).toContain('<@U0ADMIN>');
  });
});

describe('reasons', () => {
  it('of a lock are shown escaped to the locker and to whoever it blocks', async () => {
    const lock = await bot.as('root').say(`lock payments prod because ${HOSTILE}`, { thread: 'lock' });
    const blocked = await bot.as('alice').say('deploy payments v1.2 to prod', { thread: 'blocked' });
    expect(blocked.text).toContain('is locked by root');
    for (const [where, turn] of [['lock', lock], ['blocked', blocked]] as const) {
      const shown = renderSafely(everything(turn), where);
      expect(shown.slack).toMatch(/&lt;@U0ADMIN&gt;.*R&amp;D/);
    }
    await bot.as('root').say('unlock payments prod', { thread: 'unlock' });
  });
});

describe('user names', () => {
  it('in approvals, decisions, whoami and the audit trail are shown escaped', async () => {
    const requester = bot.as(HOSTILE);
    const approver = bot.as(`${HOSTILE} 2`);
    const request = await requester.say('deploy payments v1.2 to prod', { thread: 'names' });
    expect(request.summary.outcome).toBe('approval');
    const approved = await approver.click(request.button('Approve'), { thread: 'names' });
    expect(approved.summary.outcome).toBe('executed');
    const whoami = await requester.say('whoami', { thread: 'whoami' });
    const audit = await bot.as('root').say('audit 10', { thread: 'audit' });
    const replies = [...everything(request), ...approved.posted.map((post) => post.reply), ...approved.updated.flatMap((post) => post.updates), ...everything(whoami), ...everything(audit)];
    const shown = renderSafely(replies, 'names');
    expect(shown.slack).toContain('Requested by &lt;!channel&gt;');
    expect(shown.slack).toMatch(/Approved by &lt;!channel&gt;.* 2 at/);
    expect(shown.teams).toContain('Requested by <!channel>');
  });
});

describe('alert texts', () => {
  let alerts: AlertHarness;
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });
  afterEach(async () => alerts?.close());
  afterAll(() => nock.enableNetConnect());

  it('from CloudWatch (alarm name, description, reason) are shown escaped in the alert and its updates', async () => {
    alerts = await AlertHarness.start({ endpoint: store.endpoint(), prefix: store.prefix(), now: new Date('2026-03-02T14:00:00Z') });
    noHistory();
    noMetricData();
    const name = `payments-${HOSTILE}`.slice(0, 255);
    const firing = JSON.parse(alarmMessage(name, { at: '2026-03-02T13:58:00.000Z', reason: `Threshold Crossed: ${HOSTILE}` })) as Record<string, unknown>;
    const parsed = parseAlarmMessage(JSON.stringify({ ...firing, AlarmDescription: `Runbook: ${HOSTILE}` }));
    if (parsed.kind !== 'alarm') throw new Error(`the alarm did not parse: ${JSON.stringify(parsed)}`);
    await alerts.alerting.alerts.handle(parsed.change);
    const resolved = parseAlarmMessage(alarmMessage(name, { state: 'OK', at: '2026-03-02T14:10:00.000Z', reason: `Back: ${HOSTILE}` }));
    if (resolved.kind !== 'alarm') throw new Error('the OK did not parse');
    alerts.clock.advance(10 * 60_000);
    await alerts.alerting.alerts.handle(resolved.change);

    const messages = alerts.notifier.messages;
    expect(messages.length).toBeGreaterThan(0);
    const shown = renderSafely(messages.flatMap((message) => [message.reply, ...message.edits]), 'alert');
    expect(shown.slack).toContain('payments-&lt;!channel&gt;');
    expect(shown.teams).toContain('payments-<!channel>');
  });
});
