import nock from 'nock';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { TOOL_NAME } from '../../src/intents/llm-schema.js';

/**
 * A fake Messages API on nock, answering with bodies shaped like the real API's (ids, usage with
 * cache fields, error envelopes with request ids). Every request body is kept for assertions.
 */

export const CLAUDE_URL = 'http://claude.test';
export const TEST_API_KEY = 'test-key-7f3a9c1e5b2d4086';

export interface CapturedRequest {
  body: Record<string, unknown> & { messages: Array<{ role: string; content: string }> };
  headers: Record<string, string | string[] | undefined>;
}

type Body = Record<string, unknown>;
type Reply = { status: number; body: Body | string; headers?: Record<string, string>; delayMs?: number };

let sequence = 0;
const id = (prefix: string): string => `${prefix}_01${String(++sequence).padStart(22, 'X')}`;

function usage(input = 1180, output = 96): Body {
  return {
    input_tokens: 42,
    output_tokens: output,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: input,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    server_tool_use: null,
    service_tier: 'standard',
    inference_geo: null,
    output_tokens_details: null,
  };
}

function message(content: Body[], stopReason: string, model = 'claude-sonnet-5-5'): Body {
  return { id: id('msg'), type: 'message', role: 'assistant', model, content, stop_reason: stopReason, stop_sequence: null, usage: usage() };
}

/** Claude calls the tool with this input. */
export const toolCall = (input: unknown): Reply => ({
  status: 200,
  body: message([{ type: 'tool_use', id: id('toolu'), name: TOOL_NAME, input }], 'tool_use'),
});

/** The usual answer: an intent, its slots and a confidence. */
export const reading = (intent: string, slots: Record<string, unknown> = {}, confidence = 0.92): Reply =>
  toolCall({ request: { intent, slots }, confidence });

export const textOnly = (text: string): Reply => ({ status: 200, body: message([{ type: 'text', text, citations: null }], 'end_turn') });

export const refusal = (): Reply => ({ status: 200, body: message([], 'refusal') });

/** The tool call was cut off: its input is incomplete. */
export const truncated = (): Reply => ({
  status: 200,
  body: message([{ type: 'tool_use', id: id('toolu'), name: TOOL_NAME, input: { request: { intent: 'deploy' } } }], 'max_tokens'),
});

const apiError = (status: number, type: string, text: string, headers: Record<string, string> = {}): Reply => ({
  status,
  body: { type: 'error', error: { type, message: text }, request_id: id('req') },
  headers: { 'request-id': id('req'), ...headers },
});

export const rateLimited = (retryAfterSeconds: number): Reply =>
  apiError(429, 'rate_limit_error', 'This request would exceed your organization\'s rate limit. Please try again later.', { 'retry-after': String(retryAfterSeconds) });
export const serverError = (): Reply => apiError(500, 'api_error', 'Internal server error');
export const overloaded = (): Reply => apiError(529, 'overloaded_error', 'Overloaded');
export const unauthorized = (): Reply => apiError(401, 'authentication_error', 'invalid x-api-key');
export const badRequest = (text: string): Reply => apiError(400, 'invalid_request_error', text);

/** Answers after `delayMs`: longer than the client's timeout, it is a hang. */
export const hang = (delayMs: number): Reply => ({ ...reading('status', {}), delayMs });

export class FakeClaude {
  readonly requests: CapturedRequest[] = [];

  /** Queue the next answers, in order; each answers one request. */
  answer(...replies: Reply[]): this {
    for (const reply of replies) {
      const scope = nock(CLAUDE_URL).post('/v1/messages');
      const delayed = reply.delayMs ? scope.delay(reply.delayMs) : scope;
      const requests = this.requests;
      delayed.reply(function (_uri, body) {
        requests.push({ body: body as CapturedRequest['body'], headers: this.req.headers });
        return [reply.status, reply.body, { 'content-type': 'application/json', ...reply.headers }];
      });
    }
    return this;
  }

  get last(): CapturedRequest {
    const last = this.requests[this.requests.length - 1];
    if (!last) throw new Error('Claude was not called');
    return last;
  }

  /** The text of the last request's user message. */
  get lastPrompt(): string {
    return this.last.body.messages[0]?.content ?? '';
  }
}

/** An SDK client pointed at the fake, with the SDK's own retries off as everywhere in aiops. */
export const testClient = (): Anthropic => new Anthropic({ apiKey: TEST_API_KEY, baseURL: CLAUDE_URL, maxRetries: 0 });

/** No network but the embedded store on 127.0.0.1; every queued answer must have been used. */
export function useFakeClaude(): () => FakeClaude {
  let fake = new FakeClaude();
  const unexpected: string[] = [];
  const noMatch = (request: { method?: string; path?: string; href?: string }): void => {
    unexpected.push(`${request.method ?? ''} ${request.href ?? request.path ?? ''}`);
  };
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/^127\.0\.0\.1(:\d+)?$/);
    nock.emitter.on('no match', noMatch);
  });
  afterEach(() => {
    const unused = nock.pendingMocks();
    const unanswered = unexpected.splice(0).filter((request) => !request.includes('127.0.0.1'));
    nock.cleanAll();
    fake = new FakeClaude();
    if (unused.length > 0) throw new Error(`queued Claude answers were never requested: ${unused.join(', ')}`);
    if (unanswered.length > 0) throw new Error(`requests nobody expected: ${unanswered.join(', ')}`);
  });
  afterAll(() => {
    nock.emitter.off('no match', noMatch);
    nock.enableNetConnect();
  });
  return () => fake;
}
