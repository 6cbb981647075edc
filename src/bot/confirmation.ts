import { randomUUID } from 'node:crypto';
import type { Plan, RegisteredAction } from '../actions/types.js';
import { normalize } from '../intents/grammar.js';
import type { Recognition } from '../intents/recognize.js';
import { isIntentName, slotNames, type RawSlots } from '../intents/schema.js';
import type { Pending, ThreadStore } from '../sessions/threads.js';
import type { Reply } from './reply.js';

/**
 * "Did you mean ...?" before acting on a reading nobody typed as a command. The question is a pending confirmation in the
 * thread's session; its Yes/No buttons carry only its id, and only the person asked can answer.
 */

export type ConfirmationPending = Extract<Pending, { kind: 'confirmation' }>;
export type ConfirmationReason = 'unsure' | 'changes-at-once';

const PREFIX = 'cf-';
export const isConfirmationId = (target: string): boolean => target.startsWith(PREFIX);
export const newConfirmationId = (): string => `${PREFIX}${randomUUID()}`;

/** Claude's reading is a guess (below AIOPS_LLM_MIN_CONFIDENCE): confirm it before anything else. */
export function isUnsure(outcome: Recognition, minConfidence: number): boolean {
  return outcome.source === 'llm' && outcome.confidence < minConfidence;
}

/**
 * A change that takes effect at once, with no approval step where a person sees the plan first
 * (grant, revoke, lock, unlock), runs straight away only when the message was that
 * command: one line that starts with its verb. Claude's readings, prose, follow-ups and pasted
 * logs or alerts are confirmed first; text in a message or a paste can steer a reader, it
 * cannot click Yes.
 */
export function changesAtOnce(outcome: Recognition, action: RegisteredAction, planned: Plan, text: string): boolean {
  if (!action.mutates || planned.approval !== 'none' || outcome.source === 'confirmation') return false;
  // a follow-up or a clarified request was not typed whole either: "prod" is not a command
  return outcome.source !== 'grammar' || !typedAsCommand(text, outcome.intent);
}

/** `lock payments prod`, `@aiops grant bob devops`, `/aiops unlock payments prod`: one line, its verb first. */
export function typedAsCommand(text: string, intent: string): boolean {
  if (text.trim().includes('\n')) return false;
  return normalize(text).tokens[0]?.word === intent;
}

export function confirmationPending(outcome: Recognition, user: string): ConfirmationPending {
  return { kind: 'confirmation', id: newConfirmationId(), intent: outcome.intent, slots: outcome.slots, question: readingText(outcome.intent, outcome.slots), user };
}

/** The reading as the command that would say it: "rollback orders staging". */
export function readingText(intent: string, slots: RawSlots): string {
  const order = isIntentName(intent) ? slotNames(intent) : Object.keys(slots);
  const values = order
    .filter((slot) => slots[slot] !== undefined && slots[slot] !== false)
    .map((slot) => (slots[slot] === true ? slot : String(slots[slot])));
  return [intent, ...values].join(' ');
}

export function confirmationReply(pending: ConfirmationPending, reason: ConfirmationReason, confidence: number): Reply {
  const why =
    reason === 'unsure'
      ? `I'm not sure I understood (confidence ${Math.round(confidence * 100)}%).`
      : 'This changes something right away, so I check my reading with you first.';
  return {
    text: `Did you mean: *${pending.question}*?`,
    fields: readingFields(pending),
    buttons: [
      { label: 'Yes', choice: 'approve', target: pending.id, style: 'primary' },
      { label: 'No', choice: 'reject', target: pending.id, style: 'default' },
    ],
    context: [why, 'Click Yes or No, or reply yes / no. Nothing happens until you do.'],
  };
}

/** The question once answered: the reading and who answered, without the buttons or the hint. */
export function answeredReply(pending: ConfirmationPending, outcome: string, tone: Reply['tone']): Reply {
  return { text: `Did you mean: *${pending.question}*?`, fields: readingFields(pending), tone, context: [outcome] };
}

const readingFields = (pending: ConfirmationPending) =>
  Object.entries(pending.slots).map(([slot, value]) => ({ label: slot.charAt(0).toUpperCase() + slot.slice(1), value: String(value) }));

export type Taken = { status: 'taken'; pending: ConfirmationPending } | { status: 'not-yours' } | { status: 'gone' };

/**
 * Takes the pending confirmation out of the session, once: the session write is conditional on
 * its version, so of two concurrent answers (a double click, a click and a "yes") one wins.
 */
export async function takeConfirmation(threads: ThreadStore, sessionKey: string, id: string, user: string): Promise<Taken> {
  let taken: Taken = { status: 'gone' };
  await threads.update(sessionKey, (session) => {
    taken = { status: 'gone' };
    const pending = session.pending;
    if (pending?.kind !== 'confirmation' || pending.id !== id) return;
    if (pending.user !== user) {
      taken = { status: 'not-yours' };
      return;
    }
    taken = { status: 'taken', pending };
    delete session.pending;
  });
  return taken;
}
