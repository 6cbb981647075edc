import { followUpSlots } from './grammar/followup.js';
import { normalize, type Normalized } from './grammar/normalize.js';
import { auditRule, grantRule, helpRule, lockRule, revokeRule, unlockRule, whoamiRule } from './grammar/rules-admin.js';
import { deployRule, recoverRule, rollbackRule } from './grammar/rules-change.js';
import { scaffoldRule, statusRule, troubleshootRule } from './grammar/rules-inspect.js';
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
const MINIMUM = 0.5;

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

export function recognizeGrammar(text: string): GrammarResult {
  const n = normalize(text);
  if (n.tokens.length === 0) return { intent: 'unknown', slots: {}, confidence: 1 };
  const best = bestCandidate(n);
  if (best && best.confidence >= MINIMUM) {
    return { intent: best.intent, slots: best.slots, confidence: commandBoost(n, best) };
  }
  const followUp = followUpSlots(n);
  if (followUp) return { intent: 'unknown', slots: {}, confidence: 0.5, followUp };
  return { intent: 'unknown', slots: {}, confidence: best ? 1 - best.confidence : 0.9 };
}

function bestCandidate(n: Normalized): Candidate | undefined {
  let best: Candidate | undefined;
  const first = n.tokens[0]?.word ?? '';
  for (const rule of RULES) {
    const candidate = rule(n);
    if (!candidate) continue;
    // a message that starts with an intent's own name is that command: "help scaffold", "status payments"
    if (candidate.intent === first && (n.slash || candidate.confidence >= MINIMUM)) return candidate;
    if (!best || candidate.confidence > best.confidence) best = candidate;
  }
  return best;
}

/** `/aiops deploy ...` or a message that starts with the intent's own name is a command. */
function commandBoost(n: Normalized, candidate: Candidate): number {
  const first = n.tokens[0]?.word ?? '';
  if ((n.slash || isIntentName(first)) && first === candidate.intent) return Math.max(candidate.confidence, 0.95);
  return candidate.confidence;
}

export { normalize };
