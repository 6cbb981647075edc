/**
 * The neutral reply model. Actions and the engine speak only this; each platform has a
 * renderer (Block Kit, Adaptive Card, console text). Every string here is plain text:
 * renderers escape it for their platform, so user-supplied values are always safe to embed.
 * `*bold*` and `code` spans are the only formatting the renderers interpret.
 */

export type Tone = 'info' | 'success' | 'warning' | 'error';
export type ButtonStyle = 'primary' | 'danger' | 'default';
export type DecisionChoice = 'approve' | 'reject';

export interface Field {
  label: string;
  value: string;
}

export interface Link {
  label: string;
  url: string;
}

export interface Section {
  title?: string;
  lines: string[];
}

export interface Confirmation {
  title: string;
  text: string;
  confirm: string;
  deny: string;
}

/** A button carries only the id of the record it decides and the choice: nothing else is trusted. */
export interface Button {
  label: string;
  choice: DecisionChoice;
  target: string;
  style: ButtonStyle;
  confirm?: Confirmation;
}

export interface Reply {
  text: string;
  tone?: Tone;
  fields?: Field[];
  sections?: Section[];
  links?: Link[];
  buttons?: Button[];
  context?: string[];
}

export const reply = (text: string, extra: Omit<Reply, 'text'> = {}): Reply => ({ text, ...extra });

/** The reply with its buttons replaced by an outcome line, as shown after a decision. */
export function settled(original: Reply, outcome: string, tone: Tone): Reply {
  const { buttons: _buttons, ...rest } = original;
  return { ...rest, tone, context: [...(original.context ?? []), outcome] };
}
