import { discount, isRequest } from './grammar/discourse.js';
import { findAlarm } from './grammar/entities.js';
import { followUpSlots } from './grammar/followup.js';
import { normalize, slice, type Normalized } from './grammar/normalize.js';
import { auditRule, grantRule, helpRule, lockRule, revokeRule, unlockRule, whoamiRule } from './grammar/rules-admin.js';
import { deployRule, mitigatesIncident, recoverRule, rollbackRule } from './grammar/rules-change.js';
import { scaffoldRule, statusRule, troubleshootRule } from './grammar/rules-inspect.js';
import { PERSONAL_THINGS } from './grammar/lexicon.js';
import { notAskedFor } from './grammar/stance.js';
import type { Candidate, Rule } from './grammar/support.js';
import { isIntentName, type IntentName, type RawSlots } from './schema.js';

/**
 * The offline grammar: deterministic, no network, no catalog. It reads `/aiops <verb> ...`
 * commands and the way people write in chat, and answers `unknown` rather than guess.
 */

export interface GrammarResult {
  intent: IntentName;
  slots: RawSlots;
  /** 0..1: how sure the grammar is; >= CONFIDENT means no second opinion is needed */
  confidence: number;
  /** slots that modify the thread's previous request ("now prod", "same for orders") */
  followUp?: RawSlots;
}

export const CONFIDENT = 0.8;
const MINIMUM = 0.55;
/** a clause that asks ("can you...", "please...") is where the request is */
const REQUEST_BONUS = 0.08;
/** names are positional: taken from another clause only when they look like names ("notif-hub") */
const POSITIONAL = new Set(['service', 'name', 'user']);

const VETOABLE = new Set<IntentName>(['help', 'lock', 'unlock', 'troubleshoot', 'recover', 'revoke', 'status']);
const mentionsThing = (n: Normalized): boolean => n.tokens.some((token) => PERSONAL_THINGS.has(token.word));

/** Earlier rules win ties: the more specific intents come first. */
const RULES: Rule[] = [
  unlockRule,
  lockRule,
  grantRule,
  revokeRule,
  whoamiRule,
  auditRule,
  troubleshootRule,
  rollbackRule,
  recoverRule,
  scaffoldRule,
  deployRule,
  statusRule,
  helpRule,
];

/** A pasted shell command or SQL statement is data, not a request to aiops. */
/** Requests for other tools: "open a Jira ticket for the flaky test in search". */
const OTHER_TOOLS = /\b(open|create|file|raise|log|make|add) (me )?(a |an )?(new )?(jira |github |gitlab |linear |servicenow )?(jira|ticket|issue|bug report|bug|story|epic|task) (for|about|on)\b/;

const PASTED_COMMAND = /^(kubectl|terraform|helm|aws|gcloud|az|docker|git|npm|ssh|curl|psql|mysql|sudo|run select|select)\b|\bselect \S+( \S+)* from \S+|\b(insert into|delete from|drop table)\b/;

export function recognizeGrammar(text: string): GrammarResult {
  const n = normalize(text);
  if (n.tokens.length === 0 || PASTED_COMMAND.test(n.text) || OTHER_TOOLS.test(n.text)) return { intent: 'unknown', slots: {}, confidence: 1 };
  const inContext = (candidate: Candidate | undefined): Candidate | undefined => candidate && recoveryInIncidentContext(n, candidate);
  const parts = clauses(n);
  const sentences = parts.filter((part) => part.clause === part.sentence).map((part) => part.sentence);
  // the whole message still lends its slots to a clause, even when it may not be acted on as a whole
  const whole = inContext(bestCandidate(n, false));
  const wholeHeldBack = (intent: IntentName): boolean => (sentences.length > 0 ? sentences : [n]).some((sentence) => notAskedFor(intent, sentence));
  let best = whole && !wholeHeldBack(whole.intent) ? whole : inContext(bestCandidate(n, false, wholeHeldBack));
  for (const { clause, sentence } of parts) {
    const candidate = inContext(bestCandidate(clause, true, (intent) => notAskedFor(intent, clause, sentence)));
    // a clause wins when it is surer, or equally sure of the same intent (its slots are more precise)
    if (candidate && (!best || candidate.confidence > best.confidence || (candidate.confidence === best.confidence && candidate.intent === best.intent))) {
      best = mergeSlots(candidate, whole, clause.text);
    }
  }
  // a bare "unlock pls" / "how do i restart it" next to "my AD account" / "my laptop" is about that thing
  if (best && VETOABLE.has(best.intent) && Object.keys(best.slots).every((slot) => slot === 'topic') && mentionsThing(n) && !n.slash) best = undefined;
  if (best && best.confidence >= MINIMUM) {
    return { intent: best.intent, slots: best.slots, confidence: Math.min(1, commandBoost(n, best)) };
  }
  const followUp = followUpSlots(n);
  if (followUp) return { intent: 'unknown', slots: {}, confidence: 0.5, followUp };
  return { intent: 'unknown', slots: {}, confidence: best ? 1 - best.confidence : 0.9 };
}

/** The best rule's answer; `heldBack` names intents the sentence mentions without asking for them. */
function bestCandidate(n: Normalized, isClause: boolean, heldBack: (intent: IntentName) => boolean = () => false): Candidate | undefined {
  let best: Candidate | undefined;
  const first = n.tokens[0]?.word ?? '';
  const bonus = isClause && isRequest(n) ? REQUEST_BONUS : 0;
  for (const rule of RULES) {
    const found = rule(n);
    if (!found || heldBack(found.intent)) continue;
    const candidate = { ...found, confidence: found.confidence - discount(n, found.intent) + bonus };
    // a message that starts with an intent's own name is that command: "help scaffold", "status payments"
    if (!isClause && candidate.intent === first && (n.slash || candidate.confidence >= MINIMUM)) return candidate;
    if (!best || candidate.confidence > best.confidence) best = candidate;
  }
  return best;
}

/** Sentences, and comma clauses within them, when the message has more than one; each with its sentence. */
function clauses(n: Normalized): Array<{ clause: Normalized; sentence: Normalized }> {
  const cut = (breaks: RegExp): Array<[number, number]> => {
    const ranges: Array<[number, number]> = [];
    let start = 0;
    n.tokens.forEach((token, index) => {
      const next = n.tokens[index + 1]?.word;
      if (breaks.test(token.after) || next === 'but') {
        ranges.push([start, index + 1]);
        start = next === 'but' ? index + 2 : index + 1;
      }
    });
    if (start < n.tokens.length) ranges.push([start, n.tokens.length]);
    return ranges.filter(([from, to]) => to > from);
  };
  const sentences = cut(/[.?!;]|[—–]|^-+$/);
  const commas = cut(/[.?!;,]|[—–]|^-+$/);
  const isWhole = ([from, to]: [number, number]): boolean => to - from >= n.tokens.length;
  const sentenceParts = sentences.map((range) => (isWhole(range) ? n : slice(n, ...range)));
  const parts = sentenceParts.filter((sentence) => sentence !== n).map((sentence) => ({ clause: sentence, sentence }));
  let current = 0;
  for (const [from, to] of commas) {
    if (isWhole([from, to])) continue;
    while (current < sentences.length - 1 && from >= sentences[current]![1]) current += 1;
    const [start, end] = sentences[current]!;
    const sentence = sentenceParts[current]!;
    parts.push({ clause: start === from && end === to ? sentence : slice(n, from, to), sentence });
  }
  return parts;
}

/** Slots the clause did not state but another part of the same message did ("to prod, deploy payments 1.2"). */
function mergeSlots(clause: Candidate, whole: Candidate | undefined, clauseText?: string): Candidate {
  if (!whole || whole.intent !== clause.intent) return clause;
  const slots = { ...clause.slots };
  // "..., if not, please restart it": the clause points back at the service the message names
  const pointsBack = clauseText !== undefined && /\b(it|them)( back| up| down| out| again| now| please| pls)?,?$/.test(clauseText);
  for (const [key, value] of Object.entries(whole.slots)) {
    if (slots[key] !== undefined) continue;
    // a user is named explicitly wherever it is; a bare word elsewhere is not a service or a name
    if (POSITIONAL.has(key) && key !== 'user' && !/[-.\d]/.test(String(value)) && !(key === 'service' && pointsBack)) continue;
    slots[key] = value;
  }
  return { ...clause, slots };
}

/**
 * "billing-api-cpu-high is firing, roll billing-api back", "the cart incident is ongoing. Please mitigate by
 * rolling back": a rollback asked during an alarm, or to mitigate an incident, is a recovery.
 */
function recoveryInIncidentContext(n: Normalized, candidate: Candidate): Candidate {
  if (candidate.intent !== 'rollback') return candidate;
  const alarm = findAlarm(n);
  if (!alarm && !mitigatesIncident(n)) return candidate;
  const { version: _version, force: _force, ...rest } = candidate.slots;
  return { ...candidate, intent: 'recover', slots: { ...rest, action: 'rollback', ...(alarm ? { alarm: alarm.value } : {}) } };
}

/** `/aiops deploy ...` or a message that starts with the intent's own name is a command. */
function commandBoost(n: Normalized, candidate: Candidate): number {
  const first = n.tokens[0]?.word ?? '';
  if ((n.slash || isIntentName(first)) && first === candidate.intent) return Math.max(candidate.confidence, 0.95);
  return candidate.confidence;
}

export { normalize };
