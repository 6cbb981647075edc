import type { Button, Reply, Tone } from '../reply.js';

/**
 * The Adaptive Card renderer (schema 1.5) for the neutral reply. Text goes into RichTextBlock
 * TextRuns, which Teams shows literally: user-supplied strings cannot become markdown links,
 * mentions or HTML. `*bold*` becomes a bold run and `code` a monospace run.
 */

export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
export const VERBS = { approve: 'aiops.approve', reject: 'aiops.reject', refresh: 'aiops.refresh' } as const;
/** Teams refuses messages over about 28 KB; the card stays well below, cutting the middle if it must. */
export const CARD_MAX_CHARS = 24_000;
const TEXT_MAX = 2000;
/** Teams lists at most 60 users in refresh.userIds. */
export const REFRESH_MAX_USERS = 60;

export interface TextRun {
  type: 'TextRun';
  text: string;
  weight?: 'Bolder';
  fontType?: 'Monospace';
  color?: 'Attention' | 'Warning' | 'Good';
  isSubtle?: boolean;
  size?: 'Small';
}

export interface CardElement {
  type: string;
  [property: string]: unknown;
}

export interface ExecuteAction {
  type: 'Action.Execute';
  title: string;
  verb: string;
  /** the id of the record it decides, nothing else: the engine reads everything else from the store */
  data: { id: string };
  style?: 'positive' | 'destructive';
}

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: CardElement[];
  actions?: CardElement[];
  refresh?: { action: ExecuteAction; userIds: string[] };
  msteams: { width: 'Full' };
}

export interface CardOptions {
  /**
   * Universal Actions refresh: Teams fetches a personal card for each of these users (Teams ids),
   * which carries the buttons they may use. The shared card then shows no buttons.
   */
  refresh?: { target: string; userIds: string[] };
  /** the personal card sent back to a refresh: buttons shown, refresh kept */
  personal?: boolean;
}

const TONE_COLOR: Record<Tone, TextRun['color'] | undefined> = { info: undefined, success: 'Good', warning: 'Warning', error: 'Attention' };

const clip = (text: string, max = TEXT_MAX): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** `*bold*` and `code` spans as runs; everything else verbatim. */
export function inlineRuns(text: string, base: Partial<TextRun> = {}): TextRun[] {
  const runs: TextRun[] = [];
  const source = clip(text);
  const pattern = /`([^`\n]+)`|\*([^*\n]+)\*/g;
  let last = 0;
  for (const match of source.matchAll(pattern)) {
    if (match.index > last) runs.push({ type: 'TextRun', text: source.slice(last, match.index), ...base });
    if (match[1] !== undefined) runs.push({ type: 'TextRun', text: match[1], fontType: 'Monospace', ...base });
    else runs.push({ type: 'TextRun', text: match[2]!, ...base, weight: 'Bolder' });
    last = match.index + match[0].length;
  }
  const rest = source.slice(last);
  if (rest || runs.length === 0) runs.push({ type: 'TextRun', text: rest, ...base });
  return runs;
}

const rich = (inlines: TextRun[], extra: Record<string, unknown> = {}): CardElement => ({ type: 'RichTextBlock', inlines, ...extra });

export function renderCard(reply: Reply, options: CardOptions = {}): AdaptiveCard {
  const showButtons = !options.refresh || options.personal === true;
  const buttons = showButtons ? (reply.buttons ?? []) : [];
  const context = [...(reply.context ?? [])];
  if (options.refresh && !options.personal && (reply.buttons?.length ?? 0) > 0) context.push('The buttons show for the people who may decide.');
  const color = TONE_COLOR[reply.tone ?? 'info'];
  const head = [rich(inlineRuns(reply.text, color ? { color } : {}))];
  const middle = [...fieldElements(reply), ...sectionElements(reply), ...linkElements(reply)];
  const tail = context.map((line) => rich(inlineRuns(line, { isSubtle: true, size: 'Small' }), { spacing: 'Small' }));
  const card: AdaptiveCard = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: fit(head, middle, tail, buttons),
    ...(buttons.length > 0 ? { actions: buttons.map(buttonAction) } : {}),
    ...(options.refresh && (reply.buttons?.length ?? 0) > 0
      ? {
          refresh: {
            action: { type: 'Action.Execute', title: 'Refresh', verb: VERBS.refresh, data: { id: options.refresh.target } },
            userIds: options.refresh.userIds.slice(0, REFRESH_MAX_USERS),
          },
        }
      : {}),
    msteams: { width: 'Full' },
  };
  return card;
}

/** Cuts middle elements from the end until the card fits, with a note saying how much is missing. */
function fit(head: CardElement[], middle: CardElement[], tail: CardElement[], buttons: Button[]): CardElement[] {
  const size = (elements: CardElement[]) => elements.reduce((total, element) => total + JSON.stringify(element).length + 1, 0);
  const budget = CARD_MAX_CHARS - size(head) - size(tail) - JSON.stringify(buttons).length * 2 - 500;
  let used = 0;
  let kept = 0;
  for (const element of middle) {
    used += JSON.stringify(element).length + 1;
    if (used > budget) break;
    kept += 1;
  }
  if (kept === middle.length) return [...head, ...middle, ...tail];
  const note = rich([{ type: 'TextRun', text: `… ${middle.length - kept} more lines not shown (too long for a Teams card).`, isSubtle: true }]);
  return [...head, ...middle.slice(0, kept), note, ...tail];
}

function fieldElements(reply: Reply): CardElement[] {
  return (reply.fields ?? []).map((field, index) =>
    rich([{ type: 'TextRun', text: `${clip(field.label, 200)}: `, weight: 'Bolder' }, ...inlineRuns(field.value)], { spacing: index === 0 ? 'Medium' : 'None' }),
  );
}

function sectionElements(reply: Reply): CardElement[] {
  return (reply.sections ?? []).flatMap((section) => [
    ...(section.title ? [rich([{ type: 'TextRun', text: clip(section.title, 200), weight: 'Bolder' }], { spacing: 'Medium' })] : []),
    ...section.lines.map((line) => rich(inlineRuns(line), { spacing: 'None' })),
  ]);
}

const SAFE_URL = /^https?:\/\/\S+$/;

function linkElements(reply: Reply): CardElement[] {
  const links = reply.links ?? [];
  if (links.length === 0) return [];
  const safe = links.filter((link) => SAFE_URL.test(link.url));
  const unsafe = links.filter((link) => !SAFE_URL.test(link.url));
  return [
    ...(safe.length > 0 ? [{ type: 'ActionSet', actions: safe.slice(0, 6).map((link) => ({ type: 'Action.OpenUrl', title: clip(link.label, 100), url: link.url })) }] : []),
    ...unsafe.map((link) => rich([{ type: 'TextRun', text: `${clip(link.label, 200)}: ${clip(link.url)}` }])),
  ];
}

function buttonAction(button: Button): CardElement {
  const execute: ExecuteAction = {
    type: 'Action.Execute',
    title: clip(button.label, 100),
    verb: VERBS[button.choice],
    data: { id: button.target },
    ...(button.style === 'primary' ? { style: 'positive' as const } : button.style === 'danger' ? { style: 'destructive' as const } : {}),
  };
  if (!button.confirm) return { ...execute };
  // Adaptive Cards have no confirmation dialog: the button opens an inline card that asks, with the real action inside
  return {
    type: 'Action.ShowCard',
    title: clip(button.label, 100),
    card: {
      type: 'AdaptiveCard',
      body: [
        rich([{ type: 'TextRun', text: clip(button.confirm.title, 200), weight: 'Bolder' }]),
        rich(inlineRuns(button.confirm.text)),
      ],
      actions: [{ ...execute, title: clip(button.confirm.confirm, 100) }],
    },
    ...(execute.style ? { style: execute.style } : {}),
  };
}
