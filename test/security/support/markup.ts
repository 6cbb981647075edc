import { expect } from 'vitest';
import type { Reply } from '../../../src/bot/reply.js';
import { renderBlocks } from '../../../src/bot/slack/blocks.js';
import { renderCard } from '../../../src/bot/teams/card.js';

/**
 * What a hostile person types where aiops echoes text back: Slack broadcasts, mentions, channel
 * links and links with a label, HTML, Markdown links and emphasis, a Teams mention, text that is
 * already escaped, and an ampersand.
 */
export const HOSTILE = '<!channel> <!here> <!everyone> <@U0ADMIN> <#C0GENERAL|general> <https://evil.example|login> [click](https://evil.example) **urgent** <at>Admin</at> <b>&amp; R&D</b> &lt;!here&gt;';

type Json = unknown;

function walk(value: Json, visit: (node: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) value.forEach((item) => walk(item, visit));
  else if (value && typeof value === 'object') {
    visit(value as Record<string, unknown>);
    Object.values(value).forEach((item) => walk(item, visit));
  }
}

/** Every string Slack parses as mrkdwn in a message: mrkdwn text objects and the top-level fallback text. */
export function mrkdwnTexts(message: { text?: unknown; blocks?: unknown }): string[] {
  const texts: string[] = typeof message.text === 'string' ? [message.text] : [];
  walk(message.blocks, (node) => {
    if (node.type === 'mrkdwn' && typeof node.text === 'string') texts.push(node.text);
  });
  return texts;
}

/**
 * Slack shows a mrkdwn string literally when `&`, `<` and `>` are escaped; the only `<` left
 * must open a link aiops made itself (an http(s) URL from the configuration), never a mention,
 * a broadcast, a channel or a link someone typed.
 */
export function expectSlackSafe(message: { text?: unknown; blocks?: unknown }, where: string): void {
  for (const text of mrkdwnTexts(message)) {
    expect(text, `${where}: a mention or broadcast`).not.toMatch(/<[!@#]/);
    expect(text, `${where}: a link someone typed`).not.toMatch(/<https?:\/\/evil\.example/);
    for (const open of text.matchAll(/</g)) expect(text.slice(open.index, open.index + 8), `${where}: raw <`).toMatch(/^<(https?:\/\/|mailto:)/);
    expect(text, `${where}: an & that is not an entity`).not.toMatch(/&(?!amp;|lt;|gt;)/);
  }
}

/**
 * Teams shows TextRuns literally; Markdown (and so links) only renders in TextBlocks, and a
 * mention needs an entity in the activity. A card aiops sends has neither, and opens only
 * http(s) URLs it made itself.
 */
export function expectTeamsSafe(activityOrCard: Json, where: string): void {
  walk(activityOrCard, (node) => {
    expect(node.type, `${where}: a Markdown TextBlock`).not.toBe('TextBlock');
    expect(node.type, `${where}: a mention entity`).not.toBe('mention');
    if (node.type === 'Action.OpenUrl') expect(String(node.url), `${where}: a URL`).toMatch(/^https?:\/\/(?!evil\.example)/);
  });
}

/** Every reply, through both real renderers; returns what each shows so a test can check the text got there. */
export function renderSafely(replies: Reply[], where: string): { slack: string; teams: string } {
  let slack = '';
  let teams = '';
  replies.forEach((reply, index) => {
    const blocks = renderBlocks(reply);
    expectSlackSafe(blocks, `${where} #${index} (Block Kit)`);
    slack += `${mrkdwnTexts(blocks).join('\n')}\n`;
    const card = renderCard(reply);
    expectTeamsSafe(card, `${where} #${index} (Adaptive Card)`);
    teams += `${JSON.stringify(card)}\n`;
  });
  return { slack, teams };
}
