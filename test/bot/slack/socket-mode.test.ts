import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlack } from '../../../src/bot/slack/adapter.js';
import { Readiness } from '../../../src/http/ops-routes.js';
import { TestBot } from '../../support/bot.js';
import { useEmbeddedStore } from '../../support/embedded-store.js';
import { FakeSlack } from '../../support/fake-slack.js';
import { FakeSocketMode } from '../../support/fake-socket-mode.js';
import { BOT_TOKEN, slackFixture } from '../../support/slack.js';
import { waitFor } from '../../support/wait.js';

const store = useEmbeddedStore();

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => nock.enableNetConnect());

/** aiops on Socket Mode against the fake Slack API and socket endpoint; `run` gets them, then all is closed. */
async function withSocketMode(
  run: (parts: { slack: FakeSlack; socket: FakeSocketMode; bot: TestBot; readiness: Readiness }) => Promise<void>,
): Promise<void> {
  const slack = await FakeSlack.start();
  const socket = await FakeSocketMode.start();
  slack.socketUrl = socket.url;
  const bot = await TestBot.start({
    endpoint: store.endpoint(),
    prefix: store.prefix(),
    env: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: 'xapp-1-A111-test-token', SLACK_API_URL: slack.apiUrl },
  });
  const readiness = new Readiness(['slack']);
  readiness.adaptersStarted();
  const adapter = await startSlack({
    config: bot.app.config.slack!,
    engine: bot.app.engine,
    store: bot.app.store,
    log: bot.app.log,
    http: undefined,
    clientOptions: { retryConfig: { retries: 0 } },
    onConnection: (down) => readiness.connection('slack', down),
  });
  try {
    await run({ slack, socket, bot, readiness });
  } finally {
    await adapter.close();
    await bot.close();
    await socket.close();
    await slack.close();
  }
}

describe('Slack over Socket Mode', () => {
  it('connects with the app token, acks each envelope and answers in the thread', () =>
    withSocketMode(async ({ slack, socket }) => {
      const [open] = slack.of('apps.connections.open');
      expect(open!.token).toBe('xapp-1-A111-test-token');
      const body = slackFixture<{ event: Record<string, unknown> }>('events_app_mention_socket_mode_body.json');
      await socket.deliver({
        envelope_id: 'env-1',
        payload: { ...body, event: { ...body.event, text: '<@UBOT> status payments' } },
        type: 'events_api',
        accepts_response_payload: false,
        retry_attempt: 0,
        retry_reason: '',
      });
      await waitFor(() => socket.acks.find((ack) => ack.envelope_id === 'env-1'), 'the envelope ack');
      const [post] = await slack.waitForCalls('chat.postMessage');
      expect(post!.args).toMatchObject({ channel: 'C111', thread_ts: '1678252212.229129' });
      expect(post!.args.text).toContain('Status of payments');
    }));

  it('reports a dropped connection as degraded until the client has reconnected by itself', () =>
    withSocketMode(async ({ slack, socket, bot, readiness }) => {
      await waitFor(() => bot.logs.text().includes('Slack Socket Mode connected'), 'the first connection');
      expect(readiness.degraded()).toEqual([]);
      socket.drop();
      await waitFor(() => readiness.degraded().length > 0, 'the drop to be noticed');
      expect(readiness.degraded()).toEqual(['slack: Socket Mode disconnected, reconnecting']);
      // still ready: readiness routes HTTP (Teams, webhooks), which the socket does not carry
      expect(readiness.problems()).toEqual([]);
      // the client waits its ping timeout (5 s by default) before reconnecting
      await waitFor(() => socket.connections === 2 && readiness.degraded().length === 0, 'the reconnection', 20_000);
      expect(bot.logs.text()).toContain('Slack Socket Mode connection lost; reconnecting');
      expect(slack.of('apps.connections.open')).toHaveLength(2);
    }), 30_000);
});
