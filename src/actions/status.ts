import type { Reply, Section } from '../bot/reply.js';
import type { Service } from '../catalog/catalog.js';
import { requireEnvironment, requireService } from './common.js';
import { defineAction, plan } from './define.js';
import type { ActionContext } from './types.js';

export const statusAction = defineAction('status', {
  title: 'Status',
  summary: 'what runs where, recent deployments, pending approvals and locks',
  usage: 'status [service] [environment]',
  examples: ['status payments', "what's running in staging?", 'any pending approvals?'],
  mutates: false,
  perEnvironment: false,
  environment: () => undefined,
  async plan(slots, ctx) {
    if (slots.service) {
      const service = requireService(ctx, slots.service);
      if (slots.environment) requireEnvironment(service, slots.environment);
    }
    return plan({
      action: 'status',
      summary: slots.service ? `Status of ${slots.service}` : 'Status of all services',
      ...(slots.service ? { service: slots.service } : {}),
      ...(slots.environment ? { environment: slots.environment } : {}),
      data: { subject: slots.subject ?? null },
    });
  },
  async execute(planned, ctx) {
    const services = planned.service ? [ctx.catalog.get(planned.service)!] : ctx.catalog.services;
    const locks = await ctx.store.locks.list();
    const sections: Section[] = [];
    for (const service of services) sections.push(await serviceSection(service, planned.environment, locks, ctx));
    const unconfigured = ctx.integrations.configured.includes('gitlab') ? [] : ['Versions and pipelines need GitLab (GITLAB_URL, GITLAB_TOKEN); showing what aiops itself knows.'];
    const reply: Reply = {
      text: `*${planned.summary}*${planned.environment ? ` in ${planned.environment}` : ''}`,
      sections,
      context: unconfigured,
    };
    return reply;
  },
});

async function serviceSection(
  service: Service,
  environment: string | undefined,
  locks: Awaited<ReturnType<ActionContext['store']['locks']['list']>>,
  ctx: ActionContext,
): Promise<Section> {
  const environments = environment ? [environment] : service.environments;
  const pending = await ctx.store.approvals.pendingFor(service.name);
  const lines = environments.map((env) => {
    const lock = locks.find((item) => item.service === service.name && item.environment === env);
    const waiting = pending.filter((approval) => approval.environment === env);
    const parts = [`${env}:`];
    parts.push(lock ? `locked by ${lock.lockedByName}${lock.reason ? ` (${lock.reason})` : ''}` : 'unlocked');
    if (waiting.length > 0) parts.push(`${waiting.length} pending approval${waiting.length > 1 ? 's' : ''}`);
    return parts.join(' ');
  });
  return { title: `${service.name} (owner ${service.owner})`, lines };
}
