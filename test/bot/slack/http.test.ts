import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TurnQueue } from '../../../src/bot/turn-queue.js';
import { useEmbeddedStore } from '../../support/embedded-store.js';
import { mention } from '../../support/slack-payloads.js';
import { SlackHarness } from '../../support/slack.js';

const store = useEmbeddedStore();
let harness: SlackHarness | undefined;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => nock.enableNetConnect());
afterEach(async () => harness?.close());

/** The real turn queue, counting what the Slack handler tells it: requests waiting for their ack. */
class CountingTurnQueue extends TurnQueue {
  arrived = 0;
  unanswered = 0;

  override ackStarted(): () => void {
    this.arrived += 1;
    this.unanswered += 1;
    const release = super.ackStarted();
    let answered = false;
    return () => {
      if (!answered) this.unanswered -= 1;
      answered = true;
      release();
    };
  }
}

describe('POST /slack/events tells the turn queue which requests still wait for their ack', () => {
  it('counts each signed request until it is answered, acked or refused, and never a forged one', async () => {
    const turns = new CountingTurnQueue();
    harness = await SlackHarness.start({ endpoint: store.endpoint(), prefix: store.prefix(), turns });
    const asked = mention('status payments', 'UALICE');
    const acked = await harness.event(asked);
    const forged = await harness.event(asked, { secret: 'not-the-signing-secret' });
    const malformed = await harness.post('{"type":"event_callback"}', 'application/json');
    expect([acked.status, forged.status, malformed.status]).toEqual([200, 401, 400]);
    // the turn behind the ack ran once the ack was out
    const [reply] = await harness.slack.waitForCalls('chat.postMessage');
    expect(reply!.args.text).toContain('Status of payments');
    // a forged request is refused before it counts, so a flood of them cannot hold turns back
    expect(turns.arrived).toBe(2);
    expect(turns.unanswered).toBe(0);
  });
});
