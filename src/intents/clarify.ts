import { DATABASES, RECOVERY_ACTIONS, ROLES, TEMPLATES, type IntentName } from './schema.js';

const or = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;

/** One clarifying question for a missing slot; `choices` come from the catalog when known. */
export function questionFor(intent: IntentName, slot: string, choices: readonly string[] = []): string {
  switch (slot) {
    case 'service':
      return choices.length > 0 ? `Which service? (${or(choices.slice(0, 8))})` : 'Which service?';
    case 'environment':
      return `Which environment${intent === 'deploy' ? ' should I deploy to' : ''}: ${or(choices.length > 0 ? choices : ['dev', 'staging', 'prod'])}?`;
    case 'version':
      return 'Which version (tag, branch or commit)?';
    case 'template':
      return `Which template: ${or(TEMPLATES)}?`;
    case 'database':
      return `Which database: ${or(DATABASES)}?`;
    case 'name':
      return 'What should the new service be called? (lowercase kebab-case, e.g. billing-api)';
    case 'action':
      return `What should I do: ${or(RECOVERY_ACTIONS)}?`;
    case 'role':
      return `Which role: ${or(ROLES)}?`;
    case 'user':
      return 'Who? (mention them or give their user id)';
    default:
      return `What ${slot}?`;
  }
}
