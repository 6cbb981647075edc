import { INTENT_NAMES, type IntentName } from '../intents/schema.js';
import type { RegisteredAction } from './types.js';

export class RegistryError extends Error {}

/**
 * The one table of actions. It feeds the grammar's verbs (by intent name), help, the LLM tool
 * schema and the policy's object names, and refuses to start with a gap or a collision.
 */
export class ActionRegistry {
  private readonly byIntent = new Map<IntentName, RegisteredAction>();

  constructor(actions: readonly RegisteredAction[]) {
    for (const action of actions) {
      if (this.byIntent.has(action.intent)) throw new RegistryError(`two actions handle the intent "${action.intent}"`);
      this.byIntent.set(action.intent, action);
    }
    const missing = INTENT_NAMES.filter((intent) => intent !== 'unknown' && !this.byIntent.has(intent));
    if (missing.length > 0) throw new RegistryError(`no action handles: ${missing.join(', ')}`);
  }

  get(intent: IntentName): RegisteredAction | undefined {
    return this.byIntent.get(intent);
  }

  all(): RegisteredAction[] {
    return [...this.byIntent.values()];
  }

  names(): string[] {
    return [...this.byIntent.keys()];
  }
}
