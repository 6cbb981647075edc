import type { Logger } from '../log.js';
import type { Reply } from './reply.js';
import type { MessageRef, Platform } from './turn.js';

/** Where a message nobody asked for goes: a channel (and optionally a thread in it). */
export interface NotifyTarget {
  platform: Platform;
  channel: string;
  thread?: string;
}

/**
 * Messages nobody asked for (alerts, auto-fix reports, progress after a restart) go through
 * this one interface; each platform adapter provides an implementation.
 */
export interface Notifier {
  notify(target: NotifyTarget, reply: Reply): Promise<MessageRef | undefined>;
  update(ref: MessageRef, reply: Reply): Promise<void>;
}

/** Sends each message to the notifier of its platform; platforms without one are logged and skipped. */
export class PlatformNotifier implements Notifier {
  constructor(
    private readonly byPlatform: Partial<Record<Platform, Notifier>>,
    private readonly log: Logger,
  ) {}

  register(platform: Platform, notifier: Notifier): void {
    this.byPlatform[platform] = notifier;
  }

  async notify(target: NotifyTarget, reply: Reply): Promise<MessageRef | undefined> {
    const notifier = this.byPlatform[target.platform];
    if (!notifier) {
      this.log.warn({ target, text: reply.text }, 'no notifier for this platform; message not delivered');
      return undefined;
    }
    return notifier.notify(target, reply);
  }

  async update(ref: MessageRef, reply: Reply): Promise<void> {
    const notifier = this.byPlatform[ref.platform];
    if (!notifier) {
      this.log.warn({ ref, text: reply.text }, 'no notifier for this platform; update not delivered');
      return;
    }
    await notifier.update(ref, reply);
  }
}
