import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../../log.js';
import type { Store } from '../../sessions/store.js';
import { threadKey } from '../../sessions/threads.js';
import type { Engine } from '../engine.js';
import { queueTurn } from '../run-turn.js';
import type { TurnQueue } from '../turn-queue.js';
import type { Reply } from '../reply.js';
import type { Conversation, MessageRef, Responder, Turn } from '../turn.js';
import { ACTION_PREFIX } from './blocks.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { classifyMessage, readDecision, slashCommandSchema } from './incoming.js';
import type { SlackSender } from './send.js';
import type { SlackUsers } from './users.js';

export interface SlackListenerDeps {
  engine: Engine;
  store: Store;
  log: Logger;
  sender: SlackSender;
  users: SlackUsers;
  botUserId: string;
  turns: TurnQueue;
}

const envelope = z.object({ event_id: z.string() });

/**
 * What aiops listens to in Slack. Bolt acks events before listeners run; commands and clicks
 * are acked first thing here, so the engine's work never delays Slack's 3-second deadline.
 */
export function registerListeners(app: App, deps: SlackListenerDeps): void {
  app.event('app_mention', async ({ event, body }) => onMessage(deps, event, envelope.safeParse(body).data?.event_id));
  app.event('message', async ({ event, body }) => onMessage(deps, event, envelope.safeParse(body).data?.event_id));

  app.command(/^\/.+/, async ({ command, ack, respond }) => {
    const parsed = slashCommandSchema.safeParse(command);
    if (!parsed.success) {
      await ack();
      return;
    }
    const { command: name, text } = parsed.data;
    await ack({ response_type: 'ephemeral', text: escapeMrkdwn(`On it: ${name} ${text}`.trim()) });
    await onCommand(deps, parsed.data, async (message) => {
      await respond({ response_type: 'ephemeral', replace_original: false, text: message });
    });
  });

  app.action(new RegExp(`^${ACTION_PREFIX}`), async ({ ack, body }) => {
    await ack();
    await onClick(deps, body);
  });
  // aiops posts no other interactive elements: anything else is acked at once (not left for Bolt's 3 s timeout) and dropped
  app.action(new RegExp(`^(?!${ACTION_PREFIX})`), async ({ ack }) => {
    await ack();
    deps.log.warn('a click on an element aiops did not post: ignored');
  });

  app.error(async (error) => {
    deps.log.error({ err: error }, 'Slack listener failed');
  });
}

async function onMessage(deps: SlackListenerDeps, event: unknown, eventId: string | undefined): Promise<void> {
  const incoming = classifyMessage(event, deps.botUserId);
  if (incoming.kind === 'ignore') {
    deps.log.debug({ eventId, reason: incoming.reason }, 'Slack event ignored');
    return;
  }
  const { conversation } = incoming;
  // chatter in other people's threads is dropped here, before it can take a turn's place in line
  if (incoming.kind === 'thread-reply' && !(await deps.store.threads.exists(threadKey('slack', conversation.channel, conversation.thread)))) {
    deps.log.debug({ eventId }, 'thread reply in a thread without an aiops session: ignored');
    return;
  }
  const responder = threadResponder(deps.sender, conversation);
  const id = eventId ?? `${conversation.channel}:${incoming.ts}`;
  await queueTurn(
    deps,
    async () => {
      const turn: Turn = {
        platform: 'slack',
        eventId: id,
        user: { id: incoming.userId, name: await deps.users.name(incoming.userId) },
        conversation,
        text: incoming.text,
        addressed: incoming.kind === 'turn',
      };
      return { turn, responder };
    },
    (reply) => responder.post(reply),
    id,
  );
}

type SlashCommand = z.infer<typeof slashCommandSchema>;

/**
 * A slash command has no message to thread under, so aiops first posts a visible root in the
 * channel ("Working on …"); its ts is the turn's thread, and the first reply replaces it in place.
 */
async function onCommand(deps: SlackListenerDeps, command: SlashCommand, tellUser: (text: string) => Promise<void>): Promise<void> {
  const text = command.text.trim() || 'help';
  const eventId = `command:${command.trigger_id}`;
  await queueTurn(
    deps,
    async () => {
      const userName = await deps.users.name(command.user_id, command.user_name);
      const asked = `${userName} used ${command.command} ${text}`;
      let root: MessageRef;
      try {
        root = await deps.sender.post(command.channel_id, undefined, { text: `Working on \`${command.command} ${text}\` for ${userName}…`, tone: 'info' });
      } catch (error) {
        const code = (error as { data?: { error?: unknown } }).data?.error;
        deps.log.warn({ err: error, channel: command.channel_id }, 'cannot post the answer to a slash command');
        const hint = code === 'not_in_channel' || code === 'channel_not_found'
          ? "I can't post in this conversation. Invite me with `/invite @aiops`, or mention me in a channel I'm in."
          : 'Something went wrong posting the answer; try again in a moment.';
        await tellUser(hint).catch((respondError: unknown) => deps.log.warn({ err: respondError }, 'response_url failed too'));
        return undefined;
      }
      const conversation: Conversation = { channel: command.channel_id, thread: root.id };
      let replaced = false;
      const responder: Responder = {
        post: async (reply) => {
          if (replaced) return deps.sender.post(conversation.channel, conversation.thread, reply);
          replaced = true;
          await deps.sender.update(root, { ...reply, context: [...(reply.context ?? []), asked] });
          return root;
        },
        update: (ref, reply) => deps.sender.update(ref, reply),
      };
      const turn: Turn = { platform: 'slack', eventId, user: { id: command.user_id, name: userName }, conversation, text, addressed: true };
      const finish = async (): Promise<void> => {
        if (!replaced) await deps.sender.update(root, { text: asked, tone: 'info' });
      };
      return { turn, responder, finish };
    },
    (reply) => tellUser(reply.text),
    eventId,
  );
}

async function onClick(deps: SlackListenerDeps, body: unknown): Promise<void> {
  const click = readDecision(body);
  if (!click) {
    deps.log.warn('a click aiops cannot read (not one of its buttons, or a tampered payload): ignored');
    return;
  }
  const { conversation } = click;
  const origin: MessageRef = {
    platform: 'slack',
    channel: conversation.channel,
    id: click.messageTs,
    ...(conversation.thread !== conversation.channel && conversation.thread !== click.messageTs ? { thread: conversation.thread } : {}),
  };
  const responder = threadResponder(deps.sender, conversation);
  const eventId = `action:${click.deliveryId}`;
  await queueTurn(
    deps,
    async () => {
      const turn: Turn = {
        platform: 'slack',
        eventId,
        user: { id: click.userId, name: await deps.users.name(click.userId, click.userName) },
        conversation,
        decision: { target: click.target, choice: click.choice, origin },
        addressed: true,
      };
      return { turn, responder };
    },
    (reply) => responder.post(reply),
    eventId,
  );
}

function threadResponder(sender: SlackSender, conversation: Conversation): Responder {
  return {
    post: (reply: Reply) => sender.post(conversation.channel, conversation.thread, reply),
    update: (ref, reply) => sender.update(ref, reply),
  };
}
