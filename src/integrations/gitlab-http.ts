import type { FormattedResponse, RequestHandlerFn, ResponseBodyTypes } from '@gitbeaker/requester-utils';
import type { Logger } from '../log.js';
import type { CircuitBreaker } from './circuit.js';
import { circuitOpenError, httpError, networkError, timeoutError } from './gitlab-errors.js';

export type Sleep = (ms: number) => Promise<void>;

export interface RetryPolicy {
  /** per attempt */
  timeoutMs: number;
  /** attempts in all, the first included */
  maxAttempts: number;
  /** first backoff step; doubles per attempt, with full jitter */
  baseDelayMs: number;
  /** longest single wait; a Retry-After beyond it is not waited for */
  maxDelayMs: number;
}

export interface HttpDeps {
  policy: RetryPolicy;
  circuit: CircuitBreaker;
  sleep: Sleep;
  random: () => number;
  now: () => number;
  log: Logger;
}

/** What gitbeaker's requester hands a request handler (RequestOptions, after its options handler). */
interface HandlerOptions {
  headers?: Record<string, string>;
  method?: string;
  searchParams?: string;
  prefixUrl?: string;
  body?: string | FormData;
  signal?: AbortSignal;
}

const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const defaultHttp = { sleep: realSleep, random: Math.random, now: Date.now };

/** Seconds or an HTTP date, as GitLab (and proxies in front of it) send it. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

async function readBody(response: Response): Promise<ResponseBodyTypes> {
  if (response.status === 204) return null;
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
  const text = await response.text();
  if (type === 'application/json') {
    try {
      return text ? (JSON.parse(text) as ResponseBodyTypes) : {};
    } catch {
      return text;
    }
  }
  return text;
}

/** undici puts the system error code on `cause` ("fetch failed" is all the message says). */
function errorCode(error: unknown): string {
  const codeOf = (value: unknown): string | undefined =>
    value && typeof value === 'object' && typeof (value as { code?: unknown }).code === 'string' ? (value as { code: string }).code : undefined;
  const cause = error && typeof error === 'object' ? (error as { cause?: unknown }).cause : undefined;
  return codeOf(cause) ?? codeOf(error) ?? (error instanceof Error ? error.name : 'error');
}

/**
 * gitbeaker's request handler, replaced so that retries are ours: bounded attempts, backoff with
 * full jitter, Retry-After honoured up to a limit, a per-attempt timeout and a circuit breaker.
 * A POST is retried only when GitLab cannot have acted on it (429, 503, connection refused), so
 * a flaky network never starts a deployment twice.
 */
export function createRequestHandler(deps: HttpDeps): RequestHandlerFn {
  const { policy, circuit, log } = deps;
  return async (endpoint: string, raw?: Record<string, unknown>): Promise<FormattedResponse> => {
    const options = (raw ?? {}) as HandlerOptions;
    const method = (options.method ?? 'GET').toUpperCase();
    const safe = method === 'GET' || method === 'HEAD';
    const base = options.prefixUrl?.endsWith('/') ? options.prefixUrl : `${options.prefixUrl ?? ''}/`;
    const url = new URL(endpoint, base);
    if (options.searchParams) url.search = options.searchParams;
    const path = `${url.pathname.replace(/^.*?\/api\/v4\//, '')}${url.search}`;

    for (let attempt = 1; ; attempt += 1) {
      if (!circuit.tryAcquire()) throw circuitOpenError(Math.max(1, Math.ceil(circuit.remainingMs() / 1000)), circuit.lastProblem);
      const started = deps.now();
      const timeout = AbortSignal.timeout(policy.timeoutMs);
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: options.headers ?? {},
          ...(options.body !== undefined ? { body: options.body } : {}),
          signal: options.signal ? AbortSignal.any([timeout, options.signal]) : timeout,
        });
      } catch (error) {
        const timedOut = timeout.aborted;
        const code = timedOut ? 'timeout' : errorCode(error);
        circuit.failed(timedOut ? 'timeouts' : `network errors (${code})`);
        const retry = attempt < policy.maxAttempts && !circuit.refusing && (safe || code === 'ECONNREFUSED');
        log.warn({ method, path, attempt, problem: code, retry }, 'GitLab call failed');
        if (!retry) throw timedOut ? timeoutError(endpoint, policy.timeoutMs, attempt) : networkError(endpoint, url.host, code, attempt);
        await deps.sleep(backoff(attempt, deps.random, policy));
        continue;
      }

      // the circuit hears the answer before the body is read, so a body that never comes cannot leave a trial in flight
      const status = response.status;
      if (status >= 500) circuit.failed(`${status} answers`);
      else circuit.succeeded();
      let body: Awaited<ReturnType<typeof readBody>>;
      try {
        body = await readBody(response);
      } catch (error) {
        const timedOut = timeout.aborted;
        const code = timedOut ? 'timeout' : errorCode(error);
        circuit.failed(timedOut ? 'timeouts' : `network errors (${code})`);
        log.warn({ method, path, status, attempt, problem: code }, 'GitLab call failed while reading the answer');
        throw timedOut ? timeoutError(endpoint, policy.timeoutMs, attempt) : networkError(endpoint, url.host, code, attempt);
      }
      if (response.ok) {
        log.debug({ method, path, status, ms: deps.now() - started, attempt }, 'GitLab call');
        return { body, headers: Object.fromEntries(response.headers.entries()), status };
      }

      const retryable = status === 429 || status === 503 || (status >= 500 && safe);
      const waitHint = retryAfterMs(response.headers.get('retry-after'), deps.now());
      const retryAfterSeconds = waitHint === undefined ? undefined : Math.ceil(waitHint / 1000);
      const failure = { status, body, endpoint, method, attempts: attempt, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) };
      if (!retryable || attempt >= policy.maxAttempts || circuit.refusing) {
        log.warn({ method, path, status, attempt }, 'GitLab call failed');
        throw httpError(failure);
      }
      const wait = waitHint === undefined ? backoff(attempt, deps.random, policy) : waitHint + deps.random() * policy.baseDelayMs;
      if (wait > policy.maxDelayMs) {
        log.warn({ method, path, status, attempt, retryAfterSeconds }, 'GitLab asked to wait longer than aiops waits; giving up');
        throw httpError(failure);
      }
      log.warn({ method, path, status, attempt, waitMs: Math.round(wait) }, 'GitLab call failed; retrying');
      await deps.sleep(wait);
    }
  };
}

/** Exponential backoff with full jitter: uniformly random up to base * 2^(attempt-1), capped. */
function backoff(attempt: number, random: () => number, policy: RetryPolicy): number {
  return random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}
