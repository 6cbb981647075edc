import type { Metrics } from '../metrics/registry.js';
import { sendJson, type Route } from './server.js';

/** How long /readyz waits for the store before calling it unready (probes time out at 1-5 s). */
export const STORE_PING_TIMEOUT_MS = 2_000;

/**
 * What /readyz reports besides the store: whether the configured chat adapters have started,
 * and whether the process is shutting down (so a load balancer stops sending work before the
 * listener closes).
 */
export class Readiness {
  private started = false;
  private stopping = false;
  private readonly disconnected = new Map<string, string>();

  constructor(readonly adapters: readonly string[]) {}

  adaptersStarted(): void {
    this.started = true;
  }

  shuttingDown(): void {
    this.stopping = true;
  }

  /**
   * A connection the process holds itself (Slack Socket Mode) went down, or came back (`why`
   * undefined). Reported as degraded, not unready: readiness decides where the load balancer
   * sends HTTP (Teams, webhooks), which a Slack socket does not carry, and a Slack outage must
   * not take every replica out of service.
   */
  connection(adapter: string, why: string | undefined): void {
    if (why) this.disconnected.set(adapter, why);
    else this.disconnected.delete(adapter);
  }

  /** Reasons not to send this process work, besides the store; empty when ready. */
  problems(): string[] {
    if (this.stopping) return ['shutting down'];
    if (!this.started && this.adapters.length > 0) return [`chat adapters not started yet: ${this.adapters.join(', ')}`];
    return [];
  }

  /** What works less well than it should, without making the process unready. */
  degraded(): string[] {
    return [...this.disconnected].map(([adapter, why]) => `${adapter}: ${why}`);
  }
}

async function storeProblem(ping: () => Promise<void>, timeoutMs: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`store: no answer within ${timeoutMs / 1000} s`), timeoutMs);
  });
  try {
    return await Promise.race([
      ping().then(
        () => undefined,
        // the error's name or code only: /readyz is unauthenticated, so no messages or stacks
        (error: unknown) => `store: ${describe(error)}`,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function describe(error: unknown): string {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  return typeof code === 'string' ? code : typeof name === 'string' ? name : 'error';
}

export interface OpsDeps {
  store: { ping(): Promise<void> };
  metrics: Metrics;
  readiness: Readiness;
  pingTimeoutMs?: number;
}

/** GET /healthz (the process answers), /readyz (it can do its work) and /metrics (Prometheus). */
export function opsRoutes(deps: OpsDeps): Route[] {
  return [
    { method: 'GET', path: '/healthz', handler: (_req, res) => sendJson(res, 200, { status: 'ok' }) },
    {
      method: 'GET',
      path: '/readyz',
      handler: async (_req, res) => {
        const problems = deps.readiness.problems();
        // no store round trip while shutting down: the answer is no either way
        const store = problems.length > 0 ? undefined : await storeProblem(() => deps.store.ping(), deps.pingTimeoutMs ?? STORE_PING_TIMEOUT_MS);
        const reasons = store ? [...problems, store] : problems;
        if (reasons.length > 0) return sendJson(res, 503, { status: 'unready', reasons });
        const degraded = deps.readiness.degraded();
        sendJson(res, 200, { status: 'ready', adapters: deps.readiness.adapters, ...(degraded.length > 0 ? { degraded } : {}) });
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      handler: async (_req, res) => {
        const body = await deps.metrics.render();
        res.writeHead(200, { 'content-type': deps.metrics.contentType });
        res.end(body);
      },
    },
  ];
}
