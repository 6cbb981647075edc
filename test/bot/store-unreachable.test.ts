import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../src/sessions/embedded.js';
import { openStore } from '../../src/sessions/store.js';
import { isStoreUnavailable } from '../../src/sessions/unavailable.js';
import { TestBot } from '../support/bot.js';

const OUTAGE = /^I can't reach my database right now, so I did nothing \(ref c-[a-z0-9]+\)\. Try again in a few minutes/;

let server: EmbeddedDynamo | undefined;
let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.close();
  await server?.close();
  bot = undefined;
  server = undefined;
});

describe('a turn when the store refuses connections', () => {
  it('is answered with what is wrong, not "something went wrong", and the engine carries on', async () => {
    server = await startEmbeddedDynamo();
    bot = await TestBot.start({ endpoint: server.endpoint, prefix: 'outage_' });
    expect((await bot.as('alice').say('whoami')).text).toContain('You are');

    // the endpoint now refuses every connection: the dedup claim, the first store call of a turn, fails
    await server.close();
    const first = await bot.as('alice').say('deploy payments v1.2 to prod');
    expect(first.summary.outcome).toBe('error');
    expect(first.replies).toHaveLength(1);
    expect(first.last.text).toMatch(OUTAGE);
    expect(first.last.tone).toBe('error');
    expect(first.text).not.toMatch(/something went wrong/i);

    // the process is fine: the next turn is handled the same way rather than thrown
    const second = await bot.as('bob').click({ label: 'Approve', choice: 'approve', style: 'primary', target: '4f7c2d1e-9b3a-4c5d-8e6f-0a1b2c3d4e5f' });
    expect(second.last.text).toMatch(OUTAGE);
    expect(bot.logs.text()).toContain('turn failed: the store is unreachable');
    expect(bot.logs.text()).toContain('ECONNREFUSED');
  });
});

describe('a store that accepts connections and never answers', () => {
  let silent: Server | undefined;
  const sockets = new Set<Socket>();
  afterEach(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent?.close(resolve));
  });

  it('times out instead of holding the turn forever, and reads as unavailable', async () => {
    silent = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent!.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const store = await openStore({ endpoint, tablePrefix: 'silent_', requestTimeoutMs: 100, maxAttempts: 2 });
    const failure = await store.keys.claim('event:x', 60).then(
      () => undefined,
      (error: unknown) => error,
    );
    await store.close();
    expect(failure).toMatchObject({ name: 'TimeoutError' });
    expect(isStoreUnavailable(failure)).toBe(true);
  });
});
