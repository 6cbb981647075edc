import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../../bin/aiops.js');

function aiops(args: string[], env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'aiops-cli-'));
  const result = spawnSync(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', AIOPS_DATA_DIR: dataDir, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the aiops command', () => {
  it('prints the eval as JSON with predictions in input order', () => {
    const result = aiops(['eval', 'intents', '--file', 'test/fixtures/utterances.jsonl', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { summary: { total: number; intentAccuracy: number }; results: Array<{ text: string; predicted: { intent: string } }> };
    expect(report.summary.total).toBe(230);
    expect(report.results[0]?.text).toBe('deploy payments v1.2 to prod');
    expect(report.results[0]?.predicted.intent).toBe('deploy');
  });

  it('prints a readable eval with accuracy per intent', () => {
    const result = aiops(['eval', 'intents', '--file', 'test/fixtures/utterances-dev2.jsonl']);
    expect(result.stdout).toMatch(/intent accuracy: \d+\.\d%/);
    expect(result.stdout).toMatch(/^deploy +\d+/m);
  });

  it('names the line of a malformed eval file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aiops-eval-'));
    const file = join(dir, 'bad.jsonl');
    spawnSync('sh', ['-c', `printf '{"text":"x","intent":"deploy"}\\n{"text": 1}\\n' > ${file}`]);
    const result = aiops(['eval', 'intents', '--file', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file}:2: text`);
  });

  it('creates tables idempotently on the embedded store', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aiops-tables-'));
    const first = aiops(['init-tables'], { AIOPS_DATA_DIR: dataDir });
    const second = aiops(['init-tables'], { AIOPS_DATA_DIR: dataDir });
    expect(first.stdout).toContain('aiops_approvals: created');
    expect(second.stdout).toContain('aiops_approvals: exists');
  });

  it('checks the catalog', () => {
    const result = aiops(['catalog', 'check']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/payments +owner team-payments +environments dev,staging,prod/);
  });

  it('refuses bad configuration naming the variable', () => {
    const result = aiops(['start'], { PORT: 'abc' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('PORT: expected a whole number (got "abc")');
  });

  it('rejects an unknown command with usage', () => {
    const result = aiops(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('usage: aiops <command>');
  });

  it('runs the HTTP server without a terminal, answers /healthz and stops on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aiops-start-'));
    const child = spawn(process.execPath, [BIN, 'start'], {
      env: { PATH: process.env.PATH ?? '', AIOPS_DATA_DIR: dataDir, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /"port":(\d+),"msg":"HTTP server listening"/.exec(out);
        if (match) resolve(Number(match[1]));
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${out}`)));
    });
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
