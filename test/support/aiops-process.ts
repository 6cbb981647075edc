import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait.js';

const BIN = fileURLToPath(new URL('../../bin/aiops.js', import.meta.url));

export type LogLine = Record<string, unknown> & { msg?: string; level?: number };

/**
 * `aiops start` in a child process, as a container runs it: real signals, real exit codes, and
 * every byte it writes kept (JSON log lines parsed) for the test to read.
 */
export class AiopsProcess {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private partial = '';

  private constructor(private readonly child: ChildProcess) {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (this.partial + chunk).split('\n');
      this.partial = lines.pop() ?? '';
      this.stdout.push(...lines);
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => this.stderr.push(chunk));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Runs `aiops start` with exactly this environment (plus PATH). */
  static launch(env: Record<string, string>): AiopsProcess {
    const child = spawn(process.execPath, [BIN, 'start'], {
      env: { PATH: process.env.PATH ?? '', NODE_NO_WARNINGS: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new AiopsProcess(child);
  }

  /** Launches it and waits until it listens. */
  static async start(env: Record<string, string>): Promise<{ process: AiopsProcess; url: string }> {
    const started = AiopsProcess.launch(env);
    const listening = await Promise.race([
      started.waitForLog('HTTP server listening', 60_000),
      started.exited.then(({ code }) => {
        throw new Error(`aiops exited (${code}) before listening:\n${started.output()}`);
      }),
    ]);
    return { process: started, url: `http://127.0.0.1:${String(listening.port)}` };
  }

  get logs(): LogLine[] {
    return this.stdout.flatMap((line) => {
      try {
        return [JSON.parse(line) as LogLine];
      } catch {
        return [];
      }
    });
  }

  waitForLog(message: string, timeoutMs = 20_000): Promise<LogLine> {
    return waitFor(() => this.logs.find((line) => line.msg === message), `the log line "${message}"`, timeoutMs);
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Everything it wrote, stdout and stderr (with a partial last line). */
  output(): string {
    return [...this.stdout, this.partial, ...this.stderr].join('\n');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}
