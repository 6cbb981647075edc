import { afterEach, describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../../src/bot/slack/signature.js';
import { slackEventsHandler, SLACK_EVENTS_PATH } from '../../../src/bot/slack/http.js';
import { startHttpServer, type HttpServer } from '../../../src/http/server.js';
import { createLogger } from '../../../src/log.js';
import { SIGNING_SECRET, slackFixtureText } from '../../support/slack.js';

const log = createLogger({ level: 'silent', secrets: [] });
let server: HttpServer | undefined;
afterEach(async () => server?.close());

/** Counts what slackEventsHandler reports to the turn queue: requests waiting to be acked. */
function ackCounter() {
  let waiting = 0;
  let arrived = 0;
  return {
    ackStarted: () => {
      waiting += 1;
      arrived += 1;
      let answered = false;
      return () => {
        if (!answered) waiting -= 1;
        answered = true;
      };
    },
    get waiting() {
      return waiting;
    },
    get arrived() {
      return arrived;
    },
  };
}

async function serve(counter: ReturnType<typeof ackCounter>, seen: string[]): Promise<string> {
  server = await startHttpServer({ port: 0, host: '127.0.0.1', log });
  server.add({
    method: 'POST',
    path: SLACK_EVENTS_PATH,
    handler: slackEventsHandler({
      receiver: {
        requestListener: (req, res) => {
          seen.push(String((req as { rawBody?: Buffer }).rawBody?.length));
          res.writeHead(200);
          res.end();
        },
      },
      signingSecret: SIGNING_SECRET,
      log,
      ackStarted: counter.ackStarted,
    }),
  });
  return `${server.url}${SLACK_EVENTS_PATH}`;
}

describe('POST /slack/events tells the turn queue which requests still wait for their ack', () => {
  it('counts each signed request until it is answered, acked or refused, and never a forged one', async () => {
    const counter = ackCounter();
    const seen: string[] = [];
    const url = await serve(counter, seen);
    const body = slackFixtureText('events_app_mention.json');
    const now = Math.floor(Date.now() / 1000);
    const post = (payload: string, headers: Record<string, string>) => fetch(url, { method: 'POST', body: payload, headers: { 'content-type': 'application/json', ...headers } });
    const acked = await post(body, signSlackRequest(body, SIGNING_SECRET, now));
    const forged = await post(body, { ...signSlackRequest(body, SIGNING_SECRET, now), 'x-slack-signature': 'v0=00' });
    const malformed = await post('{"type":"event_callback"}', signSlackRequest('{"type":"event_callback"}', SIGNING_SECRET, now));
    expect([acked.status, forged.status, malformed.status]).toEqual([200, 401, 400]);
    await Promise.all([acked.arrayBuffer(), forged.arrayBuffer(), malformed.arrayBuffer()]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toHaveLength(1); // only the signed, well-formed one reached the receiver
    // a forged request is refused before it counts, so a flood of them cannot hold turns back
    expect(counter.arrived).toBe(2);
    expect(counter.waiting).toBe(0);
  });
});
