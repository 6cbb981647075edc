import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import { z } from 'zod';
import { RECOVERY_ACTIONS } from '../intents/schema.js';
import type { IncidentAnalysis, IncidentAnalyst, IncidentContext } from './analyst.js';

/**
 * Claude as the incident analyst: one tool call, whose input becomes the analysis (validated
 * again by `secondOpinion`). It sees what the alert shows, never credentials, and its answer only
 * adds a root cause and a confidence to the runbook's proposal.
 */

/** What the analyst needs of the Claude gateway (src/integrations/anthropic.ts ClaudeGateway.create). */
export interface ClaudeCall {
  create(params: MessageCreateParamsNonStreaming, user: string): Promise<{ ok: true; message: unknown } | { ok: false }>;
}

export const ANALYSIS_TOOL = 'incident_analysis';

const SYSTEM = [
  'You help an on-call engineer with a CloudWatch alarm. You are given what the alert shows: the alarm,',
  'its metric and reason, its history, similar past incidents and what resolved them, the last deployment,',
  'and the recovery the runbook proposes. Give the most likely root cause in one or two sentences, and how',
  'confident you are (0 to 1) that the runbook recovery will bring the alarm back to OK. If you would choose',
  'another recovery, name it in `action`; say `investigate` when no recovery should run before a person looks.',
  `Answer only by calling the ${ANALYSIS_TOOL} tool.`,
].join(' ');

const toolUse = z.object({ type: z.literal('tool_use'), name: z.literal(ANALYSIS_TOOL), input: z.unknown() });
const reply = z.object({ content: z.array(z.unknown()), stop_reason: z.string().nullable().optional() });

export class ClaudeIncidentAnalyst implements IncidentAnalyst {
  constructor(
    private readonly gateway: ClaudeCall,
    private readonly model: string,
    /** per-model tool choice (the recognizer's toolChoiceFor); auto works everywhere */
    private readonly choice: Pick<MessageCreateParamsNonStreaming, 'tool_choice' | 'thinking'> = { tool_choice: { type: 'auto', disable_parallel_tool_use: true } },
  ) {}

  async analyse(context: IncidentContext): Promise<IncidentAnalysis | undefined> {
    const result = await this.gateway.create(this.request(context), 'aiops:alerts');
    if (!result.ok) return undefined;
    const parsed = reply.safeParse(result.message);
    if (!parsed.success) return undefined;
    const call = parsed.data.content.map((block) => toolUse.safeParse(block)).find((block) => block.success);
    // returned as given: secondOpinion validates it against analysisSchema before anything uses it
    return call?.success ? (call.data.input as IncidentAnalysis) : undefined;
  }

  request(context: IncidentContext): MessageCreateParamsNonStreaming {
    return {
      model: this.model,
      max_tokens: 1024,
      system: SYSTEM,
      tools: [
        {
          name: ANALYSIS_TOOL,
          description: 'The root cause and the confidence in the proposed recovery.',
          input_schema: {
            type: 'object',
            properties: {
              rootCause: { type: 'string', description: 'most likely root cause, one or two sentences' },
              confidence: { type: 'number', minimum: 0, maximum: 1, description: 'confidence that the runbook recovery brings the alarm back to OK' },
              action: { type: 'string', enum: [...RECOVERY_ACTIONS, 'investigate'], description: 'only when you would choose a different recovery' },
            },
            required: ['rootCause', 'confidence'],
          },
        },
      ],
      ...this.choice,
      messages: [{ role: 'user', content: JSON.stringify(context, null, 2) }],
    };
  }
}
