import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BENCH_TOKEN = 'xoxb-bench-0000-token';
export const BENCH_SECRET = 'bench-signing-secret';

const SERVER = fileURLToPath(new URL('./server.ts', import.meta.url));

export interface TargetStats {
  rssMb: number;
  cpuMs: number;
  storeRequests: number;
}

type FromChild = { type: 'ready'; url: string } | ({ type: 'stats' } & TargetStats) | { type: 'error'; message: string };

/** A benchmark target running in a child process (see server.ts). */
export class Target {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static start(kind: 'baseline' | 'aiops', slackApiUrl: string): Promise<Target> {
    const child = fork(SERVER, [kind, slackApiUrl], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    return new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the ${kind} benchmark server exited (${code})`)));
      child.on('message', (message: FromChild) => {
        if (message.type === 'ready') resolve(new Target(child, message.url));
        if (message.type === 'error') reject(new Error(`the ${kind} benchmark server failed: ${message.message}`));
      });
    });
  }

  /** Peak RSS, CPU time used so far and DynamoDB requests made so far, from the child itself. */
  stats(): Promise<TargetStats> {
    return new Promise((resolve) => {
      const listener = (message: FromChild) => {
        if (message.type !== 'stats') return;
        this.child.off('message', listener);
        resolve({ rssMb: message.rssMb, cpuMs: message.cpuMs, storeRequests: message.storeRequests });
      };
      this.child.on('message', listener);
      this.child.send({ type: 'stats' });
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.child.removeAllListeners('exit');
      this.child.once('exit', () => resolve());
      this.child.send({ type: 'stop' });
      setTimeout(() => this.child.kill('SIGKILL'), 15_000).unref();
    });
  }
}
