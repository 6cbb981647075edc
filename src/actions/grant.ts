import { defineAction, plan } from './define.js';
import { resolveUserKey } from './people.js';

export const grantAction = defineAction('grant', {
  title: 'Grant',
  summary: 'give a user a role (viewer, developer, senior_dev, devops, admin)',
  usage: 'grant <user> <role>',
  examples: ['grant @alice devops', 'grant slack:U0123ABC developer'],
  mutates: true,
  perEnvironment: false,
  environment: () => undefined,
  async plan(slots, ctx) {
    const user = resolveUserKey(slots.user, ctx.conversation.platform);
    return plan({ action: 'grant', summary: `Grant ${slots.role} to ${user}`, data: { user, role: slots.role } });
  },
  async execute(planned, ctx) {
    const user = String(planned.data.user);
    const role = String(planned.data.role);
    const previous = await ctx.store.roles.get(user);
    await ctx.store.roles.set(user, role, ctx.actor.name);
    ctx.authorizer.forget(user);
    const note = ctx.authorizer.isBootstrapAdmin(user) ? ['They are also in AIOPS_ADMINS, which makes them admin whatever is stored.'] : [];
    return {
      text: `*${user}* is now *${role}*${previous ? ` (was ${previous.role})` : ' (was viewer, the default)'}.`,
      tone: 'success',
      context: note,
    };
  },
});
