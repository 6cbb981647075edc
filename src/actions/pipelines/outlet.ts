import type { Notifier, NotifyTarget } from '../../bot/notifier.js';
import type { Reply } from '../../bot/reply.js';
import type { MessageRef, Responder } from '../../bot/turn.js';
import type { Logger } from '../../log.js';

/** Where a tracker posts and edits: the thread it was asked in. */
export interface Outlet {
  post(reply: Reply): Promise<MessageRef | undefined>;
  update(ref: MessageRef, reply: Reply): Promise<void>;
}

/**
 * The live turn's responder while it works, the platform notifier otherwise: a responder can
 * outlive its turn badly (a Teams turn context is revoked once the turn ends), and after a
 * restart there is no responder at all. A failed chat call is logged, never fatal to tracking.
 */
export function threadOutlet(target: NotifyTarget, notifier: Notifier, log: Logger, responder?: Responder): Outlet {
  return {
    async post(reply) {
      if (responder) {
        try {
          return await responder.post(reply);
        } catch (error) {
          log.warn({ err: error }, 'posting through the turn failed; using the notifier');
        }
      }
      try {
        return await notifier.notify(target, reply);
      } catch (error) {
        log.error({ err: error, target }, 'could not post in the thread');
        return undefined;
      }
    },
    async update(ref, reply) {
      if (responder) {
        try {
          await responder.update(ref, reply);
          return;
        } catch (error) {
          log.warn({ err: error }, 'editing through the turn failed; using the notifier');
        }
      }
      try {
        await notifier.update(ref, reply);
      } catch (error) {
        log.error({ err: error, ref }, 'could not edit the status message');
      }
    },
  };
}
