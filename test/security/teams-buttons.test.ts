import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/sessions/clock.js';
import { useEmbeddedStore } from '../support/embedded-store.js';
import type { ConnectorCall } from '../support/fake-connector.js';
import { TeamsHarness, type ActivityJson } from '../support/teams.js';
import { settle } from '../support/wait.js';

/**
 * Tampered Action.Execute invokes through botbuilder and the engine: the card's data carries only
 * an approval id; extra fields claiming a user, a role or a decision change nothing.
 */

const store = useEmbeddedStore();
let harness: TeamsHarness;

const ALICE = { id: '29:alice-mri', name: 'Alice Ops', aadObjectId: 'a1' };
const BOB = { id: '29:bob-mri', name: 'Bob Ops', aadObjectId: 'b1' };
const VIC = { id: '29:vic-mri', name: 'Vic Viewer', aadObjectId: 'v1' };

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

const cardText = (call: ConnectorCall): string => JSON.stringify(call.activity.attachments);

async function requestDeploy(): Promise<{ cardId: string; approvalId: string }> {
  await harness.send(harness.activity('message_personal.json', { from: ALICE, text: 'deploy payments v1.2 to prod' }));
  const [sent] = await harness.connector.waitFor('send');
  const approvalId = /"data":\{"id":"([^"]+)"\}/.exec(cardText(sent!))![1]!;
  return { cardId: sent!.id!, approvalId };
}

/** The Action.Execute invoke Teams sends for a click, with `value.action` replaced or extended. */
function invoke(from: typeof ALICE, cardId: string, action: Record<string, unknown>, extra: Record<string, unknown> = {}): ActivityJson {
  const base = harness.activity('invoke_card_action_inbound.json');
  const personal = harness.activity('message_personal.json');
  return {
    ...base,
    name: 'adaptiveCard/action',
    from,
    conversation: personal.conversation,
    replyToId: cardId,
    value: { action: { type: 'Action.Execute', id: 'approve', ...action }, trigger: 'manual', ...extra },
  };
}

const invokeText = (response: { body: unknown }): string => JSON.stringify(response.body);
const executed = async (): Promise<number> => (await harness.bot.app.store.audit.recent(200)).filter((entry) => entry.event === 'executed').length;

describe('Action.Execute with extra fields', () => {
  it('decides as the clicker, whatever the data claims about user, role or approver', async () => {
    const { cardId, approvalId } = await requestDeploy();
    const claims = { id: approvalId, user: BOB.id, from: BOB, approvedBy: 'Bob Ops', role: 'admin', requester: VIC.id, choice: 'approve', fourEyes: false };
    const own = await harness.send(invoke(ALICE, cardId, { verb: 'aiops.approve', data: claims }, { user: BOB, role: 'admin' }));
    expect(own.status).toBe(200);
    expect(invokeText(own)).toContain('Four-eyes');
    const viewer = await harness.send(invoke(VIC, cardId, { verb: 'aiops.approve', data: { ...claims, role: 'devops' } }));
    expect(invokeText(viewer)).toContain('needs the devops role; you are viewer');
    await settle();
    expect((await harness.bot.app.store.approvals.get(approvalId))?.status).toBe('pending');
    expect(harness.connector.of('update')).toHaveLength(0);
    expect(await executed()).toBe(0);
  });

  it('is not one of ours when the id is missing, malformed or the verb unknown: nothing is decided', async () => {
    const { cardId, approvalId } = await requestDeploy();
    const tampered: Array<Record<string, unknown>> = [
      { verb: 'aiops.approve', data: { approval: approvalId } },
      { verb: 'aiops.approve', data: { id: [approvalId] } },
      { verb: 'aiops.approve', data: { id: `${approvalId}; rm -rf /` } },
      { verb: 'aiops.approve', data: 'approvalId' },
      { verb: 'aiops.execute', data: { id: approvalId } },
      { verb: 'aiops.approve', type: 'Action.Submit', data: { id: approvalId } },
    ];
    for (const action of tampered) {
      const response = await harness.send(invoke(BOB, cardId, action));
      // Bot Framework's answer to an invoke the bot does not implement
      expect(response.status, JSON.stringify(action)).toBe(501);
    }
    await settle();
    expect((await harness.bot.app.store.approvals.get(approvalId))?.status).toBe('pending');
    expect(await executed()).toBe(0);
  });
});

describe('a replayed invoke', () => {
  it('runs nothing again, whether it is the same delivery or a new click on the decided card', async () => {
    const { cardId, approvalId } = await requestDeploy();
    const approve = invoke(BOB, cardId, { verb: 'aiops.approve', data: { id: approvalId } });
    expect(invokeText(await harness.send(approve))).toContain('Approved by Bob Ops');
    await harness.connector.waitFor('send', 2);
    expect(await executed()).toBe(1);

    expect((await harness.send(approve)).status).toBe(200);
    const again = await harness.send({ ...approve, id: `${String(approve.id)}-again` });
    expect(invokeText(again)).toContain('Already approved by Bob Ops; it ran once and will not run again.');
    const cancel = await harness.send(invoke(ALICE, cardId, { verb: 'aiops.reject', data: { id: approvalId } }));
    expect(invokeText(cancel)).toContain('Already approved by Bob Ops');
    await settle();
    expect(await executed()).toBe(1);
    expect(harness.connector.of('send')).toHaveLength(2);
  });
});
