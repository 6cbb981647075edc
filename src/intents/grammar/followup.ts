import { bestService, findVersion } from './entities.js';
import type { Normalized } from './normalize.js';
import { environmentAndVersion, slots } from './support.js';
import type { RawSlots } from '../schema.js';

const MARKER = /^(now|and|also|same|then|next|ok now|okay now|what about|how about|do|try|plus|but|this time)\b|\b(too|as well|also|instead)$/;

/**
 * "now prod", "same for orders", "and staging too": slots that change the thread's last
 * request. Returns the slots it found, or undefined when the message is not a follow-up.
 */
export function followUpSlots(n: Normalized): RawSlots | undefined {
  if (n.tokens.length === 0 || n.tokens.length > 9) return undefined;
  const marked = MARKER.test(n.text.replace(/[,?!.]/g, '').trim());
  const { environment } = environmentAndVersion(n);
  const version = findVersion(n);
  const exclude = new Set([environment?.index, version?.index].filter((index): index is number => index !== undefined));
  const service = bestService(n, { exclude });
  const bare = n.tokens.length <= 3 && (environment || version) && !service;
  if (!marked && !bare) return undefined;
  const found = slots({ environment: environment?.value, version: version?.value, service: service?.value });
  return Object.keys(found).length > 0 ? found : undefined;
}
