import type { types } from '@slack/bolt';
import type { Button, Reply, Tone } from '../reply.js';
import { chunkLines, clip, escapeMrkdwn } from './mrkdwn.js';

type KnownBlock = types.KnownBlock;
type SectionBlock = types.SectionBlock;
type ContextBlock = types.ContextBlock;
type ActionsBlock = types.ActionsBlock;
type ButtonElement = types.Button;
type MrkdwnElement = types.MrkdwnElement;

/** Slack's published limits for messages and Block Kit elements. */
export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  fieldText: 2000,
  fieldsPerSection: 10,
  contextElements: 10,
  buttonText: 75,
  buttonValue: 2000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  /** the top-level `text`, shown in notifications and where blocks cannot be */
  fallbackText: 3000,
} as const;

export const ACTION_PREFIX = 'aiops_';
export const DECISION_BLOCK_ID = 'aiops_decision';

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

const TONE_ICON: Record<Tone, string> = { info: '', success: ':white_check_mark: ', warning: ':warning: ', error: ':x: ' };

const mrkdwn = (text: string): MrkdwnElement => ({ type: 'mrkdwn', text, verbatim: true });
const plain = (text: string, max: number) => ({ type: 'plain_text' as const, text: clip(text, max), emoji: true });

/**
 * A neutral reply as a Block Kit message. Every string is escaped, so user-supplied text can
 * never become a mention, `<!channel>` or a link; `*bold*` and `code` pass through as Slack's own.
 * The blocks stay within Slack's limits: long text is split or cut, and when there would be more
 * than 50 blocks the middle is cut with a note, never the buttons or the context line.
 */
export function renderBlocks(reply: Reply): SlackMessage {
  const head = textBlocks(`${TONE_ICON[reply.tone ?? 'info']}${escapeMrkdwn(reply.text)}`);
  const body: KnownBlock[] = [...fieldBlocks(reply), ...sectionBlocks(reply), ...linkBlocks(reply)];
  const tail: KnownBlock[] = [...buttonBlocks(reply.buttons ?? []), ...contextBlocks(reply.context ?? [])];
  return { text: clip(escapeMrkdwn(reply.text), SLACK_LIMITS.fallbackText), blocks: fit(head, body, tail) };
}

function fit(head: KnownBlock[], body: KnownBlock[], tail: KnownBlock[]): KnownBlock[] {
  const all = [...head, ...body, ...tail];
  if (all.length <= SLACK_LIMITS.blocks) return all;
  const room = Math.max(SLACK_LIMITS.blocks - tail.length - 1, 1);
  const kept = [...head, ...body].slice(0, room);
  const dropped = head.length + body.length - kept.length;
  const note: ContextBlock = { type: 'context', elements: [mrkdwn(`… ${dropped} more part${dropped === 1 ? '' : 's'} not shown (Slack allows ${SLACK_LIMITS.blocks} blocks).`)] };
  return [...kept, note, ...tail];
}

function textBlocks(text: string): SectionBlock[] {
  return chunkLines(text.split('\n'), SLACK_LIMITS.sectionText).map((chunk) => ({ type: 'section', text: mrkdwn(chunk) }));
}

function fieldBlocks(reply: Reply): SectionBlock[] {
  const fields = (reply.fields ?? []).map((field) => mrkdwn(clip(`*${escapeMrkdwn(field.label)}*\n${escapeMrkdwn(field.value)}`, SLACK_LIMITS.fieldText)));
  const blocks: SectionBlock[] = [];
  for (let index = 0; index < fields.length; index += SLACK_LIMITS.fieldsPerSection) {
    blocks.push({ type: 'section', fields: fields.slice(index, index + SLACK_LIMITS.fieldsPerSection) });
  }
  return blocks;
}

function sectionBlocks(reply: Reply): SectionBlock[] {
  return (reply.sections ?? []).flatMap((section) => {
    const lines = section.lines.map(escapeMrkdwn);
    return textBlocks([...(section.title ? [`*${escapeMrkdwn(section.title)}*`] : []), ...lines].join('\n'));
  });
}

const SAFE_URL = /^(https?:\/\/|mailto:)[^\s<>|]+$/;

function linkBlocks(reply: Reply): SectionBlock[] {
  const links = (reply.links ?? []).map((link) =>
    SAFE_URL.test(link.url) ? `<${escapeMrkdwn(link.url)}|${escapeMrkdwn(link.label).replace(/\|/g, '¦')}>` : `${escapeMrkdwn(link.label)}: ${escapeMrkdwn(link.url)}`,
  );
  return links.length > 0 ? textBlocks(links.join(' · ')) : [];
}

function buttonBlocks(buttons: Button[]): ActionsBlock[] {
  if (buttons.length === 0) return [];
  const used = new Set<string>();
  const elements = buttons.slice(0, 25).map((button): ButtonElement => {
    let actionId = `${ACTION_PREFIX}${button.choice}`;
    for (let n = 2; used.has(actionId); n += 1) actionId = `${ACTION_PREFIX}${button.choice}_${n}`;
    used.add(actionId);
    return {
      type: 'button',
      action_id: actionId,
      text: plain(button.label, SLACK_LIMITS.buttonText),
      // the id of the record it decides, nothing else: the engine reads everything else from the store
      value: button.target.slice(0, SLACK_LIMITS.buttonValue),
      ...(button.style === 'default' ? {} : { style: button.style }),
      ...(button.confirm
        ? {
            confirm: {
              title: plain(button.confirm.title, SLACK_LIMITS.confirmTitle),
              text: plain(button.confirm.text, SLACK_LIMITS.confirmText),
              confirm: plain(button.confirm.confirm, SLACK_LIMITS.confirmButton),
              deny: plain(button.confirm.deny, SLACK_LIMITS.confirmButton),
              ...(button.style === 'danger' ? { style: 'danger' as const } : { style: 'primary' as const }),
            },
          }
        : {}),
    };
  });
  return [{ type: 'actions', block_id: DECISION_BLOCK_ID, elements }];
}

function contextBlocks(lines: string[]): ContextBlock[] {
  if (lines.length === 0) return [];
  const escaped = lines.map((line) => clip(escapeMrkdwn(line), SLACK_LIMITS.sectionText));
  const elements = escaped.slice(0, SLACK_LIMITS.contextElements - 1);
  const rest = escaped.slice(SLACK_LIMITS.contextElements - 1);
  if (rest.length > 0) elements.push(clip(rest.join('\n'), SLACK_LIMITS.sectionText));
  return [{ type: 'context', elements: elements.map(mrkdwn) }];
}
