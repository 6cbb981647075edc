import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reading, TEST_API_KEY, CLAUDE_URL, useFakeClaude } from '../support/claude.js';
import { useEmbeddedStore } from '../support/embedded-store.js';
import { RunningServer } from '../support/server.js';
import { awsFixture } from '../support/sns.js';
import { click, mention } from '../support/slack-payloads.js';

const store = useEmbeddedStore();
const claude = useFakeClaude();
let server: RunningServer;
let metrics: string;

type Sample = { name: string; labels: Record<string, string>; value: number };

function samples(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not an exposition line: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((pair) => [pair[1]!, pair[2]!]));
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

/** The value of the one sample with this name and these labels (0 when absent, as Prometheus reads it). */
function value(name: string, labels: Record<string, string> = {}): number {
  const found = samples(metrics).filter((sample) => sample.name === name && Object.entries(labels).every(([key, wanted]) => sample.labels[key] === wanted));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value ?? 0;
}

beforeAll(async () => {
  server = await RunningServer.start(store, { ANTHROPIC_API_KEY: TEST_API_KEY, ANTHROPIC_BASE_URL: CLAUDE_URL, AIOPS_SNS_TOPICS: 'arn:aws:sns:us-west-2:123456789012:aiops-alarms' });
  await server.grant('slack:UALICE', 'devops');
  await server.grant('slack:UBOB', 'devops');
});
afterAll(async () => server?.close());

describe('GET /metrics after real traffic', () => {
  it('counts turns, recognisers, Claude, approvals, actions, queues and refused webhooks', async () => {
    const { slack } = server;
    // a status (grammar), a prod deploy (approval), a refused and an accepted click, one message Claude reads
    expect((await server.event(mention('status payments', 'UALICE'))).status).toBe(200);
    await slack.waitForCalls('chat.postMessage', 1);
    await server.event(mention('deploy payments v1.2 to prod', 'UALICE'));
    const [, request] = await slack.waitForCalls('chat.postMessage', 2);
    await server.interaction(click(request!, 'Approve', 'UALICE'));
    await slack.waitForCalls('chat.postMessage', 3);
    await server.interaction(click(request!, 'Approve', 'UBOB'));
    await slack.waitForCalls('chat.postMessage', 4);
    claude().answer(reading('status', { service: 'orders' }, 0.93));
    await server.event(mention('tell me about orders', 'UBOB'));
    await slack.waitForCalls('chat.postMessage', 5);
    await server.idle();

    // not authentic: a Slack body signed with another secret, an SNS message from a topic not configured
    expect((await server.event(mention('status', 'UALICE'), { secret: 'not-the-signing-secret' })).status).toBe(401);
    const foreign = { ...awsFixture<Record<string, string>>('sns_http_notification.json'), TopicArn: 'arn:aws:sns:us-west-2:123456789012:someone-else' };
    expect((await server.request('/webhooks/sns', { method: 'POST', body: JSON.stringify(foreign) })).status).toBe(403);
    expect((await server.request('/no/such/path')).status).toBe(404);

    const response = await server.request('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    metrics = response.text;

    expect(value('aiops_turns_total', { platform: 'slack', intent: 'status', outcome: 'executed' })).toBe(2);
    expect(value('aiops_turns_total', { platform: 'slack', intent: 'deploy', outcome: 'approval' })).toBe(1);
    expect(value('aiops_turns_total', { platform: 'slack', intent: 'deploy', outcome: 'refused' })).toBe(1);
    expect(value('aiops_turns_total', { platform: 'slack', intent: 'deploy', outcome: 'executed' })).toBe(1);
    expect(value('aiops_turn_duration_seconds_count', { platform: 'slack' })).toBe(5);

    expect(value('aiops_recognition_duration_seconds_count', { recognizer: 'grammar' })).toBe(2);
    expect(value('aiops_recognition_duration_seconds_count', { recognizer: 'llm' })).toBe(1);
    expect(value('aiops_recognition_duration_seconds_bucket', { recognizer: 'llm', le: '+Inf' })).toBe(1);

    expect(value('aiops_llm_calls_total', { outcome: 'ok' })).toBe(1);
    expect(value('aiops_llm_tokens_total', { kind: 'input' })).toBe(42);
    expect(value('aiops_llm_tokens_total', { kind: 'output' })).toBe(96);
    expect(value('aiops_llm_tokens_total', { kind: 'cache_read' })).toBe(1180);

    expect(value('aiops_approvals_total', { action: 'deploy', decision: 'requested' })).toBe(1);
    expect(value('aiops_approvals_total', { action: 'deploy', decision: 'refused' })).toBe(1);
    expect(value('aiops_approvals_total', { action: 'deploy', decision: 'approved' })).toBe(1);
    expect(value('aiops_action_duration_seconds_count', { action: 'deploy', outcome: 'ok' })).toBe(1);
    expect(value('aiops_action_duration_seconds_count', { action: 'status', outcome: 'ok' })).toBe(2);
    expect(value('aiops_action_duration_seconds_sum', { action: 'deploy', outcome: 'ok' })).toBeGreaterThan(0);

    expect(value('aiops_webhook_verification_failures_total', { source: 'slack' })).toBe(1);
    expect(value('aiops_webhook_verification_failures_total', { source: 'sns' })).toBe(1);
    expect(samples(metrics).filter((sample) => sample.name === 'aiops_webhook_verification_failures_total').map((sample) => sample.labels.source).sort()).toEqual(['gitlab', 'slack', 'sns', 'teams']);
    expect(value('aiops_http_requests_total', { route: '/slack/events', status: '200' })).toBe(5);
    expect(value('aiops_http_requests_total', { route: 'unmatched', status: '404' })).toBe(1);

    expect(value('aiops_queue_depth', { queue: 'turns' })).toBe(0);
    expect(value('aiops_queue_depth', { queue: 'slack' })).toBe(0);
    expect(value('aiops_turns_in_flight')).toBe(0);
    expect(value('aiops_build_info', { version: '0.1.0' })).toBe(1);
    // the default process metrics, under their usual names
    expect(value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(samples(metrics).some((sample) => sample.name === 'nodejs_eventloop_lag_seconds')).toBe(true);
  });

  it('names every aiops metric by the Prometheus conventions', () => {
    const types = [...metrics.matchAll(/^# TYPE (aiops_\w+) (\w+)$/gm)].map((match) => ({ name: match[1]!, type: match[2]! }));
    expect(types.length).toBeGreaterThanOrEqual(14);
    for (const { name, type } of types) {
      if (type === 'counter') expect(name, name).toMatch(/_total$/);
      if (type === 'histogram') expect(name, name).toMatch(/_seconds$/);
      if (type === 'gauge') expect(name, name).not.toMatch(/_total$|_ms$|_milliseconds$/);
      expect(metrics, name).toMatch(new RegExp(`^# HELP ${name} \\S`, 'm'));
    }
  });
});
