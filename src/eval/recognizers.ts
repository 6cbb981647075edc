import { createRegistry } from '../actions/index.js';
import { EXAMPLE_CATALOG } from '../app.js';
import { loadCatalog } from '../catalog/catalog.js';
import type { Config } from '../config.js';
import type { LlmStatsSnapshot } from '../integrations/llm-stats.js';
import { recognizeGrammar } from '../intents/grammar.js';
import { createClaudeRecognizer, promptCatalog } from '../intents/llm-setup.js';
import { recognize, type RecognizeInput } from '../intents/recognize.js';
import type { Logger } from '../log.js';
import { systemClock } from '../sessions/clock.js';
import type { Prediction } from './intents.js';

export const RECOGNIZERS = ['grammar', 'llm', 'auto'] as const;
export type RecognizerName = (typeof RECOGNIZERS)[number];

export interface EvalRecognizer {
  recognize(text: string): Promise<Prediction>;
  /** Claude's counters after the run: calls, tokens, latency, fallbacks */
  llmStats?: () => LlmStatsSnapshot;
}

export class EvalSetupError extends Error {}

/**
 * What `eval intents --recognizer` scores: the grammar alone, Claude alone (a failure counts as
 * `unknown`, with its reason as the source), or the production order (`auto`). Each line is a
 * new thread; Claude is not rate-limited here.
 */
export const grammarEvalRecognizer = (): EvalRecognizer => ({ recognize: async (text) => ({ ...recognizeGrammar(text), source: 'grammar' }) });

export function claudeEvalRecognizer(name: Exclude<RecognizerName, 'grammar'>, config: Config, log: Logger): EvalRecognizer {
  if (!config.llm) throw new EvalSetupError(`eval --recognizer ${name} calls Claude: set ANTHROPIC_API_KEY (and AIOPS_LLM_MODEL, ANTHROPIC_BASE_URL if you use others)`);
  const catalog = loadCatalog(config.catalogPath ?? EXAMPLE_CATALOG, config.envOrder);
  const claude = createClaudeRecognizer(config.llm, { catalog: promptCatalog(catalog, createRegistry().all()), clock: systemClock, log });
  const input = (text: string): RecognizeInput => ({ text, user: 'eval', session: { pk: 'eval', turns: [], version: 0, expiresAt: 0 } });
  const llmStats = () => claude.stats();
  if (name === 'llm') {
    return {
      llmStats,
      recognize: async (text) => {
        const opinion = await claude.recognize(input(text), recognizeGrammar(text));
        if ('failed' in opinion) return { intent: 'unknown', slots: {}, confidence: 0, source: `llm-failed:${opinion.failed}` };
        return opinion;
      },
    };
  }
  return {
    llmStats,
    recognize: async (text) => {
      const outcome = await recognize(input(text), claude);
      if (outcome.intent === 'cancelled') return { intent: 'unknown', slots: {}, confidence: 0, source: outcome.source };
      return { ...outcome, source: outcome.note ? `${outcome.source} (llm ${outcome.note})` : outcome.source };
    },
  };
}

export function formatLlmStats(stats: LlmStatsSnapshot): string {
  const calls = Object.entries(stats.calls).map(([outcome, count]) => `${outcome} ${count}`).join(', ') || 'none';
  const fallbacks = Object.entries(stats.fallbacks).map(([reason, count]) => `${reason} ${count}`).join(', ') || 'none';
  const mean = stats.latencyMs.count > 0 ? Math.round(stats.latencyMs.sum / stats.latencyMs.count) : 0;
  return [
    '',
    `claude calls: ${calls}`,
    `claude fallbacks: ${fallbacks}`,
    `tokens: input ${stats.tokens.input}, output ${stats.tokens.output}, cache read ${stats.tokens.cacheRead}, cache write ${stats.tokens.cacheCreation}`,
    `latency: mean ${mean} ms, max ${Math.round(stats.latencyMs.max)} ms`,
  ].join('\n');
}
