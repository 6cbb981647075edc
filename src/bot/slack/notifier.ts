import type { webApi } from '@slack/bolt';
import type { Notifier, NotifyTarget } from '../notifier.js';
import { NO_RETRY, Outbox, type Sleep } from '../outbox.js';
import type { Reply } from '../reply.js';
import type { MessageRef } from '../turn.js';
import { SlackSender, slackRetryAfterMs } from './send.js';

/** Slack allows about one message per second per channel, with short bursts. */
export const SLACK_CHANNEL_INTERVAL_MS = 1000;

/**
 * Messages nobody asked for, to a Slack channel (or a thread in it): queued per channel at
 * Slack's pace, and retried after the delay Slack asks for when it answers 429.
 */
export class SlackNotifier implements Notifier {
  private readonly outbox: Outbox;
  private readonly sender: SlackSender;

  constructor(client: webApi.WebClient, options: { intervalMs?: number; sleep?: Sleep; now?: () => number } = {}) {
    this.sender = new SlackSender(client, NO_RETRY);
    this.outbox = new Outbox({
      intervalMs: options.intervalMs ?? SLACK_CHANNEL_INTERVAL_MS,
      retryAfterMs: slackRetryAfterMs,
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
  }

  notify(target: NotifyTarget, reply: Reply): Promise<MessageRef> {
    return this.outbox.send(target.channel, () => this.sender.post(target.channel, target.thread, reply));
  }

  update(ref: MessageRef, reply: Reply): Promise<void> {
    return this.outbox.send(ref.channel, () => this.sender.update(ref, reply));
  }

  drain(): Promise<void> {
    return this.outbox.drain();
  }

  /** messages queued or being sent (the metrics' outbound queue depth) */
  get pending(): number {
    return this.outbox.pending;
  }
}
