import type { Reply } from '../bot/reply.js';
import { requireEnvironment, requireService } from './common.js';
import { defineAction, plan } from './define.js';
import { gatherStatus } from './status-data.js';
import { incidentsReply } from './status-incidents.js';
import { compactLine, serviceSections, type StatusSubject } from './status-render.js';

export const statusAction = defineAction('status', {
  title: 'Status',
  summary: 'what runs where, recent deployments, pipelines, pending approvals, locks and open incidents',
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
    const subject = typeof planned.data.subject === 'string' ? (planned.data.subject as StatusSubject) : undefined;
    const title = `*${planned.summary}*${planned.environment ? ` in ${planned.environment}` : ''}`;
    if (subject === 'incidents') {
      return incidentsReply(ctx, title, { ...(planned.service ? { service: planned.service } : {}), ...(planned.environment ? { environment: planned.environment } : {}) });
    }
    const single = planned.service ? ctx.catalog.get(planned.service) : undefined;
    const services = single ? [single] : ctx.catalog.services.filter((service) => !planned.environment || service.environments.includes(planned.environment));
    // the one-line overview needs only what runs where: the heads, not each service's history
    const history = Boolean(single) || (subject !== undefined && subject !== 'versions');
    const states = await gatherStatus(ctx, services, { ...(planned.environment ? { environment: planned.environment } : {}), pipelines: single ? 5 : 1, history });
    const context: string[] = [];
    if (!ctx.integrations.gitlab) context.push('Pipelines need GitLab (GITLAB_URL, GITLAB_TOKEN); versions and deployments are what aiops has on record.');
    const problems = [...new Set(states.flatMap((state) => (state.gitlabProblem ? [state.gitlabProblem] : [])))];
    if (problems.length > 0 && !single) context.push(`GitLab: ${problems[0]}`);
    if (single) {
      const { sections, links } = serviceSections(states[0]!, subject);
      return { text: title, sections, links, context } satisfies Reply;
    }
    if (subject && subject !== 'versions') {
      // "any pending approvals?" across services: the subject's section for each service that has something
      const sections = states
        .map((state) => ({ state, parts: serviceSections(state, subject).sections.filter((section) => !section.lines.every((line) => line === 'none' || line === 'none on record')) }))
        .flatMap(({ state, parts }) => parts.map((section) => ({ ...section, title: `${state.service.name}: ${section.title}` })));
      return { text: title, sections: sections.length > 0 ? sections : [{ lines: [`No ${subject} right now.`] }], context };
    }
    return { text: title, sections: [{ lines: states.map(compactLine) }], context };
  },
});
