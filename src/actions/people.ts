import type { Platform } from '../bot/turn.js';
import { UserError } from '../errors.js';

const PLATFORMS = ['slack', 'teams', 'console'];

/**
 * The stored key of a user named in a command: a Slack mention `<@U123>`, an explicit
 * `platform:id`, or a bare id on the asker's own platform.
 */
export function resolveUserKey(reference: string, platform: Platform): string {
  const mention = /^<@([A-Z0-9]+)(?:\|[^>]*)?>$/.exec(reference);
  if (mention) return `slack:${mention[1]}`;
  const explicit = /^([a-z]+):(.+)$/.exec(reference);
  if (explicit && PLATFORMS.includes(explicit[1]!)) return reference;
  const bare = reference.replace(/^@/, '');
  if (!/^[\w.:-]{1,100}$/.test(bare)) throw new UserError(`*${reference}* is not a user I can address.`, 'Mention them, or give platform:id, e.g. slack:U0123ABC.');
  return `${platform}:${bare}`;
}
