import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../../support/wait.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const live = new Set<ChildProcess>();

// a test worker that dies must not leave bots behind
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** One pino line, as the bot writes it to stdout. */
export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/**
 * `node bin/aiops.js start` as a child process: no TTY, so the HTTP server mode, exactly what a
 * container runs. Its stdout is pino JSON, kept line by line so a test can wait for what it logs.
 */
export class BotProcess {
  readonly logs: LogLine[] = [];
  /** stderr and stdout lines that are not JSON: warnings, crashes */
  readonly output: string[] = [];
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private port: number | undefined;
  private readonly exited: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    live.add(child);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        live.delete(child);
        this.exit = { code, signal };
        resolve();
      }),
    );
    lines(child.stdout!, (line) => this.read(line));
    lines(child.stderr!, (line) => this.output.push(line));
  }

  /** Starts the bot and resolves once Slack is served on its HTTP port. */
  static async start(name: string, env: Record<string, string>): Promise<BotProcess> {
    const child = spawn(process.execPath, ['bin/aiops.js', 'start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const bot = new BotProcess(name, child);
    try {
      await waitFor(() => bot.exit ?? bot.logged('Slack ready over HTTP'), `${name} to start`, 60_000);
      if (bot.exit) throw new Error(`${name} exited at start (${JSON.stringify(bot.exit)}):\n${bot.tail()}`);
    } catch (error) {
      await bot.kill();
      throw error;
    }
    return bot;
  }

  get alive(): boolean {
    return this.exit === undefined;
  }

  get url(): string {
    if (this.port === undefined) throw new Error(`${this.name} has not said which port it listens on`);
    return `http://127.0.0.1:${this.port}`;
  }

  logged(msg: string, where: (line: LogLine) => boolean = () => true): LogLine | undefined {
    return this.logs.find((line) => line.msg === msg && where(line));
  }

  waitForLog(msg: string, where: (line: LogLine) => boolean = () => true, timeoutMs = 20_000): Promise<LogLine> {
    return waitFor(() => this.logged(msg, where), `${this.name} to log "${msg}"`, timeoutMs);
  }

  /** The last lines it wrote, for failure messages. */
  tail(count = 30): string {
    return [...this.logs.map((line) => JSON.stringify(line)), ...this.output].slice(-count).join('\n');
  }

  /** SIGKILL: no shutdown code runs, leases and in-flight work are simply abandoned. */
  async kill(): Promise<void> {
    if (this.alive) this.child.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    if (!this.alive) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }

  private read(text: string): void {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      this.output.push(text);
      return;
    }
    this.logs.push(line);
    if (line.msg === 'HTTP server listening' && typeof line.port === 'number') this.port = line.port;
  }
}

function lines(stream: NodeJS.ReadableStream, each: (line: string) => void): void {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    for (const part of parts) if (part.trim()) each(part);
  });
}
