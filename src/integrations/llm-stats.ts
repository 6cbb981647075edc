/**
 * Counters for every LLM call and every fallback, kept in memory per process. The metrics
 * endpoint reads `snapshot()`; nothing here knows about Prometheus.
 */

/** How one call to the Messages API ended, as far as transport and the API are concerned. */
export type CallOutcome =
  | 'ok'
  | 'timeout'
  | 'rate_limited_upstream'
  | 'server_error'
  | 'connection'
  | 'auth'
  | 'bad_request'
  | 'unexpected'
  | 'skipped_circuit_open'
  | 'skipped_user_rate_limit'
  | 'skipped_rate_limit_unavailable';

export interface TokenUsage {
  input: number;
  output: number;
  cacheRead: number;
  cacheCreation: number;
}

export interface LlmStatsSnapshot {
  calls: Partial<Record<CallOutcome, number>>;
  /** why a turn fell back to the grammar: a call outcome or a response problem (refusal, text, ...) */
  fallbacks: Record<string, number>;
  tokens: TokenUsage;
  latencyMs: { count: number; sum: number; max: number };
}

export class LlmStats {
  private readonly calls: Partial<Record<CallOutcome, number>> = {};
  private readonly fallbacks: Record<string, number> = {};
  private readonly tokens: TokenUsage = { input: 0, output: 0, cacheRead: 0, cacheCreation: 0 };
  private readonly latency = { count: 0, sum: 0, max: 0 };

  recordCall(outcome: CallOutcome, latencyMs?: number, usage?: TokenUsage): void {
    this.calls[outcome] = (this.calls[outcome] ?? 0) + 1;
    if (latencyMs !== undefined) {
      this.latency.count += 1;
      this.latency.sum += latencyMs;
      this.latency.max = Math.max(this.latency.max, latencyMs);
    }
    if (usage) {
      this.tokens.input += usage.input;
      this.tokens.output += usage.output;
      this.tokens.cacheRead += usage.cacheRead;
      this.tokens.cacheCreation += usage.cacheCreation;
    }
  }

  recordFallback(reason: string): void {
    this.fallbacks[reason] = (this.fallbacks[reason] ?? 0) + 1;
  }

  snapshot(): LlmStatsSnapshot {
    return { calls: { ...this.calls }, fallbacks: { ...this.fallbacks }, tokens: { ...this.tokens }, latencyMs: { ...this.latency } };
  }
}
