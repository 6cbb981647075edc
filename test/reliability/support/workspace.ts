import { signSlackRequest } from '../../../src/bot/slack/signature.js';
import { FakeSlack, type SlackCall } from '../../support/fake-slack.js';
import { slackFixture } from '../../support/slack.js';
import { waitFor } from '../../support/wait.js';

export const SIGNING_SECRET = 'reliability-signing-secret-51c2';
export const BOT_TOKEN = 'xoxb-reliability-0000';
export const CHANNEL = 'C0RELIABLE';

/** Anything that serves /slack/events: a bot process. */
export interface SlackEndpoint {
  url: string;
}

export interface Envelope {
  event_id: string;
  event: { ts: string; text: string; user: string; channel: string } & Record<string, unknown>;
  [field: string]: unknown;
}

type Block = { type: string; elements?: Array<{ action_id: string; value: string; text: { text: string } }> };

/** Everything Slack shows in a message: the fallback text and every block. */
export const shown = (call: SlackCall): string => `${String(call.args.text ?? '')}\n${JSON.stringify(call.args.blocks ?? [])}`;

/** A button of a posted message; its value is the id of what it decides. */
export function buttonOf(message: SlackCall, label: 'Approve' | 'Cancel'): { action_id: string; value: string; text: { text: string } } {
  const blocks = (message.args.blocks ?? []) as Block[];
  const button = blocks.find((block) => block.type === 'actions')?.elements?.find((element) => element.text.text === label);
  if (!button) throw new Error(`no ${label} button in: ${shown(message)}`);
  return button;
}

/**
 * A Slack workspace around the bots: it signs and delivers events and clicks to whichever bot
 * the test names (a load balancer's choice), and its fake Web API records what every bot posted.
 */
export class Workspace {
  private sequence = 0;

  private constructor(readonly api: FakeSlack) {}

  static async start(): Promise<Workspace> {
    return new Workspace(await FakeSlack.start());
  }

  /** The published app_mention envelope with a fresh event id and ts. */
  mention(user: string, text: string): Envelope {
    const body = slackFixture<Envelope>('events_app_mention.json');
    this.sequence += 1;
    const ts = `${1_600_000_000 + this.sequence}.000100`;
    return { ...body, event_id: `EvRel${this.sequence}`, event: { ...body.event, channel: CHANNEL, user, text: `<@UBOT> ${text}`, ts, event_ts: ts } };
  }

  /** A message in an existing thread, without a mention: for aiops only if the thread is its own. */
  threadReply(user: string, text: string, thread: string): Envelope {
    const body = slackFixture<Envelope>('events_message_user_channel.json');
    this.sequence += 1;
    const ts = `${1_600_000_000 + this.sequence}.000300`;
    return { ...body, event_id: `EvRel${this.sequence}`, event: { ...body.event, channel: CHANNEL, user, text, ts, thread_ts: thread, blocks: [] } };
  }

  /** One delivery of an event; Slack marks its retries with X-Slack-Retry-Num. */
  async deliver(bot: SlackEndpoint, envelope: unknown, retry = 0): Promise<number> {
    const headers: Record<string, string> = retry > 0 ? { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_timeout' } : {};
    return this.post(bot, JSON.stringify(envelope), 'application/json', headers);
  }

  /** Says something to aiops through `bot` and returns the mention, whose ts is the reply thread. */
  async say(bot: SlackEndpoint, user: string, text: string): Promise<Envelope> {
    const mention = this.mention(user, text);
    const status = await this.deliver(bot, mention);
    if (status !== 200) throw new Error(`Slack delivery answered ${status}`);
    return mention;
  }

  /** A click on a button of an approval request, as Slack's block_actions interaction. */
  async click(bot: SlackEndpoint, request: SlackCall, label: 'Approve' | 'Cancel', user: string): Promise<number> {
    const body = slackFixture<Record<string, unknown> & { message: Record<string, unknown>; actions: Array<Record<string, unknown>> }>('interactivity_block_actions_button_in_message.json');
    const blocks = request.args.blocks as Block[];
    const button = buttonOf(request, label);
    const ts = String(request.response?.ts);
    this.sequence += 1;
    const payload = {
      ...body,
      user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T0G9PQBBK' },
      channel: { id: request.args.channel, name: 'reliability' },
      container: { type: 'message', message_ts: ts, channel_id: request.args.channel, is_ephemeral: false, thread_ts: request.args.thread_ts },
      message: { ...body.message, ts, thread_ts: request.args.thread_ts, blocks },
      // every click is its own interaction with its own trigger id
      trigger_id: `${this.sequence}.reliability.trigger`,
      actions: [{ ...body.actions[0], action_id: button.action_id, block_id: 'aiops_decision', value: button.value, text: button.text, action_ts: `${1_600_000_000 + this.sequence}.000200` }],
    };
    return this.post(bot, `payload=${encodeURIComponent(JSON.stringify(payload))}`, 'application/x-www-form-urlencoded');
  }

  /** Messages posted in the thread under `ts`, in order. */
  posts(ts: string): SlackCall[] {
    return this.api.of('chat.postMessage').filter((call) => call.args.thread_ts === ts);
  }

  /** Edits of messages in the thread under `ts`. */
  updates(ts: string): SlackCall[] {
    const ids = new Set(this.posts(ts).map((call) => String(call.response?.ts)));
    return this.api.of('chat.update').filter((call) => ids.has(String(call.args.ts)));
  }

  waitForPost(ts: string, pattern: RegExp, what = `a post matching ${pattern}`, timeoutMs?: number): Promise<SlackCall> {
    return waitFor(() => this.posts(ts).find((call) => pattern.test(shown(call))), `${what} in thread ${ts}`, timeoutMs);
  }

  waitForUpdate(ts: string, pattern: RegExp, what = `an edit matching ${pattern}`, timeoutMs?: number): Promise<SlackCall> {
    return waitFor(() => this.updates(ts).find((call) => pattern.test(shown(call))), `${what} in thread ${ts}`, timeoutMs);
  }

  close(): Promise<void> {
    return this.api.close();
  }

  private async post(bot: SlackEndpoint, body: string, contentType: string, headers: Record<string, string> = {}): Promise<number> {
    const signed = signSlackRequest(body, SIGNING_SECRET, Math.floor(Date.now() / 1000));
    const response = await fetch(`${bot.url}/slack/events`, { method: 'POST', headers: { 'content-type': contentType, ...signed, ...headers }, body });
    await response.text();
    return response.status;
  }
}
