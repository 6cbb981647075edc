import type { Reply } from '../bot/reply.js';
import type { Incident } from '../sessions/incidents.js';
import type { ActionContext } from './types.js';

const since = (iso: string): string => `${iso.slice(5, 10)} ${iso.slice(11, 16)} UTC`;

function incidentLine(incident: Incident): string {
  const where = [incident.service, incident.environment].filter(Boolean).join(' ');
  const value = incident.value !== undefined && incident.threshold !== undefined ? ` (${incident.value} vs ${incident.threshold})` : '';
  const recovery = incident.recovery ? ` · ${incident.recovery.action} by ${incident.recovery.by}, ${incident.recovery.verification}` : '';
  return `*${incident.alarm}*${where ? ` on ${where}` : ''} since ${since(incident.openedAt)}${value}${recovery}`;
}

/** "any open incidents in prod?": the incidents the alarms opened and nothing has resolved yet. */
export async function incidentsReply(ctx: ActionContext, title: string, filter: { service?: string; environment?: string }): Promise<Reply> {
  const open = (await ctx.store.incidents.allOpen()).filter(
    (incident) => (!filter.service || incident.service === filter.service) && (!filter.environment || !incident.environment || incident.environment === filter.environment),
  );
  return {
    text: title,
    sections: [{ title: 'Open incidents', lines: open.length > 0 ? open.map(incidentLine) : ['none right now'] }],
    context: ['Each incident has its alert and its updates in the alert channel.'],
  };
}
