import { z } from 'zod';
import { INTENT_NAMES, intentSchemas, type IntentName } from './schema.js';

/**
 * The one tool Claude is given, derived from schema.ts so the two cannot drift: each intent
 * with its slots (all optional here: a missing slot is asked for by the engine), and a
 * confidence in [0, 1].
 */

export const TOOL_NAME = 'record_request';

/** Permission changes are made only from a command the grammar parsed, never from a model's reading. */
export const GRAMMAR_ONLY_INTENTS: ReadonlySet<IntentName> = new Set<IntentName>(['grant', 'revoke']);
/** Reached only through an approval button (a stored plan), never from what someone writes. */
export const BUTTON_ONLY_INTENTS: ReadonlySet<IntentName> = new Set<IntentName>(['fix']);
export const LLM_INTENTS: readonly IntentName[] = INTENT_NAMES.filter((name) => !GRAMMAR_ONLY_INTENTS.has(name) && !BUTTON_ONLY_INTENTS.has(name));

const variant = (name: IntentName) =>
  z.strictObject({
    intent: z.literal(name),
    slots: z.strictObject(intentSchemas[name].partial().shape),
  });

type Variant = ReturnType<typeof variant>;
const variants = LLM_INTENTS.map(variant) as [Variant, ...Variant[]];

export const toolInputSchema = z.strictObject({
  request: z
    .discriminatedUnion('intent', variants)
    .describe('what the person asks aiops to do: one intent and the slot values they gave (leave out slots they did not give)'),
  confidence: z
    .number()
    .min(0)
    .max(1)
    .describe('probability in [0, 1] that this reading is exactly what they meant, intent and every slot'),
});

export interface ToolReading {
  request: { intent: IntentName; slots: Record<string, string | number | boolean | undefined> };
  confidence: number;
}

export function parseToolInput(input: unknown): { ok: true; reading: ToolReading } | { ok: false; issues: string[] } {
  const parsed = toolInputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.')}: ${issue.message}`) };
  return { ok: true, reading: parsed.data as ToolReading };
}

type InputSchema = { type: 'object'; [key: string]: unknown };
let jsonSchema: InputSchema | undefined;

/** JSON Schema of the tool input, as the Messages API takes it (an object at the top level); byte-stable, so it caches. */
export function toolInputJsonSchema(): InputSchema {
  if (!jsonSchema) {
    const { $schema: _dialect, ...schema } = z.toJSONSchema(toolInputSchema) as Record<string, unknown>;
    jsonSchema = { ...schema, type: 'object' };
  }
  return jsonSchema;
}

/** The parts of a Messages API response the recognizer reads; anything else is ignored. */
export const messageSchema = z.object({
  stop_reason: z.string().nullable(),
  content: z.array(z.looseObject({ type: z.string() })),
});

export const toolUseBlockSchema = z.object({ type: z.literal('tool_use'), name: z.string(), input: z.unknown() });
export const textBlockSchema = z.object({ type: z.literal('text'), text: z.string() });
