import type { RegisteredAction } from '../actions/types.js';
import type { Catalog } from '../catalog/catalog.js';
import type { Config } from '../config.js';
import { ClaudeGateway, createAnthropicClient, type MessagesClient } from '../integrations/anthropic.js';
import { PerUserRateLimit, type Counter } from '../integrations/rate-limit.js';
import type { Logger } from '../log.js';
import { ClaudeRecognizer } from './llm.js';
import type { PromptCatalog } from './llm-prompt.js';

export interface ClaudeSetup {
  catalog: PromptCatalog;
  clock: { now(): Date };
  log: Logger;
  /** shared counter for the per-user rate limit; absent: no limit (the eval) */
  counter?: Counter;
  /** an SDK client to use instead of one built from the config (tests: nock, maxRetries 0) */
  client?: MessagesClient;
  maxRetries?: number;
}

export function createClaudeRecognizer(llm: NonNullable<Config['llm']>, setup: ClaudeSetup): ClaudeRecognizer {
  const log = setup.log.child({ component: 'llm' });
  const gateway = new ClaudeGateway({
    client: setup.client ?? createAnthropicClient({ apiKey: llm.apiKey, baseUrl: llm.baseUrl }),
    clock: setup.clock,
    log,
    timeoutMs: llm.timeoutMs,
    ...(setup.maxRetries !== undefined ? { maxRetries: setup.maxRetries } : {}),
    ...(setup.counter ? { limiter: new PerUserRateLimit(setup.counter, llm.ratePerMinute, setup.clock) } : {}),
  });
  return new ClaudeRecognizer({ gateway, model: llm.model, catalog: setup.catalog, log });
}

/** What the prompt lists: the catalog's services and environments, and what each action does. */
export function promptCatalog(catalog: Catalog, actions: readonly RegisteredAction[]): PromptCatalog {
  return {
    services: catalog.services.map((service) => ({ name: service.name, environments: service.environments, description: service.description })),
    environments: catalog.environments(),
    intents: actions.map((action) => ({ intent: action.intent, summary: action.summary, usage: action.usage })),
  };
}
