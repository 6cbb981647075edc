import type { IntentName, RawSlots } from '../schema.js';
import { findEnvironment, findVersion, isLabel, type Found } from './entities.js';
import { NON_SERVICE_NOUNS } from './lexicon.js';
import type { Normalized } from './normalize.js';

export interface Candidate {
  intent: IntentName;
  slots: RawSlots;
  confidence: number;
}

export type Rule = (n: Normalized) => Candidate | undefined;

/** Index of the first token whose word matches. */
export function tokenIndex(n: Normalized, pattern: RegExp, from = 0): number {
  for (let index = from; index < n.tokens.length; index += 1) {
    if (pattern.test(n.tokens[index]!.word)) return index;
  }
  return -1;
}

/** Index of the token where a multi-word phrase match in n.text starts. */
export function phraseIndex(n: Normalized, pattern: RegExp): number {
  const match = pattern.exec(n.text);
  if (!match) return -1;
  const before = n.text.slice(0, match.index).trim();
  return before === '' ? 0 : before.split(' ').length;
}

/** Index of the last token of a phrase match. */
export function phraseEnd(n: Normalized, pattern: RegExp): number {
  const match = pattern.exec(n.text);
  if (!match) return -1;
  const upTo = n.text.slice(0, match.index + match[0].length).trim();
  return upTo.split(' ').length - 1;
}

export const has = (n: Normalized, pattern: RegExp): boolean => pattern.test(n.text);

/** "how do I ...", "how to ..." */
export const isHowTo = (n: Normalized): boolean => /^(how (do|can|would|should|does) (i|we|you|one|it)|how to)\b/.test(n.text);

/** A question about the past ("did my deploy go out?") rather than a request. */
export const isPastQuestion = (n: Normalized): boolean => /^(did|has|have|was|were|is it|had)\b/.test(n.text);

/** Everyday nouns in the message: a sign it is about something other than a service. */
export const mentionsNonService = (n: Normalized): boolean => n.tokens.some((token) => NON_SERVICE_NOUNS.has(token.word));

export function environmentAndVersion(n: Normalized): { environment?: Found; version?: Found } {
  const environment = findEnvironment(n);
  const version = findVersion(n);
  return { ...(environment ? { environment } : {}), ...(version ? { version } : {}) };
}

export function slots(entries: Record<string, string | number | boolean | undefined>): RawSlots {
  const present: RawSlots = {};
  for (const [key, value] of Object.entries(entries)) {
    if (value !== undefined && value !== '') present[key] = value;
  }
  return present;
}

export function usedIndexes(...found: Array<Found<unknown> | undefined>): Set<number> {
  return new Set(found.filter((item): item is Found<unknown> => item !== undefined).map((item) => item.index));
}

/** Keys of key-value style arguments, and command verbs written as one ("lock: billing"). */
const KEY = /^(service|svc|app|env|environment|version|lock|unlock|deploy|rollback|status)$/;

/** Free text after a marker (":", "—", "reason:", "because", a last comma clause), as written. */
export function trailingReason(n: Normalized, afterIndex: number): string | undefined {
  const { tokens } = n;
  for (let index = afterIndex; index < tokens.length - 1; index += 1) {
    const token = tokens[index]!;
    const next = tokens[index + 1]!;
    // "service: billing, env: uat" are keys and values, not a reason after a colon
    const marked = (/[:—–]|^-+$|\s-\s/.test(token.after) && !isLabel(token, KEY)) || /^(reason|because|due)$/.test(next.word);
    if (marked) {
      const start = /^(reason|because|due)$/.test(next.word) ? index + 2 : index + 1;
      const words = tokens.slice(start).map((t) => t.raw);
      const text = words.join(' ').replace(/^(to|:)\s*/, '').trim();
      if (text) return text;
    }
  }
  // "..., incident in progress": a final comma clause with no environment or verb of ours
  const lastComma = tokens.map((token) => token.after.includes(',')).lastIndexOf(true);
  if (lastComma >= afterIndex && lastComma < tokens.length - 1) {
    const tail = tokens.slice(lastComma + 1);
    const ours = tail.some((token) => /^(lock|unlock|freeze|deploy|deploys|prod|staging|dev|pls|please|thanks|it)$/.test(token.word));
    // "..., I'm debugging there" is a remark, not a reason someone wrote for the record
    if (/^(i|i'm|im|we|we're|it|it's|they|he|she|you|thanks|thx|ty)$/.test(tail[0]?.word ?? '')) return undefined;
    if (isLabel(tail[0], KEY)) return undefined;
    if (!ours && tail.length >= 2) return tail.map((token) => token.raw).join(' ');
  }
  return undefined;
}
