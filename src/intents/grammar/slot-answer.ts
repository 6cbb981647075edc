import { bestService, environmentOf, findEnvironment, findVersion, isServiceLike, userReference } from './entities.js';
import { DATABASE_WORDS, RECOVERY_WORDS, ROLE_WORDS, TEMPLATE_WORDS } from './lexicon.js';
import { normalize } from './normalize.js';

const CANCEL = /^(cancel|never ?mind|nvm|forget (it|that)|stop|abort|no thanks|nope|scratch that)\b/;

export const isCancellation = (text: string): boolean => CANCEL.test(normalize(text).text.replace(/,/g, ''));

/** The value of one slot in a short answer to a clarifying question ("staging", "the payments one", "v1.2"). */
export function answerFor(slot: string, text: string): string | undefined {
  const n = normalize(text);
  const only = n.tokens.length === 1 ? n.tokens[0] : undefined;
  switch (slot) {
    case 'environment':
      return findEnvironment(n)?.value ?? (only && isServiceLike(only) ? environmentOf(only) ?? only.word : undefined);
    case 'service':
      return bestService(n)?.value ?? (only && isServiceLike(only) ? only.word : undefined);
    case 'name':
      return n.tokens.find((token) => /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(token.word) && isServiceLike(token))?.word;
    case 'version':
      return findVersion(n)?.value ?? only?.raw;
    case 'template':
      return TEMPLATE_WORDS.find(([pattern]) => pattern.test(n.text))?.[1];
    case 'database':
      return DATABASE_WORDS.find(([pattern]) => pattern.test(n.text))?.[1];
    case 'action':
      return RECOVERY_WORDS.find(([pattern]) => pattern.test(n.text))?.[1];
    case 'role':
      return ROLE_WORDS.find(([pattern]) => pattern.test(n.text))?.[1];
    case 'user':
      return userReference(n.tokens[0]);
    case 'pipeline':
      return /\d+/.exec(n.text)?.[0];
    default:
      return only?.raw;
  }
}
