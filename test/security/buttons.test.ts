import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../src/bot/slack/signature.js';
import { ManualClock } from '../../src/sessions/clock.js';
import type { Store } from '../../src/sessions/store.js';
import { useEmbeddedStore } from '../support/embedded-store.js';
import type { SlackCall } from '../support/fake-slack.js';
import { SIGNING_SECRET, SlackHarness } from '../support/slack.js';
import { buttonIn, click, interactionForm, mention } from '../support/slack-payloads.js';
import { settle, waitFor } from '../support/wait.js';

/**
 * Tampered button payloads over HTTP, through Bolt and the engine: a button carries only an
 * approval id, and whatever else a click claims (another approval, another user, a second
 * go after the decision, a value that is no id at all) is refused and runs nothing.
 */

const store = useEmbeddedStore();
let harness: SlackHarness;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => nock.enableNetConnect());

beforeEach(async () => {
  harness = await SlackHarness.start({ endpoint: store.endpoint(), prefix: store.prefix(), clock: new ManualClock(new Date('2026-03-02T14:02:00Z')) });
  await harness.bot.grant('slack:UALICE', 'devops');
  await harness.bot.grant('slack:UBOB', 'devops');
  await harness.bot.grant('slack:UDAN', 'developer');
  for (const [id, name] of [['UALICE', 'alice'], ['UBOB', 'bob'], ['UDAN', 'dan'], ['UVIC', 'vic']]) harness.slack.displayNames.set(id!, name!);
});
afterEach(async () => harness.close());

const appStore = (): Store => harness.bot.app.store;

/** Asks for a prod deploy as `user` and returns the posted approval message. */
async function requestDeploy(user: string, channel = 'C123ABC456', environment = 'prod'): Promise<{ call: SlackCall; id: string }> {
  const event = mention(`deploy payments v1.2 to ${environment}`, user, { channel });
  await harness.event(event);
  const call = await waitFor(() => harness.slack.of('chat.postMessage').find((posted) => posted.args.thread_ts === event.event.ts), 'the approval request');
  return { call, id: buttonIn(call, 'Approve').value };
}

/** Every reply aiops posted in a thread, after the request itself. */
const repliesIn = (call: SlackCall): SlackCall[] => harness.slack.of('chat.postMessage').filter((posted) => posted.args.thread_ts === call.args.thread_ts && posted !== call);
const executions = async (): Promise<number> => (await appStore().audit.recent(200)).filter((entry) => entry.event === 'executed').length;

async function clickAndSettle(payload: unknown, expectReplies: number, request: SlackCall): Promise<SlackCall[]> {
  expect((await harness.interaction(payload)).status).toBe(200);
  if (expectReplies > 0) return waitFor(() => (repliesIn(request).length >= expectReplies ? repliesIn(request) : undefined), `${expectReplies} replies`);
  await settle();
  return repliesIn(request);
}

describe('a click on another approval id', () => {
  it('is decided by the clicker\'s own rights: a viewer swapping in an id is refused and nothing runs', async () => {
    const mine = await requestDeploy('UALICE');
    const theirs = await requestDeploy('UBOB', 'C0OTHER');
    const replies = await clickAndSettle(click(mine.call, 'Approve', 'UVIC', { value: theirs.id }), 1, mine.call);
    expect(replies[0]!.args.text).toContain('Approving deploy in prod needs the devops role; you are viewer.');
    expect((await appStore().approvals.get(theirs.id))?.status).toBe('pending');
    expect((await appStore().approvals.get(mine.id))?.status).toBe('pending');
    expect(harness.slack.of('chat.update')).toHaveLength(0);
    expect(await executions()).toBe(0);
  });

  it('that does not exist, or belongs to no approval, is refused and nothing runs', async () => {
    const mine = await requestDeploy('UALICE');
    for (const value of ['0b5e0f2c-1111-4222-8333-944455556666', 'cf-0b5e0f2c-1111-4222-8333-944455556666', 'approval:1']) {
      await clickAndSettle(click(mine.call, 'Approve', 'UBOB', { value }), 0, mine.call);
    }
    const replies = repliesIn(mine.call).map((call) => String(call.args.text));
    expect(replies).toHaveLength(3);
    expect(replies[0]).toContain('no longer exists');
    expect(replies[1]).toMatch(/already answered|no longer open/);
    expect((await appStore().approvals.get(mine.id))?.status).toBe('pending');
    expect(await executions()).toBe(0);
  });

  it('edits the message of the approval it decided, never the message it was clicked on', async () => {
    const mine = await requestDeploy('UALICE');
    const theirs = await requestDeploy('UDAN', 'C0OTHER', 'dev');
    // bob may decide dan's request anyway; the tampered click must not rewrite alice's message
    await clickAndSettle(click(mine.call, 'Approve', 'UBOB', { value: theirs.id }), 0, mine.call);
    const [update] = await harness.slack.waitForCalls('chat.update');
    expect(update!.args.ts).toBe(theirs.call.response!.ts);
    expect(update!.args.channel).toBe('C0OTHER');
    expect((await appStore().approvals.get(mine.id))?.status).toBe('pending');
  });
});

describe('a click claiming another user', () => {
  it('cannot be made without the signing secret: the body is signed, so an edited user is a bad signature', async () => {
    const mine = await requestDeploy('UALICE');
    const honest = interactionForm(click(mine.call, 'Approve', 'UVIC'));
    const headers = signSlackRequest(honest, SIGNING_SECRET, Math.floor(Date.now() / 1000));
    const forged = honest.replace(/UVIC/g, 'UBOB');
    const response = await fetch(`${harness.http.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: forged });
    expect(response.status).toBe(401);
    await settle();
    expect(repliesIn(mine.call)).toHaveLength(0);
    expect((await appStore().approvals.get(mine.id))?.status).toBe('pending');
  });
});

describe('a replay after the decision', () => {
  it('runs nothing again: the same delivery is a duplicate, a new click is told it already ran, an old one is refused', async () => {
    const mine = await requestDeploy('UALICE');
    const approve = click(mine.call, 'Approve', 'UBOB');
    const first = await clickAndSettle(approve, 1, mine.call);
    expect(first[0]!.args.text).toContain('Dry-run');
    expect(await executions()).toBe(1);

    // Slack retrying the very same delivery
    await clickAndSettle(approve, 0, mine.call);
    expect(repliesIn(mine.call)).toHaveLength(1);
    // the same button clicked again (a new trigger id), by bob and by someone else
    const again = await clickAndSettle(click(mine.call, 'Approve', 'UBOB'), 2, mine.call);
    expect(again[1]!.args.text).toContain('Already approved by bob; it ran once and will not run again.');
    const cancel = await clickAndSettle(click(mine.call, 'Cancel', 'UALICE'), 3, mine.call);
    expect(cancel[2]!.args.text).toContain('Already approved by bob');
    // a captured request replayed more than five minutes later
    const old = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await harness.post(interactionForm(click(mine.call, 'Approve', 'UBOB')), 'application/x-www-form-urlencoded', { timestamp: old })).status).toBe(401);

    await settle();
    expect(await executions()).toBe(1);
    expect((await appStore().approvals.get(mine.id))?.status).toBe('executed');
  });
});

describe('a block_actions payload whose value is not an approval id', () => {
  it('is acked and ignored: nothing posted, nothing decided', async () => {
    const mine = await requestDeploy('UBOB');
    const values = ['', ' ', '../../etc/passwd', "'; DROP TABLE approvals;--", 'x'.repeat(201), '<!channel>', `{"id":"${mine.id}"}`, `${mine.id} `, `${mine.id}\n`, '%00'];
    for (const value of values) expect((await harness.interaction(click(mine.call, 'Approve', 'UALICE', { value }))).status).toBe(200);
    // our prefix with an action that is not a decision, carrying a real id: acked, not read
    for (const action_id of ['aiops_execute', 'aiops_approve_x', 'aiops_approve_2b']) {
      expect((await harness.interaction(click(mine.call, 'Approve', 'UALICE', { action_id }))).status).toBe(200);
    }
    // an element aiops never posts
    for (const action_id of ['button', 'approve', 'AIOPS_APPROVE']) {
      expect((await harness.interaction(click(mine.call, 'Approve', 'UALICE', { action_id }))).status).toBe(200);
    }
    await settle();
    expect(repliesIn(mine.call)).toHaveLength(0);
    expect(harness.slack.of('chat.update')).toHaveLength(0);
    expect((await appStore().approvals.get(mine.id))?.status).toBe('pending');
    expect(harness.bot.logs.lines.filter((line) => line.includes('a click aiops cannot read'))).toHaveLength(values.length + 3);
    expect(harness.bot.logs.lines.filter((line) => line.includes('a click on an element aiops did not post'))).toHaveLength(3);
  });
});
