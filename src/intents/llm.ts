import type { ClaudeGateway } from '../integrations/anthropic.js';
import type { LlmStatsSnapshot } from '../integrations/llm-stats.js';
import type { Logger } from '../log.js';
import type { GrammarResult } from './grammar.js';
import { buildRequest, systemPrompt, type PromptCatalog } from './llm-prompt.js';
import { readReply } from './llm-reply.js';
import type { Recognition, RecognizeInput, SecondOpinion } from './recognize.js';

export interface ClaudeRecognizerOptions {
  gateway: ClaudeGateway;
  model: string;
  catalog: PromptCatalog;
  log: Logger;
}

/**
 * Claude as the second opinion: one tool, its input validated by the intent schemas. It only
 * proposes an intent and slot values; the engine validates them against the catalog, checks
 * the author's role and decides about approvals afterwards. Any failure returns `{ failed }`
 * and the grammar answers, with the reason counted.
 */
export class ClaudeRecognizer implements SecondOpinion {
  private readonly system: string;

  /** the rate-limited, circuit-broken Claude client, shared with the incident analyst */
  get gateway(): ClaudeGateway {
    return this.options.gateway;
  }

  get model(): string {
    return this.options.model;
  }

  constructor(private readonly options: ClaudeRecognizerOptions) {
    this.system = systemPrompt(options.catalog);
  }

  stats(): LlmStatsSnapshot {
    return this.options.gateway.stats.snapshot();
  }

  async recognize(input: RecognizeInput, _grammar: GrammarResult): Promise<Recognition | { failed: string }> {
    const result = await this.options.gateway.create(buildRequest(this.options.model, this.system, input), input.user);
    if (!result.ok) return this.fallback(result.failure);
    const reading = readReply(result.message);
    if (!reading.ok) return this.fallback(reading.problem, reading.issues);
    return reading.recognition;
  }

  private fallback(reason: string, issues?: string[]): { failed: string } {
    this.options.gateway.stats.recordFallback(reason);
    this.options.log.info({ llmFallback: reason, ...(issues ? { issues } : {}) }, 'Claude gave no usable reading; the grammar answers');
    return { failed: reason };
  }
}
