import { ENVIRONMENT_WORDS } from './grammar/lexicon.js';
import { messageSchema, parseToolInput, textBlockSchema, TOOL_NAME, toolUseBlockSchema } from './llm-schema.js';
import type { Recognition } from './recognize.js';
import type { RawSlots } from './schema.js';

/** Why a response could not be used; counted, logged, and the grammar answers instead. */
export type ReplyProblem =
  | 'malformed_response'
  | 'refusal'
  | 'max_tokens'
  | 'context_window'
  | 'text_instead_of_tool'
  | 'no_tool_call'
  | 'invalid_tool_input';

export type ReplyReading = { ok: true; recognition: Recognition } | { ok: false; problem: ReplyProblem; issues?: string[] };

/**
 * Reads a Messages API response: the one tool call, validated with zod against the schema
 * generated from schema.ts. Anything else (a refusal, text, a truncated or malformed call) is
 * a problem, never a partial answer.
 */
export function readReply(message: unknown): ReplyReading {
  const parsed = messageSchema.safeParse(message);
  if (!parsed.success) return { ok: false, problem: 'malformed_response' };
  const { stop_reason: stopReason, content } = parsed.data;
  if (stopReason === 'refusal') return { ok: false, problem: 'refusal' };
  if (stopReason === 'max_tokens') return { ok: false, problem: 'max_tokens' };
  if (stopReason === 'model_context_window_exceeded') return { ok: false, problem: 'context_window' };
  const call = content
    .map((block) => toolUseBlockSchema.safeParse(block))
    .find((block) => block.success && block.data.name === TOOL_NAME);
  if (!call?.success) {
    const wroteText = content.some((block) => textBlockSchema.safeParse(block).success);
    return { ok: false, problem: wroteText ? 'text_instead_of_tool' : 'no_tool_call' };
  }
  const input = parseToolInput(call.data.input);
  if (!input.ok) return { ok: false, problem: 'invalid_tool_input', issues: input.issues };
  const { request, confidence } = input.reading;
  return { ok: true, recognition: { intent: request.intent, slots: normaliseSlots(request.slots), confidence, source: 'llm' } };
}

/** Environments as the catalog names them ("production" -> prod), like the grammar does. */
function normaliseSlots(slots: Record<string, string | number | boolean | undefined>): RawSlots {
  const result: RawSlots = {};
  for (const [slot, value] of Object.entries(slots)) {
    if (value === undefined) continue;
    result[slot] = slot === 'environment' && typeof value === 'string' ? (ENVIRONMENT_WORDS[value.toLowerCase()] ?? value) : value;
  }
  return result;
}
