import { describe, expect, it } from 'vitest';
import { ClaudeGateway, createAnthropicClient, retryAfterMs, type GatewayOptions } from '../../src/integrations/anthropic.js';
import { PerUserRateLimit, type Counter } from '../../src/integrations/rate-limit.js';
import { ManualClock } from '../../src/sessions/clock.js';
import { captureLogs } from '../support/log-capture.js';
import { hang, overloaded, rateLimited, reading, serverError, TEST_API_KEY, testClient, unauthorized, useFakeClaude } from '../support/claude.js';

const claude = useFakeClaude();
const request = { model: 'claude-sonnet-5-5', max_tokens: 64, messages: [{ role: 'user' as const, content: 'status payments' }] };

/** The logger has no secrets configured, so only the gateway's own care keeps the key out. */
function gateway(options: Partial<GatewayOptions> = {}) {
  const clock = new ManualClock(new Date('2026-03-02T14:00:00Z'));
  const logs = captureLogs([]);
  const subject = new ClaudeGateway({ client: testClient(), clock, log: logs.log, timeoutMs: 2000, maxRetries: 0, ...options });
  return { subject, clock, logs };
}

class MemoryCounter implements Counter {
  readonly counts = new Map<string, number>();
  async increment(key: string): Promise<number> {
    const next = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, next);
    return next;
  }
}

describe('a call to Claude', () => {
  it('records tokens, latency and outcome, and sends the key only in the authorization header', async () => {
    claude().answer(reading('status', { service: 'payments' }));
    const { subject, logs } = gateway();
    const result = await subject.create(request, 'slack:U1');
    expect(result.ok).toBe(true);
    expect(claude().last.headers.authorization).toBe(`Bearer ${TEST_API_KEY}`);
    const stats = subject.stats.snapshot();
    expect(stats.calls).toEqual({ ok: 1 });
    expect(stats.tokens).toEqual({ input: 42, output: 96, cacheRead: 1180, cacheCreation: 0 });
    expect(stats.latencyMs.count).toBe(1);
    const line = JSON.parse(logs.lines.find((entry) => entry.includes('claude call'))!) as { llm: Record<string, unknown> };
    expect(line.llm).toMatchObject({ model: 'claude-sonnet-5-5', outcome: 'ok', attempt: 1, stopReason: 'tool_use', tokens: { cacheRead: 1180 } });
    expect(logs.text()).not.toContain(TEST_API_KEY);
  });

  it('never logs the key, even when Claude rejects it', async () => {
    claude().answer(unauthorized());
    const { subject, logs } = gateway();
    const result = await subject.create(request, 'slack:U1');
    expect(result).toEqual({ ok: false, failure: 'auth' });
    expect(logs.text()).toContain('invalid x-api-key');
    expect(logs.text()).not.toContain(TEST_API_KEY);
  });

  it('retries a 5xx once, and only once', async () => {
    claude().answer(serverError(), reading('status'));
    const { subject } = gateway({ maxRetries: 1 });
    expect((await subject.create(request, 'u')).ok).toBe(true);
    expect(claude().requests).toHaveLength(2);

    claude().answer(overloaded(), serverError());
    expect(await subject.create(request, 'u')).toEqual({ ok: false, failure: 'server_error' });
    expect(claude().requests).toHaveLength(4);
    expect(subject.stats.snapshot().calls).toEqual({ ok: 1, server_error: 3 });
  });

  it('gives up at the timeout and does not retry it', async () => {
    claude().answer(hang(3000));
    const { subject } = gateway({ timeoutMs: 100, maxRetries: 1 });
    expect(await subject.create(request, 'u')).toEqual({ ok: false, failure: 'timeout' });
    expect(claude().requests).toHaveLength(1);
  });
});

describe('a 429 with retry-after', () => {
  it('is not retried, and no call goes out until retry-after has passed', async () => {
    claude().answer(rateLimited(30));
    const { subject, clock, logs } = gateway({ maxRetries: 1 });
    expect(await subject.create(request, 'u')).toEqual({ ok: false, failure: 'rate_limited_upstream' });
    expect(claude().requests).toHaveLength(1);
    expect(await subject.create(request, 'u')).toEqual({ ok: false, failure: 'skipped_circuit_open' });
    expect(logs.text()).toContain('Claude skipped for 30 s');
    clock.advance(30_000);
    claude().answer(reading('status'));
    expect((await subject.create(request, 'u')).ok).toBe(true);
  });
});

describe('the circuit breaker', () => {
  it('skips Claude for 60 s after 5 consecutive failures, says so in the log, and closes on the next success', async () => {
    claude().answer(...Array.from({ length: 5 }, serverError));
    const { subject, clock, logs } = gateway();
    for (let i = 0; i < 5; i += 1) expect((await subject.create(request, 'u')).ok).toBe(false);
    expect(logs.text()).toContain('Claude skipped for 60 s: 5 consecutive failures');
    expect(await subject.create(request, 'u')).toEqual({ ok: false, failure: 'skipped_circuit_open' });
    clock.advance(59_000);
    expect(await subject.create(request, 'u')).toEqual({ ok: false, failure: 'skipped_circuit_open' });
    expect(claude().requests).toHaveLength(5);

    clock.advance(1_000);
    claude().answer(reading('status'));
    expect((await subject.create(request, 'u')).ok).toBe(true);
    expect(logs.text()).toContain('circuit closed');
    expect(subject.stats.snapshot().calls).toEqual({ server_error: 5, skipped_circuit_open: 2, ok: 1 });
  });

  it('opens again at once when the trial call after the pause fails', async () => {
    claude().answer(...Array.from({ length: 6 }, serverError));
    const { subject, clock } = gateway();
    for (let i = 0; i < 5; i += 1) await subject.create(request, 'u');
    clock.advance(60_000);
    expect(await subject.create(request, 'u')).toEqual({ ok: false, failure: 'server_error' });
    expect(await subject.create(request, 'u')).toEqual({ ok: false, failure: 'skipped_circuit_open' });
  });

  it('lets a user past their rate limit neither take nor hold the trial call after the pause', async () => {
    claude().answer(...Array.from({ length: 5 }, serverError));
    const counter = new MemoryCounter();
    const clock = new ManualClock(new Date('2026-03-02T14:00:00Z'));
    // a 10 s cool-down, so the trial comes within the minute U1 used up
    const { subject } = gateway({ clock, limiter: new PerUserRateLimit(counter, 5, clock), breaker: { failureThreshold: 5, cooldownMs: 10_000 } });
    for (let i = 0; i < 5; i += 1) await subject.create(request, 'slack:U1');
    clock.advance(10_000);
    expect(await subject.create(request, 'slack:U1')).toEqual({ ok: false, failure: 'skipped_user_rate_limit' });
    claude().answer(reading('status'));
    expect((await subject.create(request, 'slack:U2')).ok).toBe(true);
  });

  it('does not count a success in between', async () => {
    claude().answer(serverError(), serverError(), serverError(), serverError(), reading('status'), serverError());
    const { subject } = gateway();
    for (let i = 0; i < 6; i += 1) await subject.create(request, 'u');
    claude().answer(reading('status'));
    expect((await subject.create(request, 'u')).ok).toBe(true);
  });
});

describe('the per-user rate limit', () => {
  it('skips Claude for a user past the limit in this minute, not for others, and resets next minute', async () => {
    const counter = new MemoryCounter();
    const clock = new ManualClock(new Date('2026-03-02T14:00:10Z'));
    const { subject } = gateway({ clock, limiter: new PerUserRateLimit(counter, 2, clock) });
    claude().answer(reading('status'), reading('status'), reading('status'), reading('status'));
    expect((await subject.create(request, 'slack:U1')).ok).toBe(true);
    expect((await subject.create(request, 'slack:U1')).ok).toBe(true);
    expect(await subject.create(request, 'slack:U1')).toEqual({ ok: false, failure: 'skipped_user_rate_limit' });
    expect((await subject.create(request, 'slack:U2')).ok).toBe(true);
    clock.advance(50_000);
    expect((await subject.create(request, 'slack:U1')).ok).toBe(true);
    expect(claude().requests).toHaveLength(4);
  });

  it('skips Claude, rather than failing the turn, when the counter cannot be reached', async () => {
    const broken: Counter = { increment: async () => Promise.reject(new Error('store down')) };
    const clock = new ManualClock();
    const { subject } = gateway({ clock, limiter: new PerUserRateLimit(broken, 2, clock) });
    expect(await subject.create(request, 'u')).toEqual({ ok: false, failure: 'skipped_rate_limit_unavailable' });
  });
});

describe('retry-after', () => {
  const now = new Date('2026-03-02T14:00:00Z');
  it('reads milliseconds, seconds or an HTTP date', () => {
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '1500' }), now)).toBe(1500);
    expect(retryAfterMs(new Headers({ 'retry-after': '20' }), now)).toBe(20_000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Mon, 02 Mar 2026 14:00:45 GMT' }), now)).toBe(45_000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(retryAfterMs(new Headers(), now)).toBeUndefined();
  });
});

describe('the SDK client built from the config', () => {
  it('talks to ANTHROPIC_BASE_URL when set, and to the API itself otherwise', () => {
    expect(createAnthropicClient({ apiKey: 'k', baseUrl: 'http://proxy.internal:8080' }).baseURL).toBe('http://proxy.internal:8080');
    expect(createAnthropicClient({ apiKey: 'k', baseUrl: undefined }).baseURL).toBe('https://api.anthropic.com');
    expect(createAnthropicClient({ apiKey: 'k', baseUrl: undefined }).maxRetries).toBe(0);
  });
});
