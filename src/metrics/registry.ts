import { readFileSync } from 'node:fs';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every metric aiops exposes at GET /metrics, on a registry the app owns (not prom-client's
 * global one), so two apps in one process (tests, the benchmark) never collide. Names follow
 * the Prometheus conventions: `aiops_` prefix, `_total` counters, base units (`_seconds`).
 *
 * Hot paths only increment or observe; anything that has to be counted elsewhere (the LLM
 * counters, queue depths, the circuit) is read when Prometheus scrapes, through `Probes`.
 */

/** Read at scrape time; each returns the current value(s), or nothing when not configured. */
export interface Probes {
  llm?: () => LlmCounters;
  queues: Array<{ queue: string; depth: () => number }>;
  turnsInFlight?: () => number;
  gitlabCircuit?: () => 'closed' | 'open' | 'half-open';
}

export interface LlmCounters {
  calls: Partial<Record<string, number>>;
  fallbacks: Record<string, number>;
  tokens: { input: number; output: number; cacheRead: number; cacheCreation: number };
}

/** Webhook routes whose 401/403 answers are verification failures (bad signature, token or JWT). */
export const VERIFIED_ROUTES: Readonly<Record<string, string>> = {
  '/slack/events': 'slack',
  '/api/messages': 'teams',
  '/webhooks/sns': 'sns',
  '/webhooks/gitlab': 'gitlab',
};

const seconds = (ms: number): number => ms / 1000;
const version = (): string => {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
};

export class Metrics {
  readonly registry = new Registry();
  readonly probes: Probes = { queues: [] };
  private processMetrics = false;

  readonly turns = new Counter({
    name: 'aiops_turns_total',
    help: 'Chat turns handled, by platform, recognised intent and outcome (duplicate, replied, approval, executed, denied, refused, error, ...)',
    labelNames: ['platform', 'intent', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly turnDuration = new Histogram({
    name: 'aiops_turn_duration_seconds',
    help: 'Time from a turn reaching the engine to its last reply',
    labelNames: ['platform'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly recognition = new Histogram({
    name: 'aiops_recognition_duration_seconds',
    help: 'Time to recognise the intent of a message, by the recogniser whose answer was used (grammar, llm, follow-up, clarification)',
    labelNames: ['recognizer'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly approvals = new Counter({
    name: 'aiops_approvals_total',
    help: 'Approval events by action and decision: requested, approved, rejected, expired, refused (a click the policy did not allow)',
    labelNames: ['action', 'decision'] as const,
    registers: [this.registry],
  });

  readonly actions = new Histogram({
    name: 'aiops_action_duration_seconds',
    help: 'Action executions by action and outcome (ok, failed: the action said why, error: unexpected); _count counts them',
    labelNames: ['action', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  readonly httpRequests = new Counter({
    name: 'aiops_http_requests_total',
    help: 'HTTP requests by route (the route table entry, or "unmatched") and status code',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });

  readonly verificationFailures = new Counter({
    name: 'aiops_webhook_verification_failures_total',
    help: 'Webhook requests refused as not authentic (401/403): Slack signature, Teams JWT, SNS signature or topic, GitLab token',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  constructor() {
    const probes = this.probes;
    new Gauge({
      name: 'aiops_build_info',
      help: 'Always 1; the labels say which aiops and Node.js are running',
      labelNames: ['version', 'node'] as const,
      registers: [this.registry],
    }).set({ version: version(), node: process.versions.node }, 1);
    for (const source of Object.values(VERIFIED_ROUTES)) this.verificationFailures.inc({ source }, 0);

    // the LLM keeps its own counters (src/integrations/llm-stats.ts): mirror them at scrape time
    const mirror = (name: string, help: string, label: string, read: (stats: LlmCounters) => Array<[string, number]>): void => {
      new Counter({
        name,
        help,
        labelNames: [label],
        registers: [this.registry],
        collect() {
          this.reset();
          const stats = probes.llm?.();
          if (stats) for (const [value, count] of read(stats)) this.inc({ [label]: value }, count);
        },
      });
    };
    mirror('aiops_llm_calls_total', 'Calls to Claude by outcome (ok, timeout, server_error, skipped_user_rate_limit, ...)', 'outcome', (stats) =>
      Object.entries(stats.calls).map(([outcome, count]) => [outcome, count ?? 0]),
    );
    mirror('aiops_llm_fallbacks_total', 'Turns where Claude was asked but the grammar answered, by reason', 'reason', (stats) => Object.entries(stats.fallbacks));
    mirror('aiops_llm_tokens_total', 'Claude tokens by kind: input, output, cache_read, cache_creation', 'kind', ({ tokens }) => [
      ['input', tokens.input],
      ['output', tokens.output],
      ['cache_read', tokens.cacheRead],
      ['cache_creation', tokens.cacheCreation],
    ]);

    new Gauge({
      name: 'aiops_queue_depth',
      help: 'Work waiting or running in each queue: turns (shared by the adapters), and the outbound message queues of slack and teams',
      labelNames: ['queue'] as const,
      registers: [this.registry],
      collect() {
        for (const { queue, depth } of probes.queues) this.set({ queue }, depth());
      },
    });
    new Gauge({
      name: 'aiops_turns_in_flight',
      help: 'Turns the engine is working on right now',
      registers: [this.registry],
      collect() {
        this.set(probes.turnsInFlight?.() ?? 0);
      },
    });
    new Gauge({
      name: 'aiops_gitlab_circuit_state',
      help: 'The GitLab circuit breaker: 1 for its current state (closed, open, half_open), 0 for the others; absent without GitLab',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        const state = probes.gitlabCircuit?.();
        if (!state) return;
        for (const candidate of ['closed', 'open', 'half-open'] as const) this.set({ state: candidate.replace('-', '_') }, candidate === state ? 1 : 0);
      },
    });
  }

  /** Node.js and process metrics (CPU, memory, event loop lag, GC, handles); once, for the real process. */
  enableProcessMetrics(): void {
    if (this.processMetrics) return;
    this.processMetrics = true;
    collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  observeAction(action: string, outcome: 'ok' | 'failed' | 'error', durationMs: number): void {
    this.actions.observe({ action, outcome }, seconds(durationMs));
  }

  observeHttp(route: string, status: number): void {
    this.httpRequests.inc({ route, status: String(status) });
    const source = VERIFIED_ROUTES[route];
    if (source && (status === 401 || status === 403)) this.verificationFailures.inc({ source });
  }
}
