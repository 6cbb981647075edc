import type { SlackCall } from './fake-slack.js';
import { slackFixture } from './slack.js';

/** Slack payloads built from the published fixtures, for tests that drive a running aiops over HTTP. */

export type Envelope = { event_id: string; event: Record<string, unknown> } & Record<string, unknown>;

let sequence = 0;

/** The published app_mention envelope from `user` in `channel`, with a fresh event id and ts. */
export function mention(text: string, user: string, options: { channel?: string; botUserId?: string } = {}): Envelope {
  const body = slackFixture<Envelope>('events_app_mention.json');
  sequence += 1;
  const ts = `1515449522.${String(sequence).padStart(6, '0')}`;
  return {
    ...body,
    event_id: `Ev${process.pid}x${sequence}`,
    event: { ...body.event, text: `<@${options.botUserId ?? 'UBOT'}> ${text}`, user, ts, event_ts: ts, ...(options.channel ? { channel: options.channel } : {}) },
  };
}

type Block = { type: string; elements?: Array<{ action_id: string; value: string; text: { text: string } }> };

/** The button labelled `label` in a message aiops posted (its chat.postMessage call). */
export function buttonIn(call: SlackCall, label: string): { action_id: string; value: string; text: { text: string } } {
  const blocks = (call.args.blocks ?? []) as Block[];
  const button = blocks.find((block) => block.type === 'actions')?.elements?.find((element) => element.text.text === label);
  if (!button) throw new Error(`no "${label}" button in ${JSON.stringify(call.args.text)}`);
  return button;
}

/**
 * The published block_actions payload for a click by `user` on the button `label` of the message
 * aiops posted with `call` (whose ts Slack answered), with a fresh trigger id; `action` overrides
 * the clicked action's fields (a tampered value, an action id that is not ours).
 */
export function click(call: SlackCall, label: string, user: string, action: Record<string, unknown> = {}): Record<string, unknown> {
  const body = slackFixture<Record<string, unknown> & { message: Record<string, unknown>; actions: Array<Record<string, unknown>> }>('interactivity_block_actions_button_in_message.json');
  const button = buttonIn(call, label);
  const ts = String(call.response?.ts);
  sequence += 1;
  return {
    ...body,
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T0G9PQBBK' },
    channel: { id: call.args.channel, name: 'ops' },
    container: { type: 'message', message_ts: ts, channel_id: call.args.channel, is_ephemeral: false, thread_ts: call.args.thread_ts },
    message: { ...body.message, ts, thread_ts: call.args.thread_ts, blocks: call.args.blocks },
    trigger_id: `${process.pid}${sequence}.trigger`,
    actions: [{ ...body.actions[0], action_id: button.action_id, block_id: 'aiops_decision', value: button.value, text: button.text, action_ts: '1678252216.469172', ...action }],
  };
}

/** The form body Slack posts for an interaction. */
export const interactionForm = (payload: unknown): string => `payload=${encodeURIComponent(JSON.stringify(payload))}`;
