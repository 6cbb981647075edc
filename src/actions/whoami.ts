import { defineAction, plan } from './define.js';
import { permittedActions } from './help.js';

export const whoamiAction = defineAction('whoami', {
  title: 'Who am I',
  summary: 'your identity and role as aiops sees them',
  usage: 'whoami',
  examples: ['whoami', "what's my role?"],
  mutates: false,
  perEnvironment: false,
  environment: () => undefined,
  async plan() {
    return plan({ action: 'whoami', summary: 'Who am I' });
  },
  async execute(_planned, ctx) {
    const stored = await ctx.store.roles.get(ctx.actor.key);
    const bootstrap = ctx.authorizer.isBootstrapAdmin(ctx.actor.key);
    const permitted = await permittedActions(ctx);
    return {
      text: `You are *${ctx.actor.name}* (\`${ctx.actor.key}\`), role *${ctx.actor.role}*.`,
      fields: [
        {
          label: 'Role from',
          value: bootstrap ? 'AIOPS_ADMINS' : stored ? `granted by ${stored.grantedBy} on ${stored.grantedAt.slice(0, 10)}` : 'default (everyone is a viewer until granted more)',
        },
        { label: 'You may run', value: permitted.map(({ action }) => action.intent).join(', ') },
      ],
    };
  },
});
