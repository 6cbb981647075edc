import type { Section } from '../bot/reply.js';
import { defineAction, plan } from './define.js';
import type { ActionContext, RegisteredAction } from './types.js';

/** Environments in which the actor may run the action, or true when it takes none. */
async function allowedScope(action: RegisteredAction, ctx: ActionContext): Promise<string[] | boolean> {
  if (!action.perEnvironment) return ctx.authorizer.can(ctx.actor.role, action.intent);
  const environments = ctx.catalog.environments();
  const allowed: string[] = [];
  for (const environment of environments) {
    if (await ctx.authorizer.can(ctx.actor.role, action.intent, environment)) allowed.push(environment);
  }
  return allowed.length === environments.length ? true : allowed;
}

/** The actions the actor may run, generated from the registry and the policy. */
export async function permittedActions(ctx: ActionContext): Promise<Array<{ action: RegisteredAction; scope: string[] | true }>> {
  const permitted: Array<{ action: RegisteredAction; scope: string[] | true }> = [];
  for (const action of ctx.actions) {
    const scope = await allowedScope(action, ctx);
    if (scope === true || (Array.isArray(scope) && scope.length > 0)) permitted.push({ action, scope });
  }
  return permitted;
}

export const helpAction = defineAction('help', {
  title: 'Help',
  summary: 'what I can do for you',
  usage: 'help [command]',
  examples: ['help', 'help deploy'],
  mutates: false,
  perEnvironment: false,
  environment: () => undefined,
  async plan(slots) {
    return plan({ action: 'help', summary: 'Help', data: { topic: slots.topic ?? null } });
  },
  async execute(planned, ctx) {
    const permitted = await permittedActions(ctx);
    const topic = typeof planned.data.topic === 'string' ? planned.data.topic : undefined;
    const focus = topic ? ctx.actions.find((action) => action.intent === topic) : undefined;
    if (focus) {
      const entry = permitted.find((item) => item.action.intent === focus.intent);
      const scope = entry === undefined ? 'Your role does not allow it.' : entry.scope === true ? 'You may run it.' : `You may run it in: ${entry.scope.join(', ')}.`;
      return {
        text: `*${focus.title}*: ${focus.summary}.`,
        fields: [{ label: 'Usage', value: `/aiops ${focus.usage}` }],
        sections: [{ title: 'Examples', lines: focus.examples }],
        context: [scope],
      };
    }
    const sections: Section[] = [
      {
        title: `What you can do (role ${ctx.actor.role})`,
        lines: permitted.map(({ action, scope }) => `\`${action.usage}\`: ${action.summary}${scope === true ? '' : ` (${scope.join(', ')})`}`),
      },
    ];
    return {
      text: 'Ask me in plain words or with `/aiops <command>`. Risky changes show a plan and wait for approval.',
      sections,
      context: ['Say `help <command>` for examples.'],
    };
  },
});
