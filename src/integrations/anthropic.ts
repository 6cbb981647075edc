import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk';
import type { Message, MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import type { Logger } from '../log.js';
import { CircuitBreaker, type CircuitOptions } from './circuit.js';
import { LlmStats, type CallOutcome, type TokenUsage } from './llm-stats.js';
import type { PerUserRateLimit } from './rate-limit.js';

/** The part of the SDK client aiops uses; tests pass a real client pointed at nock. */
export type MessagesClient = Pick<Anthropic, 'messages'>;

export interface AnthropicSettings {
  apiKey: string;
  baseUrl: string | undefined;
}

/**
 * The SDK client. Its own retries are off: the gateway retries at most once, and never after
 * a timeout or a 429, where waiting longer would only keep the person in the chat waiting.
 * A null base URL means the API's own, rather than the SDK reading the environment itself.
 */
export function createAnthropicClient(settings: AnthropicSettings): Anthropic {
  return new Anthropic({ apiKey: settings.apiKey, baseURL: settings.baseUrl ?? null, maxRetries: 0 });
}

export type CallFailure = Exclude<CallOutcome, 'ok'>;
export type CallResult = { ok: true; message: Message; latencyMs: number } | { ok: false; failure: CallFailure };

export interface GatewayOptions {
  client: MessagesClient;
  clock: { now(): Date };
  log: Logger;
  /** per request (per attempt) */
  timeoutMs: number;
  /** retries after a 5xx or a connection failure; 1 in production, 0 in most tests */
  maxRetries?: number;
  /** absent: no per-user limit (the eval) */
  limiter?: PerUserRateLimit;
  breaker?: Pick<CircuitOptions, 'failureThreshold' | 'cooldownMs'>;
  /** milliseconds from an arbitrary origin, for latency */
  monotonic?: () => number;
}

const RETRYABLE = new Set<CallFailure>(['server_error', 'connection']);
const MAX_BACKOFF_MS = 5 * 60_000;
/** After 5 consecutive failed calls, skip Claude for 60 s (then one trial call). */
export const DEFAULT_LLM_CIRCUIT = { failureThreshold: 5, cooldownMs: 60_000 };

/**
 * Every call to Claude goes through here: per-user rate limit, circuit breaker, per-request
 * timeout, at most one retry, and a record of tokens, latency and outcome per call.
 */
export class ClaudeGateway {
  readonly stats = new LlmStats();
  private readonly breaker: CircuitBreaker;
  private readonly monotonic: () => number;

  constructor(private readonly options: GatewayOptions) {
    this.breaker = new CircuitBreaker({
      ...DEFAULT_LLM_CIRCUIT,
      ...options.breaker,
      now: () => options.clock.now().getTime(),
      name: 'Claude',
      log: options.log,
      meanwhile: 'the grammar answers meanwhile',
    });
    this.monotonic = options.monotonic ?? (() => performance.now());
  }

  async create(params: MessageCreateParamsNonStreaming, user: string): Promise<CallResult> {
    const skipped = await this.skip(user);
    if (skipped) {
      this.stats.recordCall(skipped);
      return { ok: false, failure: skipped };
    }
    const attempts = 1 + (this.options.maxRetries ?? 1);
    let outcome: CallFailure = 'unexpected';
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      const started = this.monotonic();
      try {
        const message = await this.options.client.messages.create(params, { timeout: this.options.timeoutMs, maxRetries: 0 });
        const latencyMs = Math.round(this.monotonic() - started);
        const usage = tokenUsage(message);
        this.stats.recordCall('ok', latencyMs, usage);
        this.breaker.succeeded();
        this.options.log.info({ llm: { model: params.model, outcome: 'ok', attempt, latencyMs, stopReason: message.stop_reason, tokens: usage } }, 'claude call');
        return { ok: true, message, latencyMs };
      } catch (error) {
        const latencyMs = Math.round(this.monotonic() - started);
        outcome = classify(error);
        this.stats.recordCall(outcome, latencyMs);
        this.options.log.warn({ llm: { model: params.model, outcome, attempt, latencyMs, ...errorDetail(error) } }, 'claude call failed');
        this.backOff(error, outcome);
        if (!RETRYABLE.has(outcome)) break;
      }
    }
    this.breaker.failed(outcome);
    return { ok: false, failure: outcome };
  }

  private async skip(user: string): Promise<CallFailure | undefined> {
    if (this.breaker.refusing) return 'skipped_circuit_open';
    if (this.options.limiter) {
      const limited = await this.limited(user);
      if (limited) return limited;
    }
    // taken last, so a call the rate limit stops never holds the half-open circuit's one trial
    return this.breaker.tryAcquire() ? undefined : 'skipped_circuit_open';
  }

  private async limited(user: string): Promise<CallFailure | undefined> {
    try {
      if (await this.options.limiter!.allow(user)) return undefined;
      this.options.log.info({ user }, 'LLM rate limit reached for this user; the grammar answers');
      return 'skipped_user_rate_limit';
    } catch (error) {
      this.options.log.warn({ err: error }, 'LLM rate limit could not be checked; skipping Claude for this turn');
      return 'skipped_rate_limit_unavailable';
    }
  }

  /** A 429 says how long to stay away: no call goes out before then, on this replica. */
  private backOff(error: unknown, outcome: CallFailure): void {
    if (outcome !== 'rate_limited_upstream' || !(error instanceof APIError)) return;
    const wait = retryAfterMs(error.headers, this.options.clock.now());
    if (wait !== undefined) this.breaker.pause(Math.min(wait, MAX_BACKOFF_MS), 'Claude answered 429 with retry-after');
  }
}

function classify(error: unknown): CallFailure {
  if (error instanceof APIConnectionTimeoutError) return 'timeout';
  if (error instanceof APIConnectionError) return 'connection';
  if (error instanceof APIError && typeof error.status === 'number') {
    if (error.status === 429) return 'rate_limited_upstream';
    if (error.status === 401 || error.status === 403) return 'auth';
    if (error.status === 408) return 'timeout';
    if (error.status >= 500) return 'server_error';
    return 'bad_request';
  }
  return 'unexpected';
}

/** What is safe and useful to log about a failed call: never the request, never headers we sent. */
function errorDetail(error: unknown): Record<string, unknown> {
  if (error instanceof APIError) {
    return { status: error.status, type: error.type, apiMessage: error.apiMessage, requestId: error.requestID };
  }
  return { error: error instanceof Error ? error.name : 'unknown' };
}

export function retryAfterMs(headers: Headers | undefined, now: Date): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds > 0 ? seconds * 1000 : undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now.getTime());
}

function tokenUsage(message: Message): TokenUsage {
  const usage: Partial<Message['usage']> = message.usage ?? {};
  return {
    input: usage.input_tokens ?? 0,
    output: usage.output_tokens ?? 0,
    cacheRead: usage.cache_read_input_tokens ?? 0,
    cacheCreation: usage.cache_creation_input_tokens ?? 0,
  };
}
