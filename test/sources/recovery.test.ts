import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AlertHarness, alarmChange, button, textOf } from '../support/alerts.js';
import { noHistory, noMetricData } from '../support/cloudwatch.js';
import { useEmbeddedStore } from '../support/embedded-store.js';

const store = useEmbeddedStore();
const FIRED = '2026-03-02T13:58:00.000Z';
let h: AlertHarness;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => nock.enableNetConnect());
beforeEach(async () => {
  // polling off: the watcher's ticks only check verification deadlines
  h = await AlertHarness.start({ endpoint: store.endpoint(), prefix: store.prefix(), env: { AIOPS_ALARM_POLL_SECONDS: '0' } });
  noHistory();
  noMetricData();
  await h.bot.grant('slack:bob', 'devops');
  await h.bot.grant('slack:carol', 'devops');
  await h.bot.grant('slack:dana', 'developer');
});
afterEach(async () => h.close());

async function fire(alarm = 'payments-cpu-high', at = FIRED) {
  await h.alerting.alerts.handle(alarmChange(alarm, { at }));
  return h.notifier.alerts.at(-1)!;
}

describe('approving an alert proposal', () => {
  it('is refused for a developer, and runs once for devops, through the recover action', async () => {
    const alert = await fire();
    const refused = await h.click('dana', alert, 'Approve');
    expect(refused.replies[0]!.text).toContain('needs the devops role');

    const approved = await h.click('bob', alert, 'Approve');
    expect(approved.outcome).toBe('executed');
    const result = approved.replies.at(-1)!;
    expect(result.text).toBe('*Dry-run:* Scale out payments in prod. Nothing was changed (GitLab is not configured: set GITLAB_URL and GITLAB_TOKEN).');
    expect(textOf(result)).toContain('"key":"AIOPS_ALARM","value":"payments-cpu-high"');
    expect(textOf(result)).toContain('"key":"AIOPS_APPROVED_BY","value":"bob"');
    expect(result.context).toContain('Watching alarm payments-cpu-high: the alert thread will say whether it returns to OK.');
    // the alert keeps its content; the buttons become the decision
    expect(alert.current.buttons).toBeUndefined();
    expect(alert.current.context?.at(-1)).toBe('Approved by bob at 14:00 UTC');
    expect(alert.current.text).toBe(alert.reply.text);

    const incident = await h.store.incidents.openForAlarm('payments-cpu-high');
    expect(incident?.recovery).toMatchObject({ action: 'scale', by: 'bob', verification: 'watching', dryRun: true, at: '2026-03-02T14:00:00.000Z' });
    const events = (await h.store.audit.recent(20)).map((entry) => `${entry.actorName} ${entry.event}`);
    expect(events).toEqual(expect.arrayContaining(['aiops incident.opened', 'aiops approval.requested', 'bob approval.approved', 'bob executed']));
  });

  it('can be dismissed, which runs nothing', async () => {
    const alert = await fire();
    const dismissed = await h.click('carol', alert, 'Dismiss');
    expect(dismissed.outcome).toBe('decided');
    expect(alert.current.context?.at(-1)).toBe('Cancelled by carol at 14:00 UTC');
    expect((await h.store.incidents.openForAlarm('payments-cpu-high'))?.recovery).toBeUndefined();
    await h.alerting.alerts.handle(alarmChange('payments-cpu-high', { state: 'OK', at: '2026-03-02T14:06:00.000Z' }));
    expect(alert.current.context).toContain('Proposal dismissed by carol at 14:00 UTC.');
  });
});

describe('verification after a recovery', () => {
  it('reports success in the thread when the alarm returns to OK, and resolves the alert', async () => {
    const alert = await fire();
    await h.click('bob', alert, 'Approve');
    h.clock.advance(6 * 60_000);
    await h.alerting.alerts.handle(alarmChange('payments-cpu-high', { state: 'OK', at: '2026-03-02T14:06:00.000Z' }));

    const thread = h.notifier.thread(alert).map((message) => message.reply.text).at(-1);
    expect(thread).toContain('Back to OK at 14:06 UTC: recovered on its own (scale by bob was a dry-run).');
    expect(thread).toContain('Recovery verified: payments-cpu-high returned to OK 6 min after scale out by bob (a dry-run: it recovered on its own).');
    expect(alert.current.text).toBe('*RESOLVED: payments-cpu-high (payments, prod)*, back to OK after 8 min');
    expect(alert.current.context).toContain('Recovery approved by bob at 14:00 UTC.');
    const incident = (await h.store.incidents.similar('payments-cpu-high', 'payments', 'none'))[0];
    expect(incident?.recovery?.verification).toBe('verified');
    expect((await h.store.audit.recent(5)).map((entry) => entry.event)).toContain('recovery.verified');
    // nothing is left for the watcher
    await h.alerting.watcher.tick();
    expect(h.notifier.thread(alert).some((message) => message.reply.text.includes('Escalating'))).toBe(false);
  });

  it('watches the open incident after a recovery asked for in chat, too', async () => {
    await h.bot.grant('slack:alice', 'devops');
    const alert = await fire();
    await h.turn('alice', alert, { text: 'restart payments in prod' });
    const request = h.notifier.messages.find((message) => message.reply.buttons && message.target.thread)!;
    const approved = await h.click('bob', request, 'Approve');
    expect(approved.replies.at(-1)!.context).toContain('Watching alarm payments-cpu-high: the alert thread will say whether it returns to OK.');
    expect((await h.store.incidents.openForAlarm('payments-cpu-high'))?.recovery).toMatchObject({ action: 'restart', by: 'bob', verification: 'watching' });
  });

  it('escalates to the owners in the thread when the alarm is still firing after AIOPS_VERIFY_MINUTES, once', async () => {
    const alert = await fire();
    await h.click('bob', alert, 'Approve');

    h.clock.advance(14 * 60_000);
    expect(await h.alerting.watcher.tick()).toBe(true);
    expect(h.notifier.thread(alert).filter((message) => message.reply.text.includes('Escalating'))).toEqual([]);

    h.clock.advance(60_000);
    await h.alerting.watcher.tick();
    await h.alerting.watcher.tick();
    const escalations = h.notifier.thread(alert).filter((message) => message.reply.text.includes('Escalating'));
    expect(escalations).toHaveLength(1);
    expect(escalations[0]!.reply.text).toBe('*Escalating to team-payments:* payments-cpu-high is still in ALARM 15 min after scale out by bob (a dry-run, which changed nothing).');
    expect(escalations[0]!.reply.tone).toBe('error');
    expect((await h.store.incidents.openForAlarm('payments-cpu-high'))?.recovery?.verification).toBe('failed');
    expect((await h.store.audit.recent(5)).map((entry) => entry.event)).toContain('recovery.escalated');

    // a later OK still resolves it, and says the recovery did not help
    await h.alerting.alerts.handle(alarmChange('payments-cpu-high', { state: 'OK', at: '2026-03-02T14:40:00.000Z' }));
    expect(alert.current.context?.join('\n')).toContain('recovered on its own (scale by bob was a dry-run)');
  });
});

describe('cooldown', () => {
  it('refuses the same recovery from chat with the time left, until the cooldown is over', async () => {
    const alert = await fire();
    await h.click('bob', alert, 'Approve');
    h.clock.advance(6 * 60_000);

    const early = await h.turn('carol', alert, { text: 'scale up payments in prod' });
    expect(early.outcome).toBe('refused');
    expect(early.replies[0]!.text).toBe('*scale* of *payments* in *prod* already ran at 14:00 UTC (by bob); the cooldown allows the next one in 9 min.');
    expect(early.replies[0]!.context?.[0]).toContain('AIOPS_COOLDOWN_MINUTES=15');

    // a different recovery is not held back
    const restart = await h.turn('carol', alert, { text: 'restart payments in prod' });
    expect(restart.outcome).toBe('approval');

    h.clock.advance(9 * 60_000);
    const later = await h.turn('carol', alert, { text: 'scale up payments in prod' });
    expect(later.outcome).toBe('approval');
  });

  it('turns a new alert for the same recovery into manual investigation with the time left', async () => {
    const alert = await fire();
    await h.click('bob', alert, 'Approve');
    h.clock.advance(3 * 60_000);
    const second = await fire('payments-memory-high', '2026-03-02T14:02:30.000Z');
    expect(second.reply.buttons).toBeUndefined();
    const text = textOf(second.reply);
    expect(text).toContain('Manual investigation needed');
    expect(text).toContain('scale of payments in prod already ran at 14:00 UTC (by bob); the cooldown allows the next one in 12 min.');
  });

  it('lets only the first of two approved requests for the same recovery run', async () => {
    const alert = await fire();
    const chat = await h.turn('carol', alert, { text: 'scale up payments in prod' });
    expect(chat.outcome).toBe('approval');
    const chatRequest = h.notifier.messages.find((message) => message.reply.buttons && message.target.thread)!;

    expect((await h.click('bob', alert, 'Approve')).outcome).toBe('executed');
    const second = await h.click('bob', chatRequest, 'Approve');
    expect(second.replies.at(-1)!.text).toContain('already ran at 14:00 UTC (by bob)');
    expect((await h.store.approvals.get(button(chatRequest.reply, 'Approve').target))?.status).toBe('failed');
  });

  it('covers a rollback asked for in chat too', async () => {
    await h.bot.grant('slack:alice', 'devops');
    const alert = await fire();
    const first = await h.turn('alice', alert, { text: 'roll back payments in prod to v1.2' });
    expect(first.outcome).toBe('approval');
    const request = h.notifier.messages.find((message) => message.reply.buttons && message.target.thread)!;
    expect((await h.click('bob', request, 'Approve')).outcome).toBe('executed');
    const again = await h.turn('alice', alert, { text: 'payments is down, roll it back to v1.2 in prod' });
    expect(again.replies[0]!.text).toContain('*rollback* to v1.2 of *payments* in *prod* already ran at 14:00 UTC (by bob)');
    // going further back is a new decision, not a loop
    expect((await h.turn('alice', alert, { text: 'roll back payments in prod to v1.1' })).outcome).toBe('approval');
  });

  it('forgets the recovery and its cooldown when the action refuses to run', async () => {
    await h.bot.grant('slack:alice', 'devops');
    const alert = await fire();
    await h.turn('alice', alert, { text: 'roll back payments in prod to v1.2' });
    const request = h.notifier.messages.find((message) => message.reply.buttons && message.target.thread)!;
    await h.bot.as('root').say('lock payments prod: freeze');
    const click = await h.click('bob', request, 'Approve');
    expect(click.replies.at(-1)!.text).toContain('is locked by root');
    expect((await h.store.incidents.openForAlarm('payments-cpu-high'))?.recovery).toBeUndefined();
    expect(await h.store.keys.get('cooldown:payments:prod:rollback:v1.2')).toBeUndefined();
  });
});
