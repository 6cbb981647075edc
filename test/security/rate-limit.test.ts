import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/sessions/clock.js';
import { CLAUDE_URL, reading, TEST_API_KEY, testClient, useFakeClaude } from '../support/claude.js';
import { useEmbeddedStore } from '../support/embedded-store.js';
import { SlackHarness } from '../support/slack.js';
import { mention } from '../support/slack-payloads.js';
import { waitFor } from '../support/wait.js';

/**
 * The per-user Claude rate limit end to end: Slack events over HTTP into two replicas that share
 * one store (so one counter) and one clock. Past the limit the grammar answers, Claude is not
 * called, and the person still gets an answer; other people are not affected; the next minute
 * the limit starts again.
 */

const store = useEmbeddedStore();
const claude = useFakeClaude();
const replicas: SlackHarness[] = [];
afterEach(async () => {
  await Promise.all(replicas.splice(0).map((replica) => replica.close()));
});

async function replica(prefix: string, clock: ManualClock): Promise<SlackHarness> {
  const started = await SlackHarness.start({
    endpoint: store.endpoint(),
    prefix,
    clock,
    env: { ANTHROPIC_API_KEY: TEST_API_KEY, ANTHROPIC_BASE_URL: CLAUDE_URL, AIOPS_LLM_RATE_PER_MIN: '2' },
    app: { llm: { client: testClient(), maxRetries: 0 } },
  });
  replicas.push(started);
  return started;
}

/** A message only Claude is asked about, sent to one replica; resolves with the turn's reply text. */
async function ask(to: SlackHarness, user: string, text: string): Promise<string> {
  const event = mention(text, user);
  expect((await to.event(event)).status).toBe(200);
  const reply = await waitFor(() => to.slack.of('chat.postMessage').find((call) => call.args.thread_ts === event.event.ts), 'the reply');
  return String(reply.args.text);
}

describe('AIOPS_LLM_RATE_PER_MIN across replicas', () => {
  it('lets each person reach Claude that many times a minute in all, then the grammar answers', async () => {
    const clock = new ManualClock(new Date('2026-03-02T14:00:05Z'));
    const prefix = store.prefix();
    const [a, b] = [await replica(prefix, clock), await replica(prefix, clock)];

    claude().answer(reading('status', { service: 'payments' }, 0.9), reading('status', { service: 'orders' }, 0.9));
    expect(await ask(a, 'UALICE', 'tell me about payments')).toContain('Status of payments');
    expect(await ask(b, 'UALICE', 'tell me about orders')).toContain('Status of orders');
    // the third in the same minute, on either replica: no call, still an answer (the grammar's)
    expect(await ask(a, 'UALICE', 'tell me about checkout')).toContain("Sorry, I didn't understand that");
    expect(claude().requests).toHaveLength(2);
    expect(a.bot.app.llm?.stats().calls).toMatchObject({ ok: 1, skipped_user_rate_limit: 1 });

    // someone else is counted apart
    claude().answer(reading('status', { service: 'search' }, 0.9));
    expect(await ask(b, 'UBOB', 'tell me about search')).toContain('Status of search');
    expect(claude().requests).toHaveLength(3);

    // a new minute
    clock.advance(60_000);
    claude().answer(reading('status', { service: 'inventory' }, 0.9));
    expect(await ask(b, 'UALICE', 'tell me about inventory')).toContain('Status of inventory');
    expect(claude().requests).toHaveLength(4);
  });
});
