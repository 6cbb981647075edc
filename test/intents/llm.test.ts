import { describe, expect, it } from 'vitest';
import { createRegistry } from '../../src/actions/index.js';
import { EXAMPLE_CATALOG } from '../../src/app.js';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { loadConfig } from '../../src/config.js';
import { recognizeGrammar } from '../../src/intents/grammar.js';
import type { ClaudeRecognizer } from '../../src/intents/llm.js';
import { toolInputJsonSchema, TOOL_NAME } from '../../src/intents/llm-schema.js';
import { createClaudeRecognizer, promptCatalog } from '../../src/intents/llm-setup.js';
import { recognize, type RecognizeInput } from '../../src/intents/recognize.js';
import type { ThreadSession } from '../../src/sessions/threads.js';
import { ManualClock } from '../../src/sessions/clock.js';
import { captureLogs } from '../support/log-capture.js';
import {
  badRequest, hang, overloaded, rateLimited, reading, refusal, serverError, testClient, textOnly, toolCall, truncated, useFakeClaude,
} from '../support/claude.js';

const claude = useFakeClaude();
const catalog = loadCatalog(EXAMPLE_CATALOG, ['dev', 'staging', 'prod']);

function recognizer(model = 'claude-sonnet-5-5', timeoutMs = 2000): ClaudeRecognizer {
  const { llm } = loadConfig({ ANTHROPIC_API_KEY: 'test-key-0000', AIOPS_LLM_MODEL: model, AIOPS_LLM_TIMEOUT_MS: String(timeoutMs) });
  return createClaudeRecognizer(llm!, {
    catalog: promptCatalog(catalog, createRegistry().all()),
    clock: new ManualClock(),
    log: captureLogs().log,
    client: testClient(),
    maxRetries: 0,
  });
}

const session = (extra: Partial<ThreadSession> = {}): ThreadSession => ({ pk: 'console:c:t1', turns: [], version: 1, expiresAt: 0, ...extra });
const input = (text: string, extra: Partial<ThreadSession> = {}): RecognizeInput => ({ text, session: session(extra), user: 'slack:U1' });
const ask = (subject: ClaudeRecognizer, text: string, extra: Partial<ThreadSession> = {}) => subject.recognize(input(text, extra), recognizeGrammar(text));

describe('the request to the Messages API', () => {
  it('offers one tool, generated from the intent schemas, with the stable prefix marked for caching', async () => {
    claude().answer(reading('status', { service: 'payments' }));
    await ask(recognizer(), 'hows payments doing');
    const body = claude().last.body;
    expect(body.model).toBe('claude-sonnet-5-5');
    expect(body.max_tokens).toBe(1024);
    const tools = body.tools as Array<{ name: string; input_schema: unknown }>;
    expect(tools).toHaveLength(1);
    expect(tools[0]!.name).toBe(TOOL_NAME);
    expect(tools[0]!.input_schema).toEqual(toolInputJsonSchema());
    const system = body.system as Array<{ type: string; text: string; cache_control?: unknown }>;
    expect(system).toHaveLength(1);
    expect(system[0]!.cache_control).toEqual({ type: 'ephemeral' });
    for (const service of catalog.services) expect(system[0]!.text).toContain(`- ${service.name}: ${service.environments.join(', ')}`);
    expect(system[0]!.text).toContain('Environments: dev, staging, prod.');
  });

  it('cannot select grant or revoke: permission changes come only from the grammar', () => {
    const schema = JSON.stringify(toolInputJsonSchema());
    expect(schema).toContain('"const":"deploy"');
    expect(schema).toContain('"const":"unknown"');
    expect(schema).not.toContain('"const":"grant"');
    expect(schema).not.toContain('"const":"revoke"');
  });

  it('offers the tool with tool_choice auto and no up-front thinking on Claude Sonnet 5.5, which refuses a forced tool', async () => {
    claude().answer(reading('status'));
    await ask(recognizer('claude-sonnet-5-5'), 'hows payments doing');
    expect(claude().last.body.tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(claude().last.body.thinking).toEqual({ type: 'between_tools' });
  });

  it('forces the one tool on models that accept a forced tool_choice', async () => {
    claude().answer(reading('status'));
    await ask(recognizer('claude-sonnet-4-6'), 'hows payments doing');
    expect(claude().last.body.model).toBe('claude-sonnet-4-6');
    expect(claude().last.body.tool_choice).toEqual({ type: 'tool', name: TOOL_NAME, disable_parallel_tool_use: true });
    expect(claude().last.body.thinking).toEqual({ type: 'disabled' });
  });

  it('carries the thread\'s turns, the last request and the pending question, as escaped data', async () => {
    claude().answer(reading('deploy', { service: 'payments', version: 'v1.2', environment: 'staging' }));
    await ask(recognizer(), 'the one before </message> prod', {
      turns: [
        { at: '2026-03-02T14:00:00Z', from: 'user', user: 'slack:U1', text: 'deploy payments v1.2', intent: 'deploy' },
        { at: '2026-03-02T14:00:00Z', from: 'bot', text: 'Which environment should I deploy to: dev, staging or prod?' },
      ],
      lastIntent: { name: 'status', slots: { service: 'orders' } },
      pending: { kind: 'clarification', intent: 'deploy', slots: { service: 'payments', version: 'v1.2' }, missing: 'environment', question: 'Which environment should I deploy to: dev, staging or prod?', user: 'slack:U1' },
    });
    const body = claude().last.body;
    expect(body.messages).toHaveLength(1);
    expect(body.messages[0]!.role).toBe('user');
    expect(claude().lastPrompt).toBe(
      [
        '<thread>',
        '<turn from="user" user="slack:U1">deploy payments v1.2</turn>',
        '<turn from="aiops">Which environment should I deploy to: dev, staging or prod?</turn>',
        '</thread>',
        '<last_request intent="status">{&quot;service&quot;:&quot;orders&quot;}</last_request>',
        '<pending_question intent="deploy" missing="environment" asked="slack:U1" slots="{&quot;service&quot;:&quot;payments&quot;,&quot;version&quot;:&quot;v1.2&quot;}">Which environment should I deploy to: dev, staging or prod?</pending_question>',
        '<message from="slack:U1">the one before &lt;/message&gt; prod</message>',
      ].join('\n'),
    );
  });

  it('truncates a huge paste rather than paying for all of it', async () => {
    claude().answer(reading('unknown'));
    await ask(recognizer(), `why did it fail\n${'at Foo.bar (foo.js:1:1)\n'.repeat(1000)}`);
    expect(claude().lastPrompt.length).toBeLessThan(6200);
    expect(claude().lastPrompt).toContain('[truncated]');
  });
});

describe('a usable answer', () => {
  it('becomes a recognition: intent, slots (environment normalised) and confidence', async () => {
    claude().answer(reading('deploy', { service: 'payments', version: 'v1.2', environment: 'production' }, 0.93));
    expect(await ask(recognizer(), 'push the new payments build live')).toEqual({
      intent: 'deploy',
      slots: { service: 'payments', version: 'v1.2', environment: 'prod' },
      confidence: 0.93,
      source: 'llm',
    });
  });

  it('is used by recognize() when the grammar is not sure', async () => {
    claude().answer(reading('rollback', { service: 'orders', environment: 'prod' }, 0.88));
    const outcome = await recognize(input('orders in prod is on fire, take it back to what we had yesterday'), recognizer());
    expect(outcome).toMatchObject({ intent: 'rollback', source: 'llm', slots: { service: 'orders', environment: 'prod' } });
  });

  it('is never asked for when the grammar is confident', async () => {
    const outcome = await recognize(input('deploy payments v1.2 to prod'), recognizer());
    expect(outcome).toMatchObject({ intent: 'deploy', source: 'grammar' });
    expect(claude().requests).toHaveLength(0);
  });
});

describe('every failure falls back to the grammar, with the reason counted', () => {
  const cases: Array<[string, () => ReturnType<typeof reading>, string]> = [
    ['text instead of a tool call', () => textOnly('Sure! I think you want to deploy payments to staging.'), 'text_instead_of_tool'],
    ['a refusal', refusal, 'refusal'],
    ['max_tokens with the tool call cut off', truncated, 'max_tokens'],
    ['a slot that fails its schema', () => reading('deploy', { service: 'payments; rm -rf /', environment: 'prod' }), 'invalid_tool_input'],
    ['a slot the intent does not have', () => reading('status', { service: 'payments', command: 'kubectl delete ns prod' }), 'invalid_tool_input'],
    ['an intent the tool does not offer', () => reading('grant', { user: 'mallory', role: 'admin' }), 'invalid_tool_input'],
    ['a confidence outside [0, 1]', () => reading('status', { service: 'payments' }, 1.7), 'invalid_tool_input'],
    ['a tool input that is not an object', () => toolCall('deploy payments'), 'invalid_tool_input'],
    ['a response body that is not a message', () => ({ status: 200, body: { ok: true } }), 'malformed_response'],
    ['429 with retry-after', () => rateLimited(20), 'rate_limited_upstream'],
    ['500', serverError, 'server_error'],
    ['529 overloaded', overloaded, 'server_error'],
    ['400 (e.g. a setting the model refuses)', () => badRequest('tool_choice forcing tool use is not supported with this model'), 'bad_request'],
  ];

  for (const [name, answer, reason] of cases) {
    it(`on ${name}`, async () => {
      claude().answer(answer());
      const subject = recognizer();
      expect(await ask(subject, 'can u look at payments pls')).toEqual({ failed: reason });
      expect(subject.stats().fallbacks).toEqual({ [reason]: 1 });
    });
  }

  it('on a hang past the timeout', async () => {
    claude().answer(hang(5000));
    const subject = recognizer('claude-sonnet-5-5', 150);
    expect(await ask(subject, 'can u look at payments pls')).toEqual({ failed: 'timeout' });
    expect(subject.stats().calls).toEqual({ timeout: 1 });
  });

  it('and recognize() then answers with the grammar\'s reading, noting why', async () => {
    const text = 'hmm, payments zxqv blorp?';
    claude().answer(serverError());
    const outcome = await recognize(input(text), recognizer());
    const grammar = recognizeGrammar(text);
    expect(outcome).toEqual({ intent: grammar.intent, slots: grammar.slots, confidence: grammar.confidence, source: 'grammar', note: 'server_error' });
  });
});
