import { intentSchemas, type IntentName, type Slots } from '../intents/schema.js';
import type { ActionDefinition, Plan, RegisteredAction } from './types.js';

/** Registers an action against its intent's schema, so every slot it sees has been validated. */
export function defineAction<N extends IntentName>(intent: N, definition: Omit<ActionDefinition<Slots<N>>, 'intent'>): RegisteredAction {
  const parse = (slots: Record<string, unknown>): Slots<N> => intentSchemas[intent].parse(slots) as Slots<N>;
  return {
    intent,
    title: definition.title,
    summary: definition.summary,
    usage: definition.usage,
    examples: definition.examples,
    mutates: definition.mutates,
    perEnvironment: definition.perEnvironment,
    environment: (slots) => definition.environment(parse(slots)),
    plan: (slots, ctx) => definition.plan(parse(slots), ctx),
    execute: (plan, ctx) => definition.execute(plan, ctx),
  };
}

/** A plan with the defaults filled in. */
export function plan(fields: Pick<Plan, 'action' | 'summary'> & Partial<Plan>): Plan {
  return { risk: 'low', approval: 'none', steps: [], calls: [], fields: [], warnings: [], data: {}, ...fields };
}
