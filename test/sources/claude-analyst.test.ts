import { describe, expect, it, vi } from 'vitest';
import { secondOpinion, type IncidentContext } from '../../src/sources/analyst.js';
import { ANALYSIS_TOOL, ClaudeIncidentAnalyst, type ClaudeCall } from '../../src/sources/claude-analyst.js';
import { captureLogs } from '../support/log-capture.js';

const context: IncidentContext = {
  alarm: 'payments-cpu-high',
  service: 'payments',
  environment: 'prod',
  metric: 'AWS/ECS CPUUtilization',
  reason: 'Threshold Crossed',
  value: 93.5,
  threshold: 80,
  firedAt: '2026-03-02T13:58:00.000Z',
  history: ['Fired once in the last 7 days.'],
  similar: [],
  runbook: { action: 'scale', confidence: 0.8, rule: 'CPU or memory saturation', why: 'CPUUtilization: adding capacity relieves saturation.' },
};

function gateway(message: unknown, ok = true): ClaudeCall & { sent: unknown[] } {
  const sent: unknown[] = [];
  return { sent, create: async (params) => (sent.push(params), ok ? { ok: true, message } : { ok: false }) };
}

const toolReply = (input: unknown) => ({ content: [{ type: 'text', text: 'Looking at it.' }, { type: 'tool_use', id: 't1', name: ANALYSIS_TOOL, input }], stop_reason: 'tool_use' });

describe('Claude as the incident analyst', () => {
  it('asks with one tool and the alert context, and reads the tool call', async () => {
    const call = gateway(toolReply({ rootCause: 'A nightly batch job saturates the tasks.', confidence: 0.9 }));
    const analyst = new ClaudeIncidentAnalyst(call, 'claude-test');
    expect(await analyst.analyse(context)).toEqual({ rootCause: 'A nightly batch job saturates the tasks.', confidence: 0.9 });
    const request = call.sent[0] as { model: string; tools: Array<{ name: string }>; messages: Array<{ content: string }> };
    expect(request.model).toBe('claude-test');
    expect(request.tools.map((tool) => tool.name)).toEqual([ANALYSIS_TOOL]);
    expect(JSON.parse(request.messages[0]!.content)).toMatchObject({ alarm: 'payments-cpu-high', runbook: { action: 'scale' } });
  });

  it('has no opinion when the call fails or Claude writes text instead', async () => {
    expect(await new ClaudeIncidentAnalyst(gateway(undefined, false), 'm').analyse(context)).toBeUndefined();
    expect(await new ClaudeIncidentAnalyst(gateway({ content: [{ type: 'text', text: 'It is DNS.' }], stop_reason: 'end_turn' }), 'm').analyse(context)).toBeUndefined();
    expect(await new ClaudeIncidentAnalyst(gateway('not a message'), 'm').analyse(context)).toBeUndefined();
  });

  it('has its answer validated before use: an out-of-range confidence is no opinion', async () => {
    const { log, text } = captureLogs();
    const analyst = new ClaudeIncidentAnalyst(gateway(toolReply({ rootCause: 'x', confidence: 3, action: 'reboot-the-world' })), 'm');
    expect(await secondOpinion(analyst, context, log)).toBeUndefined();
    expect(text()).toContain('incident analysis malformed');
  });

  it('gives up on a slow analyst without holding the alert', async () => {
    vi.useFakeTimers();
    try {
      const { log, text } = captureLogs();
      const never = { analyse: () => new Promise<undefined>(() => undefined) };
      const opinion = secondOpinion(never, context, log, 8000);
      await vi.advanceTimersByTimeAsync(8000);
      expect(await opinion).toBeUndefined();
      expect(text()).toContain('incident analysis took too long');
    } finally {
      vi.useRealTimers();
    }
  });
});
