import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli.js';
import { evaluateFailures, formatFailureReport, type FailureExample } from '../../src/eval/failures.js';
import { readJsonl } from '../../src/eval/jsonl.js';
import { failureExampleSchema } from '../../src/eval/failures.js';
import { analyzeFailure } from '../../src/remediation/analyze.js';

const examples: FailureExample[] = [
  { id: 'oom', category: 'pb-resource-001', log: 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory' },
  { id: 'disk', category: 'pb-resource-002', log: 'write /var/lib/docker/tmp: no space left on device' },
  { id: 'mislabelled', category: 'pb-test-000', log: "ModuleNotFoundError: No module named 'requests'" },
  { id: 'nothing', category: 'unknown', log: 'ERROR: Job failed: exit code 1' },
];

function writeJsonl(rows: unknown[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'aiops-eval-')), 'logs.jsonl');
  writeFileSync(path, rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
  return path;
}

async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const code = await run(args, {});
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

describe('evaluateFailures', () => {
  const report = evaluateFailures(examples, (log) => analyzeFailure(log));

  it('scores accuracy per category, with precision and a confusion summary', () => {
    expect(report.summary.total).toBe(4);
    expect(report.summary.accuracy).toBe(0.75);
    expect(report.summary.perCategory['pb-test-000']).toMatchObject({ total: 1, correct: 0, accuracy: 0 });
    expect(report.summary.perCategory['pb-dep-001']).toMatchObject({ total: 0, predicted: 1, precision: 0 });
    expect(report.summary.confusion).toEqual({ 'pb-test-000': { 'pb-dep-001': 1 } });
    expect(report.summary.autoFixes).toEqual({ offered: 1, onWrongDiagnosis: 1 });
  });

  it('returns predictions in input order', () => {
    expect(report.results.map((row) => row.id)).toEqual(['oom', 'disk', 'mislabelled', 'nothing']);
    expect(report.results[2]).toMatchObject({ expected: 'pb-test-000', predicted: 'pb-dep-001', correct: false, autoFix: 'add-dependency pypi:requests' });
  });

  it('prints a table and names the misses', () => {
    const text = formatFailureReport(report);
    expect(text).toContain('accuracy: 75.0%');
    expect(text).toContain('pb-test-000 -> pb-dep-001: 1');
    expect(text).toContain('mislabelled: expected pb-test-000, got pb-dep-001');
  });
});

describe('aiops eval failures', () => {
  it('prints the report', async () => {
    const { code, stdout } = await runCli(['eval', 'failures', '--file', writeJsonl(examples)]);
    expect(code).toBe(0);
    expect(stdout).toContain('logs: 4');
  });

  it('--json prints the summary and the results in input order', async () => {
    const { code, stdout } = await runCli(['eval', 'failures', '--file', writeJsonl(examples), '--json']);
    const parsed = JSON.parse(stdout) as { summary: { total: number }; results: Array<{ id: string; expected: string; predicted: string; confidence: number }> };
    expect(code).toBe(0);
    expect(parsed.summary.total).toBe(4);
    expect(parsed.results.map((row) => row.id)).toEqual(['oom', 'disk', 'mislabelled', 'nothing']);
    expect(parsed.results[0]).toMatchObject({ id: 'oom', expected: 'pb-resource-001', predicted: 'pb-resource-001' });
  });

  it('names the file and line of a bad row', async () => {
    const path = writeJsonl([examples[0], { id: 'x', category: 'pb-nope', log: '' }]);
    const { code, stderr } = await runCli(['eval', 'failures', '--file', path]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${path}:2: category`);
  });

  it('without --file prints usage', async () => {
    expect((await runCli(['eval', 'failures'])).code).toBe(2);
  });
});

describe("the project's labelled sets", () => {
  it.each(['test/fixtures/ci-failures.jsonl', 'test/fixtures/ci-failures-holdout.jsonl'])('%s parses and every category has examples', (path) => {
    const rows = readJsonl(path, failureExampleSchema);
    expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
    expect(new Set(rows.map((row) => row.category)).size).toBe(13);
  });
});

describe('the playbooks on the labelled sets (a regression guard; README has the figures)', () => {
  it.each([
    ['test/fixtures/ci-failures.jsonl', 0.95],
    ['test/fixtures/ci-failures-holdout.jsonl', 0.95],
    ['test/fixtures/ci-failures-dev2.jsonl', 0.95],
    ['test/fixtures/ci-failures-dev3.jsonl', 0.95],
    ['test/fixtures/ci-failures-dev4.jsonl', 0.95],
    ['test/fixtures/ci-failures-dev5.jsonl', 0.95],
    ['test/fixtures/ci-failures-blind-holdout.jsonl', 0.9],
  ])('%s stays at or above %s, and never auto-fixes a wrong diagnosis', (path, floor) => {
    const report = evaluateFailures(readJsonl(path, failureExampleSchema), (log) => analyzeFailure(log));
    expect(report.summary.accuracy).toBeGreaterThanOrEqual(floor);
    expect(report.summary.autoFixes.onWrongDiagnosis).toBe(0);
  });
});
