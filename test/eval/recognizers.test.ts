import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli.js';
import { CLAUDE_URL, reading, serverError, TEST_API_KEY, textOnly, useFakeClaude } from '../support/claude.js';

const claude = useFakeClaude();
const env = { ANTHROPIC_API_KEY: TEST_API_KEY, ANTHROPIC_BASE_URL: CLAUDE_URL };
let file: string;
let stdout: string[];
let stderr: string[];

beforeEach(() => {
  file = join(mkdtempSync(join(tmpdir(), 'aiops-eval-')), 'set.jsonl');
  writeFileSync(
    file,
    [
      { text: 'deploy payments v1.2 to prod', intent: 'deploy', slots: { service: 'payments', version: 'v1.2', environment: 'prod' } },
      { text: 'could you check on orders for me', intent: 'status', slots: { service: 'orders' } },
      { text: 'thanks, that was quick', intent: 'unknown' },
    ]
      .map((line) => JSON.stringify(line))
      .join('\n'),
  );
  stdout = [];
  stderr = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => stdout.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => stderr.push(String(chunk)) > 0);
});
afterEach(() => vi.restoreAllMocks());

interface Report {
  summary: { intentAccuracy: number; sources: Record<string, number>; llm?: { calls: Record<string, number>; fallbacks: Record<string, number> } };
  results: Array<{ predicted: { intent: string; source: string } }>;
}
const report = (): Report => JSON.parse(stdout.join('')) as Report;

describe('aiops eval intents --recognizer', () => {
  it('grammar (the default) never calls Claude', async () => {
    expect(await run(['eval', 'intents', '--file', file, '--json'], env)).toBe(0);
    expect(report().summary.sources).toEqual({ grammar: 3 });
    expect(report().summary.llm).toBeUndefined();
  });

  it('llm sends every line to Claude and counts a failure as unknown, with its reason', async () => {
    claude().answer(
      reading('deploy', { service: 'payments', version: 'v1.2', environment: 'prod' }, 0.97),
      reading('status', { service: 'orders' }, 0.9),
      textOnly("You're welcome!"),
    );
    expect(await run(['eval', 'intents', '--file', file, '--json', '--recognizer', 'llm'], env)).toBe(0);
    const { summary, results } = report();
    expect(results.map((row) => row.predicted.source)).toEqual(['llm', 'llm', 'llm-failed:text_instead_of_tool']);
    expect(summary.intentAccuracy).toBe(1);
    expect(summary.llm?.calls).toEqual({ ok: 3 });
    expect(summary.llm?.fallbacks).toEqual({ text_instead_of_tool: 1 });
  });

  it('auto is the production order: the grammar first, Claude for the rest, the grammar again when Claude fails', async () => {
    claude().answer(reading('status', { service: 'orders' }, 0.9), serverError(), serverError());
    expect(await run(['eval', 'intents', '--file', file, '--recognizer', 'auto'], env)).toBe(0);
    const text = stdout.join('');
    expect(text).toContain('intent accuracy: 100.0%');
    expect(text).toContain('claude calls: ok 1, server_error 2');
    expect(text).toContain('claude fallbacks: server_error 1');
    expect(claude().requests).toHaveLength(3);
  });

  it('says which variable to set when Claude is not configured', async () => {
    expect(await run(['eval', 'intents', '--file', file, '--recognizer', 'llm'], {})).toBe(2);
    expect(stderr.join('')).toContain('set ANTHROPIC_API_KEY');
  });

  it('refuses an unknown recognizer', async () => {
    expect(await run(['eval', 'intents', '--file', file, '--recognizer', 'gpt'], env)).toBe(2);
    expect(stderr.join('')).toContain('--recognizer grammar|llm|auto');
  });
});
