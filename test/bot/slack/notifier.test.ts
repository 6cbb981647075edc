import { webApi } from '@slack/bolt';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PlatformNotifier } from '../../../src/bot/notifier.js';
import { SlackNotifier } from '../../../src/bot/slack/notifier.js';
import { captureLogs } from '../../support/log-capture.js';
import { FakeSlack } from '../../support/fake-slack.js';

let slack: FakeSlack;
let client: webApi.WebClient;
let waits: number[];
let notifier: SlackNotifier;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => nock.enableNetConnect());

beforeEach(async () => {
  slack = await FakeSlack.start();
  client = new webApi.WebClient('xoxb-test-token', { slackApiUrl: slack.apiUrl, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } });
  waits = [];
  // time stands still, so every wait the notifier asks for is exactly the pacing or Retry-After it computed
  notifier = new SlackNotifier(client, { now: () => 1_000_000, sleep: async (ms) => void waits.push(ms) });
});
afterEach(async () => slack.close());

describe('Slack notifier', () => {
  it('posts to a channel, or into a thread, through the platform router', async () => {
    const router = new PlatformNotifier({}, captureLogs().log);
    router.register('slack', notifier);
    const ref = await router.notify({ platform: 'slack', channel: 'C0ALERTS' }, { text: 'CPU high on *payments*', tone: 'warning' });
    expect(ref).toMatchObject({ platform: 'slack', channel: 'C0ALERTS' });
    await router.notify({ platform: 'slack', channel: 'C0ALERTS', thread: ref!.id }, { text: 'Recovered.' });
    await router.update(ref!, { text: 'CPU high on *payments* (resolved)' });
    const [first, second] = slack.of('chat.postMessage');
    expect(first!.args).toMatchObject({ channel: 'C0ALERTS', text: 'CPU high on *payments*' });
    expect(first!.args.thread_ts).toBeUndefined();
    expect(second!.args.thread_ts).toBe(ref!.id);
    expect(slack.of('chat.update')[0]!.args).toMatchObject({ channel: 'C0ALERTS', ts: ref!.id });
  });

  it('paces messages to the same channel at one per second, and other channels in parallel', async () => {
    await Promise.all([
      notifier.notify({ platform: 'slack', channel: 'C1' }, { text: 'one' }),
      notifier.notify({ platform: 'slack', channel: 'C1' }, { text: 'two' }),
      notifier.notify({ platform: 'slack', channel: 'C2' }, { text: 'three' }),
    ]);
    expect(slack.of('chat.postMessage').map((call) => call.args.text)).toEqual(['one', 'three', 'two']);
    expect(waits).toEqual([1000]);
  });

  it('waits as long as Retry-After says when Slack answers 429, then delivers once', async () => {
    slack.answerOnce('chat.postMessage', { status: 429, headers: { 'retry-after': '7' }, body: { ok: false, error: 'ratelimited' } });
    const ref = await notifier.notify({ platform: 'slack', channel: 'C1' }, { text: 'after the limit' });
    expect(ref.id).toBeTruthy();
    expect(waits).toEqual([7000]);
    expect(slack.of('chat.postMessage')).toHaveLength(2);
  });
});
