import type { AuditEntry } from '../sessions/audit.js';
import { defineAction, plan } from './define.js';

const DEFAULT_LIMIT = 20;

export function auditLine(entry: AuditEntry): string {
  const what = [entry.action, entry.service, entry.environment].filter(Boolean).join(' ');
  const detail = entry.detail ? `: ${entry.detail}` : '';
  return `${entry.at.slice(0, 19).replace('T', ' ')} ${entry.actorName} ${entry.event}${what ? ` ${what}` : ''}${detail} [${entry.correlationId}]`;
}

export const auditAction = defineAction('audit', {
  title: 'Audit',
  summary: 'the latest entries of the audit trail',
  usage: 'audit [n]',
  examples: ['audit', 'audit 50'],
  mutates: false,
  perEnvironment: false,
  environment: () => undefined,
  async plan(slots) {
    return plan({ action: 'audit', summary: 'Audit trail', data: { limit: slots.limit ?? DEFAULT_LIMIT } });
  },
  async execute(planned, ctx) {
    const limit = typeof planned.data.limit === 'number' ? planned.data.limit : DEFAULT_LIMIT;
    const entries = await ctx.store.audit.recent(limit);
    if (entries.length === 0) return { text: 'The audit trail is empty.' };
    return {
      text: `*Audit trail*: the last ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}, newest first.`,
      sections: [{ lines: entries.map(auditLine) }],
    };
  },
});
