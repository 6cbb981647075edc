import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestBot } from '../support/bot.js';
import { reading, serverError, TEST_API_KEY, useFakeClaude } from '../support/claude.js';
import { useEmbeddedStore } from '../support/embedded-store.js';
import { startLlmBot } from '../support/llm-bot.js';

const store = useEmbeddedStore();
const claude = useFakeClaude();
let bot: TestBot;

beforeEach(async () => {
  bot = await startLlmBot(store);
});
afterEach(async () => bot.close());

describe('free text read by Claude', () => {
  it('goes through the same plan and approval as a command, and the audit names Claude', async () => {
    claude().answer(reading('deploy', { service: 'payments', version: 'v1.2', environment: 'prod' }, 0.95));
    const turn = await bot.as('alice').say('could we get the new payments build (v1.2) out to the customers today');
    expect(turn.summary).toMatchObject({ intent: 'deploy', outcome: 'approval', recognizer: 'llm' });
    expect(turn.last.text).toBe('*Deploy payments v1.2 to prod*');
    const [request] = (await bot.app.store.audit.recent(10)).filter((entry) => entry.event === 'request');
    expect(request?.detail).toContain('recognised by llm');
  });

  it('names a service Claude proposed that the catalog does not have', async () => {
    claude().answer(reading('status', { service: 'paymnts' }, 0.9));
    const turn = await bot.as('alice').say('anything odd with paymnts today');
    expect(turn.last.text).toContain("I don't know a service called *paymnts*");
  });

  it('falls back to the grammar when Claude fails, and the turn still gets an answer', async () => {
    claude().answer(serverError());
    const turn = await bot.as('alice').say('could you check on payments for me');
    expect(turn.summary.recognizer).toBe('grammar');
    expect(turn.posted).toHaveLength(1);
    expect(bot.logs.text()).toContain('"llmFallback":"server_error"');
    expect(bot.app.llm?.stats().fallbacks).toEqual({ server_error: 1 });
  });

  it('is not asked for a follow-up, which the grammar reads from the thread', async () => {
    await bot.as('alice').say('deploy payments v1.2 to staging');
    const followUp = await bot.as('alice').say('now prod');
    expect(followUp.last.text).toBe('*Deploy payments v1.2 to prod*');
    expect(claude().requests).toHaveLength(0);
  });

  it('gets the thread as context, and a clarification works as without Claude', async () => {
    claude().answer(reading('deploy', { service: 'orders', version: 'v3' }, 0.9));
    const ask = await bot.as('alice').say('can u push orders v3 out');
    expect(ask.last.text).toBe('Which environment should I deploy to: dev, staging or prod?');
    const answer = await bot.as('alice').say('staging');
    expect(answer.last.text).toBe('*Deploy orders v3 to staging*');
    expect(claude().requests).toHaveLength(1);
  });

  it('is not called past the per-user rate limit; the grammar answers instead', async () => {
    await bot.close();
    bot = await startLlmBot(store, { AIOPS_LLM_RATE_PER_MIN: '1' });
    claude().answer(reading('status', { service: 'payments' }, 0.9));
    await bot.as('alice').say('tell me about payments');
    const second = await bot.as('alice').say('tell me about orders');
    expect(second.summary.recognizer).toBe('grammar');
    expect(bot.app.llm?.stats().calls).toMatchObject({ ok: 1, skipped_user_rate_limit: 1 });
    bot.clock.advance(60_000);
    claude().answer(reading('status', { service: 'orders' }, 0.9));
    expect((await bot.as('alice').say('tell me about orders')).summary.recognizer).toBe('llm');
  });

  it('never shows the API key in chat', async () => {
    claude().answer(reading('unknown', {}, 0.9));
    const turn = await bot.as('alice').say(`what is ${'ANTHROPIC_API_KEY'}?`);
    expect(JSON.stringify(turn.replies)).not.toContain(TEST_API_KEY);
    expect(bot.logs.text()).not.toContain(TEST_API_KEY);
  });
});

describe('a reading below AIOPS_LLM_MIN_CONFIDENCE', () => {
  const unsure = () => reading('deploy', { service: 'orders', version: 'v2.0', environment: 'staging' }, 0.41);

  it('is confirmed first: Yes/No buttons that carry only an id, and nothing happens yet', async () => {
    claude().answer(unsure());
    const turn = await bot.as('alice').say('orders in staging has been weird since lunch, maybe try v2.0 there?');
    expect(turn.summary.outcome).toBe('confirm');
    expect(turn.last.text).toBe('Did you mean: *deploy orders v2.0 staging*?');
    expect(turn.last.fields).toEqual([
      { label: 'Service', value: 'orders' },
      { label: 'Version', value: 'v2.0' },
      { label: 'Environment', value: 'staging' },
    ]);
    expect(turn.last.context?.[0]).toContain('41%');
    const yes = turn.button('Yes');
    expect(yes.target).toMatch(/^cf-[0-9a-f-]{36}$/);
    expect(turn.button('No').target).toBe(yes.target);
    expect(await bot.app.store.approvals.pendingFor('orders')).toHaveLength(0);
  });

  it('goes ahead on Yes, and the question loses its buttons', async () => {
    claude().answer(unsure());
    const ask = await bot.as('alice').say('orders in staging has been weird since lunch, maybe try v2.0 there?');
    const click = await bot.as('alice').click(ask.button('Yes'));
    expect(click.summary).toMatchObject({ intent: 'deploy', outcome: 'approval', recognizer: 'confirmation' });
    expect(click.last.text).toBe('*Deploy orders v2.0 to staging*');
    expect(ask.posted[0]!.current.buttons).toBeUndefined();
    expect(ask.posted[0]!.current.context).toEqual(['Confirmed by alice']);
  });

  it('is dropped on No', async () => {
    claude().answer(unsure());
    const ask = await bot.as('alice').say('orders in staging has been weird since lunch, maybe try v2.0 there?');
    const click = await bot.as('alice').click(ask.button('No'));
    expect(click.last.text).toBe('OK, forgotten. Nothing was done.');
    expect(ask.posted[0]!.current.context?.at(-1)).toBe('Cancelled by alice');
    expect(await bot.app.store.approvals.pendingFor('orders')).toHaveLength(0);
  });

  it('can be answered with a plain "yes" or "no" in the thread', async () => {
    claude().answer(unsure(), unsure());
    await bot.as('alice').say('orders in staging has been weird since lunch, maybe try v2.0 there?');
    const yes = await bot.as('alice').say('yes');
    expect(yes.summary.outcome).toBe('approval');
    await bot.as('alice').say('orders in staging has been weird since lunch, maybe try v2.0 there?', { thread: 't2' });
    const no = await bot.as('alice').say('nope', { thread: 't2' });
    expect(no.last.text).toBe('OK, forgotten. Nothing was done.');
  });

  it('can be answered only by the person asked, whoever clicks', async () => {
    claude().answer(unsure(), reading('unknown', {}, 0.95));
    const ask = await bot.as('alice').say('orders in staging has been weird since lunch, maybe try v2.0 there?');
    const other = await bot.as('bob').click(ask.button('Yes'));
    expect(other.summary.outcome).toBe('refused');
    expect(other.last.text).toBe('Only the person I asked can answer that question.');
    const bobSaysYes = await bot.as('bob').say('yes');
    expect(bobSaysYes.last.text).toContain("didn't understand");
    expect((await bot.as('alice').click(ask.button('Yes'))).summary.outcome).toBe('approval');
  });

  it('runs once on a double click', async () => {
    claude().answer(unsure());
    const ask = await bot.as('alice').say('orders in staging has been weird since lunch, maybe try v2.0 there?');
    const clicks = await Promise.all([bot.as('alice').click(ask.button('Yes')), bot.as('alice').click(ask.button('Yes'))]);
    expect(clicks.map((click) => click.summary.outcome).sort()).toEqual(['approval', 'refused']);
    expect(await bot.app.store.approvals.pendingFor('orders')).toHaveLength(1);
  });

  it('is answered only in its own thread: the id is looked up there, nothing else in the click is used', async () => {
    claude().answer(unsure());
    const ask = await bot.as('alice').say('orders in staging has been weird since lunch, maybe try v2.0 there?');
    const elsewhere = await bot.as('alice').click(ask.button('Yes'), { thread: 'another' });
    expect(elsewhere.last.text).toContain('no longer open');
    const forged = await bot.as('alice').click({ ...ask.button('Yes'), target: 'cf-00000000-0000-0000-0000-000000000000' });
    expect(forged.last.text).toContain('no longer open');
    expect(await bot.app.store.approvals.pendingFor('orders')).toHaveLength(0);
  });

  it('is ignored rather than asked about when the message was not addressed to the bot', async () => {
    claude().answer(unsure());
    const turn = await bot.as('alice').say('orders in staging has been weird since lunch, maybe try v2.0 there?', { addressed: false });
    expect(turn.summary.outcome).toBe('ignored');
    expect(turn.posted).toHaveLength(0);
  });
});

describe('a confident reading that would change something at once', () => {
  it('is still confirmed before it runs (lock has no approval step)', async () => {
    claude().answer(reading('lock', { service: 'payments', environment: 'prod', reason: 'quarter-end close' }, 0.97));
    const ask = await bot.as('root').say('payments prod should stay frozen through the quarter-end close');
    expect(ask.summary.outcome).toBe('confirm');
    expect(ask.last.text).toBe('Did you mean: *lock payments prod quarter-end close*?');
    expect(await bot.app.store.locks.get('payments', 'prod')).toBeUndefined();
    const yes = await bot.as('root').click(ask.button('Yes'));
    expect(yes.summary.outcome).toBe('executed');
    expect((await bot.app.store.locks.get('payments', 'prod'))?.reason).toBe('quarter-end close');
  });

  it('is confirmed after a clarifying question too', async () => {
    claude().answer(reading('unlock', { service: 'payments' }, 0.95));
    await bot.as('root').say('lock payments prod');
    const ask = await bot.as('root').say('we are done with the payments freeze, open it up again');
    expect(ask.last.text).toBe('Which environment: dev, staging or prod?');
    const answer = await bot.as('root').say('prod');
    expect(answer.summary.outcome).toBe('confirm');
    expect(await bot.app.store.locks.get('payments', 'prod')).toBeDefined();
  });
});
