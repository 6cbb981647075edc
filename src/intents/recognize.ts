import type { ThreadSession } from '../sessions/threads.js';
import { CONFIDENT, recognizeGrammar, type GrammarResult } from './grammar.js';
import { answerFor, isCancellation } from './grammar/slot-answer.js';
import { isIntentName, type IntentName, type RawSlots } from './schema.js';

export type RecognitionSource = 'grammar' | 'llm' | 'follow-up' | 'clarification' | 'confirmation';

export interface Recognition {
  intent: IntentName;
  slots: RawSlots;
  confidence: number;
  source: RecognitionSource;
  /** why a second opinion was not used, or failed (counted in metrics) */
  note?: string;
}

export type RecognizeOutcome = Recognition | { intent: 'cancelled'; source: 'clarification' };

export interface RecognizeInput {
  text: string;
  session: ThreadSession;
  /** who is speaking (platform:id): a pending question is answered only by whoever was asked */
  user: string;
}

/** A second opinion for free text the grammar is not sure about (Claude, when configured). */
export interface SecondOpinion {
  recognize(input: RecognizeInput, grammar: GrammarResult): Promise<Recognition | { failed: string }>;
}

const FOLLOW_UP_INTENTS = new Set<IntentName>(['deploy', 'rollback', 'status', 'recover', 'lock', 'unlock', 'troubleshoot']);

/**
 * Grammar first (a confident grammar match never calls the LLM), then the answer to a pending
 * question, then a follow-up of the thread's last request, then the second opinion, and
 * finally the grammar's best answer.
 */
export async function recognize(input: RecognizeInput, secondOpinion?: SecondOpinion): Promise<RecognizeOutcome> {
  const grammar = recognizeGrammar(input.text);
  const pending = input.session.pending;
  if (pending?.kind === 'clarification' && pending.user === input.user && isIntentName(pending.intent)) {
    if (isCancellation(input.text)) return { intent: 'cancelled', source: 'clarification' };
    const startsAfresh = grammar.intent !== 'unknown' && grammar.confidence >= CONFIDENT && (grammar.intent !== pending.intent || pending.missing in grammar.slots);
    if (!startsAfresh) {
      const value = answerFor(pending.missing, input.text) ?? grammar.followUp?.[pending.missing];
      if (value !== undefined) {
        const slots = { ...pending.slots, ...(grammar.intent === pending.intent ? grammar.slots : grammar.followUp ?? {}), [pending.missing]: value };
        return { intent: pending.intent, slots, confidence: 0.9, source: 'clarification' };
      }
    }
  }
  if (grammar.confidence >= CONFIDENT && grammar.intent !== 'unknown') return fromGrammar(grammar);
  const last = input.session.lastIntent;
  if (grammar.followUp && last && isIntentName(last.name) && FOLLOW_UP_INTENTS.has(last.name)) {
    return { intent: last.name, slots: mergeFollowUp(last.slots, grammar.followUp), confidence: 0.85, source: 'follow-up' };
  }
  if (secondOpinion) {
    const opinion = await secondOpinion.recognize(input, grammar);
    if (!('failed' in opinion)) return opinion;
    return { ...fromGrammar(grammar), note: opinion.failed };
  }
  return fromGrammar(grammar);
}

function fromGrammar(grammar: GrammarResult): Recognition {
  return { intent: grammar.intent, slots: grammar.slots, confidence: grammar.confidence, source: 'grammar' };
}

/** A new service keeps the environment but not the version (versions belong to a service). */
export function mergeFollowUp(previous: RawSlots, change: RawSlots): RawSlots {
  const merged = { ...previous, ...change };
  // forcing past failed checks is never inherited: it must be asked for each time
  if (change.force === undefined) delete merged.force;
  if (change.service !== undefined && change.service !== previous.service && change.version === undefined) delete merged.version;
  return merged;
}
