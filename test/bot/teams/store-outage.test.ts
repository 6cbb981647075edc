import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../../src/sessions/embedded.js';
import type { ConnectorCall } from '../../support/fake-connector.js';
import { TeamsHarness } from '../../support/teams.js';

let store: EmbeddedDynamo;
let harness: TeamsHarness;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  // a store of its own, so this file can stop it without touching any other test
  store = await startEmbeddedDynamo();
  harness = await TeamsHarness.start({ endpoint: store.endpoint, prefix: 'outage_' });
});
afterAll(async () => {
  await harness.close();
  nock.enableNetConnect();
});

const shown = (call: ConnectorCall): string => JSON.stringify(call.activity.attachments);

describe('Teams while the store is unreachable', () => {
  it('acks the message and tells the user nothing was done, instead of failing the request', async () => {
    await store.close();
    const activity = harness.activity('message_personal.json', { text: 'status payments' });
    const response = await harness.send(activity);
    expect(response.status).toBe(200);
    const [sent] = await harness.connector.waitFor('send');
    expect(sent!.conversationId).toBe((activity.conversation as { id: string }).id);
    expect(shown(sent!)).toMatch(/I can't reach my database right now, so I did nothing \(ref c-[a-z0-9]+\)/);
    expect(harness.bot.logs.text()).toContain('could not save the Teams conversation reference; the turn goes on');
  });
});
