import type { NotifyTarget } from '../../bot/notifier.js';
import type { Platform } from '../../bot/turn.js';
import type { Service } from '../../catalog/catalog.js';

/**
 * AIOPS_ALERT_CHANNEL: `slack:C0123ABCD` or `teams:<conversation id>` (Teams ids contain colons;
 * only the first one splits). SEAM(alerts): the alerts branch parses and validates this in
 * config.ts (config.alerts.defaultTarget) and has alertTarget(); use those once it is merged.
 */
export function parseChannel(value: string | undefined): NotifyTarget | undefined {
  const match = value ? /^(slack|teams):(.+)$/.exec(value.trim()) : null;
  if (!match) return undefined;
  return { platform: match[1] as 'slack' | 'teams', channel: match[2]!.trim() };
}

/**
 * Where a service's auto-fix reports go: its Slack channel, else its Teams conversation
 * (catalog annotations aiops/slack-channel, aiops/teams-conversation), else the default.
 * With `platforms` given, an annotation for a platform that is not configured is skipped.
 */
export function channelFor(service: Service, fallback: NotifyTarget | undefined, platforms: readonly Platform[] = []): NotifyTarget | undefined {
  const usable = (platform: Platform): boolean => platforms.length === 0 || platforms.includes(platform);
  if (service.slackChannel && usable('slack')) return { platform: 'slack', channel: service.slackChannel };
  if (service.teamsConversation && usable('teams')) return { platform: 'teams', channel: service.teamsConversation };
  return fallback;
}
