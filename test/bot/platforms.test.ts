import { PassThrough } from 'node:stream';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { start } from '../../src/main.js';
import { createDynamoClients } from '../../src/sessions/client.js';
import { initTables } from '../../src/sessions/init-tables.js';
import { useEmbeddedStore } from '../support/embedded-store.js';
import { FakeConnector } from '../support/fake-connector.js';
import { FakeSlack } from '../support/fake-slack.js';
import { BOT_TOKEN, SIGNING_SECRET, slackFixture } from '../support/slack.js';
import { signSlackRequest } from '../../src/bot/slack/signature.js';
import { teamsFixture } from '../support/teams.js';

const store = useEmbeddedStore();

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => nock.enableNetConnect());

describe('aiops start with Slack and Teams configured', () => {
  it('serves both on the one HTTP server and registers both notifiers', async () => {
    const slack = await FakeSlack.start();
    const connector = await FakeConnector.start();
    const prefix = store.prefix();
    const { client } = createDynamoClients({ endpoint: store.endpoint(), embedded: true });
    await initTables(client, prefix);
    client.destroy();
    const config = loadConfig({
      PORT: '0',
      AIOPS_LOG_LEVEL: 'silent',
      AIOPS_TABLE_PREFIX: prefix,
      AWS_ENDPOINT_URL_DYNAMODB: store.endpoint(),
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      AIOPS_TEAMS: 'true',
    });
    const running = await start(config, { mode: 'auto', stdin: new PassThrough() as unknown as NodeJS.ReadStream, stdout: new PassThrough() as unknown as NodeJS.WriteStream });
    try {
      expect(running.console).toBeUndefined();
      const url = running.http!.url;

      const mention = slackFixture<{ event: Record<string, unknown> }>('events_app_mention.json');
      const body = JSON.stringify({ ...mention, event: { ...mention.event, text: '<@UBOT> help' } });
      const slackResponse = await fetch(`${url}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signSlackRequest(body, SIGNING_SECRET, Math.floor(Date.now() / 1000)) },
        body,
      });
      expect(slackResponse.status).toBe(200);
      await slack.waitForCalls('chat.postMessage');

      const message = { ...teamsFixture('message_personal.json'), serviceUrl: connector.serviceUrl, text: 'help' };
      const teamsResponse = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message) });
      expect(teamsResponse.status).toBe(200);
      await connector.waitFor('send');

      await running.app.notifier.notify({ platform: 'slack', channel: 'C0ALERTS' }, { text: 'from the notifier' });
      expect(slack.of('chat.postMessage').at(-1)!.args.channel).toBe('C0ALERTS');
    } finally {
      await running.shutdown('test over');
      await slack.close();
      await connector.close();
    }
  });
});
