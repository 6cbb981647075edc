import type { Logger } from '../log.js';
import type { Engine } from './engine.js';
import type { Reply } from './reply.js';
import type { Responder, Turn } from './turn.js';
import type { TurnQueue } from './turn-queue.js';

export const BUSY_REPLY: Reply = { text: 'aiops is overloaded right now and did not handle this; please try again in a minute.', tone: 'warning' };

/** Runs a turn through the queue; a turn the queue refuses gets a "busy" answer instead of silence. */
export async function runTurn(deps: { engine: Engine; turns: TurnQueue; log: Logger }, turn: Turn, responder: Responder): Promise<void> {
  const accepted = await deps.turns.run(async () => {
    try {
      const summary = await deps.engine.handle(turn, responder);
      deps.log.debug({ eventId: turn.eventId, ...summary }, 'turn done');
    } catch (error) {
      deps.log.error({ err: error, eventId: turn.eventId }, 'turn failed');
    }
  });
  if (accepted) return;
  deps.log.warn({ eventId: turn.eventId, depth: deps.turns.depth }, 'turn refused: too many waiting');
  await responder.post(BUSY_REPLY).catch((error: unknown) => deps.log.warn({ err: error }, 'could not say busy'));
}
