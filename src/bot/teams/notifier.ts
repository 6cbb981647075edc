import type { Notifier, NotifyTarget } from '../notifier.js';
import { Outbox, type Sleep } from '../outbox.js';
import type { Reply } from '../reply.js';
import type { MessageRef } from '../turn.js';
import { messageRef } from './activity.js';
import type { ApprovalCards } from './approvals.js';
import { renderCard } from './card.js';
import type { TeamsConversations } from './references.js';
import { summaryOf, type TeamsSender } from './sender.js';

/** Teams allows 7 messages per second per conversation. */
export const TEAMS_CONVERSATION_INTERVAL_MS = Math.ceil(1000 / 7);

/** A 429 from the Bot Connector (the SDK's own retries exhausted): wait as long as Retry-After says. */
export function teamsRetryAfterMs(error: unknown): number | undefined {
  const failure = error as { statusCode?: unknown; response?: { headers?: { get?: (name: string) => string | undefined } } };
  if (failure?.statusCode !== 429) return undefined;
  const seconds = Number(failure.response?.headers?.get?.('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000;
}

/**
 * Messages nobody asked for, into a Teams conversation aiops has seen (its reference is stored
 * on conversationUpdate and on every message), queued per conversation at Teams' pace.
 */
export class TeamsNotifier implements Notifier {
  private readonly outbox: Outbox;

  constructor(
    private readonly sender: TeamsSender,
    private readonly conversations: TeamsConversations,
    private readonly cards: ApprovalCards,
    options: { intervalMs?: number; sleep?: Sleep; now?: () => number } = {},
  ) {
    this.outbox = new Outbox({
      intervalMs: options.intervalMs ?? TEAMS_CONVERSATION_INTERVAL_MS,
      retryAfterMs: teamsRetryAfterMs,
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
  }

  notify(target: NotifyTarget, reply: Reply): Promise<MessageRef | undefined> {
    return this.outbox.send(target.channel, async () => {
      const reference = await this.reference(target.channel, target.thread);
      const card = await this.cards.shared(reply, reference.conversation?.conversationType);
      const id = await this.sender.send(reference, card, summaryOf(reply.text));
      return id ? messageRef(target.channel, target.thread, id) : undefined;
    });
  }

  update(ref: MessageRef, reply: Reply): Promise<void> {
    return this.outbox.send(ref.channel, async () => {
      await this.sender.update(await this.reference(ref.channel, ref.thread), ref.id, renderCard(reply), summaryOf(reply.text));
    });
  }

  drain(): Promise<void> {
    return this.outbox.drain();
  }

  /** messages queued or being sent (the metrics' outbound queue depth) */
  get pending(): number {
    return this.outbox.pending;
  }

  private async reference(channel: string, thread: string | undefined) {
    const reference = await this.conversations.reference(channel, thread);
    if (!reference) throw new Error(`no stored Teams conversation ${channel}: aiops can post only where it has been added (or has been talked to)`);
    return reference;
  }
}
